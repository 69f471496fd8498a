// SPDX-License-Identifier: MIT
#include "redisserver.h"
#include "tapcontroller.h"
#include "tapview.h"

#include <QCheckBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_TapView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void showsPausesFiltersAndExportsWhatItShows();

private:
    std::unique_ptr<RedisServer> m_redis;
};

void tst_TapView::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

void tst_TapView::showsPausesFiltersAndExportsWhatItShows()
{
    TapController tap;
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    tap.setConnectionOptions(o);
    TapView view(&tap);
    view.resize(1000, 600);
    view.show();
    auto *edit = view.findChild<QLineEdit *>(u"tapSubscribeEdit"_s);
    QVERIFY(edit);
    QTest::keyClicks(edit, u"room:*"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(tap.patterns(), QByteArrayList{"room:*"});
    view.tapChannels({"broadcast"});
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMPAT"_ba}).toInteger(), 1);
    QTRY_COMPARE(m_redis->command({"PUBSUB"_ba, "NUMSUB"_ba, "broadcast"_ba}).elements()[1].toInteger(), 1);

    // Published by another connection (the fixture's), shown in the table.
    m_redis->command({"PUBLISH"_ba, "room:1"_ba, "{\"type\":\"message\",\"text\":\"hello\"}"_ba});
    m_redis->command({"PUBLISH"_ba, "room:2"_ba, "{\"type\":\"message\",\"text\":\"bye\"}"_ba});
    m_redis->command({"PUBLISH"_ba, "broadcast"_ba, "{\"type\":\"announcement\",\"text\":\"Hello all\"}"_ba});
    QTableView *table = view.table();
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QCOMPARE(table->model()->index(0, TapModel::ChannelColumn).data().toString(), u"room:1"_s);
    QCOMPARE(table->model()->index(0, TapModel::PatternColumn).data().toString(), u"room:*"_s);

    // The detail pane pretty-prints JSON.
    table->setCurrentIndex(table->model()->index(0, 0));
    auto *detail = view.findChild<QPlainTextEdit *>(u"tapDetail"_s);
    QVERIFY(detail->toPlainText().contains(u"\n    \"text\": \"hello\""_s));

    // Pause: nothing new is shown, the count of missed messages says why.
    auto *pause = view.findChild<QPushButton *>(u"tapPause"_s);
    pause->click();
    QVERIFY(tap.isPaused());
    m_redis->command({"PUBLISH"_ba, "room:3"_ba, "while paused"_ba});
    QTRY_COMPARE(tap.missedWhilePaused(), 1ull);
    QCOMPARE(table->model()->rowCount(), 3);
    QTRY_VERIFY(view.findChild<QLabel *>(u"tapStatus"_s)->text().contains(u"missed while paused"_s));
    pause->click();
    QVERIFY(!tap.isPaused());

    // Filters: channel glob, then payload regex.
    view.findChild<QLineEdit *>(u"tapChannelFilter"_s)->setText(u"room:*"_s);
    QCOMPARE(table->model()->rowCount(), 2);
    view.findChild<QCheckBox *>(u"tapRegex"_s)->setChecked(true);
    view.findChild<QLineEdit *>(u"tapTextFilter"_s)->setText(u"\"text\":\"h.llo\""_s);
    QCOMPARE(table->model()->rowCount(), 1);

    // Export writes exactly what is shown.
    QTemporaryDir dir;
    const QString ndjson = dir.filePath(u"shown.ndjson"_s);
    QString error;
    QVERIFY2(view.exportRows(ndjson, TapExporter::Format::Ndjson, false, &error), qPrintable(error));
    QFile file(ndjson);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.size(), 2); // one line and the final newline
    const QJsonObject o1 = QJsonDocument::fromJson(lines.at(0)).object();
    QCOMPARE(o1.value(u"channel"_s).toString(), u"room:1"_s);
    QCOMPARE(o1.value(u"payload"_s).toString(), u"{\"type\":\"message\",\"text\":\"hello\"}"_s);

    view.findChild<QLineEdit *>(u"tapTextFilter"_s)->clear();
    view.findChild<QLineEdit *>(u"tapChannelFilter"_s)->clear();
    QCOMPARE(table->model()->rowCount(), 3);
    table->selectRow(2);
    const QString csv = dir.filePath(u"selection.csv"_s);
    QVERIFY(view.exportRows(csv, TapExporter::Format::Csv, true, &error));
    QFile csvFile(csv);
    QVERIFY(csvFile.open(QIODevice::ReadOnly));
    const QByteArray content = csvFile.readAll();
    QCOMPARE(content.count("\r\n"), 2);
    QVERIFY(content.contains(",broadcast,,"));

    view.findChild<QPushButton *>(u"tapClear"_s)->click();
    QCOMPARE(table->model()->rowCount(), 0);
}

QTEST_MAIN(tst_TapView)
#include "tst_tapview.moc"

// SPDX-License-Identifier: MIT
// RoomDetailView on a real redis-server filled as the relay fills it (docs/formats): the presence and
// history it shows, paging, the JSON of the selected message, and what it says for a room without keys.
#include "redisconnection.h"
#include "redisserver.h"
#include "relaykeys.h"
#include "roomdetailcontroller.h"
#include "roomdetailview.h"
#include "roomhistorymodel.h"

#include <QAbstractItemModelTester>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_RoomDetailView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsPresenceAndHistory();
    void saysWhenThereIsNothing();
};

void tst_RoomDetailView::showsPresenceAndHistory()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QByteArray channel = "app:room:lobby";
    const QByteArray history = RelayKeys::historyKey("app:", channel);
    for (int i = 1; i <= 5; ++i)
        server.command({"XADD", history, "MAXLEN", "100", "*", "m",
                        R"({"type":"message","roomId":"lobby","user":"alice","text":"message )" +
                            QByteArray::number(i) + R"("})"});
    server.command({"PEXPIRE", history, "3600000"});
    const qint64 now = server.command({"TIME"}).elements()[0].bytes().toLongLong() * 1000;
    const auto entry = [now](const char *user, const char *relay, qint64 expires) {
        return QByteArray(R"({"user":)") + user + R"(,"since":)" + QByteArray::number(now - 60000) +
               R"(,"relay":")" + relay + R"(","expires":)" + QByteArray::number(now + expires) + "}";
    };
    server.command({"HSET", RelayKeys::presenceKey("app:", channel), "relay-a:c1",
                    entry(R"("alice")", "relay-a", 30000), "relay-b:c2", entry(R"("bob")", "relay-b", 30000),
                    "relay-c:c3", entry(R"("ghost")", "relay-c", -5000)});

    RedisConnectionOptions o;
    o.url = RedisUrl::parse(server.url());
    RedisConnection connection(o);
    connection.open();
    RoomDetailController controller;
    controller.setLimits({3, 1000, std::chrono::milliseconds(0)});
    controller.attach(&connection);
    RoomDetailView view(&controller);
    auto *table = view.findChild<QTableView *>(u"roomHistoryTable"_s);
    auto *presence = view.findChild<QTableView *>(u"roomPresenceTable"_s);
    QVERIFY(table && presence);
    QAbstractItemModelTester tester(table->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(controller.isActive());
    controller.setRoom(channel);

    QTRY_COMPARE(view.presenceText(), u"Members: 2 · relays: 2 · entries of dead relays skipped: 1"_s);
    QTRY_VERIFY2(view.historyText().startsWith(u"Messages in the stream: 5 · memory: "_s),
                 qPrintable(view.historyText()));
    QVERIFY2(view.historyText().endsWith(u" · expires in 60 min without new messages"_s),
             qPrintable(view.historyText()));
    QCOMPARE(view.titleText(), u"Room lobby"_s);
    QCOMPARE(presence->model()->rowCount(), 2);
    QCOMPARE(table->model()->rowCount(), 3);
    QCOMPARE(table->model()->index(0, RoomHistoryModel::Text).data().toString(), u"message 5"_s);
    // The newest message is selected and its JSON shown, indented.
    QTRY_VERIFY2(view.detailText().contains(u"    \"text\": \"message 5\""_s), qPrintable(view.detailText()));

    auto *older = view.findChild<QPushButton *>(u"roomOlder"_s);
    auto *newer = view.findChild<QPushButton *>(u"roomNewer"_s);
    QVERIFY(older->isEnabled());
    QVERIFY(!newer->isEnabled());
    older->click();
    QTRY_COMPARE(table->model()->index(0, RoomHistoryModel::Text).data().toString(), u"message 2"_s);
    QCOMPARE(table->model()->rowCount(), 2);
    QVERIFY(!older->isEnabled());
    QVERIFY(newer->isEnabled());
    table->setCurrentIndex(table->model()->index(1, 0));
    QVERIFY(view.detailText().contains(u"\"message 1\""_s));

    const QPixmap shot = view.grab();
    QCOMPARE(shot.size(), view.size() * shot.devicePixelRatio());
    auto *tabs = view.findChild<QTabWidget *>(u"roomTabs"_s);
    QCOMPARE(tabs->tabText(0), u"History (5)"_s);
    QCOMPARE(tabs->tabText(1), u"Presence (2)"_s);
    if (const QString dir = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QVERIFY(shot.save(dir + u"/room-detail-history.png"_s));
        tabs->setCurrentIndex(1);
        QVERIFY(view.grab().save(dir + u"/room-detail-presence.png"_s));
        tabs->setCurrentIndex(0);
    }

    view.hide();
    QVERIFY(!controller.isActive());
}

void tst_RoomDetailView::saysWhenThereIsNothing()
{
    RoomDetailController controller;
    RoomDetailView view(&controller);
    view.show();
    QCOMPARE(view.titleText(), u"No room chosen"_s);
    QCOMPARE(view.historyText(), u"Not connected"_s);

    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(server.url());
    RedisConnection connection(o);
    connection.open();
    controller.attach(&connection);
    controller.setRoom("room:quiet");
    QTRY_VERIFY2(view.historyText().startsWith(u"No history stream"_s), qPrintable(view.historyText()));
    QTRY_VERIFY2(view.presenceText().startsWith(u"No presence key"_s), qPrintable(view.presenceText()));
    QVERIFY(view.detailText().isEmpty());
    QVERIFY(!view.findChild<QPushButton *>(u"roomOlder"_s)->isEnabled());
}

QTEST_MAIN(tst_RoomDetailView)
#include "tst_roomdetailview.moc"

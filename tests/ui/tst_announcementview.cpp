// SPDX-License-Identifier: MIT
#include "announcementview.h"
#include "auditlog.h"
#include "embeddedrelay.h"
#include "redisserver.h"
#include "testclient.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_AnnouncementView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void reachesAWebSocketClientOfTheEmbeddedRelay();
};

void tst_AnnouncementView::reachesAWebSocketClientOfTheEmbeddedRelay()
{
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    RedisConnectionOptions options;
    options.url = RedisUrl::parse(redis.url());

    EmbeddedRelay relay;
    EmbeddedRelay::Settings settings;
    settings.relay.bindAddress = QHostAddress::LocalHost;
    settings.relay.port = 0;
    settings.inProcessBus = false;
    settings.redis = options;
    QVERIFY(relay.start(settings));
    TestClient client;
    QVERIFY(client.open(relay.url()));
    QTRY_COMPARE(redis.command({"PUBSUB"_ba, "NUMSUB"_ba, "broadcast"_ba}).elements()[1].toInteger(), 1);

    QTemporaryDir dir;
    AuditLog log;
    QVERIFY(log.open(dir.filePath(u"audit.ndjson"_s)));
    QSettings templatesSettings(dir.filePath(u"t.ini"_s), QSettings::IniFormat);
    TemplateStore templates(&templatesSettings);
    RedisConnection connection(options);
    connection.open();
    QTRY_VERIFY(connection.isReady());
    AnnouncementController controller(&log);
    controller.setConnection(&connection);
    controller.setProfileName(u"local"_s);
    AnnouncementView view(&controller, &templates);
    view.show();

    view.findChild<QPlainTextEdit *>(u"announceText"_s)->setPlainText(u"Maintenance in 10 minutes"_s);
    const QString preview = view.findChild<QPlainTextEdit *>(u"announcePreview"_s)->toPlainText();
    QCOMPARE(preview.toUtf8(), view.pending().toJson());
    QVERIFY(preview.startsWith(
        u"{\"type\":\"announcement\",\"level\":\"info\",\"text\":\"Maintenance in 10 minutes\""_s));
    auto *estimate = view.findChild<QLabel *>(u"announceEstimate"_s);
    QTRY_VERIFY(estimate->text().contains(u"1 on broadcast"_s));

    // Declining sends nothing.
    QString summary;
    view.setConfirmationHandler([&summary](const QString &s) {
        summary = s;
        return false;
    });
    view.findChild<QPushButton *>(u"announceSend"_s)->click();
    QVERIFY(summary.contains(u"broadcast"_s));
    QCOMPARE(log.rowCount(), 0);

    // Confirming publishes exactly the previewed JSON; the relay's client gets it once.
    QByteArray expected;
    view.setConfirmationHandler([&](const QString &s) {
        expected = view.pending().toJson();
        // What the operator confirms is exactly what the preview shows and what goes out.
        return s.contains(QString::fromUtf8(expected)) &&
               view.findChild<QPlainTextEdit *>(u"announcePreview"_s)->toPlainText().toUtf8() == expected;
    });
    QSignalSpy published(&controller, &AnnouncementController::published);
    view.findChild<QPushButton *>(u"announceSend"_s)->click();
    QVERIFY(published.wait());
    const QJsonObject got = client.waitForType(u"announcement"_s);
    QVERIFY(!got.isEmpty());
    QCOMPARE(client.rawFrames().last().toUtf8(), expected);
    QTRY_VERIFY(view.findChild<QLabel *>(u"announceResult"_s)->text().contains(u"1 in all"_s));
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(log.entryAt(0).text, u"Maintenance in 10 minutes"_s);
    QCOMPARE(log.entryAt(0).receivers, QList<qint64>{1});
    QCOMPARE(client.count([](const QJsonObject &o) { return o.value(u"type"_s) == u"announcement"_s; }), 1);

    // Read-only: the button is disabled and says why.
    controller.setReadOnly(true);
    QVERIFY(!view.findChild<QPushButton *>(u"announceSend"_s)->isEnabled());
}

QTEST_MAIN(tst_AnnouncementView)
#include "tst_announcementview.moc"

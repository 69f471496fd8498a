// SPDX-License-Identifier: MIT
#include "announcement.h"
#include "announcementcontroller.h"
#include "auditlog.h"
#include "channelscontroller.h"
#include "connectioncontroller.h"
#include "embeddedrelay.h"
#include "languagemanager.h"
#include "logmodel.h"
#include "mainwindow.h"
#include "privateredisserver.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relaykeys.h"
#include "roomdetailview.h"
#include "secretstore.h"
#include "tapcontroller.h"
#include "testclient.h"
#include "thememanager.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void assemblesTheFeaturesAroundOneConnection();
    void relayClientsShowUpAsChannels();
    void opensTheRoomDetail();
    void switchesLanguageAtRunTime();
    void switchesTheme_data();
    void switchesTheme();
    void restoresItsLayout();
    void privateRedisDiesWithTheWindow();
    void announcementsNeverUseTheTapConnection();
    void connectsAsAUserWithoutInfo();

private:
    std::unique_ptr<MainWindow> window();
    ConnectionProfile profile() const;

    std::unique_ptr<RedisServer> m_redis;
    QTemporaryDir m_dir;
    std::unique_ptr<QSettings> m_settings;
    MemorySecretStore m_secrets;
    LogModel m_log;
};

void tst_MainWindow::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    m_settings->setValue(u"audit/path"_s, m_dir.filePath(u"audit.ndjson"_s));
}

std::unique_ptr<MainWindow> tst_MainWindow::window()
{
    auto w = std::make_unique<MainWindow>(m_settings.get(), &m_secrets, &m_log);
    w->show();
    return w;
}

ConnectionProfile tst_MainWindow::profile() const
{
    ConnectionProfile p;
    p.name = u"test"_s;
    p.url = m_redis->url();
    return p;
}

void tst_MainWindow::assemblesTheFeaturesAroundOneConnection()
{
    auto w = window();
    for (const QString &dock : {u"channelsDock"_s, u"tapDock"_s, u"chartsDock"_s, u"relayDock"_s,
                                u"announceDock"_s, u"auditDock"_s, u"logDock"_s})
        QVERIFY2(w->findChild<QDockWidget *>(dock), qPrintable(dock));
    QVERIFY(w->connectToProfile(profile(), QString()));
    QTRY_VERIFY(w->connectionController()->state() == RedisConnection::State::Ready);
    QTRY_VERIFY(w->findChild<QLabel *>(u"connectionState"_s)->text().contains(u"Connected to test"_s));
    QTRY_VERIFY(w->findChild<QLabel *>(u"serverInfo"_s)->text().startsWith(u"Redis "_s));
    QTRY_VERIFY(w->tapController()->isConnected());
    QCOMPARE(w->auditLog()->path(), m_dir.filePath(u"audit.ndjson"_s));
    // Disconnecting detaches every feature.
    w->connectionController()->disconnectFromServer();
    QVERIFY(!w->tapController()->isConnected());
    QVERIFY(!w->channelsController()->isAttached());
    QVERIFY(w->findChild<QLabel *>(u"connectionState"_s)->text().contains(u"Not connected"_s));
}

void tst_MainWindow::relayClientsShowUpAsChannels()
{
    auto w = window();
    QVERIFY(w->connectToProfile(profile(), QString()));
    QTRY_VERIFY(w->connectionController()->state() == RedisConnection::State::Ready);
    w->startRelayWhenReady(0, 0);
    QTRY_VERIFY(w->embeddedRelay()->isRunning());
    TestClient client;
    QVERIFY(client.open(w->embeddedRelay()->url()));
    QVERIFY(client.join(u"ops"_s));
    // The embedded relay runs on the same Redis: its room is a channel with one subscriber.
    w->channelsController()->refresh();
    auto *table = w->findChild<QTableView *>(u"channelTable"_s);
    QTRY_VERIFY_WITH_TIMEOUT(w->channelsController()->subscribersFor("room:ops") == 1, 10000);
    QTRY_VERIFY(table->model()->rowCount() >= 2); // broadcast and room:ops
    QTRY_VERIFY(w->findChild<QLabel *>(u"relayStatus"_s)->text().contains(u"ws://"_s));
}

// The Room detail dock follows the console's connection: it reads the room on it, and says so when
// the connection is gone.
void tst_MainWindow::opensTheRoomDetail()
{
    m_redis->command(
        {"XADD", RelayKeys::historyKey("", "room:ops"), "*", "m", R"({"type":"message","text":"hi"})"});
    auto w = window();
    QVERIFY(w->connectToProfile(profile(), QString()));
    QTRY_VERIFY(w->connectionController()->state() == RedisConnection::State::Ready);
    w->showRoomDetail("room:ops");
    auto *dock = w->findChild<QDockWidget *>(u"roomDock"_s);
    auto *view = w->findChild<RoomDetailView *>();
    QVERIFY(dock && view);
    QTRY_VERIFY(view->isVisible());
    QCOMPARE(view->titleText(), u"Room ops"_s);
    QTRY_VERIFY2(view->historyText().startsWith(u"Messages in the stream: 1"_s),
                 qPrintable(view->historyText()));
    w->connectionController()->disconnectFromServer();
    QCOMPARE(view->historyText(), u"Not connected"_s);
    m_redis->command({"DEL", RelayKeys::historyKey("", "room:ops")});
}

void tst_MainWindow::switchesLanguageAtRunTime()
{
    auto w = window();
    const QString english = w->menuBar()->actions().first()->text();
    QVERIFY(w->languageManager()->setLanguage(u"de"_s));
    QTRY_COMPARE(w->menuBar()->actions().first()->text(), u"&Verbindung"_s);
    QCOMPARE(w->findChild<QDockWidget *>(u"channelsDock"_s)->windowTitle(), u"Kanäle"_s);
    QCOMPARE(w->findChild<QPushButton *>(u"relayStartStop"_s)->text(), u"Relay starten"_s);
    QVERIFY(w->languageManager()->setLanguage(u"en"_s));
    QTRY_COMPARE(w->menuBar()->actions().first()->text(), english);
    QVERIFY(!w->languageManager()->setLanguage(u"xx"_s));
}

void tst_MainWindow::switchesTheme_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("dark");
    QTest::newRow("dark") << int(ThemeManager::Mode::Dark) << true;
    QTest::newRow("light") << int(ThemeManager::Mode::Light) << false;
}

void tst_MainWindow::switchesTheme()
{
    QFETCH(int, mode);
    QFETCH(bool, dark);
    auto w = window();
    w->themeManager()->setMode(ThemeManager::Mode(mode));
    QCOMPARE(w->themeManager()->isDark(), dark);
    QCOMPARE(QApplication::palette().color(QPalette::Window).lightness() < 128, dark);
    w->themeManager()->setMode(ThemeManager::Mode::System);
}

void tst_MainWindow::restoresItsLayout()
{
    {
        auto w = window();
        w->findChild<QDockWidget *>(u"chartsDock"_s)->hide();
        w->close();
    }
    auto w = window();
    w->restoreLayout();
    QVERIFY(!w->findChild<QDockWidget *>(u"chartsDock"_s)->isVisible());
    QVERIFY(w->findChild<QDockWidget *>(u"channelsDock"_s)->isVisible());
}

void tst_MainWindow::privateRedisDiesWithTheWindow()
{
    if (PrivateRedisServer::executable().isEmpty())
        QSKIP("redis-server is not installed");
    quint16 port = 0;
    {
        auto w = window();
        w->startPrivateRedis();
        QTRY_VERIFY_WITH_TIMEOUT(w->connectionController()->state() == RedisConnection::State::Ready, 10000);
        port = quint16(RedisUrl::parse(w->connectionController()->profile().url).port());
        QVERIFY(port != m_redis->port());
    }
    // Closed with the window, without a crash: the port is free again.
    auto portIsFree = [port] {
        QTcpServer probe;
        return probe.listen(QHostAddress::LocalHost, port);
    };
    QTRY_VERIFY(portIsFree());
}

void tst_MainWindow::announcementsNeverUseTheTapConnection()
{
    auto w = window();
    QVERIFY(w->connectToProfile(profile(), QString()));
    QTRY_VERIFY(w->tapController()->isConnected());
    // Redis's own record of every command and the connection it came from.
    QTcpSocket monitor;
    monitor.connectToHost(QHostAddress::LocalHost, m_redis->port());
    QVERIFY(monitor.waitForConnected(5000));
    monitor.write("MONITOR\r\n");
    QByteArray seen;
    QTRY_VERIFY((seen += monitor.readAll(), seen.startsWith("+OK")));

    Announcement a;
    a.text = u"maintenance at noon"_s;
    a.stamp();
    QTRY_COMPARE(w->announcementController()->blocker(a), QString());
    QSignalSpy published(w->announcementController(), &AnnouncementController::published);
    QVERIFY(w->announcementController()->publish(a));
    QVERIFY(published.wait());
    QTRY_VERIFY((seen += monitor.readAll(), seen.contains("\"PUBLISH\"")));

    QByteArray tapAddress;
    for (const QByteArray &line : m_redis->command({"CLIENT", "LIST"}).bytes().split('\n')) {
        if (line.contains("name=switchboard-console:tap "))
            tapAddress = line.mid(line.indexOf(" addr=") + 6).split(' ').first();
    }
    QVERIFY(!tapAddress.isEmpty());
    int publishes = 0;
    for (const QByteArray &line : seen.split('\n')) {
        if (!line.contains("\"PUBLISH\""))
            continue;
        ++publishes;
        QVERIFY2(!line.contains(" " + tapAddress + "]"), line.constData());
    }
    QCOMPARE(publishes, 1);

    // A read-only profile cannot publish at all.
    w->announcementController()->setReadOnly(true);
    QVERIFY(!w->announcementController()->publish(a));
}

// REDIS_URL names a user whose ACL leaves out @dangerous (INFO, CLIENT LIST), as production ACLs
// often do: Redis answered the start-up probe, so the console connects there and does not offer
// a private redis-server instead; the Channels dock says what it cannot read.
void tst_MainWindow::connectsAsAUserWithoutInfo()
{
    QCOMPARE(m_redis
                 ->command({"ACL"_ba, "SETUSER"_ba, "ops"_ba, "reset"_ba, "on"_ba, ">pw"_ba, "~*"_ba, "&*"_ba,
                            "+@all"_ba, "-@dangerous"_ba})
                 .bytes(),
             "OK"_ba);
    qputenv("REDIS_URL", u"redis://ops:pw@127.0.0.1:%1"_s.arg(m_redis->port()).toUtf8());
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"fresh.ini"_s), QSettings::IniFormat); // no last profile
    settings.setValue(u"audit/path"_s, dir.filePath(u"audit.ndjson"_s));
    MainWindow w(&settings, &m_secrets, &m_log);
    w.show();
    w.connectOnStart(false);
    QTRY_VERIFY(w.connectionController()->state() == RedisConnection::State::Ready);
    QCOMPARE(w.connectionController()->profile().username, u"ops"_s);
    QVERIFY(!w.findChild<QWidget *>(u"privateRedisOffer"_s));
    auto *notes = w.findChild<QLabel *>(u"channelNotes"_s);
    QTRY_VERIFY(notes && notes->text().contains("CLIENT LIST"_L1));
    qunsetenv("REDIS_URL");
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"

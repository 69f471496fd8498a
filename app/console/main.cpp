// SPDX-License-Identifier: MIT
#include "keychainsecretstore.h"
#include "logmodel.h"
#include "mainwindow.h"
#include "recordingactions.h"
#include "tapcontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
bool hasDisplay(int argc, char *argv[])
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "-platform") == 0 || qstrncmp(argv[i], "-platform=", 10) == 0)
            return true;
    }
    return qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
           qEnvironmentVariableIsSet("WAYLAND_DISPLAY");
#else
    Q_UNUSED(argc)
    Q_UNUSED(argv)
    return true;
#endif
}
} // namespace

int main(int argc, char *argv[])
{
    if (!hasDisplay(argc, argv)) {
        std::fputs(
            "switchboard: no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n"
            "Run the headless relay with switchboard-relay, or start the console with -platform offscreen.\n",
            stderr);
        return 3;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"switchboard"_s);
    QApplication::setOrganizationName(u"switchboard"_s);
    QApplication::setApplicationDisplayName(u"Switchboard"_s);
    QApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    QApplication::setDesktopFileName(u"switchboard"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Switchboard: operator console for Redis Pub/Sub + WebSocket systems."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption privateRedis(
        u"private-redis"_s, u"When nothing answers at REDIS_URL (or localhost:6379), start a private "
                            "redis-server on a free loopback port without asking."_s);
    const QCommandLineOption settingsFile(
        u"settings"_s, u"Keep settings in <file> (INI) instead of the default."_s, u"file"_s);
    const QCommandLineOption noKeychain(
        u"no-keychain"_s, u"Do not use the system keychain; passwords live for the session only."_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s,
        u"Save a picture of the main window to <file> after --screenshot-delay "
        "seconds, then quit (for documentation)."_s,
        u"file"_s);
    const QCommandLineOption screenshotDelay(
        u"screenshot-delay"_s, u"Seconds before --screenshot (default 8)."_s, u"seconds"_s, u"8"_s);
    const QCommandLineOption relayPort(
        u"relay-port"_s,
        u"Start the embedded relay on <port> once connected (on this Redis, else "
        "in-process)."_s,
        u"port"_s);
    const QCommandLineOption simulate(
        u"simulate"_s, u"With --relay-port: start <n> simulated WebSocket clients chatting in rooms."_s,
        u"n"_s, u"0"_s);
    const QCommandLineOption tap(u"tap"_s, u"Tap <pattern> (e.g. '*') from the start."_s, u"pattern"_s);
    const QCommandLineOption record(
        u"record"_s, u"Record everything the tap receives to <file> (NDJSON) from the start."_s, u"file"_s);
    const QCommandLineOption replay(
        u"replay"_s, u"Replay the recording <file> into the console's Redis once connected."_s, u"file"_s);
    const QCommandLineOption replaySpeed(u"replay-speed"_s,
                                         u"With --replay: 1 (recorded timing), 2, 10 or max (default 1)."_s,
                                         u"speed"_s, u"1"_s);
    const QCommandLineOption room(u"room"_s, u"Open the Room detail of <channel> (e.g. room:lobby)."_s,
                                  u"channel"_s);
    const QCommandLineOption show(
        u"show"_s,
        u"Raise a dock from the start: channels, tap, charts, relay, announce, audit, "
        "log, nodes, room, fleet, ... (repeatable)."_s,
        u"dock"_s);
    parser.addOptions({privateRedis, settingsFile, noKeychain, screenshot, screenshotDelay, relayPort,
                       simulate, tap, record, replay, replaySpeed, room, show});
    parser.process(app);

    std::unique_ptr<QSettings> settings =
        parser.isSet(settingsFile)
            ? std::make_unique<QSettings>(parser.value(settingsFile), QSettings::IniFormat)
            : std::make_unique<QSettings>();
    std::unique_ptr<SecretStore> secrets;
    if (parser.isSet(noKeychain))
        secrets = std::make_unique<MemorySecretStore>();
    else
        secrets = std::make_unique<KeychainSecretStore>(u"switchboard"_s);

    LogModel log;
    LogModel::install(&log);
    int result = 0;
    {
        MainWindow window(settings.get(), secrets.get(), &log);
        window.restoreLayout();
        window.show();
        window.connectOnStart(parser.isSet(privateRedis));
        if (parser.isSet(relayPort)) {
            bool portOk = false;
            bool simOk = false;
            const uint port = parser.value(relayPort).toUInt(&portOk);
            const int clients = parser.value(simulate).toInt(&simOk);
            if (!portOk || port > 65535 || !simOk || clients < 0 || clients > 2000) {
                std::fputs("switchboard: --relay-port needs a port (0-65535) and --simulate 0-2000 clients\n",
                           stderr);
                return 2;
            }
            window.startRelayWhenReady(int(port), clients);
        }
        for (const QString &pattern : parser.values(tap)) {
            if (pattern.contains(u'*') || pattern.contains(u'?') || pattern.contains(u'['))
                window.tapController()->addPattern(pattern.toUtf8());
            else
                window.tapController()->addChannel(pattern.toUtf8());
        }
        if (parser.isSet(record)) {
            QString error;
            if (!window.recordingActions()->record(parser.value(record), &error)) {
                std::fprintf(stderr, "switchboard: --record: %s\n", qPrintable(error));
                return 2;
            }
        }
        if (parser.isSet(replay)) {
            const QString speed = parser.value(replaySpeed);
            const QStringList speeds{u"1"_s, u"2"_s, u"10"_s, u"max"_s};
            if (!speeds.contains(speed)) {
                std::fputs("switchboard: --replay-speed needs 1, 2, 10 or max\n", stderr);
                return 2;
            }
            window.recordingActions()->replayWhenReady(parser.value(replay),
                                                       speed == u"max"_s ? 0 : speed.toDouble());
        }
        if (parser.isSet(room))
            window.showRoomDetail(parser.value(room).toUtf8());
        for (const QString &dock : parser.values(show)) {
            if (!window.showDock(dock)) {
                std::fprintf(stderr, "switchboard: --show: no dock '%s' (try: %s)\n", qPrintable(dock),
                             qPrintable(window.dockNames().join(u", "_s)));
                return 2;
            }
        }
        if (parser.isSet(screenshot)) {
            bool ok = false;
            const double delay = parser.value(screenshotDelay).toDouble(&ok);
            if (!ok || delay < 0) {
                std::fputs("switchboard: --screenshot-delay needs a number of seconds\n", stderr);
                return 2;
            }
            QTimer::singleShot(int(delay * 1000), &window, [&window, file = parser.value(screenshot)] {
                if (!window.grab().save(file))
                    std::fprintf(stderr, "switchboard: cannot write %s\n", qPrintable(file));
                QApplication::quit();
            });
        }
        result = app.exec();
    }
    LogModel::uninstall();
    return result;
}

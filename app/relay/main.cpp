// SPDX-License-Identifier: MIT
#include "epolleventdispatcher.h"
#include "relayapp.h"
#include "redisurl.h"
#include "relaycommandline.h"
#include "unixsignalwatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>

#include <csignal>
#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // Qt's GLib event dispatcher finds a socket notifier by walking a list, and every socket write
    // toggles one: with 10,000 clients that was 2/3 of the relay's time (perf) and a 2.4 s p99 in
    // a 10,000-client room; the UNIX dispatcher keeps them in a hash (p99 0.36 s). See
    // docs/benchmarks.md. An empty QT_NO_GLIB= in the environment keeps the GLib one.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    // That one still hands every socket to ppoll() on every turn: 81% of the relay's time with
    // 5,000 clients in 1,000 rooms. epoll keeps the interest set in the kernel (docs/benchmarks.md).
    if (RelayCommandLine::eventLoopBeforeParsing(argc, argv) == RelayCommandLine::EventLoop::Epoll) {
        auto *dispatcher = new EpollEventDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher);
        else
            delete dispatcher; // Qt's own, as with --event-loop qt
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"switchboard-relay"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
    qSetMessagePattern(u"%{time yyyy-MM-ddThh:mm:ss.zzz} %{if-debug}debug%{endif}%{if-info}info%{endif}"
                       "%{if-warning}warning%{endif}%{if-critical}error%{endif}%{if-fatal}fatal%{endif} "
                       "%{category}: %{message}"_s);

    RelayCommandLine config =
        RelayCommandLine::parse(QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment());
    switch (config.outcome) {
    case RelayCommandLine::Outcome::Help:
        std::fputs(qPrintable(config.message), stdout);
        return 0;
    case RelayCommandLine::Outcome::Version:
        std::printf("switchboard-relay %s\n", SWITCHBOARD_VERSION);
        return 0;
    case RelayCommandLine::Outcome::Error:
        std::fprintf(stderr, "switchboard-relay: %s\nTry 'switchboard-relay --help'.\n",
                     qPrintable(config.message));
        return 2;
    case RelayCommandLine::Outcome::Run:
        break;
    }
    // In auto mode (no --redis, REDIS_URL, REDIS_HOST or REDIS_PORT) the relay looks for a Redis
    // at redis://127.0.0.1:6379, else runs on the in-process bus. This moves where it looks
    // (tests point it at a port they own) without making Redis a configured one.
    if (const QString probe = qEnvironmentVariable("SWITCHBOARD_DEFAULT_REDIS_URL");
        !probe.isEmpty() && config.busMode == RelayCommandLine::BusMode::Auto) {
        QString why;
        const RedisUrl url = RedisUrl::parse(probe, &why);
        if (!url.isValid()) {
            std::fprintf(stderr, "switchboard-relay: SWITCHBOARD_DEFAULT_REDIS_URL: %s\nTry 'switchboard-relay --help'.\n",
                         qPrintable(why));
            return 2;
        }
        config.redis = url;
    }
    if (config.verbose)
        QLoggingCategory::setFilterRules(u"switchboard.*.debug=true"_s);

    RelayApp relay(std::move(config));
    UnixSignalWatcher signals({SIGTERM, SIGINT});
    QObject::connect(&signals, &UnixSignalWatcher::signalReceived, &relay, [&relay] { relay.stop(); });
    QObject::connect(&relay, &RelayApp::exitRequested, &app, [](int code) { QCoreApplication::exit(code); });
    // Started from the event loop, so that an early exit request (port in use) is honoured.
    QMetaObject::invokeMethod(&relay, &RelayApp::start, Qt::QueuedConnection);
    return QCoreApplication::exec();
}

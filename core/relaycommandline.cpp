// SPDX-License-Identifier: MIT
#include "relaycommandline.h"

#include <QCommandLineParser>
#include <QRandomGenerator>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

RelayCommandLine failWith(const QString &message)
{
    RelayCommandLine r;
    r.outcome = RelayCommandLine::Outcome::Error;
    r.message = message;
    return r;
}

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const uint value = text.trimmed().toUInt(&ok);
    if (!ok || value > 65535)
        return false;
    *port = quint16(value);
    return true;
}

} // namespace

RelayCommandLine RelayCommandLine::parse(const QStringList &arguments, const QProcessEnvironment &env)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Switchboard relay: a WebSocket relay over Redis Pub/Sub, compatible "
                                     u"with the seed's Node.js server.\n"
                                     "Environment: PORT, REDIS_URL (or REDIS_HOST / REDIS_PORT)."_s);
    const QCommandLineOption help({u"h"_s, u"help"_s}, u"Show this help."_s);
    const QCommandLineOption version(u"version"_s, u"Show the version."_s);
    const QCommandLineOption port(
        {u"p"_s, u"port"_s}, u"WebSocket port (env PORT, default 3000; 0 picks a free one)."_s, u"port"_s);
    const QCommandLineOption bind({u"b"_s, u"bind"_s}, u"Address to listen on (default: all interfaces)."_s,
                                  u"address"_s);
    const QCommandLineOption redis(
        u"redis"_s,
        u"Redis URL: redis://[user:password@]host[:port][/db], rediss://..., unix:///path (env REDIS_URL)."_s,
        u"url"_s);
    const QCommandLineOption inProcess(u"in-process"_s,
                                       u"Run as a single instance on an in-process bus, without Redis."_s);
    const QCommandLineOption prefix(u"channel-prefix"_s,
                                    u"Prefix for every channel, e.g. app:chat: gives app:chat:room:<id>."_s,
                                    u"prefix"_s);
    const QCommandLineOption instance(
        u"instance-id"_s, u"Unique name of this instance (default: random); [A-Za-z0-9_.-], up to 64."_s,
        u"id"_s);
    const QCommandLineOption ping(u"ping-interval"_s,
                                  u"Seconds between WebSocket pings; a client that misses a pong is closed "
                                  "(default 30, 0 disables)."_s,
                                  u"seconds"_s);
    const QCommandLineOption stats(u"stats-interval"_s,
                                   u"Seconds between the relay's stats heartbeats on switchboard:relays, "
                                   "which the console shows (default 2, 0 disables)."_s,
                                   u"seconds"_s);
    const QCommandLineOption verbose({u"v"_s, u"verbose"_s}, u"Log every connection and subscription."_s);
    parser.addOptions({help, version, port, bind, redis, inProcess, prefix, instance, ping, stats, verbose});

    QStringList args = arguments;
    if (args.isEmpty())
        args.append(u"switchboard-relay"_s);
    if (!parser.parse(args))
        return failWith(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return failWith(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().first()));

    RelayCommandLine r;
    if (parser.isSet(help)) {
        r.outcome = Outcome::Help;
        r.message = parser.helpText();
        return r;
    }
    if (parser.isSet(version)) {
        r.outcome = Outcome::Version;
        return r;
    }
    r.verbose = parser.isSet(verbose);

    const QString portText = parser.isSet(port) ? parser.value(port) : env.value(u"PORT"_s);
    if (!portText.isEmpty() && !parsePort(portText, &r.server.port))
        return failWith(u"%1: invalid port '%2': expected 0-65535"_s.arg(
            parser.isSet(port) ? u"--port"_s : u"PORT"_s, portText));

    if (parser.isSet(bind)) {
        const QString text = parser.value(bind).trimmed();
        if (text == "*"_L1 || text == "any"_L1) {
            r.server.bindAddress = QHostAddress::Any;
        } else if (text == "localhost"_L1) {
            r.server.bindAddress = QHostAddress::LocalHost;
        } else {
            QHostAddress address;
            if (!address.setAddress(text))
                return failWith(
                    u"--bind: '%1' is not an IP address (use 0.0.0.0, ::, 127.0.0.1 or any)"_s.arg(text));
            r.server.bindAddress = address;
        }
    }

    if (parser.isSet(inProcess) && parser.isSet(redis))
        return failWith(u"--in-process and --redis cannot be used together"_s);
    if (parser.isSet(inProcess)) {
        r.busMode = BusMode::InProcess;
    } else if (parser.isSet(redis)) {
        QString error;
        r.redis = RedisUrl::parse(parser.value(redis), &error);
        if (!r.redis.isValid())
            return failWith(u"--redis: "_s + error);
        r.busMode = BusMode::Redis;
    } else {
        QString error;
        r.redis = RedisUrl::fromEnvironment(env, &error);
        if (!r.redis.isValid())
            return failWith(error);
        r.busMode = r.redis.isConfigured() ? BusMode::Redis : BusMode::Auto;
    }

    if (parser.isSet(prefix)) {
        const QString p = parser.value(prefix);
        static const QRegularExpression valid(u"^[\\x21-\\x7e]{1,128}$"_s);
        if (!valid.match(p).hasMatch())
            return failWith(
                u"--channel-prefix: '%1' must be 1-128 printable characters without spaces"_s.arg(p));
        r.server.channelPrefix = p.toUtf8();
    }

    if (parser.isSet(instance)) {
        const QString id = parser.value(instance);
        static const QRegularExpression valid(u"^[A-Za-z0-9_.-]{1,64}$"_s);
        if (!valid.match(id).hasMatch())
            return failWith(u"--instance-id: '%1' must be 1-64 characters of A-Z a-z 0-9 _ . -"_s.arg(id));
        r.server.instanceId = id;
    } else {
        r.server.instanceId = QString::number(QRandomGenerator::global()->generate() | 0x10000000u, 16);
    }

    if (parser.isSet(ping)) {
        bool ok = false;
        const double seconds = parser.value(ping).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 86400 || (seconds > 0 && seconds < 0.01))
            return failWith(
                u"--ping-interval: '%1' must be a number of seconds between 0.01 and 86400, or 0"_s.arg(
                    parser.value(ping)));
        r.server.pingInterval = std::chrono::milliseconds(qint64(seconds * 1000));
    }

    if (parser.isSet(stats)) {
        bool ok = false;
        const double seconds = parser.value(stats).toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 86400 || (seconds > 0 && seconds < 0.01))
            return failWith(
                u"--stats-interval: '%1' must be a number of seconds between 0.01 and 86400, or 0"_s.arg(
                    parser.value(stats)));
        r.statsInterval = std::chrono::milliseconds(qint64(seconds * 1000));
    }
    return r;
}

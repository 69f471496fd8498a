// SPDX-License-Identifier: MIT
#include "relaycommandline.h"

#include "demopagecommandline.h"
#include "jwtverifier.h"
#include "optionreaders.h"
#include "relaypresencecommandline.h"
#include "relaystatecommandline.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QUrl>

#include <QRandomGenerator>
#include <QRegularExpression>
#include <cmath>

using namespace Qt::StringLiterals;
using namespace OptionReaders;

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

// The JWT secret: --jwt-secret-file, else SWITCHBOARD_JWT_SECRET. Never a command-line value.
bool readSecret(const QString &file, const QProcessEnvironment &env, QByteArray *secret, QString *error)
{
    if (!file.isEmpty()) {
        QString why;
        const std::optional<QByteArray> fromFile = JwtVerifier::secretFromFile(file, &why);
        if (!fromFile) {
            *error = u"--jwt-secret-file: "_s + why;
            return false;
        }
        *secret = *fromFile;
        return true;
    }
    if (!env.contains(u"SWITCHBOARD_JWT_SECRET"_s))
        return true;
    *secret = env.value(u"SWITCHBOARD_JWT_SECRET"_s).toUtf8().trimmed();
    if (secret->size() < JwtVerifier::MinSecretFileLength) {
        *error = u"SWITCHBOARD_JWT_SECRET: the JWT secret must be at least %1 bytes (it has %2)"_s
                     .arg(JwtVerifier::MinSecretFileLength)
                     .arg(secret->size());
        return false;
    }
    return true;
}

// Every option of switchboard-relay, in the order of its help text.
struct Options
{
    const QCommandLineOption help{{u"h"_s, u"help"_s}, u"Show this help."_s};
    const QCommandLineOption version{u"version"_s, u"Show the version."_s};
    const QCommandLineOption port{
        {u"p"_s, u"port"_s}, u"WebSocket port (env PORT, default 3000; 0 picks a free one)."_s, u"port"_s};
    const QCommandLineOption bind{
        {u"b"_s, u"bind"_s}, u"Address to listen on (default: all interfaces)."_s, u"address"_s};
    const QCommandLineOption advertise{
        u"advertise-url"_s,
        u"The ws:// or wss:// URL clients reach this relay at, shown in the console's fleet view and "
        "used by its canaries (env SWITCHBOARD_ADVERTISE_URL; default: from --bind and the host name)."_s,
        u"url"_s};
    const QCommandLineOption redis{
        u"redis"_s,
        u"Redis URL: redis://[user:password@]host[:port][/db], rediss://..., unix:///path (env REDIS_URL)."_s,
        u"url"_s};
    const QCommandLineOption redisPingInterval{
        u"redis-ping-interval"_s,
        u"Seconds without anything from Redis before a Redis connection sends a PING (default 5, 0 "
        "disables)."_s,
        u"seconds"_s};
    const QCommandLineOption redisPingTimeout{
        u"redis-ping-timeout"_s,
        u"Seconds to wait for an answer to that PING; without one the connection is dropped and "
        "reconnected, and the subscriber's gap counted (default 5)."_s,
        u"seconds"_s};
    const QCommandLineOption redisProbeInterval{
        u"redis-probe-interval"_s,
        u"Seconds between probes published on <prefix>switchboard:probe:<instance-id> (one per shard on a "
        "sharded Cluster) to prove the subscriber hears what is published (default 5, 0 disables)."_s,
        u"seconds"_s};
    const QCommandLineOption redisProbeTimeout{
        u"redis-probe-timeout"_s,
        u"Seconds a probe Redis acknowledged may take to come back; after that the subscriber is taken "
        "as deaf, its gap counted, and it is made again (on a classic Cluster: on another node; default 3)."_s,
        u"seconds"_s};
    const QCommandLineOption clusterPubSub{
        u"cluster-pubsub"_s,
        u"On a Redis Cluster: sharded (SPUBLISH/SSUBSCRIBE on the shard that owns the channel, the "
        "default) or classic (PUBLISH/SUBSCRIBE, copied to every node: for fleets with classic relays)."_s,
        u"sharded|classic"_s};
    const QCommandLineOption clusterSubscribeOn{
        u"cluster-subscribe-on"_s,
        u"On a Redis Cluster, where the subscriptions are made: primary or replica (sharded: a replica of "
        "the owning shard, which hears its messages a moment after the primary; classic: any replica). "
        "Default: primary when sharded, replica when classic."_s,
        u"primary|replica"_s};
    const QCommandLineOption inProcess{u"in-process"_s,
                                       u"Run as a single instance on an in-process bus, without Redis."_s};
    const QCommandLineOption prefix{u"channel-prefix"_s,
                                    u"Prefix for every channel, e.g. app:chat: gives app:chat:room:<id>."_s,
                                    u"prefix"_s};
    const QCommandLineOption instance{
        u"instance-id"_s, u"Unique name of this instance (default: random); [A-Za-z0-9_.-], up to 64."_s,
        u"id"_s};
    const QCommandLineOption ping{u"ping-interval"_s,
                                  u"Seconds between WebSocket pings; a client that misses a pong is closed "
                                  "(default 30, 0 disables)."_s,
                                  u"seconds"_s};
    const QCommandLineOption stats{u"stats-interval"_s,
                                   u"Seconds between the relay's stats heartbeats on <prefix>switchboard:relays, "
                                   "which the console shows (default 2, 0 disables)."_s,
                                   u"seconds"_s};
    const QCommandLineOption verbose{{u"v"_s, u"verbose"_s}, u"Log every connection and subscription."_s};
    const QCommandLineOption eventLoop{
        u"event-loop"_s,
        u"epoll: the relay's epoll event dispatcher (default); qt: Qt's own, which polls every socket "
        "on every loop turn."_s,
        u"epoll|qt"_s};

    // Limits (docs/security.md).
    const QCommandLineOption maxMessage{u"max-message-bytes"_s,
                                        u"Largest client message; larger closes with 1009 (default 65536)."_s,
                                        u"bytes"_s};
    const QCommandLineOption rate{u"rate-limit"_s,
                                  u"Client messages per second per connection; over it frames are dropped "
                                  "with a rate_limited error (default 100, 0 = unlimited)."_s,
                                  u"per-second"_s};
    const QCommandLineOption burst{u"rate-burst"_s, u"Messages a client may send at once (default 200)."_s,
                                   u"messages"_s};
    const QCommandLineOption grace{u"rate-limit-grace"_s,
                                   u"Seconds a client may stay over the rate limit before it is closed with "
                                   "1008 (default 5)."_s,
                                   u"seconds"_s};
    const QCommandLineOption maxRooms{u"max-rooms"_s, u"Rooms one connection may join (default 100)."_s,
                                      u"n"_s};
    const QCommandLineOption maxConnections{
        u"max-connections"_s, u"Connections this instance accepts; more close with 4013 (default 10000)."_s,
        u"n"_s};
    const QCommandLineOption handshake{
        u"handshake-timeout"_s, u"Seconds to complete the WebSocket handshake (default 10)."_s, u"seconds"_s};
    const QCommandLineOption idle{u"idle-timeout"_s,
                                  u"Close a connection that sends no message for this many seconds with 4002 "
                                  "(default 0 = never)."_s,
                                  u"seconds"_s};
    const QCommandLineOption maxOutbound{
        u"max-outbound-bytes"_s,
        u"Bytes queued for a client that does not read; past it the client is closed with 4001 "
        "(default 1048576)."_s,
        u"bytes"_s};
    const QCommandLineOption roomIds{
        u"room-ids"_s,
        u"strict: room ids are 1-128 of A-Z a-z 0-9 _ . : - (default); seed: any "
        "id up to 128 characters, as the seed's server accepts."_s,
        u"strict|seed"_s};
    const QCommandLineOption queueMessages{
        u"outage-queue-messages"_s,
        u"Publishes kept while Redis is unreachable; beyond it the oldest are dropped (default 10000)."_s,
        u"n"_s};
    const QCommandLineOption queueBytes{
        u"outage-queue-bytes"_s, u"Bytes of publishes kept while Redis is unreachable (default 16777216)."_s,
        u"bytes"_s};
    const QCommandLineOption replayDelay{
        u"replay-delay"_s,
        u"Seconds after reconnecting before queued publishes are replayed, so that the other instances "
        "have resubscribed (default 2.5)."_s,
        u"seconds"_s};

    // Security.
    const QCommandLineOption jwtFile{u"jwt-secret-file"_s,
                                     u"Require an HS256 JWT signed with the secret in this file (or env "
                                     "SWITCHBOARD_JWT_SECRET); at least 32 bytes."_s,
                                     u"file"_s};
    const QCommandLineOption jwtLeeway{
        u"jwt-leeway"_s, u"Seconds of clock skew allowed for exp/nbf (default 0)."_s, u"seconds"_s};
    const QCommandLineOption origins{
        u"allowed-origins"_s,
        u"Comma-separated browser Origins allowed to connect, e.g. "
        "https://app.example.com (env SWITCHBOARD_ALLOWED_ORIGINS; default any)."_s,
        u"list"_s};
    const QCommandLineOption tlsCert{
        u"tls-cert"_s, u"PEM certificate (chain): serve wss:// (needs --tls-key)."_s, u"file"_s};
    const QCommandLineOption tlsKey{u"tls-key"_s, u"PEM private key for --tls-cert."_s, u"file"_s};

    void addTo(QCommandLineParser *parser) const
    {
        parser->addOptions({help, version, port, bind, advertise, redis, redisPingInterval, redisPingTimeout,
                            redisProbeInterval, redisProbeTimeout, clusterPubSub, clusterSubscribeOn,
                            inProcess, prefix, instance, ping, stats, verbose, eventLoop});
        parser->addOptions({maxMessage, rate, burst, grace, maxRooms, maxConnections, handshake, idle,
                            maxOutbound, roomIds, queueMessages, queueBytes, replayDelay, jwtFile, jwtLeeway,
                            origins, tlsCert, tlsKey});
    }
};

// One step of RelayCommandLine::parse(): reads its options into *r, or sets *error.
struct Reader
{
    const QCommandLineParser &parser;
    const Options &o;
    const QProcessEnvironment &env;
    RelayCommandLine *r;
    QString *error;

    bool refuse(const QString &message) const
    {
        *error = message;
        return false;
    }

    bool readEventLoop() const
    {
        r->verbose = parser.isSet(o.verbose);
        if (!parser.isSet(o.eventLoop))
            return true;
        const QString v = parser.value(o.eventLoop);
        if (v == "epoll"_L1)
            r->eventLoop = RelayCommandLine::EventLoop::Epoll;
        else if (v == "qt"_L1)
            r->eventLoop = RelayCommandLine::EventLoop::Qt;
        else
            return refuse(u"--event-loop: '%1' must be epoll or qt"_s.arg(v));
        return true;
    }

    bool readAdvertiseUrl() const
    {
        const QString text = parser.isSet(o.advertise) ? parser.value(o.advertise).trimmed()
                                                       : env.value(u"SWITCHBOARD_ADVERTISE_URL"_s).trimmed();
        if (text.isEmpty())
            return true;
        const QUrl url(text, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1) || url.host().isEmpty())
            return refuse(
                u"--advertise-url: '%1' is not a ws:// or wss:// URL with a host"_s.arg(text.left(200)));
        r->server.advertiseUrl = url;
        return true;
    }

    bool readListen() const
    {
        const QString portText = parser.isSet(o.port) ? parser.value(o.port) : env.value(u"PORT"_s);
        if (!portText.isEmpty() && !parsePort(portText, &r->server.port))
            return refuse(u"%1: invalid port '%2': expected 0-65535"_s.arg(
                parser.isSet(o.port) ? u"--port"_s : u"PORT"_s, portText));
        if (!readAdvertiseUrl())
            return false;
        if (!parser.isSet(o.bind))
            return true;
        const QString text = parser.value(o.bind).trimmed();
        if (text == "*"_L1 || text == "any"_L1) {
            r->server.bindAddress = QHostAddress::Any;
        } else if (text == "localhost"_L1) {
            r->server.bindAddress = QHostAddress::LocalHost;
        } else {
            QHostAddress address;
            if (!address.setAddress(text))
                return refuse(
                    u"--bind: '%1' is not an IP address (use 0.0.0.0, ::, 127.0.0.1 or any)"_s.arg(text));
            r->server.bindAddress = address;
        }
        return true;
    }

    bool readBus() const
    {
        if (parser.isSet(o.inProcess) && parser.isSet(o.redis))
            return refuse(u"--in-process and --redis cannot be used together"_s);
        QString why;
        if (parser.isSet(o.inProcess)) {
            r->busMode = RelayCommandLine::BusMode::InProcess;
        } else if (parser.isSet(o.redis)) {
            r->redis = RedisUrl::parse(parser.value(o.redis), &why);
            if (!r->redis.isValid())
                return refuse(u"--redis: "_s + why);
            r->busMode = RelayCommandLine::BusMode::Redis;
        } else {
            r->redis = RedisUrl::fromEnvironment(env, &why);
            if (!r->redis.isValid())
                return refuse(why);
            r->busMode = r->redis.isConfigured() ? RelayCommandLine::BusMode::Redis
                                                 : RelayCommandLine::BusMode::Auto;
        }
        if (!readCluster())
            return false;
        RedisHeartbeatOptions &heartbeat = r->redisHeartbeat;
        SubscriberProbeOptions &probe = r->outage.probe;
        return readInto(parser, o.redisPingInterval, 0.1, 3600, true, &heartbeat.interval, error) &&
               readInto(parser, o.redisPingTimeout, 0.1, 3600, false, &heartbeat.timeout, error) &&
               readInto(parser, o.redisProbeInterval, 0.1, 3600, true, &probe.interval, error) &&
               readInto(parser, o.redisProbeTimeout, 0.1, 3600, false, &probe.timeout, error);
    }

    // A Cluster-only option with two values: first or second, as *out's a or b.
    template<typename E>
    bool readClusterChoice(const QCommandLineOption &option, QLatin1StringView first, E a,
                           QLatin1StringView second, E b, E *out) const
    {
        if (!parser.isSet(option))
            return true;
        const QString name = option.names().constFirst();
        const QString v = parser.value(option);
        if (v == first)
            *out = a;
        else if (v == second)
            *out = b;
        else
            return refuse(u"--%1: '%2' must be %3 or %4"_s.arg(name, v, first, second));
        if (r->redis.topology() != RedisUrl::Topology::Cluster)
            return refuse(u"--%1 only applies to a Redis Cluster (a redis-cluster:// URL)"_s.arg(name));
        return true;
    }

    bool readCluster() const
    {
        using PubSub = RedisBusOptions::ClusterPubSub;
        using On = RedisBusOptions::ClusterSubscribeOn;
        return readClusterChoice(o.clusterPubSub, "sharded"_L1, PubSub::Sharded, "classic"_L1,
                                 PubSub::Classic, &r->outage.clusterPubSub) &&
               readClusterChoice(o.clusterSubscribeOn, "primary"_L1, On::Primary, "replica"_L1, On::Replica,
                                 &r->outage.clusterSubscribeOn);
    }

    bool readIdentity() const
    {
        if (parser.isSet(o.prefix)) {
            const QString p = parser.value(o.prefix);
            static const QRegularExpression valid(u"^[\\x21-\\x7e]{1,128}$"_s);
            if (!valid.match(p).hasMatch())
                return refuse(
                    u"--channel-prefix: '%1' must be 1-128 printable characters without spaces"_s.arg(p));
            r->server.channelPrefix = p.toUtf8();
        }
        if (parser.isSet(o.instance)) {
            const QString id = parser.value(o.instance);
            static const QRegularExpression valid(u"^[A-Za-z0-9_.-]{1,64}$"_s);
            if (!valid.match(id).hasMatch())
                return refuse(u"--instance-id: '%1' must be 1-64 characters of A-Z a-z 0-9 _ . -"_s.arg(id));
            r->server.instanceId = id;
        } else {
            r->server.instanceId = QString::number(QRandomGenerator::global()->generate() | 0x10000000u, 16);
        }
        return readInto(parser, o.ping, 0.01, 86400, true, &r->server.pingInterval, error) &&
               readInto(parser, o.stats, 0.01, 86400, true, &r->statsInterval, error);
    }

    bool readLimits() const
    {
        RelayLimits &limits = r->server.limits;
        if (!readInto(parser, o.maxMessage, 16, 256.0 * 1024 * 1024, false, &limits.maxMessageBytes, error) ||
            !readInto(parser, o.rate, 0.01, 1e7, true, &limits.messagesPerSecond, error) ||
            !readInto(parser, o.burst, 1, 1e7, false, &limits.messageBurst, error) ||
            !readInto(parser, o.grace, 0, 86400, false, &limits.rateLimitGrace, error) ||
            !readInto(parser, o.maxRooms, 1, 1e6, false, &limits.maxRoomsPerConnection, error) ||
            !readInto(parser, o.maxConnections, 1, 1e7, false, &limits.maxConnections, error) ||
            !readInto(parser, o.handshake, 0.01, 3600, false, &limits.handshakeTimeout, error) ||
            !readInto(parser, o.idle, 0.01, 86400 * 7, true, &limits.idleTimeout, error) ||
            !readInto(parser, o.maxOutbound, 1024, 1024.0 * 1024 * 1024, false, &limits.maxOutboundBytes,
                      error))
            return false;
        if (parser.isSet(o.roomIds)) {
            const QString v = parser.value(o.roomIds);
            if (v == "strict"_L1)
                limits.roomIds = RelayProtocol::RoomIds::Strict;
            else if (v == "seed"_L1)
                limits.roomIds = RelayProtocol::RoomIds::Seed;
            else
                return refuse(u"--room-ids: '%1' must be strict or seed"_s.arg(v));
        }
        RedisBusOptions &outage = r->outage;
        return readInto(parser, o.queueMessages, 0, 1e8, false, &outage.maxQueuedMessages, error) &&
               readInto(parser, o.queueBytes, 0, 64.0 * 1024 * 1024 * 1024, false, &outage.maxQueuedBytes,
                        error) &&
               readInto(parser, o.replayDelay, 0, 3600, false, &outage.replayDelay, error);
    }

    bool readSecurity() const
    {
        if (!readSecret(parser.value(o.jwtFile), env, &r->server.auth.jwtSecret, error) ||
            !readInto(parser, o.jwtLeeway, 0, 3600, false, &r->server.auth.jwtLeeway, error))
            return false;
        const QString originList =
            parser.isSet(o.origins) ? parser.value(o.origins) : env.value(u"SWITCHBOARD_ALLOWED_ORIGINS"_s);
        for (const QString &text : originList.split(u',', Qt::SkipEmptyParts)) {
            const QString origin = text.trimmed();
            const QUrl url(origin, QUrl::StrictMode);
            if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.path().isEmpty())
                return refuse(
                    u"--allowed-origins: '%1' is not an origin (scheme://host[:port], no path)"_s.arg(origin));
            r->server.auth.allowedOrigins.append(origin);
        }
        if (parser.isSet(o.tlsCert) != parser.isSet(o.tlsKey))
            return refuse(u"--tls-cert and --tls-key must be given together"_s);
        if (!parser.isSet(o.tlsCert))
            return true;
        for (const QString &file : {parser.value(o.tlsCert), parser.value(o.tlsKey)}) {
            if (!QFileInfo(file).isReadable())
                return refuse(u"%1: cannot read '%2'"_s.arg(
                    file == parser.value(o.tlsCert) ? u"--tls-cert"_s : u"--tls-key"_s, file));
        }
        r->server.tlsCertificateFile = parser.value(o.tlsCert);
        r->server.tlsKeyFile = parser.value(o.tlsKey);
        return true;
    }
};

} // namespace

RelayCommandLine RelayCommandLine::parse(const QStringList &arguments, const QProcessEnvironment &env)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Switchboard relay: a WebSocket relay over Redis Pub/Sub, compatible "
                                     u"with the seed's Node.js server.\n"
                                     "Environment: PORT, REDIS_URL (or REDIS_HOST / REDIS_PORT)."_s);
    const Options o;
    o.addTo(&parser);
    const RelayStateCommandLine state;
    state.addTo(&parser);
    const AdminCommandLine admin;
    admin.addTo(&parser);
    const RelayPresenceCommandLine presence;
    presence.addTo(&parser);
    const DemoPageCommandLine demoPage;
    demoPage.addTo(&parser);

    QStringList args = arguments;
    if (args.isEmpty())
        args.append(u"switchboard-relay"_s);
    if (!parser.parse(args))
        return failWith(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return failWith(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().first()));

    RelayCommandLine r;
    if (parser.isSet(o.help)) {
        r.outcome = Outcome::Help;
        r.message = parser.helpText();
        return r;
    }
    if (parser.isSet(o.version)) {
        r.outcome = Outcome::Version;
        return r;
    }
    QString error;
    const Reader read{parser, o, env, &r, &error};
    if (!read.readEventLoop() || !read.readListen() || !read.readBus() || !read.readIdentity() ||
        !read.readLimits() || !read.readSecurity() || !state.read(parser, &r.server, &error) ||
        !admin.read(parser, r.server.port, &r.admin, &error) ||
        !presence.read(parser, &r.server, &error))
        return failWith(error);
    demoPage.read(parser, &r.server);
    r.outage.probe.channel = r.server.channelPrefix + "switchboard:probe:" + r.server.instanceId.toUtf8();
    return r;
}

RelayCommandLine::EventLoop RelayCommandLine::eventLoopBeforeParsing(int argc, const char *const *argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "--event-loop=qt" ||
            (arg == "--event-loop" && i + 1 < argc && QByteArrayView(argv[i + 1]) == "qt"))
            return EventLoop::Qt;
    }
    return EventLoop::Epoll;
}

// SPDX-License-Identifier: MIT
#include "relayfixture.h"

#include "localbus.h"
#include "redisbus.h"

using namespace Qt::StringLiterals;

QJsonObject joinFrame(const QJsonValue &room)
{
    return {{u"type"_s, u"join"_s}, {u"roomId"_s, room}};
}

QJsonObject chat(const QString &text, const QJsonValue &room, const QString &user)
{
    QJsonObject o{{u"type"_s, u"message"_s}, {u"user"_s, user}, {u"text"_s, text}};
    if (!room.isUndefined())
        o.insert(u"roomId"_s, room);
    return o;
}

std::function<bool(const QJsonObject &)> textIs(const QString &text)
{
    return [text](const QJsonObject &f) {
        return f.value("type"_L1) == "message"_L1 && f.value("text"_L1) == text;
    };
}

std::function<bool(const QJsonObject &)> joinedTo(const QJsonValue &room)
{
    return [room](const QJsonObject &o) {
        return o.value("type"_L1) == "joined"_L1 && o.value("roomId"_L1) == room;
    };
}

QList<std::pair<QString, QString>> roomMessages(const TestClient *client, const QJsonValue &room)
{
    QList<std::pair<QString, QString>> out;
    for (const QJsonObject &f : client->frames()) {
        if (f.value("type"_L1) == "message"_L1 && f.value("roomId"_L1) == room)
            out.append({f.value("text"_L1).toString(), f.value("offset"_L1).toString()});
    }
    return out;
}

QStringList numbered(const QString &prefix, int from, int to)
{
    QStringList out;
    for (int i = from; i <= to; ++i)
        out.append(prefix + QString::number(i));
    return out;
}

bool offsetLess(const QString &a, const QString &b)
{
    const auto pa = a.split(u'-'), pb = b.split(u'-');
    const qulonglong ma = pa.value(0).toULongLong(), mb = pb.value(0).toULongLong();
    return ma < mb || (ma == mb && pa.value(1).toULongLong() < pb.value(1).toULongLong());
}

bool RelayFixture::init()
{
    m_redis = std::make_unique<RedisServer>();
    if (m_redis->start())
        return true;
    qWarning("%s", qPrintable(m_redis->errorString()));
    return false;
}

void RelayFixture::releaseAndFlush()
{
    releaseRelays();
    if (m_redis)
        m_redis->command({"FLUSHALL"});
}

TestCluster *RelayFixture::cluster()
{
    if (!m_cluster) {
        m_cluster = std::make_unique<TestCluster>(3, 0);
        if (!m_cluster->start()) {
            qWarning("%s", qPrintable(m_cluster->errorString()));
            m_cluster.reset();
        }
    }
    return m_cluster.get();
}

void RelayFixture::cleanup()
{
    releaseRelays();
    m_cluster.reset();
    m_redis.reset();
}

void RelayFixture::releaseRelays()
{
    qDeleteAll(m_owned);
    m_owned.clear();
}

RelayFixture::Instance RelayFixture::startRelay(const QString &instanceId, const QByteArray &prefix,
                                                std::chrono::milliseconds ping, bool inProcess,
                                                const RelayLimits &limits)
{
    RelayServerOptions so;
    so.instanceId = instanceId;
    so.channelPrefix = prefix;
    so.pingInterval = ping;
    so.limits = limits;
    RelayServer *server = startRelayWith(so, inProcess);
    return {server->bus(), server};
}

RelayServer *RelayFixture::startRelayWith(RelayServerOptions options, bool inProcess)
{
    return startRelayOn(std::move(options), inProcess ? QString() : m_redis->url());
}

RelayServer *RelayFixture::startRelayOn(RelayServerOptions options, const QString &redisUrl,
                                        const RedisBusOptions &busOptions)
{
    MessageBus *bus = nullptr;
    if (redisUrl.isEmpty()) {
        bus = new LocalBus;
    } else {
        RedisConnectionOptions o;
        o.url = RedisUrl::parse(redisUrl);
        if (!options.instanceId.isEmpty())
            o.clientName = u"switchboard-relay:"_s + options.instanceId;
        bus = new RedisBus(o, busOptions);
    }
    m_owned.append(bus);
    bus->start();
    options.bindAddress = QHostAddress::LocalHost;
    options.port = 0;
    auto *server = new RelayServer(options, bus);
    m_owned.prepend(server); // deleted before its bus
    if (!server->listen())
        qWarning("listen failed");
    return server;
}

TestClient *RelayFixture::connectTo(const Instance &relay)
{
    return connectTo(relay.server->url());
}

TestClient *RelayFixture::connectTo(const QUrl &url)
{
    auto *c = new TestClient;
    m_owned.prepend(c);
    if (!c->open(url))
        qWarning("client could not connect");
    return c;
}

qint64 RelayFixture::numsub(const QByteArray &channel) const
{
    const RedisValue r = m_redis->command({"PUBSUB", "NUMSUB", channel});
    return r.elements().size() == 2 ? r.elements()[1].toInteger() : -1;
}

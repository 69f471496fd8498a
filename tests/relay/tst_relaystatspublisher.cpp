// SPDX-License-Identifier: MIT
#include "redisbus.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relayserver.h"
#include "relaystatspublisher.h"
#include "testclient.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class tst_RelayStatsPublisher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void publishesChannelsAndClients();
    void stoppedMessage();
    void intervalZeroIsOff();
    void heartbeatIsLatestOnlyDuringAnOutage();
    void heartbeatGoesUnderTheChannelPrefix();

private:
    RelayServer *startRelay(const QString &instanceId, const QByteArray &prefix = {},
                            const RedisBusOptions &busOptions = {}, const QString &url = {});
    TestClient *connectTo(RelayServer *relay);
    QJsonObject nextMessage(QSignalSpy &spy, const QString &type);

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<RedisSubscriber> m_listener;
    QList<QObject *> m_owned;
};

void tst_RelayStatsPublisher::init()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.reconnectMaxDelay = 100ms; // back well within a relay's replay delay after an outage
    m_listener = std::make_unique<RedisSubscriber>(o);
    m_listener->subscribe(RelayStatsPublisher::channel());
    m_listener->open();
    QTRY_VERIFY(m_listener->isSubscribed(RelayStatsPublisher::channel()));
}

void tst_RelayStatsPublisher::cleanup()
{
    qDeleteAll(m_owned);
    m_owned.clear();
    m_listener.reset();
    m_redis.reset();
}

RelayServer *tst_RelayStatsPublisher::startRelay(const QString &instanceId, const QByteArray &prefix,
                                                 const RedisBusOptions &busOptions, const QString &url)
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(url.isEmpty() ? m_redis->url() : url);
    o.clientName = u"switchboard-relay:"_s + instanceId;
    auto *bus = new RedisBus(o, busOptions);
    m_owned.append(bus);
    bus->start();
    RelayServerOptions so;
    so.bindAddress = QHostAddress::LocalHost;
    so.port = 0;
    so.instanceId = instanceId;
    so.channelPrefix = prefix;
    auto *server = new RelayServer(so, bus);
    m_owned.prepend(server);
    if (!server->listen())
        qWarning("listen failed");
    return server;
}

TestClient *tst_RelayStatsPublisher::connectTo(RelayServer *relay)
{
    auto *c = new TestClient;
    m_owned.prepend(c);
    if (!c->open(relay->url()))
        qWarning("client could not connect");
    return c;
}

QJsonObject tst_RelayStatsPublisher::nextMessage(QSignalSpy &spy, const QString &type)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        while (!spy.isEmpty()) {
            const auto args = spy.takeFirst();
            const QJsonObject o = QJsonDocument::fromJson(args.at(1).toByteArray()).object();
            if (o.value("type"_L1).toString() == type)
                return o;
        }
        if (!spy.wait(5000))
            break;
    }
    return {};
}

void tst_RelayStatsPublisher::publishesChannelsAndClients()
{
    RelayServer *relay = startRelay(u"r1"_s, "app:"_ba);
    m_listener->subscribe("app:switchboard:relays");
    QTRY_VERIFY(m_listener->isSubscribed("app:switchboard:relays"));
    TestClient *a = connectTo(relay);
    TestClient *b = connectTo(relay);
    connectTo(relay);
    QVERIFY(a->join(1));
    QVERIFY(b->join(1));
    QVERIFY(b->join(u"blue"_s));

    QSignalSpy messages(m_listener.get(), &RedisSubscriber::message);
    RelayStatsPublisher publisher(relay, 100ms);
    QCOMPARE(publisher.interval(), 100ms);
    publisher.start();
    const QJsonObject first = nextMessage(messages, u"relay-stats"_s);
    QCOMPARE(first.value("instance"_L1).toString(), u"r1"_s);
    QCOMPARE(first.value("prefix"_L1).toString(), u"app:"_s);
    QCOMPARE(first.value("clients"_L1).toInt(), 3);
    QCOMPARE(first.value("interval"_L1).toInt(), 100);
    QVERIFY(first.value("url"_L1).toString().startsWith("ws://"_L1));
    QVERIFY(qAbs(first.value("at"_L1).toInteger() - QDateTime::currentMSecsSinceEpoch()) < 60000);
    const QJsonObject channels = first.value("channels"_L1).toObject();
    QCOMPARE(channels.value("app:broadcast"_L1).toInt(), 3);
    QCOMPARE(channels.value("app:room:1"_L1).toInt(), 2);
    QCOMPARE(channels.value("app:room:blue"_L1).toInt(), 1);
    QCOMPARE(channels.size(), 3);

    // Periodic: the next heartbeats follow the membership.
    b->close();
    QTRY_COMPARE(relay->clientCount(), 2);
    QJsonObject later;
    QTRY_VERIFY_WITH_TIMEOUT((later = nextMessage(messages, u"relay-stats"_s),
                              later.value("channels"_L1).toObject().value("app:room:1"_L1).toInt() == 1),
                             5000);
    QVERIFY(!later.value("channels"_L1).toObject().contains("app:room:blue"_L1));
    QVERIFY(publisher.publishedCount() >= 2);
}

void tst_RelayStatsPublisher::stoppedMessage()
{
    RelayServer *relay = startRelay(u"r2"_s);
    QSignalSpy messages(m_listener.get(), &RedisSubscriber::message);
    RelayStatsPublisher publisher(relay, 10s);
    publisher.start();
    QVERIFY(!nextMessage(messages, u"relay-stats"_s).isEmpty());
    publisher.publishStopped();
    QVERIFY(!publisher.isActive());
    const QJsonObject stopped = nextMessage(messages, u"relay-stopped"_s);
    QCOMPARE(stopped.value("instance"_L1).toString(), u"r2"_s);
}

void tst_RelayStatsPublisher::intervalZeroIsOff()
{
    RelayServer *relay = startRelay(u"r3"_s);
    RelayStatsPublisher publisher(relay, 0ms);
    publisher.start();
    QVERIFY(!publisher.isActive());
    QCOMPARE(publisher.publishedCount(), 0u);
    // The payload is still well-formed for a manual publish.
    const QJsonObject o = QJsonDocument::fromJson(publisher.statsPayload()).object();
    QCOMPARE(o.value("type"_L1).toString(), u"relay-stats"_s);
    QCOMPARE(o.value("channels"_L1).toObject().value("broadcast"_L1).toInt(), 0);
    // The protection counters and the bus's outage figures travel with it.
    const QJsonObject protection = o.value("protection"_L1).toObject();
    for (const char *key :
         {"oversizeCloses", "rateLimitedFrames", "rateLimitCloses", "slowConsumerCloses", "idleCloses",
          "connectionsRefused", "authFailures", "originsRefused", "forbidden", "duplicatesDropped",
          "handshakesRefused", "oversizeBusMessages", "userMismatches", "tokenExpiredCloses", "subscribeRefusals"})
        QVERIFY2(protection.value(QLatin1StringView(key)).isDouble(), key);
    const QJsonObject bus = o.value("bus"_L1).toObject();
    for (const char *key :
         {"pendingPublishes", "publishFailures", "replayed", "dropped", "subscriberGaps", "subscriberGapMs"})
        QVERIFY2(bus.value(QLatin1StringView(key)).isDouble(), key);
    // And what the relay keeps beside Pub/Sub: off here.
    const QJsonObject state = o.value("state"_L1).toObject();
    QCOMPARE(state.value("historySize"_L1).toInteger(-1), 0);
    QCOMPARE(state.value("sessions"_L1), QJsonValue(false));
    QCOMPARE(state.value("presence"_L1), QJsonValue(false));
    for (const char *key : {"sessionsCreated", "resumes", "resumesUnknown", "resumesFailed", "recoveries",
                            "recoveriesFailed", "recoveriesIncomplete", "recoveredMessages",
                            "presenceQueries", "presenceEvents", "presenceEventsDropped", "presenceFailures"})
        QVERIFY2(state.value(QLatin1StringView(key)).isDouble(), key);
}

void tst_RelayStatsPublisher::heartbeatIsLatestOnlyDuringAnOutage()
{
    RedisBusOptions bo;
    bo.maxQueuedMessages = 20;
    bo.replayDelay = 1s;
    RelayServer *relay = startRelay(u"r4"_s, {}, bo);
    auto *bus = qobject_cast<RedisBus *>(relay->bus());
    QVERIFY(bus);
    m_listener->subscribe("room:chat");
    QTRY_VERIFY(m_listener->isSubscribed("room:chat") && bus->isConnected());
    QSignalSpy messages(m_listener.get(), &RedisSubscriber::message);
    RelayStatsPublisher publisher(relay, 50ms);

    m_redis->stop();
    QTRY_VERIFY(!bus->isConnected());
    // Client messages fill the outage queue exactly; heartbeats follow.
    constexpr int N = 20;
    for (int i = 0; i < N; ++i)
        bus->publish("room:chat", QByteArray::number(i));
    publisher.start();
    QTRY_VERIFY(publisher.publishedCount() >= 6);
    publisher.stop();
    connectTo(relay); // the newest heartbeat is the only one that counts a client
    QTRY_COMPARE(relay->clientCount(), 1);
    publisher.publishNow();
    QCOMPARE(bus->stats().dropped, 0u);
    QCOMPARE(bus->pendingPublishes(), N);

    QVERIFY(m_redis->start());
    QTRY_COMPARE_WITH_TIMEOUT(bus->pendingPublishes(), 0, 10000);
    bus->publish("room:chat", "end"); // after the replay: Redis orders it behind everything before
    QByteArrayList chat;
    QList<QJsonObject> heartbeats;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const auto &args : std::as_const(messages)) {
                if (args.at(0).toByteArray() == "room:chat")
                    chat.append(args.at(1).toByteArray());
                else
                    heartbeats.append(QJsonDocument::fromJson(args.at(1).toByteArray()).object());
            }
            messages.clear();
            return !chat.isEmpty() && chat.last() == "end";
        }(),
        10000);
    QCOMPARE(chat.size(), N + 1);
    for (int i = 0; i < N; ++i)
        QCOMPARE(chat.at(i), QByteArray::number(i));
    QCOMPARE(heartbeats.size(), 1);
    QCOMPARE(heartbeats.first().value("clients"_L1).toInt(), 1);
    QCOMPARE(bus->stats().dropped, 0u);
}

void tst_RelayStatsPublisher::heartbeatGoesUnderTheChannelPrefix()
{
    // The user docs/deployment.md recommends for a fleet with a prefix: its channels only.
    const RedisValue acl = m_redis->command({"ACL", "SETUSER", "relay", "on", ">pw", "resetchannels", "&app:*",
                                             "-@all", "+publish", "+subscribe", "+unsubscribe", "+ping",
                                             "+select", "+client|setname"});
    QVERIFY2(!acl.isError(), acl.bytes().constData());
    QUrl url(m_redis->url());
    url.setUserName(u"relay"_s);
    url.setPassword(u"pw"_s);
    RelayServer *relay = startRelay(u"prefixed"_s, "app:"_ba, {}, url.toString());
    auto *bus = qobject_cast<RedisBus *>(relay->bus());
    m_listener->subscribe("app:switchboard:relays");
    QTRY_VERIFY(m_listener->isSubscribed("app:switchboard:relays") && bus->isConnected());
    QSignalSpy messages(m_listener.get(), &RedisSubscriber::message);

    RelayStatsPublisher publisher(relay, 10s);
    publisher.start();
    QTRY_VERIFY(!messages.isEmpty());
    QCOMPARE(messages.first().at(0).toByteArray(), "app:switchboard:relays"_ba);
    const QJsonObject o = QJsonDocument::fromJson(messages.first().at(1).toByteArray()).object();
    QCOMPARE(o.value("instance"_L1).toString(), u"prefixed"_s);
    publisher.publishStopped();
    QTRY_COMPARE(messages.size(), 2);
    QCOMPARE(messages.last().at(0).toByteArray(), "app:switchboard:relays"_ba);
    QCOMPARE(bus->stats().publishFailures, 0u);
}

QTEST_MAIN(tst_RelayStatsPublisher)
#include "tst_relaystatspublisher.moc"

// SPDX-License-Identifier: MIT
#pragma once

#include "redisbus.h"
#include "redisserver.h"
#include "relayserver.h"
#include "testclient.h"
#include "testcluster.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <chrono>
#include <functional>
#include <memory>

// Frames the relay tests send and match.
QJsonObject joinFrame(const QJsonValue &room);
QJsonObject chat(const QString &text, const QJsonValue &room = QJsonValue::Undefined,
                 const QString &user = QStringLiteral("u"));
std::function<bool(const QJsonObject &)> textIs(const QString &text);
std::function<bool(const QJsonObject &)> joinedTo(const QJsonValue &room);
// The (text, offset) of every message of room a client received, in order.
QList<std::pair<QString, QString>> roomMessages(const TestClient *client, const QJsonValue &room);
// prefix + from, ..., prefix + to.
QStringList numbered(const QString &prefix, int from, int to);
// a < b for history offsets ("<ms>-<seq>").
bool offsetLess(const QString &a, const QString &b);

// RelayServers on real buses for one test function: a private redis-server started by init()
// (call it from the test's init slot), relays bound to 127.0.0.1 on free ports, WebSocket
// clients; cleanup() deletes clients, then relays, then buses, then stops Redis.
class RelayFixture
{
public:
    struct Instance
    {
        MessageBus *bus = nullptr;
        RelayServer *server = nullptr;
    };

    bool init();
    void cleanup();
    // Deletes the clients, relays and buses of one test function; Redis keeps running (for a
    // fixture started once per binary: init() in initTestCase, cleanup() in cleanupTestCase).
    void releaseRelays();
    // releaseRelays(), then FLUSHALL: a test function's cleanup for a fixture shared per binary.
    void releaseAndFlush();
    // A 3-primary Cluster started on first use and kept until cleanup(); nullptr (with a
    // warning) when it cannot start.
    TestCluster *cluster();

    Instance startRelay(const QString &instanceId, const QByteArray &prefix = {},
                        std::chrono::milliseconds ping = std::chrono::seconds(30), bool inProcess = false,
                        const RelayLimits &limits = {});
    Instance startRelay(const QString &instanceId, const RelayLimits &limits)
    {
        return startRelay(instanceId, {}, std::chrono::seconds(30), false, limits);
    }
    // A relay with its own options (bound to 127.0.0.1, port 0) on a new bus.
    RelayServer *startRelayWith(RelayServerOptions options, bool inProcess = false);
    // The same on a Redis bus to redisUrl (an ACL user's URL, say).
    RelayServer *startRelayOn(RelayServerOptions options, const QString &redisUrl,
                              const RedisBusOptions &busOptions = {});
    TestClient *connectTo(const Instance &relay);
    // A client of any URL (a token in the query, for example).
    TestClient *connectTo(const QUrl &url);
    qint64 numsub(const QByteArray &channel) const;

protected:
    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<TestCluster> m_cluster;
    // Deleted front to back: clients and servers are prepended, buses appended.
    QList<QObject *> m_owned;
};

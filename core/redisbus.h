// SPDX-License-Identifier: MIT
#pragma once

#include "messagebus.h"
#include "redisconnection.h"

#include <QTimer>

class RedisSubscriber;

// Redis Pub/Sub as a MessageBus: one connection publishes (pipelined), another subscribes.
class RedisBus : public MessageBus
{
    Q_OBJECT
public:
    // Both connections get clientName (CLIENT SETNAME) so operators can tell relays apart.
    RedisBus(const RedisConnectionOptions &options, QObject *parent = nullptr);

    void start() override;
    void stop() override;
    void publish(const QByteArray &channel, const QByteArray &payload) override;
    void subscribe(const QByteArray &channel) override;
    void unsubscribe(const QByteArray &channel) override;
    bool isSubscribed(const QByteArray &channel) const override;
    bool isConnected() const override;
    QString description() const override;

    RedisConnection *publisher() const { return m_publisher; }
    RedisSubscriber *subscriber() const { return m_subscriber; }
    quint64 publishFailures() const { return m_publishFailures; }

private:
    void updateConnected();

    RedisConnection *m_publisher;
    RedisSubscriber *m_subscriber;
    QTimer m_stopTimer;
    bool m_connected = false;
    bool m_stopping = false;
    quint64 m_publishFailures = 0;
};

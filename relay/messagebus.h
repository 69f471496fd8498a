// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

// What a relay publishes to and subscribes on: Redis Pub/Sub (RedisBus) or, for a single
// instance with no Redis, an in-process bus (LocalBus). Subscriptions are reference-counted.
class MessageBus : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual void start() = 0;
    // Flushes what was published, drops subscriptions, then emits stopped().
    virtual void stop() = 0;
    virtual void publish(const QByteArray &channel, const QByteArray &payload) = 0;
    // Sends what publish() buffered now instead of at the next loop turn.
    virtual void flush() {}
    virtual void subscribe(const QByteArray &channel) = 0;
    virtual void unsubscribe(const QByteArray &channel) = 0;
    // Confirmed by the bus: a message published from now on will be delivered.
    virtual bool isSubscribed(const QByteArray &channel) const = 0;
    virtual bool isConnected() const = 0;
    // For logs and the console: "redis redis://host:6379" or "in-process".
    virtual QString description() const = 0;

Q_SIGNALS:
    void message(const QByteArray &channel, const QByteArray &payload);
    void subscribed(const QByteArray &channel);
    void connectedChanged(bool connected);
    void stopped();
};

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
    // For state where only the newest version matters (the stats heartbeat): kept apart from
    // publish()'s messages, never counted against their bounds or among their drops. While the bus
    // cannot send, or the previous one on channel is not yet acknowledged, only the newest waits.
    virtual void publishLatest(const QByteArray &channel, const QByteArray &payload)
    {
        publish(channel, payload);
    }
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
    // Redis refused to subscribe to channel (an ACL's NOPERM, say), also when resubscribing after
    // a reconnect. The subscription is released: every reference to it is dropped (a later
    // unsubscribe() of it does nothing), nothing is retried, and a later subscribe() asks again.
    // code is the first word of Redis's error ("NOPERM"), message its whole text. LocalBus never
    // emits it.
    void subscribeFailed(const QByteArray &channel, const QString &code, const QString &message);
    void connectedChanged(bool connected);
    void stopped();
};

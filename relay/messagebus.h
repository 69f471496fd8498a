// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>

// A room's history as a bus keeps it (docs/protocol.md, "History and recovery").
struct BusHistory
{
    QByteArray keyPrefix; // RelayKeys' prefix: the relay's channel prefix
    qsizetype size = 0;   // entries per channel; 0 = no history
    std::chrono::seconds ttl{0};
};

// A page of a channel's history after an offset, oldest first, each payload as delivered (with
// its offset); fewer than asked = the end of the stream.
struct HistoryPage
{
    enum class Status { Ok, Trimmed, Reset, Off, Failed };
    Status status = Status::Off;
    QList<QByteArray> payloads;
    QString error; // Failed: what went wrong
};

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
    // History: off until set. publishRecorded() appends payload (a JSON object) to channel's
    // history and publishes it with ,"offset":"<offset>" before its closing brace, in one step, so
    // the history's order is the delivery order. origin and seq (rising per origin) make a copy
    // sent again after a lost reply a no-op.
    virtual void setHistory(const BusHistory &) {}
    virtual bool hasHistory() const { return false; }
    virtual void publishRecorded(const QByteArray &channel, const QByteArray &payload,
                                 const QByteArray &origin, quint64 seq)
    {
        Q_UNUSED(origin);
        Q_UNUSED(seq);
        publish(channel, payload);
    }
    // The entries after since (an offset), at most count; done runs on context's thread, never
    // before this returns, and not at all once context is gone.
    using HistoryCallback = std::function<void(const HistoryPage &)>;
    virtual void readHistory(const QByteArray &channel, const QByteArray &since, int count, QObject *context,
                             HistoryCallback done)
    {
        Q_UNUSED(channel);
        Q_UNUSED(since);
        Q_UNUSED(count);
        QTimer::singleShot(0, context, [done = std::move(done)] { done(HistoryPage{}); });
    }
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

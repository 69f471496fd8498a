// SPDX-License-Identifier: MIT
#pragma once

#include "redisbuslink.h"

class RedisSubscriber;

// One Redis server (standalone, or a Sentinel's primary): a connection that publishes
// (pipelined) and another that subscribes.
class RedisServerLink : public RedisBusLink
{
    Q_OBJECT
public:
    // Both connections get options' clientName (CLIENT SETNAME).
    explicit RedisServerLink(const RedisConnectionOptions &options, QObject *parent = nullptr);

    void open() override;
    void close() override;
    bool isPublisherReady() const override;
    bool isPublisherClosed() const override;
    QString publisherError() const override;
    void publish(const QByteArray &channel, const QByteArray &payload, QObject *context,
                 ReplyCallback callback) override;
    void keyCommand(const QByteArray &key, const QByteArrayList &args, QObject *context,
                    ReplyCallback callback) override;
    void flush() override;
    void subscribe(const QByteArray &channel) override;
    void unsubscribe(const QByteArray &channel) override;
    bool isSubscribed(const QByteArray &channel) const override;
    bool isSubscriberReady() const override;
    bool isSubscriberClosed() const override;
    bool isSubscriberSettled() const override;
    QString subscriberError() const override;
    QString description() const override;
    void recoverSubscriber(const QByteArray &channel, const QString &why) override;

    RedisConnection *publisher() const { return m_publisher; }
    RedisSubscriber *subscriber() const { return m_subscriber; }

private:
    RedisConnection *m_publisher;
    RedisSubscriber *m_subscriber;
};

// SPDX-License-Identifier: MIT
#include "redisserverlink.h"

#include "redissubscriber.h"

using namespace Qt::StringLiterals;

RedisServerLink::RedisServerLink(const RedisConnectionOptions &options, QObject *parent)
    : RedisBusLink(parent)
    , m_publisher(new RedisConnection(options, this))
    , m_subscriber(new RedisSubscriber(options, this))
{
    connect(m_publisher, &RedisConnection::stateChanged, this, &RedisBusLink::publisherStateChanged);
    connect(m_subscriber->connection(), &RedisConnection::stateChanged, this, &RedisBusLink::subscriberStateChanged);
    connect(m_subscriber, &RedisSubscriber::message, this, &RedisBusLink::message);
    connect(m_subscriber, &RedisSubscriber::subscribed, this, &RedisBusLink::subscribed);
    connect(m_subscriber, &RedisSubscriber::subscribeFailed, this, &RedisBusLink::subscribeFailed);
    connect(m_subscriber, &RedisSubscriber::resubscribed, this, &RedisBusLink::resubscribed);
}

void RedisServerLink::open()
{
    m_publisher->open();
    m_subscriber->open();
}

void RedisServerLink::close()
{
    m_publisher->close();
    m_subscriber->close();
}

bool RedisServerLink::isPublisherReady() const
{
    return m_publisher->isReady();
}

bool RedisServerLink::isPublisherClosed() const
{
    return m_publisher->state() == RedisConnection::State::Closed;
}

QString RedisServerLink::publisherError() const
{
    return m_publisher->lastError();
}

void RedisServerLink::publish(const QByteArray &channel, const QByteArray &payload, QObject *context,
                              ReplyCallback callback)
{
    m_publisher->command({"PUBLISH"_ba, channel, payload}, context, std::move(callback));
}

void RedisServerLink::keyCommand(const QByteArray &, const QByteArrayList &args, QObject *context,
                                 ReplyCallback callback)
{
    m_publisher->command(args, context, std::move(callback));
}

void RedisServerLink::flush()
{
    m_publisher->flush();
}

void RedisServerLink::subscribe(const QByteArray &channel)
{
    m_subscriber->subscribe(channel);
}

void RedisServerLink::unsubscribe(const QByteArray &channel)
{
    m_subscriber->unsubscribe(channel);
}

bool RedisServerLink::isSubscribed(const QByteArray &channel) const
{
    return m_subscriber->isSubscribed(channel);
}

bool RedisServerLink::isSubscriberReady() const
{
    return m_subscriber->connection()->isReady();
}

bool RedisServerLink::isSubscriberClosed() const
{
    return m_subscriber->connection()->state() == RedisConnection::State::Closed;
}

bool RedisServerLink::isSubscriberSettled() const
{
    return m_subscriber->isSettled();
}

QString RedisServerLink::subscriberError() const
{
    return m_subscriber->connection()->lastError();
}

QString RedisServerLink::description() const
{
    return u"Redis at "_s + m_publisher->options().url.toDisplayString();
}

void RedisServerLink::recoverSubscriber(const QByteArray &, const QString &why)
{
    m_subscriber->connection()->reconnect(why);
}

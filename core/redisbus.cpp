// SPDX-License-Identifier: MIT
#include "redisbus.h"

#include "logging.h"
#include "redissubscriber.h"

using namespace Qt::StringLiterals;

RedisBus::RedisBus(const RedisConnectionOptions &options, QObject *parent)
    : MessageBus(parent)
    , m_publisher(new RedisConnection(options, this))
    , m_subscriber(new RedisSubscriber(options, this))
{
    connect(m_subscriber, &RedisSubscriber::message, this, &MessageBus::message);
    connect(m_subscriber, &RedisSubscriber::subscribed, this, &MessageBus::subscribed);
    connect(m_publisher, &RedisConnection::stateChanged, this, &RedisBus::updateConnected);
    connect(m_subscriber->connection(), &RedisConnection::stateChanged, this, &RedisBus::updateConnected);
}

void RedisBus::start()
{
    m_publisher->open();
    m_subscriber->open();
}

void RedisBus::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_subscriber->connection()->isReady()) {
        m_subscriber->connection()->command({"UNSUBSCRIBE"_ba});
        m_subscriber->connection()->command({"PUNSUBSCRIBE"_ba});
    }
    auto finish = [this] {
        if (!m_stopping)
            return;
        m_stopping = false;
        m_stopTimer.stop();
        m_publisher->close();
        m_subscriber->close();
        Q_EMIT stopped();
    };
    // Replies come in order: once PING is answered, every PUBLISH before it has reached Redis.
    if (m_publisher->isReady()) {
        m_publisher->command({"PING"_ba}, this, [finish](const RedisValue &) { finish(); });
        m_stopTimer.setSingleShot(true);
        m_stopTimer.callOnTimeout(this, finish);
        m_stopTimer.start(std::chrono::milliseconds(500));
    } else {
        QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
    }
}

void RedisBus::publish(const QByteArray &channel, const QByteArray &payload)
{
    m_publisher->command({"PUBLISH"_ba, channel, payload}, this, [this, channel](const RedisValue &reply) {
        if (reply.isError()) {
            ++m_publishFailures;
            qCWarning(lcBus).noquote() << "PUBLISH to" << QString::fromUtf8(channel)
                                       << "failed:" << QString::fromUtf8(reply.bytes());
        }
    });
}

void RedisBus::subscribe(const QByteArray &channel)
{
    m_subscriber->subscribe(channel);
}

void RedisBus::unsubscribe(const QByteArray &channel)
{
    m_subscriber->unsubscribe(channel);
}

bool RedisBus::isSubscribed(const QByteArray &channel) const
{
    return m_subscriber->isSubscribed(channel);
}

bool RedisBus::isConnected() const
{
    return m_publisher->isReady() && m_subscriber->connection()->isReady();
}

QString RedisBus::description() const
{
    return u"Redis at "_s + m_publisher->options().url.toDisplayString();
}

void RedisBus::updateConnected()
{
    const bool now = isConnected();
    if (now == m_connected)
        return;
    m_connected = now;
    if (now)
        qCInfo(lcBus).noquote() << "bus connected:" << description();
    else if (m_stopping || m_publisher->state() == RedisConnection::State::Closed)
        qCInfo(lcBus).noquote() << "bus closed:" << description();
    else
        qCWarning(lcBus).noquote() << "bus outage:" << description() << "-"
                                   << (m_publisher->lastError().isEmpty()
                                           ? m_subscriber->connection()->lastError()
                                           : m_publisher->lastError());
    Q_EMIT connectedChanged(now);
}

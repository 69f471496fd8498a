// SPDX-License-Identifier: MIT
#include "subscriberprobe.h"

#include "redisbuslink.h"
#include "redisconnection.h"

#include <QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

SubscriberProbe::SubscriberProbe(RedisBusLink *link, SubscriberProbeOptions options, QObject *parent)
    : QObject(parent)
    , m_link(link)
    , m_options(std::move(options))
{
    m_timer.setInterval(m_options.interval);
    connect(&m_timer, &QTimer::timeout, this, &SubscriberProbe::round);
    // A token sent before a drop the subscriber noticed is lost for a known reason.
    connect(m_link, &RedisBusLink::subscriberStateChanged, this, [this] {
        if (!m_link->isSubscriberReady())
            cancelOutstanding();
    });
}

void SubscriberProbe::start()
{
    if (m_running || m_options.channel.isEmpty() || m_options.interval.count() <= 0)
        return;
    m_running = true;
    syncChannels();
    m_timer.start();
}

void SubscriberProbe::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_timer.stop();
    for (auto it = m_probes.cbegin(); it != m_probes.cend(); ++it)
        m_link->unsubscribe(it.key());
    m_probes.clear();
}

qint64 SubscriberProbe::msSinceAllAnswered() const
{
    if (m_probes.isEmpty())
        return -1;
    qint64 worst = 0;
    for (const Probe &p : m_probes) {
        if (!p.answeredOnce)
            return -1;
        worst = std::max(worst, p.heard.elapsed());
    }
    return worst;
}

// On a Cluster the shards, and with them the probe channels, may change between rounds.
void SubscriberProbe::syncChannels()
{
    const QByteArrayList wanted = m_link->probeChannels(m_options.channel);
    for (auto it = m_probes.begin(); it != m_probes.end();) {
        if (wanted.contains(it.key())) {
            ++it;
            continue;
        }
        m_link->unsubscribe(it.key());
        it = m_probes.erase(it);
    }
    for (const QByteArray &channel : wanted) {
        if (m_probes.contains(channel))
            continue;
        m_probes[channel].heard.start();
        m_link->subscribe(channel);
    }
}

void SubscriberProbe::round()
{
    syncChannels();
    if (!m_link->isPublisherReady() || !m_link->isSubscriberSettled())
        return;
    for (auto it = m_probes.begin(); it != m_probes.end(); ++it) {
        if (it->token.isEmpty() && m_link->isSubscribed(it.key()))
            send(it.key(), *it);
    }
}

void SubscriberProbe::send(const QByteArray &channel, Probe &probe)
{
    probe.token = "probe:" + QByteArray::number(++m_sequence) + ':' +
                  QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    probe.acknowledged = false;
    probe.sent.start();
    const QByteArray token = probe.token;
    m_link->publish(channel, token, this, [this, channel, token](const RedisValue &reply) {
        const auto it = m_probes.find(channel);
        if (it == m_probes.end() || it->token != token)
            return;
        if (reply.isError()) { // the publisher's trouble, which the bus reports itself
            it->token.clear();
            return;
        }
        it->acknowledged = true;
        QTimer::singleShot(m_options.timeout, this, [this, channel, token] { check(channel, token); });
    });
}

bool SubscriberProbe::take(const QByteArray &channel, const QByteArray &payload)
{
    const auto it = m_probes.find(channel);
    if (it == m_probes.end())
        return false;
    if (it->token.isEmpty() || payload != it->token)
        return true; // an older token, or another relay's use of the name: still not the bus's
    it->token.clear();
    it->answeredOnce = true;
    it->heard.start();
    m_lastRoundTripMs = it->sent.elapsed();
    Q_EMIT answered(channel, m_lastRoundTripMs);
    return true;
}

void SubscriberProbe::check(const QByteArray &channel, const QByteArray &token)
{
    const auto it = m_probes.find(channel);
    if (!m_running || it == m_probes.end() || it->token != token || !it->acknowledged)
        return;
    it->token.clear();
    if (!m_link->isSubscriberSettled())
        return;
    ++m_deaf;
    const qint64 silent = it->heard.elapsed();
    it->heard.start();
    Q_EMIT deaf(channel, silent);
    m_link->recoverSubscriber(
        channel, u"subscriber heard nothing of a probe on %1 within %2 ms"_s.arg(QString::fromUtf8(channel))
                     .arg(m_options.timeout.count()));
}

void SubscriberProbe::cancelOutstanding()
{
    for (Probe &p : m_probes)
        p.token.clear();
}

// SPDX-License-Identifier: MIT
#include "canarymonitor.h"

#include "canaryclient.h"
#include "canaryhistory.h"
#include "canaryprobe.h"
#include "redisclusterconnection.h"
#include "redisconnection.h"
#include "relaydirectory.h"

#include <QSet>
#include <QSettings>

#include <algorithm>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
constexpr qsizetype MaxPending = 1024;
const QString AutoStartKey = u"canaries/autoStart"_s;
const QString IntervalKey = u"canaries/intervalMs"_s;
} // namespace

CanaryMonitor::CanaryMonitor(RelayDirectory *directory, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_history(new CanaryHistory(this))
    , m_origin(CanaryProbe::newOrigin())
{
    m_clock.start();
    m_probeTimer.callOnTimeout(this, &CanaryMonitor::publishProbes);
    m_housekeepingTimer.setInterval(1s);
    m_housekeepingTimer.callOnTimeout(this, &CanaryMonitor::housekeeping);
    m_changedTimer.setSingleShot(true);
    m_changedTimer.setInterval(100); // at most ten changed() a second, however many relays answer
    m_changedTimer.callOnTimeout(this, &CanaryMonitor::changed);
    if (directory) {
        connect(directory, &RelayDirectory::changed, this, [this] {
            syncDirectory();
            maybeAutoStart();
        });
    }
    syncDirectory();
}

CanaryMonitor::~CanaryMonitor()
{
    for (Relay &r : m_relays)
        delete std::exchange(r.client, nullptr);
}

QString CanaryMonitor::keyOf(const QString &prefix, const QString &instance)
{
    return prefix + u'\n' + instance;
}

double CanaryMonitor::nowMs() const
{
    return double(m_clock.nsecsElapsed()) / 1e6;
}

void CanaryMonitor::setSettings(QSettings *settings)
{
    m_settings = settings;
    if (!settings)
        return;
    m_autoStart = settings->value(AutoStartKey, true).toBool();
    const qint64 interval = settings->value(IntervalKey, qint64(1000)).toLongLong();
    m_interval = std::clamp(std::chrono::milliseconds(interval), MinInterval, MaxInterval);
    if (m_probeTimer.isActive())
        m_probeTimer.setInterval(m_interval);
    maybeAutoStart();
}

void CanaryMonitor::setConnection(RedisConnection *connection, RedisClusterConnection *cluster)
{
    m_connection = connection;
    m_cluster = cluster;
    m_publishError.clear();
    updateClients();
    maybeAutoStart();
}

void CanaryMonitor::setReadOnly(bool readOnly, const QString &profileName)
{
    m_readOnly = readOnly;
    m_profileName = profileName;
    updateClients();
}

void CanaryMonitor::start()
{
    m_userStopped = false;
    if (m_running)
        return;
    m_running = true;
    for (Relay &r : m_relays) {
        r.window.clear();
        r.pending.clear();
        r.status.sent = r.status.received = r.status.lost = 0;
    }
    m_probeTimer.start(m_interval);
    m_housekeepingTimer.start();
    updateClients();
    Q_EMIT runningChanged(true);
}

void CanaryMonitor::stop()
{
    m_userStopped = true;
    if (!m_running)
        return;
    m_running = false;
    m_probeTimer.stop();
    m_housekeepingTimer.stop();
    updateClients();
    Q_EMIT runningChanged(false);
}

QString CanaryMonitor::offReason() const
{
    if (!m_running)
        return tr("Canaries are stopped.");
    if (m_readOnly) {
        return tr("The profile \"%1\" is read-only: canaries would publish probes to it, so they are off.")
            .arg(m_profileName);
    }
    if (!m_connection && !m_cluster)
        return tr("Not connected to Redis.");
    return {};
}

void CanaryMonitor::setAutoStart(bool on)
{
    m_autoStart = on;
    if (m_settings)
        m_settings->setValue(AutoStartKey, on);
    maybeAutoStart();
}

void CanaryMonitor::setInterval(std::chrono::milliseconds interval)
{
    m_interval = std::clamp(interval, MinInterval, MaxInterval);
    if (m_settings)
        m_settings->setValue(IntervalKey, qint64(m_interval.count()));
    if (m_probeTimer.isActive())
        m_probeTimer.setInterval(m_interval);
    scheduleChanged();
}

void CanaryMonitor::setTimeout(std::chrono::milliseconds timeout)
{
    m_timeout = std::max(timeout, MinInterval);
}

void CanaryMonitor::maybeAutoStart()
{
    if (m_autoStart && !m_userStopped && !m_running && m_directory && m_directory->instanceCount() > 0)
        start();
}

QList<CanaryStatus> CanaryMonitor::statuses() const
{
    QList<CanaryStatus> out;
    out.reserve(m_relays.size());
    for (const Relay &r : m_relays)
        out.append(r.status);
    std::sort(out.begin(), out.end(), [](const CanaryStatus &a, const CanaryStatus &b) {
        return a.instance != b.instance ? a.instance < b.instance : a.prefix < b.prefix;
    });
    return out;
}

CanaryStatus CanaryMonitor::status(const QString &prefix, const QString &instance) const
{
    const auto it = m_relays.constFind(keyOf(prefix, instance));
    if (it != m_relays.cend())
        return it->status;
    CanaryStatus s;
    s.instance = instance;
    s.prefix = prefix.toUtf8();
    s.inDirectory = false;
    return s;
}

void CanaryMonitor::syncDirectory()
{
    if (!m_directory)
        return;
    QSet<QString> seen;
    m_overflow = 0;
    for (const RelayInstanceStats &s : m_directory->instances()) {
        const QString key = keyOf(QString::fromUtf8(s.prefix), s.instance);
        auto it = m_relays.find(key);
        if (it == m_relays.end()) {
            if (m_relays.size() >= MaxRelays) {
                ++m_overflow;
                continue;
            }
            it = m_relays.insert(key, Relay{});
            it->status.instance = s.instance;
            it->status.prefix = s.prefix;
        }
        seen.insert(key);
        Relay &r = *it;
        if (r.status.url != s.url) {
            closeClient(r);
            r.status.url = s.url;
        }
        r.status.inDirectory = true;
        r.leftAt = -1;
    }
    for (auto it = m_relays.begin(); it != m_relays.end();) {
        if (seen.contains(it.key()) || it->leftAt >= 0) {
            ++it;
            continue;
        }
        closeClient(*it);
        if (!m_running) { // nothing to show about it: gone at once
            m_history->removeRelay(it->status.displayName());
            it = m_relays.erase(it);
            continue;
        }
        it->leftAt = qint64(nowMs());
        it->status.inDirectory = false;
        it->pending.clear();
        ++it;
    }
    updateClients();
}

void CanaryMonitor::updateClients()
{
    const bool active = isActive();
    const double now = nowMs();
    for (Relay &r : m_relays) {
        if (!active || !r.status.inDirectory || r.status.url.isEmpty())
            closeClient(r);
        else if (!r.client)
            openClient(r);
        if (!active)
            r.pending.clear();
        evaluate(r, qint64(now));
    }
    scheduleChanged();
}

void CanaryMonitor::openClient(Relay &relay)
{
    const QString key = keyOf(QString::fromUtf8(relay.status.prefix), relay.status.instance);
    relay.client = new CanaryClient(QUrl(relay.status.url), m_origin, this);
    connect(relay.client, &CanaryClient::linkChanged, this, [this, key] {
        auto it = m_relays.find(key);
        if (it == m_relays.end())
            return;
        if (it->client && it->client->link() != CanaryClient::Link::Joined)
            it->pending.clear(); // what was on its way to a closed socket will not come
        evaluate(*it, qint64(nowMs()));
        scheduleChanged();
    });
    connect(relay.client, &CanaryClient::probeReceived, this,
            [this, key](quint64 seq) { onProbe(key, seq); });
    relay.client->open();
}

void CanaryMonitor::closeClient(Relay &relay)
{
    if (!relay.client)
        return;
    CanaryClient *client = std::exchange(relay.client, nullptr);
    client->disconnect(this);
    client->close();
    client->deleteLater(); // possibly inside one of its own signals
}

void CanaryMonitor::publishProbes()
{
    if (!isActive())
        return;
    const quint64 seq = ++m_seq;
    const qint64 sentMs = QDateTime::currentMSecsSinceEpoch();
    const double now = nowMs();
    QSet<QByteArray> prefixes;
    for (Relay &r : m_relays) {
        if (!r.status.inDirectory || r.status.url.isEmpty())
            continue;
        prefixes.insert(r.status.prefix);
        if (!r.client || r.client->link() != CanaryClient::Link::Joined)
            continue;
        r.pending.insert(seq, now);
        ++r.status.sent;
        while (r.pending.size() > MaxPending) {
            r.pending.erase(r.pending.begin());
            --r.status.sent; // dropped unjudged: counted neither way
        }
    }
    for (const QByteArray &prefix : std::as_const(prefixes))
        publish(prefix, CanaryProbe::payload(m_origin, seq, sentMs), seq);
}

void CanaryMonitor::publish(const QByteArray &prefix, const QByteArray &payload, quint64 seq)
{
    // On a Cluster, relays in sharded mode SSUBSCRIBE and classic ones SUBSCRIBE: both commands, so
    // each relay gets the probe once, the way it listens (see ClusterAnnouncer).
    const QByteArrayList commands =
        m_cluster ? QByteArrayList{"SPUBLISH"_ba, "PUBLISH"_ba} : QByteArrayList{"PUBLISH"_ba};
    struct Outcome
    {
        qsizetype total;
        qsizetype remaining;
        qsizetype failures = 0;
        QString error;
    };
    auto outcome = std::make_shared<Outcome>(Outcome{commands.size(), commands.size(), 0, {}});
    const auto done = [this, outcome, prefix, seq](const RedisValue &reply) {
        if (reply.isError()) {
            ++outcome->failures;
            outcome->error = QString::fromUtf8(reply.bytes());
        }
        if (--outcome->remaining > 0)
            return;
        if (outcome->failures < outcome->total) {
            m_publishError.clear();
            return;
        }
        m_publishError = outcome->error;
        for (Relay &r : m_relays) {
            if (r.status.prefix == prefix && r.pending.remove(seq) > 0)
                --r.status.sent; // never published: not a loss
        }
        scheduleChanged();
    };
    const QByteArray channel = CanaryProbe::channel(prefix);
    for (const QByteArray &command : commands) {
        if (m_cluster)
            m_cluster->command({command, channel, payload}, this, done);
        else if (m_connection)
            m_connection->command({command, channel, payload}, this, done);
    }
    m_published += commands.isEmpty() ? 0 : 1;
}

void CanaryMonitor::onProbe(const QString &key, quint64 seq)
{
    auto it = m_relays.find(key);
    if (it == m_relays.end())
        return;
    Relay &r = *it;
    const auto sent = r.pending.find(seq);
    if (sent == r.pending.end())
        return; // already counted lost, or sent before the client joined
    const double now = nowMs();
    r.window.addSample(qint64(now), now - *sent);
    r.pending.erase(sent);
    ++r.status.received;
    r.status.lastReceived = QDateTime::currentDateTimeUtc();
    evaluate(r, qint64(now));
    scheduleChanged();
}

void CanaryMonitor::housekeeping()
{
    const double now = nowMs();
    const qint64 epochMs = QDateTime::currentMSecsSinceEpoch();
    for (auto it = m_relays.begin(); it != m_relays.end();) {
        Relay &r = *it;
        if (r.leftAt >= 0 && qint64(now) - r.leftAt > m_dropAfter.count()) {
            closeClient(r);
            m_history->removeRelay(r.status.displayName());
            it = m_relays.erase(it);
            continue;
        }
        while (!r.pending.isEmpty() && now - r.pending.first() > double(m_timeout.count())) {
            r.pending.erase(r.pending.begin());
            ++r.status.lost;
            r.window.addLoss(qint64(now));
        }
        r.window.expire(qint64(now));
        evaluate(r, qint64(now));
        if (r.status.inDirectory && isActive())
            m_history->append(r.status.displayName(), epochMs, r.status.p50, r.status.p99);
        ++it;
    }
    scheduleChanged();
}

void CanaryMonitor::evaluate(Relay &relay, qint64 now)
{
    CanaryStatus &s = relay.status;
    s.p50 = relay.window.percentile(0.5);
    s.p99 = relay.window.percentile(0.99);
    s.reason.clear();
    if (!isActive()) {
        s.state = CanaryState::Off;
        s.reason = offReason();
    } else if (!s.inDirectory) {
        s.state = CanaryState::Unreachable;
        s.reason = tr("no heartbeat: the relay left the directory");
    } else if (s.url.isEmpty()) {
        s.state = CanaryState::Off;
        s.reason = tr("the relay advertises no WebSocket URL");
    } else if (!relay.client || relay.client->link() == CanaryClient::Link::Connecting) {
        s.state = CanaryState::Connecting;
    } else if (relay.client->link() == CanaryClient::Link::Unreachable) {
        s.state = CanaryState::Unreachable;
        s.reason = relay.client->reason();
    } else {
        const bool overdue =
            !relay.pending.isEmpty() && double(now) - relay.pending.first() > double(m_timeout.count());
        const auto losses = int(relay.window.lossCount());
        s.state = overdue || losses > 0 ? CanaryState::Missing : CanaryState::Ok;
        if (losses > 0)
            s.reason = tr("%n probe(s) lost in the last minute", nullptr, losses);
        else if (overdue)
            s.reason = tr("a probe is overdue");
    }
}

void CanaryMonitor::scheduleChanged()
{
    if (!m_changedTimer.isActive())
        m_changedTimer.start();
}

// SPDX-License-Identifier: MIT
#include "chartfeeder.h"

#include "channelscontroller.h"
#include "embeddedrelay.h"
#include "plumbing.h"
#include "tapcontroller.h"

#include <QDateTime>

#include <algorithm>

using namespace Qt::StringLiterals;
using Group = TrafficHistory::Group;

namespace {
// The n channels with the most subscribers (then by name), most first.
QByteArrayList mostSubscribed(const QList<PubSubSnapshot::Channel> &channels, int n, bool skipPlumbing)
{
    const auto before = [](const PubSubSnapshot::Channel *a, const PubSubSnapshot::Channel *b) {
        return a->subscribers != b->subscribers ? a->subscribers > b->subscribers : a->name < b->name;
    };
    std::vector<const PubSubSnapshot::Channel *> top; // a heap whose front is the last of the top n
    for (const PubSubSnapshot::Channel &c : channels) {
        if (skipPlumbing && Plumbing::isPlumbingChannel(c.name))
            continue;
        if (qsizetype(top.size()) < n) {
            top.push_back(&c);
            std::push_heap(top.begin(), top.end(), before);
        } else if (n > 0 && before(&c, top.front())) {
            std::pop_heap(top.begin(), top.end(), before);
            top.back() = &c;
            std::push_heap(top.begin(), top.end(), before);
        }
    }
    std::sort_heap(top.begin(), top.end(), before);
    QByteArrayList out;
    for (const PubSubSnapshot::Channel *c : top)
        out << c->name;
    return out;
}
} // namespace

ChartFeeder::ChartFeeder(TrafficHistory *history, TapController *tap, ChannelsController *channels,
                         EmbeddedRelay *relay, QObject *parent)
    : QObject(parent)
    , m_history(history)
    , m_tap(tap)
    , m_channels(channels)
    , m_relay(relay)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, [this] { sample(QDateTime::currentMSecsSinceEpoch()); });
    m_timer.start();
}

void ChartFeeder::sample(qint64 now)
{
    // Series that stop being relevant leave their group so new ones fit within its limit.
    auto replaceSeries = [this](Group group, QStringList &current, const QStringList &wanted) {
        for (const QString &old : std::as_const(current)) {
            if (!wanted.contains(old))
                m_history->removeSeries(group, old);
        }
        current = wanted;
    };
    if (m_tap) {
        TrafficMeter *meter = m_tap->meter();
        if (m_channels)
            m_channels->setTraffic(meter->traffic(now));
        QStringList wanted{u"total"_s};
        const auto top = meter->topChannels(m_top, now);
        for (const auto &[channel, rate] : top)
            wanted << QString::fromUtf8(channel);
        replaceSeries(Group::Messages, m_messageSeries, wanted);
        m_history->append(Group::Messages, u"total"_s, now, meter->totalMessagesPerSecond(now));
        for (const auto &[channel, rate] : top)
            m_history->append(Group::Messages, QString::fromUtf8(channel), now, rate);
    }
    if (m_channels && m_channels->lastSnapshot().takenAt.isValid()) {
        const PubSubSnapshot &snapshot = m_channels->lastSnapshot();
        QByteArrayList chosen = m_tap ? m_tap->channels() : QByteArrayList();
        if (chosen.isEmpty()) {
            // Once per snapshot, without copying its list (a million channels on the GUI thread).
            if (m_topTakenAt != snapshot.takenAt || m_topCount != m_top) {
                m_topTakenAt = snapshot.takenAt;
                m_topCount = m_top;
                m_topSubscribed = mostSubscribed(snapshot.channels, m_top, !m_showPlumbing);
            }
            chosen = m_topSubscribed;
        }
        chosen = chosen.mid(0, m_top);
        QStringList wanted;
        for (const QByteArray &c : std::as_const(chosen))
            wanted << QString::fromUtf8(c);
        replaceSeries(Group::Subscribers, m_subscriberSeries, wanted);
        for (const QByteArray &c : std::as_const(chosen)) {
            const qint64 subscribers = m_channels->subscribersFor(c);
            if (subscribers >= 0) // unknown when PUBSUB NUMSUB failed: a gap, not a zero
                m_history->append(Group::Subscribers, QString::fromUtf8(c), now, double(subscribers));
        }
        if (snapshot.clientsKnown) {
            int relayConnections = 0;
            for (const PubSubClient &client : snapshot.clients)
                relayConnections += client.isRelay() ? 1 : 0;
            m_history->append(Group::RelayConnections, tr("relays on Redis"), now, relayConnections);
        }
    }
    if (m_relay) {
        const RelayServer *server = m_relay->server();
        m_history->append(Group::RelayConnections, tr("embedded relay clients"), now,
                          server ? server->clientCount() : 0);
    }
}

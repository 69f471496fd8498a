// SPDX-License-Identifier: MIT
// The columns shared by the channel list and tree models: what a cell shows, how it sorts, and
// which cells a change touches (declared in channellistmodel.h).
#include "channellistmodel.h"

#include "relaydirectory.h"

#include <QCoreApplication>
#include <QLocale>

#include <ctime>

using namespace Qt::StringLiterals;

namespace ChannelColumns {

namespace {
const QString Unknown = u"\u2013"_s;

QString tr(const char *text)
{
    return QCoreApplication::translate("ChannelColumns", text);
}
} // namespace

unsigned changedColumns(const Values &a, const Values &b)
{
    unsigned mask = 0;
    if (a.subscribers != b.subscribers)
        mask |= 1u << Subscribers;
    if (a.relays != b.relays)
        mask |= 1u << Relays;
    if (a.relayClients != b.relayClients)
        mask |= 1u << RelayClients;
    const ChannelTraffic none;
    const ChannelTraffic &ta = a.traffic ? *a.traffic : none;
    const ChannelTraffic &tb = b.traffic ? *b.traffic : none;
    const bool presence = a.traffic.has_value() != b.traffic.has_value();
    if (presence || ta.messagesPerSecond != tb.messagesPerSecond)
        mask |= 1u << MessagesPerSecond;
    if (presence || ta.bytesPerSecond != tb.bytesPerSecond)
        mask |= 1u << BytesPerSecond;
    if (presence || ta.lastMessageAt != tb.lastMessageAt || ta.messages != tb.messages)
        mask |= 1u << LastMessage;
    if (a.kind != b.kind)
        mask |= 1u << Kind;
    return mask;
}

QByteArrayList changedTraffic(const ChannelTrafficMap &before, const ChannelTrafficMap &after)
{
    QByteArrayList out;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            out.append(it.key());
    }
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        const auto was = before.constFind(it.key());
        Values a;
        Values b;
        b.traffic = *it;
        if (was != before.cend())
            a.traffic = *was;
        if (changedColumns(a, b))
            out.append(it.key());
    }
    return out;
}

bool Values::operator==(const Values &other) const
{
    return changedColumns(*this, other) == 0;
}

QString kindText(const PubSubSnapshot &snapshot, const QByteArray &channel)
{
    if (snapshot.clusterNodes <= 0)
        return {};
    const auto it = snapshot.sharded.constFind(channel);
    if (it == snapshot.sharded.cend())
        return tr("classic");
    if (!it->alsoClassic)
        return tr("sharded · shard %1").arg(it->shard);
    return tr("classic + sharded (%1) · shard %2")
        .arg(it->subscribers < 0 ? Unknown : QLocale().toString(it->subscribers))
        .arg(it->shard);
}

QString headerText(int column)
{
    switch (column) {
    case Name:
        return tr("Channel");
    case Subscribers:
        return tr("Subscribers");
    case Relays:
        return tr("Relays");
    case RelayClients:
        return tr("Relay clients");
    case MessagesPerSecond:
        return tr("Messages/s");
    case BytesPerSecond:
        return tr("Bytes/s");
    case LastMessage:
        return tr("Last message");
    case Kind:
        return tr("Kind");
    default:
        return {};
    }
}

QString headerToolTip(int column)
{
    switch (column) {
    case Name:
        return tr("The Redis Pub/Sub channel (PUBSUB CHANNELS).");
    case Subscribers:
        return tr("Connections subscribed to the channel by name (PUBSUB NUMSUB); pattern subscriptions "
                  "are not counted.");
    case Relays:
        return tr("Of the subscribers, how many are Switchboard relays (from their heartbeats on "
                  "switchboard:relays, under any channel prefix).");
    case RelayClients:
        return tr("WebSocket clients the relays serve on this channel.");
    case MessagesPerSecond:
        return tr("Messages per second while the channel is tapped.");
    case BytesPerSecond:
        return tr("Payload bytes per second while the channel is tapped.");
    case LastMessage:
        return tr("When the tap last saw a message on the channel.");
    case Kind:
        return tr("Classic (SUBSCRIBE, counted on every node) or sharded (SSUBSCRIBE, on the shard that owns "
                  "the channel's hash slot; shards are numbered as in the Nodes view).");
    default:
        return {};
    }
}

QVariant display(int column, const Values &v)
{
    const QLocale locale;
    switch (column) {
    case Subscribers:
        return v.subscribers < 0 ? Unknown : locale.toString(v.subscribers);
    case Relays:
        return v.relays ? locale.toString(*v.relays) : Unknown;
    case RelayClients:
        return v.relayClients ? locale.toString(*v.relayClients) : Unknown;
    case MessagesPerSecond:
        return v.traffic ? locale.toString(v.traffic->messagesPerSecond, 'f', 1) : Unknown;
    case BytesPerSecond:
        if (!v.traffic)
            return Unknown;
        // "591 B/s" rather than QLocale's "591 bytes/s": it fits the column as "2.8 kB/s" does.
        if (v.traffic->bytesPerSecond < 1024)
            return u"%1 B/s"_s.arg(locale.toString(qint64(v.traffic->bytesPerSecond)));
        return locale.formattedDataSize(qint64(v.traffic->bytesPerSecond), 1,
                                        QLocale::DataSizeTraditionalFormat) +
               u"/s"_s;
    case LastMessage:
        return v.traffic && v.traffic->lastMessageAt.isValid()
                   ? locale.toString(v.traffic->lastMessageAt.toLocalTime().time(), QLocale::ShortFormat)
                   : Unknown;
    case Kind:
        return v.kind;
    default:
        return {};
    }
}

QVariant sortValue(int column, const Values &v)
{
    switch (column) {
    case Subscribers:
        return v.subscribers;
    case Relays:
        return v.relays ? qint64(*v.relays) : qint64(-1);
    case RelayClients:
        return v.relayClients.value_or(-1);
    case MessagesPerSecond:
        return v.traffic ? v.traffic->messagesPerSecond : -1.0;
    case BytesPerSecond:
        return v.traffic ? v.traffic->bytesPerSecond : -1.0;
    case LastMessage:
        return v.traffic && v.traffic->lastMessageAt.isValid() ? v.traffic->lastMessageAt.toMSecsSinceEpoch()
                                                               : qint64(-1);
    case Kind:
        return v.kind;
    default:
        return {};
    }
}

QVariant alignment(int column)
{
    if (column == Name || column == Kind)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
}

} // namespace ChannelColumns

bool ChannelColumns::RelayView::update(const RelayDirectory *directory, QByteArrayList &touched)
{
    const bool nowPresent = directory && directory->instanceCount() > 0;
    QSet<QByteArray> now = nowPresent ? directory->channels() : QSet<QByteArray>();
    const bool all = nowPresent != present;
    if (!all) {
        touched = QByteArrayList(channels.cbegin(), channels.cend());
        for (const QByteArray &c : std::as_const(now)) {
            if (!channels.contains(c))
                touched.append(c);
        }
    }
    present = nowPresent;
    channels = std::move(now);
    return all;
}

qint64 ChannelColumns::threadCpuUs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
}

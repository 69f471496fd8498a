// SPDX-License-Identifier: MIT
#include "channelnotes.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Command = PubSubCommandError::Command;

namespace {
// Counts here are often in the thousands: grouped digits, and words English reads without a translator.
QString channels(qint64 n)
{
    return n == 1 ? ChannelNotes::tr("1 channel")
                  : ChannelNotes::tr("%1 channels").arg(QLocale().toString(n));
}

QString clients(qint64 n)
{
    return n == 1 ? ChannelNotes::tr("1 client") : ChannelNotes::tr("%1 clients").arg(QLocale().toString(n));
}

qsizetype channelsWithoutCount(const PubSubSnapshot &snapshot)
{
    return std::count_if(snapshot.channels.cbegin(), snapshot.channels.cend(),
                         [](const PubSubSnapshot::Channel &c) { return c.subscribers < 0; });
}
} // namespace

QStringList ChannelNotes::problems(const PubSubSnapshot &snapshot)
{
    QStringList notes;
    for (const PubSubCommandError &e : snapshot.errors) {
        const QString command = PubSubCommandError::commandText(e.command);
        QString note = e.isRefusal() ? tr("Redis refused %1 (%2).").arg(command, e.error)
                                     : tr("%1 failed (%2).").arg(command, e.error);
        note += u' ';
        switch (e.command) {
        case Command::Channels:
            note += tr("No channel list: no channels and no subscriber counts are shown.");
            break;
        case Command::Numsub:
            note +=
                tr("No subscriber count for %1 (shown as –).").arg(channels(channelsWithoutCount(snapshot)));
            break;
        case Command::Numpat:
            note += tr("The number of pattern subscriptions is unknown.");
            break;
        case Command::ClientList:
            note += tr("No client list: Patterns & clients shows no connections and relays on Redis are not "
                       "counted.");
            break;
        case Command::ShardChannels:
            note += tr("No sharded channel list: sharded channels are not shown.");
            break;
        case Command::ShardNumsub:
            note += tr("No subscriber count for some sharded channels (shown as –).");
            break;
        }
        if (e.isRefusal())
            note += u' ' + tr("The ACL rule %1 for this Redis user allows it.")
                               .arg(PubSubCommandError::aclRule(e.command));
        notes.append(note);
    }
    return notes;
}

QString ChannelNotes::cluster(const PubSubSnapshot &snapshot)
{
    if (snapshot.clusterNodes <= 0)
        return {};
    QString note = tr("Redis Cluster, %1 nodes summed: each node counts only the connections subscribed on it, "
                      "so classic subscribers are added up over every node; sharded channels are counted on the "
                      "primary and replicas of the shard that owns them.")
                       .arg(snapshot.clusterNodes);
    if (!snapshot.unreachableNodes.isEmpty())
        note += u' ' + tr("Left out (not reachable): %1; their subscribers are missing from the counts.")
                           .arg(snapshot.unreachableNodes.join(u", "_s));
    return note;
}

QString ChannelNotes::interval(std::chrono::milliseconds interval)
{
    const QLocale locale;
    if (interval < 1s)
        return tr("%1 ms").arg(locale.toString(qint64(interval.count())));
    if (interval >= 1min && interval % 1min == 0ms)
        return tr("%1 min").arg(locale.toString(qint64(interval / 1min)));
    return tr("%1 s").arg(locale.toString(double(interval.count()) / 1000.0, 'g', 4));
}

QString ChannelNotes::pacing(const PubSubSnapshot &snapshot, std::chrono::milliseconds requested)
{
    if (requested <= 0ms)
        return {};
    const QLocale locale;
    const auto took = [&locale](const PollPacing &p) {
        return tr("it took %1 ms").arg(locale.toString(double(p.elapsedUs) / 1000.0, 'f', 0));
    };
    QStringList parts;
    bool large = false; // a size rule, not only a slow round, lengthened an interval
    const PollPacing &c = snapshot.channelPacing;
    if (c.isBackedOff() && c.interval > requested) {
        large |= c.reason == PollPacing::Reason::Size;
        parts << tr("the channel list every %1: %2")
                     .arg(interval(c.interval),
                          c.reason == PollPacing::Reason::Size ? channels(c.entries) : took(c));
    }
    const PollPacing &k = snapshot.clientPacing;
    if (k.isBackedOff() && k.interval > requested) {
        large |= k.reason == PollPacing::Reason::Size;
        parts << tr("the client list every %1: %2")
                     .arg(interval(k.interval),
                          k.reason == PollPacing::Reason::Size ? clients(k.entries) : took(k));
    }
    if (parts.isEmpty())
        return {};
    // A slow round on a small Redis (a busy server or machine) is not a large Redis.
    if (!large)
        return tr("Slow Redis: refreshing %1 · F5 refreshes now").arg(parts.join(tr(" · ")));
    return tr("Large Redis: refreshing %1 · F5 refreshes now").arg(parts.join(tr(" · ")));
}

QString ChannelNotes::pacingDetails(const PubSubSnapshot &snapshot, const PollBudget &budget)
{
    const QLocale locale;
    const auto line = [&locale](const QString &what, const PollPacing &p, const QString &entries) {
        return tr("%1: %2, %3, %4 ms")
            .arg(what, entries, locale.formattedDataSize(p.replyBytes, 1, QLocale::DataSizeTraditionalFormat),
                 locale.toString(double(p.elapsedUs) / 1000.0, 'f', 1));
    };
    QStringList lines;
    lines << line(u"PUBSUB CHANNELS + NUMSUB"_s, snapshot.channelPacing,
                  channels(snapshot.channelPacing.entries))
          << line(u"CLIENT LIST"_s, snapshot.clientPacing, clients(snapshot.clientPacing.entries))
          << tr("Rules: what a part takes stays under %1 % of its interval; one second of interval per %2 "
                "channels or %3 clients; never more often than the chosen interval, and at least every %4.")
                 .arg(locale.toString(budget.timeShare * 100, 'g', 3),
                      locale.toString(budget.channelsPerSecond), locale.toString(budget.clientsPerSecond),
                      interval(budget.maxInterval));
    return lines.join(u'\n');
}

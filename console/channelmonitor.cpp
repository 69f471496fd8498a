// SPDX-License-Identifier: MIT
#include "channelmonitor.h"

#include "redisconnection.h"

#include <QPointer>

#include <algorithm>

using namespace Qt::StringLiterals;
using Command = PubSubCommandError::Command;

QString PubSubCommandError::commandText(Command command)
{
    switch (command) {
    case Command::Channels:
        return u"PUBSUB CHANNELS"_s;
    case Command::Numsub:
        return u"PUBSUB NUMSUB"_s;
    case Command::Numpat:
        return u"PUBSUB NUMPAT"_s;
    case Command::ClientList:
        return u"CLIENT LIST TYPE pubsub"_s;
    case Command::ShardChannels:
        return u"PUBSUB SHARDCHANNELS"_s;
    case Command::ShardNumsub:
        return u"PUBSUB SHARDNUMSUB"_s;
    }
    return {};
}

QString PubSubCommandError::aclRule(Command command)
{
    switch (command) {
    case Command::Channels:
        return u"+pubsub|channels"_s;
    case Command::Numsub:
        return u"+pubsub|numsub"_s;
    case Command::Numpat:
        return u"+pubsub|numpat"_s;
    case Command::ClientList:
        return u"+client|list"_s;
    case Command::ShardChannels:
        return u"+pubsub|shardchannels"_s;
    case Command::ShardNumsub:
        return u"+pubsub|shardnumsub"_s;
    }
    return {};
}

const PubSubCommandError *PubSubSnapshot::errorFor(PubSubCommandError::Command command) const
{
    const auto it = std::find_if(errors.cbegin(), errors.cend(),
                                 [command](const PubSubCommandError &e) { return e.command == command; });
    return it == errors.cend() ? nullptr : &*it;
}

PubSubSnapshot::Kind PubSubSnapshot::kindOf(const QByteArray &channel) const
{
    const auto it = sharded.constFind(channel);
    if (it == sharded.cend())
        return Kind::Classic;
    return it->alsoClassic ? Kind::Both : Kind::Sharded;
}

struct ChannelMonitor::Round
{
    QElapsedTimer clock;
    PubSubSnapshot snapshot;
    bool everything = false;
    int outstanding = 0;
    qint64 lastArrivalUs = 0;
    qint64 channelsUs = 0;
    qint64 clientsUs = 0;
    qint64 channelBytes = 0;
    qint64 clientBytes = 0;

    qint64 nowUs() const { return clock.nsecsElapsed() / 1000; }
    // A pipelined reply's own time: from when it was sent, or from the reply before it if that came later.
    qint64 charge(qint64 sentUs)
    {
        const qint64 now = nowUs();
        const qint64 spent = now - std::max(sentUs, lastArrivalUs);
        lastArrivalUs = now;
        return std::max<qint64>(0, spent);
    }
};

ChannelMonitor::ChannelMonitor(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_clock.start();
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { startRound(false); });
}

void ChannelMonitor::setInterval(std::chrono::milliseconds interval)
{
    m_interval = interval;
    if (interval.count() <= 0)
        m_timer.stop();
    else if (!isRefreshing())
        m_timer.start(interval);
}

void ChannelMonitor::refresh()
{
    if (m_round) {
        // The next round starts when this one ends, unless this one already asks for everything.
        m_refreshQueued = m_refreshQueued || !m_round->everything;
        return;
    }
    startRound(true);
}

bool ChannelMonitor::isDue(const PollPacing &pacing, qint64 askedAtMs) const
{
    if (askedAtMs < 0)
        return true;
    const auto interval = std::max(pacing.interval, m_interval);
    // Rounds come every m_interval plus their own time: a part is due on the round nearest its time.
    return m_clock.elapsed() - askedAtMs >= (interval - m_interval / 2).count();
}

void ChannelMonitor::startRound(bool everything)
{
    m_timer.stop();
    auto round = std::make_shared<Round>();
    m_round = round;
    round->everything = everything;
    round->clock.start();
    PubSubSnapshot &s = round->snapshot;
    s = m_last; // the parts this round does not ask for carry over
    s.takenAt = QDateTime::currentDateTimeUtc();
    s.errors.clear(); // a part with an error is never backed off, so it is asked again now
    s.channelPacing = PollPacing::compute(m_interval, s.channelPacing.entries, m_budget.channelsPerSecond,
                                          s.channelPacing.elapsedUs, m_budget);
    s.channelPacing.replyBytes = m_last.channelPacing.replyBytes;
    s.clientPacing = PollPacing::compute(m_interval, s.clientPacing.entries, m_budget.clientsPerSecond,
                                         s.clientPacing.elapsedUs, m_budget);
    s.clientPacing.replyBytes = m_last.clientPacing.replyBytes;
    s.channelsRefreshed = everything || isDue(s.channelPacing, m_channelsAskedAtMs);
    s.clientsRefreshed = everything || isDue(s.clientPacing, m_clientsAskedAtMs);
    if (s.channelsRefreshed)
        m_channelsAskedAtMs = m_clock.elapsed();
    if (s.clientsRefreshed)
        m_clientsAskedAtMs = m_clock.elapsed();

    // Redis answers in this order; NUMSUB's batches follow when PUBSUB CHANNELS has answered.
    ++round->outstanding; // released below, once every command is on its way
    if (s.channelsRefreshed)
        askChannels(round);
    askNumpat(round);
    if (s.clientsRefreshed)
        askClients(round);
    settle(round);
}

bool ChannelMonitor::accept(const std::shared_ptr<Round> &round, Command command, const RedisValue &reply)
{
    if (round != m_round)
        return false;
    if (RedisConnection::isConnectionFailure(reply)) {
        fail(QString::fromUtf8(reply.bytes()));
        return false;
    }
    if (!reply.isError())
        return true;
    auto &errors = round->snapshot.errors;
    auto it = std::find_if(errors.begin(), errors.end(),
                           [command](const PubSubCommandError &e) { return e.command == command; });
    if (it == errors.end()) {
        errors.append({command, QString::fromUtf8(reply.bytes()), 0});
        it = errors.end() - 1;
    }
    if (command == Command::Numsub)
        ++it->failedBatches;
    return false;
}

void ChannelMonitor::settle(const std::shared_ptr<Round> &round)
{
    if (round == m_round && --round->outstanding == 0)
        finish();
}

void ChannelMonitor::askChannels(const std::shared_ptr<Round> &round)
{
    ++round->outstanding;
    const qint64 sent = round->nowUs();
    m_connection->command({"PUBSUB"_ba, "CHANNELS"_ba}, this, [this, round, sent](const RedisValue &reply) {
        const qint64 spent = round->charge(sent);
        PubSubSnapshot &s = round->snapshot;
        s.channels.clear();
        s.channelsKnown = s.subscribersKnown = accept(round, Command::Channels, reply);
        if (s.channelsKnown) {
            round->channelsUs += spent;
            QByteArrayList names;
            names.reserve(qsizetype(reply.elements().size()));
            for (const RedisValue &v : reply.elements()) {
                names.append(v.bytes());
                round->channelBytes += v.bytes().size();
            }
            std::sort(names.begin(), names.end());
            s.channels.reserve(names.size());
            for (const QByteArray &n : std::as_const(names))
                s.channels.append({n, -1});
            askNumsub(round, names);
        }
        settle(round);
    });
}

void ChannelMonitor::askNumsub(const std::shared_ptr<Round> &round, const QByteArrayList &names)
{
    for (qsizetype start = 0; start < names.size(); start += m_batchSize) {
        QByteArrayList args{"PUBSUB"_ba, "NUMSUB"_ba};
        args += names.mid(start, m_batchSize);
        ++round->outstanding;
        const qint64 sent = round->nowUs();
        m_connection->command(args, this, [this, round, sent, start](const RedisValue &counts) {
            const qint64 spent = round->charge(sent);
            PubSubSnapshot &s = round->snapshot;
            if (accept(round, Command::Numsub, counts)) {
                round->channelsUs += spent;
                const auto &e = counts.elements();
                for (size_t i = 0; i + 1 < e.size(); i += 2) {
                    const qsizetype at = start + qsizetype(i / 2);
                    if (at < s.channels.size() && s.channels[at].name == e[i].bytes())
                        s.channels[at].subscribers = e[i + 1].toInteger();
                }
            } else {
                s.subscribersKnown = false;
            }
            settle(round);
        });
    }
}

void ChannelMonitor::askNumpat(const std::shared_ptr<Round> &round)
{
    ++round->outstanding;
    const qint64 sent = round->nowUs();
    m_connection->command({"PUBSUB"_ba, "NUMPAT"_ba}, this, [this, round, sent](const RedisValue &reply) {
        round->charge(sent);
        PubSubSnapshot &s = round->snapshot;
        s.patternsKnown = accept(round, Command::Numpat, reply);
        s.patternSubscriptions = s.patternsKnown ? reply.toInteger() : 0;
        settle(round);
    });
}

void ChannelMonitor::askClients(const std::shared_ptr<Round> &round)
{
    ++round->outstanding;
    const qint64 sent = round->nowUs();
    m_connection->command(
        {"CLIENT"_ba, "LIST"_ba, "TYPE"_ba, "pubsub"_ba}, this, [this, round, sent](const RedisValue &reply) {
            const qint64 spent = round->charge(sent);
            PubSubSnapshot &s = round->snapshot;
            s.clientsKnown = accept(round, Command::ClientList, reply);
            s.clients = s.clientsKnown ? parseClientList(reply.bytes()) : QList<PubSubClient>();
            round->clientsUs = spent;
            round->clientBytes = reply.bytes().size();
            settle(round);
        });
}

void ChannelMonitor::finish()
{
    std::shared_ptr<Round> round = std::move(m_round);
    PubSubSnapshot &s = round->snapshot;
    s.durationMs = round->clock.elapsed();
    // A part with an error keeps the operator's interval: it is asked again every round.
    if (s.channelsRefreshed) {
        s.channelsTakenAt = s.takenAt;
        const bool clean = !s.errorFor(Command::Channels) && !s.errorFor(Command::Numsub);
        s.channelPacing =
            PollPacing::compute(m_interval, clean ? s.channels.size() : 0, m_budget.channelsPerSecond,
                                clean ? round->channelsUs : 0, m_budget);
        s.channelPacing.replyBytes = round->channelBytes;
    }
    if (s.clientsRefreshed) {
        s.clientsTakenAt = s.takenAt;
        const bool clean = s.clientsKnown;
        s.clientPacing =
            PollPacing::compute(m_interval, clean ? s.clients.size() : 0, m_budget.clientsPerSecond,
                                clean ? round->clientsUs : 0, m_budget);
        s.clientPacing.replyBytes = round->clientBytes;
    }
    m_last = s;
    const bool queued = std::exchange(m_refreshQueued, false);
    if (!queued && m_interval.count() > 0)
        m_timer.start(m_interval);
    const QPointer<ChannelMonitor> alive(this);
    Q_EMIT snapshotReady(s);
    if (alive && queued && !m_round)
        startRound(true);
}

void ChannelMonitor::fail(const QString &error)
{
    m_round.reset();
    if (m_interval.count() > 0)
        m_timer.start(m_interval);
    Q_EMIT refreshFailed(error);
}

QList<PubSubClient> ChannelMonitor::parseClientList(const QByteArray &text)
{
    QList<PubSubClient> clients;
    for (const QByteArray &line : text.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.isEmpty())
            continue;
        PubSubClient c;
        for (const QByteArray &field : trimmed.split(' ')) {
            const qsizetype eq = field.indexOf('=');
            if (eq <= 0)
                continue;
            const QByteArray key = field.left(eq);
            const QByteArray value = field.mid(eq + 1);
            if (key == "id")
                c.id = value.toLongLong();
            else if (key == "name")
                c.name = QString::fromUtf8(value);
            else if (key == "addr")
                c.address = QString::fromUtf8(value);
            else if (key == "sub")
                c.channels = value.toInt();
            else if (key == "psub")
                c.patterns = value.toInt();
            else if (key == "omem")
                c.outputBytes = value.toLongLong();
            else if (key == "ssub")
                c.shardChannels = value.toInt();
            else if (key == "tot-mem")
                c.totalMemory = value.toLongLong();
            else if (key == "qbuf")
                c.queryBuffer = value.toLongLong();
            else if (key == "age")
                c.ageSeconds = value.toLongLong();
        }
        clients.append(c);
    }
    return clients;
}

// SPDX-License-Identifier: MIT
#include "channelmonitor.h"

#include "redisconnection.h"

#include <QElapsedTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

struct ChannelMonitor::Round
{
    QElapsedTimer clock;
    PubSubSnapshot snapshot;
    int outstanding = 0;
};

ChannelMonitor::ChannelMonitor(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ChannelMonitor::refresh);
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
    if (m_round)
        return; // the next round starts when this one ends
    m_timer.stop();
    auto round = std::make_shared<Round>();
    m_round = round;
    round->clock.start();
    round->snapshot.takenAt = QDateTime::currentDateTimeUtc();

    // A reply counts only for the round still running; an error ends that round.
    auto current = [this, round](const RedisValue &reply) {
        if (round != m_round)
            return false;
        if (reply.isError()) {
            fail(QString::fromUtf8(reply.bytes()));
            return false;
        }
        return true;
    };
    auto settle = [this, round] {
        --round->outstanding;
        maybeFinish();
    };

    round->outstanding = 3;
    m_connection->command(
        {"PUBSUB"_ba, "CHANNELS"_ba}, this, [this, round, current, settle](const RedisValue &reply) {
            if (!current(reply))
                return;
            QList<QByteArray> names;
            names.reserve(qsizetype(reply.elements().size()));
            for (const RedisValue &v : reply.elements())
                names.append(v.bytes());
            std::sort(names.begin(), names.end());
            auto &channels = round->snapshot.channels;
            channels.reserve(names.size());
            for (const QByteArray &n : std::as_const(names))
                channels.append({n, 0});
            for (qsizetype start = 0; start < names.size(); start += m_batchSize) {
                QByteArrayList args{"PUBSUB"_ba, "NUMSUB"_ba};
                args += names.mid(start, m_batchSize);
                ++round->outstanding;
                m_connection->command(args, this, [round, current, settle, start](const RedisValue &counts) {
                    if (!current(counts))
                        return;
                    const auto &e = counts.elements();
                    auto &channels = round->snapshot.channels;
                    for (size_t i = 0; i + 1 < e.size(); i += 2) {
                        const qsizetype at = start + qsizetype(i / 2);
                        if (at < channels.size() && channels[at].name == e[i].bytes())
                            channels[at].subscribers = e[i + 1].toInteger();
                    }
                    settle();
                });
            }
            settle();
        });
    m_connection->command({"PUBSUB"_ba, "NUMPAT"_ba}, this,
                          [round, current, settle](const RedisValue &reply) {
                              if (!current(reply))
                                  return;
                              round->snapshot.patternSubscriptions = reply.toInteger();
                              settle();
                          });
    m_connection->command({"CLIENT"_ba, "LIST"_ba, "TYPE"_ba, "pubsub"_ba}, this,
                          [round, current, settle](const RedisValue &reply) {
                              if (!current(reply))
                                  return;
                              round->snapshot.clients = parseClientList(reply.bytes());
                              settle();
                          });
}

void ChannelMonitor::maybeFinish()
{
    if (!m_round || m_round->outstanding > 0)
        return;
    std::shared_ptr<Round> round = std::move(m_round);
    round->snapshot.durationMs = round->clock.elapsed();
    if (m_interval.count() > 0)
        m_timer.start(m_interval);
    Q_EMIT snapshotReady(round->snapshot);
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
        }
        clients.append(c);
    }
    return clients;
}

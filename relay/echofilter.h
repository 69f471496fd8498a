// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <deque>

// Echo and duplicate suppression. A relay delivers its own clients' messages locally at once and
// publishes them; when the bus sends them back, consumeEcho() recognises and drops them. A relay's
// messages carry its origin and a per-process sequence ("id":"<origin>-<seq>","relay":"<origin>"
// at the end of the payload), so a publish that reached Redis twice (re-sent after a lost reply)
// is recognised by every relay, its own included, as a repeat. Any other payload (a backend's,
// a seed instance's) is never taken for a repeat, whatever its "id" looks like.
class EchoFilter
{
public:
    EchoFilter(const QString &instanceId, qsizetype maxPendingEchoes);

    // "<instance>-<nonce>": names this relay process in its messages.
    const QByteArray &origin() const { return m_origin; }
    // "<origin>-<seq>", seq rising in publish order.
    QByteArray nextMessageId();
    // The sequence number of the id nextMessageId() returned last.
    quint64 lastSequence() const { return m_nextMessageId - 1; }

    // A message of ours on channel was delivered locally; its echo from the bus is to be dropped.
    void expectEcho(const QByteArray &channel, const QByteArray &payload);
    // True (and forgotten) when payload is an echo expectEcho() announced.
    bool consumeEcho(const QByteArray &channel, const QByteArray &payload);
    // True when payload is a relay's message whose sequence number was seen before on channel.
    // Run it on every bus message before consumeEcho(), so that our own numbers are recorded too.
    // Per channel: a relay's messages keep their order within a channel, but on a Redis Cluster
    // two channels live on different shards and arrive in no common order.
    bool isRepeat(const QByteArray &channel, const QByteArray &payload);

    void forget(const QByteArray &channel)
    {
        m_echoes.remove(channel);
        m_lastSeq.remove(channel);
    }
    void clear()
    {
        m_echoes.clear();
        m_lastSeq.clear();
    }

private:
    QByteArray m_origin;
    quint64 m_nextMessageId = 1;
    qsizetype m_maxPendingEchoes;
    QHash<QByteArray, std::deque<QByteArray>> m_echoes;
    // Per channel, the highest sequence number seen per publishing relay process ("<instance>-<nonce>").
    QHash<QByteArray, QHash<QByteArray, quint64>> m_lastSeq;
};

// SPDX-License-Identifier: MIT
#include "recordingreplayer.h"

#include "messagebus.h"
#include "plumbing.h"
#include "redisconnection.h"

#include <QLocale>
#include <QPointer>

using namespace Qt::StringLiterals;

RecordingReplayer::Target RecordingReplayer::redisTarget(RedisConnection *connection, const QString &name,
                                                         bool readOnly)
{
    Target target;
    target.name = name;
    if (readOnly)
        target.refusal =
            tr("The profile \"%1\" is read-only: replay would publish to it, so it is disabled.").arg(name);
    else if (!connection || !connection->isReady())
        target.refusal = tr("Not connected to Redis.");
    QPointer<RedisConnection> guard(connection);
    target.publish = [guard](const QByteArray &channel, const QByteArray &payload, QObject *context,
                             Done done) {
        if (!guard) {
            done(tr("the connection to Redis is gone"));
            return;
        }
        guard->command({"PUBLISH"_ba, channel, payload}, context, [done](const RedisValue &reply) {
            done(reply.isError() ? QString::fromUtf8(reply.bytes()) : QString());
        });
    };
    return target;
}

RecordingReplayer::Target RecordingReplayer::busTarget(MessageBus *bus, const QString &name, bool readOnly)
{
    Target target;
    target.name = name;
    if (readOnly)
        target.refusal = tr("The embedded relay runs on the read-only profile's Redis: replay into it is "
                            "disabled.");
    else if (!bus)
        target.refusal = tr("The embedded relay is not running.");
    QPointer<MessageBus> guard(bus);
    target.publish = [guard](const QByteArray &channel, const QByteArray &payload, QObject *, Done done) {
        if (!guard) {
            done(tr("the embedded relay stopped"));
            return;
        }
        guard->publish(channel, payload);
        done({});
    };
    return target;
}

bool RecordingReplayer::isRelayPlumbing(const QByteArray &channel)
{
    return Plumbing::isPlumbingChannel(channel);
}

RecordingReplayer::RecordingReplayer(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RecordingReplayer::pump);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &RecordingReplayer::progress);
}

RecordingReplayer::~RecordingReplayer()
{
    ++m_generation; // answers still on their way find nothing to update
}

bool RecordingReplayer::start(const QString &path, const Target &target, QString *error)
{
    if (isActive())
        stop();
    if (!target.refusal.isEmpty() || !target.publish) {
        if (error)
            *error = target.refusal.isEmpty() ? tr("No target to replay into.") : target.refusal;
        return false;
    }
    if (!m_reader.open(path, error))
        return false;
    m_target = target;
    ++m_generation;
    m_next.reset();
    m_inFlight = 0;
    m_published = 0;
    m_skippedPlumbing = 0;
    m_firstTs = -1;
    m_latestTs = m_lastPublishedTs = 0;
    m_pausedMs = m_pauseStarted = 0;
    m_nextEnd = m_doneBytes = 0;
    m_summary.clear();
    m_clock.start();
    m_progressTimer.start();
    setState(State::Running);
    m_timer.start(0);
    return true;
}

void RecordingReplayer::pause()
{
    if (m_state != State::Running)
        return;
    m_timer.stop();
    m_pauseStarted = m_clock.elapsed();
    setState(State::Paused);
}

void RecordingReplayer::resume()
{
    if (m_state != State::Paused)
        return;
    m_pausedMs += m_clock.elapsed() - m_pauseStarted;
    setState(State::Running);
    pump();
}

void RecordingReplayer::stop()
{
    if (!isActive())
        return;
    end(State::Stopped,
        tr("Stopped after %1 of the recording's messages.").arg(QLocale().toString(qulonglong(m_published))));
}

double RecordingReplayer::fraction() const
{
    if (m_state == State::Finished)
        return 1.0;
    return m_reader.size() > 0 ? double(m_doneBytes) / double(m_reader.size()) : 0.0;
}

// When (ms after start, pauses left out) the message recorded at ts is due.
qint64 RecordingReplayer::dueMs(qint64 ts) const
{
    const qint64 offset = qMax(ts, m_latestTs) - m_firstTs;
    return qint64(double(offset) / m_speed);
}

// Publishes what is due, at most maxInFlight unanswered and maxInFlight per call; then waits for
// the next message's time, an answer, or the next event-loop turn.
void RecordingReplayer::pump()
{
    if (m_state != State::Running || m_inPump)
        return;
    m_inPump = true;
    const quint64 generation = m_generation;
    for (int budget = m_maxInFlight; m_state == State::Running && generation == m_generation;) {
        if (!m_next) {
            m_next = m_reader.next();
            m_nextEnd = m_reader.position();
            if (m_next && m_skipPlumbing && isRelayPlumbing(m_next->channel)) {
                ++m_skippedPlumbing;
                m_next.reset();
                if (budget-- == 0) {
                    m_timer.start(0);
                    break;
                }
                continue;
            }
            if (!m_next) {
                if (!m_reader.errorString().isEmpty())
                    end(State::Failed, tr("Reading the recording failed: %1").arg(m_reader.errorString()));
                else if (m_inFlight == 0)
                    end(State::Finished,
                        tr("Replayed %1 messages into %2.")
                            .arg(QLocale().toString(qulonglong(m_published)), m_target.name));
                break;
            }
            if (m_firstTs < 0) { // the recording's time starts with its first message
                m_firstTs = m_latestTs = m_lastPublishedTs = m_next->ts;
                m_clock.start();
                m_pausedMs = 0;
            }
        }
        if (m_inFlight >= m_maxInFlight)
            break; // an answer calls pump() again
        if (m_speed > 0) {
            const qint64 now = m_clock.elapsed() - m_pausedMs;
            const qint64 due = dueMs(m_next->ts);
            if (due > now) {
                m_timer.start(int(qMin<qint64>(due - now, 60 * 60 * 1000)));
                break;
            }
        }
        if (budget-- == 0) {
            m_timer.start(0); // let the event loop run (and a bus flush) before the next batch
            break;
        }
        publishNext();
    }
    m_inPump = false;
}

void RecordingReplayer::publishNext()
{
    RecordedMessage message = std::move(*m_next);
    m_next.reset();
    m_latestTs = qMax(m_latestTs, message.ts);
    ++m_inFlight;
    const quint64 generation = m_generation;
    const qint64 ts = message.ts;
    const qint64 end = m_nextEnd;
    const QByteArray channel = message.channel;
    m_target.publish(message.channel, message.payload, this,
                     [this, generation, ts, end, channel](const QString &error) {
                         onDone(generation, ts, end, channel, error);
                     });
}

void RecordingReplayer::onDone(quint64 generation, qint64 ts, qint64 endPosition, const QByteArray &channel,
                               const QString &error)
{
    if (generation != m_generation)
        return;
    --m_inFlight;
    if (!error.isEmpty()) {
        end(State::Failed, tr("%1 refused a publish to %2 after %3 messages: %4")
                               .arg(m_target.name, QString::fromUtf8(channel),
                                    QLocale().toString(qulonglong(m_published)), error));
        return;
    }
    ++m_published;
    m_doneBytes = qMax(m_doneBytes, endPosition);
    m_lastPublishedTs = qMax(m_lastPublishedTs, ts);
    Q_EMIT messagePublished(channel, ts);
    if (!m_inPump && !m_timer.isActive())
        pump();
}

void RecordingReplayer::end(State state, const QString &summary)
{
    ++m_generation;
    m_timer.stop();
    m_progressTimer.stop();
    m_next.reset();
    m_inFlight = 0;
    QString text = summary;
    if (m_skippedPlumbing > 0)
        text += u' ' + tr("%n relay heartbeat(s) and probe(s) left out.", nullptr,
                          int(qMin<quint64>(m_skippedPlumbing, 1u << 30)));
    if (m_reader.skippedLines() > 0)
        text += u' ' + tr("%n malformed line(s) skipped.", nullptr,
                          int(qMin<quint64>(m_reader.skippedLines(), 1u << 30)));
    m_summary = text;
    m_reader.close();
    setState(state);
    Q_EMIT finished(state, m_summary);
}

void RecordingReplayer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
    Q_EMIT progress();
}

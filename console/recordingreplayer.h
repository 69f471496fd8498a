// SPDX-License-Identifier: MIT
#pragma once

#include "recordingreader.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>
#include <optional>

class MessageBus;
class RedisConnection;

// Publishes a recording (RecordingReader) into a target: a Redis connection (PUBLISH, acknowledged)
// or a relay's MessageBus (the embedded relay's; no acknowledgement). At speed 1 the gaps between
// messages are those recorded (by their ts), at speed 2 half as long, and so on; at speed 0 as fast
// as possible. Either way at most maxInFlight publishes wait for Redis's answer (on a bus: at most
// maxInFlight go out per event-loop turn). A recorded ts that goes backwards counts as no gap.
// The file is streamed; lines the reader skips are counted and listed. The first publish the target
// refuses stops the replay with that error.
class RecordingReplayer : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Running, Paused, Finished, Stopped, Failed };
    Q_ENUM(State)

    // Publishes one message and calls done (with an empty error when it was taken) once.
    using Done = std::function<void(const QString &error)>;
    using Publish = std::function<void(const QByteArray &channel, const QByteArray &payload, QObject *context,
                                       Done done)>;
    struct Target
    {
        QString name;
        Publish publish;
        // Non-empty: this target refuses replay (a read-only profile, not connected), and why.
        QString refusal;
    };
    // PUBLISH on connection; readOnly (the profile's flag) makes it refuse.
    static Target redisTarget(RedisConnection *connection, const QString &name, bool readOnly);
    static Target busTarget(MessageBus *bus, const QString &name, bool readOnly);

    explicit RecordingReplayer(QObject *parent = nullptr);
    ~RecordingReplayer() override;

    // 1 = recorded timing, 2 = twice as fast, ...; 0 = as fast as possible. Takes effect at start().
    void setSpeed(double factor) { m_speed = qMax(0.0, factor); }
    double speed() const { return m_speed; }
    void setMaxInFlight(int publishes) { m_maxInFlight = qMax(1, publishes); }
    int maxInFlight() const { return m_maxInFlight; }
    RecordingReader &reader() { return m_reader; }
    // Leave out the relays' own traffic: their stats heartbeat (<prefix>switchboard:relays) and
    // subscriber probes (<prefix>switchboard:probe:*). Replayed, an old heartbeat brings back a relay
    // that is gone. Default on.
    void setSkipRelayPlumbing(bool skip) { m_skipPlumbing = skip; }
    bool skipsRelayPlumbing() const { return m_skipPlumbing; }
    static bool isRelayPlumbing(const QByteArray &channel);

    // Opens path and starts; false with *error when the target refuses or the file cannot be read.
    bool start(const QString &path, const Target &target, QString *error = nullptr);
    void pause();
    void resume();
    void stop();

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Running || m_state == State::Paused; }
    QString targetName() const { return m_target.name; }
    quint64 published() const { return m_published; }
    int inFlight() const { return m_inFlight; }
    quint64 skippedLines() const { return m_reader.skippedLines(); }
    // Relay heartbeats and probes left out (setSkipRelayPlumbing).
    quint64 skippedPlumbing() const { return m_skippedPlumbing; }
    // 0..1 of the file published (by bytes).
    double fraction() const;
    // Milliseconds of the recording replayed so far (ts of the last published message - the first).
    qint64 recordingPositionMs() const { return m_lastPublishedTs - m_firstTs; }
    // Why the replay failed, or its summary once finished or stopped.
    QString summary() const { return m_summary; }

Q_SIGNALS:
    void stateChanged(RecordingReplayer::State state);
    // At most every progressInterval while active, and at each state change.
    void progress();
    // Every message the target took, in order (for tests and the dialog's last-message line).
    void messagePublished(const QByteArray &channel, qint64 ts);
    void finished(RecordingReplayer::State state, const QString &summary);

private:
    void pump();
    void publishNext();
    void onDone(quint64 generation, qint64 ts, qint64 endPosition, const QByteArray &channel,
                const QString &error);
    void end(State state, const QString &summary);
    void setState(State state);
    qint64 dueMs(qint64 ts) const;

    RecordingReader m_reader;
    Target m_target;
    std::optional<RecordedMessage> m_next;
    qint64 m_nextEnd = 0;   // where m_next's line ends in the file
    qint64 m_doneBytes = 0; // up to the end of the last published message's line
    QTimer m_timer;
    QTimer m_progressTimer;
    QElapsedTimer m_clock;
    State m_state = State::Idle;
    double m_speed = 1.0;
    int m_maxInFlight = 256;
    int m_inFlight = 0;
    quint64 m_generation = 0;
    quint64 m_published = 0;
    quint64 m_skippedPlumbing = 0;
    bool m_skipPlumbing = true;
    qint64 m_firstTs = -1;
    qint64 m_latestTs = 0; // the largest ts so far: a ts that goes backwards is no gap
    qint64 m_lastPublishedTs = 0;
    qint64 m_pausedMs = 0;
    qint64 m_pauseStarted = 0;
    bool m_inPump = false;
    QString m_summary;
};

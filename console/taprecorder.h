// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QTimer>

class TapController;

// Records what the live tap receives to a file, one NDJSON line per message:
//   {"channel":"room:1","ts":1733500000123,"payload":"hello"}
// ts is when the tap received it (ms since the epoch). A payload (or channel) that is not valid
// UTF-8 is written base64-encoded as "payload_b64" ("channel_b64") instead. There is no size or
// count limit: the file grows for as long as recording runs. Lines are collected in memory and
// written when the flush interval passes, when flushBytes are waiting, and on stop(). A write
// error (disk full, file too large, I/O error) stops recording with failed(): the file keeps every
// complete line written before (a partly written line is cut off), nothing else is written.
class TapRecorder : public QObject
{
    Q_OBJECT

public:
    explicit TapRecorder(TapController *tap, QObject *parent = nullptr);
    ~TapRecorder() override;

    // Creates (or truncates) path and starts recording; false with *error when it cannot be opened.
    bool start(const QString &path, QString *error = nullptr);
    // Writes what is buffered and closes the file; emits stopped() (also after failed()).
    void stop();
    bool isRecording() const { return m_file.isOpen(); }
    QString path() const { return m_path; }

    // Appends one message (what the tap's messageReceived delivers); does nothing when not recording.
    void record(const QByteArray &channel, const QByteArray &payload, qint64 receivedMs);

    void setFlushInterval(int ms);
    int flushInterval() const { return m_flushTimer.interval(); }
    // Write at once when this much is buffered (default 1 MiB).
    void setFlushBytes(qsizetype bytes) { m_flushBytes = qMax<qsizetype>(1, bytes); }
    qsizetype flushBytes() const { return m_flushBytes; }

    // Messages recorded since start(), and bytes of them on disk (buffered ones are not counted).
    quint64 messages() const { return m_messages; }
    quint64 bytesWritten() const { return m_bytesWritten; }
    quint64 bytesBuffered() const { return quint64(m_buffer.size()); }
    // How long the recording ran (runs).
    qint64 elapsedMs() const { return isRecording() ? m_clock.elapsed() : m_durationMs; }
    // Why recording last stopped on its own; empty after a clean stop.
    QString errorString() const { return m_error; }

    // One line (with its newline) for a message.
    static QByteArray encodeLine(const QByteArray &channel, const QByteArray &payload, qint64 ts);

Q_SIGNALS:
    void started(const QString &path);
    // After each write to the file.
    void progress(quint64 messages, quint64 bytesWritten);
    // A write failed; recording stopped. error says what and how much of the recording is kept.
    void failed(const QString &error);
    void stopped();

private:
    bool flush();
    void fail(const QString &reason);

    QFile m_file;
    QString m_path;
    QByteArray m_buffer;
    QTimer m_flushTimer;
    QElapsedTimer m_clock;
    qsizetype m_flushBytes = 1 << 20;
    quint64 m_messages = 0;
    quint64 m_messagesWritten = 0;
    quint64 m_bufferedMessages = 0;
    quint64 m_bytesWritten = 0;
    qint64 m_durationMs = 0;
    QString m_error;
};

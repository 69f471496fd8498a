// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QStringList>

#include <optional>

// One message of a recording.
struct RecordedMessage
{
    QByteArray channel;
    QByteArray payload;
    qint64 ts = 0; // ms since the epoch, when the tap received it
};

// Reads a recording (TapRecorder's NDJSON) one line at a time, never the whole file. Each line must
// be a JSON object with "channel" (or "channel_b64"), "ts" (a whole number of milliseconds, >= 0)
// and "payload" (or "payload_b64"); other fields are ignored, blank lines are skipped. A line that
// is not valid is skipped and counted, with a specific error naming its line number (the first
// maxErrors of them are kept). Lines longer than maxLineBytes are skipped the same way.
class RecordingReader
{
    Q_DECLARE_TR_FUNCTIONS(RecordingReader)

public:
    RecordingReader() = default;

    // Opens path and starts counting afresh.
    bool open(const QString &path, QString *error = nullptr);
    // Closes the file; what was counted stays readable.
    void close();
    bool isOpen() const { return m_file.isOpen(); }

    // The next valid message, or nullopt at the end of the file (or on a read error: errorString()).
    std::optional<RecordedMessage> next();
    bool atEnd() const;

    // Parses one line (without its newline); nullopt with *error when it is not valid.
    static std::optional<RecordedMessage> parseLine(const QByteArray &line, QString *error);

    void setMaxLineBytes(qint64 bytes) { m_maxLineBytes = qMax<qint64>(64, bytes); }
    qint64 maxLineBytes() const { return m_maxLineBytes; }
    void setMaxErrors(int count) { m_maxErrors = qMax(0, count); }

    qint64 size() const { return m_size; }
    qint64 position() const { return m_position; }
    qint64 lineNumber() const { return m_line; }
    quint64 messagesRead() const { return m_messages; }
    quint64 skippedLines() const { return m_skipped; }
    // "line 12: ..." for the first maxErrors skipped lines.
    const QStringList &errors() const { return m_errors; }
    // A read error of the file itself; empty otherwise.
    QString errorString() const { return m_readError; }

private:
    bool readLine(QByteArray *line);
    bool fill();
    void discardRestOfLine(qint64 length);
    void skip(const QString &why);

    QFile m_file;
    QByteArray m_buffer; // read from the file, not yet handed out from m_bufferPos on
    qsizetype m_bufferPos = 0;
    qint64 m_size = 0;
    qint64 m_position = 0;
    qint64 m_line = 0;
    qint64 m_maxLineBytes = 64 << 20;
    int m_maxErrors = 100;
    quint64 m_messages = 0;
    quint64 m_skipped = 0;
    QStringList m_errors;
    QString m_readError;
};

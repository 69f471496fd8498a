// SPDX-License-Identifier: MIT
#include "taprecorder.h"

#include "relayprotocol.h"
#include "tapcontroller.h"
#include "utf8validator.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace {
bool isUtf8(const QByteArray &bytes)
{
    Utf8Validator validator;
    return validator.feed(bytes.constData(), bytes.size()) && validator.isComplete();
}

void appendField(QByteArray &out, const char *name, const QByteArray &bytes)
{
    out += '"';
    out += name;
    if (isUtf8(bytes)) {
        out += "\":";
        RelayProtocol::appendJsonBytes(out, bytes);
    } else {
        out += "_b64\":\"";
        out += bytes.toBase64();
        out += '"';
    }
}
} // namespace

TapRecorder::TapRecorder(TapController *tap, QObject *parent)
    : QObject(parent)
{
    m_flushTimer.setInterval(250);
    connect(&m_flushTimer, &QTimer::timeout, this, &TapRecorder::flush);
    if (tap)
        connect(tap, &TapController::messageReceived, this, &TapRecorder::record);
}

TapRecorder::~TapRecorder()
{
    stop();
}

void TapRecorder::setFlushInterval(int ms)
{
    m_flushTimer.setInterval(qMax(1, ms));
}

QByteArray TapRecorder::encodeLine(const QByteArray &channel, const QByteArray &payload, qint64 ts)
{
    QByteArray line;
    line.reserve(payload.size() + channel.size() + 48);
    line += '{';
    appendField(line, "channel", channel);
    line += ",\"ts\":" + QByteArray::number(ts) + ',';
    appendField(line, "payload", payload);
    line += "}\n";
    return line;
}

bool TapRecorder::start(const QString &path, QString *error)
{
    if (isRecording())
        stop();
    m_file.setFileName(path);
    // Unbuffered: every write reaches the kernel at once, so a failure is seen where it happens.
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered)) {
        if (error)
            *error = tr("Cannot record to %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_path = path;
    m_buffer.clear();
    m_messages = m_messagesWritten = m_bufferedMessages = m_bytesWritten = 0;
    m_error.clear();
    m_clock.start();
    m_flushTimer.start();
    Q_EMIT started(path);
    return true;
}

void TapRecorder::record(const QByteArray &channel, const QByteArray &payload, qint64 receivedMs)
{
    if (!isRecording())
        return;
    m_buffer += encodeLine(channel, payload, receivedMs);
    ++m_messages;
    ++m_bufferedMessages;
    if (m_buffer.size() >= m_flushBytes)
        flush();
}

bool TapRecorder::flush()
{
    if (!isRecording() || m_buffer.isEmpty())
        return true;
    qsizetype done = 0;
    while (done < m_buffer.size()) {
        const qint64 n = m_file.write(m_buffer.constData() + done, m_buffer.size() - done);
        if (n <= 0) {
            fail(m_file.errorString());
            return false;
        }
        done += n;
    }
    m_bytesWritten += quint64(m_buffer.size());
    m_messagesWritten += m_bufferedMessages;
    m_bufferedMessages = 0;
    m_buffer.clear();
    Q_EMIT progress(m_messages, m_bytesWritten);
    return true;
}

void TapRecorder::fail(const QString &reason)
{
    // Cut off a partly written line so the file ends with the last complete one.
    m_file.resize(qint64(m_bytesWritten));
    m_error = tr("Recording to %1 stopped: %2. The file keeps the %3 messages (%4) written before; "
                 "%5 more were not written.")
                  .arg(m_path, reason, QLocale().toString(qulonglong(m_messagesWritten)),
                       QLocale().formattedDataSize(qint64(m_bytesWritten)),
                       QLocale().toString(qulonglong(m_bufferedMessages)));
    m_messages = m_messagesWritten;
    m_bufferedMessages = 0;
    m_buffer.clear();
    m_flushTimer.stop();
    m_durationMs = m_clock.elapsed();
    m_file.close();
    Q_EMIT failed(m_error);
    Q_EMIT stopped();
}

void TapRecorder::stop()
{
    if (!isRecording())
        return;
    if (!flush())
        return; // fail() closed the file and emitted stopped()
    m_flushTimer.stop();
    m_durationMs = m_clock.elapsed();
    m_file.close();
    Q_EMIT stopped();
}

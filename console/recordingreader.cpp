// SPDX-License-Identifier: MIT
#include "recordingreader.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {
// name or name_b64 of object as bytes; nullopt with *error when missing, both or invalid.
std::optional<QByteArray> bytesField(const QJsonObject &object, const QString &name, QString *error)
{
    const QString b64 = name + u"_b64"_s;
    const bool hasText = object.contains(name);
    const bool hasB64 = object.contains(b64);
    if (hasText && hasB64) {
        *error = RecordingReader::tr("both \"%1\" and \"%2\"").arg(name, b64);
        return std::nullopt;
    }
    if (!hasText && !hasB64) {
        *error = RecordingReader::tr("no \"%1\" (or \"%2\")").arg(name, b64);
        return std::nullopt;
    }
    const QJsonValue value = object.value(hasText ? name : b64);
    if (!value.isString()) {
        *error = RecordingReader::tr("\"%1\" is not a string").arg(hasText ? name : b64);
        return std::nullopt;
    }
    if (hasText)
        return value.toString().toUtf8();
    const auto decoded =
        QByteArray::fromBase64Encoding(value.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) {
        *error = RecordingReader::tr("\"%1\" is not valid base64").arg(b64);
        return std::nullopt;
    }
    return *decoded;
}
} // namespace

bool RecordingReader::open(const QString &path, QString *error)
{
    close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(path, m_file.errorString());
        return false;
    }
    m_size = m_file.size();
    m_buffer.clear();
    m_bufferPos = 0;
    m_position = m_line = 0;
    m_messages = m_skipped = 0;
    m_errors.clear();
    m_readError.clear();
    return true;
}

void RecordingReader::close()
{
    m_file.close();
}

bool RecordingReader::atEnd() const
{
    return !m_file.isOpen() || (m_file.atEnd() && m_bufferPos >= m_buffer.size());
}

std::optional<RecordedMessage> RecordingReader::parseLine(const QByteArray &line, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error =
            tr("not JSON (%1 at column %2)").arg(parseError.errorString()).arg(qMax(1, parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = tr("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    RecordedMessage message;
    const QJsonValue ts = object.value(u"ts"_s);
    if (ts.isUndefined()) {
        *error = tr("no \"ts\"");
        return std::nullopt;
    }
    const double ms = ts.toDouble(-1);
    if (!ts.isDouble() || ms < 0 || ms > 9007199254740991.0 || std::floor(ms) != ms) {
        *error = tr("\"ts\" is not a whole number of milliseconds >= 0");
        return std::nullopt;
    }
    message.ts = qint64(ms);
    const auto channel = bytesField(object, u"channel"_s, error);
    if (!channel)
        return std::nullopt;
    if (channel->isEmpty()) {
        *error = tr("\"channel\" is empty");
        return std::nullopt;
    }
    message.channel = *channel;
    const auto payload = bytesField(object, u"payload"_s, error);
    if (!payload)
        return std::nullopt;
    message.payload = *payload;
    return message;
}

namespace {
constexpr qint64 ChunkBytes = 64 * 1024;
}

// More of the file into the buffer; false at its end or on a read error.
bool RecordingReader::fill()
{
    if (m_file.atEnd())
        return false;
    const QByteArray chunk = m_file.read(ChunkBytes);
    if (chunk.isEmpty()) {
        if (m_file.error() != QFileDevice::NoError)
            m_readError = m_file.errorString();
        return false;
    }
    m_buffer.remove(0, m_bufferPos);
    m_bufferPos = 0;
    m_buffer += chunk;
    return true;
}

// Drops the rest of a line too long to keep (length bytes of it seen so far) up to its newline.
void RecordingReader::discardRestOfLine(qint64 length)
{
    length += m_buffer.size() - m_bufferPos;
    m_position += m_buffer.size() - m_bufferPos;
    m_buffer.clear();
    m_bufferPos = 0;
    while (fill()) {
        const qsizetype newline = m_buffer.indexOf('\n');
        const qsizetype taken = newline < 0 ? m_buffer.size() : newline + 1;
        length += taken - (newline < 0 ? 0 : 1);
        m_position += taken;
        m_bufferPos = taken;
        if (newline >= 0)
            break;
        m_buffer.clear();
        m_bufferPos = 0;
    }
    skip(tr("longer than %1 bytes (%2)").arg(m_maxLineBytes).arg(QLocale().formattedDataSize(length)));
}

// The next line without its newline (and a CR before it); a line longer than m_maxLineBytes is
// skipped without being held in memory.
bool RecordingReader::readLine(QByteArray *line)
{
    qsizetype scanned = 0; // bytes after m_bufferPos known to hold no newline
    while (true) {
        const qsizetype newline = m_buffer.indexOf('\n', m_bufferPos + scanned);
        const qint64 length = (newline < 0 ? m_buffer.size() : newline) - m_bufferPos;
        if (length > m_maxLineBytes) {
            ++m_line;
            if (newline < 0) {
                discardRestOfLine(0);
            } else {
                m_position += length + 1;
                m_bufferPos = newline + 1;
                skip(tr("longer than %1 bytes (%2)")
                         .arg(m_maxLineBytes)
                         .arg(QLocale().formattedDataSize(length)));
            }
            scanned = 0;
            continue;
        }
        if (newline >= 0) {
            ++m_line;
            *line = m_buffer.mid(m_bufferPos, length);
            m_position += length + 1;
            m_bufferPos = newline + 1;
            break;
        }
        scanned = length;
        if (!fill()) {
            if (!m_readError.isEmpty() || length == 0)
                return false;
            ++m_line;
            *line = m_buffer.mid(m_bufferPos); // the last line, without a newline
            m_position += line->size();
            m_bufferPos = m_buffer.size();
            break;
        }
    }
    if (line->endsWith('\r'))
        line->chop(1);
    return true;
}

void RecordingReader::skip(const QString &why)
{
    ++m_skipped;
    if (m_errors.size() < m_maxErrors)
        m_errors.append(tr("line %1: %2").arg(m_line).arg(why));
}

std::optional<RecordedMessage> RecordingReader::next()
{
    QByteArray line;
    while (readLine(&line)) {
        if (line.trimmed().isEmpty())
            continue;
        QString error;
        if (auto message = parseLine(line, &error)) {
            ++m_messages;
            return message;
        }
        skip(error);
    }
    return std::nullopt;
}

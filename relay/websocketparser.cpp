// SPDX-License-Identifier: MIT
#include "websocketparser.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace {

constexpr quint16 ProtocolError = 1002;
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 TooBig = 1009;

// Bytes of a client frame's header: 2, the extended length, and the 4-byte masking key.
int headerLength(quint8 second)
{
    const quint8 length = second & 0x7f;
    return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0) + 4;
}

} // namespace

bool WebSocketParser::isValidCloseCode(quint16 code)
{
    // Section 7.4.1 and IANA's registry (1012-1014 registered since); 3000-4999 for libraries
    // and applications. 1004-1006 and 1015 must never be sent in a close frame.
    if (code >= 3000 && code <= 4999)
        return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

bool WebSocketParser::fail(Handler &handler, quint16 code, const char *reason)
{
    m_state = State::Failed;
    m_errorCode = code;
    m_message = QByteArray();
    m_control = QByteArray();
    handler.failed(code, reason);
    return false;
}

bool WebSocketParser::feed(char *data, qsizetype size, Handler &handler)
{
    char *p = data;
    char *const end = data + size;
    for (;;) {
        if (m_state == State::Header) {
            const char *read = p;
            const bool complete = readHeader(read, end, handler);
            p = data + (read - data);
            if (!complete)
                break;
        }
        if (m_state != State::Payload || !consumePayload(p, end, handler))
            break;
    }
    return m_state != State::Failed;
}

bool WebSocketParser::readHeader(const char *&p, const char *end, Handler &handler)
{
    while (p < end) {
        if (m_headerSize < 2) {
            m_header[m_headerSize++] = quint8(*p++);
            if (m_headerSize < 2)
                continue;
            // The first two bytes decide whether the frame may exist at all.
            const quint8 b0 = m_header[0];
            const quint8 b1 = m_header[1];
            m_fin = (b0 & 0x80) != 0;
            m_opcode = b0 & 0x0f;
            if (b0 & 0x70)
                return fail(handler, ProtocolError, "reserved bits set (no extension was negotiated)");
            if (m_opcode > Binary && m_opcode != Close && m_opcode != Ping && m_opcode != Pong)
                return fail(handler, ProtocolError, "reserved opcode");
            if (!(b1 & 0x80))
                return fail(handler, ProtocolError, "unmasked client frame");
            if (m_opcode & 0x8) {
                if (!m_fin)
                    return fail(handler, ProtocolError, "fragmented control frame");
                if ((b1 & 0x7f) > 125)
                    return fail(handler, ProtocolError, "control frame payload over 125 bytes");
            } else if (m_opcode == Continuation && !m_messageOpcode) {
                return fail(handler, ProtocolError, "continuation frame with no message to continue");
            } else if (m_opcode != Continuation && m_messageOpcode) {
                return fail(handler, ProtocolError, "new message before the fragmented one ended");
            }
            continue;
        }
        const int need = headerLength(m_header[1]);
        const int take = int(std::min<qsizetype>(need - m_headerSize, end - p));
        std::memcpy(m_header + m_headerSize, p, size_t(take));
        p += take;
        m_headerSize = quint8(m_headerSize + take);
        if (m_headerSize == need)
            return acceptHeader(handler);
    }
    return false;
}

bool WebSocketParser::acceptHeader(Handler &handler)
{
    const quint8 length7 = m_header[1] & 0x7f;
    quint64 length = length7;
    int at = 2;
    if (length7 == 126) {
        length = quint64(m_header[2]) << 8 | m_header[3];
        at = 4;
        if (length < 126)
            return fail(handler, ProtocolError, "payload length not in its minimal form");
    } else if (length7 == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = length << 8 | m_header[2 + i];
        at = 10;
        if (length >> 63)
            return fail(handler, ProtocolError, "payload length with its most significant bit set");
        if (length <= 0xffff)
            return fail(handler, ProtocolError, "payload length not in its minimal form");
    }
    std::memcpy(m_mask, m_header + at, 4);
    m_headerSize = 0;
    m_maskOffset = 0;
    m_remaining = length;
    m_state = State::Payload;
    if (m_opcode & 0x8)
        return true;
    if (m_opcode != Continuation) {
        m_messageOpcode = m_opcode;
        m_utf8.reset();
    }
    if (m_discard)
        return true;
    if (quint64(m_message.size()) + length > quint64(m_maxMessage)) {
        // Failed, but the rest of this message is skipped rather than buffered (see Handler::failed).
        m_errorCode = TooBig;
        m_discard = true;
        m_message = QByteArray();
        handler.failed(TooBig, "message too big");
        return m_state == State::Payload;
    }
    if (length > 0)
        m_message.reserve(m_message.size() + qsizetype(length));
    return true;
}

void WebSocketParser::unmask(char *data, qsizetype size)
{
    auto *d = reinterpret_cast<uchar *>(data);
    qsizetype i = 0;
    for (; i < size && m_maskOffset != 0; ++i) {
        d[i] ^= m_mask[m_maskOffset];
        m_maskOffset = (m_maskOffset + 1) & 3;
    }
    if (size - i >= 8) {
        quint32 key4;
        std::memcpy(&key4, m_mask, 4);
        const quint64 key = quint64(key4) << 32 | key4;
        for (; size - i >= 8; i += 8) {
            quint64 word;
            std::memcpy(&word, d + i, 8);
            word ^= key;
            std::memcpy(d + i, &word, 8);
        }
    }
    for (; i < size; ++i) {
        d[i] ^= m_mask[m_maskOffset];
        m_maskOffset = (m_maskOffset + 1) & 3;
    }
}

bool WebSocketParser::consumePayload(char *&p, char *end, Handler &handler)
{
    const qsizetype take = qsizetype(std::min<quint64>(m_remaining, quint64(end - p)));
    unmask(p, take);
    const QByteArrayView chunk(p, take);
    p += take;
    m_remaining -= quint64(take);
    if (m_opcode & 0x8) {
        if (m_remaining == 0 && m_control.isEmpty())
            return finishControl(handler, chunk);
        m_control.append(chunk);
        if (m_remaining > 0)
            return false;
        const QByteArray payload = std::exchange(m_control, QByteArray());
        return finishControl(handler, payload);
    }
    if (m_discard) {
        if (m_remaining > 0)
            return false;
        m_state = State::Header;
        if (m_fin)
            m_messageOpcode = 0;
        return true;
    }
    if (m_messageOpcode == Text && !m_utf8.feed(chunk.data(), chunk.size()))
        return fail(handler, InvalidPayload, "invalid UTF-8 in a text message");
    if (take > 0)
        m_message.append(chunk);
    if (m_remaining > 0)
        return false;
    m_state = State::Header;
    if (!m_fin)
        return true;
    const bool text = m_messageOpcode == Text;
    if (text && !m_utf8.isComplete())
        return fail(handler, InvalidPayload, "text message ends inside a UTF-8 character");
    m_messageOpcode = 0;
    handler.messageReceived(text, std::exchange(m_message, QByteArray()));
    return m_state == State::Header;
}

bool WebSocketParser::finishControl(Handler &handler, QByteArrayView payload)
{
    m_state = State::Header;
    if (m_opcode == Ping) {
        handler.pingReceived(payload);
    } else if (m_opcode == Pong) {
        handler.pongReceived(payload);
    } else {
        if (payload.size() == 1)
            return fail(handler, ProtocolError, "close frame with a 1-byte payload");
        quint16 code = 0;
        QByteArrayView reason;
        if (payload.size() >= 2) {
            code = quint16(uchar(payload[0]) << 8 | uchar(payload[1]));
            if (!isValidCloseCode(code))
                return fail(handler, ProtocolError, "invalid close code");
            reason = payload.sliced(2);
            Utf8Validator utf8;
            if (!utf8.feed(reason.data(), reason.size()) || !utf8.isComplete())
                return fail(handler, InvalidPayload, "close reason is not valid UTF-8");
        }
        m_state = State::Stopped;
        handler.closeReceived(code, reason);
        return false;
    }
    return m_state == State::Header;
}

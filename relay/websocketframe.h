// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Server-to-client WebSocket frames (RFC 6455 section 5.2): unmasked, so one encoded frame can be
// written to every recipient of a message.
namespace WebSocketFrame {

// One final frame of opcode carrying payload.
QByteArray encode(quint8 opcode, QByteArrayView payload);
// One final text frame carrying payload, which must be valid UTF-8.
inline QByteArray text(QByteArrayView payload)
{
    return encode(0x1, payload);
}
inline QByteArray ping(QByteArrayView payload = {})
{
    return encode(0x9, payload);
}
inline QByteArray pong(QByteArrayView payload)
{
    return encode(0xa, payload);
}
// A close frame: the code (none when 0) and a reason cut to fit a control frame's 125 bytes
// without splitting a UTF-8 character.
QByteArray close(quint16 code, QByteArrayView reason = {});

} // namespace WebSocketFrame

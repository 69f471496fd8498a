// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

// Server-to-client WebSocket frames (RFC 6455 section 5.2): unmasked, so one encoded frame can be
// written to every recipient of a message.
namespace WebSocketFrame {

// One final text frame carrying payload, which must be valid UTF-8.
QByteArray text(QByteArrayView payload);

} // namespace WebSocketFrame

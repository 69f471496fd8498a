// SPDX-License-Identifier: MIT
#include "websocketframe.h"

#include <cstring>

namespace WebSocketFrame {

QByteArray encode(quint8 opcode, QByteArrayView payload)
{
    const quint64 size = quint64(payload.size());
    const qsizetype header = size < 126 ? 2 : size <= 0xffff ? 4 : 10;
    QByteArray frame(header + payload.size(), Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(frame.data());
    out[0] = uchar(0x80 | (opcode & 0x0f)); // FIN
    if (size < 126) {
        out[1] = uchar(size);
    } else if (size <= 0xffff) {
        out[1] = 126;
        out[2] = uchar(size >> 8);
        out[3] = uchar(size);
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = uchar(size >> (56 - 8 * i));
    }
    if (!payload.isEmpty())
        std::memcpy(out + header, payload.data(), size_t(payload.size()));
    return frame;
}

QByteArray close(quint16 code, QByteArrayView reason)
{
    if (code == 0)
        return encode(0x8, {});
    qsizetype size = qMin<qsizetype>(reason.size(), 123);
    if (size < reason.size()) {
        // Back to the start of the character the cut falls in.
        while (size > 0 && (uchar(reason[size]) & 0xc0) == 0x80)
            --size;
    }
    QByteArray payload(2 + size, Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xff);
    if (size > 0)
        std::memcpy(payload.data() + 2, reason.data(), size_t(size));
    return encode(0x8, payload);
}

} // namespace WebSocketFrame

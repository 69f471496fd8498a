// SPDX-License-Identifier: MIT
#include "websocketframe.h"

namespace WebSocketFrame {

QByteArray text(QByteArrayView payload)
{
    const quint64 size = quint64(payload.size());
    const qsizetype header = size < 126 ? 2 : size <= 0xffff ? 4 : 10;
    QByteArray frame(header + payload.size(), Qt::Uninitialized);
    auto *out = reinterpret_cast<uchar *>(frame.data());
    out[0] = 0x81; // FIN + text
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
        memcpy(out + header, payload.data(), size_t(payload.size()));
    return frame;
}

} // namespace WebSocketFrame

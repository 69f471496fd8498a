// SPDX-License-Identifier: MIT
// libFuzzer target: every client frame the relay can receive goes through RelayProtocol::parse,
// and every reply it writes back must be valid JSON.
#include "relayprotocol.h"

#include <QJsonDocument>

#include <cstdlib>

namespace {

// A strict room key is 1-128 of [A-Za-z0-9_.:-]: a client can never name another kind of channel.
void checkStrictRoomKey(const QString &key)
{
    if (key.isEmpty() || key.size() > RelayProtocol::MaxRoomIdLength)
        std::abort();
    for (const QChar c : key) {
        const char16_t u = c.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
              u == '.' || u == ':' || u == '-'))
            std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray frame = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    const RelayProtocol::Request strict = RelayProtocol::parse(frame, RelayProtocol::RoomIds::Strict);
    if (strict.hasRoom)
        checkStrictRoomKey(strict.roomKey);
    const RelayProtocol::Request request = RelayProtocol::parse(frame, RelayProtocol::RoomIds::Seed);
    QByteArray reply;
    if (request.kind == RelayProtocol::Request::Kind::Invalid)
        reply = RelayProtocol::error(request.errorCode, request.errorMessage);
    else if (request.kind == RelayProtocol::Request::Kind::Message)
        reply = RelayProtocol::chatMessage(request.user, request.text, 0, &request.roomId, "fuzz-1");
    else if (request.kind == RelayProtocol::Request::Kind::Join)
        reply = RelayProtocol::joined(request.roomId);
    if (!reply.isEmpty()) {
        QJsonParseError error;
        QJsonDocument::fromJson(reply, &error);
        if (error.error != QJsonParseError::NoError)
            std::abort();
    }
    return 0;
}

// SPDX-License-Identifier: MIT
// libFuzzer target: the relay's RFC 6455 input side. The bytes are read as an opening handshake
// and as a stream of client frames, fed whole and in pieces of a size the first byte picks: the
// events must be the same both ways, text messages must be valid UTF-8 and within the limit, and
// nothing may follow a failure or a close.
#include "utf8validator.h"
#include "websockethandshake.h"
#include "websocketparser.h"

#include <QList>

#include <cstdlib>

namespace {

constexpr qint64 Limit = 1000;

class Recorder : public WebSocketParser::Handler
{
public:
    QList<QByteArray> events;
    bool ended = false;
    void check() const
    {
        if (ended)
            std::abort(); // nothing after a failure or a close
    }
    void messageReceived(bool text, QByteArray &&payload) override
    {
        check();
        if (payload.size() > Limit)
            std::abort();
        if (text) {
            Utf8Validator v;
            v.feed(payload.constData(), payload.size());
            if (!v.isComplete() || !payload.isValidUtf8())
                std::abort();
        }
        events << (text ? "t" : "b") + payload;
    }
    void pingReceived(QByteArrayView payload) override
    {
        check();
        if (payload.size() > 125)
            std::abort();
        events << "i" + payload.toByteArray();
    }
    void pongReceived(QByteArrayView payload) override
    {
        check();
        events << "o" + payload.toByteArray();
    }
    void closeReceived(quint16 code, QByteArrayView reason) override
    {
        check();
        if (code != 0 && !WebSocketParser::isValidCloseCode(code))
            std::abort();
        ended = true;
        events << "c" + QByteArray::number(code) + reason.toByteArray();
    }
    void failed(quint16 code, const char *) override
    {
        check();
        if (code != 1002 && code != 1007 && code != 1009)
            std::abort();
        ended = code != 1009;
        events << "f" + QByteArray::number(code);
    }
};

QList<QByteArray> parse(QByteArray bytes, qsizetype piece)
{
    WebSocketParser parser(Limit);
    Recorder recorder;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        parser.feed(bytes.data() + at, qMin(piece, bytes.size() - at), recorder);
    return recorder.events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size) - 1);
    const WebSocketHandshake::Result handshake = WebSocketHandshake::parse(bytes);
    if (handshake.status == WebSocketHandshake::Result::Status::Refused &&
        (handshake.httpStatus < 400 || handshake.reason.isEmpty()))
        std::abort();
    if (handshake.status == WebSocketHandshake::Result::Status::Complete &&
        (handshake.consumed > bytes.size() || handshake.request.host.isEmpty()))
        std::abort();
    const qsizetype piece = 1 + data[0] % 17;
    if (parse(bytes, bytes.size() + 1) != parse(bytes, piece))
        std::abort();
    return 0;
}

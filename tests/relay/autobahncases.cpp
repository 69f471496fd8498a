// SPDX-License-Identifier: MIT
// Builders, and the Autobahn sections 1 (framing), 2 (pings and pongs), 3 (reserved bits) and
// 4 (opcodes).
#include "autobahncases.h"

#include "conformanceclient.h"

#include <QTest>

using Opcode = ConformanceClient::Opcode;

namespace Autobahn {

ConformanceStep send(const QByteArray &bytes, qsizetype chop)
{
    return {ConformanceStep::Kind::Send, bytes, chop};
}

ConformanceStep message(const QByteArray &text)
{
    return {ConformanceStep::Kind::Message, text, 0};
}

ConformanceStep error(const QByteArray &code)
{
    return {ConformanceStep::Kind::Error, code, 0};
}

ConformanceStep pong(const QByteArray &payload)
{
    return {ConformanceStep::Kind::Pong, payload, 0};
}

ConformanceEnding answered()
{
    return {};
}

ConformanceEnding fail(int code, bool replyClose)
{
    return {ConformanceEnding::Kind::Fail, code, replyClose, false};
}

ConformanceEnding closeEcho(int code, bool skipMessages)
{
    return {ConformanceEnding::Kind::CloseEcho, code, false, skipMessages};
}

QByteArray chatPrefix()
{
    return R"({"type":"message","user":"u","text":")";
}

QByteArray chatSuffix()
{
    return R"("})";
}

QByteArray chat(const QByteArray &text)
{
    return chatPrefix() + text + chatSuffix();
}

QByteArray chatOfSize(qsizetype size)
{
    return chat(QByteArray(size - chatPrefix().size() - chatSuffix().size(), '*'));
}

QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin, quint8 rsv, bool masked)
{
    return ConformanceClient::frame(opcode, payload, fin, rsv, masked);
}

QByteArray text(const QByteArray &payload, bool fin)
{
    return ConformanceClient::frame(Opcode::Text, payload, fin);
}

QByteArray binary(const QByteArray &payload, bool fin)
{
    return ConformanceClient::frame(Opcode::Binary, payload, fin);
}

QByteArray continuation(const QByteArray &payload, bool fin)
{
    return ConformanceClient::frame(Opcode::Continuation, payload, fin);
}

QByteArray ping(const QByteArray &payload)
{
    return ConformanceClient::frame(Opcode::Ping, payload);
}

QByteArray pongFrame(const QByteArray &payload)
{
    return ConformanceClient::frame(Opcode::Pong, payload);
}

QByteArray close(int code, const QByteArray &reason)
{
    return ConformanceClient::frame(Opcode::Close, ConformanceClient::closePayload(code, reason));
}

QByteArrayList fragments(const QByteArray &payload, const QList<qsizetype> &sizes)
{
    QByteArrayList parts;
    qsizetype at = 0;
    for (qsizetype size : sizes) {
        parts.append(payload.mid(at, size));
        at += size;
    }
    parts.append(payload.mid(at));
    return parts;
}

QByteArrayList textFrames(const QByteArrayList &parts)
{
    QByteArrayList frames;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const bool fin = i == parts.size() - 1;
        frames.append(i == 0 ? text(parts[i], fin) : continuation(parts[i], fin));
    }
    return frames;
}

void addRow(const QByteArray &name, const QList<ConformanceStep> &steps, const ConformanceEnding &ending)
{
    QTest::newRow(name.constData()) << ConformanceCase{steps, ending};
}

void addFramingCases()
{
    // A text message of n bytes: a chat message whose whole frame payload is n bytes. 0 bytes
    // cannot hold one: the empty message reaches the protocol, which answers invalid_json.
    addRow("1.1.1 text message, payload 0 (empty frame: invalid_json)",
           {send(text({})), error("invalid_json")}, answered());
    const QList<std::pair<QByteArray, qsizetype>> sizes = {
        {"1.1.2", 125}, {"1.1.3", 126}, {"1.1.4", 127}, {"1.1.5", 128}, {"1.1.6", 65535}, {"1.1.7", 65536}};
    const qsizetype envelope = chat({}).size();
    for (const auto &[number, size] : sizes) {
        addRow(number + " text message, payload " + QByteArray::number(size),
               {send(text(chatOfSize(size))), message(QByteArray(size - envelope, '*'))}, answered());
    }
    addRow("1.1.8 text message, payload 65536, in chops of 997 octets",
           {send(text(chatOfSize(65536)), 997), message(QByteArray(65536 - envelope, '*'))}, answered());

    const QList<std::pair<QByteArray, qsizetype>> binarySizes = {
        {"1.2.1", 0},   {"1.2.2", 125},   {"1.2.3", 126},  {"1.2.4", 127},
        {"1.2.5", 128}, {"1.2.6", 65535}, {"1.2.7", 65536}};
    for (const auto &[number, size] : binarySizes) {
        addRow(number + " binary message, payload " + QByteArray::number(size),
               {send(binary(QByteArray(size, '\xfe'))), error("binary_not_supported")}, answered());
    }
    addRow("1.2.8 binary message, payload 65536, in chops of 997 octets",
           {send(binary(QByteArray(65536, '\xfe')), 997), error("binary_not_supported")}, answered());
}

void addPingPongCases()
{
    addRow("2.1 ping without payload", {send(ping()), pong({})}, answered());
    addRow("2.2 ping with small text payload", {send(ping("Hello, world!")), pong("Hello, world!")},
           answered());
    const QByteArray bin("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);
    addRow("2.3 ping with small binary (non UTF-8) payload", {send(ping(bin)), pong(bin)}, answered());
    const QByteArray max(125, '\xfe');
    addRow("2.4 ping with binary payload of 125 octets", {send(ping(max)), pong(max)}, answered());
    addRow("2.5 ping with binary payload of 126 octets: 1002", {send(ping(QByteArray(126, '\xfe')))},
           fail(1002));
    addRow("2.5 ping with binary payload of 126 octets: 1002, client silent",
           {send(ping(QByteArray(126, '\xfe')))}, fail(1002, false));
    addRow("2.6 ping with binary payload of 125 octets, octet-wise chops", {send(ping(max), 1), pong(max)},
           answered());
    addRow("2.7 unsolicited pong without payload: nothing in reply", {send(pongFrame())}, answered());
    addRow("2.8 unsolicited pong with payload: nothing in reply",
           {send(pongFrame("unsolicited pong payload"))}, answered());
    addRow("2.9 unsolicited pong, then ping with payload: pong for the ping only",
           {send(pongFrame("unsolicited pong payload") + ping("ping payload")), pong("ping payload")},
           answered());
    for (const qsizetype chop : {0, 1}) {
        QByteArray pings;
        QList<ConformanceStep> steps;
        for (int i = 0; i < 10; ++i) {
            const QByteArray payload = "payload-" + QByteArray::number(i);
            pings += ping(payload);
            steps.append(pong(payload));
        }
        steps.prepend(send(pings, chop));
        addRow(chop ? "2.11 10 pings with payload, octet-wise chops: 10 pongs"
                    : "2.10 10 pings with payload: 10 pongs",
               steps, answered());
    }
}

void addReservedBitsCases()
{
    const QByteArray hello = chat("Hello, world!");
    addRow("3.1 text message with RSV = 1: 1002", {send(frame(1, hello, true, 1))}, fail(1002));
    addRow("3.1 text message with RSV = 1: 1002, client silent", {send(frame(1, hello, true, 1))},
           fail(1002, false));
    addRow("3.2 text, text with RSV = 2, ping: message, 1002, no pong",
           {send(text(hello) + frame(1, hello, true, 2) + ping()), message("Hello, world!")}, fail(1002));
    addRow("3.3 text, text with RSV = 3, ping, frame-wise chops: message, 1002, no pong",
           {send(text(hello)), send(frame(1, hello, true, 3)), send(ping()), message("Hello, world!")},
           fail(1002));
    addRow("3.4 text, text with RSV = 4, ping, octet-wise chops: message, 1002, no pong",
           {send(text(hello) + frame(1, hello, true, 4) + ping(), 1), message("Hello, world!")}, fail(1002));
    const QByteArray bin("\x00\xff\xfe\xfd\xfc\xfb\x00\xff", 8);
    addRow("3.5 binary message with RSV = 5: 1002", {send(frame(2, bin, true, 5))}, fail(1002));
    addRow("3.6 ping with RSV = 6: 1002, no pong", {send(frame(9, "Hello, world!", true, 6))}, fail(1002));
    addRow("3.7 close with RSV = 7: 1002", {send(frame(8, ConformanceClient::closePayload(1000), true, 7))},
           fail(1002, false));
}

void addOpcodeCases()
{
    const QByteArray hello = chat("Hello, world!");
    const QByteArray payload = "reserved opcode payload";
    struct Row
    {
        const char *number;
        quint8 opcode;
        bool withPayload;
        bool messageFirst;
    };
    const Row rows[] = {{"4.1.1", 3, false, false}, {"4.1.2", 4, true, false},  {"4.1.3", 5, false, true},
                        {"4.1.4", 6, true, true},   {"4.1.5", 7, true, true},   {"4.2.1", 11, false, false},
                        {"4.2.2", 12, true, false}, {"4.2.3", 13, false, true}, {"4.2.4", 14, true, true},
                        {"4.2.5", 15, true, true}};
    for (const Row &r : rows) {
        const QByteArray reserved = frame(r.opcode, r.withPayload ? payload : QByteArray());
        const QByteArray what = QByteArray(r.opcode < 8 ? "reserved non-control" : "reserved control") +
                                " opcode " + QByteArray::number(r.opcode) +
                                (r.withPayload ? " with payload" : "");
        if (r.messageFirst) {
            addRow(QByteArray(r.number) + " text, then " + what + ", then ping: message, 1002, no pong",
                   {send(text(hello) + reserved + ping()), message("Hello, world!")}, fail(1002));
        } else {
            addRow(QByteArray(r.number) + " " + what + ": 1002", {send(reserved)}, fail(1002));
        }
    }
    addRow("4.2.1 reserved control opcode 11: 1002, client silent", {send(frame(11, {}))}, fail(1002, false));
}

} // namespace Autobahn

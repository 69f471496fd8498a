// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>

// The RFC 6455 conformance cases of tst_websocketconformance: the Autobahn testsuite's case
// catalogue, sections 1-7 and 10 (named with Autobahn's case numbers), and rows the RFC requires
// that Autobahn does not test (named with the RFC section). The relay is not an echo server, so
// a text message of a case travels as the "text" of a chat message, {"type":"message","user":
// "u","text":P}, which the relay delivers back to its sender; the delivered text must equal P.

// One step of a case: bytes to send, or the next thing the relay must answer.
struct ConformanceStep
{
    enum class Kind {
        Send,    // bytes: the wire bytes; chop > 0: sent in chops of that many bytes
        Message, // a chat message whose "text" is bytes (UTF-8)
        Error,   // a protocol error frame whose "code" is bytes
        Pong,    // a pong frame with payload bytes
    };
    Kind kind = Kind::Send;
    QByteArray bytes;
    qsizetype chop = 0;
};

// How a case ends, after its steps.
struct ConformanceEnding
{
    enum class Kind {
        // The connection is open and in sync: {"type":"ping"} is answered by {"type":"pong"}.
        Answered,
        // The relay fails the connection: a close frame with exactly code (nothing before it),
        // then the TCP close, after the client's reply close (replyClose) or without one.
        Fail,
        // The client sent a close: the relay answers with a close frame with code (0: 1000 or no
        // code) and closes the TCP connection; nothing else arrives (no pong, no message), except
        // messages when skipMessages (7.1.6: the close may overtake them).
        CloseEcho,
    };
    Kind kind = Kind::Answered;
    int code = 0;
    bool replyClose = true;
    bool skipMessages = false;
};

struct ConformanceCase
{
    QList<ConformanceStep> steps;
    ConformanceEnding ending;
};
Q_DECLARE_METATYPE(ConformanceCase)

namespace Autobahn {

// Builders for the case tables.
ConformanceStep send(const QByteArray &bytes, qsizetype chop = 0);
ConformanceStep message(const QByteArray &text);
ConformanceStep error(const QByteArray &code);
ConformanceStep pong(const QByteArray &payload);
ConformanceEnding answered();
ConformanceEnding fail(int code, bool replyClose = true);
ConformanceEnding closeEcho(int code, bool skipMessages = false);

// The chat message envelope: prefix + text + suffix is the frame payload for text.
QByteArray chatPrefix();
QByteArray chatSuffix();
QByteArray chat(const QByteArray &text);
// A chat message of exactly size bytes ("*" as text).
QByteArray chatOfSize(qsizetype size);
// Client frames: any opcode, FIN, RSV field (3 bits, RSV1 = 4), masked unless masked is false.
QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, quint8 rsv = 0,
                 bool masked = true);
// Masked client frames.
QByteArray text(const QByteArray &payload, bool fin = true);
QByteArray binary(const QByteArray &payload, bool fin = true);
QByteArray continuation(const QByteArray &payload, bool fin = true);
QByteArray ping(const QByteArray &payload = {});
QByteArray pongFrame(const QByteArray &payload = {});
QByteArray close(int code, const QByteArray &reason = {});
// A text message split into frames (the first Text, the others Continuation) at the given sizes;
// the last part takes the rest.
QByteArrayList fragments(const QByteArray &payload, const QList<qsizetype> &sizes);
QByteArrayList textFrames(const QByteArrayList &parts);

// Adds one row to the current Qt test table (columns "case").
void addRow(const QByteArray &name, const QList<ConformanceStep> &steps, const ConformanceEnding &ending);

// Section tables (each adds its rows).
void addFramingCases();       // 1.x
void addPingPongCases();      // 2.x
void addReservedBitsCases();  // 3.x
void addOpcodeCases();        // 4.x
void addFragmentationCases(); // 5.x
void addUtf8Cases();          // 6.1-6.4
void addUtf8SequenceCases();  // 6.5-6.23
void addCloseCases();         // 7.x
void addMiscCases();          // 10.x
void addRfcCases();           // outside Autobahn's numbering

} // namespace Autobahn

// SPDX-License-Identifier: MIT
// The Autobahn section 7: close handling. A client's close is answered with a close frame (its
// code echoed, 1000 when it sent none) and the TCP close; nothing the client sends after its close
// is answered or delivered. A close frame that is malformed (1 octet, a reason that makes it a
// control frame over 125 octets, a code that may not be sent) fails the connection with 1002, one
// whose reason is not UTF-8 with 1007.
#include "autobahncases.h"

namespace Autobahn {

namespace {

void addOrderCases()
{
    addRow("7.1.1 text message, then close: message, then close 1000",
           {send(text(chat("Hello World")) + close(1000)), message("Hello World")}, closeEcho(1000));
    addRow("7.1.2 two close frames: one close 1000, the second ignored", {send(close(1000) + close(1000))},
           closeEcho(1000));
    addRow("7.1.3 ping after close: close 1000, no pong", {send(close(1000) + ping("ping after close"))},
           closeEcho(1000));
    addRow("7.1.4 text after close: close 1000, text not delivered",
           {send(close(1000) + text(chat("text after close")))}, closeEcho(1000));
    addRow("7.1.5 fragment 1, close, fragment 2: close 1000",
           {send(text(chatPrefix() + "fragment1", false) + close(1000) +
                 continuation("fragment2" + chatSuffix()))},
           closeEcho(1000));
    const QByteArray big = chat(QByteArray("BAsd7&jh23").repeated(26215).left(256 * 1024 - chat({}).size()));
    addRow("7.1.6 256 KiB text, text, close, ping: close 1000 (messages may come before it), no pong",
           {send(text(big) + text(chat("Hello World!")) + close(1000) + ping())}, closeEcho(1000, true));
}

void addPayloadCases()
{
    addRow("7.3.1 close with payload length 0: close 1000 (or without code)", {send(frame(8, {}))},
           closeEcho(0));
    addRow("7.3.2 close with payload length 1: 1002", {send(frame(8, "a"))}, fail(1002, false));
    addRow("7.3.3 close with payload length 2 (code 1000): close 1000", {send(close(1000))}, closeEcho(1000));
    addRow("7.3.4 close with code and reason: close 1000", {send(close(1000, "Hello World!"))},
           closeEcho(1000));
    addRow("7.3.5 close with code and reason of 123 octets: close 1000",
           {send(close(1000, QByteArray(123, '*')))}, closeEcho(1000));
    addRow("7.3.6 close with code and reason of 124 octets (payload 126): 1002",
           {send(close(1000, QByteArray(124, '*')))}, fail(1002, false));
    const QByteArray invalid = QByteArray::fromHex("cebae1bdb9cf83cebcceb5eda080") + "edited";
    addRow("7.5.1 close with a reason that is not UTF-8: 1007", {send(close(1000, invalid))},
           fail(1007, false));
}

void addCodeCases()
{
    // 7.7.x: codes a client may send (RFC 6455 section 7.4.1, IANA registry, 3000-4999).
    const QList<int> valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
    for (qsizetype i = 0; i < valid.size(); ++i) {
        const int code = valid[i];
        addRow("7.7." + QByteArray::number(i + 1) + " close with valid code " + QByteArray::number(code) +
                   ": echoed",
               {send(close(code))}, closeEcho(code));
    }
    for (const int code : {1012, 1013, 1014}) {
        addRow("7.7 extra: close with registered code " + QByteArray::number(code) + ": echoed",
               {send(close(code))}, closeEcho(code));
    }
    // 7.9.x: codes that must not appear in a close frame: 1002.
    const QList<int> invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
    for (qsizetype i = 0; i < invalid.size(); ++i) {
        const int code = invalid[i];
        addRow("7.9." + QByteArray::number(i + 1) + " close with invalid code " + QByteArray::number(code) +
                   ": 1002",
               {send(close(code))}, fail(1002, false));
    }
    addRow("7.9 extra: close with reserved code 1015: 1002", {send(close(1015))}, fail(1002, false));
    addRow("7.13.1 close with code 5000: 1002", {send(close(5000))}, fail(1002, false));
    addRow("7.13.2 close with code 65535: 1002", {send(close(65535))}, fail(1002, false));
}

} // namespace

void addCloseCases()
{
    addOrderCases();
    addPayloadCases();
    addCodeCases();
}

} // namespace Autobahn

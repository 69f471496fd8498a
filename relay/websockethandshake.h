// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>

// The server side of the WebSocket opening handshake (RFC 6455 section 4.2): the client's HTTP
// request read incrementally and checked, the 101 answer, and a specific HTTP error for each way
// a request can be wrong (docs/protocol.md lists them).
namespace WebSocketHandshake {

// Requests larger than this (headers, with a token in the query) are refused with 431.
constexpr qsizetype MaxRequestBytes = 16 * 1024;

struct Request
{
    QByteArray method;
    QByteArray target; // path and query, as sent
    QByteArray host;
    QByteArray origin;
    QByteArray key;
    QByteArray protocols; // Sec-WebSocket-Protocol, every line joined with ", "
    QByteArray authorization;
};

struct Result
{
    enum class Status { Incomplete, Complete, Refused };
    Status status = Status::Incomplete;
    Request request;
    qsizetype consumed = 0; // bytes of the request, up to and including the blank line
    // Refused: the HTTP status, a one-line reason for the body, extra header lines ("Name: v\r\n").
    int httpStatus = 0;
    QByteArray reason;
    QByteArray headers;
    // Refused only for not being an upgrade: a well-formed HTTP/1.1 GET without Upgrade: websocket,
    // or a well-formed HEAD. request and consumed are set; the development page answers these.
    bool plainHttp = false;
};

// Reads a request from the start of bytes: Incomplete until the blank line ends it.
Result parse(QByteArrayView bytes);
// Where the request in bytes ends (just past its blank line), looking from `from` on; -1 when it
// has not ended yet. Lets a caller receiving a request in pieces parse it once, not per piece.
qsizetype requestEnd(QByteArrayView bytes, qsizetype from = 0);
// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
QByteArray acceptKey(QByteArrayView key);
// The 101 answer; protocol is left out when empty.
QByteArray switchingProtocols(QByteArrayView key, QByteArrayView protocol);
// An HTTP error answer with a text body, closing the connection.
QByteArray refusal(int status, QByteArrayView reason, QByteArrayView headers = {});
// True when the comma-separated header value lists token (case-insensitive).
bool listsToken(QByteArrayView value, QByteArrayView token);

} // namespace WebSocketHandshake

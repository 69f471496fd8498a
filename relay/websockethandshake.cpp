// SPDX-License-Identifier: MIT
#include "websockethandshake.h"

#include <QCryptographicHash>

namespace WebSocketHandshake {

namespace {

Result refused(int status, const char *reason, QByteArrayView headers = {})
{
    Result r;
    r.status = Result::Status::Refused;
    r.httpStatus = status;
    r.reason = reason;
    r.headers = headers.toByteArray();
    return r;
}

const char *statusText(int status)
{
    switch (status) {
    case 101:
        return "Switching Protocols";
    case 400:
        return "Bad Request";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 426:
        return "Upgrade Required";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

bool isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

// HTTP/1.1 or a later 1.x or major version.
bool atLeastHttp11(QByteArrayView version)
{
    if (!version.startsWith("HTTP/") || version.size() < 8 || version[6] != '.')
        return false;
    const char major = version[5];
    const char minor = version[7];
    if (major < '0' || major > '9' || minor < '0' || minor > '9')
        return false;
    return major > '1' || (major == '1' && minor >= '1');
}

struct Headers
{
    Request request;
    bool head = false;
    QByteArray upgrade;
    QByteArray connection;
    QByteArray version;
    int keys = 0;
    int versions = 0;
};

// One "Name: value" line into headers; false when it is not a header line.
bool addHeader(QByteArrayView line, Headers &h)
{
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return false;
    const QByteArrayView name = line.first(colon);
    const QByteArray value = line.sliced(colon + 1).trimmed().toByteArray();
    const auto is = [&](const char *n) {
        return name.compare(n, Qt::CaseInsensitive) == 0;
    };
    const auto join = [&](QByteArray &into) {
        into = into.isEmpty() ? value : into + ", " + value;
    };
    if (is("Host"))
        h.request.host = value;
    else if (is("Origin"))
        h.request.origin = value;
    else if (is("Authorization"))
        h.request.authorization = value;
    else if (is("Sec-WebSocket-Protocol"))
        join(h.request.protocols);
    else if (is("Upgrade"))
        join(h.upgrade);
    else if (is("Connection"))
        join(h.connection);
    else if (is("Sec-WebSocket-Key"))
        h.request.key = value, ++h.keys;
    else if (is("Sec-WebSocket-Version"))
        h.version = value, ++h.versions;
    return true;
}

Result methodRefused()
{
    return refused(405, "the opening handshake must be a GET request", "Allow: GET\r\n");
}

// A well-formed request that is no upgrade: refused with what it is, request and consumed set.
Result plain(Result r, Headers &h, qsizetype consumed)
{
    r.plainHttp = true;
    r.request = std::move(h.request);
    r.consumed = consumed;
    return r;
}

Result check(Headers &h, qsizetype consumed)
{
    if (h.request.host.isEmpty())
        return h.head ? methodRefused() : refused(400, "missing Host header");
    if (h.head)
        return plain(methodRefused(), h, consumed);
    if (!listsToken(h.upgrade, "websocket"))
        return plain(refused(426, "this is a WebSocket endpoint: send Upgrade: websocket",
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"),
                     h, consumed);
    if (!listsToken(h.connection, "upgrade"))
        return refused(400, "the Connection header must list Upgrade");
    if (h.versions != 1 || h.version != "13")
        return refused(426, "unsupported Sec-WebSocket-Version: only 13 is spoken",
                       "Sec-WebSocket-Version: 13\r\n");
    if (h.keys != 1)
        return refused(400, h.keys == 0 ? "missing Sec-WebSocket-Key" : "more than one Sec-WebSocket-Key");
    const auto decoded =
        QByteArray::fromBase64Encoding(h.request.key, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != 16)
        return refused(400, "Sec-WebSocket-Key is not 16 bytes in base64");
    Result r;
    r.status = Result::Status::Complete;
    r.request = std::move(h.request);
    r.consumed = consumed;
    return r;
}

} // namespace

bool listsToken(QByteArrayView value, QByteArrayView token)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView item = (comma < 0 ? value : value.first(comma)).trimmed();
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
    return false;
}

qsizetype requestEnd(QByteArrayView bytes, qsizetype from)
{
    // The request ends at an empty line; bare LF line ends are accepted (RFC 9112 section 2.2).
    for (qsizetype i = bytes.indexOf('\n', qMax<qsizetype>(0, from)); i >= 0;
         i = bytes.indexOf('\n', i + 1)) {
        if (i + 1 < bytes.size() && bytes[i + 1] == '\n')
            return i + 2;
        if (i + 2 < bytes.size() && bytes[i + 1] == '\r' && bytes[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

Result parse(QByteArrayView bytes)
{
    const qsizetype end = requestEnd(bytes);
    if (end < 0) {
        if (bytes.size() > MaxRequestBytes)
            return refused(431, "request headers over 16 KiB");
        return {};
    }
    if (end > MaxRequestBytes)
        return refused(431, "request headers over 16 KiB");
    Headers h;
    bool first = true;
    for (qsizetype at = 0; at < end;) {
        const qsizetype nl = bytes.indexOf('\n', at);
        QByteArrayView line = bytes.sliced(at, nl - at);
        at = nl + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break;
        if (first) {
            first = false;
            const qsizetype sp1 = line.indexOf(' ');
            const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
            if (sp1 <= 0 || sp2 <= sp1 + 1 || line.indexOf(' ', sp2 + 1) >= 0)
                return refused(400, "malformed request line");
            const QByteArrayView method = line.first(sp1);
            const bool http11 = atLeastHttp11(line.sliced(sp2 + 1));
            // A HEAD is read on (the development page answers it) but refused as any other method.
            h.head = method == "HEAD" && http11;
            if (method != "GET" && !h.head)
                return methodRefused();
            if (!http11)
                return refused(505, "the opening handshake needs HTTP/1.1 or later");
            h.request.method = method.toByteArray();
            h.request.target = line.sliced(sp1 + 1, sp2 - sp1 - 1).toByteArray();
            continue;
        }
        if (line.front() == ' ' || line.front() == '\t')
            return h.head ? methodRefused() : refused(400, "obsolete header line folding");
        if (!addHeader(line, h))
            return h.head ? methodRefused() : refused(400, "malformed header line");
    }
    return check(h, end);
}

QByteArray acceptKey(QByteArrayView key)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(key);
    sha1.addData("258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    return sha1.result().toBase64();
}

QByteArray switchingProtocols(QByteArrayView key, QByteArrayView protocol)
{
    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: " +
                     acceptKey(key) + "\r\n";
    if (!protocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + protocol.toByteArray() + "\r\n";
    return out + "\r\n";
}

QByteArray refusal(int status, QByteArrayView reason, QByteArrayView headers)
{
    const QByteArray body = reason.toByteArray() + '\n';
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + statusText(status) +
           "\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n" + headers.toByteArray() + "\r\n" + body;
}

} // namespace WebSocketHandshake

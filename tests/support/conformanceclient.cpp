// SPDX-License-Identifier: MIT
#include "conformanceclient.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QStringDecoder>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr char Key[] = "dGhlIHNhbXBsZSBub25jZQ==";
// RFC 6455 section 1.3: the accept value for Key.
constexpr char Accept[] = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

quint32 nextMask()
{
    // Varies per frame (a fixed key could hide an unmasking bug); never 0.
    static quint32 state = 0x2545f491u;
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state | 0x01000000u;
}

QString kindName(ConformanceClient::Event::Kind kind)
{
    using Kind = ConformanceClient::Event::Kind;
    switch (kind) {
    case Kind::Text:
        return u"text message"_s;
    case Kind::Binary:
        return u"binary message"_s;
    case Kind::Ping:
        return u"ping frame"_s;
    case Kind::Pong:
        return u"pong frame"_s;
    case Kind::Close:
        return u"close frame"_s;
    case Kind::Disconnected:
        return u"TCP close"_s;
    case Kind::Timeout:
        return u"nothing (timeout)"_s;
    case Kind::Violation:
        return u"server violation"_s;
    }
    return {};
}

} // namespace

QString ConformanceClient::Event::describe() const
{
    QString s = kindName(kind);
    if (kind == Kind::Close)
        s += u" code %1"_s.arg(closeCode);
    if (!payload.isEmpty())
        s += u" ("_s + QString::fromUtf8(payload.left(120)) + (payload.size() > 120 ? u"...)"_s : u")"_s);
    return s;
}

QByteArray ConformanceClient::HttpReply::header(const QByteArray &name) const
{
    const QList<QByteArray> lines = head.split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

ConformanceClient::ConformanceClient()
{
    QObject::connect(&m_socket, &QTcpSocket::readyRead, &m_socket,
                     [this] { m_buffer += m_socket.readAll(); });
    QObject::connect(&m_socket, &QTcpSocket::disconnected, &m_socket, [this] {
        if (m_socket.isReadable())
            m_buffer += m_socket.readAll();
        m_disconnected = true;
    });
}

ConformanceClient::~ConformanceClient()
{
    // The socket outlives the members its handlers fill; it must not call them while it closes.
    QObject::disconnect(&m_socket, nullptr, nullptr, nullptr);
    m_socket.abort();
}

bool ConformanceClient::waitForHead(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_buffer.contains("\r\n\r\n") || m_disconnected; }, timeoutMs) &&
           m_buffer.contains("\r\n\r\n");
}

ConformanceClient::HttpReply ConformanceClient::request(quint16 port, const QByteArray &request)
{
    HttpReply reply;
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, 5000))
        return reply;
    m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket.write(request);
    m_socket.flush();
    if (!waitForHead(5000)) {
        reply.closed = m_disconnected;
        return reply;
    }
    const qsizetype end = m_buffer.indexOf("\r\n\r\n");
    reply.head = m_buffer.left(end);
    m_buffer.remove(0, end + 4);
    const QList<QByteArray> status = reply.head.left(reply.head.indexOf('\r')).split(' ');
    if (status.size() >= 2 && status[0].startsWith("HTTP/1.1"))
        reply.status = status[1].toInt();
    return reply;
}

bool ConformanceClient::open(quint16 port)
{
    const QByteArray handshake = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                 "Connection: Upgrade\r\nSec-WebSocket-Key: "_ba +
                                 Key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const HttpReply reply = request(port, handshake);
    return reply.status == 101 && reply.header("Sec-WebSocket-Accept") == Accept;
}

QByteArray ConformanceClient::frame(quint8 opcode, const QByteArray &payload, bool fin, quint8 rsv,
                                    bool masked)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0x0f)));
    const quint64 n = quint64(payload.size());
    const char maskBit = masked ? char(0x80) : char(0);
    if (n < 126) {
        f.append(char(maskBit | char(n)));
    } else if (n < 65536) {
        f.append(char(maskBit | 126));
        f.append(char(n >> 8));
        f.append(char(n & 0xff));
    } else {
        f.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            f.append(char((n >> shift) & 0xff));
    }
    if (!masked)
        return f + payload;
    const quint32 key = nextMask();
    const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
    f.append(mask, 4);
    const qsizetype header = f.size();
    f.append(payload);
    char *data = f.data() + header;
    for (qsizetype i = 0; i < payload.size(); ++i)
        data[i] = char(data[i] ^ mask[i % 4]);
    return f;
}

QByteArray ConformanceClient::closePayload(int code, const QByteArray &reason)
{
    if (code < 0)
        return reason;
    QByteArray p;
    p.append(char((code >> 8) & 0xff));
    p.append(char(code & 0xff));
    return p + reason;
}

void ConformanceClient::send(const QByteArray &bytes, qsizetype chop)
{
    if (chop <= 0 || chop >= bytes.size()) {
        m_socket.write(bytes);
        m_socket.flush();
        return;
    }
    for (qsizetype at = 0; at < bytes.size() && m_socket.state() == QAbstractSocket::ConnectedState;
         at += chop) {
        m_socket.write(bytes.mid(at, chop));
        m_socket.flush();
        QCoreApplication::processEvents();
    }
}

ConformanceClient::Event ConformanceClient::frameEvent(quint8 opcode, bool fin, QByteArray payload)
{
    using Kind = Event::Kind;
    Event e;
    e.kind = Kind::Violation;
    if (opcode == quint8(Opcode::Close)) {
        if (payload.size() == 1) {
            e.payload = "close frame with a 1-byte payload";
            return e;
        }
        e.kind = Kind::Close;
        if (payload.size() >= 2)
            e.closeCode = (quint8(payload[0]) << 8) | quint8(payload[1]);
        e.payload = payload.mid(2);
        return e;
    }
    if (opcode == quint8(Opcode::Ping) || opcode == quint8(Opcode::Pong)) {
        e.kind = opcode == quint8(Opcode::Ping) ? Kind::Ping : Kind::Pong;
        e.payload = payload;
        return e;
    }
    if (opcode == quint8(Opcode::Continuation) ? m_messageOpcode == 0 : m_messageOpcode != 0) {
        e.payload =
            opcode ? "a new data frame inside a fragmented message" : "a continuation frame with no message";
        return e;
    }
    if (opcode != quint8(Opcode::Continuation))
        m_messageOpcode = opcode;
    m_message += payload;
    if (!fin) {
        e.kind = Kind::Timeout; // no event yet
        return e;
    }
    e.kind = m_messageOpcode == quint8(Opcode::Text) ? Kind::Text : Kind::Binary;
    e.payload = std::exchange(m_message, {});
    m_messageOpcode = 0;
    if (e.kind == Kind::Text) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = utf8(e.payload);
        if (utf8.hasError()) {
            e.kind = Kind::Violation;
            e.payload = "a text message from the server that is not UTF-8: " + e.payload.toHex().left(80);
        }
    }
    return e;
}

bool ConformanceClient::takeFrame(Event *event)
{
    if (m_buffer.size() < 2)
        return false;
    const auto *b = reinterpret_cast<const uchar *>(m_buffer.constData());
    const bool fin = b[0] & 0x80;
    const quint8 rsv = (b[0] >> 4) & 7;
    const quint8 opcode = b[0] & 0x0f;
    const bool masked = b[1] & 0x80;
    quint64 length = b[1] & 0x7f;
    qsizetype header = 2;
    if (length == 126 || length == 127) {
        const int extra = length == 126 ? 2 : 8;
        if (m_buffer.size() < 2 + extra)
            return false;
        length = 0;
        for (int i = 0; i < extra; ++i)
            length = (length << 8) | b[2 + i];
        header += extra;
    }
    header += masked ? 4 : 0;
    event->kind = Event::Kind::Violation;
    if (masked || rsv != 0 || (opcode > 2 && opcode < 8) || opcode > 10) {
        event->payload = "server frame with mask " + QByteArray::number(masked) + ", RSV " +
                         QByteArray::number(rsv) + ", opcode " + QByteArray::number(opcode);
        return true;
    }
    if (opcode >= 8 && (!fin || length > 125)) {
        event->payload = "fragmented or oversized control frame from the server";
        return true;
    }
    if (quint64(m_buffer.size() - header) < length)
        return false;
    QByteArray payload = m_buffer.mid(header, qsizetype(length));
    m_buffer.remove(0, header + qsizetype(length));
    *event = frameEvent(opcode, fin, std::move(payload));
    return true;
}

ConformanceClient::Event ConformanceClient::next(int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        Event e;
        while (takeFrame(&e)) {
            if (e.kind != Event::Kind::Timeout)
                return e;
        }
        if (m_disconnected) {
            e.kind = Event::Kind::Disconnected;
            if (!m_buffer.isEmpty())
                e.payload = QByteArray::number(m_buffer.size()) + " bytes of an incomplete frame";
            return e;
        }
        const qsizetype had = m_buffer.size();
        if (deadline.hasExpired() ||
            !QTest::qWaitFor([&] { return m_buffer.size() != had || m_disconnected; },
                             int(deadline.remainingTime())))
            return Event{};
    }
}

bool ConformanceClient::waitDisconnected(int timeoutMs, QList<Event> *framesBefore)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        const Event e = next(int(qMax<qint64>(0, deadline.remainingTime())));
        if (e.kind == Event::Kind::Disconnected)
            return true;
        if (e.kind == Event::Kind::Timeout)
            return false;
        framesBefore->append(e);
        if (e.kind == Event::Kind::Violation)
            return false; // its bytes stay in the buffer
    }
}

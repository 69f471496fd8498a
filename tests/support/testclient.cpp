// SPDX-License-Identifier: MIT
#include "testclient.h"

#include <QJsonDocument>
#include <QTest>
#include <QWebSocketHandshakeOptions>

using namespace Qt::StringLiterals;

TestClient::TestClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        m_raw.append(text);
        m_frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
    });
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_connected = true; });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        m_connected = false;
        m_closeCode = int(m_socket.closeCode());
        m_closeReason = m_socket.closeReason();
    });
}

TestClient::~TestClient()
{
    // ~QWebSocket closes a connected socket and emits disconnected at once; the handler would
    // write into members that are already destroyed (they are declared after the socket).
    m_socket.disconnect(this);
}

bool TestClient::open(const QUrl &url, int timeoutMs)
{
    m_socket.open(url);
    return QTest::qWaitFor([this] { return m_connected; }, timeoutMs);
}

bool TestClient::open(const QNetworkRequest &request, const QStringList &subprotocols, int timeoutMs)
{
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(subprotocols);
    bool failed = false;
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto errorSignal = &QWebSocket::errorOccurred; // error() is deprecated from 6.5 on
#else
    const auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    const QMetaObject::Connection c = connect(&m_socket, errorSignal, this, [&failed] { failed = true; });
    m_socket.open(request, options);
    const bool done = QTest::qWaitFor([&] { return m_connected || failed || m_closeCode >= 0; }, timeoutMs);
    disconnect(c);
    return done && m_connected;
}

void TestClient::send(const QJsonObject &frame)
{
    m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact)));
}

void TestClient::sendText(const QString &text)
{
    m_socket.sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray &bytes)
{
    m_socket.sendBinaryMessage(bytes);
}

void TestClient::close()
{
    m_socket.close();
}

QJsonObject TestClient::waitFor(const std::function<bool(const QJsonObject &)> &predicate, int timeoutMs)
{
    QJsonObject found;
    [[maybe_unused]] const bool matched = QTest::qWaitFor(
        [&] {
            for (const QJsonObject &f : std::as_const(m_frames)) {
                if (predicate(f)) {
                    found = f;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject TestClient::waitForType(const QString &type, int timeoutMs)
{
    return waitFor([&](const QJsonObject &f) { return f.value("type"_L1).toString() == type; }, timeoutMs);
}

bool TestClient::waitForClose(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_closeCode >= 0; }, timeoutMs);
}

int TestClient::count(const std::function<bool(const QJsonObject &)> &predicate) const
{
    return int(std::count_if(m_frames.cbegin(), m_frames.cend(), predicate));
}

bool TestClient::join(const QJsonValue &roomId, int timeoutMs)
{
    send(QJsonObject{{u"type"_s, u"join"_s}, {u"roomId"_s, roomId}});
    const QJsonObject ack = waitFor(
        [&](const QJsonObject &f) {
            return f.value("type"_L1) == "joined"_L1 && f.value("roomId"_L1) == roomId;
        },
        timeoutMs);
    return !ack.isEmpty();
}

void TestClient::clearFrames()
{
    m_frames.clear();
    m_raw.clear();
}

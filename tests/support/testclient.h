// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <functional>

// A WebSocket client for tests: records every frame it receives and the close code.
class TestClient : public QObject
{
    Q_OBJECT
public:
    explicit TestClient(QObject *parent = nullptr);
    ~TestClient() override;

    bool open(const QUrl &url, int timeoutMs = 5000);
    // With headers (Authorization, Origin) and subprotocol offers. Returns once the handshake
    // succeeded (true) or failed (false); a refusal after the handshake shows as a close.
    bool open(const QNetworkRequest &request, const QStringList &subprotocols, int timeoutMs = 5000);
    QString errorString() const { return m_socket.errorString(); }
    void send(const QJsonObject &frame);
    void sendText(const QString &text);
    void sendBinary(const QByteArray &bytes);
    void close();

    // Waits (event loop running) until a frame matching predicate arrives; returns it, or an
    // empty object on timeout. Frames already received count.
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &predicate, int timeoutMs = 5000);
    QJsonObject waitForType(const QString &type, int timeoutMs = 5000);
    bool waitForClose(int timeoutMs = 5000);
    int count(const std::function<bool(const QJsonObject &)> &predicate) const;

    // join + wait for the ack
    bool join(const QJsonValue &roomId, int timeoutMs = 5000);

    QList<QJsonObject> frames() const { return m_frames; }
    QStringList rawFrames() const { return m_raw; }
    void clearFrames();
    bool isConnected() const { return m_connected; }
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QStringList m_raw;
    bool m_connected = false;
    int m_closeCode = -1;
    QString m_closeReason;
};

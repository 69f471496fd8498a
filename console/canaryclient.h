// SPDX-License-Identifier: MIT
#pragma once

#include "reconnectbackoff.h"

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

// One relay's canary client: a WebSocket to the relay's URL with ?switchboard=canary, which joins the
// canary room and reports the probes of one origin that arrive. Reconnects with backoff after a failed
// connect or a close; a connect (handshake and joined) that takes over 10 s counts as failed.
class CanaryClient : public QObject
{
    Q_OBJECT
public:
    enum class Link { Connecting, Joined, Unreachable };

    CanaryClient(const QUrl &relayUrl, const QByteArray &origin, QObject *parent = nullptr);
    ~CanaryClient() override;

    // The relay's URL with the canary mark added to its query.
    static QUrl canaryUrl(const QUrl &relayUrl);
    // "HTTP 401 Unauthorized" from QWebSocket's handshake error, else the error as it is.
    static QString describeError(const QString &errorString);

    void open();
    void close();
    QUrl url() const { return m_url; }
    Link link() const { return m_link; }
    // Why the relay is unreachable.
    QString reason() const { return m_reason; }
    int attempts() const { return m_backoff.attempt(); }

Q_SIGNALS:
    void linkChanged();
    void probeReceived(quint64 seq);

private:
    void setLink(Link link, const QString &reason = {});
    void onText(const QString &text);
    void fail(const QString &reason);

    QUrl m_url;
    QByteArray m_origin;
    QWebSocket m_socket;
    ReconnectBackoff m_backoff;
    QTimer m_retryTimer;
    QTimer m_connectTimer;
    Link m_link = Link::Connecting;
    QString m_reason;
    bool m_closing = false;
};

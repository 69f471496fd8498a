// SPDX-License-Identifier: MIT
#include "canaryclient.h"

#include "canaryprobe.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrlQuery>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

CanaryClient::CanaryClient(const QUrl &relayUrl, const QByteArray &origin, QObject *parent)
    : QObject(parent)
    , m_url(canaryUrl(relayUrl))
    , m_origin(origin)
    , m_backoff(500ms, 15s)
{
    m_retryTimer.setSingleShot(true);
    m_retryTimer.callOnTimeout(this, &CanaryClient::open);
    m_connectTimer.setSingleShot(true);
    m_connectTimer.setInterval(10s);
    m_connectTimer.callOnTimeout(this, [this] {
        fail(m_socket.state() == QAbstractSocket::ConnectedState
                 ? tr("the join was not confirmed within 10 s")
                 : tr("no answer within 10 s"));
    });
    connect(&m_socket, &QWebSocket::connected, this,
            [this] { m_socket.sendTextMessage(QString::fromUtf8(CanaryProbe::joinFrame())); });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &CanaryClient::onText);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        if (m_closing)
            return;
        QString why = m_socket.closeReason();
        if (m_socket.closeCode() != QWebSocketProtocol::CloseCodeNormal || !why.isEmpty())
            why = tr("closed (%1)").arg(int(m_socket.closeCode())) +
                  (why.isEmpty() ? QString() : u": "_s + why);
        else
            why = tr("closed");
        fail(m_socket.error() != QAbstractSocket::UnknownSocketError && m_link != Link::Joined
                 ? describeError(m_socket.errorString())
                 : why);
    });
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    const auto errorSignal = &QWebSocket::errorOccurred; // error() is deprecated from 6.5 on
#else
    const auto errorSignal = qOverload<QAbstractSocket::SocketError>(&QWebSocket::error);
#endif
    connect(&m_socket, errorSignal, this, [this] {
        if (!m_closing)
            fail(describeError(m_socket.errorString()));
    });
}

CanaryClient::~CanaryClient()
{
    m_closing = true;
    m_socket.abort();
}

QUrl CanaryClient::canaryUrl(const QUrl &relayUrl)
{
    QUrl url = relayUrl;
    QUrlQuery query(url);
    query.removeAllQueryItems(QString(CanaryProbe::QueryKey));
    query.addQueryItem(QString(CanaryProbe::QueryKey), QString(CanaryProbe::QueryValue));
    url.setQuery(query);
    return url;
}

QString CanaryClient::describeError(const QString &errorString)
{
    static const QRegularExpression status(uR"(status code: (\d{3})(?: \(([^)]*)\))?)"_s);
    const QRegularExpressionMatch m = status.match(errorString);
    if (!m.hasMatch())
        return errorString;
    QString out = u"HTTP "_s + m.captured(1);
    if (!m.captured(2).isEmpty())
        out += u' ' + m.captured(2);
    if (m.captured(1) == "401"_L1)
        out += tr(" (the relay wants a token)");
    return out;
}

void CanaryClient::open()
{
    m_closing = false;
    m_retryTimer.stop();
    // After a failure the relay stays Unreachable (with why) until a join succeeds.
    if (m_link != Link::Unreachable)
        setLink(Link::Connecting);
    m_connectTimer.start();
    m_socket.open(m_url);
}

void CanaryClient::close()
{
    m_closing = true;
    m_retryTimer.stop();
    m_connectTimer.stop();
    m_socket.abort();
}

void CanaryClient::fail(const QString &reason)
{
    if (m_closing || m_retryTimer.isActive())
        return;
    m_connectTimer.stop();
    m_closing = true; // the abort's own signals are not a second failure
    m_socket.abort();
    m_closing = false;
    setLink(Link::Unreachable, reason.isEmpty() ? tr("connection failed") : reason);
    m_retryTimer.start(m_backoff.next());
}

void CanaryClient::setLink(Link link, const QString &reason)
{
    if (m_link == link && m_reason == reason)
        return;
    m_link = link;
    m_reason = reason;
    Q_EMIT linkChanged();
}

void CanaryClient::onText(const QString &text)
{
    const QByteArray frame = text.toUtf8();
    if (const auto probe = CanaryProbe::parse(frame)) {
        if (probe->origin == m_origin)
            Q_EMIT probeReceived(probe->seq);
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(frame).object();
    const QString type = o.value("type"_L1).toString();
    if (type == "joined"_L1 && o.value("roomId"_L1).toString() == CanaryProbe::Room) {
        m_connectTimer.stop();
        m_backoff.reset();
        setLink(Link::Joined);
    } else if (type == "error"_L1 &&
               (m_link != Link::Joined || o.value("code"_L1).toString() == "subscribe_refused"_L1)) {
        fail(tr("join refused: %1").arg(o.value("message"_L1).toString()));
    }
}

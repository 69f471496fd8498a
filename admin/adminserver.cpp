// SPDX-License-Identifier: MIT
#include "adminserver.h"

#include "prometheusexposition.h"
#include "redisbus.h"
#include "relaymetrics.h"
#include "relayserver.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {

QHttpServerResponse plainText(const QByteArray &body, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse("text/plain; charset=utf-8"_ba, body + '\n', status);
}

// GET only: anything else is 405 with the Allow header.
template<typename Handler> auto getOnly(Handler handler)
{
    return [handler](const QHttpServerRequest &request) {
        if (request.method() != QHttpServerRequest::Method::Get) {
            QHttpServerResponse response =
                plainText("method not allowed: use GET", QHttpServerResponse::StatusCode::MethodNotAllowed);
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
            QHttpHeaders headers = response.headers();
            headers.append(QHttpHeaders::WellKnownHeader::Allow, "GET");
            response.setHeaders(std::move(headers));
#else
            response.addHeader("Allow"_ba, "GET"_ba);
#endif
            return response;
        }
        return handler();
    };
}

} // namespace

AdminServer::AdminServer(RelayServer *relay, QObject *parent)
    : QObject(parent)
    , m_relay(relay)
    , m_http(new QHttpServer(this))
    , m_tcp(new QTcpServer(this))
{
    addRoutes();
}

AdminServer::~AdminServer() = default;

void AdminServer::addRoutes()
{
    const auto metrics = [this] {
        if (!m_relay)
            return plainText("the relay is gone", QHttpServerResponse::StatusCode::ServiceUnavailable);
        return QHttpServerResponse(QByteArray(PrometheusExposition::ContentType),
                                   RelayMetrics::render(*m_relay));
    };
    const auto healthz = [] {
        return plainText("ok", QHttpServerResponse::StatusCode::Ok);
    };
    const auto readyz = [this] {
        QString reason;
        if (isReady(&reason))
            return plainText("ready", QHttpServerResponse::StatusCode::Ok);
        return plainText("not ready: " + reason.toUtf8(),
                         QHttpServerResponse::StatusCode::ServiceUnavailable);
    };
    // route() returns a bool before Qt 6.8 and the rule from 6.8 on; a fixed path cannot fail.
    static_cast<void>(m_http->route(u"/metrics"_s, getOnly(metrics)));
    static_cast<void>(m_http->route(u"/healthz"_s, getOnly(healthz)));
    static_cast<void>(m_http->route(u"/readyz"_s, getOnly(readyz)));
}

bool AdminServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (!m_tcp->listen(address, port)) {
        if (error)
            *error = u"admin listener on %1 port %2: %3"_s.arg(address.toString())
                         .arg(port)
                         .arg(m_tcp->errorString());
        return false;
    }
    // void before Qt 6.8, a bool there (false only for a server that does not listen).
    static_cast<void>(m_http->bind(m_tcp));
    return true;
}

quint16 AdminServer::port() const
{
    return m_tcp->isListening() ? m_tcp->serverPort() : 0;
}

std::chrono::milliseconds AdminServer::readyWithin() const
{
    const auto *redis = m_relay ? qobject_cast<const RedisBus *>(m_relay->bus()) : nullptr;
    if (!redis || !redis->probe())
        return std::chrono::milliseconds(0);
    const SubscriberProbeOptions &probe = redis->busOptions().probe;
    return probe.interval + probe.timeout;
}

bool AdminServer::isReady(QString *reason) const
{
    const auto fail = [reason](const QString &why) {
        if (reason)
            *reason = why;
        return false;
    };
    if (!m_relay)
        return fail(u"the relay is gone"_s);
    if (m_relay->isShuttingDown())
        return fail(u"the relay is shutting down"_s);
    if (!m_relay->isListening())
        return fail(u"the relay is not listening"_s);
    const MessageBus *bus = m_relay->bus();
    if (!bus)
        return fail(u"the relay has no bus"_s);
    if (!bus->isConnected())
        return fail(u"the bus is not connected (%1)"_s.arg(bus->description()));
    const auto *redis = qobject_cast<const RedisBus *>(bus);
    if (!redis || !redis->probe())
        return true;
    const qint64 since = redis->probe()->msSinceAllAnswered();
    const qint64 within = readyWithin().count();
    if (since < 0)
        return fail(u"no subscriber probe has come back through Redis yet"_s);
    if (since > within)
        return fail(
            u"no subscriber probe has come back through Redis for %1 ms (ready within %2 ms)"_s.arg(since)
                .arg(within));
    return true;
}

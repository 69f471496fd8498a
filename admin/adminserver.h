// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <chrono>

class QHttpServer;
class QTcpServer;
class RelayServer;

// The relay's admin listener (docs/metrics.md, docs/deployment.md): plain HTTP, loopback by
// default, GET only (other methods 405, unknown paths 404).
//   /metrics  Prometheus text format 0.0.4 (RelayMetrics)
//   /healthz  200 while the process runs
//   /readyz   200 when the relay listens and its bus works: the in-process bus always; a Redis
//             bus when it is connected and its SubscriberProbe's token came back on the relay's
//             own subscription within readyWithin() (probe interval + probe timeout); without a
//             probe, when it is connected. 503 with the reason as plain text otherwise.
class AdminServer : public QObject
{
    Q_OBJECT
public:
    explicit AdminServer(RelayServer *relay, QObject *parent = nullptr);
    ~AdminServer() override;

    // port 0 picks a free one.
    bool listen(const QHostAddress &address, quint16 port, QString *error = nullptr);
    quint16 port() const;
    // Ready, or why not.
    bool isReady(QString *reason = nullptr) const;
    // How recently a probe must have come back for /readyz; 0 without a probe.
    std::chrono::milliseconds readyWithin() const;

private:
    void addRoutes();

    QPointer<RelayServer> m_relay;
    QHttpServer *m_http;
    QTcpServer *m_tcp;
};

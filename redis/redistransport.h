// SPDX-License-Identifier: MIT
#pragma once

#include "redisurl.h"

#include <QObject>
#include <QPointer>

#include <chrono>

class QAbstractSocket;
class QIODevice;
class QLocalSocket;
class QSslSocket;

// TCP keepalive on redis:// and rediss:// sockets (TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT), so
// that the kernel finds a dead peer even when nothing is sent: after idle without traffic it
// probes every interval and gives up after count unanswered probes (about 25 s by default,
// instead of the kernel's 2 h 11 min). enabled = false turns SO_KEEPALIVE off.
struct RedisKeepAliveOptions
{
    bool enabled = true;
    std::chrono::seconds idle{10};
    std::chrono::seconds interval{5};
    int count = 3;
};

// The byte pipe under a RedisConnection: QTcpSocket, QSslSocket (rediss://) or QLocalSocket
// (unix://) behind one interface. One instance serves one connection attempt. A standalone URL;
// on a redis-sentinel:// URL it connects to the first Sentinel; redis-cluster:// is refused.
class RedisTransport : public QObject
{
    Q_OBJECT
public:
    explicit RedisTransport(const RedisUrl &url, QObject *parent = nullptr);
    ~RedisTransport() override;

    // Applied to the socket once connected; set it before open().
    void setKeepAlive(const RedisKeepAliveOptions &keepAlive) { m_keepAlive = keepAlive; }
    void open();
    void abort();
    bool isOpen() const;

    qint64 write(const QByteArray &bytes);
    // Writes what the socket buffered now, as far as the kernel takes it.
    void flush();
    qint64 bytesToWrite() const;
    // Appends everything available to *buffer; returns the number of bytes read.
    qint64 readInto(QByteArray *buffer);
    // The TCP socket's descriptor; -1 for unix:// or before there is one.
    qintptr socketDescriptor() const;

Q_SIGNALS:
    void connected();
    void readyRead();
    // The pipe is gone; reason says why (empty for an orderly close by us).
    void disconnected(const QString &reason);

private:
    void openLocal();
    void applySocketOptions();
    bool configureTls(QSslSocket *ssl);
    void fail(const QString &reason);

    RedisUrl m_url;
    RedisKeepAliveOptions m_keepAlive;
    QIODevice *m_device = nullptr;
    QAbstractSocket *m_socket = nullptr;
    QLocalSocket *m_local = nullptr;
    bool m_reportedDown = false;
};

// SPDX-License-Identifier: MIT
#pragma once

#include "redisurl.h"

#include <QObject>
#include <QPointer>

class QAbstractSocket;
class QIODevice;
class QLocalSocket;
class QSslSocket;

// The byte pipe under a RedisConnection: QTcpSocket, QSslSocket (rediss://) or QLocalSocket
// (unix://) behind one interface. One instance serves one connection attempt.
class RedisTransport : public QObject
{
    Q_OBJECT
public:
    explicit RedisTransport(const RedisUrl &url, QObject *parent = nullptr);
    ~RedisTransport() override;

    void open();
    void abort();
    bool isOpen() const;

    qint64 write(const QByteArray &bytes);
    // Writes what the socket buffered now, as far as the kernel takes it.
    void flush();
    qint64 bytesToWrite() const;
    // Appends everything available to *buffer; returns the number of bytes read.
    qint64 readInto(QByteArray *buffer);

Q_SIGNALS:
    void connected();
    void readyRead();
    // The pipe is gone; reason says why (empty for an orderly close by us).
    void disconnected(const QString &reason);

private:
    void openLocal();
    bool configureTls(QSslSocket *ssl);
    void fail(const QString &reason);

    RedisUrl m_url;
    QIODevice *m_device = nullptr;
    QAbstractSocket *m_socket = nullptr;
    QLocalSocket *m_local = nullptr;
    bool m_reportedDown = false;
};

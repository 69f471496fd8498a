// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QObject>

#include <chrono>
#include <vector>

class QSocketNotifier;
class QSslConfiguration;
class QSslSocket;
struct iovec;

// The byte transport under one relay client: for ws:// an accepted descriptor driven directly
// (one read notifier; a write notifier only while the kernel refuses output), for wss:// a
// QSslSocket. Nothing is buffered per connection while it is idle: input is read into one buffer
// per thread and handed to bytesReceived() at once; output frames are queued by reference (one
// encoded frame shared by all its recipients) and sent with one sendmsg() per connection and loop
// turn; only what the kernel refuses stays queued.
//
// Closing is lingering: finishWrites() sends what is queued, then shuts down the sending side
// (the peer reads everything up to a FIN, never a reset) and discards input until the peer closes
// or the linger time ends; only then is the descriptor closed. Closing a socket with unread input
// would make the kernel reset the connection and destroy the last frames in flight.
class RelaySocket : public QObject
{
    Q_OBJECT
public:
    // tls non-null: wss://, the TLS handshake starts at once.
    RelaySocket(qintptr descriptor, const QSslConfiguration *tls, QObject *parent = nullptr);
    ~RelaySocket() override;

    bool isOpen() const { return m_open; }
    bool isSecure() const { return m_tls != nullptr; }
    // "address:port" of the peer, empty once closed.
    QString peerName() const;

    // Queues a frame for the next flushQueued() (the frame is shared, not copied).
    void queue(const QByteArray &frame);
    // True from queue() until the next flushQueued(): the connection is listed for a flush.
    bool hasUnflushed() const { return m_unflushed; }
    // Sends what is queued; the part the kernel refuses waits for the socket to become writable.
    void flushQueued();
    // queue() + flushQueued().
    void write(const QByteArray &frame);
    // Bytes queued and not yet taken by the kernel (or, over TLS, by QSslSocket).
    qint64 bytesToWrite() const;

    // Sends everything queued, then closes the sending side and waits up to linger for the peer
    // to close; input is discarded (or, with keepReading, still handed on) meanwhile.
    void finishWrites(std::chrono::milliseconds linger, bool keepReading = false);
    // Closes the descriptor at once (pending output is dropped).
    void abort();

protected:
    // Input as it arrives; data may be modified in place. The socket may be closed from here.
    virtual void bytesReceived(char *data, qsizetype size) = 0;
    // Once, when the connection ends (the peer closed, an error, abort(), the linger ended).
    virtual void transportClosed() = 0;
    void timerEvent(QTimerEvent *event) override;
    // A timer of the subclass (the handshake timeout): ids other than the linger's land here.
    virtual void timerExpired(int) {}

private:
    void readPlain();
    void readTls();
    void deliver(char *data, qsizetype size);
    void flushPlain();
    void onWritable();
    qint64 sendVector(iovec *iov, int count);
    void drop(qint64 sent);
    void maybeShutdown();
    void closeNow();

    std::vector<QByteArray> m_out;
    qint64 m_outBytes = 0;
    std::size_t m_outHead = 0; // the first frame of m_out not entirely sent
    qsizetype m_outOffset = 0; // bytes of m_out[m_outHead] already sent
    QSocketNotifier *m_reader = nullptr;
    QSocketNotifier *m_writer = nullptr;
    QSslSocket *m_tls = nullptr;
    int m_fd = -1;
    int m_lingerTimer = 0;
    bool m_open = true;
    bool m_unflushed = false;
    bool m_finishing = false; // finishWrites() called
    bool m_keepReading = false;
    bool m_shutDown = false; // the sending side is closed
};

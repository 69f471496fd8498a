// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QTcpSocket>

#include <vector>

struct iovec;

// The relay's server-side client socket. Writes go straight to the kernel while Qt's write
// buffer is empty, and the relay queues the frames of one loop turn (shared, not copied) to send
// them with one sendmsg() at the turn's end; only what the kernel does not take goes into Qt's
// buffer. A buffered QTcpSocket instead copies every small write into a 32 KiB block that it
// keeps for the connection's lifetime, idle or not.
class RelaySocket : public QTcpSocket
{
    Q_OBJECT
public:
    using QTcpSocket::QTcpSocket;

    // Queues a frame for the next flushQueued(); any other write sends the queue first.
    void queue(const QByteArray &frame);
    // Sends the queued frames; the part the kernel refuses is left to Qt's buffer.
    void flushQueued();
    qsizetype queuedFrames() const { return qsizetype(m_queue.size()); }

    // Qt's buffer plus the queue.
    qint64 bytesToWrite() const override;

protected:
    qint64 writeData(const char *data, qint64 size) override;

private:
    bool canSendDirectly() const;
    // Bytes the kernel took; 0 when it took none or failed (Qt's buffered path then reports it).
    qint64 send(iovec *iov, int count);

    std::vector<QByteArray> m_queue;
    qint64 m_queuedBytes = 0;
};

// SPDX-License-Identifier: MIT
#include "relaysocket.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>

namespace {
constexpr int MaxIovecs = 64;
}

void RelaySocket::queue(const QByteArray &frame)
{
    if (frame.isEmpty())
        return;
    m_queue.push_back(frame);
    m_queuedBytes += frame.size();
}

qint64 RelaySocket::bytesToWrite() const
{
    return QTcpSocket::bytesToWrite() + m_queuedBytes;
}

bool RelaySocket::canSendDirectly() const
{
    return state() == ConnectedState && QTcpSocket::bytesToWrite() == 0 && socketDescriptor() >= 0;
}

qint64 RelaySocket::send(iovec *iov, int count)
{
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = size_t(count);
    for (;;) {
        const ssize_t sent = ::sendmsg(int(socketDescriptor()), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0)
            return sent;
        if (errno != EINTR)
            return 0;
    }
}

void RelaySocket::flushQueued()
{
    if (m_queue.empty())
        return;
    std::size_t next = 0; // first frame not entirely sent
    qint64 offset = 0;    // bytes of it already sent
    if (canSendDirectly()) {
        // Whole batches of frames until the kernel takes less than offered.
        while (next < m_queue.size()) {
            iovec iov[MaxIovecs];
            int count = 0;
            qint64 offered = 0;
            for (std::size_t i = next; i < m_queue.size() && count < MaxIovecs; ++i, ++count) {
                iov[count].iov_base = const_cast<char *>(m_queue[i].constData());
                iov[count].iov_len = size_t(m_queue[i].size());
                offered += m_queue[i].size();
            }
            qint64 sent = send(iov, count);
            const bool all = sent == offered;
            for (; sent > 0 && sent >= m_queue[next].size(); ++next)
                sent -= m_queue[next].size();
            offset = sent;
            if (!all)
                break;
        }
    }
    for (; next < m_queue.size(); ++next, offset = 0)
        QTcpSocket::writeData(m_queue[next].constData() + offset, m_queue[next].size() - offset);
    m_queue.clear();
    m_queuedBytes = 0;
}

qint64 RelaySocket::writeData(const char *data, qint64 size)
{
    flushQueued();
    if (size <= 0 || !canSendDirectly())
        return QTcpSocket::writeData(data, size);
    iovec iov{const_cast<char *>(data), size_t(size)};
    const qint64 sent = send(&iov, 1);
    if (sent == size)
        return size;
    const qint64 buffered = QTcpSocket::writeData(data + sent, size - sent);
    return buffered < 0 ? (sent > 0 ? sent : buffered) : sent + buffered;
}

// SPDX-License-Identifier: MIT
#include "relaysocket.h"

#include <QHostAddress>
#include <QSocketNotifier>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimerEvent>

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>

namespace {

constexpr int MaxIovecs = 64;
constexpr qsizetype ReadChunk = 64 * 1024;
// Reads per readiness notification: a client streaming a large message does not hold the loop.
constexpr int ReadsPerWakeup = 4;

char *readBuffer()
{
    static thread_local char buffer[ReadChunk];
    return buffer;
}

// Calls its socket directly instead of through a signal connection: a few hundred bytes less per
// connection.
class Notifier : public QSocketNotifier
{
public:
    Notifier(int fd, Type type, RelaySocket *owner, void (RelaySocket::*handler)())
        : QSocketNotifier(fd, type, owner)
        , m_owner(owner)
        , m_handler(handler)
    {}

protected:
    bool event(QEvent *e) override
    {
        if (e->type() != QEvent::SockAct)
            return QSocketNotifier::event(e);
        (m_owner->*m_handler)();
        return true;
    }

private:
    RelaySocket *m_owner;
    void (RelaySocket::*m_handler)();
};

} // namespace

RelaySocket::RelaySocket(qintptr descriptor, const QSslConfiguration *tls, QObject *parent)
    : QObject(parent)
{
    if (tls) {
        m_tls = new QSslSocket(this);
        m_tls->setSslConfiguration(*tls);
        connect(m_tls, &QSslSocket::readyRead, this, &RelaySocket::readTls);
        connect(m_tls, &QSslSocket::disconnected, this, &RelaySocket::closeNow);
        connect(m_tls, &QSslSocket::errorOccurred, this, &RelaySocket::closeNow);
        connect(m_tls, &QSslSocket::sslErrors, m_tls, [this] { m_tls->ignoreSslErrors(); });
        if (!m_tls->setSocketDescriptor(descriptor)) {
            ::close(int(descriptor));
            m_open = false;
            return;
        }
        m_tls->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_tls->startServerEncryption();
        return;
    }
    m_fd = int(descriptor);
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    // Frames are written whole and at once; Nagle would hold a small one for the peer's ACK.
    const int on = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    m_reader = new Notifier(m_fd, QSocketNotifier::Read, this, &RelaySocket::readPlain);
}

RelaySocket::~RelaySocket()
{
    // Unregistered before the descriptor is closed: a new connection may get its number at once.
    if (m_reader)
        m_reader->setEnabled(false);
    if (m_writer)
        m_writer->setEnabled(false);
    if (m_fd >= 0)
        ::close(m_fd);
}

QString RelaySocket::peerName() const
{
    if (m_tls)
        return m_tls->peerAddress().toString() + u':' + QString::number(m_tls->peerPort());
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (m_fd < 0 || ::getpeername(m_fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    QHostAddress host(reinterpret_cast<sockaddr *>(&address));
    quint16 port = 0;
    if (address.ss_family == AF_INET)
        port = ntohs(reinterpret_cast<sockaddr_in *>(&address)->sin_port);
    else if (address.ss_family == AF_INET6)
        port = ntohs(reinterpret_cast<sockaddr_in6 *>(&address)->sin6_port);
    if (host.protocol() == QAbstractSocket::IPv6Protocol) {
        bool ok = false;
        const QHostAddress v4(host.toIPv4Address(&ok));
        if (ok)
            host = v4;
    }
    return host.toString() + u':' + QString::number(port);
}

void RelaySocket::readPlain()
{
    char *buffer = readBuffer();
    for (int i = 0; i < ReadsPerWakeup && m_fd >= 0; ++i) {
        const ssize_t n = ::recv(m_fd, buffer, size_t(ReadChunk), 0);
        if (n > 0) {
            deliver(buffer, n);
            if (n < ReadChunk)
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        closeNow(); // the peer closed, or the connection broke
        return;
    }
}

void RelaySocket::readTls()
{
    char *buffer = readBuffer();
    while (m_open && m_tls->bytesAvailable() > 0) {
        const qint64 n = m_tls->read(buffer, ReadChunk);
        if (n <= 0)
            return;
        deliver(buffer, n);
    }
}

void RelaySocket::deliver(char *data, qsizetype size)
{
    if (!m_finishing || m_keepReading)
        bytesReceived(data, size);
}

void RelaySocket::queue(const QByteArray &frame)
{
    if (frame.isEmpty() || !m_open)
        return;
    m_out.push_back(frame);
    m_outBytes += frame.size();
    m_unflushed = true;
}

void RelaySocket::write(const QByteArray &frame)
{
    queue(frame);
    flushQueued();
}

qint64 RelaySocket::bytesToWrite() const
{
    if (m_tls)
        return m_outBytes + m_tls->bytesToWrite() + m_tls->encryptedBytesToWrite();
    return m_outBytes;
}

void RelaySocket::flushQueued()
{
    m_unflushed = false;
    if (!m_open || m_out.empty())
        return;
    if (m_tls) {
        for (const QByteArray &frame : m_out)
            m_tls->write(frame);
        std::vector<QByteArray>().swap(m_out);
        m_outHead = 0;
        m_outBytes = 0;
        maybeShutdown();
        return;
    }
    // While the kernel refuses output, the queue waits for the write notifier.
    if (!m_writer || !m_writer->isEnabled())
        flushPlain();
}

qint64 RelaySocket::sendVector(iovec *iov, int count)
{
    msghdr message{};
    message.msg_iov = iov;
    message.msg_iovlen = size_t(count);
    for (;;) {
        const ssize_t sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent >= 0)
            return sent;
        if (errno == EAGAIN || errno == EWOULDBLOCK)
            return 0;
        if (errno != EINTR)
            return -1;
    }
}

void RelaySocket::flushPlain()
{
    while (m_outHead < m_out.size()) {
        iovec iov[MaxIovecs];
        int count = 0;
        qint64 offered = 0;
        for (std::size_t i = m_outHead; i < m_out.size() && count < MaxIovecs; ++i, ++count) {
            const qsizetype skip = i == m_outHead ? m_outOffset : 0;
            iov[count].iov_base = const_cast<char *>(m_out[i].constData() + skip);
            iov[count].iov_len = size_t(m_out[i].size() - skip);
            offered += m_out[i].size() - skip;
        }
        const qint64 sent = sendVector(iov, count);
        if (sent < 0) {
            closeNow(); // reset by the peer, or the pipe broke: nothing will be read any more
            return;
        }
        drop(sent);
        if (sent < offered) {
            if (!m_writer)
                m_writer = new Notifier(m_fd, QSocketNotifier::Write, this, &RelaySocket::onWritable);
            m_writer->setEnabled(true);
            return;
        }
    }
    maybeShutdown();
}

void RelaySocket::drop(qint64 sent)
{
    m_outBytes -= sent;
    std::size_t done = m_outHead;
    while (done < m_out.size()) {
        const qsizetype rest = m_out[done].size() - m_outOffset;
        if (sent < rest) {
            m_outOffset += qsizetype(sent);
            break;
        }
        sent -= rest;
        m_outOffset = 0;
        m_out[done] = QByteArray(); // its share of the frame is released now
        ++done;
    }
    if (done == m_out.size()) {
        std::vector<QByteArray>().swap(m_out); // an idle connection holds no queue
        m_outHead = 0;
        return;
    }
    // Sent frames are skipped, and compacted away only now and then: erasing the front on every
    // partial send would cost a long backlog quadratic time.
    m_outHead = done;
    if (m_outHead >= 64 && m_outHead * 2 >= m_out.size()) {
        m_out.erase(m_out.begin(), m_out.begin() + qsizetype(m_outHead));
        m_outHead = 0;
    }
}

void RelaySocket::onWritable()
{
    m_writer->setEnabled(false);
    flushPlain();
}

void RelaySocket::finishWrites(std::chrono::milliseconds linger, bool keepReading)
{
    if (!m_open || m_finishing)
        return;
    m_finishing = true;
    m_keepReading = keepReading;
    if (linger.count() > 0)
        m_lingerTimer = startTimer(linger);
    if (m_tls) {
        connect(m_tls, &QSslSocket::bytesWritten, this, &RelaySocket::maybeShutdown);
        connect(m_tls, &QSslSocket::encryptedBytesWritten, this, &RelaySocket::maybeShutdown);
    }
    flushQueued();
    maybeShutdown();
}

void RelaySocket::maybeShutdown()
{
    if (!m_open || !m_finishing || m_shutDown || bytesToWrite() > 0)
        return;
    m_shutDown = true;
    if (m_lingerTimer == 0) {
        closeNow();
        return;
    }
    if (m_tls)
        m_tls->disconnectFromHost(); // close_notify; disconnected() follows
    else
        ::shutdown(m_fd, SHUT_WR);
}

void RelaySocket::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_lingerTimer)
        closeNow();
    else
        timerExpired(event->timerId());
}

void RelaySocket::abort()
{
    closeNow();
}

void RelaySocket::closeNow()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_lingerTimer) {
        killTimer(m_lingerTimer);
        m_lingerTimer = 0;
    }
    std::vector<QByteArray>().swap(m_out);
    m_outBytes = 0;
    m_outOffset = 0;
    m_outHead = 0;
    if (m_tls) {
        m_tls->disconnect(this);
        m_tls->abort();
    } else {
        m_reader->setEnabled(false);
        if (m_writer)
            m_writer->setEnabled(false);
        ::close(m_fd);
        m_fd = -1;
    }
    transportClosed();
}

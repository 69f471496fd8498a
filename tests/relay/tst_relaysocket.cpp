// SPDX-License-Identifier: MIT
#include "relaysocket.h"

#include <QElapsedTimer>
#include <QTcpServer>
#include <QTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Records what the transport hands on.
class TestSocket : public RelaySocket
{
public:
    using RelaySocket::RelaySocket;
    QByteArray received;
    int closed = 0;

protected:
    void bytesReceived(char *data, qsizetype size) override { received.append(data, size); }
    void transportClosed() override { ++closed; }
};

// Keeps accepted descriptors as TestSockets.
class TestServer : public QTcpServer
{
public:
    std::unique_ptr<TestSocket> socket;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        socket = std::make_unique<TestSocket>(descriptor, nullptr);
    }
};

QByteArray pattern(qsizetype size, char seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(seed + i % 23);
    return bytes;
}

} // namespace

class tst_RelaySocket : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void queuedFramesArriveInOrder_data();
    void queuedFramesArriveInOrder();
    void writeSendsTheQueueFirst();
    void bytesToWriteCountsTheQueue();
    void kernelRefusalWaitsForWritable();
    void receivesWhatThePeerSends();
    void peerCloseIsReportedOnce();
    void flushAfterPeerResetDoesNotCrash();
    void lingeringCloseDeliversTheLastFrameToASendingPeer();
    void lingerEndsWhenThePeerCloses();
    void lingerEndsAtItsTimeout();
    void lingerWaitsForQueuedOutput();

private:
    // Replaces the QTcpSocket peer by a plain descriptor (non-blocking); -1 on failure.
    int rawPeer();
    // Reads from the peer until it has `size` bytes.
    QByteArray readAll(qsizetype size);

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<QTcpSocket> m_peer;
    TestSocket *m_socket = nullptr;
};

void tst_RelaySocket::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_peer = std::make_unique<QTcpSocket>();
    m_peer->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(m_peer->waitForConnected(5000));
    QTRY_VERIFY(m_server->socket);
    m_socket = m_server->socket.get();
    QVERIFY(m_socket->isOpen());
    QCOMPARE(m_socket->peerName(), u"127.0.0.1:%1"_s.arg(m_peer->localPort()));
}

void tst_RelaySocket::cleanup()
{
    m_peer.reset();
    m_server.reset();
    m_socket = nullptr;
}

QByteArray tst_RelaySocket::readAll(qsizetype size)
{
    QByteArray received;
    (void)QTest::qWaitFor(
        [&] {
            received += m_peer->readAll();
            return received.size() >= size;
        },
        20000);
    return received;
}

void tst_RelaySocket::queuedFramesArriveInOrder_data()
{
    QTest::addColumn<int>("frames");
    QTest::addColumn<int>("frameSize");
    QTest::newRow("one small frame") << 1 << 100;
    QTest::newRow("three frames") << 3 << 100;
    QTest::newRow("more frames than one sendmsg takes (64)") << 200 << 37;
    QTest::newRow("one 8 MiB frame, more than the kernel takes at once") << 1 << 8 * 1024 * 1024;
    QTest::newRow("100 frames of 64 KiB") << 100 << 64 * 1024;
    QTest::newRow("200,000 frames of 100 bytes, most waiting for the peer (the backlog compacts)")
        << 200000 << 100;
}

void tst_RelaySocket::queuedFramesArriveInOrder()
{
    QFETCH(int, frames);
    QFETCH(int, frameSize);
    QByteArray expected;
    for (int i = 0; i < frames; ++i) {
        const QByteArray frame = pattern(frameSize, char('A' + i % 26));
        m_socket->queue(frame);
        expected += frame;
    }
    QVERIFY(m_socket->hasUnflushed());
    m_socket->flushQueued();
    QVERIFY(!m_socket->hasUnflushed());
    const QByteArray received = readAll(expected.size());
    QCOMPARE(received.size(), expected.size());
    QVERIFY(received == expected);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
}

void tst_RelaySocket::writeSendsTheQueueFirst()
{
    m_socket->queue("first "_ba);
    m_socket->queue("second "_ba);
    m_socket->write("third"_ba);
    QVERIFY(!m_socket->hasUnflushed());
    QCOMPARE(readAll(18), "first second third"_ba);
}

void tst_RelaySocket::bytesToWriteCountsTheQueue()
{
    m_socket->queue(pattern(100, 'a'));
    m_socket->queue(pattern(50, 'b'));
    m_socket->queue(QByteArray());
    QCOMPARE(m_socket->bytesToWrite(), 150);
    m_socket->flushQueued();
    QCOMPARE(m_socket->bytesToWrite(), 0); // the kernel took 150 bytes at once
    QCOMPARE(readAll(150).size(), 150);
}

void tst_RelaySocket::kernelRefusalWaitsForWritable()
{
    // The peer does not read, so the kernel's buffers fill and the rest stays queued, ahead of
    // anything written later; it goes out as the peer reads.
    const QByteArray big = pattern(32 * 1024 * 1024, 'k');
    m_socket->queue(big);
    m_socket->flushQueued();
    const qint64 waiting = m_socket->bytesToWrite();
    QVERIFY2(waiting > 0 && waiting < big.size(), QByteArray::number(waiting).constData());
    m_socket->write("tail"_ba);
    QCOMPARE(m_socket->bytesToWrite(), waiting + 4);
    const QByteArray received = readAll(big.size() + 4);
    QVERIFY(received == big + "tail"_ba);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
}

void tst_RelaySocket::receivesWhatThePeerSends()
{
    const QByteArray sent = pattern(300 * 1024, 'r'); // more than one read of 64 KiB
    m_peer->write(sent);
    QTRY_COMPARE(m_socket->received.size(), sent.size());
    QVERIFY(m_socket->received == sent);
    QCOMPARE(m_socket->closed, 0);
}

void tst_RelaySocket::peerCloseIsReportedOnce()
{
    m_peer->disconnectFromHost();
    QTRY_COMPARE(m_socket->closed, 1);
    QVERIFY(!m_socket->isOpen());
    m_socket->write("after"_ba);
    m_socket->abort();
    QCOMPARE(m_socket->closed, 1);
    QCOMPARE(m_socket->bytesToWrite(), 0);
}

void tst_RelaySocket::flushAfterPeerResetDoesNotCrash()
{
    m_peer->abort();
    m_peer.reset();
    // The first send may still succeed (the reset is not known yet); a later one fails.
    const bool noticed = QTest::qWaitFor(
        [&] {
            m_socket->queue(pattern(1000, 'r'));
            m_socket->flushQueued();
            m_socket->write("x"_ba);
            return m_socket->closed > 0;
        },
        10000);
    QVERIFY(noticed);
    QCOMPARE(m_socket->closed, 1);
    QVERIFY(!m_socket->isOpen());
}

int tst_RelaySocket::rawPeer()
{
    // A peer that does only what the test says: QTcpSocket closes by itself at the end of stream.
    m_peer.reset();
    m_server->socket.reset();
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server->serverPort());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        return -1;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    if (!QTest::qWaitFor([&] { return m_server->socket != nullptr; }, 5000))
        return -1;
    m_socket = m_server->socket.get();
    return fd;
}

void tst_RelaySocket::lingeringCloseDeliversTheLastFrameToASendingPeer()
{
    // The peer is in the middle of sending a lot; closing outright with its bytes unread would
    // make the kernel reset the connection, and the last frame could be lost. Lingering, the
    // peer reads the frame, then a clean end of stream, while its own bytes are discarded.
    const int fd = rawPeer();
    QVERIFY(fd >= 0);
    const QByteArray flood = pattern(64 * 1024, 's');
    qint64 flooded = 0;
    for (int i = 0; i < 64; ++i)
        flooded += qMax<qint64>(0, ::send(fd, flood.constData(), size_t(flood.size()), MSG_NOSIGNAL));
    QTRY_VERIFY(!m_socket->received.isEmpty());
    m_socket->write("last frame"_ba);
    m_socket->finishWrites(5s);
    QByteArray got;
    ssize_t last = -1;
    int error = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            ::send(fd, flood.constData(), size_t(flood.size()), MSG_NOSIGNAL); // still sending
            char buffer[256];
            last = ::recv(fd, buffer, sizeof buffer, 0);
            error = errno;
            if (last > 0)
                got.append(buffer, last);
            return last == 0 || (last < 0 && error != EAGAIN);
        },
        10000));
    QCOMPARE(got, "last frame"_ba);
    QVERIFY2(last == 0, qPrintable(u"the stream ended with %1 (%2), not a clean end"_s.arg(last).arg(
                            QString::fromLocal8Bit(strerror(error)))));
    QCOMPARE(m_socket->closed, 0); // lingering until the peer closes
    ::close(fd);
    QTRY_COMPARE(m_socket->closed, 1);
    QVERIFY(flooded > 0);
}

void tst_RelaySocket::lingerEndsWhenThePeerCloses()
{
    m_socket->write("bye"_ba);
    m_socket->finishWrites(60s);
    QCOMPARE(readAll(3), "bye"_ba);
    m_peer->disconnectFromHost();
    QTRY_COMPARE(m_socket->closed, 1); // well before the 60 s
}

void tst_RelaySocket::lingerEndsAtItsTimeout()
{
    const int fd = rawPeer(); // reads nothing, never closes
    QVERIFY(fd >= 0);
    QElapsedTimer timer;
    timer.start();
    m_socket->finishWrites(200ms);
    QTRY_COMPARE_WITH_TIMEOUT(m_socket->closed, 1, 10000);
    QVERIFY(timer.elapsed() >= 150);
    QVERIFY(!m_socket->isOpen());
    ::close(fd);
}

void tst_RelaySocket::lingerWaitsForQueuedOutput()
{
    const QByteArray big = pattern(16 * 1024 * 1024, 'q');
    m_socket->write(big);
    QVERIFY(m_socket->bytesToWrite() > 0);
    m_socket->finishWrites(30s);
    const QByteArray received = readAll(big.size());
    QVERIFY(received == big);
    m_peer->disconnectFromHost();
    QTRY_COMPARE(m_socket->closed, 1);
}

QTEST_MAIN(tst_RelaySocket)
#include "tst_relaysocket.moc"

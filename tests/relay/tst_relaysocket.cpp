// SPDX-License-Identifier: MIT
#include "relaysocket.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

class RelaySocketServer : public QTcpServer
{
protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new RelaySocket(this);
        QVERIFY(socket->setSocketDescriptor(descriptor));
        addPendingConnection(socket);
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
    void kernelRefusalGoesToQtsBuffer();
    void flushAfterPeerResetDoesNotCrash();

private:
    // Reads from the peer until it has `size` bytes.
    QByteArray readAll(qsizetype size);

    std::unique_ptr<RelaySocketServer> m_server;
    std::unique_ptr<QTcpSocket> m_peer;
    RelaySocket *m_socket = nullptr;
};

void tst_RelaySocket::init()
{
    m_server = std::make_unique<RelaySocketServer>();
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_peer = std::make_unique<QTcpSocket>();
    m_peer->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
    QVERIFY(m_peer->waitForConnected(5000));
    QTRY_VERIFY(m_server->hasPendingConnections());
    m_socket = qobject_cast<RelaySocket *>(m_server->nextPendingConnection());
    QVERIFY(m_socket);
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
    QCOMPARE(m_socket->queuedFrames(), frames);
    m_socket->flushQueued();
    QCOMPARE(m_socket->queuedFrames(), 0);
    const QByteArray received = readAll(expected.size());
    QCOMPARE(received.size(), expected.size());
    QVERIFY(received == expected);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
}

void tst_RelaySocket::writeSendsTheQueueFirst()
{
    m_socket->queue("first "_ba);
    m_socket->queue("second "_ba);
    QCOMPARE(m_socket->write("third"_ba), 5);
    QCOMPARE(m_socket->queuedFrames(), 0);
    QCOMPARE(readAll(18), "first second third"_ba);
}

void tst_RelaySocket::bytesToWriteCountsTheQueue()
{
    m_socket->queue(pattern(100, 'a'));
    m_socket->queue(pattern(50, 'b'));
    m_socket->queue(QByteArray());
    QCOMPARE(m_socket->queuedFrames(), 2);
    QCOMPARE(m_socket->bytesToWrite(), 150);
    m_socket->flushQueued();
    QCOMPARE(m_socket->bytesToWrite(), 0); // the kernel took 150 bytes at once
    QCOMPARE(readAll(150).size(), 150);
}

void tst_RelaySocket::kernelRefusalGoesToQtsBuffer()
{
    // The peer does not read, so the kernel's buffers fill and the rest waits in Qt's buffer,
    // ahead of anything written later.
    const QByteArray big = pattern(32 * 1024 * 1024, 'k');
    m_socket->queue(big);
    m_socket->flushQueued();
    const qint64 waiting = m_socket->bytesToWrite();
    QVERIFY2(waiting > 0 && waiting < big.size(), QByteArray::number(waiting).constData());
    QCOMPARE(m_socket->write("tail"_ba), 4);
    QCOMPARE(m_socket->bytesToWrite(), waiting + 4);
    const QByteArray received = readAll(big.size() + 4);
    QVERIFY(received == big + "tail"_ba);
    QTRY_COMPARE(m_socket->bytesToWrite(), 0);
}

void tst_RelaySocket::flushAfterPeerResetDoesNotCrash()
{
    QSignalSpy disconnected(m_socket, &QAbstractSocket::disconnected);
    m_peer->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_peer->abort();
    m_peer.reset();
    // The first send may still succeed (the reset is not known yet); later ones fail, and the
    // failure is Qt's to report.
    const bool noticed = QTest::qWaitFor(
        [&] {
            m_socket->queue(pattern(1000, 'r'));
            m_socket->flushQueued();
            m_socket->write("x"_ba);
            return !disconnected.isEmpty();
        },
        10000);
    QVERIFY(noticed);
    QCOMPARE(m_socket->state(), QAbstractSocket::UnconnectedState);
}

QTEST_MAIN(tst_RelaySocket)
#include "tst_relaysocket.moc"

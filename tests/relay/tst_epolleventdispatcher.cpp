// SPDX-License-Identifier: MIT
#include "epolleventdispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {
// Both ends of a UNIX stream socket pair, closed on destruction.
struct SocketPair
{
    int fd[2] = {-1, -1};
    SocketPair() { QVERIFY(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd) == 0); }
    ~SocketPair()
    {
        for (int f : fd)
            if (f >= 0)
                ::close(f);
    }
    void send(const char *bytes = "x") const
    {
        QCOMPARE(::write(fd[1], bytes, qstrlen(bytes)), qstrlen(bytes));
    }
    QByteArray receive() const
    {
        char buffer[256];
        const auto n = ::read(fd[0], buffer, sizeof buffer);
        return n > 0 ? QByteArray(buffer, n) : QByteArray();
    }
};

EpollEventDispatcher *dispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

// Runs the loop for one turn that does not block.
void oneTurn()
{
    QAbstractEventDispatcher::instance()->processEvents(QEventLoop::AllEvents);
}
} // namespace

// Runs on the application's main loop with the dispatcher installed (see main() below).
class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void timersFireInOrderAndNeverEarly_data();
    void timersFireInOrderAndNeverEarly();
    void zeroIntervalTimerFiresOncePerTurn();
    void timerStoppedByAnEarlierHandlerDoesNotFire();
    void remainingTimeAndRegisteredTimers();
    void readNotifierFollowsEnabledState();
    void writeNotifierToggledWithinOneTurnCostsNoSystemCall();
    void reusedDescriptorIsWatched();
    void tcpRoundTrip_data();
    void tcpRoundTrip();
    void postFromAnotherThreadWakesABlockedLoop();
    void nestedLoopInPostedEventDoesNotStrandPosts();
};

void tst_EpollEventDispatcher::initTestCase()
{
    QVERIFY2(dispatcher(), "the test must run on EpollEventDispatcher");
    QVERIFY(dispatcher()->isValid());
}

void tst_EpollEventDispatcher::timersFireInOrderAndNeverEarly_data()
{
    QTest::addColumn<QList<int>>("intervals");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("precise, started out of order") << QList<int>{30, 5, 20, 0, 10} << Qt::PreciseTimer;
    QTest::newRow("coarse") << QList<int>{25, 1, 12} << Qt::CoarseTimer;
    QTest::newRow("same deadline") << QList<int>{15, 15, 15} << Qt::PreciseTimer;
}

void tst_EpollEventDispatcher::timersFireInOrderAndNeverEarly()
{
    QFETCH(QList<int>, intervals);
    QFETCH(Qt::TimerType, type);
    QList<int> fired;
    QList<qint64> elapsedAt;
    QElapsedTimer clock;
    std::vector<std::unique_ptr<QTimer>> timers;
    clock.start();
    for (int interval : intervals) {
        auto timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(type);
        timer->setInterval(interval);
        connect(timer.get(), &QTimer::timeout, this, [&, interval] {
            fired.append(interval);
            elapsedAt.append(clock.elapsed());
        });
        timer->start();
        timers.push_back(std::move(timer));
    }
    QTRY_COMPARE(fired.size(), intervals.size());
    QList<int> sorted = intervals;
    std::stable_sort(sorted.begin(), sorted.end());
    QCOMPARE(fired, sorted);
    for (int i = 0; i < fired.size(); ++i)
        QVERIFY2(elapsedAt.at(i) >= fired.at(i),
                 qPrintable(u"%1 ms timer fired after %2 ms"_s.arg(fired.at(i)).arg(elapsedAt.at(i))));
}

void tst_EpollEventDispatcher::zeroIntervalTimerFiresOncePerTurn()
{
    int zero = 0;
    QTimer idle;
    idle.setInterval(0);
    connect(&idle, &QTimer::timeout, this, [&zero] { ++zero; });
    idle.start();
    oneTurn();
    QCOMPARE(zero, 1);
    oneTurn();
    QCOMPARE(zero, 2);
    // and it does not starve other timers
    bool later = false;
    QTimer::singleShot(5ms, this, [&later] { later = true; });
    QTRY_VERIFY(later);
    QVERIFY(zero > 2);
}

void tst_EpollEventDispatcher::timerStoppedByAnEarlierHandlerDoesNotFire()
{
    QTimer first;
    QTimer second;
    QTimer after;
    for (QTimer *t : {&first, &second, &after})
        t->setSingleShot(true);
    int secondFired = 0;
    connect(&first, &QTimer::timeout, this, [&second] { second.stop(); });
    connect(&second, &QTimer::timeout, this, [&secondFired] { ++secondFired; });
    // first is started first, so it is first in line when both are due in the same turn
    first.start(10);
    second.start(10);
    after.start(40);
    QSignalSpy afterSpy(&after, &QTimer::timeout);
    QVERIFY(afterSpy.wait());
    QCOMPARE(secondFired, 0);
}

void tst_EpollEventDispatcher::remainingTimeAndRegisteredTimers()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(1000);
    const int left = dispatcher()->remainingTime(timer.timerId());
    QVERIFY2(left > 900 && left <= 1000, qPrintable(QString::number(left)));
    const auto infos = dispatcher()->registeredTimers(&timer);
    QCOMPARE(infos.size(), 1);
    QCOMPARE(infos.first().timerId, timer.timerId());
    QCOMPARE(infos.first().interval, 1000);
    QCOMPARE(infos.first().timerType, Qt::PreciseTimer);
    const int id = timer.timerId();
    timer.stop();
    QCOMPARE(dispatcher()->remainingTime(id), -1);
    QVERIFY(dispatcher()->registeredTimers(&timer).isEmpty());
}

void tst_EpollEventDispatcher::readNotifierFollowsEnabledState()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fd[0], QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    connect(&notifier, &QSocketNotifier::activated, this, [&pair] { pair.receive(); });
    pair.send();
    QVERIFY(activated.wait());
    QCOMPARE(activated.size(), 1);

    notifier.setEnabled(false);
    pair.send();
    QTimer marker;
    marker.setSingleShot(true);
    QSignalSpy markerSpy(&marker, &QTimer::timeout);
    marker.start(30);
    QVERIFY(markerSpy.wait());
    QCOMPARE(activated.size(), 1); // data waiting, but nobody asked

    notifier.setEnabled(true);
    QVERIFY(activated.wait());
    QCOMPARE(activated.size(), 2);
}

void tst_EpollEventDispatcher::writeNotifierToggledWithinOneTurnCostsNoSystemCall()
{
    SocketPair pair;
    QSocketNotifier reader(pair.fd[0], QSocketNotifier::Read);
    QSocketNotifier writer(pair.fd[0], QSocketNotifier::Write);
    writer.setEnabled(false);
    oneTurn();
    const quint64 before = dispatcher()->interestUpdates();
    writer.setEnabled(true);
    writer.setEnabled(false);
    oneTurn();
    QCOMPARE(dispatcher()->interestUpdates(), before);

    // a change that lasts until the wait is applied, and the socket is reported writable
    QSignalSpy writable(&writer, &QSocketNotifier::activated);
    writer.setEnabled(true);
    QVERIFY(writable.wait());
    QCOMPARE(dispatcher()->interestUpdates(), before + 1);
}

void tst_EpollEventDispatcher::reusedDescriptorIsWatched()
{
    int reusedFd = -1;
    {
        SocketPair first;
        QSocketNotifier notifier(first.fd[0], QSocketNotifier::Read);
        oneTurn(); // registered with the kernel
        reusedFd = first.fd[0];
    } // notifier gone, then the descriptor closed: the kernel must not keep a stale entry
    SocketPair second;
    const int fd = second.fd[0] == reusedFd ? second.fd[0] : second.fd[1];
    QCOMPARE(fd, reusedFd); // the lowest free descriptor is reused
    QSocketNotifier notifier(fd, QSocketNotifier::Read);
    QSignalSpy activated(&notifier, &QSocketNotifier::activated);
    QCOMPARE(::write(fd == second.fd[0] ? second.fd[1] : second.fd[0], "y", 1), 1);
    QVERIFY(activated.wait());
}

void tst_EpollEventDispatcher::tcpRoundTrip_data()
{
    QTest::addColumn<int>("bytes");
    QTest::newRow("1 byte") << 1;
    QTest::newRow("64 KiB") << 64 * 1024;
    QTest::newRow("8 MiB, more than the kernel buffers") << 8 * 1024 * 1024;
}

void tst_EpollEventDispatcher::tcpRoundTrip()
{
    QFETCH(int, bytes);
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QTRY_VERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> peer(server.nextPendingConnection());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    QByteArray payload(bytes, Qt::Uninitialized);
    for (int i = 0; i < bytes; ++i)
        payload[i] = char(i * 31 + 7);
    // the peer echoes everything back
    connect(peer.get(), &QTcpSocket::readyRead, this, [&peer] { peer->write(peer->readAll()); });
    QByteArray echoed;
    connect(&client, &QTcpSocket::readyRead, this, [&client, &echoed] { echoed += client.readAll(); });
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), payload.size(), 20000);
    QVERIFY(echoed == payload);
}

void tst_EpollEventDispatcher::postFromAnotherThreadWakesABlockedLoop()
{
    QEventLoop loop;
    bool woken = false;
    QSemaphore blocking;
    const auto connection = connect(
        dispatcher(), &QAbstractEventDispatcher::aboutToBlock, this, [&blocking] { blocking.release(); },
        Qt::DirectConnection);
    std::unique_ptr<QThread> poster(QThread::create([this, &loop, &woken, &blocking] {
        blocking.acquire(); // the main thread is about to wait in epoll_wait
        QMetaObject::invokeMethod(
            this,
            [&loop, &woken] {
                woken = true;
                loop.quit();
            },
            Qt::QueuedConnection);
    }));
    QTimer watchdog;
    watchdog.setSingleShot(true);
    connect(&watchdog, &QTimer::timeout, &loop, &QEventLoop::quit);
    watchdog.start(10000);
    poster->start();
    loop.exec();
    disconnect(connection);
    poster->wait();
    QVERIFY2(woken, "the loop slept through a post from another thread");
    QVERIFY(watchdog.isActive());
}

void tst_EpollEventDispatcher::nestedLoopInPostedEventDoesNotStrandPosts()
{
    QEventLoop outer;
    QList<char> order;
    QTimer watchdog;
    watchdog.setSingleShot(true);
    connect(&watchdog, &QTimer::timeout, &outer, &QEventLoop::quit);
    QMetaObject::invokeMethod(
        this,
        [&] {
            order.append('a');
            QMetaObject::invokeMethod(
                this, [&] { order.append('b'); }, Qt::QueuedConnection);
            QCoreApplication::processEvents(); // a nested turn, as a modal wait would run
            QMetaObject::invokeMethod(
                this,
                [&] {
                    order.append('c');
                    outer.quit();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    watchdog.start(10000);
    outer.exec();
    QCOMPARE(order, (QList<char>{'a', 'b', 'c'}));
    QVERIFY2(watchdog.isActive(), "a post made after a nested loop waited for the watchdog");
}

int main(int argc, char *argv[])
{
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"

// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractEventDispatcher>
#include <QHash>

#include <atomic>
#include <chrono>
#include <queue>
#include <vector>

class QSocketNotifier;

// An event dispatcher for Linux built on epoll, for the relay's thread. Qt's UNIX dispatcher hands
// every registered socket to ppoll() on every loop turn; with thousands of mostly idle WebSocket
// clients that scan was most of the relay's time (perf: 81% in sock_poll with 5,000 clients in
// 1,000 rooms, see docs/benchmarks.md). Here the kernel keeps the interest set and a turn costs
// what is ready.
//
// Interest changes are applied just before waiting, so a write notifier that is enabled and
// disabled again within one turn (a socket flushed at the end of the turn) costs no system call.
// A socket whose last notifier goes away is removed at once, before Qt closes the descriptor.
// Timers are kept in a heap; all timer types fire with millisecond precision. Reentrant: a nested
// event loop may run from any handler.
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused the epoll or eventfd descriptor; do not install it then.
    bool isValid() const { return m_epoll >= 0 && m_wake >= 0; }
    // Interest changes made with epoll_ctl so far (for tests and benchmarks).
    quint64 interestUpdates() const { return m_interestUpdates; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    using Clock = std::chrono::steady_clock;

    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 armed = 0; // the mask the kernel has
        bool registered = false;
        bool dirty = false;
        quint32 wanted() const;
    };
    struct Timer
    {
        qint64 interval = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        Clock::time_point deadline;
        quint64 generation = 0;
    };
    struct Due
    {
        Clock::time_point deadline;
        int id;
        quint64 generation;
        bool operator>(const Due &other) const { return deadline > other.deadline; }
    };

    void applyInterest(int fd, Watch &watch);
    void syncInterest();
    int waitTimeoutMs();
    bool activateTimers();
    bool activateSocket(int fd, quint32 events);
    void drainWake();
    void signalWake(); // makes a blocked epoll_wait return

    int m_epoll = -1;
    int m_wake = -1;
    QHash<int, Watch> m_watches;
    std::vector<int> m_dirty;
    QHash<int, Timer> m_timers;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    quint64 m_generation = 0;
    quint64 m_interestUpdates = 0;
    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_wakePending{false};
    bool m_sendingPosted = false;
    bool m_postedWhileSending = false;
};

// SPDX-License-Identifier: MIT
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEpoll, "switchboard.epoll")

quint32 EpollEventDispatcher::Watch::wanted() const
{
    return (read ? quint32(EPOLLIN) : 0u) | (write ? quint32(EPOLLOUT) : 0u) |
           (exception ? quint32(EPOLLPRI) : 0u);
}

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wake < 0) {
        qCWarning(lcEpoll, "cannot create the epoll or eventfd descriptor: %s", std::strerror(errno));
        return;
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wake;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev) < 0) {
        qCWarning(lcEpoll, "cannot watch the eventfd: %s", std::strerror(errno));
        ::close(m_wake);
        m_wake = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wake >= 0)
        ::close(m_wake);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupt.store(false, std::memory_order_relaxed);
    Q_EMIT awake();

    // A nested loop run from a posted event: the outer one must not block when this returns.
    const bool nestedInSend = m_sendingPosted;
    m_sendingPosted = true;
    m_postedWhileSending = false;
    if (m_wakePending.load(std::memory_order_acquire)) {
        drainWake();
        m_wakePending.store(false, std::memory_order_release);
    }
    QCoreApplication::sendPostedEvents();
    const bool mayWait =
        flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupt.load(std::memory_order_relaxed);
    syncInterest();
    int timeout = mayWait && !m_postedWhileSending ? waitTimeoutMs() : 0;
    if (timeout != 0) {
        Q_EMIT aboutToBlock();
        if (m_postedWhileSending)
            timeout = 0;
        syncInterest();
    }
    m_sendingPosted = false;

    std::array<epoll_event, 512> events;
    int n = epoll_wait(m_epoll, events.data(), int(events.size()), timeout);
    if (n < 0) {
        if (errno != EINTR)
            qCWarning(lcEpoll, "epoll_wait: %s", std::strerror(errno));
        n = 0;
    }

    bool activated = false;
    const bool sockets = !flags.testFlag(QEventLoop::ExcludeSocketNotifiers);
    for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wake)
            drainWake();
        else if (sockets)
            activated |= activateSocket(fd, events[i].events);
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        activated |= activateTimers();
    if (nestedInSend) {
        m_sendingPosted = true;
        m_postedWhileSending = true;
    }
    return activated;
}

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &watch = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        watch.read = notifier;
        break;
    case QSocketNotifier::Write:
        watch.write = notifier;
        break;
    case QSocketNotifier::Exception:
        watch.exception = notifier;
        break;
    }
    if (!watch.dirty) {
        watch.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &watch = *it;
    if (watch.read == notifier)
        watch.read = nullptr;
    else if (watch.write == notifier)
        watch.write = nullptr;
    else if (watch.exception == notifier)
        watch.exception = nullptr;
    if (watch.wanted() == 0) {
        // The descriptor may be closed right after this; the kernel must forget it now.
        if (watch.registered) {
            ++m_interestUpdates;
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
        }
        m_watches.erase(it);
        return;
    }
    if (!watch.dirty) {
        watch.dirty = true;
        m_dirty.push_back(fd);
    }
}

void EpollEventDispatcher::applyInterest(int fd, Watch &watch)
{
    const quint32 wanted = watch.wanted();
    if (watch.registered && wanted == watch.armed)
        return;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.fd = fd;
    ++m_interestUpdates;
    int rc;
    if (!watch.registered) {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        if (rc < 0 && errno == EEXIST)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    } else {
        rc = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
        if (rc < 0 && errno == ENOENT)
            rc = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    }
    if (rc < 0) {
        qCWarning(lcEpoll, "cannot watch socket %d: %s", fd, std::strerror(errno));
        return;
    }
    watch.registered = true;
    watch.armed = wanted;
}

void EpollEventDispatcher::syncInterest()
{
    // Handlers run from here may register more; take the list first.
    std::vector<int> dirty;
    dirty.swap(m_dirty);
    for (int fd : dirty) {
        auto it = m_watches.find(fd);
        if (it == m_watches.end())
            continue;
        it->dirty = false;
        applyInterest(fd, *it);
    }
    if (m_dirty.empty() && dirty.capacity() <= 4096) {
        dirty.clear();
        m_dirty.swap(dirty); // keep the allocation for the next turn
    }
}

bool EpollEventDispatcher::activateSocket(int fd, quint32 events)
{
    bool activated = false;
    const auto send = [this, fd, &activated](QSocketNotifier *Watch::*member) {
        // Looked up again every time: the previous handler may have closed or re-registered it.
        const auto it = m_watches.constFind(fd);
        if (it == m_watches.cend() || !((*it).*member))
            return;
        QEvent event(QEvent::SockAct);
        QCoreApplication::sendEvent((*it).*member, &event);
        activated = true;
    };
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        send(&Watch::read);
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        send(&Watch::write);
    if (events & EPOLLPRI)
        send(&Watch::exception);
    return activated;
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer &timer = m_timers[timerId];
    timer.interval = qMax<qint64>(0, interval);
    timer.type = timerType;
    timer.object = object;
    timer.deadline = Clock::now() + std::chrono::milliseconds(timer.interval);
    timer.generation = ++m_generation;
    m_due.push({timer.deadline, timerId, timer.generation});
    if (m_due.size() > 2 * size_t(m_timers.size()) + 64) {
        // Timers restarted often (without firing) leave stale entries behind: rebuild.
        decltype(m_due) fresh;
        for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
            fresh.push({it->deadline, it.key(), it->generation});
        m_due.swap(fresh);
    }
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId);
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> list;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it) {
        if (it->object == object)
            list.append(TimerInfo(it.key(), int(it->interval), it->type));
    }
    return list;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(it->deadline - Clock::now()).count();
    return int(std::clamp<qint64>(left, 0, INT_MAX));
}

int EpollEventDispatcher::waitTimeoutMs()
{
    while (!m_due.empty()) {
        const Due &top = m_due.top();
        const auto it = m_timers.constFind(top.id);
        if (it == m_timers.cend() || it->generation != top.generation) {
            m_due.pop();
            continue;
        }
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(top.deadline - Clock::now()).count();
        return int(std::clamp<qint64>(left, 0, INT_MAX));
    }
    return -1;
}

bool EpollEventDispatcher::activateTimers()
{
    const auto now = Clock::now();
    std::vector<Due> fire;
    while (!m_due.empty() && m_due.top().deadline <= now) {
        const Due due = m_due.top();
        m_due.pop();
        const auto it = m_timers.find(due.id);
        if (it == m_timers.end() || it->generation != due.generation)
            continue;
        fire.push_back(due);
    }
    // Rescheduled after collecting, so that a zero-interval timer fires once per turn.
    for (const Due &due : fire) {
        Timer &timer = m_timers[due.id];
        auto next = timer.deadline + std::chrono::milliseconds(timer.interval);
        if (next <= now)
            next = now + std::chrono::milliseconds(timer.interval);
        timer.deadline = next;
        m_due.push({next, due.id, due.generation});
    }
    bool activated = false;
    for (const Due &due : fire) {
        const auto it = m_timers.constFind(due.id);
        if (it == m_timers.cend() || it->generation != due.generation)
            continue; // stopped by an earlier handler
        QTimerEvent event(due.id);
        QCoreApplication::sendEvent(it->object, &event);
        activated = true;
    }
    return activated;
}

void EpollEventDispatcher::wakeUp()
{
    if (m_sendingPosted && QThread::currentThread() == thread()) {
        // Posted while this thread sends posted events: do not block afterwards. Posts from
        // handlers later in the turn are sent at the start of the next one, before any wait.
        m_postedWhileSending = true;
        return;
    }
    if (QThread::currentThread() == thread())
        return;
    if (!m_wakePending.exchange(true, std::memory_order_acq_rel))
        signalWake();
}

void EpollEventDispatcher::interrupt()
{
    m_interrupt.store(true, std::memory_order_relaxed);
    if (QThread::currentThread() == thread()) {
        m_postedWhileSending = true;
        return;
    }
    m_wakePending.store(true, std::memory_order_release);
    signalWake();
}

void EpollEventDispatcher::signalWake()
{
    const quint64 one = 1;
    [[maybe_unused]] const auto written = ::write(m_wake, &one, sizeof one);
}

void EpollEventDispatcher::drainWake()
{
    quint64 count;
    [[maybe_unused]] const auto read = ::read(m_wake, &count, sizeof count);
}

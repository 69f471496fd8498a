// SPDX-License-Identifier: MIT
#pragma once

#include "reconnectbackoff.h"
#include "redistransport.h"
#include "redisurl.h"
#include "redisvalue.h"
#include "respreader.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

class RedisSentinelResolver;
class RedisSentinelWatcher;

// A stalled Redis, or a connection that is half open, answers nothing and closes nothing.
// Once the connection is ready, a PING goes out after interval with nothing received; when
// nothing at all (a reply, a push) arrives within timeout of it, the connection is dead: it
// is dropped, reported with the error "no reply to PING within <timeout> ms (heartbeat)" and
// reconnected with the backoff. interval 0 turns the heartbeat off. timeout must exceed the
// longest command this Redis runs (a blocked Redis answers no one).
struct RedisHeartbeatOptions
{
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds timeout{5000};
};

struct RedisConnectionOptions
{
    RedisUrl url;
    // Sent as CLIENT SETNAME after connecting; no spaces allowed. Empty: not set.
    QString clientName;
    std::chrono::milliseconds connectTimeout{5000};
    bool autoReconnect = true;
    std::chrono::milliseconds reconnectInitialDelay{50};
    std::chrono::milliseconds reconnectMaxDelay{2000};
    // Commands accepted while the connection is not ready; beyond this they fail at once.
    qsizetype maxQueuedCommands = 100000;
    RedisHeartbeatOptions heartbeat;
    RedisKeepAliveOptions keepAlive;
    // "connected to ..." at info level; false: at debug level (the Sentinel client's own
    // short-lived connections to the Sentinels).
    bool logConnected = true;
};

// An asynchronous Redis connection on the Qt event loop. Commands are pipelined: each is
// written at once (or queued until the connection is ready) and replies are matched in order.
// A reply callback runs only while its context object is alive; work for a destroyed context
// is dropped. The connection reconnects with backoff unless close() was called.
//
// Signal handlers and reply callbacks may call anything on the connection, close(), open()
// and deleting it (directly or with deleteLater()) included. A callback never runs inside
// command(): a command refused at once (closed, queue full, empty) gets its error from the
// event loop.
//
// lastError() (and the error of stateChanged(), reconnecting(), closed()) when a handshake step
// is refused: "<step> failed: <Redis's error>", the step being AUTH, SELECT, CLIENT SETNAME or
// ROLE, e.g. "AUTH failed: WRONGPASS invalid username-password pair or user is disabled.".
// One exception: a CLIENT SETNAME refused by an ACL (NOPERM) is logged and the connection goes on
// unnamed.
//
// On a redis-sentinel:// URL every attempt first asks the Sentinels, in the URL's order, where
// the primary is (RedisSentinelResolver), connects there (RedisUrl::atNode) and runs the usual
// handshake followed by ROLE, which must say master. While Ready it follows +switch-master on a
// Sentinel (RedisSentinelWatcher); when the primary moves, the connection is dropped (commands in
// flight fail as with any drop, queued ones wait) and the next attempt goes to the new primary
// first. The errors of an attempt, retried with the backoff:
//   "no Sentinel answered for '<name>': s1:p1: <error>; s2:p2: <error>"
//   "the Sentinels do not know a primary named '<name>'"
//   "<host:port> is a replica, not the primary of '<name>' (a failover in progress?)"
//   "primary '<name>' moved to <host:port> (Sentinel failover)"   (when Ready)
class RedisConnection : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Ready, Reconnecting, Closed };
    Q_ENUM(State)

    using ReplyCallback = std::function<void(const RedisValue &)>;

    explicit RedisConnection(RedisConnectionOptions options, QObject *parent = nullptr);
    ~RedisConnection() override;

    void open();
    // Orderly shutdown: no reconnect; queued and in-flight commands fail with an error reply,
    // after stateChanged(Closed) and before closed(). Does nothing when already closed.
    void close();
    // Drops the connection as a failure with reason (lastError) and reconnects as after any
    // drop; for one that answers but is known to be of no use, e.g. a subscriber that hears
    // nothing. Does nothing unless connecting or Ready.
    void reconnect(const QString &reason);

    State state() const { return m_state; }
    bool isReady() const { return m_state == State::Ready; }
    QString lastError() const { return m_lastError; }
    const RedisConnectionOptions &options() const { return m_options; }

    // An empty args is refused without writing anything: the callback gets the error
    // "ERR switchboard: empty command (no arguments)" from the event loop, like any reply.
    void command(const QByteArrayList &args, QObject *context, ReplyCallback callback);
    // Fire and forget; errors are logged.
    void command(const QByteArrayList &args);

    // In push mode (used by RedisSubscriber) every reply after the handshake is emitted through
    // pushReceived() instead of being matched to a callback.
    void setPushMode(bool push) { m_pushMode = push; }

    // Includes a heartbeat PING waiting for its reply.
    qsizetype inFlightCount() const { return qsizetype(m_inFlight.size()); }
    qsizetype queuedCount() const { return qsizetype(m_queued.size()); }
    qint64 bytesToWrite() const;
    void flush();
    quint64 reconnectCount() const { return m_reconnects; }
    // The Redis this connection is (or was last) connected to: the URL's host and port, or on a
    // Sentinel URL the primary it last reached Ready on (empty before); for unix:// empty.
    RedisUrl::Node currentNode() const { return m_node; }

    static QString stateName(State state);
    // True for the error a command gets when the connection closed or dropped before Redis
    // answered it: it may or may not have run. Redis's own errors are never such a failure.
    static bool isConnectionFailure(const RedisValue &reply);

Q_SIGNALS:
    void stateChanged(RedisConnection::State state, const QString &lastError);
    void ready();
    void reconnecting(int attempt, int delayMs, const QString &lastError);
    void closed(const QString &lastError);
    void pushReceived(const RedisValue &value);
    // Sentinel URLs: Ready on a primary other than the one before (the first one included),
    // emitted just before stateChanged(Ready).
    void primaryChanged(const QString &host, quint16 port);

private:
    struct Pending
    {
        ReplyCallback callback;
        QPointer<QObject> context;
        bool hasContext = false;
        bool handshake = false;
    };
    struct Queued
    {
        QByteArray wire;
        Pending pending;
    };

    void startAttempt();
    void connectTo(const RedisUrl &url);
    void onResolved(const QString &host, quint16 port);
    void onPrimaryMoved(const QString &host, quint16 port);
    // The attempt (or the Ready connection) failed for reason: teardown, then close or reconnect.
    void failAttempt(const QString &reason);
    void checkRole(const RedisValue &reply);
    void onConnected();
    void onReadyRead();
    void onTransportDown(const QString &reason);
    void startHeartbeat();
    void onHeartbeat();
    void finishHandshake();
    // Drops the transport; returns the commands that were in flight on it, not yet failed.
    std::deque<Pending> detachTransport();
    void teardown(const QString &reason);
    // Runs a slot for a transport signal, counted in m_transportDepth.
    template<typename Slot>
    void fromTransport(Slot slot);
    void scheduleReconnect();
    void setState(State state);
    void send(const QByteArrayList &args, Pending pending);
    // pending gets the error why from the event loop, never from inside the caller's call.
    void refuse(Pending pending, const QByteArray &why);
    void dispatch(RedisValue &&value);
    void failAll(std::deque<Pending> &list, const QByteArray &message);
    static void invoke(const Pending &p, const RedisValue &value);

    RedisConnectionOptions m_options;
    State m_state = State::Disconnected;
    QString m_lastError;
    RedisTransport *m_transport = nullptr;
    // Sentinel URLs only; null otherwise.
    RedisSentinelResolver *m_resolver = nullptr;
    RedisSentinelWatcher *m_watcher = nullptr;
    RedisUrl::Node m_node;      // where the last Ready connection went
    RedisUrl::Node m_candidate; // where the current attempt goes
    RedisUrl::Node m_movedTo;   // +switch-master's new primary: the next attempt goes there first
    RespReader m_reader;
    QByteArray m_readBuffer;
    std::deque<Pending> m_inFlight;
    std::deque<Queued> m_queued;
    int m_handshakeRemaining = 0;
    bool m_pushMode = false;
    bool m_closing = false;
    // Changes whenever a transport is made or dropped: a handler that closed, reopened or
    // reconnected us is noticed by the code that emitted the signal.
    quint64 m_generation = 0;
    int m_transportDepth = 0; // slots for a transport's signals on the stack
    quint64 m_reconnects = 0;
    ReconnectBackoff m_backoff;
    QTimer m_connectTimer;
    QTimer m_reconnectTimer;
    using Clock = std::chrono::steady_clock;
    QTimer m_heartbeatTimer;
    Clock::time_point m_lastReceived;
    Clock::time_point m_pingSentAt;
    bool m_pingOutstanding = false;
};

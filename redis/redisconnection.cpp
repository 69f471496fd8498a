// SPDX-License-Identifier: MIT
#include "redisconnection.h"

#include "redislogging.h"
#include "redissentinel.h"
#include "redistransport.h"

using namespace Qt::StringLiterals;

namespace {
// Starts every error this class makes up for a command the connection could not complete.
constexpr char ConnectionFailure[] = "ERR switchboard: connection ";
constexpr char EmptyCommand[] = "ERR switchboard: empty command (no arguments)";
} // namespace

bool RedisConnection::isConnectionFailure(const RedisValue &reply)
{
    return reply.isError() && reply.bytes().startsWith(ConnectionFailure);
}

RedisConnection::RedisConnection(RedisConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backoff(m_options.reconnectInitialDelay, m_options.reconnectMaxDelay)
{
    m_connectTimer.setSingleShot(true);
    m_reconnectTimer.setSingleShot(true);
    m_heartbeatTimer.setSingleShot(true);
    m_heartbeatTimer.setTimerType(Qt::PreciseTimer); // never early: the bounds are the options
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &RedisConnection::onHeartbeat);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        onTransportDown(u"connect timeout after %1 ms"_s.arg(m_options.connectTimeout.count()));
    });
    connect(&m_reconnectTimer, &QTimer::timeout, this, &RedisConnection::startAttempt);
    if (m_options.url.topology() == RedisUrl::Topology::Sentinel) {
        m_resolver = new RedisSentinelResolver(m_options, this);
        m_watcher = new RedisSentinelWatcher(m_options, this);
        connect(m_resolver, &RedisSentinelResolver::resolved, this, &RedisConnection::onResolved);
        connect(m_resolver, &RedisSentinelResolver::failed, this, &RedisConnection::failAttempt);
        // From the event loop: the watcher's own connection is still emitting.
        connect(m_watcher, &RedisSentinelWatcher::primaryMoved, this, &RedisConnection::onPrimaryMoved,
                Qt::QueuedConnection);
    } else if (m_options.url.scheme() != RedisUrl::Scheme::Unix) {
        m_node = RedisUrl::Node{m_options.url.host(), m_options.url.port()};
    }
}

RedisConnection::~RedisConnection()
{
    m_closing = true;
    // Deleted by a handler from inside one of a transport's signals: that transport and its
    // socket are still emitting, further up the stack, so they must outlive this object.
    const bool insideTransport = m_transportDepth > 0;
    for (RedisTransport *transport : findChildren<RedisTransport *>(Qt::FindDirectChildrenOnly)) {
        transport->disconnect(this);
        transport->abort();
        if (insideTransport) {
            transport->setParent(nullptr);
            transport->deleteLater();
        }
    }
    // Callbacks are not run from the destructor: their owners may be half destroyed.
}

template<typename Slot> void RedisConnection::fromTransport(Slot slot)
{
    const QPointer<RedisConnection> guard(this);
    ++m_transportDepth;
    slot();
    if (guard)
        --m_transportDepth;
}

QString RedisConnection::stateName(State state)
{
    switch (state) {
    case State::Disconnected:
        return u"disconnected"_s;
    case State::Connecting:
        return u"connecting"_s;
    case State::Ready:
        return u"ready"_s;
    case State::Reconnecting:
        return u"reconnecting"_s;
    case State::Closed:
        return u"closed"_s;
    }
    return {};
}

void RedisConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state, m_lastError);
}

void RedisConnection::open()
{
    if (m_state == State::Connecting || m_state == State::Ready)
        return;
    m_closing = false;
    m_backoff.reset();
    m_reconnectTimer.stop();
    startAttempt();
}

void RedisConnection::close()
{
    if (m_state == State::Closed)
        return;
    m_closing = true;
    m_reconnectTimer.stop();
    std::deque<Pending> inFlight = detachTransport();
    std::deque<Pending> queued;
    for (Queued &q : m_queued)
        queued.push_back(std::move(q.pending));
    m_queued.clear();
    // Closed before any callback runs: a command issued from one fails (it is not queued
    // forever), and open() from one reopens.
    const QPointer<RedisConnection> guard(this);
    setState(State::Closed);
    if (!guard)
        return;
    failAll(inFlight, ConnectionFailure + "closed"_ba);
    if (!guard)
        return;
    failAll(queued, m_lastError.isEmpty() ? ConnectionFailure + "closed"_ba
                                          : ConnectionFailure + "closed: "_ba + m_lastError.toUtf8());
    if (!guard || m_state != State::Closed)
        return;
    Q_EMIT closed(m_lastError);
}

qint64 RedisConnection::bytesToWrite() const
{
    return m_transport ? m_transport->bytesToWrite() : 0;
}

void RedisConnection::flush()
{
    if (m_transport)
        m_transport->flush();
}

void RedisConnection::startAttempt()
{
    if (m_closing)
        return;
    if (m_transport) {
        m_transport->disconnect(this);
        m_transport->abort();
        m_transport->deleteLater();
        m_transport = nullptr;
    }
    m_reader.reset();
    m_readBuffer.clear();
    const quint64 generation = ++m_generation;
    const QPointer<RedisConnection> guard(this);
    setState(m_state == State::Reconnecting ? State::Reconnecting : State::Connecting);
    if (!guard || generation != m_generation) // a handler closed or deleted us
        return;
    if (m_state != State::Reconnecting)
        qCDebug(lcRedis) << "connecting to" << m_options.url.toDisplayString();
    if (!m_resolver) {
        connectTo(m_options.url);
    } else if (!m_movedTo.host.isEmpty()) {
        // Where +switch-master said the primary went; ROLE checks it, and the next attempt asks
        // the Sentinels again.
        const RedisUrl::Node movedTo = std::exchange(m_movedTo, RedisUrl::Node{});
        onResolved(movedTo.host, movedTo.port);
    } else {
        m_resolver->resolve();
    }
}

void RedisConnection::onResolved(const QString &host, quint16 port)
{
    m_candidate = RedisUrl::Node{host, port};
    qCDebug(lcRedis).noquote() << u"the Sentinels name %1:%2 as primary '%3'"_s.arg(host).arg(port).arg(
        m_options.url.primaryName());
    connectTo(m_options.url.atNode(host, port));
}

void RedisConnection::connectTo(const RedisUrl &url)
{
    m_transport = new RedisTransport(url, this);
    m_transport->setKeepAlive(m_options.keepAlive);
    connect(m_transport, &RedisTransport::connected, this,
            [this] { fromTransport([this] { onConnected(); }); });
    connect(m_transport, &RedisTransport::readyRead, this,
            [this] { fromTransport([this] { onReadyRead(); }); });
    connect(m_transport, &RedisTransport::disconnected, this,
            [this](const QString &reason) { fromTransport([this, &reason] { onTransportDown(reason); }); });
    m_connectTimer.start(m_options.connectTimeout);
    m_transport->open();
}

void RedisConnection::onConnected()
{
    // The handshake goes first, pipelined; queued user commands follow once it has succeeded.
    QList<QByteArrayList> steps;
    if (!m_options.url.password().isEmpty()) {
        if (m_options.url.username().isEmpty())
            steps.append({"AUTH"_ba, m_options.url.password().toUtf8()});
        else
            steps.append({"AUTH"_ba, m_options.url.username().toUtf8(), m_options.url.password().toUtf8()});
    }
    if (m_options.url.database() != 0)
        steps.append({"SELECT"_ba, QByteArray::number(m_options.url.database())});
    if (!m_options.clientName.isEmpty())
        steps.append({"CLIENT"_ba, "SETNAME"_ba, m_options.clientName.toUtf8()});
    if (m_resolver) // a Sentinel's answer may be stale: only a primary will do
        steps.append({"ROLE"_ba});
    // A PING goes last and Ready waits for the server's answer (any answer, NOAUTH included):
    // a stalled server that the kernel still accepts connections for is not Ready. Over TLS it
    // also proves the server accepted the session: with TLS 1.3 our side of the handshake
    // completes before the server has checked our client certificate, and a rejected client
    // only learns it on its next read.
    steps.append({"PING"_ba});
    m_handshakeRemaining = int(steps.size());
    for (const QByteArrayList &step : std::as_const(steps)) {
        const QByteArray name =
            step.size() > 1 && step.first() == "CLIENT" ? "CLIENT SETNAME"_ba : step.first();
        Pending p;
        p.handshake = true;
        p.callback = [this, name](const RedisValue &reply) {
            if (reply.isError() && name == "CLIENT SETNAME" && reply.bytes().startsWith("NOPERM")) {
                // An ACL without +client|setname: the connection works, only unnamed in CLIENT LIST.
                qCWarning(lcRedis).noquote() << "cannot name the connection" << m_options.clientName << "-"
                                             << QString::fromUtf8(reply.bytes());
            } else if (reply.isError() && name != "PING") {
                onTransportDown(
                    u"%1 failed: %2"_s.arg(QString::fromLatin1(name), QString::fromUtf8(reply.bytes())));
                return;
            }
            if (name == "ROLE") {
                const quint64 generation = m_generation;
                checkRole(reply);
                if (generation != m_generation)
                    return;
            }
            if (--m_handshakeRemaining == 0)
                finishHandshake();
        };
        m_transport->write(RespReader::formatCommand(step));
        m_inFlight.push_back(std::move(p));
    }
}

void RedisConnection::checkRole(const RedisValue &reply)
{
    if (reply.isArray() && !reply.elements().empty() && reply.elements().front().bytes() == "master")
        return;
    onTransportDown(
        u"%1:%2 is a replica, not the primary of '%3' (a failover in progress?)"_s.arg(m_candidate.host)
            .arg(m_candidate.port)
            .arg(m_options.url.primaryName()));
}

void RedisConnection::onPrimaryMoved(const QString &host, quint16 port)
{
    if (m_state != State::Ready || (host == m_node.host && port == m_node.port))
        return;
    m_movedTo = RedisUrl::Node{host, port};
    onTransportDown(
        u"primary '%1' moved to %2:%3 (Sentinel failover)"_s.arg(m_options.url.primaryName(), host)
            .arg(port));
}

void RedisConnection::finishHandshake()
{
    m_connectTimer.stop();
    startHeartbeat();
    m_backoff.reset();
    m_lastError.clear();
    const QString where =
        m_resolver ? u"(primary %1:%2)"_s.arg(m_candidate.host).arg(m_candidate.port) : QString();
    const QString as = m_options.clientName.isEmpty() ? QString() : u"as "_s + m_options.clientName;
    if (m_options.logConnected)
        qCInfo(lcRedis).noquote() << "connected to" << m_options.url.toDisplayString() << where << as;
    else
        qCDebug(lcRedis).noquote() << "connected to" << m_options.url.toDisplayString() << where << as;
    // Flush what was queued while we were away, skipping work whose owner has died.
    std::deque<Queued> queued;
    queued.swap(m_queued);
    for (Queued &q : queued) {
        if (q.pending.hasContext && !q.pending.context)
            continue;
        m_transport->write(q.wire);
        if (!m_pushMode)
            m_inFlight.push_back(std::move(q.pending));
    }
    const quint64 generation = m_generation;
    const QPointer<RedisConnection> guard(this);
    if (m_resolver) {
        m_watcher->start(m_candidate);
        if (m_candidate != m_node) {
            m_node = m_candidate;
            Q_EMIT primaryChanged(m_node.host, m_node.port);
            if (!guard || generation != m_generation)
                return;
        }
    }
    setState(State::Ready);
    if (!guard || generation != m_generation)
        return;
    Q_EMIT ready();
}

void RedisConnection::command(const QByteArrayList &args, QObject *context, ReplyCallback callback)
{
    Pending p;
    p.callback = std::move(callback);
    p.context = context;
    p.hasContext = context != nullptr;
    send(args, std::move(p));
}

void RedisConnection::command(const QByteArrayList &args)
{
    Pending p;
    const QByteArray name = args.isEmpty() ? QByteArray() : args.first();
    p.callback = [name](const RedisValue &reply) {
        if (reply.isError())
            qCWarning(lcRedis).noquote()
                << (name.isEmpty() ? "command"_ba : name) << "failed:" << QString::fromUtf8(reply.bytes());
    };
    send(args, std::move(p));
}

void RedisConnection::refuse(Pending pending, const QByteArray &why)
{
    QMetaObject::invokeMethod(
        this, [p = std::move(pending), why] { invoke(p, RedisValue::error(why)); }, Qt::QueuedConnection);
}

void RedisConnection::send(const QByteArrayList &args, Pending pending)
{
    // "*0\r\n" gets no reply from Redis: every later reply would go to the wrong callback.
    if (args.isEmpty()) {
        refuse(std::move(pending), EmptyCommand);
        return;
    }
    const QByteArray wire = RespReader::formatCommand(args);
    if (m_state == State::Ready && m_transport) {
        m_transport->write(wire);
        if (!m_pushMode)
            m_inFlight.push_back(std::move(pending));
        return;
    }
    if (m_state == State::Closed || qsizetype(m_queued.size()) >= m_options.maxQueuedCommands) {
        const QByteArray why = m_state == State::Closed
                                   ? ConnectionFailure + "closed"_ba
                                   : "ERR switchboard: command queue full while disconnected ("_ba +
                                         QByteArray::number(m_options.maxQueuedCommands) + " commands)"_ba;
        refuse(std::move(pending), why);
        return;
    }
    m_queued.push_back(Queued{wire, std::move(pending)});
}

void RedisConnection::onReadyRead()
{
    if (!m_transport)
        return;
    m_readBuffer.resize(0);
    if (m_transport->readInto(&m_readBuffer) > 0)
        m_lastReceived = Clock::now();
    m_reader.feed(m_readBuffer);
    const quint64 generation = m_generation;
    const QPointer<RedisConnection> guard(this);
    while (true) {
        std::optional<RedisValue> value = m_reader.next();
        if (!value)
            break;
        dispatch(std::move(*value));
        if (!guard || generation != m_generation)
            return;
    }
    if (m_reader.hasError())
        onTransportDown(m_reader.errorString());
}

void RedisConnection::dispatch(RedisValue &&value)
{
    if (m_inFlight.empty() || (m_pushMode && !m_inFlight.front().handshake)) {
        if (m_pushMode) {
            Q_EMIT pushReceived(value);
            return;
        }
        qCWarning(lcRedis) << "unexpected reply with no command waiting:" << value.toDisplayString();
        return;
    }
    Pending p = std::move(m_inFlight.front());
    m_inFlight.pop_front();
    invoke(p, value);
}

void RedisConnection::invoke(const Pending &p, const RedisValue &value)
{
    if (!p.callback)
        return;
    if (p.hasContext && !p.context)
        return;
    p.callback(value);
}

void RedisConnection::failAll(std::deque<Pending> &list, const QByteArray &message)
{
    const QPointer<RedisConnection> guard(this);
    const RedisValue error = RedisValue::error(message);
    while (!list.empty()) {
        Pending p = std::move(list.front());
        list.pop_front();
        if (p.handshake)
            continue;
        invoke(p, error);
        if (!guard)
            return;
    }
}

void RedisConnection::reconnect(const QString &reason)
{
    if (m_state == State::Ready || m_state == State::Connecting)
        onTransportDown(reason);
}

void RedisConnection::onTransportDown(const QString &reason)
{
    if (!m_transport)
        return;
    failAttempt(reason);
}

void RedisConnection::failAttempt(const QString &reason)
{
    const bool wasReady = m_state == State::Ready;
    m_lastError = reason;
    if (wasReady)
        qCWarning(lcRedis).noquote() << "lost" << m_options.url.toDisplayString() << "-" << reason;
    const QPointer<RedisConnection> guard(this);
    teardown(reason);
    if (!guard || m_closing)
        return;
    if (!m_options.autoReconnect) {
        close();
        return;
    }
    scheduleReconnect();
}

std::deque<RedisConnection::Pending> RedisConnection::detachTransport()
{
    m_connectTimer.stop();
    m_heartbeatTimer.stop();
    m_pingOutstanding = false;
    ++m_generation;
    if (m_resolver) {
        m_resolver->abort();
        m_watcher->stop();
    }
    if (m_transport) {
        m_transport->disconnect(this);
        m_transport->abort();
        m_transport->deleteLater();
        m_transport = nullptr;
    }
    m_handshakeRemaining = 0;
    std::deque<Pending> inFlight;
    inFlight.swap(m_inFlight);
    return inFlight;
}

void RedisConnection::teardown(const QString &reason)
{
    std::deque<Pending> inFlight = detachTransport();
    failAll(inFlight, reason.isEmpty() ? ConnectionFailure + "closed"_ba
                                       : ConnectionFailure + "lost: "_ba + reason.toUtf8());
}

void RedisConnection::scheduleReconnect()
{
    const auto delay = m_backoff.next();
    ++m_reconnects;
    if (m_backoff.attempt() == 1 || m_backoff.attempt() % 10 == 0)
        qCWarning(lcRedis).noquote()
            << "cannot reach" << m_options.url.toDisplayString() << "-" << m_lastError
            << u"(attempt %1, retrying in %2 ms)"_s.arg(m_backoff.attempt()).arg(delay.count());
    // Started before the signals, so that a handler's open() or close() stops it.
    m_reconnectTimer.start(delay);
    const quint64 generation = m_generation;
    const QPointer<RedisConnection> guard(this);
    setState(State::Reconnecting);
    if (!guard || generation != m_generation || m_state != State::Reconnecting)
        return;
    Q_EMIT reconnecting(m_backoff.attempt(), int(delay.count()), m_lastError);
}

void RedisConnection::startHeartbeat()
{
    m_pingOutstanding = false;
    m_lastReceived = Clock::now();
    if (m_options.heartbeat.interval.count() > 0)
        m_heartbeatTimer.start(m_options.heartbeat.interval);
}

// Runs when the connection may have been idle for the interval, or a PING for the timeout.
// Anything received (a reply, a push) counts as an answer: the timer is not restarted per read.
void RedisConnection::onHeartbeat()
{
    using std::chrono::ceil;
    using std::chrono::milliseconds;
    if (m_state != State::Ready || !m_transport)
        return;
    const RedisHeartbeatOptions &heartbeat = m_options.heartbeat;
    const Clock::time_point now = Clock::now();
    if (m_pingOutstanding) {
        if (m_lastReceived < m_pingSentAt) {
            const Clock::duration waited = now - m_pingSentAt;
            if (waited < heartbeat.timeout) {
                m_heartbeatTimer.start(ceil<milliseconds>(heartbeat.timeout - waited));
                return;
            }
            onTransportDown(u"no reply to PING within %1 ms (heartbeat)"_s.arg(heartbeat.timeout.count()));
            return;
        }
        m_pingOutstanding = false;
    }
    const Clock::duration idle = now - m_lastReceived;
    if (idle < heartbeat.interval) {
        m_heartbeatTimer.start(ceil<milliseconds>(heartbeat.interval - idle));
        return;
    }
    // In push mode the answer is a push (["pong", ""] in subscribe mode), else a reply that
    // nothing waits for.
    m_transport->write(RespReader::formatCommand({"PING"_ba}));
    if (!m_pushMode)
        m_inFlight.push_back(Pending{});
    m_pingOutstanding = true;
    m_pingSentAt = now;
    m_heartbeatTimer.start(heartbeat.timeout);
}

// SPDX-License-Identifier: MIT
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {
// Where a handler re-enters the connection: a signal, or a reply callback in one of the ways
// a reply is delivered.
enum class Trigger {
    ConnectingState,
    ReadyState,
    Ready,
    ReconnectingState,
    Reconnecting,
    ClosedState,
    Closed,
    ReplyInPipeline,
    ErrorOnLostConnection,
    ErrorOnClose,
    RefusedCommand,
    Push
};
// What the handler does there.
enum class Reentry { Command, Close, Open, DeleteLater, Delete };
} // namespace
Q_DECLARE_METATYPE(Trigger)
Q_DECLARE_METATYPE(Reentry)

namespace {
// Where a handler re-enters a RedisSubscriber.
enum class SubscriberTrigger { Message, Subscribed, Unsubscribed, Resubscribed, ResubscribedAtOnce };
enum class SubscriberReentry { Subscribe, Unsubscribe, Close, Open, DeleteLater, Delete };
} // namespace
Q_DECLARE_METATYPE(SubscriberTrigger)
Q_DECLARE_METATYPE(SubscriberReentry)

// Handlers that call back into RedisConnection and RedisSubscriber (or delete them) from every
// place they emit a signal or run a callback while mid-update. Checked here for the outcome;
// under ASan (SWITCHBOARD_SANITIZE) also for memory safety.
class tst_RedisReentrancy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void connectionHandlers_data();
    void connectionHandlers();
    void subscriberHandlers_data();
    void subscriberHandlers();

private:
    RedisConnectionOptions optionsFor();
    void driveTo(Trigger trigger, RedisConnection *c, const std::function<void()> &act);
    void driveTo(SubscriberTrigger trigger, RedisSubscriber *s, const std::function<void()> &act);
    void settle();
    qint64 numsub(const QByteArray &channel) const;

    std::unique_ptr<RedisServer> m_redis;
    int m_serial = 0;
};

void tst_RedisReentrancy::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
}

RedisConnectionOptions tst_RedisReentrancy::optionsFor()
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = u"reentry-%1"_s.arg(++m_serial);
    return o;
}

qint64 tst_RedisReentrancy::numsub(const QByteArray &channel) const
{
    const RedisValue r = m_redis->command({"PUBSUB", "NUMSUB", channel});
    return r.elements().size() == 2 ? r.elements()[1].toInteger() : -1;
}

// Lets the event loop run until a fresh connection has made two round trips: long enough for
// a connection attempt that should not exist to reach the server (loopback).
void tst_RedisReentrancy::settle()
{
    RedisConnectionOptions options;
    options.url = RedisUrl::parse(m_redis->url());
    RedisConnection probe(options);
    int answered = 0;
    probe.command({"PING"}, this, [&](const RedisValue &) { ++answered; });
    probe.open();
    QTRY_COMPARE(answered, 1);
    probe.command({"PING"}, this, [&](const RedisValue &) { ++answered; });
    QTRY_COMPARE(answered, 2);
}

void tst_RedisReentrancy::driveTo(Trigger trigger, RedisConnection *c, const std::function<void()> &act)
{
    using State = RedisConnection::State;
    const auto onState = [&](State wanted) {
        connect(c, &RedisConnection::stateChanged, this, [act, wanted](State state) {
            if (state == wanted)
                act();
        });
    };
    const auto openAndWait = [&] {
        c->open();
        QTRY_VERIFY(c->isReady());
    };
    const auto ignore = [](const RedisValue &) {};
    switch (trigger) {
    case Trigger::ConnectingState:
        onState(State::Connecting);
        return c->open();
    case Trigger::ReadyState:
        onState(State::Ready);
        return c->open();
    case Trigger::Ready:
        connect(c, &RedisConnection::ready, this, act);
        return c->open();
    case Trigger::ReconnectingState:
        openAndWait();
        onState(State::Reconnecting);
        return c->command({"QUIT"});
    case Trigger::Reconnecting:
        openAndWait();
        connect(c, &RedisConnection::reconnecting, this, act);
        return c->command({"QUIT"});
    case Trigger::ClosedState:
        openAndWait();
        onState(State::Closed);
        return c->close();
    case Trigger::Closed:
        openAndWait();
        connect(c, &RedisConnection::closed, this, act);
        return c->close();
    case Trigger::ReplyInPipeline:
        openAndWait();
        c->command({"ECHO", "1"}, this, [act](const RedisValue &) { act(); });
        c->command({"ECHO", "2"}, this, ignore);
        return c->command({"ECHO", "3"}, this, ignore);
    case Trigger::ErrorOnLostConnection:
        openAndWait();
        c->command({"QUIT"}); // Redis answers and closes: the PINGs behind it are lost
        c->command({"PING"}, this, [act](const RedisValue &) { act(); });
        return c->command({"PING"}, this, ignore);
    case Trigger::ErrorOnClose:
        openAndWait();
        c->command({"PING"}, this, [act](const RedisValue &) { act(); });
        c->command({"PING"}, this, ignore);
        return c->close();
    case Trigger::RefusedCommand:
        openAndWait();
        return c->command({}, this, [act](const RedisValue &) { act(); });
    case Trigger::Push:
        c->setPushMode(true);
        openAndWait();
        connect(c, &RedisConnection::pushReceived, this, act);
        return c->command({"SUBSCRIBE", "a", "b", "c"});
    }
}

void tst_RedisReentrancy::connectionHandlers_data()
{
    QTest::addColumn<Trigger>("trigger");
    QTest::addColumn<Reentry>("action");
    QTest::addColumn<bool>("closedThere"); // a command issued there fails: the connection is closed
    const std::vector<std::pair<const char *, Trigger>> triggers{
        {"stateChanged(Connecting)", Trigger::ConnectingState},
        {"stateChanged(Ready)", Trigger::ReadyState},
        {"ready", Trigger::Ready},
        {"stateChanged(Reconnecting)", Trigger::ReconnectingState},
        {"reconnecting", Trigger::Reconnecting},
        {"stateChanged(Closed)", Trigger::ClosedState},
        {"closed", Trigger::Closed},
        {"reply in a pipeline", Trigger::ReplyInPipeline},
        {"error on a lost connection", Trigger::ErrorOnLostConnection},
        {"error on close", Trigger::ErrorOnClose},
        {"refused command", Trigger::RefusedCommand},
        {"pushReceived", Trigger::Push}};
    const std::vector<std::pair<const char *, Reentry>> reentries{{"command", Reentry::Command},
                                                                  {"close", Reentry::Close},
                                                                  {"open", Reentry::Open},
                                                                  {"deleteLater", Reentry::DeleteLater},
                                                                  {"delete", Reentry::Delete}};
    for (const auto &[triggerName, trigger] : triggers) {
        const bool closedThere = trigger == Trigger::ClosedState || trigger == Trigger::Closed ||
                                 trigger == Trigger::ErrorOnClose;
        for (const auto &[actionName, action] : reentries)
            QTest::addRow("%s: %s", triggerName, actionName) << trigger << action << closedThere;
    }
}

void tst_RedisReentrancy::connectionHandlers()
{
    QFETCH(Trigger, trigger);
    QFETCH(Reentry, action);
    QFETCH(bool, closedThere);
    const RedisConnectionOptions o = optionsFor();
    QPointer<RedisConnection> c = new RedisConnection(o);
    // Also on failure: c's handlers refer to this function's locals.
    const auto cleanup = qScopeGuard([&] { delete c.data(); });
    QList<RedisConnection::State> states;
    connect(c, &RedisConnection::stateChanged, this,
            [&](RedisConnection::State state) { states.append(state); });
    QSignalSpy closed(c, &RedisConnection::closed);
    int fired = 0;
    std::optional<RedisValue> reply;
    const auto act = [&] {
        if (fired++ > 0)
            return;
        switch (action) {
        case Reentry::Command:
            if (trigger == Trigger::Push) { // push mode matches no reply to a command: expect a push
                connect(c, &RedisConnection::pushReceived, this, [&](const RedisValue &v) {
                    if (v.elements().size() == 3 && v.elements()[1].bytes() == "reentry")
                        reply = v.elements()[1];
                });
                c->command({"SUBSCRIBE", "reentry"});
            } else {
                c->command({"ECHO", "reentry"}, this, [&](const RedisValue &r) { reply = r; });
            }
            break;
        case Reentry::Close:
            c->close();
            break;
        case Reentry::Open:
            c->open();
            break;
        case Reentry::DeleteLater:
            c->deleteLater();
            break;
        case Reentry::Delete:
            delete c.data();
            break;
        }
    };
    driveTo(trigger, c, act);
    QTRY_VERIFY(fired > 0);

    switch (action) {
    case Reentry::Command:
        QTRY_VERIFY(reply.has_value());
        if (closedThere)
            QCOMPARE(reply->bytes(), "ERR switchboard: connection closed"_ba);
        else
            QCOMPARE(reply->bytes(), "reentry"_ba);
        break;
    case Reentry::Close:
        QTRY_COMPARE(c->state(), RedisConnection::State::Closed);
        settle();
        QVERIFY(c);
        QCOMPARE(c->state(), RedisConnection::State::Closed);
        QCOMPARE(states.last(), RedisConnection::State::Closed);
        QCOMPARE(closed.size(), 1);
        QVERIFY(!m_redis->hasClient(o.clientName));
        break;
    case Reentry::Open:
        QTRY_VERIFY(c->isReady());
        if (trigger == Trigger::Push) // push mode runs no reply callback
            break;
        c->command({"PING"}, this, [&](const RedisValue &r) { reply = r; });
        QTRY_VERIFY(reply.has_value());
        QVERIFY2(!reply->isError(), qPrintable(reply->toDisplayString()));
        break;
    case Reentry::DeleteLater:
    case Reentry::Delete:
        QTRY_VERIFY(!c);
        QTRY_VERIFY(!m_redis->hasClient(o.clientName));
        settle();
        break;
    }
}

void tst_RedisReentrancy::driveTo(SubscriberTrigger trigger, RedisSubscriber *s, const std::function<void()> &act)
{
    // Two names in one turn: one command, whose confirmations Redis sends back to back.
    const auto subscribeBoth = [s] {
        s->subscribe("chan"_ba);
        s->subscribe("chan2"_ba);
        QTRY_VERIFY(s->isSubscribed("chan"_ba) && s->isSubscribed("chan2"_ba));
    };
    switch (trigger) {
    case SubscriberTrigger::Message:
        subscribeBoth();
        connect(s, &RedisSubscriber::message, this, act);
        m_redis->command({"PUBLISH", "chan", "1"});
        m_redis->command({"PUBLISH", "chan", "2"});
        return;
    case SubscriberTrigger::Subscribed:
        connect(s, &RedisSubscriber::subscribed, this, act);
        s->subscribe("chan"_ba);
        s->subscribe("chan2"_ba);
        return;
    case SubscriberTrigger::Unsubscribed:
        subscribeBoth();
        connect(s, &RedisSubscriber::unsubscribed, this, act);
        s->unsubscribe("chan"_ba);
        s->unsubscribe("chan2"_ba);
        return;
    case SubscriberTrigger::Resubscribed:
        subscribeBoth();
        connect(s, &RedisSubscriber::resubscribed, this, act);
        s->connection()->command({"QUIT"}); // Redis closes the connection: reconnect, resubscribe
        return;
    case SubscriberTrigger::ResubscribedAtOnce: // nothing to resubscribe: emitted on ready()
        QTRY_VERIFY(s->isSettled());
        connect(s, &RedisSubscriber::resubscribed, this, act);
        s->connection()->command({"QUIT"});
        return;
    }
}

void tst_RedisReentrancy::subscriberHandlers_data()
{
    QTest::addColumn<SubscriberTrigger>("trigger");
    QTest::addColumn<SubscriberReentry>("action");
    const std::vector<std::pair<const char *, SubscriberTrigger>> triggers{
        {"message", SubscriberTrigger::Message},
        {"subscribed", SubscriberTrigger::Subscribed},
        {"unsubscribed", SubscriberTrigger::Unsubscribed},
        {"resubscribed", SubscriberTrigger::Resubscribed},
        {"resubscribed with nothing to resubscribe", SubscriberTrigger::ResubscribedAtOnce}};
    const std::vector<std::pair<const char *, SubscriberReentry>> reentries{
        {"subscribe", SubscriberReentry::Subscribe}, {"unsubscribe", SubscriberReentry::Unsubscribe},
        {"close", SubscriberReentry::Close},         {"open", SubscriberReentry::Open},
        {"deleteLater", SubscriberReentry::DeleteLater}, {"delete", SubscriberReentry::Delete}};
    for (const auto &[triggerName, trigger] : triggers) {
        for (const auto &[actionName, action] : reentries)
            QTest::addRow("%s: %s", triggerName, actionName) << trigger << action;
    }
}

void tst_RedisReentrancy::subscriberHandlers()
{
    QFETCH(SubscriberTrigger, trigger);
    QFETCH(SubscriberReentry, action);
    const RedisConnectionOptions o = optionsFor();
    QPointer<RedisSubscriber> s = new RedisSubscriber(o);
    const auto cleanup = qScopeGuard([&] { delete s.data(); });
    QSignalSpy resubscribed(s, &RedisSubscriber::resubscribed);
    qsizetype resubscribedAtClose = -1;
    int fired = 0;
    const auto act = [&] {
        if (fired++ > 0)
            return;
        switch (action) {
        case SubscriberReentry::Subscribe:
            s->subscribe("other"_ba);
            break;
        case SubscriberReentry::Unsubscribe:
            s->unsubscribe("chan"_ba);
            break;
        case SubscriberReentry::Close:
            resubscribedAtClose = resubscribed.size();
            s->close();
            break;
        case SubscriberReentry::Open:
            s->open();
            break;
        case SubscriberReentry::DeleteLater:
            s->deleteLater();
            break;
        case SubscriberReentry::Delete:
            delete s.data();
            break;
        }
    };
    s->open();
    driveTo(trigger, s, act);
    QTRY_VERIFY(fired > 0);

    switch (action) {
    case SubscriberReentry::Subscribe:
        QTRY_VERIFY(s->isSubscribed("other"_ba));
        QCOMPARE(numsub("other"_ba), 1);
        break;
    case SubscriberReentry::Unsubscribe:
        QTRY_COMPARE(numsub("chan"_ba), 0);
        QVERIFY(!s->isSubscribed("chan"_ba));
        break;
    case SubscriberReentry::Close:
        QTRY_COMPARE(s->connection()->state(), RedisConnection::State::Closed);
        settle();
        QCOMPARE(s->connection()->state(), RedisConnection::State::Closed);
        QCOMPARE(resubscribed.size(), resubscribedAtClose);
        QVERIFY(!s->isSettled());
        QVERIFY(!m_redis->hasClient(o.clientName));
        break;
    case SubscriberReentry::Open:
        QTRY_VERIFY(s->isSettled());
        if (trigger != SubscriberTrigger::ResubscribedAtOnce && trigger != SubscriberTrigger::Unsubscribed)
            QTRY_VERIFY(s->isSubscribed("chan"_ba));
        break;
    case SubscriberReentry::DeleteLater:
    case SubscriberReentry::Delete:
        QTRY_VERIFY(!s);
        QTRY_VERIFY(!m_redis->hasClient(o.clientName));
        settle();
        break;
    }
}

QTEST_MAIN(tst_RedisReentrancy)
#include "tst_redisreentrancy.moc"

// SPDX-License-Identifier: MIT
#include "relaysimulator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

using namespace Qt::StringLiterals;

struct RelaySimulator::Client
{
    QWebSocket socket;
    QString name;
    QString room;
    bool joined = false;
};

namespace {
const QStringList phrases{u"hello there"_s, u"anyone around?"_s, u"deploying now"_s, u"looks good to me"_s,
                          u"brb"_s,         u"🚀 shipped"_s,      u"lunch?"_s,        u"on it"_s};
}

RelaySimulator::RelaySimulator(QObject *parent)
    : QObject(parent)
{
    m_tick.setInterval(10);
    connect(&m_tick, &QTimer::timeout, this, &RelaySimulator::tick);
    m_statsTimer.setSingleShot(true);
    m_statsTimer.setInterval(250);
    connect(&m_statsTimer, &QTimer::timeout, this, &RelaySimulator::statsChanged);
}

RelaySimulator::~RelaySimulator()
{
    for (auto &c : m_clients)
        c->socket.disconnect(this);
}

bool RelaySimulator::start(const QUrl &url, int clients, int rooms, double messagesPerSecond, QString *error)
{
    QString problem;
    if (clients < 1 || clients > MaxClients)
        problem = tr("The simulator runs 1 to %1 clients.").arg(MaxClients);
    else if (rooms < 1)
        problem = tr("The simulator needs at least one room.");
    else if (messagesPerSecond < 0 || messagesPerSecond > 100000)
        problem = tr("The rate must be between 0 and 100,000 messages per second.");
    else if (!url.isValid() || (url.scheme() != "ws"_L1 && url.scheme() != "wss"_L1))
        problem = tr("The simulator needs a ws:// or wss:// URL.");
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    stop();
    m_stats = Stats();
    m_rooms = rooms;
    m_rate = messagesPerSecond;
    m_budget = 0;
    for (int i = 0; i < clients; ++i) {
        auto client = std::make_unique<Client>();
        client->name = u"sim-%1"_s.arg(i + 1);
        client->room = u"sim-%1"_s.arg(i % rooms + 1);
        Client *c = client.get();
        connect(&c->socket, &QWebSocket::connected, this, [this, c] {
            ++m_stats.connected;
            c->socket.sendTextMessage(u"{\"type\":\"join\",\"roomId\":\"%1\"}"_s.arg(c->room));
            changed();
        });
        connect(&c->socket, &QWebSocket::textMessageReceived, this, [this, c](const QString &text) {
            if (!c->joined && text.startsWith(u"{\"type\":\"joined\""_s)) {
                c->joined = true;
                ++m_stats.joined;
            } else if (text.contains(u"\"type\":\"error\""_s)) {
                ++m_stats.errors;
            } else {
                ++m_stats.received;
            }
            changed();
        });
        connect(&c->socket, &QWebSocket::disconnected, this, [this, c] {
            if (m_stats.connected > 0 && c->socket.closeCode() != QWebSocketProtocol::CloseCodeNormal)
                ++m_stats.errors;
            m_stats.connected = qMax(0, m_stats.connected - 1);
            if (c->joined)
                m_stats.joined = qMax(0, m_stats.joined - 1);
            c->joined = false;
            changed();
        });
        c->socket.open(url);
        m_clients.push_back(std::move(client));
    }
    m_clock.start();
    m_lastTick = 0;
    m_tick.start();
    Q_EMIT runningChanged(true);
    changed();
    return true;
}

void RelaySimulator::stop()
{
    if (m_clients.empty())
        return;
    m_tick.stop();
    for (auto &c : m_clients) {
        c->socket.disconnect(this);
        c->socket.close(QWebSocketProtocol::CloseCodeNormal, u"simulation stopped"_s);
    }
    m_clients.clear();
    m_stats.connected = 0;
    m_stats.joined = 0;
    Q_EMIT runningChanged(false);
    changed();
}

void RelaySimulator::setRate(double messagesPerSecond)
{
    m_rate = qBound(0.0, messagesPerSecond, 100000.0);
}

void RelaySimulator::tick()
{
    const qint64 now = m_clock.elapsed();
    m_budget += m_rate * double(now - m_lastTick) / 1000.0;
    m_lastTick = now;
    m_budget = qMin(m_budget, m_rate + 1); // never burst more than a second's worth
    while (m_budget >= 1 && !m_clients.empty()) {
        // Round-robin over clients that are in their room.
        Client *sender = nullptr;
        for (size_t tries = 0; tries < m_clients.size() && !sender; ++tries) {
            Client *c = m_clients[m_next++ % m_clients.size()].get();
            if (c->joined)
                sender = c;
        }
        if (!sender)
            break;
        QJsonObject message{{u"type"_s, u"message"_s},
                            {u"roomId"_s, sender->room},
                            {u"user"_s, sender->name},
                            {u"text"_s, phrases[int(m_counter++ % quint64(phrases.size()))]}};
        sender->socket.sendTextMessage(
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
        ++m_stats.sent;
        m_budget -= 1;
    }
    changed();
}

void RelaySimulator::changed()
{
    if (!m_statsTimer.isActive())
        m_statsTimer.start();
}

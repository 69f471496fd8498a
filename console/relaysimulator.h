// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QUrl>

#include <memory>
#include <vector>

class QWebSocket;

// Synthetic WebSocket clients for the embedded relay: N clients named sim-<n> join rooms sim-<k>
// round-robin and chat at a total rate, so a developer sees the system move without a client.
class RelaySimulator : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxClients = 2000;

    struct Stats
    {
        int connected = 0;
        int joined = 0;
        quint64 sent = 0;
        quint64 received = 0;
        quint64 errors = 0;
    };

    explicit RelaySimulator(QObject *parent = nullptr);
    ~RelaySimulator() override;

    // Returns false with *error for out-of-range arguments.
    bool start(const QUrl &url, int clients, int rooms, double messagesPerSecond, QString *error = nullptr);
    void stop();
    bool isRunning() const { return !m_clients.empty(); }
    void setRate(double messagesPerSecond);
    const Stats &stats() const { return m_stats; }

Q_SIGNALS:
    void statsChanged();
    void runningChanged(bool running);

private:
    struct Client;
    void tick();
    void changed();

    std::vector<std::unique_ptr<Client>> m_clients;
    QTimer m_tick;
    QTimer m_statsTimer;
    QElapsedTimer m_clock;
    double m_rate = 0;
    double m_budget = 0;
    qint64 m_lastTick = 0;
    size_t m_next = 0;
    quint64 m_counter = 0;
    int m_rooms = 1;
    Stats m_stats;
};

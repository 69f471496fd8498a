// SPDX-License-Identifier: MIT
#pragma once
// What the console benchmark's scenarios share (consolebench.cpp has the overview): stderr notes,
// RSS, percentiles, the event-loop lag probe, waiting on the event loop, blocking hiredis
// connections and CLIENT LIST fields, the RSS sampler thread, and the console under test.
#include "connectioncontroller.h"
#include "logmodel.h"
#include "mainwindow.h"
#include "secretstore.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <hiredis/hiredis.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace consolebench {

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

void note(const QString &text);
qint64 rssKib();
double percentile(std::vector<double> values, double p);
double round2(double v);

// Event-loop lag on the thread that creates it: a precise 10 ms timer records how late each tick
// came (actual interval - 10 ms, never below 0).
class LagProbe : public QObject
{
public:
    static constexpr qint64 IntervalNs = 10'000'000;

    LagProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10ms);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_lags.push_back(double(std::max<qint64>(0, now - m_last - IntervalNs)) / 1e6);
            m_last = now;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = -1;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    size_t mark() const { return m_lags.size(); }
    std::vector<double> since(size_t from) const
    {
        return {m_lags.begin() + qsizetype(std::min(from, m_lags.size())), m_lags.end()};
    }
    static QJsonObject stats(const std::vector<double> &lags)
    {
        const double max = lags.empty() ? 0.0 : *std::max_element(lags.begin(), lags.end());
        return QJsonObject{{u"samples"_s, qint64(lags.size())},
                           {u"p50_ms"_s, round2(percentile(lags, 0.50))},
                           {u"p99_ms"_s, round2(percentile(lags, 0.99))},
                           {u"max_ms"_s, round2(max)}};
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<double> m_lags;
};

// Runs the event loop until pred() holds (checked every 5 ms) or timeoutMs passes.
bool waitFor(const std::function<bool()> &pred, int timeoutMs);

struct RedisContextDeleter
{
    void operator()(redisContext *c) const { redisFree(c); }
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextDeleter>;

RedisContextPtr connectRedis(int port);
// One command (SUBSCRIBE, UNSUBSCRIBE) per batch of names; every confirmation is read.
bool sendBatched(redisContext *c, const char *command, const std::vector<std::string> &names, size_t batch);
// CLIENT LIST TYPE pubsub: the line of the client called name, empty if none.
QByteArray clientLine(redisContext *c, const QByteArray &name);
QByteArray clientField(const QByteArray &line, const QByteArray &key);

// Samples this process's RSS every second on its own thread, so stalls of the GUI thread do not
// thin out the series.
class RssSampler
{
public:
    ~RssSampler() { stop(); }
    void start()
    {
        m_thread = std::thread([this] {
            auto next = std::chrono::steady_clock::now();
            while (!m_stop) {
                {
                    const std::lock_guard lock(m_mutex);
                    m_series.push_back(rssKib());
                }
                next += 1s;
                while (!m_stop && std::chrono::steady_clock::now() < next)
                    std::this_thread::sleep_for(20ms);
            }
        });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    std::vector<qint64> series() const
    {
        const std::lock_guard lock(m_mutex);
        return m_series;
    }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    mutable std::mutex m_mutex;
    std::vector<qint64> m_series;
};

struct Console
{
    QTemporaryDir dir;
    std::unique_ptr<QSettings> settings;
    MemorySecretStore secrets;
    LogModel log;
    std::unique_ptr<MainWindow> window;

    bool open()
    {
        settings = std::make_unique<QSettings>(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        settings->setValue(u"audit/path"_s, dir.filePath(u"audit.ndjson"_s));
        window = std::make_unique<MainWindow>(settings.get(), &secrets, &log);
        window->show();
        return true;
    }
    bool connectTo(int port) { return connectToUrl(u"redis://127.0.0.1:%1"_s.arg(port)); }
    bool connectToUrl(const QString &url)
    {
        ConnectionProfile profile;
        profile.name = u"bench"_s;
        profile.url = url;
        QString error;
        if (!window->connectToProfile(profile, QString(), &error)) {
            note(u"connect failed: "_s + error);
            return false;
        }
        return true;
    }
    bool waitReady()
    {
        return waitFor(
            [this] { return window->connectionController()->state() == RedisConnection::State::Ready; },
            10000);
    }
    void showDock(const QString &name)
    {
        if (auto *dock = window->findChild<QDockWidget *>(name)) {
            dock->show();
            dock->raise();
        }
    }
};

// The scenarios: each fills out with its JSON result and returns the process's exit status.
int runTap(int port, int rate, int seconds, int size, QJsonObject &out);
int runChannels(int port, int channels, int rounds, QJsonObject &out);
// clusterPorts: the nodes of a Redis Cluster (the subscribers spread over them, the console on a
// redis-cluster:// profile); empty: one redis-server on port.
int runChannelsScale(int port, const QList<int> &clusterPorts, int channels, int helpers, int rounds,
                     int churn, QJsonObject &out);

} // namespace consolebench

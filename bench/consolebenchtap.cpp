// SPDX-License-Identifier: MIT
// The tap scenario (consolebench.cpp has the overview).
#include "consolebench.h"
#include "tapcontroller.h"

#include <QJsonArray>

#include <algorithm>
#include <string>

namespace consolebench {
namespace {

// Publishes rate messages/s (paced every millisecond, pipelined) on its own thread and connection.
class Publisher
{
public:
    Publisher(int port, int rate, int size, int channels)
        : m_port(port)
        , m_rate(rate)
        , m_size(size)
        , m_channels(channels)
    {}
    ~Publisher() { stop(); }

    bool start()
    {
        m_context = connectRedis(m_port);
        if (!m_context)
            return false;
        m_thread = std::thread([this] { run(); });
        return true;
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    quint64 published() const { return m_published; }
    quint64 deliveries() const { return m_deliveries; }
    bool failed() const { return m_failed; }

private:
    void run()
    {
        std::string payload(size_t(std::max(m_size, 16)), 'x');
        std::vector<std::string> names;
        for (int i = 0; i < m_channels; ++i)
            names.push_back("room:" + std::to_string(i));
        const auto begin = std::chrono::steady_clock::now();
        auto next = begin;
        quint64 sent = 0;
        while (!m_stop) {
            next += 1ms;
            std::this_thread::sleep_until(next);
            const double elapsed =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            const auto due = quint64(elapsed * m_rate);
            const quint64 batch = std::min<quint64>(due - std::min(due, sent), 5000);
            for (quint64 i = 0; i < batch; ++i) {
                const std::string seq = std::to_string(sent + i);
                std::copy(seq.begin(), seq.end(), payload.begin());
                payload[seq.size()] = ' ';
                const std::string &channel = names[size_t((sent + i) % names.size())];
                redisAppendCommand(m_context.get(), "PUBLISH %b %b", channel.data(), channel.size(),
                                   payload.data(), payload.size());
            }
            for (quint64 i = 0; i < batch; ++i) {
                void *r = nullptr;
                if (redisGetReply(m_context.get(), &r) != REDIS_OK) {
                    m_failed = true;
                    return;
                }
                auto *reply = static_cast<redisReply *>(r);
                if (reply->type == REDIS_REPLY_INTEGER)
                    m_deliveries += quint64(reply->integer);
                freeReplyObject(reply);
            }
            sent += batch;
            m_published = sent;
        }
    }

    int m_port;
    int m_rate;
    int m_size;
    int m_channels;
    RedisContextPtr m_context;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<quint64> m_published{0};
    std::atomic<quint64> m_deliveries{0};
    std::atomic<bool> m_failed{false};
};

QString protectionName(TapController::Protection p)
{
    switch (p) {
    case TapController::Protection::Normal:
        return u"normal"_s;
    case TapController::Protection::Sampling:
        return u"sampling"_s;
    case TapController::Protection::Paused:
        return u"paused"_s;
    }
    return {};
}

} // namespace

int runTap(int port, int rate, int seconds, int size, QJsonObject &out)
{
    Console console;
    console.open();
    console.showDock(u"tapDock"_s);
    console.showDock(u"chartsDock"_s);
    if (!console.connectTo(port) || !console.waitReady())
        return 1;
    TapController *tap = console.window->tapController();
    tap->addPattern("*");
    RedisContextPtr control = connectRedis(port);
    if (!control)
        return 1;
    const QByteArray tapName = "switchboard-console:tap";
    QByteArray tapLine;
    if (!waitFor(
            [&] {
                tapLine = clientLine(control.get(), tapName);
                return clientField(tapLine, "psub") == "1";
            },
            10000)) {
        note(u"the tap never subscribed"_s);
        return 1;
    }
    const QByteArray tapId = clientField(tapLine, "id");

    LagProbe lag;
    RssSampler rss;
    Publisher publisher(port, rate, size, 100);
    lag.start();
    rss.start();
    if (!publisher.start())
        return 1;
    note(u"tapping '*' at %1 msg/s for %2 s"_s.arg(rate).arg(seconds));
    QElapsedTimer clock;
    clock.start();
    QJsonArray perSecond;
    QTimer progress;
    progress.setInterval(1000);
    QObject::connect(&progress, &QTimer::timeout, [&] {
        perSecond.append(QJsonObject{{u"t"_s, round2(double(clock.elapsed()) / 1000.0)},
                                     {u"published"_s, qint64(publisher.published())},
                                     {u"received"_s, qint64(tap->received())}});
    });
    progress.start();
    waitFor([&] { return clock.elapsed() >= qint64(seconds) * 1000 || publisher.failed(); },
            seconds * 1000 + 1000);
    publisher.stop();
    progress.stop();
    const size_t publishEnd = lag.mark();
    const double publishSeconds = double(clock.elapsed()) / 1000.0;
    const quint64 published = publisher.published();
    const quint64 receivedAtStop = tap->received();
    // Let the tap read what Redis still holds for it.
    QElapsedTimer drain;
    drain.start();
    const bool caughtUp = waitFor([&] { return tap->received() >= published; }, 10000);
    const qint64 drainMs = drain.elapsed();
    lag.stop();
    rss.stop();

    const QByteArray endLine = clientLine(control.get(), tapName);
    const bool tapKept = !endLine.isEmpty() && clientField(endLine, "id") == tapId;

    const std::vector<qint64> series = rss.series();
    const int warm = std::min(10, std::max(1, seconds / 3));
    const qint64 rssWarm = series.empty() ? 0 : series[std::min(size_t(warm), series.size() - 1)];
    const qint64 rssEnd = series.empty() ? 0 : series.back();
    QJsonArray rssJson;
    for (qint64 v : series)
        rssJson.append(v);
    const std::vector<double> lags = lag.since(0);
    const std::vector<double> publishLags(lags.begin(), lags.begin() + qsizetype(publishEnd));

    out[u"scenario"_s] = u"tap"_s;
    out[u"rate"_s] = rate;
    out[u"seconds"_s] = seconds;
    out[u"size"_s] = size;
    out[u"publish_seconds"_s] = round2(publishSeconds);
    out[u"published"_s] = qint64(published);
    out[u"published_per_s"_s] = round2(double(published) / publishSeconds);
    out[u"redis_deliveries"_s] = qint64(publisher.deliveries());
    out[u"publisher_failed"_s] = publisher.failed();
    out[u"received_at_stop"_s] = qint64(receivedAtStop);
    out[u"received"_s] = qint64(tap->received());
    out[u"caught_up"_s] = caughtUp;
    out[u"drain_ms"_s] = drainMs;
    out[u"sampled_away"_s] = qint64(tap->sampledAway());
    out[u"rows_buffered"_s] = qint64(tap->model()->rowCount());
    out[u"protection"_s] = protectionName(tap->protection());
    out[u"sample_ratio"_s] = tap->sampleRatio();
    out[u"tap_connected"_s] = tap->isConnected();
    out[u"tap_connection_kept"_s] = tapKept;
    out[u"tap_client_end"_s] = QString::fromUtf8(endLine);
    out[u"lag"_s] = LagProbe::stats(publishLags);
    out[u"lag_with_drain"_s] = LagProbe::stats(lags);
    out[u"rss_kib"_s] = rssJson;
    out[u"rss_warm_s"_s] = warm;
    out[u"rss_warm_kib"_s] = rssWarm;
    out[u"rss_end_kib"_s] = rssEnd;
    out[u"rss_growth_kib"_s] = rssEnd - rssWarm;
    out[u"rss_growth_pct"_s] = rssWarm ? round2(100.0 * double(rssEnd - rssWarm) / double(rssWarm)) : 0.0;
    out[u"progress"_s] = perSecond;
    return 0;
}

} // namespace consolebench

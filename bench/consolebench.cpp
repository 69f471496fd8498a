// SPDX-License-Identifier: MIT
// The console benchmark: builds the real console (MainWindow with every dock) on a given Redis and
// measures, on the GUI thread, what an operator feels.
//   --mode tap:      a publisher thread (its own blocking hiredis connection, pipelined PUBLISH) sends
//                    --rate messages/s for --seconds over 100 channels while the console taps '*';
//                    reports event-loop lag (p50/p99/max), the RSS series, and what the tap received.
//   --mode channels: --channels channels exist with 1 or 2 subscribers each (two hiredis connections
//                    held open); times the Channels view's introspection until its model lists them all
//                    with the right counts, in rounds.
// Prints exactly one JSON line on stdout; diagnostics go to stderr. bench/run.py drives it.
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channelsview.h"
#include "connectioncontroller.h"
#include "logmodel.h"
#include "mainwindow.h"
#include "relaystatspublisher.h"
#include "secretstore.h"
#include "tapcontroller.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <hiredis/hiredis.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

void note(const QString &text)
{
    std::fprintf(stderr, "consolebench: %s\n", qPrintable(text));
}

qint64 rssKib()
{
    std::ifstream statm("/proc/self/statm");
    long long size = 0;
    long long resident = 0;
    statm >> size >> resident;
    return qint64(resident * sysconf(_SC_PAGESIZE) / 1024);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto rank = size_t(std::ceil(p * double(values.size())));
    return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

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
bool waitFor(const std::function<bool()> &pred, int timeoutMs)
{
    if (pred())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(5);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (pred())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return pred();
}

struct RedisContextDeleter
{
    void operator()(redisContext *c) const { redisFree(c); }
};
using RedisContextPtr = std::unique_ptr<redisContext, RedisContextDeleter>;

RedisContextPtr connectRedis(int port)
{
    RedisContextPtr c(redisConnect("127.0.0.1", port));
    if (!c || c->err) {
        note(u"cannot connect to redis on port %1: %2"_s.arg(port).arg(
            QString::fromUtf8(c ? c->errstr : "out of memory")));
        return nullptr;
    }
    return c;
}

// CLIENT LIST TYPE pubsub: the line of the client called name, empty if none.
QByteArray clientLine(redisContext *c, const QByteArray &name)
{
    auto *reply = static_cast<redisReply *>(redisCommand(c, "CLIENT LIST TYPE pubsub"));
    QByteArray found;
    if (reply && reply->type == REDIS_REPLY_STRING) {
        const QByteArray text(reply->str, qsizetype(reply->len));
        for (const QByteArray &line : text.split('\n')) {
            if (line.contains(" name=" + name + ' '))
                found = line.trimmed();
        }
    }
    freeReplyObject(reply);
    return found;
}

QByteArray clientField(const QByteArray &line, const QByteArray &key)
{
    for (const QByteArray &field : line.split(' ')) {
        if (field.startsWith(key + '='))
            return field.mid(key.size() + 1);
    }
    return {};
}

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
    bool connectTo(int port)
    {
        ConnectionProfile profile;
        profile.name = u"bench"_s;
        profile.url = u"redis://127.0.0.1:%1"_s.arg(port);
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

// Subscribes one connection to each name (batches of several thousand per command) and reads every
// confirmation.
bool subscribeAll(redisContext *c, const std::vector<std::string> &names)
{
    constexpr size_t Batch = 5000;
    for (size_t start = 0; start < names.size(); start += Batch) {
        const size_t end = std::min(names.size(), start + Batch);
        std::vector<const char *> argv{"SUBSCRIBE"};
        std::vector<size_t> lens{9};
        for (size_t i = start; i < end; ++i) {
            argv.push_back(names[i].data());
            lens.push_back(names[i].size());
        }
        if (redisAppendCommandArgv(c, int(argv.size()), argv.data(), lens.data()) != REDIS_OK)
            return false;
        for (size_t i = start; i < end; ++i) {
            void *r = nullptr;
            if (redisGetReply(c, &r) != REDIS_OK)
                return false;
            freeReplyObject(r);
        }
    }
    return true;
}

int runChannels(int port, int channels, int rounds, QJsonObject &out)
{
    std::vector<std::string> all;
    std::vector<std::string> tenth;
    for (int i = 0; i < channels; ++i) {
        all.push_back("room:" + std::to_string(i));
        if (i % 10 == 0)
            tenth.push_back(all.back());
    }
    RedisContextPtr first = connectRedis(port);
    RedisContextPtr second = connectRedis(port);
    if (!first || !second)
        return 1;
    QElapsedTimer setup;
    setup.start();
    if (!subscribeAll(first.get(), all) || !subscribeAll(second.get(), tenth)) {
        note(u"subscribing the helper connections failed"_s);
        return 1;
    }
    note(u"%1 channels subscribed in %2 ms"_s.arg(channels).arg(setup.elapsed()));

    Console console;
    console.open();
    console.showDock(u"channelsDock"_s);
    ChannelsController *controller = console.window->channelsController();
    controller->setRefreshInterval(0ms); // rounds are started here, not by the poll timer
    ChannelListModel *list = controller->listModel();
    auto *table = console.window->findChild<QTableView *>(u"channelTable"_s);
    auto *view = console.window->findChild<ChannelsView *>();
    if (!table || !view) {
        note(u"the Channels view is missing"_s);
        return 1;
    }
    const qint64 expectedTotal = qint64(all.size() + tenth.size());
    // Every channel listed (model and the view's table), the total and a spread of counts right. The
    // console's own relay directory may add its heartbeat channel (one subscriber).
    const QByteArray heartbeat = RelayStatsPublisher::channel();
    auto complete = [&] {
        const int extra = list->rowOf(heartbeat) >= 0 ? 1 : 0;
        if (list->rowCount() != channels + extra || table->model()->rowCount() != channels + extra ||
            list->totalSubscribers() - (extra ? list->subscribersFor(heartbeat) : 0) != expectedTotal)
            return false;
        for (int k = 0; k < 20; ++k) {
            const int i = int((qint64(channels) * k) / 20) + (k % 3);
            const qint64 want = i % 10 == 0 ? 2 : 1;
            if (i < channels && controller->subscribersFor(QByteArray::fromStdString(all[size_t(i)])) != want)
                return false;
        }
        return true;
    };

    LagProbe lag;
    lag.start();
    // A round ends at the snapshot that completes the model (snapshotReady comes after every model
    // has applied it).
    auto timeRound = [&](const std::function<void()> &startRound, size_t &lagFrom) -> qint64 {
        QEventLoop loop;
        QElapsedTimer clock;
        qint64 elapsed = -1;
        const auto c = QObject::connect(controller, &ChannelsController::snapshotReady, &loop, [&] {
            if (complete()) {
                elapsed = clock.elapsed();
                loop.quit();
            }
        });
        const auto f =
            QObject::connect(controller, &ChannelsController::refreshFailed, &loop, [&](const QString &e) {
                note(u"refresh failed: "_s + e);
                loop.quit();
            });
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        lagFrom = lag.mark();
        clock.start();
        startRound();
        if (elapsed < 0)
            loop.exec();
        QObject::disconnect(c);
        QObject::disconnect(f);
        return elapsed;
    };

    QJsonObject result{{u"scenario"_s, u"channels"_s}, {u"channels"_s, channels}};
    size_t from = 0;
    // First listing: from the connection request until every channel is shown.
    const qint64 firstMs = timeRound([&] { console.connectTo(port); }, from);
    std::vector<double> refreshLags = lag.since(from);
    if (firstMs < 0) {
        note(u"the first listing never completed"_s);
        return 1;
    }
    note(u"first listing (connect included): %1 ms"_s.arg(firstMs));
    RedisConnection *connection = controller->connection();

    auto runRounds = [&](bool cold, QJsonArray &times, std::vector<double> &lagsOut) -> bool {
        for (int r = 0; r < rounds; ++r) {
            if (cold) {
                controller->detach(); // the models empty
                if (list->rowCount() != 0 || table->model()->rowCount() != 0)
                    return false;
                waitFor([] { return false; }, 50); // let the view settle on the empty model
            }
            const qint64 ms = timeRound(
                [&] {
                    if (cold)
                        controller->attach(connection); // refreshes at once
                    else
                        controller->refresh();
                },
                from);
            const std::vector<double> lags = lag.since(from);
            lagsOut.insert(lagsOut.end(), lags.begin(), lags.end());
            if (ms < 0)
                return false;
            note(u"%1 round %2: %3 ms"_s.arg(cold ? u"cold"_s : u"warm"_s).arg(r + 1).arg(ms));
            times.append(ms);
        }
        return true;
    };
    QJsonArray cold;
    QJsonArray warm;
    std::vector<double> coldLags;
    std::vector<double> warmLags;
    if (!runRounds(true, cold, coldLags) || !runRounds(false, warm, warmLags)) {
        note(u"a round did not complete"_s);
        return 1;
    }
    lag.stop();
    auto summary = [](const QJsonArray &times) {
        std::vector<double> v;
        for (const auto &t : times)
            v.push_back(t.toDouble());
        std::sort(v.begin(), v.end());
        return QJsonObject{{u"rounds_ms"_s, times},
                           {u"median_ms"_s, v.empty() ? 0.0 : v[v.size() / 2]},
                           {u"max_ms"_s, v.empty() ? 0.0 : v.back()}};
    };
    result[u"first_listing_ms"_s] = firstMs;
    result[u"first_listing_lag"_s] = LagProbe::stats(refreshLags);
    result[u"cold"_s] = summary(cold);
    result[u"cold_lag"_s] = LagProbe::stats(coldLags);
    result[u"warm"_s] = summary(warm);
    result[u"warm_lag"_s] = LagProbe::stats(warmLags);
    result[u"tree_shown"_s] = view->isTreeShown();
    result[u"rss_end_kib"_s] = rssKib();
    out = result;
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"switchboard-consolebench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Switchboard console benchmark (tap under load, channel introspection)."_s);
    parser.addHelpOption();
    const QCommandLineOption mode(u"mode"_s, u"tap or channels."_s, u"mode"_s);
    const QCommandLineOption redisPort(u"redis-port"_s, u"Redis on 127.0.0.1:<port>."_s, u"port"_s);
    const QCommandLineOption rate(u"rate"_s, u"tap: messages/s published."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption seconds(u"seconds"_s, u"tap: seconds of publishing."_s, u"n"_s, u"60"_s);
    const QCommandLineOption size(u"size"_s, u"tap: payload bytes."_s, u"n"_s, u"100"_s);
    const QCommandLineOption channels(u"channels"_s, u"channels: how many channels."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption rounds(u"rounds"_s, u"channels: timed rounds of each kind."_s, u"n"_s, u"3"_s);
    const QCommandLineOption quick(u"quick"_s, u"Shorter: tap 10 s, 10,000 channels."_s);
    parser.addOptions({mode, redisPort, rate, seconds, size, channels, rounds, quick});
    parser.process(app);

    bool ok = false;
    const int port = parser.value(redisPort).toInt(&ok);
    if (!ok || port <= 0 || port > 65535) {
        note(u"--redis-port is required"_s);
        return 2;
    }
    const bool isQuick = parser.isSet(quick);
    QJsonObject out;
    int result = 2;
    if (parser.value(mode) == u"tap") {
        const int s = isQuick && !parser.isSet(seconds) ? 10 : parser.value(seconds).toInt();
        result = runTap(port, std::max(1, parser.value(rate).toInt()), std::max(1, s),
                        std::max(16, parser.value(size).toInt()), out);
    } else if (parser.value(mode) == u"channels") {
        const int n = isQuick && !parser.isSet(channels) ? 10000 : parser.value(channels).toInt();
        result = runChannels(port, std::max(10, n), std::max(1, parser.value(rounds).toInt()), out);
    } else {
        note(u"--mode must be tap or channels"_s);
    }
    if (result == 0) {
        out[u"qt_qpa_platform"_s] = qEnvironmentVariable("QT_QPA_PLATFORM");
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    }
    return result;
}

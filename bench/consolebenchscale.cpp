// SPDX-License-Identifier: MIT
// The channels-scale scenario (consolebench.cpp has the overview): --channels channels (1,000,000 and
// more) subscribed by --helpers blocking hiredis connections, listed by the real console; first
// refresh, warm refreshes (unchanged, then churned: channels added and removed, counts changed) and
// typing a filter, each with the GUI thread's event-loop lag and the RSS. Uses only the console's
// public API as it was before issue 14 item 6, so that the same file builds against the old code.
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channelsview.h"
#include "channeltreemodel.h"
#include "consolebench.h"
#include "relaystatspublisher.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QTableView>

#include <algorithm>
#include <random>
#include <string>

namespace consolebench {
namespace {

std::string roomName(int i)
{
    return "room:" + std::to_string(i);
}

// What Redis holds, as the helpers made it: the expected rows.
struct Expected
{
    int channels = 0;
    qint64 total = 0;
    std::vector<std::pair<std::string, qint64>> samples; // name, count (0: gone)
};

} // namespace

int runChannelsScale(int port, const QList<int> &clusterPorts, int channels, int helpers, int rounds,
                     int churn, QJsonObject &out)
{
    QElapsedTimer setup;
    setup.start();
    // On a Cluster each subscribing connection goes to another node: classic subscribers of one
    // channel on several nodes, which the console sums.
    const QList<int> ports = clusterPorts.isEmpty() ? QList<int>{port} : clusterPorts;
    std::vector<RedisContextPtr> helperConnections;
    for (int h = 0; h < helpers + 2; ++h) {
        helperConnections.push_back(connectRedis(ports[h % ports.size()]));
        if (!helperConnections.back())
            return 1;
    }
    redisContext *tenth = helperConnections[size_t(helpers)].get();
    redisContext *churner = helperConnections[size_t(helpers + 1)].get();
    std::vector<char> removed(size_t(channels), 0);
    std::vector<char> bumped(size_t(channels), 0);
    {
        std::vector<std::vector<std::string>> shares{size_t(helpers)};
        std::vector<std::string> tenths;
        for (int i = 0; i < channels; ++i) {
            shares[size_t(i % helpers)].push_back(roomName(i));
            if (i % 10 == 0)
                tenths.push_back(roomName(i));
        }
        for (int h = 0; h < helpers; ++h) {
            if (!sendBatched(helperConnections[size_t(h)].get(), "SUBSCRIBE", shares[size_t(h)], 20000))
                return 1;
        }
        if (!sendBatched(tenth, "SUBSCRIBE", tenths, 20000))
            return 1;
    }
    note(u"%1 channels subscribed by %2 connections in %3 ms"_s.arg(channels)
             .arg(helpers + 1)
             .arg(setup.elapsed()));

    Expected expected;
    expected.channels = channels;
    expected.total = channels + (channels + 9) / 10;
    std::vector<std::string> added;
    auto resample = [&] {
        expected.samples.clear();
        for (int k = 0; k < 20; ++k) {
            const int i = int((qint64(channels) * k) / 20) + (k % 3);
            if (i < channels)
                expected.samples.emplace_back(
                    roomName(i), removed[size_t(i)] ? 0 : (i % 10 == 0 ? 2 : 1) + bumped[size_t(i)]);
        }
    };
    resample();

    const qint64 rssBefore = rssKib();
    RssSampler rss;
    rss.start();
    Console console;
    console.open();
    console.showDock(u"channelsDock"_s);
    ChannelsController *controller = console.window->channelsController();
    controller->setRefreshInterval(0ms); // rounds are started here, not by the poll timer
    ChannelListModel *list = controller->listModel();
    auto *table = console.window->findChild<QTableView *>(u"channelTable"_s);
    auto *view = console.window->findChild<ChannelsView *>();
    auto *filter = console.window->findChild<QLineEdit *>(u"channelFilter"_s);
    if (!table || !view || !filter) {
        note(u"the Channels view is missing"_s);
        return 1;
    }
    const QByteArray heartbeat = RelayStatsPublisher::channel();
    auto complete = [&] {
        const int extra = list->rowOf(heartbeat) >= 0 ? 1 : 0;
        if (list->rowCount() != expected.channels + extra ||
            table->model()->rowCount() != expected.channels + extra ||
            controller->treeModel()->channelCount() != expected.channels + extra ||
            list->totalSubscribers() - (extra ? list->subscribersFor(heartbeat) : 0) != expected.total)
            return false;
        for (const auto &[name, count] : expected.samples) {
            if (controller->subscribersFor(QByteArray::fromStdString(name)) != count)
                return false;
        }
        return true;
    };

    LagProbe lag;
    lag.start();
    // A round ends at the first snapshotReady after which the rows are right; lag is sampled until
    // 300 ms after that, so that work left for later turns counts.
    auto timeRound = [&](const std::function<void()> &startRound) -> QJsonObject {
        QEventLoop loop;
        QElapsedTimer clock;
        qint64 elapsed = -1;
        const auto c = QObject::connect(controller, &ChannelsController::snapshotReady, &loop, [&] {
            if (elapsed < 0 && complete()) {
                elapsed = clock.elapsed();
                loop.quit();
            }
        });
        QTimer::singleShot(300000, &loop, &QEventLoop::quit);
        const size_t from = lag.mark();
        clock.start();
        startRound();
        if (elapsed < 0)
            loop.exec();
        QObject::disconnect(c);
        waitFor([] { return false; }, 300);
        QJsonObject r = LagProbe::stats(lag.since(from));
        r[u"rows_ms"_s] = elapsed;
        r[u"rss_kib"_s] = rssKib();
        return r;
    };

    QJsonObject result{{u"scenario"_s, u"channels_scale"_s},
                       {u"channels"_s, channels},
                       {u"churn"_s, churn},
                       {u"cluster_nodes"_s, int(clusterPorts.size())}};
    QStringList seeds;
    for (int p : clusterPorts)
        seeds.append(u"127.0.0.1:%1"_s.arg(p));
    const QJsonObject first = timeRound([&] {
        if (seeds.isEmpty())
            console.connectTo(port);
        else
            console.connectToUrl(u"redis-cluster://"_s + seeds.join(u','));
    });
    note(u"first: %1"_s.arg(QString::fromUtf8(QJsonDocument(first).toJson(QJsonDocument::Compact))));
    if (first[u"rows_ms"_s].toInteger() < 0)
        return 1;
    result[u"first"_s] = first;
    result[u"rss_per_channel_bytes"_s] =
        double(first[u"rss_kib"_s].toInteger() - rssBefore) * 1024 / channels;

    QJsonArray warm;
    for (int r = 0; r < rounds; ++r) {
        const QJsonObject w = timeRound([&] { controller->refresh(); });
        note(u"warm %1: %2"_s.arg(r + 1).arg(
            QString::fromUtf8(QJsonDocument(w).toJson(QJsonDocument::Compact))));
        if (w[u"rows_ms"_s].toInteger() < 0)
            return 1;
        warm.append(w);
    }
    result[u"warm"_s] = warm;

    std::mt19937 random(14);
    QJsonArray churned;
    for (int r = 0; r < rounds; ++r) {
        // churn channels go, churn new ones come (spread over the name order), churn counts go up.
        std::vector<std::vector<std::string>> gone{size_t(helpers)};
        std::vector<std::string> tenthGone;
        std::vector<std::string> fresh;
        std::vector<std::string> bump;
        for (int k = 0; k < churn; ++k) {
            int i = int(random() % unsigned(channels));
            while (removed[size_t(i)] || bumped[size_t(i)])
                i = (i + 1) % channels;
            removed[size_t(i)] = 1;
            gone[size_t(i % helpers)].push_back(roomName(i));
            expected.total -= i % 10 == 0 ? 2 : 1;
            if (i % 10 == 0)
                tenthGone.push_back(roomName(i));
            fresh.push_back(roomName(int(random() % unsigned(channels))) + "_" + std::to_string(r));
            int j = int(random() % unsigned(channels));
            while (removed[size_t(j)] || bumped[size_t(j)])
                j = (j + 1) % channels;
            bumped[size_t(j)] = 1;
            bump.push_back(roomName(j));
        }
        std::sort(fresh.begin(), fresh.end());
        fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
        for (int h = 0; h < helpers; ++h) {
            if (!sendBatched(helperConnections[size_t(h)].get(), "UNSUBSCRIBE", gone[size_t(h)], 20000))
                return 1;
        }
        if (!sendBatched(tenth, "UNSUBSCRIBE", tenthGone, 20000) ||
            !sendBatched(churner, "SUBSCRIBE", fresh, 20000) ||
            !sendBatched(churner, "SUBSCRIBE", bump, 20000))
            return 1;
        expected.channels += int(fresh.size()) - churn;
        expected.total += qint64(fresh.size()) + churn;
        resample();
        for (size_t k = 0; k < fresh.size(); k += fresh.size() / 5 + 1)
            expected.samples.emplace_back(fresh[k], 1);
        for (size_t k = 0; k < bump.size(); k += bump.size() / 5 + 1) {
            const int i = std::stoi(bump[k].substr(5));
            expected.samples.emplace_back(bump[k], (i % 10 == 0 ? 2 : 1) + 1);
        }
        added.insert(added.end(), fresh.begin(), fresh.end());
        const QJsonObject c = timeRound([&] { controller->refresh(); });
        note(u"churned %1: %2"_s.arg(r + 1).arg(
            QString::fromUtf8(QJsonDocument(c).toJson(QJsonDocument::Compact))));
        if (c[u"rows_ms"_s].toInteger() < 0)
            return 1;
        churned.append(c);
    }
    result[u"churned"_s] = churned;

    // Typing a filter: how long setting the text blocks the GUI thread (both proxies filter at once).
    QJsonObject filtering;
    for (const QString &text : {u"room:12345"_s, u"room:5*"_s, QString()}) {
        QElapsedTimer clock;
        clock.start();
        filter->setText(text);
        const qint64 blocked = clock.elapsed();
        const size_t from = lag.mark();
        waitFor([] { return false; }, 300);
        QJsonObject f = LagProbe::stats(lag.since(from));
        f[u"set_text_ms"_s] = blocked;
        f[u"shown"_s] = table->model()->rowCount();
        filtering[text.isEmpty() ? u"(cleared)"_s : text] = f;
        note(u"filter '%1': %2 ms"_s.arg(text).arg(blocked));
    }
    result[u"filter"_s] = filtering;
    lag.stop();
    rss.stop();
    const std::vector<qint64> series = rss.series();
    result[u"rss_before_kib"_s] = rssBefore;
    result[u"rss_peak_kib"_s] = series.empty() ? 0 : *std::max_element(series.begin(), series.end());
    result[u"rss_end_kib"_s] = rssKib();
    result[u"tree_shown"_s] = view->isTreeShown();
    out = result;
    return 0;
}

} // namespace consolebench

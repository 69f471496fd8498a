// SPDX-License-Identifier: MIT
// The channels scenario (consolebench.cpp has the overview).
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channelsview.h"
#include "consolebench.h"
#include "relaystatspublisher.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QTableView>

#include <algorithm>
#include <string>

namespace consolebench {
namespace {

} // namespace

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
    if (!sendBatched(first.get(), "SUBSCRIBE", all, 5000) ||
        !sendBatched(second.get(), "SUBSCRIBE", tenth, 5000)) {
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

} // namespace consolebench

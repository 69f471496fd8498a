// SPDX-License-Identifier: MIT
// The console benchmark: builds the real console (MainWindow with every dock) on a given Redis and
// measures, on the GUI thread, what an operator feels.
//   --mode tap:      a publisher thread (its own blocking hiredis connection, pipelined PUBLISH) sends
//                    --rate messages/s for --seconds over 100 channels while the console taps '*';
//                    reports event-loop lag (p50/p99/max), the RSS series, and what the tap received.
//   --mode channels: --channels channels exist with 1 or 2 subscribers each (two hiredis connections
//                    held open); times the Channels view's introspection until its model lists them all
//                    with the right counts, in rounds.
//   --mode channels-scale: --channels channels over --helpers connections; first refresh, --rounds warm
//                    refreshes unchanged and --rounds with --churn channels added, removed and recounted,
//                    then typing a filter; lag, time to rows and RSS of each (consolebenchscale.cpp).
// Prints exactly one JSON line on stdout; diagnostics go to stderr. bench/run.py drives it.
#include "consolebench.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace consolebench;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"switchboard-consolebench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Switchboard console benchmark (tap under load, channel introspection)."_s);
    parser.addHelpOption();
    const QCommandLineOption mode(u"mode"_s, u"tap, channels or channels-scale."_s, u"mode"_s);
    const QCommandLineOption redisPort(u"redis-port"_s, u"Redis on 127.0.0.1:<port>."_s, u"port"_s);
    const QCommandLineOption rate(u"rate"_s, u"tap: messages/s published."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption seconds(u"seconds"_s, u"tap: seconds of publishing."_s, u"n"_s, u"60"_s);
    const QCommandLineOption size(u"size"_s, u"tap: payload bytes."_s, u"n"_s, u"100"_s);
    const QCommandLineOption channels(u"channels"_s, u"channels: how many channels."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption rounds(u"rounds"_s, u"channels: timed rounds of each kind."_s, u"n"_s, u"3"_s);
    const QCommandLineOption helpers(u"helpers"_s, u"channels-scale: subscribing connections."_s, u"n"_s,
                                     u"4"_s);
    const QCommandLineOption churn(u"churn"_s,
                                   u"channels-scale: channels added, removed, recounted per churned round."_s,
                                   u"n"_s, u"2000"_s);
    const QCommandLineOption cluster(
        u"cluster-ports"_s,
        u"channels-scale: a Redis Cluster's nodes on 127.0.0.1 (comma-separated ports)."_s, u"ports"_s);
    const QCommandLineOption quick(u"quick"_s, u"Shorter: tap 10 s, 10,000 channels."_s);
    parser.addOptions(
        {mode, redisPort, rate, seconds, size, channels, rounds, helpers, churn, cluster, quick});
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
    } else if (parser.value(mode) == u"channels-scale") {
        QList<int> clusterPorts;
        for (const QString &p : parser.value(cluster).split(u',', Qt::SkipEmptyParts))
            clusterPorts.append(p.toInt());
        result = runChannelsScale(port, clusterPorts, std::max(100, parser.value(channels).toInt()),
                                  std::max(1, parser.value(helpers).toInt()),
                                  std::max(1, parser.value(rounds).toInt()),
                                  std::max(1, parser.value(churn).toInt()), out);
    } else {
        note(u"--mode must be tap, channels or channels-scale"_s);
    }
    if (result == 0) {
        out[u"qt_qpa_platform"_s] = qEnvironmentVariable("QT_QPA_PLATFORM");
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    }
    return result;
}

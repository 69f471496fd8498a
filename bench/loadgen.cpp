// SPDX-License-Identifier: MIT
// switchboard-loadgen: a WebSocket load generator for relays speaking the seed's protocol.
// One thread, epoll, raw RFC 6455 client framing: thousands of connections spread over several
// relay URLs join rooms; some of them publish at a fixed total rate; every delivery's latency is
// measured from a timestamp in the message text, and each receiver checks, per publisher, that
// messages arrive once and in order. Every ping is answered with a pong, every close with a close.
// Prints one JSON object with the results.
//
//   switchboard-loadgen --url ws://127.0.0.1:3001 --url ws://127.0.0.1:3002 --clients 1000
//       --rooms 1 --publishers 10 --rate 1000 --duration 10 --size 100
//   --publisher-url 0: the publishers on the first URL, every other client on the others.
//   --idle --hold s: join, print a line, then one line per heartbeat round ({"round":k,...}: every
//       client has received k pings since all joined) until --hold runs out.
//   --floor (no --url): this machine's write floor; see loadgenfloor.cpp.
//   --source-addrs N: bind the clients round-robin to 127.0.0.1..127.0.0.N (automatic above 20,000
//       clients: one address's ephemeral ports reach one relay ~28,000 times, and connect() prefers
//       even ports, so past ~14,000 per destination every connect() searches); --source-offset K
//       starts at 127.0.0.<K+1> (several load generators, each its own addresses).

#include "loadgen.h"

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <functional>

namespace loadgen {

void die(const std::string &message)
{
    std::fprintf(stderr, "switchboard-loadgen: %s\n", message.c_str());
    std::exit(2);
}

namespace {

Endpoint parseUrl(const std::string &url)
{
    const std::string prefix = "ws://";
    if (url.rfind(prefix, 0) != 0)
        die("--url must be ws://host:port, got " + url);
    const std::string rest = url.substr(prefix.size());
    const size_t colon = rest.rfind(':');
    if (colon == std::string::npos)
        die("--url needs a port: " + url);
    Endpoint e;
    e.host = rest.substr(0, colon);
    const int port = std::atoi(rest.substr(colon + 1).c_str());
    if (port <= 0 || port > 65535)
        die("bad port in " + url);
    e.port = uint16_t(port);
    return e;
}

double number(const char *name, const char *value, double min, double max)
{
    char *end = nullptr;
    const double v = std::strtod(value, &end);
    if (end == value || *end || v < min || v > max)
        die(std::string(name) + ": '" + value + "' must be a number between " + std::to_string(min) +
            " and " + std::to_string(max));
    return v;
}

const char *const usage =
    "switchboard-loadgen --url ws://host:port [--url ...] [--clients N] [--rooms N] [--publishers N]\n"
    "  [--publisher-url K] [--rate msgs/s] [--duration s] [--drain s] [--size bytes]\n"
    "  [--idle --hold s] [--source-addrs N [--source-offset K]] [--join-timeout s]\n"
    "switchboard-loadgen --floor [--clients N] [--rate msgs/s] [--duration s] [--size bytes]";

bool parseOption(const std::string &a, const std::function<const char *()> &value, Options &o)
{
    if (a == "--url")
        o.urls.push_back(parseUrl(value()));
    else if (a == "--clients")
        o.clients = int(number("--clients", value(), 1, 1e6));
    else if (a == "--rooms")
        o.rooms = int(number("--rooms", value(), 1, 1e6));
    else if (a == "--publishers")
        o.publishers = int(number("--publishers", value(), 1, 1e6));
    else if (a == "--publisher-url")
        o.publisherUrl = int(number("--publisher-url", value(), 0, 1000));
    else if (a == "--rate")
        o.rate = number("--rate", value(), 0, 1e8);
    else if (a == "--duration")
        o.duration = number("--duration", value(), 0.1, 3600);
    else if (a == "--drain")
        o.drain = number("--drain", value(), 0, 600);
    else if (a == "--size")
        o.size = int(number("--size", value(), 16, 65536));
    else if (a == "--idle")
        o.idle = true;
    else if (a == "--hold")
        o.idleHold = number("--hold", value(), 0, 86400);
    else if (a == "--source-addrs")
        o.sourceAddrs = int(number("--source-addrs", value(), 0, 254));
    else if (a == "--source-offset")
        o.sourceOffset = int(number("--source-offset", value(), 0, 253));
    else if (a == "--join-timeout")
        o.joinTimeout = number("--join-timeout", value(), 1, 3600);
    else if (a == "--floor")
        o.floor = true;
    else
        return false;
    return true;
}

Options parseOptions(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc)
                die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::puts(usage);
            std::exit(0);
        }
        if (!parseOption(a, value, o))
            die("unknown option " + a);
    }
    if (o.floor) {
        if (!o.urls.empty() || o.idle)
            die("--floor takes no --url and no --idle");
        o.rooms = 1;
        o.publishers = 1;
    } else if (o.urls.empty()) {
        die("at least one --url is needed");
    }
    if (!o.floor && o.publishers > o.clients)
        die("--publishers cannot exceed --clients");
    if (o.publisherUrl >= int(o.urls.size()) && !o.floor)
        die("--publisher-url must name one of the --url (0-based)");
    if (o.sourceAddrs < 0)
        o.sourceAddrs = o.clients > 20000 ? std::min(254, o.clients / 10000 + 1) : 0;
    if (o.sourceOffset + o.sourceAddrs > 254)
        die("--source-offset + --source-addrs must stay within 127.0.0.1..127.0.0.254");
    if (o.joinTimeout <= 0)
        o.joinTimeout = std::max(60.0, o.clients / 1000.0);
    return o;
}

// As many descriptors as the hard limit allows, raising the hard limit too when permitted (root).
void raiseFileLimit(int clients)
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    const rlim_t wanted = rlim_t(2 * clients + 1024);
    if (limit.rlim_max < wanted) {
        rlimit raised{wanted, wanted};
        if (setrlimit(RLIMIT_NOFILE, &raised) == 0)
            return;
    }
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace

LoadGen::LoadGen(Options o)
    : m_o(std::move(o))
{
    m_epoll = epoll_create1(0);
    if (m_epoll < 0)
        die("epoll_create1 failed");
}

// From now on, heartbeat rounds count from zero: round k is complete when every client has
// received k pings since all had joined.
void LoadGen::startRounds()
{
    for (const auto &c : m_conns)
        c->pingBase = c->pings;
    m_round.clear();
    m_countRounds = true;
}

void LoadGen::holdIdle()
{
    startRounds();
    loop(nowNs() + int64_t(m_o.idleHold * 1e9), &LoadGen::never);
    std::printf("{\"end\":true,\"pings\":%llu,\"closed\":%llu}\n", (unsigned long long)m_stats.pings,
                (unsigned long long)m_stats.closedEarly);
    std::fflush(stdout);
}

int LoadGen::run()
{
    m_padding.assign(size_t(std::max(0, m_o.size)), 'x');
    const int64_t t0 = nowNs();
    if (m_o.floor)
        startFloor();
    connectAll();
    loop(nowNs() + int64_t(m_o.joinTimeout * 1e9), &LoadGen::allReady);
    if (!allReady())
        die("only " + std::to_string(m_ready) + " of " + std::to_string(m_o.clients) +
            " clients joined within " + std::to_string(int(m_o.joinTimeout)) +
            " s (closed: " + std::to_string(m_stats.closedEarly) + ", first: " + m_stats.firstClose + ")");
    const double connectSeconds = double(nowNs() - t0) / 1e9;
    if (m_o.idle) {
        std::printf("{\"clients\":%d,\"ready\":%d,\"connect_s\":%.3f,\"source_addrs\":%d,\"pings\":%llu}\n",
                    m_o.clients, m_ready, connectSeconds, m_o.sourceAddrs, (unsigned long long)m_stats.pings);
        std::fflush(stdout);
        holdIdle();
        return 0;
    }
    if (m_o.floor) {
        awaitFloor();
    } else {
        m_publishStart = nowNs();
        loop(m_publishStart + int64_t(m_o.duration * 1e9), &LoadGen::never);
        m_publishStart = 0;
    }
    const int64_t publishEnd = nowNs();
    auto drained = [this] {
        return m_stats.received >= m_stats.expected;
    };
    const int64_t drainUntil = publishEnd + int64_t(m_o.drain * 1e9);
    while (nowNs() < drainUntil && !drained())
        loop(std::min(drainUntil, nowNs() + 10'000'000), &LoadGen::never);
    printResults(connectSeconds, double(publishEnd - t0) / 1e9 - connectSeconds);
    if (m_floorPid > 0) {
        for (const auto &c : m_conns)
            close(c->fd);
        waitpid(m_floorPid, nullptr, 0);
    }
    const uint64_t lost = m_stats.expected > m_stats.received ? m_stats.expected - m_stats.received : 0;
    return lost == 0 && m_stats.duplicates == 0 && m_stats.reordered == 0 ? 0 : 1;
}

void LoadGen::printResults(double connectSeconds, double seconds) const
{
    const Stats &s = m_stats;
    auto ull = [](uint64_t v) {
        return (unsigned long long)v;
    };
    const uint64_t lost = s.expected > s.received ? s.expected - s.received : 0;
    const uint64_t crossLost = s.crossExpected > s.crossReceived ? s.crossExpected - s.crossReceived : 0;
    std::printf("{\"clients\":%d,\"rooms\":%d,\"publishers\":%d,\"rate\":%.0f,\"published\":%llu,"
                "\"expected\":%llu,\"received\":%llu,\"lost\":%llu,\"duplicates\":%llu,\"reordered\":%llu,"
                "\"gaps\":%llu,\"closed\":%llu,\"deliveries_per_s\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,"
                "\"p99_ms\":%.2f,\"p999_ms\":%.2f,\"max_ms\":%.2f,",
                m_o.clients, m_o.rooms, m_o.publishers, m_o.rate, ull(s.published), ull(s.expected),
                ull(s.received), ull(lost), ull(s.duplicates), ull(s.reordered), ull(s.gaps),
                ull(s.closedEarly), double(s.received) / seconds, s.latency.percentileMs(50),
                s.latency.percentileMs(90), s.latency.percentileMs(99), s.latency.percentileMs(99.9),
                s.latency.maxMs());
    std::printf(
        "\"cross_expected\":%llu,\"cross_received\":%llu,\"cross_lost\":%llu,\"cross_p50_ms\":%.2f,"
        "\"cross_p99_ms\":%.2f,\"cross_max_ms\":%.2f,\"kernel_p50_ms\":%.2f,\"kernel_p99_ms\":%.2f,"
        "\"cross_kernel_p50_ms\":%.2f,\"cross_kernel_p99_ms\":%.2f,\"pings\":%llu,\"connect_s\":%.3f}\n",
        ull(s.crossExpected), ull(s.crossReceived), ull(crossLost), s.crossLatency.percentileMs(50),
        s.crossLatency.percentileMs(99), s.crossLatency.maxMs(), s.kernelLatency.percentileMs(50),
        s.kernelLatency.percentileMs(99), s.crossKernelLatency.percentileMs(50),
        s.crossKernelLatency.percentileMs(99), ull(s.pings), connectSeconds);
    std::fflush(stdout);
}

} // namespace loadgen

int main(int argc, char **argv)
{
    const loadgen::Options o = loadgen::parseOptions(argc, argv);
    loadgen::raiseFileLimit(o.clients);
    return loadgen::LoadGen(o).run();
}

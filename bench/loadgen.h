// SPDX-License-Identifier: MIT
// switchboard-loadgen's pieces: options, connections, statistics and the LoadGen event loop
// (loadgen.cpp: options and results; loadgenio.cpp: client side; loadgenfloor.cpp: --floor).
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace loadgen {

using Clock = std::chrono::steady_clock;

inline int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

[[noreturn]] void die(const std::string &message);

struct Endpoint
{
    std::string host;
    uint16_t port = 0;
};

// Latencies in 10 us buckets up to 10 s; percentiles read from the counts.
class Histogram
{
public:
    void add(int64_t ns)
    {
        const int64_t bucket = std::clamp<int64_t>(ns / 10'000, 0, int64_t(m_counts.size()) - 1);
        ++m_counts[size_t(bucket)];
        ++m_total;
        m_max = std::max(m_max, ns);
    }
    double percentileMs(double p) const
    {
        if (m_total == 0)
            return 0;
        const uint64_t rank = uint64_t(std::ceil(p / 100.0 * double(m_total)));
        uint64_t seen = 0;
        for (size_t i = 0; i < m_counts.size(); ++i) {
            seen += m_counts[i];
            if (seen >= rank)
                return double(i + 1) * 0.01;
        }
        return double(m_max) / 1e6;
    }
    double maxMs() const { return double(m_max) / 1e6; }
    uint64_t total() const { return m_total; }

private:
    std::vector<uint64_t> m_counts = std::vector<uint64_t>(1'000'000, 0);
    uint64_t m_total = 0;
    int64_t m_max = 0;
};

struct Options
{
    std::vector<Endpoint> urls;
    int clients = 100;
    int rooms = 1;
    int publishers = 1;
    double rate = 100;   // messages per second, all publishers together
    double duration = 5; // seconds of publishing
    double drain = 3;    // seconds to wait for the last deliveries
    int size = 100;      // bytes of message text
    bool idle = false;   // connect and join, publish nothing, report the connection count
    double idleHold = 3; // seconds to hold idle connections (for RSS measurements)
    // The publishers (the first --publishers clients) all connect to urls[publisherUrl]; the other
    // clients round-robin over the other URLs. -1: every client round-robin over all URLs.
    int publisherUrl = -1;
    // Client sockets bind round-robin (per URL) to 127.0.0.1 .. 127.0.0.<sourceAddrs>, so more than
    // one source address's ~28k ephemeral ports reach one relay. 0: none (automatic above 20,000).
    int sourceAddrs = -1;
    int sourceOffset = 0;   // the addresses start at 127.0.0.<1 + sourceOffset> (several load generators)
    double joinTimeout = 0; // seconds for every client to join; 0: max(60, clients / 1000)
    // No relay: a child process of the tool accepts the clients (127.0.0.1:0, minimal HTTP 101) and
    // writes each message as one unmasked text frame to every accepted socket, timestamped just before
    // the first write; the clients measure it with the same code as a relay's deliveries (the write
    // floor). A separate process, as a relay is: the writes and the reads overlap as they would.
    bool floor = false;
};

struct Conn
{
    enum class Kind { Client, Listener, Peer } kind = Kind::Client;
    int fd = -1;
    int index = 0;
    int room = 0;
    int url = 0; // index in Options::urls
    enum class State { Connecting, Handshake, Joining, Ready, Closed } state = State::Connecting;
    std::string out;
    size_t outPos = 0;
    std::string in;
    bool wantWrite = false;
    std::vector<int64_t> lastSeq; // per publisher, for order and duplicates
    uint64_t received = 0;
    int64_t kernelRxNs = 0; // when the kernel queued the last bytes read (SO_TIMESTAMPNS), or 0
    uint32_t pings = 0;     // WebSocket pings received (each answered with a pong)
    uint32_t pingBase = 0;  // pings received before every client had joined
};

struct Stats
{
    uint64_t published = 0;
    uint64_t expected = 0;
    uint64_t received = 0;
    uint64_t crossExpected = 0;
    uint64_t crossReceived = 0;
    uint64_t duplicates = 0;
    uint64_t reordered = 0;
    uint64_t gaps = 0;
    uint64_t closedEarly = 0;
    uint64_t pings = 0;
    std::string firstClose; // the first close frame's status code and reason, or "eof"
    Histogram latency;      // until the load generator reads the delivery
    Histogram crossLatency; // receiver on another relay than the publisher (--floor: every receiver)
    // Until the delivery reached the receiver's socket (kernel timestamp): without the time this
    // single-threaded tool takes to get round to reading it.
    Histogram kernelLatency;
    Histogram crossKernelLatency;
};

class LoadGen
{
public:
    explicit LoadGen(Options o);

    int run();

private:
    int urlFor(int client) const;
    void bindSource(int fd, int url);
    void connectAll();
    void onEvent(Conn &c, uint32_t events);
    void onReadable(Conn &c);
    void flush(Conn &c);
    void send(Conn &c, std::string_view payload, uint8_t opcode = 0x1, bool masked = true);
    void readFrames(Conn &c);
    void onControl(Conn &c, uint8_t opcode, std::string_view payload);
    void onText(Conn &c, std::string_view text);
    void updateInterest(Conn &c);
    void publishDue(int64_t now);
    std::string messageJson(int room, int publisher, int64_t seq) const;
    void loop(int64_t untilNs, bool (LoadGen::*done)() const);
    bool allReady() const { return m_ready == m_o.clients; }
    bool windowOpen() const { return m_pending < kHandshakeWindow; }
    void setState(Conn &c, Conn::State state);
    bool never() const { return false; }
    void startRounds();
    void holdIdle();
    void printResults(double connectSeconds, double seconds) const;

    // --floor (loadgenfloor.cpp)
    void startFloor();
    [[noreturn]] void serveFloor(int listenFd, int reportFd);
    void awaitFloor();
    void acceptPeers();
    void onPeerReadable(Conn &c);
    void publishFloor();
    bool peersReady() const { return m_peersReady == m_o.clients; }
    bool peersClosed() const { return m_peersClosed == m_o.clients; }

    Options m_o;
    int m_epoll = -1;
    std::vector<std::unique_ptr<Conn>> m_conns; // the clients, by index
    std::vector<std::unique_ptr<Conn>> m_peers; // --floor: the accepted side
    std::unique_ptr<Conn> m_listener;
    int m_peersReady = 0;
    int m_peersClosed = 0;
    int m_floorReport = -1; // --floor: the pipe on which the server process reports what it published
    int m_floorPid = -1;
    std::vector<std::vector<int>> m_roomMembers; // [room][url]: joined clients
    std::vector<int> m_perUrl;                   // clients assigned so far, per URL
    int m_ready = 0;
    // Clients connecting or waiting for their 101: at most kHandshakeWindow at a time, so that a
    // busy server's accept queue (Qt's default backlog is 50) never overflows into SYN cookies and
    // resets while tens of thousands connect.
    static constexpr int kHandshakeWindow = 40;
    int m_pending = 0;
    Stats m_stats;
    int64_t m_publishStart = 0;
    uint64_t m_nextPublish = 0;
    std::string m_padding;
    uint32_t m_maskSeed = 0x9e3779b9u;
    bool m_countRounds = false;
    std::vector<int> m_round; // [k]: clients that received k + 1 pings since all joined
};

} // namespace loadgen

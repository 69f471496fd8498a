// SPDX-License-Identifier: MIT
// switchboard-loadgen: a WebSocket load generator for relays speaking the seed's protocol.
// One thread, epoll, raw RFC 6455 client framing: thousands of connections spread over several
// relay URLs join rooms; some of them publish at a fixed total rate; every delivery's latency is
// measured from a timestamp in the message text, and each receiver checks, per publisher, that
// messages arrive once and in order. Prints one JSON object with the results.
//
//   switchboard-loadgen --url ws://127.0.0.1:3001 --url ws://127.0.0.1:3002 --clients 1000
//       --rooms 1 --publishers 10 --rate 1000 --duration 10 --size 100

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int64_t nowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

// A kernel receive timestamp (CLOCK_REALTIME) on nowNs()'s clock.
int64_t steadyFromRealtime(const timespec &kernel)
{
    timespec real{};
    clock_gettime(CLOCK_REALTIME, &real);
    const int64_t steady = nowNs();
    const int64_t realNs = int64_t(real.tv_sec) * 1'000'000'000 + real.tv_nsec;
    const int64_t kernelNs = int64_t(kernel.tv_sec) * 1'000'000'000 + kernel.tv_nsec;
    return steady - (realNs - kernelNs);
}

[[noreturn]] void die(const std::string &message)
{
    std::fprintf(stderr, "switchboard-loadgen: %s\n", message.c_str());
    std::exit(2);
}

struct Endpoint
{
    std::string host;
    uint16_t port = 0;
};

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
};

struct Conn
{
    int fd = -1;
    int index = 0;
    int room = 0;
    enum class State { Connecting, Handshake, Joining, Ready, Closed } state = State::Connecting;
    std::string out;
    size_t outPos = 0;
    std::string in;
    bool wantWrite = false;
    std::vector<int64_t> lastSeq; // per publisher, for order and duplicates
    uint64_t received = 0;
    int64_t kernelRxNs = 0; // when the kernel queued the last bytes read (SO_TIMESTAMPNS), or 0
};

struct Stats
{
    uint64_t published = 0;
    uint64_t expected = 0;
    uint64_t received = 0;
    uint64_t duplicates = 0;
    uint64_t reordered = 0;
    uint64_t gaps = 0;
    uint64_t closedEarly = 0;
    Histogram latency;      // until the load generator reads the delivery
    Histogram crossLatency; // receiver on another relay than the publisher
    // Until the delivery reached the receiver's socket (kernel timestamp): without the time this
    // single-threaded tool takes to get round to reading it.
    Histogram kernelLatency;
    Histogram crossKernelLatency;
};

class LoadGen
{
public:
    explicit LoadGen(Options o)
        : m_o(std::move(o))
    {
        m_epoll = epoll_create1(0);
        if (m_epoll < 0)
            die("epoll_create1 failed");
    }

    int run();

private:
    void connectAll();
    void onEvent(Conn &c, uint32_t events);
    void flush(Conn &c);
    void send(Conn &c, std::string_view payload, uint8_t opcode = 0x1);
    void readFrames(Conn &c);
    void onText(Conn &c, std::string_view text);
    void updateInterest(Conn &c);
    void publishDue(int64_t now);
    void loop(int64_t untilNs, bool (LoadGen::*done)() const);
    bool allReady() const { return m_ready == m_o.clients; }
    bool never() const { return false; }

    Options m_o;
    int m_epoll = -1;
    std::vector<std::unique_ptr<Conn>> m_conns;
    std::vector<int> m_roomMembers;
    int m_ready = 0;
    Stats m_stats;
    int64_t m_publishStart = 0;
    uint64_t m_nextPublish = 0;
    std::string m_padding;
    uint32_t m_maskSeed = 0x9e3779b9u;
};

void LoadGen::connectAll()
{
    m_roomMembers.assign(size_t(m_o.rooms), 0);
    for (int i = 0; i < m_o.clients; ++i) {
        const Endpoint &e = m_o.urls[size_t(i) % m_o.urls.size()];
        auto c = std::make_unique<Conn>();
        c->index = i;
        c->room = i % m_o.rooms;
        c->lastSeq.assign(size_t(m_o.publishers), -1);
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c->fd < 0)
            die("socket() failed: " + std::string(std::strerror(errno)) + " (raise ulimit -n)");
        const int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(e.port);
        if (inet_pton(AF_INET, e.host == "localhost" ? "127.0.0.1" : e.host.c_str(), &addr.sin_addr) != 1)
            die("only IPv4 addresses are supported: " + e.host);
        if (connect(c->fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 && errno != EINPROGRESS)
            die("connect failed: " + std::string(std::strerror(errno)));
        c->out =
            "GET / HTTP/1.1\r\nHost: " + e.host + ":" + std::to_string(e.port) +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n";
        c->wantWrite = true;
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.ptr = c.get();
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, c->fd, &ev);
        m_conns.push_back(std::move(c));
        // Do not flood the accept queue: let handshakes progress every 200 connections.
        if (i % 200 == 199)
            loop(nowNs() + 20'000'000, &LoadGen::never);
    }
}

void LoadGen::updateInterest(Conn &c)
{
    const bool want = c.outPos < c.out.size();
    if (want == c.wantWrite)
        return;
    c.wantWrite = want;
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    ev.data.ptr = &c;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

void LoadGen::flush(Conn &c)
{
    while (c.outPos < c.out.size()) {
        const ssize_t n = ::send(c.fd, c.out.data() + c.outPos, c.out.size() - c.outPos, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            c.state = Conn::State::Closed;
            return;
        }
        c.outPos += size_t(n);
    }
    if (c.outPos == c.out.size()) {
        c.out.clear();
        c.outPos = 0;
    }
    updateInterest(c);
}

void LoadGen::send(Conn &c, std::string_view payload, uint8_t opcode)
{
    std::string &o = c.out;
    o.push_back(char(0x80 | opcode));
    const size_t n = payload.size();
    if (n < 126) {
        o.push_back(char(0x80 | n));
    } else if (n < 65536) {
        o.push_back(char(0x80 | 126));
        o.push_back(char(n >> 8));
        o.push_back(char(n & 0xff));
    } else {
        o.push_back(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            o.push_back(char((uint64_t(n) >> shift) & 0xff));
    }
    m_maskSeed = m_maskSeed * 1664525u + 1013904223u;
    const char mask[4] = {char(m_maskSeed), char(m_maskSeed >> 8), char(m_maskSeed >> 16),
                          char(m_maskSeed >> 24)};
    o.append(mask, 4);
    const size_t start = o.size();
    o.append(payload);
    for (size_t i = 0; i < n; ++i)
        o[start + i] = char(o[start + i] ^ mask[i & 3]);
    flush(c);
}

void LoadGen::onEvent(Conn &c, uint32_t events)
{
    if (c.state == Conn::State::Closed)
        return;
    if (events & EPOLLOUT) {
        if (c.state == Conn::State::Connecting)
            c.state = Conn::State::Handshake;
        flush(c);
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        char buf[65536];
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
        while (true) {
            iovec iov{buf, sizeof buf};
            msghdr message{};
            message.msg_iov = &iov;
            message.msg_iovlen = 1;
            message.msg_control = control;
            message.msg_controllen = sizeof control;
            const ssize_t n = ::recvmsg(c.fd, &message, 0);
            if (n > 0) {
                c.in.append(buf, size_t(n));
                for (cmsghdr *cm = CMSG_FIRSTHDR(&message); cm; cm = CMSG_NXTHDR(&message, cm)) {
                    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPNS) {
                        timespec ts{};
                        std::memcpy(&ts, CMSG_DATA(cm), sizeof ts);
                        c.kernelRxNs = steadyFromRealtime(ts);
                    }
                }
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                if (c.state != Conn::State::Closed) {
                    c.state = Conn::State::Closed;
                    ++m_stats.closedEarly;
                    epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
                }
            }
            break;
        }
        readFrames(c);
    }
}

void LoadGen::readFrames(Conn &c)
{
    size_t pos = 0;
    if (c.state == Conn::State::Handshake || c.state == Conn::State::Connecting) {
        const size_t end = c.in.find("\r\n\r\n");
        if (end == std::string::npos)
            return;
        if (c.in.rfind("HTTP/1.1 101", 0) != 0)
            die("handshake refused: " + c.in.substr(0, c.in.find("\r\n")));
        pos = end + 4;
        c.state = Conn::State::Joining;
        send(c, R"({"type":"join","roomId":"bench-)" + std::to_string(c.room) + "\"}");
    }
    while (c.in.size() - pos >= 2) {
        const auto *p = reinterpret_cast<const uint8_t *>(c.in.data() + pos);
        const uint8_t opcode = p[0] & 0x0f;
        uint64_t len = p[1] & 0x7f;
        size_t header = 2;
        if (len == 126) {
            if (c.in.size() - pos < 4)
                break;
            len = (uint64_t(p[2]) << 8) | p[3];
            header = 4;
        } else if (len == 127) {
            if (c.in.size() - pos < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = (len << 8) | p[2 + i];
            header = 10;
        }
        if (c.in.size() - pos < header + len)
            break;
        const std::string_view payload(c.in.data() + pos + header, size_t(len));
        pos += header + size_t(len);
        if (opcode == 0x1)
            onText(c, payload);
        else if (opcode == 0x9)
            send(c, payload, 0xA);
        else if (opcode == 0x8 && c.state != Conn::State::Closed) {
            c.state = Conn::State::Closed;
            ++m_stats.closedEarly;
        }
    }
    c.in.erase(0, pos);
}

void LoadGen::onText(Conn &c, std::string_view text)
{
    if (c.state == Conn::State::Joining) {
        if (text.find(R"("type":"joined")") != std::string_view::npos) {
            c.state = Conn::State::Ready;
            ++m_ready;
            ++m_roomMembers[size_t(c.room)];
        }
        return;
    }
    // "text":"<publisher>:<seq>:<sentNs>:<padding>"
    const size_t at = text.find(R"("text":")");
    if (at == std::string_view::npos)
        return;
    const char *s = text.data() + at + 8;
    char *end = nullptr;
    const long publisher = std::strtol(s, &end, 10);
    if (*end != ':')
        return;
    const long long seq = std::strtoll(end + 1, &end, 10);
    if (*end != ':')
        return;
    const long long sent = std::strtoll(end + 1, &end, 10);
    if (publisher < 0 || publisher >= long(c.lastSeq.size()))
        return;
    const int64_t latency = nowNs() - sent;
    // The last read's timestamp: for a frame that arrived in an earlier read of the same burst
    // this is late, never early.
    const int64_t kernelLatency =
        c.kernelRxNs > 0 ? std::min<int64_t>(latency, c.kernelRxNs - sent) : latency;
    const bool cross = size_t(publisher) % m_o.urls.size() != size_t(c.index) % m_o.urls.size();
    m_stats.latency.add(latency);
    m_stats.kernelLatency.add(kernelLatency);
    if (cross) {
        m_stats.crossLatency.add(latency);
        m_stats.crossKernelLatency.add(kernelLatency);
    }
    ++m_stats.received;
    ++c.received;
    int64_t &last = c.lastSeq[size_t(publisher)];
    if (seq == last)
        ++m_stats.duplicates;
    else if (seq < last)
        ++m_stats.reordered;
    else {
        if (seq > last + 1 && last >= 0)
            m_stats.gaps += uint64_t(seq - last - 1);
        last = seq;
    }
}

void LoadGen::publishDue(int64_t now)
{
    const double elapsed = double(now - m_publishStart) / 1e9;
    const uint64_t due = uint64_t(std::min(elapsed, m_o.duration) * m_o.rate);
    while (m_nextPublish < due) {
        const uint64_t k = m_nextPublish++;
        const int publisher = int(k % uint64_t(m_o.publishers));
        const int64_t seq = int64_t(k / uint64_t(m_o.publishers));
        Conn &c = *m_conns[size_t(publisher)];
        if (c.state != Conn::State::Ready)
            continue;
        std::string prefix =
            std::to_string(publisher) + ":" + std::to_string(seq) + ":" + std::to_string(nowNs()) + ":";
        const size_t pad = size_t(std::max<int>(0, m_o.size - int(prefix.size())));
        send(c, R"({"type":"message","roomId":"bench-)" + std::to_string(c.room) +
                    R"(","user":"p","text":")" + prefix + m_padding.substr(0, pad) + "\"}");
        ++m_stats.published;
        m_stats.expected += uint64_t(m_roomMembers[size_t(c.room)]);
    }
}

void LoadGen::loop(int64_t untilNs, bool (LoadGen::*done)() const)
{
    std::vector<epoll_event> events(4096);
    while (nowNs() < untilNs && !(this->*done)()) {
        const int n = epoll_wait(m_epoll, events.data(), int(events.size()), 1);
        for (int i = 0; i < n; ++i)
            onEvent(*static_cast<Conn *>(events[size_t(i)].data.ptr), events[size_t(i)].events);
        if (m_publishStart > 0)
            publishDue(nowNs());
    }
}

int LoadGen::run()
{
    m_padding.assign(size_t(std::max(0, m_o.size)), 'x');
    const int64_t t0 = nowNs();
    connectAll();
    loop(nowNs() + 60'000'000'000, &LoadGen::allReady);
    if (!allReady())
        die("only " + std::to_string(m_ready) + " of " + std::to_string(m_o.clients) +
            " clients joined within 60 s");
    const double connectSeconds = double(nowNs() - t0) / 1e9;
    if (m_o.idle) {
        std::printf("{\"clients\":%d,\"ready\":%d,\"connect_s\":%.3f}\n", m_o.clients, m_ready,
                    connectSeconds);
        std::fflush(stdout);
        loop(nowNs() + int64_t(m_o.idleHold * 1e9), &LoadGen::never);
        return 0;
    }
    m_publishStart = nowNs();
    loop(m_publishStart + int64_t(m_o.duration * 1e9), &LoadGen::never);
    const int64_t publishEnd = nowNs();
    m_publishStart = 0;
    auto drained = [this] {
        return m_stats.received >= m_stats.expected;
    };
    const int64_t drainUntil = publishEnd + int64_t(m_o.drain * 1e9);
    while (nowNs() < drainUntil && !drained())
        loop(std::min(drainUntil, nowNs() + 10'000'000), &LoadGen::never);
    const double seconds = double(publishEnd - t0) / 1e9 - connectSeconds;
    const uint64_t lost = m_stats.expected > m_stats.received ? m_stats.expected - m_stats.received : 0;
    std::printf(
        "{\"clients\":%d,\"rooms\":%d,\"publishers\":%d,\"rate\":%.0f,\"published\":%llu,"
        "\"expected\":%llu,\"received\":%llu,\"lost\":%llu,\"duplicates\":%llu,\"reordered\":%llu,"
        "\"gaps\":%llu,\"closed\":%llu,\"deliveries_per_s\":%.0f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,"
        "\"p99_ms\":%.2f,\"p999_ms\":%.2f,\"max_ms\":%.2f,\"cross_p50_ms\":%.2f,\"cross_p99_ms\":%.2f,"
        "\"kernel_p50_ms\":%.2f,\"kernel_p99_ms\":%.2f,\"cross_kernel_p50_ms\":%.2f,"
        "\"cross_kernel_p99_ms\":%.2f,\"connect_s\":%.3f}\n",
        m_o.clients, m_o.rooms, m_o.publishers, m_o.rate, (unsigned long long)m_stats.published,
        (unsigned long long)m_stats.expected, (unsigned long long)m_stats.received, (unsigned long long)lost,
        (unsigned long long)m_stats.duplicates, (unsigned long long)m_stats.reordered,
        (unsigned long long)m_stats.gaps, (unsigned long long)m_stats.closedEarly,
        double(m_stats.received) / seconds, m_stats.latency.percentileMs(50),
        m_stats.latency.percentileMs(90), m_stats.latency.percentileMs(99),
        m_stats.latency.percentileMs(99.9), m_stats.latency.maxMs(), m_stats.crossLatency.percentileMs(50),
        m_stats.crossLatency.percentileMs(99), m_stats.kernelLatency.percentileMs(50),
        m_stats.kernelLatency.percentileMs(99), m_stats.crossKernelLatency.percentileMs(50),
        m_stats.crossKernelLatency.percentileMs(99), connectSeconds);
    return lost == 0 && m_stats.duplicates == 0 && m_stats.reordered == 0 ? 0 : 1;
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

} // namespace

int main(int argc, char **argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> const char * {
            if (i + 1 >= argc)
                die(a + " needs a value");
            return argv[++i];
        };
        if (a == "--url")
            o.urls.push_back(parseUrl(value()));
        else if (a == "--clients")
            o.clients = int(number("--clients", value(), 1, 1e6));
        else if (a == "--rooms")
            o.rooms = int(number("--rooms", value(), 1, 1e6));
        else if (a == "--publishers")
            o.publishers = int(number("--publishers", value(), 1, 1e6));
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
            o.idleHold = number("--hold", value(), 0, 3600);
        else if (a == "--help" || a == "-h") {
            std::puts("switchboard-loadgen --url ws://host:port [--url ...] [--clients N] [--rooms N] "
                      "[--publishers N]\n"
                      "  [--rate msgs/s] [--duration s] [--drain s] [--size bytes] [--idle --hold s]");
            return 0;
        } else
            die("unknown option " + a);
    }
    if (o.urls.empty())
        die("at least one --url is needed");
    if (o.publishers > o.clients)
        die("--publishers cannot exceed --clients");
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    return LoadGen(o).run();
}

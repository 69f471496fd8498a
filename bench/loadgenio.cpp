// SPDX-License-Identifier: MIT
// switchboard-loadgen, client side: connect, handshake, join, publish, read and check deliveries,
// answer pings and closes.
#include "loadgen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace loadgen {

namespace {

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

} // namespace

int LoadGen::urlFor(int client) const
{
    const int urls = int(m_o.urls.size());
    if (m_o.publisherUrl < 0)
        return client % urls;
    if (client < m_o.publishers)
        return m_o.publisherUrl;
    if (urls == 1)
        return 0;
    // The receivers: round-robin over every URL but the publishers'.
    const int k = (client - m_o.publishers) % (urls - 1);
    return k < m_o.publisherUrl ? k : k + 1;
}

void LoadGen::bindSource(int fd, int url)
{
    const int n = m_perUrl[size_t(url)]++;
    if (m_o.sourceAddrs <= 0)
        return;
    const int one = 1;
    // The port is picked at connect() for the whole 4-tuple, not at bind() for the address alone.
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in source{};
    source.sin_family = AF_INET;
    source.sin_addr.s_addr = htonl((127u << 24) | uint32_t(1 + n % m_o.sourceAddrs));
    if (bind(fd, reinterpret_cast<sockaddr *>(&source), sizeof source) < 0)
        die("bind to 127.0.0." + std::to_string(1 + n % m_o.sourceAddrs) +
            " failed: " + std::strerror(errno));
}

void LoadGen::connectAll()
{
    m_roomMembers.assign(size_t(m_o.rooms), std::vector<int>(m_o.urls.size(), 0));
    m_perUrl.assign(m_o.urls.size(), 0);
    for (int i = 0; i < m_o.clients; ++i) {
        auto c = std::make_unique<Conn>();
        c->index = i;
        c->url = urlFor(i);
        c->room = i % m_o.rooms;
        c->lastSeq.assign(size_t(m_o.publishers), -1);
        const Endpoint &e = m_o.urls[size_t(c->url)];
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c->fd < 0)
            die("socket() failed: " + std::string(std::strerror(errno)) + " (raise ulimit -n)");
        const int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(c->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
        bindSource(c->fd, c->url);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(e.port);
        if (inet_pton(AF_INET, e.host == "localhost" ? "127.0.0.1" : e.host.c_str(), &addr.sin_addr) != 1)
            die("only IPv4 addresses are supported: " + e.host);
        if (connect(c->fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 && errno != EINPROGRESS)
            die("connect failed: " + std::string(std::strerror(errno)) + " (client " + std::to_string(i) +
                ")");
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
        ++m_pending;
        if (!windowOpen())
            loop(nowNs() + int64_t(m_o.joinTimeout * 1e9), &LoadGen::windowOpen);
    }
}

void LoadGen::setState(Conn &c, Conn::State state)
{
    const bool wasPending = c.state == Conn::State::Connecting || c.state == Conn::State::Handshake;
    const bool pending = state == Conn::State::Connecting || state == Conn::State::Handshake;
    if (c.kind == Conn::Kind::Client && wasPending != pending)
        m_pending += pending ? 1 : -1;
    c.state = state;
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
            setState(c, Conn::State::Closed);
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

// One frame: masked from a client (RFC 6455 5.3), unmasked from the --floor server side.
void LoadGen::send(Conn &c, std::string_view payload, uint8_t opcode, bool masked)
{
    std::string &o = c.out;
    const uint8_t maskBit = masked ? 0x80 : 0x00;
    o.push_back(char(0x80 | opcode));
    const size_t n = payload.size();
    if (n < 126) {
        o.push_back(char(maskBit | n));
    } else if (n < 65536) {
        o.push_back(char(maskBit | 126));
        o.push_back(char(n >> 8));
        o.push_back(char(n & 0xff));
    } else {
        o.push_back(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            o.push_back(char((uint64_t(n) >> shift) & 0xff));
    }
    if (!masked) {
        o.append(payload);
        flush(c);
        return;
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
    if (c.kind == Conn::Kind::Listener) {
        acceptPeers();
        return;
    }
    if (c.state == Conn::State::Closed)
        return;
    if (events & EPOLLOUT) {
        if (c.state == Conn::State::Connecting)
            setState(c, Conn::State::Handshake);
        flush(c);
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (c.kind == Conn::Kind::Peer)
            onPeerReadable(c);
        else
            onReadable(c);
    }
}

void LoadGen::onReadable(Conn &c)
{
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
                setState(c, Conn::State::Closed);
                ++m_stats.closedEarly;
                if (m_stats.firstClose.empty())
                    m_stats.firstClose = n == 0 ? "eof" : std::strerror(errno);
                epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
            }
        }
        break;
    }
    readFrames(c);
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
        setState(c, Conn::State::Joining);
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
        else
            onControl(c, opcode, payload);
    }
    c.in.erase(0, pos);
}

// A ping is answered with a pong carrying its payload; a close with a close carrying its status code
// (RFC 6455 5.5.1-5.5.3).
void LoadGen::onControl(Conn &c, uint8_t opcode, std::string_view payload)
{
    if (c.state == Conn::State::Closed)
        return;
    if (opcode == 0x9) {
        send(c, payload, 0xA);
        ++m_stats.pings;
        ++c.pings;
        if (!m_countRounds)
            return;
        const size_t k = c.pings - c.pingBase;
        if (m_round.size() < k)
            m_round.resize(k, 0);
        if (++m_round[k - 1] == m_o.clients) {
            std::printf("{\"round\":%zu,\"pings\":%llu,\"closed\":%llu}\n", k,
                        (unsigned long long)m_stats.pings, (unsigned long long)m_stats.closedEarly);
            std::fflush(stdout);
        }
    } else if (opcode == 0x8) {
        if (m_stats.firstClose.empty() && payload.size() >= 2)
            m_stats.firstClose = "close " + std::to_string((uint8_t(payload[0]) << 8) | uint8_t(payload[1])) +
                                 " " + std::string(payload.substr(2));
        send(c, payload.substr(0, std::min<size_t>(payload.size(), 2)), 0x8);
        setState(c, Conn::State::Closed);
        ++m_stats.closedEarly;
    }
}

void LoadGen::onText(Conn &c, std::string_view text)
{
    if (c.state == Conn::State::Joining) {
        if (text.find(R"("type":"joined")") != std::string_view::npos) {
            c.state = Conn::State::Ready;
            ++m_ready;
            ++m_roomMembers[size_t(c.room)][size_t(c.url)];
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
    const bool cross = m_o.floor || m_conns[size_t(publisher)]->url != c.url;
    m_stats.latency.add(latency);
    m_stats.kernelLatency.add(kernelLatency);
    if (cross) {
        m_stats.crossLatency.add(latency);
        m_stats.crossKernelLatency.add(kernelLatency);
        ++m_stats.crossReceived;
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

std::string LoadGen::messageJson(int room, int publisher, int64_t seq) const
{
    std::string prefix =
        std::to_string(publisher) + ":" + std::to_string(seq) + ":" + std::to_string(nowNs()) + ":";
    const size_t pad = size_t(std::max<int>(0, m_o.size - int(prefix.size())));
    return R"({"type":"message","roomId":"bench-)" + std::to_string(room) + R"(","user":"p","text":")" +
           prefix + m_padding.substr(0, pad) + "\"}";
}

void LoadGen::publishDue(int64_t now)
{
    const double elapsed = double(now - m_publishStart) / 1e9;
    const uint64_t due = uint64_t(std::min(elapsed, m_o.duration) * m_o.rate);
    while (m_nextPublish < due) {
        if (m_o.floor) {
            publishFloor();
            continue;
        }
        const uint64_t k = m_nextPublish++;
        const int publisher = int(k % uint64_t(m_o.publishers));
        const int64_t seq = int64_t(k / uint64_t(m_o.publishers));
        Conn &c = *m_conns[size_t(publisher)];
        if (c.state != Conn::State::Ready)
            continue;
        send(c, messageJson(c.room, publisher, seq));
        ++m_stats.published;
        const std::vector<int> &members = m_roomMembers[size_t(c.room)];
        for (size_t url = 0; url < members.size(); ++url) {
            m_stats.expected += uint64_t(members[url]);
            if (int(url) != c.url)
                m_stats.crossExpected += uint64_t(members[url]);
        }
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

} // namespace loadgen

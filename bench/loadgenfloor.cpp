// SPDX-License-Identifier: MIT
// switchboard-loadgen --floor: the write floor of this machine. The tool is its own server: a child
// process accepts the clients on 127.0.0.1:0, answers the upgrade with a minimal HTTP 101 and a
// "joined" frame, and writes each message as one unmasked text frame to every accepted socket,
// timestamped just before the first write (one send() per socket, nothing else). The clients read and
// measure it with the same code as a relay's deliveries, so a relay's fan-out can be set against the
// bare cost of the same writes and reads on this machine.
#include "loadgen.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace loadgen {

// Listens on 127.0.0.1:0 and forks the server process; this one goes on as the clients.
void LoadGen::startFloor()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket() failed: " + std::string(std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0 || listen(fd, 4096) < 0 ||
        getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) < 0)
        die("--floor: cannot listen on 127.0.0.1: " + std::string(std::strerror(errno)));
    m_o.urls = {Endpoint{"127.0.0.1", ntohs(addr.sin_port)}};
    int report[2];
    if (pipe(report) < 0)
        die("--floor: pipe() failed");
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid < 0)
        die("--floor: fork() failed");
    if (pid == 0) {
        close(report[0]);
        serveFloor(fd, report[1]);
    }
    close(fd);
    close(report[1]);
    m_floorReport = report[0];
    m_floorPid = pid;
}

// The server process: accept and upgrade every client, publish at the rate for the duration, report
// the count, keep the sockets until the clients close them.
void LoadGen::serveFloor(int listenFd, int reportFd)
{
    close(m_epoll);
    m_epoll = epoll_create1(0);
    fcntl(listenFd, F_SETFL, fcntl(listenFd, F_GETFL) | O_NONBLOCK);
    m_listener = std::make_unique<Conn>();
    m_listener->kind = Conn::Kind::Listener;
    m_listener->fd = listenFd;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.ptr = m_listener.get();
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, listenFd, &ev);
    loop(nowNs() + int64_t(m_o.joinTimeout * 1e9), &LoadGen::peersReady);
    m_publishStart = nowNs();
    loop(m_publishStart + int64_t(m_o.duration * 1e9), &LoadGen::never);
    m_publishStart = 0;
    const unsigned long long published = m_stats.published;
    if (write(reportFd, &published, sizeof published) != ssize_t(sizeof published))
        _exit(3);
    close(reportFd);
    loop(nowNs() + int64_t((m_o.drain + 30) * 1e9), &LoadGen::peersClosed);
    _exit(0);
}

// The clients' side of the publishing phase: read deliveries until the server reports its count.
void LoadGen::awaitFloor()
{
    const int64_t deadline = nowNs() + int64_t((m_o.duration + 30) * 1e9);
    unsigned long long published = 0;
    while (true) {
        pollfd p{m_floorReport, POLLIN, 0};
        if (poll(&p, 1, 0) > 0) {
            if (read(m_floorReport, &published, sizeof published) != ssize_t(sizeof published))
                die("--floor: the server process failed");
            break;
        }
        if (nowNs() > deadline)
            die("--floor: the server process did not report");
        loop(nowNs() + 10'000'000, &LoadGen::never);
    }
    m_stats.published = published;
    m_stats.expected = published * uint64_t(m_ready);
    m_stats.crossExpected = m_stats.expected;
}

void LoadGen::acceptPeers()
{
    while (true) {
        const int fd = accept4(m_listener->fd, nullptr, nullptr, SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                die("--floor: accept failed: " + std::string(std::strerror(errno)));
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return;
            continue;
        }
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Conn>();
        c->kind = Conn::Kind::Peer;
        c->fd = fd;
        c->index = int(m_peers.size());
        c->state = Conn::State::Handshake;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.ptr = c.get();
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
        m_peers.push_back(std::move(c));
    }
}

void LoadGen::onPeerReadable(Conn &c)
{
    char buf[4096];
    while (true) {
        const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
        if (n > 0) {
            // After the upgrade the clients' frames (their join) are read and dropped.
            if (c.state == Conn::State::Handshake)
                c.in.append(buf, size_t(n));
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            c.state = Conn::State::Closed;
            ++m_peersClosed;
            epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fd, nullptr);
            return;
        }
        break;
    }
    if (c.state != Conn::State::Handshake || c.in.find("\r\n\r\n") == std::string::npos)
        return;
    c.in.clear();
    c.state = Conn::State::Ready;
    ++m_peersReady;
    // The accept value of the load generator's fixed key (RFC 6455 1.3's example); it does not check it.
    c.out += "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    send(c, R"({"type":"joined","roomId":"bench-0"})", 0x1, false);
}

// One message to every accepted socket: the text's timestamp is taken just before the first write.
void LoadGen::publishFloor()
{
    const int64_t seq = int64_t(m_nextPublish++);
    const std::string payload = messageJson(0, 0, seq);
    for (const auto &peer : m_peers) {
        if (peer->state == Conn::State::Ready)
            send(*peer, payload, 0x1, false);
    }
    ++m_stats.published;
}

} // namespace loadgen

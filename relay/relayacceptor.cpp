// SPDX-License-Identifier: MIT
#include "relayacceptor.h"

#include "relaylogging.h"
#include "relayprotocol.h"
#include "relaysocket.h"

#include <QFile>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketCorsAuthenticator>
#include <QWebSocketServer>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Accepts plain connections as RelaySockets.
class RelayTcpServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new RelaySocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            qCWarning(lcRelay).noquote() << "cannot take an accepted connection:" << socket->errorString();
            ::close(int(descriptor));
            delete socket;
            return;
        }
        addPendingConnection(socket);
    }
};

// The subprotocol a client offers next to "bearer.<token>" so that browsers, which must get one
// of their offers back, accept the handshake.
const QString Subprotocol = u"switchboard"_s;

const QString HandshakeTimerName = u"switchboardHandshakeTimer"_s;

// "address:port" of a QTcpSocket or a QWebSocket (no common base has both).
template <class Socket>
QString peerOf(const Socket *socket)
{
    return socket->peerAddress().toString() + u':' + QString::number(socket->peerPort());
}

// The token from ?token=, "Authorization: Bearer", or a "bearer.<token>" subprotocol offer.
QByteArray tokenOf(const QWebSocket *socket)
{
    const QNetworkRequest request = socket->request();
    const QString query = QUrlQuery(request.url()).queryItemValue(u"token"_s, QUrl::FullyDecoded);
    if (!query.isEmpty())
        return query.toUtf8();
    const QByteArray authorization = request.rawHeader("Authorization").trimmed();
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    for (const QByteArray &offer : request.rawHeader("Sec-WebSocket-Protocol").split(',')) {
        const QByteArray p = offer.trimmed();
        if (p.startsWith("bearer."))
            return p.mid(7);
    }
    return {};
}

// A close reason fits in a control frame: at most 123 bytes of UTF-8.
QString closeReason(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= 123)
        return text;
    utf8.truncate(120);
    while (!utf8.isEmpty() && (uchar(utf8.back()) & 0xc0) == 0x80)
        utf8.chop(1);
    if (!utf8.isEmpty() && uchar(utf8.back()) >= 0xc0)
        utf8.chop(1);
    return QString::fromUtf8(utf8) + u"..."_s;
}

} // namespace

RelayAcceptor::RelayAcceptor(const RelayServerOptions &options, RelayStats &stats,
                             std::function<qsizetype()> clientCount, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_clientCount(std::move(clientCount))
    , m_server(new QWebSocketServer(u"switchboard-relay"_s,
                                    options.tlsCertificateFile.isEmpty() ? QWebSocketServer::NonSecureMode
                                                                         : QWebSocketServer::SecureMode,
                                    this))
{
    if (!m_options.auth.jwtSecret.isEmpty())
        m_jwt = std::make_unique<JwtVerifier>(m_options.auth.jwtSecret, m_options.auth.jwtLeeway);
    m_server->setSupportedSubprotocols({Subprotocol});
    connect(m_server, &QWebSocketServer::originAuthenticationRequired, this,
            [this](QWebSocketCorsAuthenticator *authenticator) {
                const QStringList &allowed = m_options.auth.allowedOrigins;
                const QString origin = authenticator->origin();
                const bool ok = allowed.isEmpty() || origin.isEmpty() || allowed.contains(origin);
                authenticator->setAllowed(ok);
                if (!ok) {
                    ++m_stats.originsRefused;
                    qCInfo(lcRelay).noquote() << "refused a handshake from Origin" << origin.left(200)
                                              << "(not in --allowed-origins)";
                }
            });
    connect(m_server, &QWebSocketServer::sslErrors, this, [](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            qCDebug(lcRelay) << "TLS error from a client:" << e.errorString();
    });
    connect(m_server, &QWebSocketServer::newConnection, this, &RelayAcceptor::onNewConnection);
    connect(m_server, &QWebSocketServer::acceptError, this,
            [](QAbstractSocket::SocketError error) { qCWarning(lcRelay) << "accept failed:" << error; });
    m_server->setHandshakeTimeout(m_options.limits.handshakeTimeout);
}

RelayAcceptor::~RelayAcceptor() = default;

bool RelayAcceptor::isSecure() const
{
    return m_server->secureMode() == QWebSocketServer::SecureMode;
}

bool RelayAcceptor::loadTls(QString *error)
{
    QString why;
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(m_options.tlsCertificateFile, QSsl::Pem);
    QFile keyFile(m_options.tlsKeyFile);
    QSslKey key;
    if (chain.isEmpty()) {
        why = u"--tls-cert: no PEM certificate in '%1'"_s.arg(m_options.tlsCertificateFile);
    } else if (!keyFile.open(QIODevice::ReadOnly)) {
        why = u"--tls-key: cannot read '%1': %2"_s.arg(m_options.tlsKeyFile, keyFile.errorString());
    } else {
        const QByteArray pem = keyFile.readAll();
        for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
            key = QSslKey(pem, algorithm, QSsl::Pem);
            if (!key.isNull())
                break;
        }
        if (key.isNull())
            why = u"--tls-key: no unencrypted PEM EC or RSA private key in '%1'"_s.arg(m_options.tlsKeyFile);
    }
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return false;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificateChain(chain);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_server->setSslConfiguration(tls);
    return true;
}

bool RelayAcceptor::listen(QString *error)
{
    if (isSecure() && !loadTls(error))
        return false;
    bool listening = false;
    QString listenError;
    if (isSecure()) {
        listening = m_server->listen(m_options.bindAddress, m_options.port);
        listenError = m_server->errorString();
    } else {
        m_listener = new RelayTcpServer(this);
        m_listener->setMaxPendingConnections(1000);
        connect(m_listener, &QTcpServer::newConnection, this, &RelayAcceptor::onTcpConnection);
        connect(m_listener, &QTcpServer::acceptError, this,
                [](QAbstractSocket::SocketError error) { qCWarning(lcRelay) << "accept failed:" << error; });
        listening = m_listener->listen(m_options.bindAddress, m_options.port);
        listenError = m_listener->errorString();
        if (!listening) {
            delete m_listener;
            m_listener = nullptr;
        }
    }
    if (!listening && error) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(m_options.bindAddress.toString())
                     .arg(m_options.port)
                     .arg(listenError);
    }
    return listening;
}

bool RelayAcceptor::isListening() const
{
    return m_listener ? m_listener->isListening() : m_server->isListening();
}

quint16 RelayAcceptor::port() const
{
    return m_listener ? m_listener->serverPort() : m_server->serverPort();
}

QUrl RelayAcceptor::url() const
{
    QHostAddress address = m_listener ? m_listener->serverAddress() : m_server->serverAddress();
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl u;
    u.setScheme(isSecure() ? u"wss"_s : u"ws"_s);
    u.setHost(address.toString());
    u.setPort(port());
    return u;
}

void RelayAcceptor::close()
{
    m_closed = true;
    m_server->close();
    if (m_listener)
        m_listener->close();
}

template <class Socket>
void RelayAcceptor::release(Socket *socket)
{
    // Counted until it is gone: deleted once the peer closes, or cut after 1 s.
    ++m_refusing;
    connect(socket, &QObject::destroyed, this, [this] { --m_refusing; });
    connect(socket, &Socket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(1s, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}

void RelayAcceptor::refuse(QWebSocket *socket, int code, const QString &reason)
{
    release(socket);
    socket->close(QWebSocketProtocol::CloseCode(code), reason);
    socket->flush();
}

void RelayAcceptor::refuseBeforeHandshake(QTcpSocket *tcp)
{
    ++m_stats.connectionsRefused;
    ++m_stats.handshakesRefused;
    const QByteArray body = u"server full: %1 connections\n"_s.arg(m_options.limits.maxConnections).toUtf8();
    tcp->write("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\n"
               "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body);
    release(tcp); // before disconnectFromHost(), which may emit disconnected at once
    tcp->disconnectFromHost();
}

void RelayAcceptor::onTcpConnection()
{
    while (QTcpSocket *tcp = m_listener->nextPendingConnection()) {
        if (m_clientCount() + pendingSockets() >= m_options.limits.maxConnections + RefusalReserve) {
            qCWarning(lcRelay).noquote() << "refusing" << peerOf(tcp) << "before its handshake - at the connection limit of"
                                         << m_options.limits.maxConnections << "with" << pendingSockets()
                                         << "handshakes and refusals pending";
            refuseBeforeHandshake(tcp);
            continue;
        }
        // Frames are written whole and at once; Nagle would hold a small one for the peer's ACK.
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        const QString peer = peerOf(tcp);
        m_upgrading.insert(peer, tcp);
        connect(tcp, &QObject::destroyed, this, [this, peer, tcp] {
            const auto it = m_upgrading.constFind(peer);
            if (it != m_upgrading.cend() && *it == tcp)
                m_upgrading.erase(it);
        });
        // A peer that goes away mid-handshake frees its place at once, not at the timeout.
        connect(tcp, &QAbstractSocket::disconnected, this, [tcp] { tcp->deleteLater(); });
        if (m_options.limits.handshakeTimeout.count() > 0) {
            auto *timer = new QTimer(tcp);
            timer->setObjectName(HandshakeTimerName);
            timer->setSingleShot(true);
            connect(timer, &QTimer::timeout, tcp, [tcp] { tcp->abort(); });
            timer->start(m_options.limits.handshakeTimeout);
        }
        m_server->handleConnection(tcp);
    }
}

std::optional<std::optional<JwtClaims>> RelayAcceptor::authenticate(QWebSocket *socket, const QString &peer)
{
    if (!m_jwt)
        return std::optional<JwtClaims>();
    const QByteArray token = tokenOf(socket);
    const JwtVerifier::Result result =
        token.isEmpty() ? JwtVerifier::Result{false,
                                              "token_missing",
                                              u"a token is required (?token=, Authorization: Bearer, "
                                              u"or a bearer.<token> subprotocol)"_s,
                                              {}}
                        : m_jwt->verify(token, QDateTime::currentSecsSinceEpoch());
    if (result.ok)
        return std::optional<JwtClaims>(result.claims);
    ++m_stats.authFailures;
    qCInfo(lcRelay).noquote() << "refused" << peer << "-" << result.code << result.reason;
    refuse(socket, RelayProtocol::Close::PolicyViolation,
           closeReason(QString::fromLatin1(result.code) + u": "_s + result.reason));
    return std::nullopt;
}

void RelayAcceptor::onNewConnection()
{
    while (QWebSocket *socket = m_server->nextPendingConnection()) {
        const QString peer = peerOf(socket);
        auto *tcp = qobject_cast<RelaySocket *>(m_upgrading.take(peer));
        if (tcp) {
            delete tcp->findChild<QTimer *>(HandshakeTimerName, Qt::FindDirectChildrenOnly);
            tcp->disconnect(this); // the m_upgrading cleanup; a few hundred bytes per connection
        }
        if (m_closed) {
            refuse(socket, RelayProtocol::Close::GoingAway, u"going away"_s);
            continue;
        }
        const RelayLimits &limits = m_options.limits;
        if (m_clientCount() >= limits.maxConnections) {
            ++m_stats.connectionsRefused;
            qCWarning(lcRelay).noquote()
                << "refusing" << peer << "- at the connection limit of" << limits.maxConnections;
            refuse(socket, RelayProtocol::Close::TryAgainLater,
                   u"server full: %1 connections"_s.arg(limits.maxConnections));
            continue;
        }
        std::optional<std::optional<JwtClaims>> claims = authenticate(socket, peer);
        if (!claims)
            continue;
        socket->setMaxAllowedIncomingMessageSize(quint64(limits.maxMessageBytes));
        socket->setMaxAllowedIncomingFrameSize(quint64(limits.maxMessageBytes));
        Q_EMIT accepted(socket, tcp, peer, *claims);
    }
}

// SPDX-License-Identifier: MIT
#include "relayacceptor.h"

#include "relaylogging.h"
#include "relayprotocol.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QTcpServer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

// Hands accepted descriptors to the acceptor untouched: no QTcpSocket is made for them.
class ListeningSocket : public QTcpServer
{
public:
    ListeningSocket(RelayAcceptor *acceptor)
        : QTcpServer(acceptor)
        , m_acceptor(acceptor)
    {}

protected:
    void incomingConnection(qintptr descriptor) override { m_acceptor->takeDescriptor(descriptor); }

private:
    RelayAcceptor *m_acceptor;
};

// The subprotocol a client offers next to "bearer.<token>" so that browsers, which must get one
// of their offers back, accept the handshake.
constexpr QByteArrayView Subprotocol = "switchboard";

// The token from ?token=, "Authorization: Bearer", or a "bearer.<token>" subprotocol offer.
QByteArray tokenOf(const WebSocketHandshake::Request &request)
{
    const QUrl url = QUrl::fromEncoded("http://relay" + request.target);
    const QString query = QUrlQuery(url).queryItemValue(u"token"_s, QUrl::FullyDecoded);
    if (!query.isEmpty())
        return query.toUtf8();
    const QByteArray authorization = request.authorization.trimmed();
    if (authorization.size() > 7 && authorization.first(7).compare("Bearer ", Qt::CaseInsensitive) == 0)
        return authorization.mid(7).trimmed();
    for (const QByteArray &offer : request.protocols.split(',')) {
        const QByteArray p = offer.trimmed();
        if (p.startsWith("bearer."))
            return p.mid(7);
    }
    return {};
}

} // namespace

RelayAcceptor::RelayAcceptor(const RelayServerOptions &options, RelayStats &stats,
                             std::function<qsizetype()> clientCount, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_stats(stats)
    , m_clientCount(std::move(clientCount))
{
    if (!m_options.auth.jwtSecret.isEmpty())
        m_jwt = std::make_unique<JwtVerifier>(m_options.auth.jwtSecret, m_options.auth.jwtLeeway);
    if (m_options.demoPage)
        m_page = std::make_unique<DemoPage>(isSecure());
}

RelayAcceptor::~RelayAcceptor()
{
    // Connections still handshaking or closing are children; they must not call back into a
    // half-destroyed acceptor.
    for (WebSocketConnection *c : std::as_const(m_pending))
        c->setHandler(nullptr);
    qDeleteAll(m_pending);
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
    m_tls = tls;
    return true;
}

bool RelayAcceptor::listen(QString *error)
{
    if (isSecure() && !loadTls(error))
        return false;
    m_listener = new ListeningSocket(this);
    m_listener->setMaxPendingConnections(1000);
    connect(m_listener, &QTcpServer::acceptError, this,
            [](QAbstractSocket::SocketError error) { qCWarning(lcRelay) << "accept failed:" << error; });
    if (m_listener->listen(m_options.bindAddress, m_options.port)) {
        if (m_page) {
            QUrl page = url();
            page.setScheme(isSecure() ? u"https"_s : u"http"_s);
            page.setPath(u"/"_s);
            qCInfo(lcRelay).noquote()
                << "development page (--demo-page) at" << page.toString() << "- for development only";
        }
        return true;
    }
    if (error) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(m_options.bindAddress.toString())
                     .arg(m_options.port)
                     .arg(m_listener->errorString());
    }
    delete m_listener;
    m_listener = nullptr;
    return false;
}

bool RelayAcceptor::isListening() const
{
    return m_listener && m_listener->isListening();
}

quint16 RelayAcceptor::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

QUrl RelayAcceptor::url() const
{
    QHostAddress address = m_listener ? m_listener->serverAddress() : QHostAddress();
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
    if (m_listener)
        m_listener->close();
}

void RelayAcceptor::takeDescriptor(qintptr descriptor)
{
    const RelayLimits &limits = m_options.limits;
    const WebSocketConnection::Settings settings{limits.maxMessageBytes, limits.handshakeTimeout,
                                                 m_options.shutdownGrace};
    auto *c = new WebSocketConnection(descriptor, m_tls ? &*m_tls : nullptr, this, settings, this);
    if (c->state() == WebSocketConnection::State::Closed) {
        qCWarning(lcRelay) << "cannot take an accepted connection";
        delete c;
        return;
    }
    m_pending.insert(c);
    if (m_clientCount() + m_pending.size() > limits.maxConnections + RefusalReserve) {
        ++m_stats.connectionsRefused;
        ++m_stats.handshakesRefused;
        qCWarning(lcRelay).noquote() << "refusing" << c->peerName()
                                     << "before its handshake - at the connection limit of"
                                     << limits.maxConnections << "with" << (m_pending.size() - 1)
                                     << "handshakes and refusals pending";
        c->refuse(503, u"server full: %1 connections"_s.arg(limits.maxConnections).toUtf8(),
                  "Retry-After: 1\r\n");
    }
}

void RelayAcceptor::disconnected(WebSocketConnection *c)
{
    m_pending.remove(c);
    c->deleteLater();
}

void RelayAcceptor::refuseOpen(WebSocketConnection *c, const WebSocketHandshake::Request &request,
                               quint16 code, const QString &reason)
{
    c->accept(request, WebSocketHandshake::listsToken(request.protocols, Subprotocol) ? Subprotocol
                                                                                      : QByteArrayView());
    c->close(code, reason.toUtf8());
}

std::optional<std::optional<JwtClaims>>
RelayAcceptor::authenticate(WebSocketConnection *c, const WebSocketHandshake::Request &request,
                            const QString &peer)
{
    if (!m_jwt)
        return std::optional<JwtClaims>();
    const QByteArray token = tokenOf(request);
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
    refuseOpen(c, request, RelayProtocol::Close::PolicyViolation,
               QString::fromLatin1(result.code) + u": "_s + result.reason);
    return std::nullopt;
}

void RelayAcceptor::handshakeReceived(WebSocketConnection *c, const WebSocketHandshake::Result &result)
{
    const QString peer = c->peerName();
    if (m_page && result.plainHttp) {
        qCDebug(lcRelay).noquote() << peer << result.request.method << result.request.target.left(200)
                                   << "(development page)";
        c->respond(m_page->answer(result.request));
        return;
    }
    if (result.status != WebSocketHandshake::Result::Status::Complete) {
        ++m_stats.badHandshakes;
        qCInfo(lcRelay).noquote() << "refused the handshake of" << peer << "with HTTP" << result.httpStatus
                                  << "-" << result.reason;
        return; // the connection answers with the error itself
    }
    const WebSocketHandshake::Request &request = result.request;
    const QStringList &allowed = m_options.auth.allowedOrigins;
    const QString origin = QString::fromUtf8(request.origin);
    if (!allowed.isEmpty() && !origin.isEmpty() && !allowed.contains(origin)) {
        ++m_stats.originsRefused;
        qCInfo(lcRelay).noquote() << "refused a handshake from Origin" << origin.left(200)
                                  << "(not in --allowed-origins)";
        c->refuse(403, "Origin not allowed (--allowed-origins)");
        return;
    }
    if (m_closed) {
        refuseOpen(c, request, RelayProtocol::Close::GoingAway, u"going away"_s);
        return;
    }
    const RelayLimits &limits = m_options.limits;
    if (m_clientCount() >= limits.maxConnections) {
        ++m_stats.connectionsRefused;
        qCWarning(lcRelay).noquote() << "refusing" << peer << "- at the connection limit of"
                                     << limits.maxConnections;
        refuseOpen(c, request, RelayProtocol::Close::TryAgainLater,
                   u"server full: %1 connections"_s.arg(limits.maxConnections));
        return;
    }
    std::optional<std::optional<JwtClaims>> claims = authenticate(c, request, peer);
    if (!claims)
        return;
    c->accept(request, WebSocketHandshake::listsToken(request.protocols, Subprotocol) ? Subprotocol
                                                                                      : QByteArrayView());
    m_pending.remove(c);
    const qsizetype query = request.target.indexOf('?');
    const bool canary =
        query >= 0 &&
        QUrlQuery(QString::fromUtf8(request.target.mid(query + 1))).queryItemValue(u"switchboard"_s) ==
            "canary"_L1;
    Q_EMIT accepted(c, peer, *claims, canary); // the receiver sets itself as the handler
}

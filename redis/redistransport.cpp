// SPDX-License-Identifier: MIT
#include "redistransport.h"

#include "redislogging.h"

#include <QFile>
#include <QLocalSocket>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

using namespace Qt::StringLiterals;

RedisTransport::RedisTransport(const RedisUrl &url, QObject *parent)
    : QObject(parent)
    , m_url(url)
{}

RedisTransport::~RedisTransport()
{
    // Children are deleted by QObject; make sure no signal reaches a half-destroyed owner.
    if (m_device)
        m_device->disconnect(this);
}

void RedisTransport::open()
{
    m_reportedDown = false;
    if (m_url.topology() == RedisUrl::Topology::Cluster) {
        // A Cluster is many servers (RedisClusterConnection); never mistake a seed node for the
        // Redis itself. (A Sentinel URL is a pipe to its first Sentinel; RedisConnection never
        // gives one: it asks the Sentinels and opens the primary's RedisUrl::atNode().)
        const QString reason = u"a redis-cluster:// URL names a Redis Cluster, not one server: open it with "
                               u"RedisClusterConnection (the relay and the console do)"_s;
        QMetaObject::invokeMethod(this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
        return;
    }
    if (m_url.scheme() == RedisUrl::Scheme::Unix) {
        openLocal();
        return;
    }
    if (m_url.scheme() == RedisUrl::Scheme::Tls) {
        auto *ssl = new QSslSocket(this);
        m_socket = ssl;
        m_device = ssl;
        if (!configureTls(ssl))
            return;
    } else {
        m_socket = new QTcpSocket(this);
        m_device = m_socket;
    }
    // Before anything else hears of the connection. (Options set before connectToHost() have
    // no socket to go to: Qt drops them.)
    connect(m_socket, &QAbstractSocket::connected, this, &RedisTransport::applySocketOptions);
    if (m_url.scheme() != RedisUrl::Scheme::Tls)
        connect(m_socket, &QTcpSocket::connected, this, &RedisTransport::connected);
    connect(m_socket, &QAbstractSocket::readyRead, this, &RedisTransport::readyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this,
            [this](QAbstractSocket::SocketError) { fail(m_socket->errorString()); });
    connect(m_socket, &QAbstractSocket::disconnected, this,
            [this] { fail(u"connection closed by the server"_s); });

    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
        const QString sni = m_url.serverName().isEmpty() ? m_url.host() : m_url.serverName();
        ssl->connectToHostEncrypted(m_url.host(), m_url.port(), sni);
    } else {
        m_socket->connectToHost(m_url.host(), m_url.port());
    }
}

void RedisTransport::openLocal()
{
    m_local = new QLocalSocket(this);
    m_device = m_local;
    connect(m_local, &QLocalSocket::connected, this, &RedisTransport::connected);
    connect(m_local, &QLocalSocket::readyRead, this, &RedisTransport::readyRead);
    connect(m_local, &QLocalSocket::errorOccurred, this,
            [this](QLocalSocket::LocalSocketError) { fail(m_local->errorString()); });
    connect(m_local, &QLocalSocket::disconnected, this, [this] { fail(u"connection closed by the server"_s); });
    m_local->connectToServer(m_url.socketPath());
}

// The CA, client certificate and verification of the URL on ssl. A file that cannot be used
// is reported (queued, like any other failure to connect) and false returned.
bool RedisTransport::configureTls(QSslSocket *ssl)
{
    const auto failLater = [this](const QString &reason) {
        QMetaObject::invokeMethod(this, [this, reason] { fail(reason); }, Qt::QueuedConnection);
        return false;
    };
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    if (!m_url.caFile().isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(m_url.caFile(), QSsl::Pem);
        if (cas.isEmpty())
            return failLater(u"cannot read a CA certificate from '%1'"_s.arg(m_url.caFile()));
        config.setCaCertificates(cas);
    }
    if (!m_url.certFile().isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(m_url.certFile(), QSsl::Pem);
        QFile keyFile(m_url.keyFile());
        QSslKey key;
        if (keyFile.open(QIODevice::ReadOnly)) {
            const QByteArray pem = keyFile.readAll();
            key = QSslKey(pem, QSsl::Rsa);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Ec);
        }
        if (certs.isEmpty() || key.isNull())
            return failLater(u"cannot load the client certificate or key"_s);
        config.setLocalCertificate(certs.first());
        config.setPrivateKey(key);
    }
    config.setPeerVerifyMode(m_url.verifyPeer() ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
    if (!m_url.verifyPeer())
        qCWarning(lcRedis).noquote() << "TLS verification is off for" << m_url.toDisplayString()
                                     << "- the server's identity is not checked (verify=false)";
    ssl->setSslConfiguration(config);
    connect(ssl, &QSslSocket::encrypted, this, &RedisTransport::connected);
    connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &e : errors)
            texts.append(e.errorString());
        fail(u"TLS: "_s + texts.join(u"; "_s));
    });
    return true;
}

void RedisTransport::fail(const QString &reason)
{
    if (m_reportedDown)
        return;
    m_reportedDown = true;
    Q_EMIT disconnected(reason);
}

void RedisTransport::abort()
{
    m_reportedDown = true;
    if (m_socket)
        m_socket->abort();
    else if (m_local)
        m_local->abort();
}

bool RedisTransport::isOpen() const
{
    return m_device && m_device->isOpen() && !m_reportedDown;
}

qint64 RedisTransport::write(const QByteArray &bytes)
{
    return m_device ? m_device->write(bytes) : -1;
}

void RedisTransport::flush()
{
    if (m_socket)
        m_socket->flush();
    else if (m_local)
        m_local->flush();
}

qint64 RedisTransport::bytesToWrite() const
{
    return m_device ? m_device->bytesToWrite() : 0;
}

qint64 RedisTransport::readInto(QByteArray *buffer)
{
    if (!m_device)
        return 0;
    const qint64 available = m_device->bytesAvailable();
    if (available <= 0)
        return 0;
    const qsizetype old = buffer->size();
    buffer->resize(old + available);
    const qint64 n = m_device->read(buffer->data() + old, available);
    buffer->resize(old + qMax<qint64>(n, 0));
    return qMax<qint64>(n, 0);
}

qintptr RedisTransport::socketDescriptor() const
{
    return m_socket ? m_socket->socketDescriptor() : -1;
}

void RedisTransport::applySocketOptions()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setSocketOption(QAbstractSocket::KeepAliveOption, m_keepAlive.enabled ? 1 : 0);
    if (!m_keepAlive.enabled)
        return;
    const int fd = int(m_socket->socketDescriptor());
    const std::pair<int, int> settings[] = {{TCP_KEEPIDLE, int(m_keepAlive.idle.count())},
                                            {TCP_KEEPINTVL, int(m_keepAlive.interval.count())},
                                            {TCP_KEEPCNT, m_keepAlive.count}};
    for (const auto &[name, value] : settings) {
        if (::setsockopt(fd, IPPROTO_TCP, name, &value, sizeof value) != 0)
            qCWarning(lcRedis).noquote() << "cannot set TCP keepalive on the connection to"
                                         << m_url.toDisplayString() << "-" << qt_error_string(errno);
    }
}

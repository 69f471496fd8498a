// SPDX-License-Identifier: MIT
#include "redisurl.h"

#include <QHostAddress>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

RedisUrl fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return RedisUrl();
}

bool parsePort(const QString &text, quint16 *port)
{
    bool ok = false;
    const uint value = text.toUInt(&ok);
    if (!ok || value == 0 || value > 65535 || text.startsWith(u'+'))
        return false;
    *port = quint16(value);
    return true;
}

bool parseDb(const QString &text, int *db)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < 0 || text.startsWith(u'+'))
        return false;
    *db = value;
    return true;
}

bool parseBool(const QString &text, bool *value)
{
    const QString t = text.toLower();
    if (t == "true"_L1 || t == "1"_L1 || t == "yes"_L1 || t == "on"_L1) {
        *value = true;
        return true;
    }
    if (t == "false"_L1 || t == "0"_L1 || t == "no"_L1 || t == "off"_L1) {
        *value = false;
        return true;
    }
    return false;
}

QString encode(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

RedisUrl RedisUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, u"empty Redis URL"_s);

    RedisUrl url;
    QString rest;
    QString query;
    QString why;
    if (!url.parseScheme(text, &rest, &why) || !url.splitFragment(&rest, &why) ||
        !splitQuery(&rest, &query, &why) || !url.parseCredentials(&rest, &why))
        return fail(error, why);
    const bool located = url.m_scheme == Scheme::Unix ? url.parseSocketPath(rest, &why)
                                                      : url.parseHostPortDb(rest, &why);
    if (!located || !url.parseOptions(query, &why))
        return fail(error, why);

    url.m_valid = true;
    url.m_configured = true;
    if (error)
        error->clear();
    return url;
}

// The scheme of text into m_scheme; *rest is what follows "://".
bool RedisUrl::parseScheme(const QString &text, QString *rest, QString *error)
{
    static const QString expected = u"expected redis://, rediss://, unix://, redis-cluster://, rediss-cluster://, "
                                    u"redis-sentinel:// or rediss-sentinel://"_s;
    const qsizetype schemeEnd = text.indexOf("://"_L1);
    if (schemeEnd <= 0) {
        *error = u"'%1' has no scheme: %2"_s.arg(text, expected);
        return false;
    }
    const QString scheme = text.left(schemeEnd).toLower();
    static const QHash<QString, std::pair<Scheme, Topology>> schemes{
        {u"redis"_s, {Scheme::Tcp, Topology::Standalone}},
        {u"rediss"_s, {Scheme::Tls, Topology::Standalone}},
        {u"unix"_s, {Scheme::Unix, Topology::Standalone}},
        {u"redis-cluster"_s, {Scheme::Tcp, Topology::Cluster}},
        {u"rediss-cluster"_s, {Scheme::Tls, Topology::Cluster}},
        {u"redis-sentinel"_s, {Scheme::Tcp, Topology::Sentinel}},
        {u"rediss-sentinel"_s, {Scheme::Tls, Topology::Sentinel}},
    };
    const auto it = schemes.constFind(scheme);
    if (it == schemes.cend()) {
        *error = u"unsupported scheme '%1': %2"_s.arg(scheme, expected);
        return false;
    }
    std::tie(m_scheme, m_topology) = *it;
    *rest = text.mid(schemeEnd + 3);
    return true;
}

// A Sentinel URL ends with #<primary name>; no other URL has a fragment.
bool RedisUrl::splitFragment(QString *rest, QString *error)
{
    const qsizetype hash = rest->indexOf(u'#');
    if (m_topology != Topology::Sentinel) {
        if (hash < 0)
            return true;
        *error = u"a Redis URL cannot have a fragment ('#'); only redis-sentinel:// names its primary with one"_s;
        return false;
    }
    if (hash < 0) {
        *error = u"a redis-sentinel:// URL needs the primary's name after '#', as in "
                 u"redis-sentinel://127.0.0.1:26379#mymaster"_s;
        return false;
    }
    m_primaryName = QUrl::fromPercentEncoding(rest->mid(hash + 1).toUtf8());
    rest->truncate(hash);
    if (m_primaryName.isEmpty()) {
        *error = u"empty primary name after '#'"_s;
        return false;
    }
    if (m_primaryName.contains(u'#') || m_primaryName.contains(u' ')) {
        *error = u"invalid primary name '%1'"_s.arg(m_primaryName);
        return false;
    }
    return true;
}

// Refuses a fragment and spaces, and moves what follows '?' from *rest to *query.
bool RedisUrl::splitQuery(QString *rest, QString *query, QString *error)
{
    if (rest->contains(u' ')) {
        *error = u"a Redis URL cannot contain spaces"_s;
        return false;
    }
    if (const qsizetype q = rest->indexOf(u'?'); q >= 0) {
        *query = rest->mid(q + 1);
        rest->truncate(q);
    }
    return true;
}

// Credentials: everything before the last '@' (in a unix URL, only before the path), removed
// from *rest.
bool RedisUrl::parseCredentials(QString *rest, QString *error)
{
    const qsizetype pathStart = m_scheme == Scheme::Unix ? rest->indexOf(u'/') : -1;
    const qsizetype at = m_scheme == Scheme::Unix
                             ? rest->left(pathStart < 0 ? rest->size() : pathStart).lastIndexOf(u'@')
                             : rest->lastIndexOf(u'@');
    if (at < 0)
        return true;
    const QString userinfo = rest->left(at);
    *rest = rest->mid(at + 1);
    const qsizetype colon = userinfo.indexOf(u':');
    if (colon < 0) {
        if (userinfo.isEmpty())
            return true;
        *error = u"user '%1' has no password: write redis://user:password@host"_s.arg(userinfo);
        return false;
    }
    m_username = QUrl::fromPercentEncoding(userinfo.left(colon).toUtf8());
    m_password = QUrl::fromPercentEncoding(userinfo.mid(colon + 1).toUtf8());
    if (m_password.isEmpty() && !m_username.isEmpty()) {
        *error = u"user '%1' has an empty password"_s.arg(m_username);
        return false;
    }
    return true;
}

bool RedisUrl::parseSocketPath(const QString &rest, QString *error)
{
    if (!rest.startsWith(u'/') || rest.size() < 2) {
        *error = u"a unix:// URL needs an absolute socket path, as in unix:///run/redis/redis.sock"_s;
        return false;
    }
    m_path = QUrl::fromPercentEncoding(rest.toUtf8());
    m_port = 0;
    return true;
}

// host[:port][/db], the host possibly a bracketed IPv6 address; a comma-separated list of them
// for a Cluster or Sentinels.
bool RedisUrl::parseHostPortDb(const QString &rest, QString *error)
{
    QString authority = rest;
    QString path;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    const QStringList parts = authority.split(u',');
    if (parts.size() > 1 && m_topology == Topology::Standalone) {
        *error = u"a redis:// URL names one host; several are for redis-cluster:// (seed nodes) or "
                 u"redis-sentinel:// (Sentinels)"_s;
        return false;
    }
    m_nodes.clear();
    for (const QString &part : parts) {
        Node node;
        if (!parseNode(part, parts.size() > 1, &node, error))
            return false;
        if (m_nodes.contains(node)) {
            *error = u"'%1' is listed twice"_s.arg(part);
            return false;
        }
        m_nodes.append(node);
    }
    m_host = m_nodes.first().host;
    m_port = m_nodes.first().port;
    if (!path.isEmpty() && !parseDb(path, &m_db)) {
        *error = u"invalid database '%1': expected a number, as in redis://host:6379/0"_s.arg(path);
        return false;
    }
    if (m_topology == Topology::Cluster && m_db != 0) {
        *error = u"a Redis Cluster has only database 0 (the URL asks for %1)"_s.arg(m_db);
        return false;
    }
    return true;
}

bool RedisUrl::parseNode(const QString &authority, bool listed, Node *node, QString *error) const
{
    QString portText;
    bool hasPortSeparator = false;
    if (!splitHostPort(authority, &node->host, &portText, &hasPortSeparator, error))
        return false;
    if (node->host.isEmpty()) {
        *error = listed ? u"empty host in the list of hosts (after a ',' or before ':%1')"_s.arg(portText)
                        : u"the Redis URL has no host"_s;
        return false;
    }
    for (QChar c : std::as_const(node->host)) {
        if (!(c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_' || c == u':' || c == u'%')) {
            *error = u"invalid character '%1' in host '%2'"_s.arg(c).arg(node->host);
            return false;
        }
    }
    if (hasPortSeparator && portText.isEmpty()) {
        *error = u"empty port after ':'"_s;
        return false;
    }
    node->port = m_topology == Topology::Sentinel ? DefaultSentinelPort : DefaultPort;
    if (!portText.isEmpty() && !parsePort(portText, &node->port)) {
        *error = u"invalid port '%1': expected 1-65535"_s.arg(portText);
        return false;
    }
    return true;
}

// The host of authority into *host, and the text after its ':' into *portText.
bool RedisUrl::splitHostPort(const QString &authority, QString *host, QString *portText, bool *hasPortSeparator,
                             QString *error)
{
    if (!authority.startsWith(u'[')) {
        const qsizetype colon = authority.indexOf(u':');
        *host = colon < 0 ? authority : authority.left(colon);
        if (colon >= 0) {
            *portText = authority.mid(colon + 1);
            *hasPortSeparator = true;
        }
        return true;
    }
    const qsizetype close = authority.indexOf(u']');
    if (close < 0) {
        *error = u"unterminated IPv6 address in '%1'"_s.arg(authority);
        return false;
    }
    *host = authority.mid(1, close - 1);
    const QString after = authority.mid(close + 1);
    if (!after.isEmpty()) {
        if (!after.startsWith(u':')) {
            *error = u"unexpected '%1' after the IPv6 address"_s.arg(after);
            return false;
        }
        *portText = after.mid(1);
        *hasPortSeparator = true;
    }
    if (QHostAddress(*host).protocol() != QAbstractSocket::IPv6Protocol) {
        *error = u"'%1' is not an IPv6 address"_s.arg(*host);
        return false;
    }
    return true;
}

// ?db=, and for rediss:// ca=, cert=, key=, verify=, sni=.
bool RedisUrl::parseOptions(const QString &query, QString *error)
{
    if (query.isEmpty())
        return true;
    const QUrlQuery q(query);
    for (const auto &[key, value] : q.queryItems(QUrl::FullyDecoded)) {
        if (!parseOption(key, value, error))
            return false;
    }
    if (m_certFile.isEmpty() != m_keyFile.isEmpty()) {
        *error = u"a client certificate needs both cert= and key="_s;
        return false;
    }
    if (!m_sentinelUsername.isEmpty() && m_sentinelPassword.isEmpty()) {
        *error = u"sentinel-user '%1' has no sentinel-password"_s.arg(m_sentinelUsername);
        return false;
    }
    return true;
}

bool RedisUrl::parseOption(const QString &key, const QString &value, QString *error)
{
    if (key == "db"_L1) {
        if (parseDb(value, &m_db))
            return true;
        *error = u"invalid database '%1' in ?db=: expected a number"_s.arg(value);
        return false;
    }
    if (key == "sentinel-user"_L1 || key == "sentinel-password"_L1) {
        if (m_topology != Topology::Sentinel) {
            *error = u"option '%1' only applies to redis-sentinel:// URLs"_s.arg(key);
            return false;
        }
        if (value.isEmpty()) {
            *error = u"option '%1' needs a value"_s.arg(key);
            return false;
        }
        (key == "sentinel-user"_L1 ? m_sentinelUsername : m_sentinelPassword) = value;
        return true;
    }
    if (key != "ca"_L1 && key != "cert"_L1 && key != "key"_L1 && key != "verify"_L1 && key != "sni"_L1) {
        *error = u"unknown option '%1' (known: db, ca, cert, key, verify, sni, sentinel-user, sentinel-password)"_s.arg(
            key);
        return false;
    }
    if (m_scheme != Scheme::Tls) {
        *error = u"option '%1' only applies to rediss:// (TLS) URLs: rediss://, rediss-cluster://, rediss-sentinel://"_s.arg(key);
        return false;
    }
    if (key == "verify"_L1) {
        if (parseBool(value, &m_verifyPeer))
            return true;
        *error = u"invalid value '%1' for verify: expected true or false"_s.arg(value);
        return false;
    }
    if (value.isEmpty()) {
        *error = u"option '%1' needs a value"_s.arg(key);
        return false;
    }
    if (key == "ca"_L1)
        m_caFile = value;
    else if (key == "cert"_L1)
        m_certFile = value;
    else if (key == "key"_L1)
        m_keyFile = value;
    else
        m_serverName = value;
    return true;
}

RedisUrl RedisUrl::fromEnvironment(const QProcessEnvironment &env, QString *error)
{
    const QString redisUrl = env.value(u"REDIS_URL"_s);
    if (!redisUrl.isEmpty()) {
        QString why;
        RedisUrl url = parse(redisUrl, &why);
        if (!url.isValid())
            return fail(error, u"REDIS_URL: "_s + why);
        return url;
    }
    const QString host = env.value(u"REDIS_HOST"_s);
    const QString port = env.value(u"REDIS_PORT"_s);
    if (host.isEmpty() && port.isEmpty()) {
        RedisUrl url = parse(u"redis://127.0.0.1:6379"_s);
        url.m_configured = false;
        return url;
    }
    quint16 portValue = DefaultPort;
    if (!port.isEmpty() && !parsePort(port, &portValue))
        return fail(error, u"REDIS_PORT: invalid port '%1': expected 1-65535"_s.arg(port));
    QString hostPart = host.isEmpty() ? u"localhost"_s : host;
    if (hostPart.contains(u':') && !hostPart.startsWith(u'['))
        hostPart = u'[' + hostPart + u']';
    QString why;
    RedisUrl url = parse(u"redis://%1:%2"_s.arg(hostPart).arg(portValue), &why);
    if (!url.isValid())
        return fail(error, u"REDIS_HOST: "_s + why);
    return url;
}

QString RedisUrl::toString() const
{
    if (!m_valid)
        return {};
    QString s = m_scheme == Scheme::Tcp ? u"redis"_s : m_scheme == Scheme::Tls ? u"rediss"_s : u"unix"_s;
    if (m_topology == Topology::Cluster)
        s += u"-cluster"_s;
    else if (m_topology == Topology::Sentinel)
        s += u"-sentinel"_s;
    s += u"://"_s;
    if (!m_password.isEmpty())
        s += encode(m_username) + u':' + encode(m_password) + u'@';
    QUrlQuery q;
    if (m_scheme == Scheme::Unix) {
        s += m_path;
        if (m_db != 0)
            q.addQueryItem(u"db"_s, QString::number(m_db));
    } else {
        QStringList nodes;
        for (const Node &node : m_nodes)
            nodes.append((node.host.contains(u':') ? u'[' + node.host + u']' : node.host) + u':' +
                         QString::number(node.port));
        s += nodes.join(u',');
        if (m_db != 0)
            s += u'/' + QString::number(m_db);
    }
    if (!m_caFile.isEmpty())
        q.addQueryItem(u"ca"_s, m_caFile);
    if (!m_certFile.isEmpty())
        q.addQueryItem(u"cert"_s, m_certFile);
    if (!m_keyFile.isEmpty())
        q.addQueryItem(u"key"_s, m_keyFile);
    if (!m_verifyPeer)
        q.addQueryItem(u"verify"_s, u"false"_s);
    if (!m_serverName.isEmpty())
        q.addQueryItem(u"sni"_s, m_serverName);
    if (!m_sentinelUsername.isEmpty())
        q.addQueryItem(u"sentinel-user"_s, m_sentinelUsername);
    if (!m_sentinelPassword.isEmpty())
        q.addQueryItem(u"sentinel-password"_s, m_sentinelPassword);
    if (!q.isEmpty())
        s += u'?' + q.toString(QUrl::FullyEncoded);
    if (m_topology == Topology::Sentinel)
        s += u'#' + encode(m_primaryName);
    return s;
}

RedisUrl RedisUrl::atNode(const QString &host, quint16 port) const
{
    RedisUrl url = *this;
    url.m_topology = Topology::Standalone;
    url.m_host = host;
    url.m_port = port;
    url.m_nodes = {Node{host, port}};
    url.m_primaryName.clear();
    url.m_sentinelUsername.clear();
    url.m_sentinelPassword.clear();
    return url;
}

RedisUrl RedisUrl::sentinelAt(const Node &sentinel) const
{
    RedisUrl url = atNode(sentinel.host, sentinel.port);
    url.m_username = m_sentinelUsername;
    url.m_password = m_sentinelPassword;
    url.m_db = 0;
    return url;
}

QString RedisUrl::toDisplayString() const
{
    if (m_password.isEmpty() && m_sentinelPassword.isEmpty())
        return toString();
    RedisUrl masked = *this;
    if (!masked.m_password.isEmpty())
        masked.m_password = u"***"_s;
    if (!masked.m_sentinelPassword.isEmpty())
        masked.m_sentinelPassword = u"***"_s;
    return masked.toString().replace(u"%2A%2A%2A"_s, u"***"_s);
}

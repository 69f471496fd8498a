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
    if (!url.parseScheme(text, &rest, &why) || !splitQuery(&rest, &query, &why) ||
        !url.parseCredentials(&rest, &why))
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
    const qsizetype schemeEnd = text.indexOf("://"_L1);
    if (schemeEnd <= 0) {
        *error = u"'%1' has no scheme: expected redis://, rediss:// or unix://"_s.arg(text);
        return false;
    }
    const QString scheme = text.left(schemeEnd).toLower();
    if (scheme == "redis"_L1) {
        m_scheme = Scheme::Tcp;
    } else if (scheme == "rediss"_L1) {
        m_scheme = Scheme::Tls;
    } else if (scheme == "unix"_L1) {
        m_scheme = Scheme::Unix;
    } else {
        *error = u"unsupported scheme '%1': expected redis://, rediss:// or unix://"_s.arg(scheme);
        return false;
    }
    *rest = text.mid(schemeEnd + 3);
    return true;
}

// Refuses a fragment and spaces, and moves what follows '?' from *rest to *query.
bool RedisUrl::splitQuery(QString *rest, QString *query, QString *error)
{
    if (rest->contains(u'#')) {
        *error = u"a Redis URL cannot have a fragment ('#')"_s;
        return false;
    }
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

// host[:port][/db], the host possibly a bracketed IPv6 address.
bool RedisUrl::parseHostPortDb(const QString &rest, QString *error)
{
    QString authority = rest;
    QString path;
    if (const qsizetype slash = rest.indexOf(u'/'); slash >= 0) {
        authority = rest.left(slash);
        path = rest.mid(slash + 1);
    }
    QString portText;
    bool hasPortSeparator = false;
    if (!splitHostPort(authority, &portText, &hasPortSeparator, error))
        return false;
    if (m_host.isEmpty()) {
        *error = u"the Redis URL has no host"_s;
        return false;
    }
    for (QChar c : std::as_const(m_host)) {
        if (!(c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_' || c == u':' || c == u'%')) {
            *error = u"invalid character '%1' in host '%2'"_s.arg(c).arg(m_host);
            return false;
        }
    }
    if (hasPortSeparator && portText.isEmpty()) {
        *error = u"empty port after ':'"_s;
        return false;
    }
    if (!portText.isEmpty() && !parsePort(portText, &m_port)) {
        *error = u"invalid port '%1': expected 1-65535"_s.arg(portText);
        return false;
    }
    if (!path.isEmpty() && !parseDb(path, &m_db)) {
        *error = u"invalid database '%1': expected a number, as in redis://host:6379/0"_s.arg(path);
        return false;
    }
    return true;
}

// The host of authority into m_host, and the text after its ':' into *portText.
bool RedisUrl::splitHostPort(const QString &authority, QString *portText, bool *hasPortSeparator,
                             QString *error)
{
    if (!authority.startsWith(u'[')) {
        const qsizetype colon = authority.indexOf(u':');
        m_host = colon < 0 ? authority : authority.left(colon);
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
    m_host = authority.mid(1, close - 1);
    const QString after = authority.mid(close + 1);
    if (!after.isEmpty()) {
        if (!after.startsWith(u':')) {
            *error = u"unexpected '%1' after the IPv6 address"_s.arg(after);
            return false;
        }
        *portText = after.mid(1);
        *hasPortSeparator = true;
    }
    if (QHostAddress(m_host).protocol() != QAbstractSocket::IPv6Protocol) {
        *error = u"'%1' is not an IPv6 address"_s.arg(m_host);
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
    if (key != "ca"_L1 && key != "cert"_L1 && key != "key"_L1 && key != "verify"_L1 && key != "sni"_L1) {
        *error = u"unknown option '%1' (known: db, ca, cert, key, verify, sni)"_s.arg(key);
        return false;
    }
    if (m_scheme != Scheme::Tls) {
        *error = u"option '%1' only applies to rediss:// (TLS) URLs"_s.arg(key);
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
    QString s = m_scheme == Scheme::Tcp   ? u"redis://"_s
                : m_scheme == Scheme::Tls ? u"rediss://"_s
                                          : u"unix://"_s;
    if (!m_password.isEmpty())
        s += encode(m_username) + u':' + encode(m_password) + u'@';
    QUrlQuery q;
    if (m_scheme == Scheme::Unix) {
        s += m_path;
        if (m_db != 0)
            q.addQueryItem(u"db"_s, QString::number(m_db));
    } else {
        s += m_host.contains(u':') ? u'[' + m_host + u']' : m_host;
        s += u':' + QString::number(m_port);
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
    if (!q.isEmpty())
        s += u'?' + q.toString(QUrl::FullyEncoded);
    return s;
}

QString RedisUrl::toDisplayString() const
{
    if (m_password.isEmpty())
        return toString();
    RedisUrl masked = *this;
    masked.m_password = u"***"_s;
    return masked.toString();
}

// SPDX-License-Identifier: MIT
#include "connectionprofile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionProfile", text);
}
} // namespace

QString ConnectionProfile::validate() const
{
    if (name.trimmed().isEmpty())
        return tr("The profile needs a name.");
    if (name.contains(u'/') || name.contains(u'\\'))
        return tr("A profile name cannot contain '/' or '\\'.");
    QString error;
    const RedisUrl parsed = RedisUrl::parse(url, &error);
    if (!parsed.isValid())
        return error;
    if (!parsed.password().isEmpty())
        return tr("Keep the password out of the URL: enter it in the password field, it is stored in the "
                  "system keychain.");
    for (const QString &file : {caFile, certFile, keyFile}) {
        if (!file.isEmpty() && !QFileInfo(file).isReadable())
            return tr("Cannot read %1.").arg(file);
    }
    if (certFile.isEmpty() != keyFile.isEmpty())
        return tr("A client certificate needs both the certificate and the key file.");
    if (!sentinelUsername.isEmpty() && parsed.topology() != RedisUrl::Topology::Sentinel)
        return tr("A Sentinel user needs a redis-sentinel:// URL.");
    if (!parsed.sentinelPassword().isEmpty())
        return tr("Keep the Sentinels' password out of the URL (sentinel-password=): enter it in the Sentinel "
                  "password field, it is stored in the system keychain.");
    if (parsed.scheme() != RedisUrl::Scheme::Tls && (!caFile.isEmpty() || !certFile.isEmpty() || skipVerify)) {
        switch (parsed.topology()) {
        case RedisUrl::Topology::Cluster:
            return tr("TLS settings need a rediss-cluster:// URL (TLS to every node of the Cluster).");
        case RedisUrl::Topology::Sentinel:
            return tr("TLS settings need a rediss-sentinel:// URL (TLS to the Sentinels and the primary).");
        case RedisUrl::Topology::Standalone:
            break;
        }
        return tr("TLS settings need a rediss:// URL.");
    }
    return {};
}

bool ConnectionProfile::isSentinel() const
{
    return RedisUrl::parse(url).topology() == RedisUrl::Topology::Sentinel;
}

RedisUrl ConnectionProfile::redisUrl(const QString &password, QString *error, const QString &sentinelPassword) const
{
    RedisUrl parsed = RedisUrl::parse(url, error);
    if (!parsed.isValid())
        return parsed;
    if (parsed.topology() == RedisUrl::Topology::Sentinel && !sentinelPassword.isEmpty())
        parsed.setSentinelCredentials(sentinelUsername, sentinelPassword);
    if (!username.isEmpty())
        parsed.setUsername(username);
    if (!password.isEmpty())
        parsed.setPassword(password);
    if (!caFile.isEmpty())
        parsed.setCaFile(caFile);
    if (!certFile.isEmpty())
        parsed.setCertFile(certFile);
    if (!keyFile.isEmpty())
        parsed.setKeyFile(keyFile);
    if (skipVerify)
        parsed.setVerifyPeer(false);
    return parsed;
}

RedisConnectionOptions ConnectionProfile::connectionOptions(const QString &password, const QString &clientName,
                                                            QString *error, const QString &sentinelPassword) const
{
    RedisConnectionOptions options;
    options.url = redisUrl(password, error, sentinelPassword);
    options.clientName = clientName;
    return options;
}

RedisUrl ConnectionProfile::probeUrl(const QString &password, const QString &sentinelPassword) const
{
    const RedisUrl url = redisUrl(password, nullptr, sentinelPassword);
    return url.topology() == RedisUrl::Topology::Cluster ? url.atNode(url.host(), url.port()) : url;
}

ConnectionProfile ConnectionProfile::fromEnvironment(const QProcessEnvironment &env, QString *password,
                                                     QString *sentinelPassword)
{
    ConnectionProfile profile;
    RedisUrl url = RedisUrl::fromEnvironment(env);
    if (!url.isValid() || !url.isConfigured()) {
        profile.name = u"localhost"_s;
        profile.url = u"redis://127.0.0.1:6379"_s;
        return profile;
    }
    if (password)
        *password = url.password();
    profile.username = url.username();
    profile.sentinelUsername = url.sentinelUsername();
    if (sentinelPassword)
        *sentinelPassword = url.sentinelPassword();
    url.setPassword({});
    url.setUsername({});
    url.setSentinelCredentials({}, {});
    profile.name = u"REDIS_URL"_s;
    profile.url = url.toString();
    return profile;
}

ProfileStore::ProfileStore(QSettings *settings)
    : m_settings(settings)
{}

QList<ConnectionProfile> ProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    m_settings->beginGroup(u"profiles"_s);
    const QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    for (const QString &name : names) {
        if (auto p = profile(name))
            result.append(*p);
    }
    return result;
}

std::optional<ConnectionProfile> ProfileStore::profile(const QString &name) const
{
    const QString group = u"profiles/"_s + name;
    if (!m_settings->childGroups().contains(u"profiles"_s))
        return std::nullopt;
    m_settings->beginGroup(group);
    const bool exists = m_settings->contains(u"url"_s);
    ConnectionProfile p;
    p.name = name;
    p.url = m_settings->value(u"url"_s).toString();
    p.username = m_settings->value(u"username"_s).toString();
    p.sentinelUsername = m_settings->value(u"sentinelUsername"_s).toString();
    p.caFile = m_settings->value(u"caFile"_s).toString();
    p.certFile = m_settings->value(u"certFile"_s).toString();
    p.keyFile = m_settings->value(u"keyFile"_s).toString();
    p.skipVerify = m_settings->value(u"skipVerify"_s, false).toBool();
    p.readOnly = m_settings->value(u"readOnly"_s, false).toBool();
    m_settings->endGroup();
    if (!exists)
        return std::nullopt;
    return p;
}

void ProfileStore::save(const ConnectionProfile &p)
{
    m_settings->beginGroup(u"profiles/"_s + p.name);
    m_settings->remove(QString());
    m_settings->setValue(u"url"_s, p.url);
    m_settings->setValue(u"username"_s, p.username);
    if (!p.sentinelUsername.isEmpty())
        m_settings->setValue(u"sentinelUsername"_s, p.sentinelUsername);
    m_settings->setValue(u"caFile"_s, p.caFile);
    m_settings->setValue(u"certFile"_s, p.certFile);
    m_settings->setValue(u"keyFile"_s, p.keyFile);
    m_settings->setValue(u"skipVerify"_s, p.skipVerify);
    m_settings->setValue(u"readOnly"_s, p.readOnly);
    m_settings->endGroup();
    m_settings->sync();
}

void ProfileStore::remove(const QString &name)
{
    m_settings->remove(u"profiles/"_s + name);
    if (lastUsed() == name)
        m_settings->remove(u"lastProfile"_s);
    m_settings->sync();
}

QString ProfileStore::lastUsed() const
{
    return m_settings->value(u"lastProfile"_s).toString();
}

void ProfileStore::setLastUsed(const QString &name)
{
    m_settings->setValue(u"lastProfile"_s, name);
}

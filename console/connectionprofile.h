// SPDX-License-Identifier: MIT
#pragma once

#include "redisconnection.h"

#include <QList>
#include <QString>

class QSettings;

// A saved way to reach a Redis server. The password is never part of it: it lives in the
// system keychain (SecretStore), keyed by the profile's name.
struct ConnectionProfile
{
    QString name;
    // redis://host:port/db, rediss://..., unix:///path, redis-cluster://h1:p1,h2:p2 (rediss-cluster://),
    // redis-sentinel://s1:26379,s2#primary (rediss-sentinel://); credentials are stripped
    QString url;
    QString username;
    // Sentinel profiles: the Sentinels' own ACL user; their password is a second keychain entry,
    // sentinelSecretName().
    QString sentinelUsername;
    QString caFile;
    QString certFile;
    QString keyFile;
    bool skipVerify = false;
    bool readOnly = false;

    bool operator==(const ConnectionProfile &) const = default;

    // Checks the fields; returns an empty string when valid, else what is wrong.
    QString validate() const;
    // sentinelPassword: the Sentinels' (Sentinel profiles; empty: they need none).
    RedisUrl redisUrl(const QString &password, QString *error = nullptr, const QString &sentinelPassword = {}) const;
    RedisConnectionOptions connectionOptions(const QString &password, const QString &clientName,
                                             QString *error = nullptr, const QString &sentinelPassword = {}) const;
    bool isSentinel() const;
    // The keychain entry of the Sentinels' password for profile ("<name>/sentinel": a name has no '/').
    static QString sentinelSecretName(const QString &profile) { return profile + QStringLiteral("/sentinel"); }
    // The profile a first start uses: REDIS_URL when set, else redis://127.0.0.1:6379. A password
    // embedded in REDIS_URL is returned through *password, not kept in the profile.
    // Sentinel credentials in it go to sentinelUsername and *sentinelPassword likewise.
    static ConnectionProfile fromEnvironment(const QProcessEnvironment &env, QString *password,
                                             QString *sentinelPassword = nullptr);
    // Where to check that Redis answers (RedisProbe): the URL, or a Cluster's first seed node.
    RedisUrl probeUrl(const QString &password, const QString &sentinelPassword = {}) const;
};

// Profiles in QSettings (group "profiles"), plus which one was used last.
class ProfileStore
{
public:
    explicit ProfileStore(QSettings *settings);

    QList<ConnectionProfile> profiles() const;
    std::optional<ConnectionProfile> profile(const QString &name) const;
    // Replaces a profile of the same name.
    void save(const ConnectionProfile &profile);
    void remove(const QString &name);
    QString lastUsed() const;
    void setLastUsed(const QString &name);

private:
    QSettings *m_settings;
};

// SPDX-License-Identifier: MIT
#pragma once

#include <QProcessEnvironment>
#include <QString>

// Where and how to reach a Redis server.
//   redis://[[user]:password@]host[:port][/db][?option=value...]
//   rediss://...   (TLS; options: ca=<file>, cert=<file>, key=<file>, verify=true|false, sni=<name>)
//   unix:///path/to/redis.sock[?db=N]   (also unix://[[user]:password@]/path)
class RedisUrl
{
public:
    enum class Scheme { Tcp, Tls, Unix };

    static constexpr quint16 DefaultPort = 6379;

    // Parses text; on failure returns an invalid RedisUrl and sets *error to a specific message.
    static RedisUrl parse(const QString &text, QString *error = nullptr);

    // REDIS_URL; when unset, the seed's REDIS_HOST / REDIS_PORT. isConfigured() is false when
    // none of them is set (the caller then decides on a default).
    static RedisUrl fromEnvironment(const QProcessEnvironment &env, QString *error = nullptr);

    bool isValid() const { return m_valid; }
    bool isConfigured() const { return m_configured; }
    Scheme scheme() const { return m_scheme; }
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    QString socketPath() const { return m_path; }
    QString username() const { return m_username; }
    QString password() const { return m_password; }
    int database() const { return m_db; }

    QString caFile() const { return m_caFile; }
    QString certFile() const { return m_certFile; }
    QString keyFile() const { return m_keyFile; }
    bool verifyPeer() const { return m_verifyPeer; }
    QString serverName() const { return m_serverName; }

    void setUsername(const QString &user) { m_username = user; }
    void setPassword(const QString &password) { m_password = password; }
    void setCaFile(const QString &file) { m_caFile = file; }
    void setCertFile(const QString &file) { m_certFile = file; }
    void setKeyFile(const QString &file) { m_keyFile = file; }
    void setVerifyPeer(bool verify) { m_verifyPeer = verify; }

    // The URL with the password masked: safe for logs and titles.
    QString toDisplayString() const;
    // The URL including credentials (round-trips through parse()).
    QString toString() const;

    bool operator==(const RedisUrl &) const = default;

private:
    // The steps of parse(): each fills its part of *this, or sets *error and returns false.
    bool parseScheme(const QString &text, QString *rest, QString *error);
    static bool splitQuery(QString *rest, QString *query, QString *error);
    bool parseCredentials(QString *rest, QString *error);
    bool parseSocketPath(const QString &rest, QString *error);
    bool parseHostPortDb(const QString &rest, QString *error);
    bool splitHostPort(const QString &authority, QString *portText, bool *hasPortSeparator, QString *error);
    bool parseOptions(const QString &query, QString *error);
    bool parseOption(const QString &key, const QString &value, QString *error);

    bool m_valid = false;
    bool m_configured = false;
    Scheme m_scheme = Scheme::Tcp;
    QString m_host;
    quint16 m_port = DefaultPort;
    QString m_path;
    QString m_username;
    QString m_password;
    int m_db = 0;
    QString m_caFile;
    QString m_certFile;
    QString m_keyFile;
    bool m_verifyPeer = true;
    QString m_serverName;
};

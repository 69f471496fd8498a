// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>

// Where and how to reach a Redis server.
//   redis://[[user]:password@]host[:port][/db][?option=value...]
//   rediss://...   (TLS; options: ca=<file>, cert=<file>, key=<file>, verify=true|false, sni=<name>)
//   unix:///path/to/redis.sock[?db=N]   (also unix://[[user]:password@]/path)
//   redis-cluster://[[user]:password@]host1[:port1][,host2[:port2]...]   (rediss-cluster:// for TLS)
//       seed nodes of a Redis Cluster; the credentials and TLS options apply to every node
//   redis-sentinel://[[user]:password@]s1[:26379][,s2[:26379]...][/db][?sentinel-user=u&sentinel-password=p]#primary
//       (rediss-sentinel:// for TLS) Sentinels that know the primary named after '#'; the
//       credentials are the primary's, sentinel-user / sentinel-password the Sentinels' own
class RedisUrl
{
public:
    enum class Scheme { Tcp, Tls, Unix };
    enum class Topology { Standalone, Cluster, Sentinel };
    struct Node
    {
        QString host;
        quint16 port = 0;
        bool operator==(const Node &) const = default;
    };

    static constexpr quint16 DefaultPort = 6379;
    static constexpr quint16 DefaultSentinelPort = 26379;

    // Parses text; on failure returns an invalid RedisUrl and sets *error to a specific message.
    static RedisUrl parse(const QString &text, QString *error = nullptr);

    // REDIS_URL; when unset, the seed's REDIS_HOST / REDIS_PORT. isConfigured() is false when
    // none of them is set (the caller then decides on a default).
    static RedisUrl fromEnvironment(const QProcessEnvironment &env, QString *error = nullptr);

    bool isValid() const { return m_valid; }
    bool isConfigured() const { return m_configured; }
    Scheme scheme() const { return m_scheme; }
    Topology topology() const { return m_topology; }
    // The first of nodes().
    QString host() const { return m_host; }
    quint16 port() const { return m_port; }
    // Every host:port of the URL: one for redis:// and rediss://, the seeds of a Cluster, the
    // Sentinels; empty for unix://.
    QList<Node> nodes() const { return m_nodes; }
    // Sentinel: the name of the primary (after '#'), and the Sentinels' own credentials.
    QString primaryName() const { return m_primaryName; }
    QString sentinelUsername() const { return m_sentinelUsername; }
    QString sentinelPassword() const { return m_sentinelPassword; }
    // A standalone URL for one node of this Cluster or this Sentinel's primary: the same scheme
    // (TLS or not), credentials, TLS options and database, at host:port.
    RedisUrl atNode(const QString &host, quint16 port) const;
    // A standalone URL for talking to one Sentinel: its credentials, database 0.
    RedisUrl sentinelAt(const Node &sentinel) const;
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
    // Sentinel URLs: the Sentinels' own credentials (sentinel-user / sentinel-password).
    void setSentinelCredentials(const QString &user, const QString &password)
    {
        m_sentinelUsername = user;
        m_sentinelPassword = password;
    }

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
    bool splitFragment(QString *rest, QString *error);
    bool parseHostPortDb(const QString &rest, QString *error);
    bool parseNode(const QString &authority, bool listed, Node *node, QString *error) const;
    static bool splitHostPort(const QString &authority, QString *host, QString *portText, bool *hasPortSeparator,
                              QString *error);
    bool parseOptions(const QString &query, QString *error);
    bool parseOption(const QString &key, const QString &value, QString *error);

    bool m_valid = false;
    bool m_configured = false;
    Scheme m_scheme = Scheme::Tcp;
    Topology m_topology = Topology::Standalone;
    QString m_host;
    quint16 m_port = DefaultPort;
    QList<Node> m_nodes;
    QString m_primaryName;
    QString m_sentinelUsername;
    QString m_sentinelPassword;
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

// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>

class ConnectionController;
class RedisClusterConnection;
class RedisConnection;
class RedisValue;
class RoomHistoryModel;
class RoomPresenceModel;

// A room's detail (docs/formats): its presence across relays and its history stream, read from the
// keys RelayKeys names for the room's channel. On a Redis Cluster every command goes to the owner of
// the keys' slot (the channel's), on one server or a Sentinel's primary to the connection.
//
// Presence: TYPE, TIME, then HSCAN of the hash (at most limits.maxPresenceEntries entries); an entry
// whose "expires" is before Redis's TIME belongs to a relay that died and is skipped (counted in
// expiredEntries()), one that is not the documented JSON is skipped and counted in badEntries().
// History: TYPE, XLEN, MEMORY USAGE and PTTL of the stream and one page of limits.pageSize entries,
// newest first (XREVRANGE), with showOlder() / showNewer() / showNewest() to page through it.
// While active, presence and the stream's figures are read again every limits.refreshInterval, and
// the page too when it is the newest (a page further back stays as it is while browsing).
class RoomDetailController : public QObject
{
    Q_OBJECT
public:
    enum class KeyState {
        Unknown,   // not read yet
        Missing,   // no such key
        Present,   //
        WrongType, // the key is not a stream / hash
        Failed,    // Redis refused or the connection failed; error says why
    };
    Q_ENUM(KeyState)

    struct Limits
    {
        int pageSize = 50;
        int maxPresenceEntries = 1000;
        std::chrono::milliseconds refreshInterval{2000};
    };

    explicit RoomDetailController(QObject *parent = nullptr);
    ~RoomDetailController() override;

    void attach(RedisConnection *connection);
    void attachCluster(RedisClusterConnection *cluster);
    // Stops; the models empty.
    void detach();
    // Attaches to connection's command connection, or its Cluster, whenever it changes.
    void follow(ConnectionController *connection);
    bool isAttached() const;

    // The room's channel, "<prefix>room:<id>", and the relays' prefix; a null prefix: prefixOf(channel).
    // Reads it at once when attached.
    void setRoom(const QByteArray &channel, const QByteArray &prefix = QByteArray());
    // The part of channel before its first "room:"; empty when it has none.
    static QByteArray prefixOf(const QByteArray &channel);
    QByteArray channel() const { return m_channel; }
    QByteArray prefix() const { return m_prefix; }
    QByteArray historyKey() const { return m_historyKey; }
    QByteArray presenceKey() const { return m_presenceKey; }

    void setLimits(const Limits &limits);
    const Limits &limits() const { return m_limits; }
    // Refreshes on the timer while active (the view is shown).
    void setActive(bool active);
    bool isActive() const { return m_active; }

    void refresh();
    void showNewest();
    void showOlder();
    void showNewer();
    bool hasOlder() const { return m_hasOlder; }
    bool hasNewer() const { return m_hasNewer; }
    bool isAtNewest() const { return !m_hasNewer; }

    RoomPresenceModel *presenceModel() const { return m_presence; }
    RoomHistoryModel *historyModel() const { return m_history; }

    KeyState presenceState() const { return m_presenceState; }
    QString presenceError() const { return m_presenceError; }
    int expiredEntries() const { return m_expiredEntries; }
    int badEntries() const { return m_badEntries; }
    // The hash has more entries than limits.maxPresenceEntries: the list is short.
    bool presenceTruncated() const { return m_presenceTruncated; }
    // Redis's TIME at the last presence read, ms since the epoch; 0 before.
    qint64 redisTimeMs() const { return m_redisTimeMs; }

    KeyState historyState() const { return m_historyState; }
    QString historyError() const { return m_historyError; }
    // XLEN; -1 unknown.
    qint64 historyLength() const { return m_historyLength; }
    // MEMORY USAGE in bytes; -1 unknown.
    qint64 historyMemoryBytes() const { return m_historyMemory; }
    // PTTL in ms; -1 no expiry, -2 unknown.
    qint64 historyTtlMs() const { return m_historyTtl; }

Q_SIGNALS:
    void presenceChanged();
    void historyChanged();

private:
    enum class Page { Newest, Older, Newer, Same };
    struct PresenceLoad;
    struct HistoryLoad;
    using Callback = std::function<void(const RedisValue &)>;
    void send(const QByteArray &key, const QByteArrayList &args, Callback callback);
    void loadPresence();
    void scanPresence(const std::shared_ptr<PresenceLoad> &load, const QByteArray &cursor);
    void finishPresence(const std::shared_ptr<PresenceLoad> &load);
    void presenceFailed(const RedisValue &reply);
    void loadHistory(Page page);
    void readHistory(const std::shared_ptr<HistoryLoad> &load);
    void requestPage(const std::shared_ptr<HistoryLoad> &load);
    void finishHistory(const std::shared_ptr<HistoryLoad> &load);
    void reset();

    QPointer<RedisConnection> m_connection;
    QPointer<RedisClusterConnection> m_cluster;
    RoomPresenceModel *m_presence;
    RoomHistoryModel *m_history;
    QTimer m_timer;
    Limits m_limits;
    bool m_active = false;
    quint64 m_generation = 0;
    QByteArray m_channel;
    QByteArray m_prefix;
    QByteArray m_historyKey;
    QByteArray m_presenceKey;

    bool m_presenceLoading = false;
    KeyState m_presenceState = KeyState::Unknown;
    QString m_presenceError;
    int m_expiredEntries = 0;
    int m_badEntries = 0;
    bool m_presenceTruncated = false;
    qint64 m_redisTimeMs = 0;

    bool m_historyLoading = false;
    KeyState m_historyState = KeyState::Unknown;
    QString m_historyError;
    qint64 m_historyLength = -1;
    qint64 m_historyMemory = -1;
    qint64 m_historyTtl = -2;
    bool m_hasOlder = false;
    bool m_hasNewer = false;
};

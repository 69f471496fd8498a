// SPDX-License-Identifier: MIT
#include "roomdetailcontroller.h"

#include "connectioncontroller.h"
#include "redisclusterconnection.h"
#include "redisclustertopology.h"
#include "redisconnection.h"
#include "relaykeys.h"
#include "roomhistorymodel.h"
#include "roompresencemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int HscanCount = 200;

QString errorText(const RedisValue &reply)
{
    return reply.isError() ? QString::fromUtf8(reply.bytes())
                           : RoomDetailController::tr("unexpected reply: %1").arg(reply.toDisplayString());
}

// XRANGE / XREVRANGE: [[id, [field, value, ...]], ...]; the entry's m field.
QList<RoomHistoryEntry> entriesOf(const RedisValue &reply)
{
    QList<RoomHistoryEntry> entries;
    for (const RedisValue &e : reply.elements()) {
        if (e.elements().size() != 2)
            continue;
        RoomHistoryEntry entry{e.elements()[0].bytes(), {}};
        const auto &fields = e.elements()[1].elements();
        for (size_t i = 0; i + 1 < fields.size(); i += 2)
            if (fields[i].bytes() == "m")
                entry.json = fields[i + 1].bytes();
        entries.append(std::move(entry));
    }
    return entries;
}
} // namespace

struct RoomDetailController::PresenceLoad
{
    bool present = false;
    qint64 nowMs = 0;
    int scanned = 0;
    int expired = 0;
    int bad = 0;
    bool truncated = false;
    QString badExample;
    QList<RoomMember> members;
};

struct RoomDetailController::HistoryLoad
{
    Page page = Page::Newest;
    QByteArray anchor;
    int outstanding = 0;
    bool failed = false;
    QString error;
    QString type;
    qint64 length = -1;
    qint64 memory = -1;
    qint64 ttl = -2;
    bool pageRead = false;
    QList<RoomHistoryEntry> entries; // newest first
    bool hasOlder = false;
    bool hasNewer = false;
};

RoomDetailController::RoomDetailController(QObject *parent)
    : QObject(parent)
    , m_presence(new RoomPresenceModel(this))
    , m_history(new RoomHistoryModel(this))
{
    m_timer.setInterval(m_limits.refreshInterval);
    connect(&m_timer, &QTimer::timeout, this, &RoomDetailController::refresh);
}

RoomDetailController::~RoomDetailController() = default;

void RoomDetailController::attach(RedisConnection *connection)
{
    detach();
    m_connection = connection;
    refresh();
}

void RoomDetailController::attachCluster(RedisClusterConnection *cluster)
{
    detach();
    m_cluster = cluster;
    refresh();
}

void RoomDetailController::detach()
{
    m_connection = nullptr;
    m_cluster = nullptr;
    reset();
}

bool RoomDetailController::isAttached() const
{
    return m_connection || m_cluster;
}

void RoomDetailController::follow(ConnectionController *connection)
{
    connect(connection, &ConnectionController::connectionChanged, this,
            [this, connection](RedisConnection *c) {
                if (!c)
                    detach();
                else if (connection->cluster())
                    attachCluster(connection->cluster());
                else
                    attach(c);
            });
    if (connection->cluster())
        attachCluster(connection->cluster());
    else if (connection->connection())
        attach(connection->connection());
}

void RoomDetailController::reset()
{
    ++m_generation;
    m_presenceLoading = false;
    m_historyLoading = false;
    m_presenceState = KeyState::Unknown;
    m_historyState = KeyState::Unknown;
    m_presenceError.clear();
    m_historyError.clear();
    m_expiredEntries = 0;
    m_badEntries = 0;
    m_presenceTruncated = false;
    m_redisTimeMs = 0;
    m_historyLength = -1;
    m_historyMemory = -1;
    m_historyTtl = -2;
    m_hasOlder = false;
    m_hasNewer = false;
    m_presence->clear();
    m_history->clear();
    Q_EMIT presenceChanged();
    Q_EMIT historyChanged();
}

QByteArray RoomDetailController::prefixOf(const QByteArray &channel)
{
    const qsizetype at = channel.indexOf("room:");
    return at < 0 ? QByteArray() : channel.first(at);
}

void RoomDetailController::setRoom(const QByteArray &channel, const QByteArray &prefix)
{
    m_channel = channel;
    m_prefix = prefix.isNull() ? prefixOf(channel) : prefix;
    m_historyKey = channel.isEmpty() ? QByteArray() : RelayKeys::historyKey(m_prefix, channel);
    m_presenceKey = channel.isEmpty() ? QByteArray() : RelayKeys::presenceKey(m_prefix, channel);
    reset();
    refresh();
}

void RoomDetailController::setLimits(const Limits &limits)
{
    m_limits = limits;
    m_limits.pageSize = std::max(1, limits.pageSize);
    m_limits.maxPresenceEntries = std::max(1, limits.maxPresenceEntries);
    m_timer.setInterval(limits.refreshInterval);
    if (m_active && limits.refreshInterval.count() > 0)
        m_timer.start();
}

void RoomDetailController::setActive(bool active)
{
    m_active = active;
    if (active && m_limits.refreshInterval.count() > 0)
        m_timer.start();
    else
        m_timer.stop();
}

void RoomDetailController::refresh()
{
    if (!isAttached() || m_channel.isEmpty())
        return;
    loadPresence();
    loadHistory(m_hasNewer ? Page::Same : Page::Newest);
}

void RoomDetailController::showNewest()
{
    loadHistory(Page::Newest);
}

void RoomDetailController::showOlder()
{
    if (m_hasOlder)
        loadHistory(Page::Older);
}

void RoomDetailController::showNewer()
{
    if (m_hasNewer)
        loadHistory(Page::Newer);
}

void RoomDetailController::send(const QByteArray &key, const QByteArrayList &args, Callback callback)
{
    const quint64 generation = m_generation;
    auto guarded = [this, generation, callback = std::move(callback)](const RedisValue &reply) {
        if (generation == m_generation)
            callback(reply);
    };
    if (m_cluster)
        m_cluster->commandForSlot(RedisClusterTopology::keySlot(key), args, this, std::move(guarded));
    else if (m_connection)
        m_connection->command(args, this, std::move(guarded));
}

void RoomDetailController::loadPresence()
{
    if (m_presenceLoading)
        return;
    m_presenceLoading = true;
    auto load = std::make_shared<PresenceLoad>();
    send(m_presenceKey, {"TYPE", m_presenceKey}, [this, load](const RedisValue &reply) {
        if (!reply.isStatus() && !reply.isString())
            return presenceFailed(reply);
        load->present = reply.bytes() != "none";
        if (load->present && reply.bytes() != "hash") {
            m_presenceLoading = false;
            m_presenceState = KeyState::WrongType;
            m_presenceError = tr("%1 is a %2, not a hash")
                                  .arg(QString::fromUtf8(m_presenceKey), QString::fromUtf8(reply.bytes()));
            m_presence->clear();
            Q_EMIT presenceChanged();
            return;
        }
    });
    send(m_presenceKey, {"TIME"}, [this, load](const RedisValue &reply) {
        if (!m_presenceLoading)
            return; // TYPE ended it
        const auto &e = reply.elements();
        if (e.size() != 2)
            return presenceFailed(reply);
        load->nowMs = e[0].bytes().toLongLong() * 1000 + e[1].bytes().toLongLong() / 1000;
        if (!load->present)
            return finishPresence(load);
        scanPresence(load, "0");
    });
}

void RoomDetailController::scanPresence(const std::shared_ptr<PresenceLoad> &load, const QByteArray &cursor)
{
    const QByteArrayList args{"HSCAN", m_presenceKey, cursor, "COUNT", QByteArray::number(HscanCount)};
    send(m_presenceKey, args, [this, load](const RedisValue &reply) {
        const auto &e = reply.elements();
        if (e.size() != 2 || !e[1].isArray())
            return presenceFailed(reply);
        const auto &pairs = e[1].elements();
        for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
            if (load->scanned >= m_limits.maxPresenceEntries) {
                load->truncated = true;
                break;
            }
            ++load->scanned;
            QString why;
            const auto member = RoomMember::parse(pairs[i].bytes(), pairs[i + 1].bytes(), &why);
            if (!member) {
                if (load->bad++ == 0)
                    load->badExample = QString::fromUtf8(pairs[i].bytes()) + u": "_s + why;
            } else if (member->expiresMs < load->nowMs) {
                ++load->expired;
            } else {
                load->members.append(*member);
            }
        }
        if (e[0].bytes() == "0" || load->truncated)
            return finishPresence(load);
        scanPresence(load, e[0].bytes());
    });
}

void RoomDetailController::finishPresence(const std::shared_ptr<PresenceLoad> &load)
{
    m_presenceLoading = false;
    m_presenceState = load->present ? KeyState::Present : KeyState::Missing;
    m_presenceError =
        load->bad
            ? tr("Entries not in the documented format: %1, e.g. %2").arg(load->bad).arg(load->badExample)
            : QString();
    m_expiredEntries = load->expired;
    m_badEntries = load->bad;
    m_presenceTruncated = load->truncated;
    m_redisTimeMs = load->nowMs;
    m_presence->setMembers(std::move(load->members), load->nowMs);
    Q_EMIT presenceChanged();
}

void RoomDetailController::presenceFailed(const RedisValue &reply)
{
    if (!m_presenceLoading)
        return;
    m_presenceLoading = false;
    m_presenceState = KeyState::Failed;
    m_presenceError = errorText(reply);
    m_presence->clear();
    Q_EMIT presenceChanged();
}

void RoomDetailController::loadHistory(Page page)
{
    if (!isAttached() || m_channel.isEmpty())
        return;
    if (m_historyLoading) {
        // A page the operator asked for wins over a refresh; a refresh while one runs is dropped.
        if (page == Page::Same)
            return;
        ++m_generation; // the running load's replies are dropped
        m_presenceLoading = false;
    }
    m_historyLoading = true;
    auto load = std::make_shared<HistoryLoad>();
    load->page = page;
    load->anchor = page == Page::Older ? m_history->oldestOffset() : m_history->newestOffset();
    if (load->anchor.isEmpty())
        load->page = Page::Newest;
    readHistory(load);
}

void RoomDetailController::readHistory(const std::shared_ptr<HistoryLoad> &load)
{
    const QByteArray &key = m_historyKey;
    load->outstanding = 5;
    const auto done = [this, load](const RedisValue &reply, const std::function<void()> &take) {
        if (reply.isError() && !load->failed) {
            load->failed = true;
            load->error = errorText(reply);
        } else if (!reply.isError()) {
            take();
        }
        if (--load->outstanding == 0)
            finishHistory(load);
    };
    send(key, {"TYPE", key},
         [load, done](const RedisValue &r) { done(r, [&] { load->type = QString::fromUtf8(r.bytes()); }); });
    send(key, {"XLEN", key},
         [load, done](const RedisValue &r) { done(r, [&] { load->length = r.toInteger(); }); });
    send(key, {"MEMORY", "USAGE", key}, [load, done](const RedisValue &r) {
        done(r, [&] { load->memory = r.isInteger() ? r.toInteger() : -1; });
    });
    send(key, {"PTTL", key},
         [load, done](const RedisValue &r) { done(r, [&] { load->ttl = r.toInteger(); }); });
    requestPage(load);
}

// One more than a page, to know whether there is more in that direction.
void RoomDetailController::requestPage(const std::shared_ptr<HistoryLoad> &load)
{
    const QByteArray &key = m_historyKey;
    const QByteArray count = QByteArray::number(m_limits.pageSize + 1);
    QByteArrayList args;
    switch (load->page) {
    case Page::Newest:
        args = {"XREVRANGE", key, "+", "-", "COUNT", count};
        break;
    case Page::Same:
        args = {"XREVRANGE", key, load->anchor, "-", "COUNT", count};
        break;
    case Page::Older:
        args = {"XREVRANGE", key, '(' + load->anchor, "-", "COUNT", count};
        break;
    case Page::Newer:
        args = {"XRANGE", key, '(' + load->anchor, "+", "COUNT", count};
        break;
    }
    send(key, args, [this, load](const RedisValue &reply) {
        if (reply.isError()) {
            load->failed = true;
            load->error = errorText(reply);
        } else {
            QList<RoomHistoryEntry> entries = entriesOf(reply);
            const bool more = entries.size() > m_limits.pageSize;
            if (more)
                entries.resize(m_limits.pageSize);
            if (load->page == Page::Newer && !more) {
                // Fewer than a page after the anchor: that is the newest page, shown full.
                load->page = Page::Newest;
                return requestPage(load);
            }
            if (load->page == Page::Newer)
                std::reverse(entries.begin(), entries.end());
            load->pageRead = !(load->page == Page::Older && entries.isEmpty());
            load->entries = std::move(entries);
            load->hasOlder = load->page == Page::Newer || more;
            load->hasNewer = load->page != Page::Newest;
        }
        if (--load->outstanding == 0)
            finishHistory(load);
    });
}

void RoomDetailController::finishHistory(const std::shared_ptr<HistoryLoad> &load)
{
    m_historyLoading = false;
    m_historyError = load->error;
    m_historyLength = load->length;
    m_historyMemory = load->memory;
    m_historyTtl = load->ttl;
    if (load->type == u"none"_s) {
        m_historyState = KeyState::Missing;
        m_historyError.clear();
    } else if (!load->type.isEmpty() && load->type != u"stream"_s) {
        m_historyState = KeyState::WrongType;
        m_historyError = tr("%1 is a %2, not a stream").arg(QString::fromUtf8(m_historyKey), load->type);
    } else {
        m_historyState = load->failed ? KeyState::Failed : KeyState::Present;
    }
    if (m_historyState != KeyState::Present) {
        m_history->clear();
        m_hasOlder = m_hasNewer = false;
    } else if (load->pageRead) {
        m_history->setEntries(load->entries);
        m_hasOlder = load->hasOlder;
        m_hasNewer = load->hasNewer;
    } else {
        m_hasOlder = false; // the oldest page is shown already
    }
    Q_EMIT historyChanged();
}

// SPDX-License-Identifier: MIT
#include "fleetmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

FleetModel::FleetModel(QObject *parent)
    : KeyedTableModel(parent)
{
    m_clock.setInterval(std::chrono::seconds(1));
    m_clock.callOnTimeout(this, &FleetModel::tick);
}

void FleetModel::setDirectory(RelayDirectory *directory)
{
    if (m_directory)
        disconnect(m_directory, nullptr, this, nullptr);
    m_directory = directory;
    if (directory)
        connect(directory, &RelayDirectory::changed, this, &FleetModel::refresh);
    refresh();
}

void FleetModel::refresh()
{
    const QList<RelayInstanceStats> instances =
        m_directory ? m_directory->instances() : QList<RelayInstanceStats>();
    sync(std::vector<RelayInstanceStats>(instances.cbegin(), instances.cend()),
         {Qt::DisplayRole, Qt::ToolTipRole, SortRole, AlertRole, StaleRole});
    if (m_rows.empty())
        m_clock.stop();
    else if (!m_clock.isActive())
        m_clock.start();
    updateAlerts();
}

void FleetModel::setCanaryCells(const QHash<QString, FleetCanaryCell> &cells)
{
    m_canary = cells;
    if (!m_rows.empty()) {
        Q_EMIT dataChanged(index(0, CanaryColumn), index(rowCount() - 1, CanaryColumn),
                           {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {AlertRole});
    }
    updateAlerts();
}

int FleetModel::alertCount() const
{
    return m_alerts;
}

void FleetModel::updateAlerts()
{
    int alerts = 0;
    for (const RelayInstanceStats &s : m_rows)
        alerts += isAlert(s) ? 1 : 0;
    if (alerts != m_alerts) {
        m_alerts = alerts;
        Q_EMIT alertsChanged(alerts);
    }
}

bool FleetModel::isAlert(const RelayInstanceStats &s) const
{
    const FleetCanaryCell::State canary = m_canary.value(s.key).state;
    return s.stale || !s.busConnected() || canary == FleetCanaryCell::State::Missing ||
           canary == FleetCanaryCell::State::Unreachable;
}

void FleetModel::tick()
{
    if (m_rows.empty())
        return;
    const int last = rowCount() - 1;
    Q_EMIT dataChanged(index(0, UptimeColumn), index(last, UptimeColumn), {Qt::DisplayRole, SortRole});
    Q_EMIT dataChanged(index(0, HeartbeatColumn), index(last, HeartbeatColumn), {Qt::DisplayRole, SortRole});
}

int FleetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

unsigned FleetModel::changedColumns(const RelayInstanceStats &a, const RelayInstanceStats &b) const
{
    unsigned mask = 0;
    const auto mark = [&mask](int column, bool changed) {
        mask |= changed ? 1u << column : 0u;
    };
    mark(InstanceColumn, a.stale != b.stale);
    mark(HostColumn, a.host != b.host || a.pid != b.pid);
    mark(UrlColumn, a.url != b.url || a.listenUrl != b.listenUrl);
    mark(VersionColumn, a.version != b.version);
    mark(UptimeColumn, a.startedAt != b.startedAt);
    mark(ClientsColumn, a.clients != b.clients || a.canaries != b.canaries);
    mark(RoomsColumn, a.rooms != b.rooms);
    mark(InRateColumn, a.framesInPerSecond != b.framesInPerSecond);
    mark(OutRateColumn, a.framesOutPerSecond != b.framesOutPerSecond);
    mark(QueuedColumn, a.queuedBytes != b.queuedBytes || a.maxOutboundBytes != b.maxOutboundBytes);
    mark(BusColumn, a.bus != b.bus);
    mark(ProtectionColumn, a.protection != b.protection);
    mark(HeartbeatColumn, a.receivedAt != b.receivedAt);
    // Staleness and the bus colour the whole row.
    if (a.stale != b.stale || a.busConnected() != b.busConnected())
        mask = (1u << ColumnCount) - 1;
    return mask;
}

QVariant FleetModel::data(const QModelIndex &index, int role) const
{
    const RelayInstanceStats *s = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!s)
        return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return display(*s, column);
    case SortRole:
        return sortValue(*s, column);
    case Qt::ToolTipRole:
        return toolTip(*s, column);
    case KeyRole:
        return s->key;
    case AlertRole:
        return isAlert(*s);
    case StaleRole:
        return s->stale;
    case Qt::TextAlignmentRole:
        return column >= ClientsColumn && column <= ProtectionColumn && column != BusColumn
                   ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                   : QVariant();
    default:
        return {};
    }
}

QString FleetModel::formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString FleetModel::formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return {};
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    if (seconds < 86400)
        return tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
    return tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

static QString rate(double perSecond)
{
    if (perSecond < 0)
        return u"…"_s;
    return QLocale().toString(perSecond, 'f', perSecond < 10 ? 1 : 0);
}

static qint64 ageSeconds(const QDateTime &since)
{
    return since.isValid() ? since.secsTo(QDateTime::currentDateTimeUtc()) : -1;
}

QVariant FleetModel::display(const RelayInstanceStats &s, int column) const
{
    switch (column) {
    case InstanceColumn:
        return s.prefix.isEmpty() ? s.instance : u"%1 (%2)"_s.arg(s.instance, QString::fromUtf8(s.prefix));
    case HostColumn:
        return s.host.isEmpty() ? QString() : s.pid > 0 ? u"%1 (pid %2)"_s.arg(s.host).arg(s.pid) : s.host;
    case UrlColumn:
        return s.url;
    case VersionColumn:
        return s.version;
    case UptimeColumn:
        return formatDuration(ageSeconds(s.startedAt));
    case ClientsColumn:
        return QLocale().toString(s.clients);
    case RoomsColumn:
        return QLocale().toString(s.rooms);
    case InRateColumn:
        return rate(s.framesInPerSecond);
    case OutRateColumn:
        return rate(s.framesOutPerSecond);
    case QueuedColumn:
        return formatBytes(s.queuedBytes);
    case BusColumn: {
        if (s.bus.isEmpty())
            return tr("in-process");
        const qint64 pending = s.bus.value("pendingPublishes"_L1).toInteger();
        if (!s.busConnected())
            return tr("outage, %n queued", nullptr, int(pending));
        return pending > 0 ? tr("up, %n queued", nullptr, int(pending)) : tr("up");
    }
    case ProtectionColumn:
        return QLocale().toString(s.protectionTotal());
    case CanaryColumn:
        return m_canary.value(s.key).text;
    case HeartbeatColumn:
        return s.stale ? tr("%1 ago (stale)").arg(formatDuration(ageSeconds(s.receivedAt)))
                       : tr("%1 ago").arg(formatDuration(ageSeconds(s.receivedAt)));
    default:
        return {};
    }
}

QVariant FleetModel::sortValue(const RelayInstanceStats &s, int column) const
{
    switch (column) {
    case UptimeColumn:
        return ageSeconds(s.startedAt);
    case ClientsColumn:
        return s.clients;
    case RoomsColumn:
        return s.rooms;
    case InRateColumn:
        return s.framesInPerSecond;
    case OutRateColumn:
        return s.framesOutPerSecond;
    case QueuedColumn:
        return s.queuedBytes;
    case BusColumn:
        return s.busConnected() ? s.bus.value("pendingPublishes"_L1).toInteger() : -1;
    case ProtectionColumn:
        return s.protectionTotal();
    case CanaryColumn:
        return int(m_canary.value(s.key).state);
    case HeartbeatColumn:
        return ageSeconds(s.receivedAt);
    default:
        return display(s, column);
    }
}

static QString counterLines(const QJsonObject &o)
{
    QStringList lines;
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const QJsonValue v = it.value();
        const QString value =
            v.isBool() ? (v.toBool() ? u"yes"_s : u"no"_s) : QLocale().toString(v.toInteger());
        lines.append(u"%1: %2"_s.arg(it.key(), value));
    }
    return lines.join(u'\n');
}

QString FleetModel::toolTip(const RelayInstanceStats &s, int column) const
{
    switch (column) {
    case InstanceColumn:
        return s.stale ? tr("No heartbeat for %1 intervals: stale. Dropped after %2 intervals.")
                             .arg(RelayDirectory::StaleFactor)
                             .arg(m_directory ? m_directory->removalFactor()
                                              : RelayDirectory::DefaultRemovalFactor)
                       : tr("Instance id; channel prefix: %1")
                             .arg(s.prefix.isEmpty() ? tr("none") : QString::fromUtf8(s.prefix));
    case UrlColumn:
        return tr("Advertised: %1\nListening: %2").arg(s.url, s.listenUrl);
    case ClientsColumn:
        return tr("%1 clients, %2 canary connections not counted").arg(s.clients).arg(s.canaries);
    case InRateColumn:
    case OutRateColumn:
        return tr("Client frames per second between the last two heartbeats\n"
                  "In: %1 frames, %2; out: %3 frames, %4; bus messages: %5/s")
            .arg(s.traffic.framesIn)
            .arg(formatBytes(qint64(s.traffic.bytesIn)))
            .arg(s.traffic.framesOut)
            .arg(formatBytes(qint64(s.traffic.bytesOut)))
            .arg(rate(s.busMessagesPerSecond));
    case QueuedColumn:
        return s.maxOutboundBytes > 0
                   ? tr("Bytes waiting for slow clients; one client is closed past %1 (--max-outbound-bytes)")
                         .arg(formatBytes(s.maxOutboundBytes))
                   : tr("Bytes waiting for slow clients");
    case BusColumn:
        return s.bus.isEmpty() ? tr("In-process bus: no Redis") : counterLines(s.bus);
    case ProtectionColumn:
        return counterLines(s.protection);
    case CanaryColumn:
        return m_canary.value(s.key).toolTip;
    case HeartbeatColumn:
        return tr("Every %1 ms; relay clock %2")
            .arg(s.interval.count())
            .arg(s.at.toString(Qt::ISODateWithMs));
    default:
        return {};
    }
}

QVariant FleetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static constexpr const char *titles[ColumnCount] = {
        QT_TR_NOOP("Relay"),  QT_TR_NOOP("Host"),      QT_TR_NOOP("URL"),   QT_TR_NOOP("Version"),
        QT_TR_NOOP("Uptime"), QT_TR_NOOP("Clients"),   QT_TR_NOOP("Rooms"), QT_TR_NOOP("In/s"),
        QT_TR_NOOP("Out/s"),  QT_TR_NOOP("Queued"),    QT_TR_NOOP("Bus"),   QT_TR_NOOP("Protection"),
        QT_TR_NOOP("Canary"), QT_TR_NOOP("Heartbeat"),
    };
    static constexpr const char *tips[ColumnCount] = {
        QT_TR_NOOP("Instance id (channel prefix)"),
        QT_TR_NOOP("Host name and process id"),
        QT_TR_NOOP("The URL clients reach it at (--advertise-url)"),
        QT_TR_NOOP("switchboard-relay version"),
        QT_TR_NOOP("Since the relay started"),
        QT_TR_NOOP("Connected WebSocket clients"),
        QT_TR_NOOP("Rooms with local members"),
        QT_TR_NOOP("Frames from clients per second"),
        QT_TR_NOOP("Frames to clients per second"),
        QT_TR_NOOP("Bytes queued for slow clients"),
        QT_TR_NOOP("Redis connection and outage queue"),
        QT_TR_NOOP("Frames dropped and connections closed or refused by the relay's limits"),
        QT_TR_NOOP("Delivery canary: latency p50 / p99, or why it fails"),
        QT_TR_NOOP("Since the last heartbeat"),
    };
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(tips[section]);
    return {};
}

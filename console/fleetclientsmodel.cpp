// SPDX-License-Identifier: MIT
#include "fleetclientsmodel.h"

#include "fleetmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

FleetClientsModel::FleetClientsModel(QObject *parent)
    : KeyedTableModel(parent)
{}

void FleetClientsModel::setDirectory(RelayDirectory *directory)
{
    if (m_directory)
        disconnect(m_directory, nullptr, this, nullptr);
    m_directory = directory;
    if (directory)
        connect(directory, &RelayDirectory::changed, this, &FleetClientsModel::refresh);
    refresh();
}

void FleetClientsModel::setRelay(const QString &key)
{
    if (key == m_key)
        return;
    m_key = key;
    sync({}, {}); // client ids repeat across relays
    refresh();
}

void FleetClientsModel::refresh()
{
    std::vector<RelayClientLoad> rows;
    const auto stats = m_directory && !m_key.isEmpty() ? m_directory->instance(m_key) : std::nullopt;
    const qint64 limit = stats ? stats->maxOutboundBytes : 0;
    const bool limitChanged = limit != m_limit;
    m_limit = limit;
    if (stats)
        rows.assign(stats->topClients.cbegin(), stats->topClients.cend());
    sync(std::move(rows), {Qt::DisplayRole, SortRole});
    if (limitChanged && rowCount() > 0)
        Q_EMIT dataChanged(index(0, ShareColumn), index(rowCount() - 1, ShareColumn),
                           {Qt::DisplayRole, SortRole});
}

unsigned FleetClientsModel::changedColumns(const RelayClientLoad &a, const RelayClientLoad &b) const
{
    unsigned mask = 0;
    mask |= a.address != b.address ? 1u << AddressColumn : 0u;
    mask |= a.queuedBytes != b.queuedBytes ? (1u << QueuedColumn) | (1u << ShareColumn) : 0u;
    mask |= a.rooms != b.rooms ? 1u << RoomsColumn : 0u;
    mask |= a.framesIn != b.framesIn ? 1u << InColumn : 0u;
    mask |= a.framesOut != b.framesOut ? 1u << OutColumn : 0u;
    mask |= a.connectedAt != b.connectedAt ? 1u << SinceColumn : 0u;
    return mask;
}

int FleetClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetClientsModel::data(const QModelIndex &index, int role) const
{
    const RelayClientLoad *c = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!c)
        return {};
    if (role == Qt::TextAlignmentRole && index.column() != AddressColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::DisplayRole || role == SortRole)
        return value(*c, index.column(), role == SortRole);
    return {};
}

QVariant FleetClientsModel::value(const RelayClientLoad &c, int column, bool forSorting) const
{
    const QLocale locale;
    switch (column) {
    case IdColumn:
        return forSorting ? QVariant(c.id) : QVariant(QString::number(c.id));
    case AddressColumn:
        return c.address;
    case QueuedColumn:
        return forSorting ? QVariant(c.queuedBytes) : QVariant(FleetModel::formatBytes(c.queuedBytes));
    case ShareColumn: {
        const double share = m_limit > 0 ? 100.0 * double(c.queuedBytes) / double(m_limit) : -1;
        if (forSorting)
            return share;
        return share < 0 ? QString() : u"%1 %"_s.arg(locale.toString(share, 'f', share < 10 ? 1 : 0));
    }
    case RoomsColumn:
        return forSorting ? QVariant(c.rooms) : QVariant(locale.toString(c.rooms));
    case InColumn:
        return forSorting ? QVariant(c.framesIn) : QVariant(locale.toString(c.framesIn));
    case OutColumn:
        return forSorting ? QVariant(c.framesOut) : QVariant(locale.toString(c.framesOut));
    case SinceColumn: {
        const qint64 age =
            c.connectedAt.isValid() ? c.connectedAt.secsTo(QDateTime::currentDateTimeUtc()) : -1;
        return forSorting ? QVariant(age) : QVariant(FleetModel::formatDuration(age));
    }
    default:
        return {};
    }
}

QVariant FleetClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static constexpr const char *titles[ColumnCount] = {
        QT_TR_NOOP("Client"), QT_TR_NOOP("Address"),   QT_TR_NOOP("Queued"),     QT_TR_NOOP("Of limit"),
        QT_TR_NOOP("Rooms"),  QT_TR_NOOP("Frames in"), QT_TR_NOOP("Frames out"), QT_TR_NOOP("Connected for"),
    };
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

// SPDX-License-Identifier: MIT
#include "fleetroomsmodel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

FleetRoomsModel::FleetRoomsModel(QObject *parent)
    : KeyedTableModel(parent)
{}

void FleetRoomsModel::setDirectory(RelayDirectory *directory)
{
    if (m_directory)
        disconnect(m_directory, nullptr, this, nullptr);
    m_directory = directory;
    if (directory)
        connect(directory, &RelayDirectory::changed, this, &FleetRoomsModel::refresh);
    refresh();
}

void FleetRoomsModel::setRelay(const QString &key)
{
    if (key == m_key)
        return;
    m_key = key;
    sync({}, {}); // another relay's rooms are other rows, even where the channel is the same
    refresh();
}

void FleetRoomsModel::refresh()
{
    std::vector<FleetRoomRow> rows;
    if (const auto stats = m_directory && !m_key.isEmpty() ? m_directory->instance(m_key) : std::nullopt) {
        m_prefix = stats->prefix;
        rows.reserve(size_t(stats->channels.size()));
        for (auto it = stats->channels.cbegin(); it != stats->channels.cend(); ++it)
            rows.push_back({it.key(), it.value()});
    }
    sync(std::move(rows), {Qt::DisplayRole, SortRole});
}

int FleetRoomsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FleetRoomsModel::data(const QModelIndex &index, int role) const
{
    const FleetRoomRow *r = index.isValid() ? rowAt(index.row()) : nullptr;
    if (!r)
        return {};
    if (role == Qt::TextAlignmentRole && index.column() == MembersColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case RoomColumn: {
        const QByteArray local =
            r->channel.startsWith(m_prefix) ? r->channel.mid(m_prefix.size()) : r->channel;
        if (local == "broadcast")
            return tr("(broadcast)");
        return QString::fromUtf8(local.startsWith("room:") ? local.mid(5) : local);
    }
    case ChannelColumn:
        return QString::fromUtf8(r->channel);
    case MembersColumn:
        return role == SortRole ? QVariant(r->members) : QVariant(QLocale().toString(r->members));
    default:
        return {};
    }
}

QVariant FleetRoomsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RoomColumn:
        return tr("Room");
    case ChannelColumn:
        return tr("Channel");
    case MembersColumn:
        return tr("Local clients");
    default:
        return {};
    }
}

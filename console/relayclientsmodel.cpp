// SPDX-License-Identifier: MIT
#include "relayclientsmodel.h"

#include "rowdiff.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

RelayClientsModel::RelayClientsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &RelayClientsModel::refresh);
    m_soon.setSingleShot(true);
    m_soon.setInterval(0);
    connect(&m_soon, &QTimer::timeout, this, &RelayClientsModel::refresh);
}

void RelayClientsModel::setServer(RelayServer *server)
{
    if (m_server)
        m_server->disconnect(this);
    m_server = server;
    if (server) {
        connect(server, &RelayServer::clientConnected, this, &RelayClientsModel::scheduleRefresh);
        connect(server, &RelayServer::clientDisconnected, this, &RelayClientsModel::scheduleRefresh);
        connect(server, &QObject::destroyed, this, &RelayClientsModel::refresh, Qt::QueuedConnection);
        m_timer.start();
    } else {
        m_timer.stop();
    }
    refresh();
}

void RelayClientsModel::scheduleRefresh()
{
    if (!m_soon.isActive())
        m_soon.start();
}

void RelayClientsModel::refresh()
{
    QList<RelayClientInfo> now = m_server ? m_server->clients() : QList<RelayClientInfo>();
    std::sort(now.begin(), now.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    QList<quint64> ids;
    ids.reserve(now.size());
    for (const auto &c : now)
        ids.append(c.id);
    removeVanishedRows(
        m_rows,
        [&ids](const RelayClientInfo &c) { return std::binary_search(ids.cbegin(), ids.cend(), c.id); },
        [this](int first, int last) {
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        });
    // Ids only grow, so what is left is a prefix of `now` plus new clients at the end.
    int changedFirst = -1;
    int changedLast = -1;
    for (int row = 0; row < m_rows.size(); ++row) {
        const RelayClientInfo &fresh = now[row];
        RelayClientInfo &old = m_rows[row];
        if (old.rooms != fresh.rooms || old.framesIn != fresh.framesIn || old.framesOut != fresh.framesOut ||
            old.queuedBytes != fresh.queuedBytes) {
            old = fresh;
            changedFirst = changedFirst < 0 ? row : changedFirst;
            changedLast = row;
        }
    }
    if (changedFirst >= 0)
        Q_EMIT dataChanged(index(changedFirst, RoomsColumn), index(changedLast, QueuedColumn),
                           {Qt::DisplayRole});
    if (now.size() > m_rows.size()) {
        beginInsertRows({}, int(m_rows.size()), int(now.size()) - 1);
        m_rows.append(now.mid(m_rows.size()));
        endInsertRows();
    }
}

int RelayClientsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RelayClientsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RelayClientsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RelayClientInfo &c = m_rows[index.row()];
    if (role == ClientIdRole)
        return c.id;
    if (role == Qt::TextAlignmentRole) {
        const int col = index.column();
        return col == IdColumn || col == InColumn || col == OutColumn || col == QueuedColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case IdColumn:
        return c.id;
    case AddressColumn:
        return c.peer;
    case RoomsColumn:
        return c.rooms.join(u", "_s);
    case InColumn:
        return locale.toString(qulonglong(c.framesIn));
    case OutColumn:
        return locale.toString(qulonglong(c.framesOut));
    case QueuedColumn:
        return locale.toString(c.queuedBytes);
    case SinceColumn:
        return c.connectedAt.toString(u"HH:mm:ss"_s);
    }
    return {};
}

QVariant RelayClientsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Id");
    case AddressColumn:
        return tr("Address");
    case RoomsColumn:
        return tr("Rooms");
    case InColumn:
        return tr("Messages in");
    case OutColumn:
        return tr("Messages out");
    case QueuedColumn:
        return tr("Queued bytes");
    case SinceColumn:
        return tr("Connected since");
    }
    return {};
}

RelayRoomsModel::RelayRoomsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setInterval(500);
    connect(&m_timer, &QTimer::timeout, this, &RelayRoomsModel::refresh);
}

void RelayRoomsModel::setServer(RelayServer *server)
{
    if (m_server)
        m_server->disconnect(this);
    m_server = server;
    if (server) {
        connect(server, &RelayServer::roomOpened, this, &RelayRoomsModel::refresh, Qt::QueuedConnection);
        connect(server, &RelayServer::roomClosed, this, &RelayRoomsModel::refresh, Qt::QueuedConnection);
        m_timer.start();
    } else {
        m_timer.stop();
    }
    refresh();
}

void RelayRoomsModel::refresh()
{
    QStringList rooms = m_server ? m_server->rooms() : QStringList();
    std::sort(rooms.begin(), rooms.end());
    removeVanishedRows(
        m_rows, [&rooms](const Row &r) { return std::binary_search(rooms.cbegin(), rooms.cend(), r.room); },
        [this](int first, int last) {
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        });
    int row = 0;
    for (const QString &room : std::as_const(rooms)) {
        const int members = m_server->roomMemberCount(room);
        if (row < m_rows.size() && m_rows[row].room == room) {
            if (m_rows[row].members != members) {
                m_rows[row].members = members;
                Q_EMIT dataChanged(index(row, MembersColumn), index(row, MembersColumn), {Qt::DisplayRole});
            }
        } else {
            beginInsertRows({}, row, row);
            m_rows.insert(row, {room, m_server->roomChannel(room), members});
            endInsertRows();
        }
        ++row;
    }
}

int RelayRoomsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RelayRoomsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RelayRoomsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    if (role == Qt::TextAlignmentRole)
        return index.column() == MembersColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case RoomColumn:
        return r.room;
    case ChannelColumn:
        return QString::fromUtf8(r.channel);
    case MembersColumn:
        return r.members;
    }
    return {};
}

QVariant RelayRoomsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RoomColumn:
        return tr("Room");
    case ChannelColumn:
        return tr("Channel");
    case MembersColumn:
        return tr("Members");
    }
    return {};
}

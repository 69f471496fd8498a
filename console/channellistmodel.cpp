// SPDX-License-Identifier: MIT
#include "channellistmodel.h"

#include "changedruns.h"

#include "relaydirectory.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <ctime>

using namespace Qt::StringLiterals;


using namespace ChannelColumns;

ChannelListModel::ChannelListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int ChannelListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size() + m_tail.size() - m_tailPos);
}

int ChannelListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : Count;
}

QVariant ChannelListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = rowAt(size_t(index.row()));
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return column == Name ? QVariant(QString::fromUtf8(row.name)) : display(column, row.values);
    case SortRole:
        return column == Name ? QVariant(QString::fromUtf8(row.name)) : sortValue(column, row.values);
    case Qt::TextAlignmentRole:
        return alignment(column);
    case Qt::ToolTipRole:
        if (column == Name)
            return QString::fromUtf8(row.name);
        return headerToolTip(column);
    case ChannelNameRole:
        return row.name;
    case IsGroupRole:
        return false;
    case IsChannelRole:
        return true;
    default:
        return {};
    }
}

QVariant ChannelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole)
        return headerText(section);
    if (role == Qt::ToolTipRole)
        return headerToolTip(section);
    if (role == Qt::TextAlignmentRole)
        return alignment(section);
    return {};
}

Values ChannelListModel::valuesFor(const QByteArray &name, qint64 subscribers) const
{
    Values v;
    v.subscribers = subscribers;
    if (m_directory) {
        v.relays = m_directory->relaysFor(name);
        v.relayClients = m_directory->relayClientsFor(name);
    }
    if (const auto it = m_traffic.constFind(name); it != m_traffic.cend())
        v.traffic = *it;
    v.kind = kindOf(name);
    return v;
}

QString ChannelListModel::kindOf(const QByteArray &name) const
{
    if (m_kinds.clusterNodes <= 0)
        return {};
    if (!m_kinds.sharded.contains(name))
        return m_classicText;
    return kindText(m_kinds, name);
}

void ChannelListModel::setClusterKinds(const PubSubSnapshot &snapshot)
{
    PubSubSnapshot before;
    before.clusterNodes = std::exchange(m_kinds.clusterNodes, snapshot.clusterNodes);
    before.sharded = std::exchange(m_kinds.sharded, snapshot.sharded);
    m_classicText = m_kinds.clusterNodes > 0 ? kindText(m_kinds, QByteArray()) : QString();
    if (before.clusterNodes <= 0 && m_kinds.clusterNodes <= 0)
        return;
    const size_t rows = rowTotal();
    if ((before.clusterNodes > 0) != (m_kinds.clusterNodes > 0)) {
        for (size_t i = 0; i < rows; ++i)
            rowAt(i).values.kind = kindOf(rowAt(i).name);
        if (rows > 0)
            Q_EMIT dataChanged(index(0, Kind), index(int(rows) - 1, Kind), {Qt::DisplayRole, SortRole});
        return;
    }
    // Only the channels sharded before or now can have changed.
    QSet<QByteArray> touched;
    for (auto it = before.sharded.cbegin(); it != before.sharded.cend(); ++it)
        touched.insert(it.key());
    for (auto it = m_kinds.sharded.cbegin(); it != m_kinds.sharded.cend(); ++it)
        touched.insert(it.key());
    for (const QByteArray &name : std::as_const(touched)) {
        const int row = rowOf(name);
        if (row < 0)
            continue;
        QString kind = kindOf(name);
        if (rowAt(size_t(row)).values.kind == kind)
            continue;
        rowAt(size_t(row)).values.kind = std::move(kind);
        Q_EMIT dataChanged(index(row, Kind), index(row, Kind), {Qt::DisplayRole, SortRole});
    }
}

void ChannelListModel::applySnapshot(const PubSubSnapshot &snapshot)
{
    abandonDiff();
    setClusterKinds(snapshot);
    const auto byName = [](const PubSubSnapshot::Channel &a, const PubSubSnapshot::Channel &b) {
        return a.name < b.name;
    };
    QList<PubSubSnapshot::Channel> sortedCopy;
    const QList<PubSubSnapshot::Channel> *incoming = &snapshot.channels;
    if (!std::is_sorted(snapshot.channels.cbegin(), snapshot.channels.cend(), byName)) {
        sortedCopy = snapshot.channels;
        std::sort(sortedCopy.begin(), sortedCopy.end(), byName);
        incoming = &sortedCopy;
    }
    const QList<PubSubSnapshot::Channel> &next = *incoming;

    // One merge pass. Rows already passed live in m_rows, the rest in m_tail from m_tailPos; vanished
    // rows are removed and new ones inserted in contiguous ranges at the boundary.
    m_tail = std::move(m_rows);
    m_rows.clear();
    m_rows.reserve(size_t(next.size()));
    m_tailPos = 0;
    std::vector<unsigned> masks;
    masks.reserve(size_t(next.size()));
    m_totalSubscribers = 0;
    qsizetype j = 0;
    while (m_tailPos < m_tail.size() || j < next.size()) {
        const int at = int(m_rows.size());
        if (m_tailPos < m_tail.size() && j < next.size() && m_tail[m_tailPos].name == next[j].name) {
            Row &row = m_tail[m_tailPos];
            unsigned mask = 0;
            if (row.values.subscribers != next[j].subscribers) {
                row.values.subscribers = next[j].subscribers;
                mask = 1u << Subscribers;
            }
            if (QString kind = kindOf(next[j].name); row.values.kind != kind) {
                row.values.kind = std::move(kind);
                mask |= 1u << Kind;
            }
            m_totalSubscribers += std::max<qint64>(0, next[j].subscribers);
            m_rows.push_back(std::move(row));
            masks.push_back(mask);
            ++m_tailPos;
            ++j;
        } else if (m_tailPos < m_tail.size() && (j >= next.size() || m_tail[m_tailPos].name < next[j].name)) {
            size_t end = m_tailPos;
            while (end < m_tail.size() && (j >= next.size() || m_tail[end].name < next[j].name))
                ++end;
            beginRemoveRows({}, at, at + int(end - m_tailPos) - 1);
            m_tailPos = end;
            endRemoveRows();
        } else {
            qsizetype end = j;
            while (end < next.size() &&
                   (m_tailPos >= m_tail.size() || next[end].name < m_tail[m_tailPos].name))
                ++end;
            beginInsertRows({}, at, at + int(end - j) - 1);
            for (; j < end; ++j) {
                m_totalSubscribers += std::max<qint64>(0, next[j].subscribers);
                m_rows.push_back({next[j].name, valuesFor(next[j].name, next[j].subscribers)});
                masks.push_back(0);
            }
            endInsertRows();
        }
    }
    m_tail.clear();
    m_tailPos = 0;
    emitChanged(masks);
}

const ChannelListModel::Row &ChannelListModel::rowAt(size_t row) const
{
    return row < m_rows.size() ? m_rows[row] : m_tail[row - m_rows.size() + m_tailPos];
}

ChannelListModel::Row &ChannelListModel::rowAt(size_t row)
{
    return row < m_rows.size() ? m_rows[row] : m_tail[row - m_rows.size() + m_tailPos];
}

void ChannelListModel::beginDiff(std::shared_ptr<const ChannelDiff> diff)
{
    abandonDiff();
    if (!diff || diff->isEmpty())
        return;
    Q_ASSERT(int(m_rows.size()) == diff->rowsBefore);
    m_diff = std::move(diff);
    m_op = 0;
    m_opDone = 0;
    // A diff of counts only changes rows in place; anything else moves the rows across once.
    const bool countsOnly =
        std::all_of(m_diff->ops.cbegin(), m_diff->ops.cend(),
                    [](const ChannelDiff::Op &op) { return op.kind == ChannelDiff::Op::Kind::Recount; });
    if (countsOnly)
        return;
    m_tail = std::move(m_rows);
    m_rows = {};
    m_rows.reserve(size_t(m_diff->rowsAfter));
    m_tailPos = 0;
}

bool ChannelListModel::passRowsUntil(size_t row, const QDeadlineTimer &deadline)
{
    if (m_tail.empty())
        return true; // in place
    while (m_rows.size() < row) {
        const size_t end = std::min(row, m_rows.size() + 65536);
        while (m_rows.size() < end)
            m_rows.push_back(std::move(m_tail[m_tailPos++]));
        if (m_rows.size() < row && deadline.hasExpired())
            return false;
    }
    return true;
}

bool ChannelListModel::applyStep(const ChannelDiff::Op &op, const QDeadlineTimer &deadline)
{
    using Kind = ChannelDiff::Op::Kind;
    const int at = op.row + (op.kind == Kind::Remove ? 0 : m_opDone);
    if (!passRowsUntil(size_t(at), deadline))
        return false;
    const int n = std::min(m_chunk, op.count - m_opDone);
    const qsizetype from = op.first + m_opDone;
    switch (op.kind) {
    case Kind::Remove:
        beginRemoveRows({}, at, at + n - 1);
        for (int k = 0; k < n; ++k)
            m_totalSubscribers -= std::max<qint64>(0, m_tail[m_tailPos + size_t(k)].values.subscribers);
        m_tailPos += size_t(n);
        endRemoveRows();
        break;
    case Kind::Insert:
        beginInsertRows({}, at, at + n - 1);
        for (qsizetype k = from; k < from + n; ++k) {
            const PubSubSnapshot::Channel &c = m_diff->channels[k];
            m_totalSubscribers += std::max<qint64>(0, c.subscribers);
            m_rows.push_back({c.name, valuesFor(c.name, c.subscribers)});
        }
        endInsertRows();
        break;
    case Kind::Recount:
        for (qsizetype k = from; k < from + n; ++k) {
            Row &row = rowAt(size_t(at + (k - from)));
            m_totalSubscribers += std::max<qint64>(0, m_diff->channels[k].subscribers) -
                                  std::max<qint64>(0, row.values.subscribers);
            row.values.subscribers = m_diff->channels[k].subscribers;
        }
        if (!m_tail.empty())
            passRowsUntil(size_t(at + n), QDeadlineTimer(QDeadlineTimer::Forever));
        Q_EMIT dataChanged(index(at, Subscribers), index(at + n - 1, Subscribers),
                           {Qt::DisplayRole, SortRole});
        break;
    }
    m_opDone += n;
    return m_opDone == op.count;
}

bool ChannelListModel::applyDiffSlice(const QDeadlineTimer &deadline)
{
    while (m_diff) {
        if (m_op == m_diff->ops.size()) {
            if (!passRowsUntil(rowTotal(), deadline))
                return false;
            std::vector<Row>().swap(m_tail);
            m_tailPos = 0;
            m_diff.reset();
            break;
        }
        const qint64 started = threadCpuUs();
        const bool done = applyStep(m_diff->ops[m_op], deadline);
        // Rows per step follow what a step costs this thread (the proxies and views included; CPU time,
        // so that being preempted on a busy machine does not shrink the steps): about 2 ms.
        const qint64 us = threadCpuUs() - started;
        if (us < 1000)
            m_chunk = std::min(m_chunk * 2, 1 << 16);
        else if (us > 4000)
            m_chunk = std::max(m_chunk / 2, 256); // fixed costs per step are O(rows) in the proxies
        if (done) {
            ++m_op;
            m_opDone = 0;
        }
        if (deadline.hasExpired())
            return !m_diff;
    }
    return true;
}

void ChannelListModel::abandonDiff()
{
    if (!m_diff)
        return;
    // The rows shown are m_rows followed by the rest of m_tail: they stay.
    m_rows.reserve(rowTotal());
    for (; m_tailPos < m_tail.size(); ++m_tailPos)
        m_rows.push_back(std::move(m_tail[m_tailPos]));
    std::vector<Row>().swap(m_tail);
    m_tailPos = 0;
    m_diff.reset();
}

void ChannelListModel::updateRows(const std::function<Values(const Row &)> &compute)
{
    std::vector<unsigned> masks(rowTotal(), 0);
    for (size_t i = 0; i < masks.size(); ++i) {
        Row &row = rowAt(i);
        Values v = compute(row);
        v.kind = row.values.kind;
        masks[i] = changedColumns(row.values, v);
        if (masks[i])
            row.values = std::move(v);
    }
    emitChanged(masks);
}

void ChannelListModel::emitChanged(const std::vector<unsigned> &masks)
{
    static const QList<int> roles{Qt::DisplayRole, SortRole};
    forEachChangedRun(masks, Count, [&](int column, int first, int last) {
        Q_EMIT dataChanged(index(first, column), index(last, column), roles);
    });
}

void ChannelListModel::setTraffic(const ChannelTrafficMap &traffic)
{
    // Only the channels whose traffic changed: the tap meters a few, the list may hold millions.
    const QByteArrayList touched = changedTraffic(m_traffic, traffic);
    m_traffic = traffic;
    for (const QByteArray &name : touched) {
        const int at = rowOf(name);
        if (at < 0)
            continue;
        Row &row = rowAt(size_t(at));
        Values v = row.values;
        if (const auto it = m_traffic.constFind(name); it != m_traffic.cend())
            v.traffic = *it;
        else
            v.traffic.reset();
        const unsigned mask = changedColumns(row.values, v);
        row.values = std::move(v);
        for (int column = 0; column < Count; ++column) {
            if (mask & (1u << column))
                Q_EMIT dataChanged(index(at, column), index(at, column), {Qt::DisplayRole, SortRole});
        }
    }
}

void ChannelListModel::setRelayDirectory(RelayDirectory *directory)
{
    if (m_directory == directory)
        return;
    disconnect(m_directoryConnection);
    m_directory = directory;
    if (directory)
        m_directoryConnection =
            connect(directory, &RelayDirectory::changed, this, &ChannelListModel::refreshRelays);
    refreshRelays();
}

RelayDirectory *ChannelListModel::relayDirectory() const
{
    return m_directory;
}

void ChannelListModel::refreshRelays()
{
    // A heartbeat changes the columns of the channels the relays report, not of a million others.
    QByteArrayList touched;
    if (!m_relayView.update(m_directory, touched)) {
        for (const QByteArray &name : std::as_const(touched)) {
            const int at = rowOf(name);
            if (at < 0)
                continue;
            Row &row = rowAt(size_t(at));
            Values v = row.values;
            v.relays = m_directory ? m_directory->relaysFor(name) : std::nullopt;
            v.relayClients = m_directory ? m_directory->relayClientsFor(name) : std::nullopt;
            const unsigned mask = changedColumns(row.values, v);
            row.values = std::move(v);
            for (int column = 0; column < Count; ++column) {
                if (mask & (1u << column))
                    Q_EMIT dataChanged(index(at, column), index(at, column), {Qt::DisplayRole, SortRole});
            }
        }
        return;
    }
    updateRows([this](const Row &row) {
        Values v = row.values;
        v.relays = m_directory ? m_directory->relaysFor(row.name) : std::nullopt;
        v.relayClients = m_directory ? m_directory->relayClientsFor(row.name) : std::nullopt;
        return v;
    });
}

QByteArray ChannelListModel::channelAt(int row) const
{
    return row >= 0 && size_t(row) < rowTotal() ? rowAt(size_t(row)).name : QByteArray();
}

int ChannelListModel::rowOf(const QByteArray &channel) const
{
    // The rows shown, m_rows then m_tail from m_tailPos, are sorted by name throughout.
    const auto byName = [](const Row &r, const QByteArray &name) {
        return r.name < name;
    };
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), channel, byName);
    if (it != m_rows.cend())
        return it->name == channel ? int(it - m_rows.cbegin()) : -1;
    const auto tailStart = m_tail.cbegin() + qsizetype(std::min(m_tailPos, m_tail.size()));
    const auto t = std::lower_bound(tailStart, m_tail.cend(), channel, byName);
    return t != m_tail.cend() && t->name == channel ? int(m_rows.size() + size_t(t - tailStart)) : -1;
}

qint64 ChannelListModel::subscribersFor(const QByteArray &channel) const
{
    const int row = rowOf(channel);
    return row < 0 ? 0 : rowAt(size_t(row)).values.subscribers; // -1: unknown
}

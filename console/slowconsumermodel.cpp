// SPDX-License-Identifier: MIT
#include "slowconsumermodel.h"

#include "rowdiff.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString bytes(qint64 n)
{
    return n < 0 ? QString() : QLocale().formattedDataSize(n, 1, QLocale::DataSizeIecFormat);
}

QString share(double s)
{
    return s < 0 ? QString() : QLocale().toString(s * 100.0, 'f', 0) + u" %"_s;
}

} // namespace

SlowConsumerModel::SlowConsumerModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void SlowConsumerModel::setMonitor(SlowConsumerMonitor *monitor)
{
    if (m_monitor)
        m_monitor->disconnect(this);
    m_monitor = monitor;
    if (monitor) {
        connect(monitor, &SlowConsumerMonitor::warningsChanged, this,
                [this] { setWarnings(m_monitor ? m_monitor->warnings() : QList<SlowConsumer>()); });
    }
    setWarnings(monitor ? monitor->warnings() : QList<SlowConsumer>());
}

void SlowConsumerModel::setWarnings(QList<SlowConsumer> warnings)
{
    const auto byKey = [](const SlowConsumer &a, const SlowConsumer &b) {
        return a.key < b.key;
    };
    std::sort(warnings.begin(), warnings.end(), byKey);
    removeVanishedRows(
        m_rows,
        [&](const SlowConsumer &c) {
            return std::binary_search(warnings.cbegin(), warnings.cend(), c, byKey);
        },
        [this](int first, int last) {
            beginRemoveRows({}, first, last);
            m_rows.remove(first, last - first + 1);
            endRemoveRows();
        });
    // Merge: both sorted by key; what is left of m_rows is in warnings.
    int row = 0;
    for (qsizetype i = 0; i < warnings.size();) {
        if (row < m_rows.size() && m_rows[row].key == warnings[i].key) {
            updateRow(row, warnings[i]);
            ++row;
            ++i;
            continue;
        }
        qsizetype end = i + 1;
        while (end < warnings.size() && (row >= m_rows.size() || warnings[end].key < m_rows[row].key))
            ++end;
        beginInsertRows({}, row, row + int(end - i) - 1);
        for (qsizetype k = i; k < end; ++k)
            m_rows.insert(row + int(k - i), warnings[k]);
        endInsertRows();
        row += int(end - i);
        i = end;
    }
}

void SlowConsumerModel::updateRow(int row, const SlowConsumer &now)
{
    const SlowConsumer before = std::exchange(m_rows[row], now);
    int first = -1;
    int last = -1;
    for (int column = 0; column < ColumnCount; ++column) {
        if (display(before, column) != display(now, column) ||
            sortValue(before, column) != sortValue(now, column)) {
            if (first < 0)
                first = column;
            last = column;
        }
    }
    if (first >= 0)
        Q_EMIT dataChanged(index(row, first), index(row, last), {Qt::DisplayRole, Qt::ToolTipRole, SortRole});
}

int SlowConsumerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SlowConsumerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SlowConsumerModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SlowConsumer &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(c, index.column());
    case SortRole:
        return sortValue(c, index.column());
    case KeyRole:
        return c.key;
    case Qt::ToolTipRole:
        return toolTip(c);
    case Qt::TextAlignmentRole:
        if (index.column() >= BytesColumn && index.column() != SubscriptionsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant SlowConsumerModel::display(const SlowConsumer &c, int column) const
{
    const bool relayClient = c.kind == SlowConsumer::Kind::RelayClient;
    switch (column) {
    case ConnectionColumn:
        return c.displayName();
    case RelayColumn:
        return c.relay.isEmpty() ? (c.console ? tr("(console)") : QString()) : c.relay;
    case NodeColumn:
        return c.node;
    case BytesColumn:
        return bytes(c.bytes);
    case SoftShareColumn:
        return share(c.softShare());
    case HardShareColumn:
        return share(c.hardShare());
    case AboveForColumn:
        return formatDuration(c.aboveMs);
    case TotalMemoryColumn:
        return bytes(c.totalMemory);
    case QueryBufferColumn:
        return bytes(c.queryBuffer);
    case SubscriptionsColumn:
        return relayClient ? tr("%n room(s)", nullptr, c.channels)
                           : u"%1 / %2 / %3"_s.arg(c.channels).arg(c.patterns).arg(c.shardChannels);
    case AgeColumn:
        return c.ageSeconds < 0 ? QString() : formatDuration(c.ageSeconds * 1000);
    default:
        return {};
    }
}

QVariant SlowConsumerModel::sortValue(const SlowConsumer &c, int column) const
{
    switch (column) {
    case BytesColumn:
        return c.bytes;
    case SoftShareColumn:
        return c.softShare();
    case HardShareColumn:
        return c.hardShare();
    case AboveForColumn:
        return c.aboveMs;
    case TotalMemoryColumn:
        return c.totalMemory;
    case QueryBufferColumn:
        return c.queryBuffer;
    case SubscriptionsColumn:
        return c.channels + c.patterns + c.shardChannels;
    case AgeColumn:
        return c.ageSeconds;
    default:
        return display(c, column);
    }
}

QString SlowConsumerModel::toolTip(const SlowConsumer &c) const
{
    if (c.kind == SlowConsumer::Kind::RelayClient)
        return tr("Relay %1, client %2 from %3: %4 queued of --max-outbound-bytes %5, above the share since "
                  "%6")
            .arg(c.relay)
            .arg(c.id)
            .arg(c.address, bytes(c.bytes), bytes(c.hardLimit),
                 QLocale().toString(c.aboveSince.toLocalTime()));
    return tr("Redis client id %1 from %2 (%3): output buffer %4, soft limit %5, hard limit %6; above the "
              "share "
              "since %7")
        .arg(c.id)
        .arg(c.address, c.name.isEmpty() ? tr("no name") : c.name, bytes(c.bytes),
             c.softLimit > 0 ? bytes(c.softLimit) : tr("none"),
             c.hardLimit > 0 ? bytes(c.hardLimit) : tr("none"),
             QLocale().toString(c.aboveSince.toLocalTime()));
}

QVariant SlowConsumerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ConnectionColumn:
        return tr("Connection");
    case RelayColumn:
        return tr("Relay");
    case NodeColumn:
        return tr("Node");
    case BytesColumn:
        return tr("Output buffer");
    case SoftShareColumn:
        return tr("Of soft");
    case HardShareColumn:
        return tr("Of hard");
    case AboveForColumn:
        return tr("Above for");
    case TotalMemoryColumn:
        return tr("Total memory");
    case QueryBufferColumn:
        return tr("Query buffer");
    case SubscriptionsColumn:
        return tr("sub / psub / ssub");
    case AgeColumn:
        return tr("Age");
    default:
        return {};
    }
}

QString SlowConsumerModel::formatDuration(qint64 ms)
{
    if (ms < 60'000)
        return tr("%1 s").arg(QLocale().toString(double(ms) / 1000.0, 'f', 1));
    const qint64 s = ms / 1000;
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

// SPDX-License-Identifier: MIT
#include "canarystatusmodel.h"

#include "canarymonitor.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

QString milliseconds(double ms)
{
    return ms < 0 ? u"–"_s : QLocale().toString(ms, 'f', ms < 10 ? 2 : 1);
}

bool sameRelays(const QList<CanaryStatus> &a, const QList<CanaryStatus> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].instance != b[i].instance || a[i].prefix != b[i].prefix)
            return false;
    }
    return true;
}

} // namespace

CanaryStatusModel::CanaryStatusModel(CanaryMonitor *monitor, QObject *parent)
    : QAbstractTableModel(parent)
    , m_monitor(monitor)
{
    connect(monitor, &CanaryMonitor::changed, this, &CanaryStatusModel::refresh);
    m_rows = monitor->statuses();
}

int CanaryStatusModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CanaryStatusModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void CanaryStatusModel::refresh()
{
    if (!m_monitor)
        return;
    QList<CanaryStatus> rows = m_monitor->statuses();
    if (sameRelays(rows, m_rows)) {
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QVariant CanaryStatusModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CanaryStatus &s = m_rows[index.row()];
    if (role == StateRole)
        return int(s.state);
    if (role == Qt::ToolTipRole) {
        QString tip = s.url;
        if (!s.reason.isEmpty())
            tip += u'\n' + s.reason;
        if (s.lastReceived.isValid())
            tip += u'\n' + tr("last probe received %1")
                               .arg(QLocale().toString(s.lastReceived.toLocalTime(), QLocale::ShortFormat));
        return tip;
    }
    if (role == Qt::TextAlignmentRole && index.column() >= P50)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Relay:
        return s.displayName();
    case State:
        return s.reason.isEmpty() || s.state == CanaryState::Off
                   ? canaryStateName(s.state)
                   : canaryStateName(s.state) + u": "_s + s.reason;
    case P50:
        return milliseconds(s.p50);
    case P99:
        return milliseconds(s.p99);
    case Sent:
        return QLocale().toString(s.sent);
    case Lost:
        return QLocale().toString(s.lost);
    case LossPercent:
        return QLocale().toString(s.lossPercent(), 'f', 1);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant CanaryStatusModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Relay:
        return tr("Relay");
    case State:
        return tr("State");
    case P50:
        return tr("p50 ms");
    case P99:
        return tr("p99 ms");
    case Sent:
        return tr("Sent");
    case Lost:
        return tr("Lost");
    case LossPercent:
        return tr("Loss %");
    case ColumnCount:
        break;
    }
    return {};
}

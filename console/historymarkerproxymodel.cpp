// SPDX-License-Identifier: MIT
#include "historymarkerproxymodel.h"

#include "channellistmodel.h"
#include "historykeyscanner.h"

HistoryMarkerProxyModel::HistoryMarkerProxyModel(QObject *parent)
    : ChannelFilterProxyModel(parent)
{}

void HistoryMarkerProxyModel::setScanner(HistoryKeyScanner *scanner)
{
    if (m_scanner)
        disconnect(m_scanner, nullptr, this, nullptr);
    m_scanner = scanner;
    if (scanner)
        connect(scanner, &HistoryKeyScanner::scanned, this, &HistoryMarkerProxyModel::onScanned);
}

void HistoryMarkerProxyModel::setMarker(const QVariant &decoration)
{
    m_marker = decoration;
}

bool HistoryMarkerProxyModel::hasHistory(const QModelIndex &index) const
{
    if (!m_scanner || index.column() != ChannelColumns::Name || m_scanner->channels().isEmpty())
        return false;
    if (!ChannelFilterProxyModel::data(index, ChannelColumns::IsChannelRole).toBool())
        return false;
    return m_scanner->hasHistory(
        ChannelFilterProxyModel::data(index, ChannelColumns::ChannelNameRole).toByteArray());
}

QVariant HistoryMarkerProxyModel::data(const QModelIndex &index, int role) const
{
    if (index.column() == ChannelColumns::Name) {
        if (role == HasHistoryRole)
            return hasHistory(index);
        if (role == Qt::DecorationRole && !m_marker.isNull() && hasHistory(index))
            return m_marker;
        if (role == Qt::ToolTipRole && hasHistory(index)) {
            const QString tip = ChannelFilterProxyModel::data(index, role).toString();
            const QString line = tr("Has a history stream (Room detail shows it)");
            return tip.isEmpty() ? line : tip + u'\n' + line;
        }
    }
    return ChannelFilterProxyModel::data(index, role);
}

void HistoryMarkerProxyModel::onScanned(const QByteArrayList &changed)
{
    if (!m_locate || !sourceModel())
        return;
    const QList<int> roles{HasHistoryRole, Qt::DecorationRole, Qt::ToolTipRole};
    for (const QByteArray &channel : changed) {
        const QModelIndex at = mapFromSource(m_locate(channel));
        if (at.isValid())
            Q_EMIT dataChanged(at, at, roles);
    }
}

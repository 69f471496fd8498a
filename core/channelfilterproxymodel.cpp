// SPDX-License-Identifier: MIT
#include "channelfilterproxymodel.h"

#include "channelcolumns.h"

ChannelFilterProxyModel::ChannelFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ChannelColumns::SortRole);
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
}

void ChannelFilterProxyModel::setFilterText(const QString &text)
{
    m_text = text;
    m_filter.set(text.trimmed());
    invalidateRowsFilter();
}

bool ChannelFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // Only real channels match; recursive filtering keeps their groups.
    if (!index.data(ChannelColumns::IsChannelRole).toBool())
        return false;
    return m_filter.matches(QString::fromUtf8(index.data(ChannelColumns::ChannelRole).toByteArray()));
}

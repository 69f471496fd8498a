// SPDX-License-Identifier: MIT
#include "channelfilterproxymodel.h"

#include "channellistmodel.h"

using namespace Qt::StringLiterals;

ChannelFilterProxyModel::ChannelFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ChannelColumns::SortRole);
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

bool ChannelFilterProxyModel::isGlobText(const QString &text)
{
    return text.contains(u'*') || text.contains(u'?') || text.contains(u'[');
}

void ChannelFilterProxyModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_glob = isGlobText(trimmed);
    if (m_glob) {
        // Qt 6.4's conversion keeps * and ? from crossing '/' (path semantics); Redis globs cross it.
        QString rx = QRegularExpression::wildcardToRegularExpression(trimmed);
        rx.replace("[^/]*"_L1, ".*"_L1);
        rx.replace("[^/]"_L1, "."_L1);
        m_regex.setPattern(rx);
    } else {
        m_regex = QRegularExpression();
    }
    invalidateFilter();
}

bool ChannelFilterProxyModel::matches(const QString &name) const
{
    if (m_text.isEmpty())
        return true;
    if (m_glob)
        return m_regex.isValid() && m_regex.match(name).hasMatch();
    return name.contains(m_text, Qt::CaseInsensitive);
}

bool ChannelFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QByteArray name = index.data(ChannelColumns::ChannelNameRole).toByteArray();
    return matches(QString::fromUtf8(name));
}

// SPDX-License-Identifier: MIT
#pragma once

#include "textfilter.h"

#include <QSortFilterProxyModel>

// Filters channels by name (substring, or glob such as room:*) and sorts numerically. On the
// tree it keeps the groups leading to a match.
class ChannelFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit ChannelFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    TextFilter m_filter;
    QString m_text;
};

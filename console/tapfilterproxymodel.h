// SPDX-License-Identifier: MIT
#pragma once

#include "textfilter.h"

#include <QSortFilterProxyModel>

// Filters the tap by channel (text or glob) and payload (text, glob or regex).
class TapFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    using QSortFilterProxyModel::QSortFilterProxyModel;

    void setChannelFilter(const QString &text);
    void setPayloadFilter(const QString &text, bool regex);
    // Why the payload filter is ignored (an invalid regex), or empty.
    QString errorString() const { return m_payload.errorString(); }

Q_SIGNALS:
    void filterError(const QString &error);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    TextFilter m_channel;
    TextFilter m_payload;
};

// SPDX-License-Identifier: MIT
#include "tapfilterproxymodel.h"

#include "tapmodel.h"

void TapFilterProxyModel::setChannelFilter(const QString &text)
{
    m_channel.set(text);
    invalidateRowsFilter();
}

void TapFilterProxyModel::setPayloadFilter(const QString &text, bool regex)
{
    m_payload.set(text, regex ? TextFilter::Mode::Regex : TextFilter::Mode::Text);
    Q_EMIT filterError(m_payload.errorString());
    invalidateRowsFilter();
}

bool TapFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_channel.isEmpty() && m_payload.isEmpty())
        return true;
    const auto *model = static_cast<const TapModel *>(sourceModel());
    if (sourceParent.isValid() || sourceRow >= model->rowCount())
        return false;
    const TapEntry &e = model->entry(sourceRow);
    if (!m_channel.isEmpty() && !m_channel.matches(QString::fromUtf8(e.channel)))
        return false;
    return m_payload.isEmpty() || m_payload.matches(QString::fromUtf8(e.payload));
}

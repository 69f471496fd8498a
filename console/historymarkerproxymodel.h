// SPDX-License-Identifier: MIT
#pragma once

#include "channelfilterproxymodel.h"

#include <QPointer>

#include <functional>

class HistoryKeyScanner;

// The Channels view's filter proxy (ChannelFilterProxyModel) that also marks rooms with a history
// stream: the Name cell of a channel the HistoryKeyScanner found gets HasHistoryRole true, the marker
// the view chose as its decoration (an icon; the console has none of its own) and a line in its
// tooltip. Only the channels a scan changed are updated (the locator finds their rows in the source).
// One proxy for both, not a second one in the chain: each proxy layer costs on every row a filter or a
// diff touches.
class HistoryMarkerProxyModel : public ChannelFilterProxyModel
{
    Q_OBJECT
public:
    // After ChannelColumns::Role's.
    static constexpr int HasHistoryRole = Qt::UserRole + 40;

    explicit HistoryMarkerProxyModel(QObject *parent = nullptr);

    void setScanner(HistoryKeyScanner *scanner);
    // The source's index of channel's Name cell (invalid when absent).
    void setLocator(std::function<QModelIndex(const QByteArray &)> locate) { m_locate = std::move(locate); }
    void setMarker(const QVariant &decoration);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    bool hasHistory(const QModelIndex &index) const;
    void onScanned(const QByteArrayList &changed);

    QPointer<HistoryKeyScanner> m_scanner;
    std::function<QModelIndex(const QByteArray &)> m_locate;
    QVariant m_marker;
};

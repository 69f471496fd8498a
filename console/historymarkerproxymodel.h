// SPDX-License-Identifier: MIT
#pragma once

#include <QIdentityProxyModel>
#include <QPointer>

#include <functional>

class HistoryKeyScanner;

// The Channels view's marker for rooms with a history stream: over the channel list or tree model, the
// Name cell of a channel the HistoryKeyScanner found gets HasHistoryRole true, the marker the view
// chose as its decoration (an icon; the console has none of its own) and a line in its tooltip.
// Only the channels a scan changed are updated (locate() finds their rows in the source).
class HistoryMarkerProxyModel : public QIdentityProxyModel
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

// SPDX-License-Identifier: MIT
#pragma once

#include "traffichistory.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

class ChannelsController;
class EmbeddedRelay;
class TapController;

// Once a second, takes what the features measured into the charts' history and the channel
// rates: total and busiest tapped channels, subscribers of the tapped (else the most subscribed)
// channels, and relay connections (the embedded relay's clients and Redis's relay connections).
class ChartFeeder : public QObject
{
    Q_OBJECT

public:
    ChartFeeder(TrafficHistory *history, TapController *tap, ChannelsController *channels,
                EmbeddedRelay *relay, QObject *parent = nullptr);

    void setTopChannels(int n) { m_top = n; }
    // Off (the default): the most subscribed channels leave out the product's own (Plumbing).
    void setShowPlumbing(bool show)
    {
        m_showPlumbing = show;
        m_topTakenAt = {};
    }
    // One sample at msecs (the timer passes the current time).
    void sample(qint64 msecs);

private:
    TrafficHistory *m_history;
    QPointer<TapController> m_tap;
    QPointer<ChannelsController> m_channels;
    QPointer<EmbeddedRelay> m_relay;
    QTimer m_timer;
    int m_top = 5;
    bool m_showPlumbing = false;
    QDateTime m_topTakenAt; // the snapshot m_topSubscribed was taken from
    int m_topCount = 0;
    QByteArrayList m_topSubscribed;
    QStringList m_messageSeries;
    QStringList m_subscriberSeries;
};

// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>

class ChannelsView;
class ChartFeeder;
class QAction;
class QSettings;
class TapController;

// View > Show plumbing channels: whether the product's own traffic (relays' heartbeats and probes,
// the console's canaries; see Plumbing) shows in the Channels view, taps, charts and recordings.
// Off by default; the choice is kept in the settings (ui/showPlumbing).
class PlumbingSwitch : public QObject
{
    Q_OBJECT
public:
    PlumbingSwitch(QSettings *settings, TapController *tap, ChartFeeder *feeder, ChannelsView *channels,
                   QObject *parent = nullptr);

    QAction *action() const { return m_action; }
    bool isShown() const;
    void setShown(bool show);
    void retranslateUi();

private:
    void apply(bool show);

    QSettings *m_settings;
    QPointer<TapController> m_tap;
    QPointer<ChartFeeder> m_feeder;
    QPointer<ChannelsView> m_channels;
    QAction *m_action;
};

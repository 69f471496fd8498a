// SPDX-License-Identifier: MIT
#include "plumbingswitch.h"

#include "channelsview.h"
#include "chartfeeder.h"
#include "tapcontroller.h"

#include <QAction>
#include <QSettings>

using namespace Qt::StringLiterals;

PlumbingSwitch::PlumbingSwitch(QSettings *settings, TapController *tap, ChartFeeder *feeder,
                               ChannelsView *channels, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_tap(tap)
    , m_feeder(feeder)
    , m_channels(channels)
    , m_action(new QAction(this))
{
    m_action->setObjectName(u"actionShowPlumbing"_s);
    m_action->setCheckable(true);
    m_action->setChecked(settings->value(u"ui/showPlumbing"_s, false).toBool());
    connect(m_action, &QAction::toggled, this, [this](bool show) {
        m_settings->setValue(u"ui/showPlumbing"_s, show);
        apply(show);
    });
    apply(m_action->isChecked());
    retranslateUi();
}

bool PlumbingSwitch::isShown() const
{
    return m_action->isChecked();
}

void PlumbingSwitch::setShown(bool show)
{
    m_action->setChecked(show);
}

void PlumbingSwitch::retranslateUi()
{
    m_action->setText(tr("Show &plumbing channels"));
    m_action->setToolTip(
        tr("Relay heartbeats (switchboard:relays), subscriber probes (switchboard:probe:*) and "
           "delivery canaries (room:switchboard-canary) in channels, taps, charts and recordings"));
}

void PlumbingSwitch::apply(bool show)
{
    if (m_tap)
        m_tap->setShowPlumbing(show);
    if (m_feeder)
        m_feeder->setShowPlumbing(show);
    if (m_channels)
        m_channels->setShowPlumbing(show);
}

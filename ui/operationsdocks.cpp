// SPDX-License-Identifier: MIT
#include "operationsdocks.h"

#include "canarymonitor.h"
#include "canaryview.h"
#include "channelscontroller.h"
#include "fleetcontroller.h"
#include "fleetmodel.h"
#include "fleetview.h"

#include <QLocale>

using namespace Qt::StringLiterals;

OperationsDocks::OperationsDocks(ChannelsController *channels, QSettings *settings, QWidget *window)
    : QObject(window)
    , m_fleet(new FleetController(channels->directory(), this))
    , m_fleetView(new FleetView(m_fleet, window))
    , m_canaries(new CanaryMonitor(channels->directory(), this))
    , m_canaryView(nullptr)
{
    m_canaries->setObjectName(u"canaryMonitor"_s);
    m_canaries->setSettings(settings);
    m_canaryView = new CanaryView(m_canaries, window);
    connect(m_fleet->model(), &FleetModel::alertsChanged, this, &OperationsDocks::statusChanged);
    connect(m_canaries, &CanaryMonitor::changed, this, &OperationsDocks::showCanaries);
}

void OperationsDocks::setConnection(RedisConnection *connection, RedisClusterConnection *cluster, bool readOnly,
                                    const QString &profileName)
{
    m_canaries->setReadOnly(connection && readOnly, profileName);
    m_canaries->setConnection(connection, connection ? cluster : nullptr);
}

static QString milliseconds(double ms)
{
    return ms < 0 ? u"…"_s : QLocale().toString(ms, 'f', ms < 10 ? 1 : 0);
}

void OperationsDocks::showCanaries()
{
    QHash<QString, FleetCanaryCell> cells;
    const QList<CanaryStatus> statuses = m_canaries->statuses();
    for (const CanaryStatus &s : statuses) {
        FleetCanaryCell cell;
        switch (s.state) {
        case CanaryState::Ok:
            cell.state = FleetCanaryCell::State::Ok;
            break;
        case CanaryState::Missing:
            cell.state = FleetCanaryCell::State::Missing;
            break;
        case CanaryState::Unreachable:
            cell.state = FleetCanaryCell::State::Unreachable;
            break;
        case CanaryState::Off:
            cell.state = FleetCanaryCell::State::Off;
            break;
        case CanaryState::Connecting:
            cell.state = FleetCanaryCell::State::None;
            break;
        }
        cell.text = s.state == CanaryState::Ok || s.state == CanaryState::Missing
                        ? tr("%1 / %2 ms").arg(milliseconds(s.p50), milliseconds(s.p99))
                        : canaryStateName(s.state);
        if (s.state == CanaryState::Missing)
            cell.text += u" · "_s + tr("%n lost", nullptr, int(s.lost));
        cell.toolTip = tr("%1: %2 sent, %3 lost (%4 %)")
                           .arg(canaryStateName(s.state))
                           .arg(s.sent)
                           .arg(s.lost)
                           .arg(QLocale().toString(s.lossPercent(), 'f', 1));
        if (!s.reason.isEmpty())
            cell.toolTip += u"\n"_s + s.reason;
        cells.insert(QString::fromUtf8(s.prefix) + u'\n' + s.instance, cell);
    }
    m_fleet->model()->setCanaryCells(cells);
}

QString OperationsDocks::statusText() const
{
    const int alerts = m_fleet->model()->alertCount();
    return alerts > 0 ? tr("%n relay(s) need attention", nullptr, alerts) : QString();
}

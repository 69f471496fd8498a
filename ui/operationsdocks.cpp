// SPDX-License-Identifier: MIT
#include "operationsdocks.h"

#include "canarymonitor.h"
#include "canaryview.h"
#include "channelscontroller.h"
#include "fleetcontroller.h"
#include "fleetmodel.h"
#include "fleetview.h"
#include "slowconsumermonitor.h"
#include "slowconsumersview.h"

#include <QDockWidget>
#include <QLocale>
#include <QMainWindow>
#include <QSettings>

using namespace Qt::StringLiterals;

OperationsDocks::OperationsDocks(ChannelsController *channels, QSettings *settings, QWidget *window)
    : QObject(window)
    , m_fleet(new FleetController(channels->directory(), this))
    , m_fleetView(new FleetView(m_fleet, window))
    , m_canaries(new CanaryMonitor(channels->directory(), this))
    , m_canaryView(nullptr)
    , m_slow(new SlowConsumerMonitor(this))
    , m_slowView(nullptr)
{
    m_canaries->setObjectName(u"canaryMonitor"_s);
    m_canaries->setSettings(settings);
    m_canaryView = new CanaryView(m_canaries, window);
    m_slow->followRelays(channels->directory());
    m_slowView = new SlowConsumersView(m_slow, window);
    m_slowView->setThresholdPercent(settings->value(u"slowConsumers/thresholdPercent"_s, 50).toInt());
    connect(m_slowView, &SlowConsumersView::thresholdPercentChanged, this,
            [settings](int percent) { settings->setValue(u"slowConsumers/thresholdPercent"_s, percent); });
    connect(m_slowView, &SlowConsumersView::warningCountChanged, this, [this] {
        if (m_slowDock)
            m_slowDock->setWindowTitle(m_slowView->titleText());
        Q_EMIT statusChanged();
    });
    connect(m_fleet->model(), &FleetModel::alertsChanged, this, &OperationsDocks::statusChanged);
    connect(m_canaries, &CanaryMonitor::changed, this, &OperationsDocks::showCanaries);
}

void OperationsDocks::addDocks(QMainWindow *window, QDockWidget *after, const AddDock &addDock)
{
    QDockWidget *fleet = addDock(m_fleetView, u"fleetDock"_s);
    QDockWidget *canaries = addDock(m_canaryView, u"canaryDock"_s);
    m_slowDock = addDock(m_slowView, u"slowConsumersDock"_s);
    window->tabifyDockWidget(after, fleet);
    window->tabifyDockWidget(fleet, canaries);
    window->tabifyDockWidget(canaries, m_slowDock);
}

QString OperationsDocks::dockTitle(const QString &objectName) const
{
    if (objectName == "fleetDock"_L1)
        return tr("Fleet");
    if (objectName == "canaryDock"_L1)
        return tr("Canaries");
    if (objectName == "slowConsumersDock"_L1)
        return m_slowView->titleText();
    return {};
}

void OperationsDocks::setConnection(RedisConnection *connection, RedisClusterConnection *cluster,
                                    bool readOnly, const QString &profileName)
{
    m_canaries->setReadOnly(connection && readOnly, profileName);
    m_canaries->setConnection(connection, connection ? cluster : nullptr);
    if (!connection)
        m_slow->stop();
    else if (cluster)
        m_slow->start(cluster);
    else
        m_slow->start(connection);
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
    QStringList parts;
    if (const int alerts = m_fleet->model()->alertCount(); alerts > 0)
        parts << tr("%n relay(s) need attention", nullptr, alerts);
    if (const int slow = m_slowView->warningCount(); slow > 0)
        parts << tr("%n slow consumer(s)", nullptr, slow);
    return parts.join(u" · "_s);
}

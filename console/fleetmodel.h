// SPDX-License-Identifier: MIT
#pragma once

#include "keyedtablemodel.h"
#include "relaydirectory.h"

#include <QHash>
#include <QPointer>
#include <QTimer>

// What the console's delivery canaries say of one relay, for the fleet view's Canary column.
struct FleetCanaryCell
{
    enum class State { None, Ok, Missing, Unreachable, Off };
    State state = State::None;
    QString text;    // "12 ms / 40 ms"
    QString toolTip; // the reason, the loss
};

// Every relay that heartbeats (RelayDirectory), one row each, sorted by channel prefix and instance:
// identity, load, bus and protection figures, heartbeat age. Stale relays stay listed until the
// directory drops them; they, and relays whose bus is down or whose canary misses probes, are alerts.
class FleetModel : public KeyedTableModel<RelayInstanceStats, QString>
{
    Q_OBJECT
public:
    enum Column {
        InstanceColumn,
        HostColumn,
        UrlColumn,
        VersionColumn,
        UptimeColumn,
        ClientsColumn,
        RoomsColumn,
        InRateColumn,
        OutRateColumn,
        QueuedColumn,
        BusColumn,
        ProtectionColumn,
        CanaryColumn,
        HeartbeatColumn,
        ColumnCount
    };
    // AlertRole: stale, bus down or canary failing (the view paints the row red); StaleRole: greyed.
    enum Role { SortRole = Qt::UserRole + 1, KeyRole, AlertRole, StaleRole };

    explicit FleetModel(QObject *parent = nullptr);

    void setDirectory(RelayDirectory *directory);
    RelayDirectory *directory() const { return m_directory; }
    void refresh();
    // Keyed by RelayInstanceStats::key; relays without an entry show nothing in the Canary column.
    void setCanaryCells(const QHash<QString, FleetCanaryCell> &cells);
    // Relays whose bus is down, whose canary misses probes, or that are stale.
    int alertCount() const;

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatBytes(qint64 bytes);
    static QString formatDuration(qint64 seconds);

Q_SIGNALS:
    void alertsChanged(int count);

protected:
    QString keyOf(const RelayInstanceStats &row) const override { return row.key; }
    unsigned changedColumns(const RelayInstanceStats &a, const RelayInstanceStats &b) const override;

private:
    QVariant display(const RelayInstanceStats &s, int column) const;
    QVariant sortValue(const RelayInstanceStats &s, int column) const;
    QString toolTip(const RelayInstanceStats &s, int column) const;
    bool isAlert(const RelayInstanceStats &s) const;
    void tick();
    void updateAlerts();

    QPointer<RelayDirectory> m_directory;
    QHash<QString, FleetCanaryCell> m_canary;
    QTimer m_clock; // heartbeat ages and uptimes move every second
    int m_alerts = 0;
};

// SPDX-License-Identifier: MIT
#pragma once

#include "channeldiff.h"
#include "channelmonitor.h"
#include "channeltraffic.h"

#include <QAbstractTableModel>
#include <QDeadlineTimer>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class RelayDirectory;

// Roles and columns shared by the channel list and tree models.
namespace ChannelColumns {
enum Column {
    Name,
    Subscribers,
    Relays,
    RelayClients,
    MessagesPerSecond,
    BytesPerSecond,
    LastMessage,
    Kind, // on a Cluster: classic or sharded, and the shard
    Count
};

enum Role {
    SortRole = Qt::UserRole + 1, // numbers for numeric columns, the name for Name
    ChannelNameRole,             // QByteArray: the full channel name (a group's prefix in the tree)
    IsGroupRole,                 // bool: a tree node with children
    IsChannelRole,               // bool: Redis lists this name as a channel
};

// What one channel (or, aggregated, one tree group) shows.
struct Values
{
    qint64 subscribers = 0; // -1: unknown (PUBSUB NUMSUB failed)
    std::optional<int> relays;
    std::optional<qint64> relayClients;
    std::optional<ChannelTraffic> traffic;
    QString kind; // kindText()

    bool operator==(const Values &other) const;
};

// Bit per column whose shown value differs.
unsigned changedColumns(const Values &a, const Values &b);
// The channels whose traffic came, went or changed from before to after.
QByteArrayList changedTraffic(const ChannelTrafficMap &before, const ChannelTrafficMap &after);

// "classic", "sharded · shard 2", "classic + sharded (2) · shard 2" (the shard's number as in the Nodes
// view; the tooltip names its primary).
// Empty on one server (snapshot.clusterNodes 0).
QString kindText(const PubSubSnapshot &snapshot, const QByteArray &channel);
QString headerText(int column);
QString headerToolTip(int column);
// Display text, "–" when unknown.
QVariant display(int column, const Values &v);
// Numbers for sorting; -1 when unknown.
QVariant sortValue(int column, const Values &v);
QVariant alignment(int column);
// What the relay columns were last computed from: whether any relay reported, and on which channels.
struct RelayView
{
    bool present = false;
    QSet<QByteArray> channels;
    // Updates to directory; true when every row must be recomputed (relays appeared or all went, so
    // every channel's columns turn from unknown to 0 or back). Otherwise touched gets the channels
    // whose relay columns may have changed: those reported before or now.
    bool update(const RelayDirectory *directory, QByteArrayList &touched);
};

// CPU time of the calling thread: what a slice of a diff cost, preemption left out.
qint64 threadCpuUs();
} // namespace ChannelColumns

// The flat channel table. Updates are incremental: a snapshot removes and inserts rows in ranges and
// emits dataChanged for the cells that changed; the model is never reset.
class ChannelListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    explicit ChannelListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void applySnapshot(const PubSubSnapshot &snapshot);
    // A diff from the rows shown now (ChannelDiffer), applied in slices: beginDiff, then applyDiffSlice
    // on each event-loop turn until it returns true. Between slices the model is consistent (each op is
    // a complete insert, remove or dataChanged) and may be read, sorted and filtered.
    void beginDiff(std::shared_ptr<const ChannelDiff> diff);
    // Applies ops until deadline (at least one step); true when the diff is done.
    bool applyDiffSlice(const QDeadlineTimer &deadline);
    bool isApplyingDiff() const { return m_diff != nullptr; }
    // Stops applying the diff: the rows stay as they are shown now.
    void abandonDiff();
    // A Cluster's round (snapshot.clusterNodes, sharded): the Kind of the rows it changes, and of the
    // rows a diff inserts after it. Call before beginDiff(); empty on one server.
    void setClusterKinds(const PubSubSnapshot &snapshot);
    void setTraffic(const ChannelTrafficMap &traffic);
    void setRelayDirectory(RelayDirectory *directory);
    RelayDirectory *relayDirectory() const;

    QByteArray channelAt(int row) const;
    int rowOf(const QByteArray &channel) const; // -1 if absent
    // 0 if absent, -1 if unknown.
    qint64 subscribersFor(const QByteArray &channel) const;
    // The known counts added up.
    qint64 totalSubscribers() const { return m_totalSubscribers; }

private:
    struct Row
    {
        QByteArray name;
        ChannelColumns::Values values;
    };
    ChannelColumns::Values valuesFor(const QByteArray &name, qint64 subscribers) const;
    // kindText() of the last Cluster round, "classic" shared between rows.
    QString kindOf(const QByteArray &name) const;
    // Applies new values to every row and emits dataChanged per column for runs of changed rows.
    void updateRows(const std::function<ChannelColumns::Values(const Row &)> &compute);
    void emitChanged(const std::vector<unsigned> &masks);
    void refreshRelays();

    const Row &rowAt(size_t row) const;
    Row &rowAt(size_t row);
    size_t rowTotal() const { return m_rows.size() + m_tail.size() - m_tailPos; }
    // Moves rows from m_tail to m_rows until m_rows has row rows (or the deadline passes).
    bool passRowsUntil(size_t row, const QDeadlineTimer &deadline);
    // One step of the current op: a chunk of rows; false if the op is not finished.
    bool applyStep(const ChannelDiff::Op &op, const QDeadlineTimer &deadline);

    std::vector<Row> m_rows; // sorted by name
    // While a snapshot is applied, the model shows m_rows followed by m_tail from m_tailPos: rows are
    // moved across once, so removing and inserting many ranges stays linear.
    std::vector<Row> m_tail;
    size_t m_tailPos = 0;
    // The diff being applied: the op and how many of its rows are done; rows per step adapt to time.
    std::shared_ptr<const ChannelDiff> m_diff;
    size_t m_op = 0;
    int m_opDone = 0;
    int m_chunk = 256;
    ChannelTrafficMap m_traffic;
    QPointer<RelayDirectory> m_directory;
    QMetaObject::Connection m_directoryConnection;
    ChannelColumns::RelayView m_relayView;
    qint64 m_totalSubscribers = 0;
    PubSubSnapshot m_kinds; // only clusterNodes and sharded
    QString m_classicText;
};

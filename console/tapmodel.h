// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QTimer>

#include <deque>

struct TapEntry
{
    quint64 seq = 0;
    qint64 receivedMs = 0; // ms since the epoch
    QByteArray channel;
    QByteArray pattern; // empty for a plain SUBSCRIBE
    QByteArray payload; // possibly cut at the payload cap
    qint64 size = 0;    // the original size
    bool truncated() const { return payload.size() < size; }
};

// The tap's bounded ring buffer as a table. Entries arrive through append() and become rows in
// batches (one insert per flush, at most every 50 ms); the oldest rows are removed once the
// capacity (entries) or the byte budget is reached.
class TapModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, ChannelColumn, PatternColumn, SizeColumn, PayloadColumn, ColumnCount };
    enum Role { PayloadRole = Qt::UserRole + 1, SeqRole, TimeRole, ChannelRole };

    explicit TapModel(QObject *parent = nullptr);

    void append(TapEntry entry);
    void flush();
    void clear();

    void setCapacity(qsizetype entries);
    qsizetype capacity() const { return m_capacity; }
    void setByteBudget(qint64 bytes);
    void setPayloadCap(qint64 bytes) { m_payloadCap = bytes; }
    qint64 payloadCap() const { return m_payloadCap; }
    qint64 bufferedBytes() const { return m_bytes; }
    quint64 evicted() const { return m_evicted; }

    const TapEntry &entry(int row) const { return m_rows[size_t(row)]; }
    static QString preview(const QByteArray &payload, int maxChars = 200);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void batchAppended(int rows);

private:
    void trim(qsizetype extraEntries, qint64 extraBytes);

    std::deque<TapEntry> m_rows;
    std::deque<TapEntry> m_pending;
    QTimer m_flushTimer;
    qsizetype m_capacity = 100000;
    qint64 m_byteBudget = 256ll * 1024 * 1024;
    qint64 m_payloadCap = 1024 * 1024;
    qint64 m_bytes = 0;
    quint64 m_evicted = 0;
};

// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QList>

// One entry of a room's history stream (docs/formats: id = the message's offset, field m = the
// message JSON without the offset).
struct RoomHistoryEntry
{
    QByteArray offset;
    QByteArray json;
};

// A page of a room's history as RoomDetailController read it, newest first: offset, time (the
// offset's milliseconds), user and text, the message's type for anything that is not a "message",
// and the JSON pretty-printed for a detail pane. Reset on every page.
class RoomHistoryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Offset, Time, User, Text, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,
        OffsetRole,     // QByteArray: the stream entry's id
        TimeRole,       // QDateTime (UTC) of the offset's milliseconds
        UserRole,       // QString; null for none
        TextRole,       // QString: "text", or the type and JSON of another kind of frame
        TypeRole,       // QString: the JSON's "type"
        JsonRole,       // QByteArray: the stored JSON as it is
        PrettyJsonRole, // QString: indented JSON, or the raw bytes and why they are not JSON
    };

    explicit RoomHistoryModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Newest first, as XREVRANGE returns them.
    void setEntries(const QList<RoomHistoryEntry> &entries);
    void clear() { setEntries({}); }
    QByteArray newestOffset() const;
    QByteArray oldestOffset() const;

    // The milliseconds of an offset "<ms>-<seq>"; -1 when it is not one.
    static qint64 offsetMs(const QByteArray &offset);
    static QString prettyJson(const QByteArray &json);

private:
    struct Row
    {
        RoomHistoryEntry entry;
        QString type;
        QString user;
        bool hasUser = false;
        QString text;
    };
    QList<Row> m_rows;
};

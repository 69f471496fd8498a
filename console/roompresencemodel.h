// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include <optional>

// One entry of a room's presence hash (docs/formats: field "<relay>:<client>", value
// {"user","since","relay","expires"}).
struct RoomMember
{
    QByteArray field;
    QString user;           // empty with anonymous
    bool anonymous = false; // "user" null or absent
    qint64 sinceMs = 0;
    QString relay;
    qint64 expiresMs = 0;

    // nullopt when value is not such an object (*error says what is wrong).
    static std::optional<RoomMember> parse(const QByteArray &field, const QByteArray &value, QString *error);
};

// The members of a room across relays, as RoomDetailController read them: one row per connection,
// sorted by since (then field). Reset on every load (a room's presence is small and bounded).
class RoomPresenceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { User, Since, Relay, Connection, Expires, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1, // numbers for Since / Expires, text otherwise
        UserRole,                    // QString; null QVariant for an anonymous member
        SinceRole,                   // QDateTime (UTC)
        RelayRole,                   // QString: the relay's instance id
        FieldRole,                   // QByteArray: the hash field
        ExpiresInRole,               // qint64: ms until the entry expires, by Redis's clock
    };

    explicit RoomPresenceModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // nowMs: Redis's TIME when they were read.
    void setMembers(QList<RoomMember> members, qint64 nowMs);
    void clear();
    const QList<RoomMember> &members() const { return m_members; }
    // Distinct relays among the members.
    int relayCount() const;

private:
    QList<RoomMember> m_members;
    qint64 m_nowMs = 0;
};

// SPDX-License-Identifier: MIT
#include "roompresencemodel.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

std::optional<RoomMember> RoomMember::parse(const QByteArray &field, const QByteArray &value, QString *error)
{
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(value, &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    const QJsonValue user = o.value("user"_L1);
    if (!o.value("since"_L1).isDouble() || !o.value("expires"_L1).isDouble() ||
        !(user.isString() || user.isNull() || user.isUndefined())) {
        if (error)
            *error =
                QStringLiteral("\"since\" and \"expires\" must be numbers and \"user\" a string or null");
        return std::nullopt;
    }
    RoomMember m;
    m.field = field;
    m.anonymous = !user.isString();
    m.user = user.toString();
    m.sinceMs = qint64(o.value("since"_L1).toDouble());
    m.expiresMs = qint64(o.value("expires"_L1).toDouble());
    m.relay = o.value("relay"_L1).toString();
    if (m.relay.isEmpty())
        m.relay = QString::fromUtf8(field.left(std::max<qsizetype>(0, field.lastIndexOf(':'))));
    return m;
}

RoomPresenceModel::RoomPresenceModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int RoomPresenceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

int RoomPresenceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoomPresenceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomMember &m = m_members.at(index.row());
    const QDateTime since = QDateTime::fromMSecsSinceEpoch(m.sinceMs, Qt::UTC);
    const qint64 expiresIn = m.expiresMs - m_nowMs;
    switch (role) {
    case UserRole:
        return m.anonymous ? QVariant() : QVariant(m.user);
    case SinceRole:
        return since;
    case RelayRole:
        return m.relay;
    case FieldRole:
        return m.field;
    case ExpiresInRole:
        return expiresIn;
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case User:
            return m.anonymous ? tr("(anonymous)") : m.user;
        case Since:
            if (role == SortRole)
                return m.sinceMs;
            return QLocale().toString(since.toLocalTime(), u"yyyy-MM-dd HH:mm:ss"_s);
        case Relay:
            return m.relay;
        case Connection:
            return QString::fromUtf8(m.field.mid(m.field.lastIndexOf(':') + 1));
        case Expires:
            if (role == SortRole)
                return expiresIn;
            if (expiresIn < 0)
                return tr("expired");
            if (expiresIn < 120000)
                return tr("in %1 s").arg((expiresIn + 500) / 1000);
            return tr("in %1 min").arg((expiresIn + 30000) / 60000);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Connection)
            return tr("Hash field %1").arg(QString::fromUtf8(m.field));
        if (index.column() == Expires)
            return tr("The relay rewrites the entry's expiry while it lives; by Redis's clock");
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Expires)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant RoomPresenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case User:
        return tr("User");
    case Since:
        return tr("Since");
    case Relay:
        return tr("Relay");
    case Connection:
        return tr("Connection");
    case Expires:
        return tr("Expires");
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomPresenceModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(UserRole, "user");
    names.insert(SinceRole, "since");
    names.insert(RelayRole, "relay");
    names.insert(FieldRole, "field");
    names.insert(ExpiresInRole, "expiresIn");
    return names;
}

void RoomPresenceModel::setMembers(QList<RoomMember> members, qint64 nowMs)
{
    std::sort(members.begin(), members.end(), [](const RoomMember &a, const RoomMember &b) {
        return a.sinceMs != b.sinceMs ? a.sinceMs < b.sinceMs : a.field < b.field;
    });
    beginResetModel();
    m_members = std::move(members);
    m_nowMs = nowMs;
    endResetModel();
}

void RoomPresenceModel::clear()
{
    setMembers({}, 0);
}

int RoomPresenceModel::relayCount() const
{
    QSet<QString> relays;
    for (const RoomMember &m : m_members)
        relays.insert(m.relay);
    return int(relays.size());
}

// SPDX-License-Identifier: MIT
#include "roomhistorymodel.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
// A table cell shows one line of a message; the detail pane shows all of it.
constexpr qsizetype TextCellChars = 300;
} // namespace

RoomHistoryModel::RoomHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

int RoomHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RoomHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 RoomHistoryModel::offsetMs(const QByteArray &offset)
{
    const qsizetype dash = offset.indexOf('-');
    bool ok = false;
    const qint64 ms = offset.left(dash).toLongLong(&ok);
    return ok && dash > 0 ? ms : -1;
}

QString RoomHistoryModel::prettyJson(const QByteArray &json)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (doc.isNull())
        return tr("Not JSON (%1):\n%2").arg(error.errorString(), QString::fromUtf8(json));
    return QString::fromUtf8(doc.toJson(QJsonDocument::Indented)).trimmed();
}

QVariant RoomHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const qint64 ms = offsetMs(r.entry.offset);
    const QDateTime time = ms < 0 ? QDateTime() : QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    switch (role) {
    case OffsetRole:
        return r.entry.offset;
    case TimeRole:
        return time;
    case UserRole:
        return r.hasUser ? QVariant(r.user) : QVariant();
    case TextRole:
        return r.text;
    case TypeRole:
        return r.type;
    case JsonRole:
        return r.entry.json;
    case PrettyJsonRole:
        return prettyJson(r.entry.json);
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case Offset:
            return QString::fromUtf8(r.entry.offset);
        case Time:
            if (role == SortRole)
                return ms;
            if (!time.isValid())
                return QString();
            // Today's messages by their time of day; older ones with their date.
            return time.toLocalTime().date() == QDate::currentDate()
                       ? time.toLocalTime().toString(u"HH:mm:ss.zzz"_s)
                       : time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
        case User:
            return r.user;
        case Text: {
            QString line = r.text.left(TextCellChars);
            line.replace(u'\n', u' ');
            return line;
        }
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Time && time.isValid())
            return time.toString(Qt::ISODateWithMs);
        if (index.column() == Text)
            return r.text.left(TextCellChars * 4);
        break;
    default:
        break;
    }
    return {};
}

QVariant RoomHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Offset:
        return tr("Offset");
    case Time:
        return tr("Time");
    case User:
        return tr("User");
    case Text:
        return tr("Text");
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomHistoryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(SortRole, "sort");
    names.insert(OffsetRole, "offset");
    names.insert(TimeRole, "time");
    names.insert(UserRole, "user");
    names.insert(TextRole, "text");
    names.insert(TypeRole, "type");
    names.insert(JsonRole, "json");
    names.insert(PrettyJsonRole, "prettyJson");
    return names;
}

void RoomHistoryModel::setEntries(const QList<RoomHistoryEntry> &entries)
{
    QList<Row> rows;
    rows.reserve(entries.size());
    for (const RoomHistoryEntry &e : entries) {
        Row r;
        r.entry = e;
        const QJsonDocument doc = QJsonDocument::fromJson(e.json);
        const QJsonObject o = doc.object();
        r.type = o.value("type"_L1).toString();
        r.hasUser = o.value("user"_L1).isString();
        r.user = o.value("user"_L1).toString();
        if (!doc.isObject())
            r.text = QString::fromUtf8(e.json);
        else if (o.value("text"_L1).isString())
            r.text = o.value("text"_L1).toString();
        else
            r.text =
                u'[' + r.type + u"] "_s + QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        rows.append(std::move(r));
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

QByteArray RoomHistoryModel::newestOffset() const
{
    return m_rows.isEmpty() ? QByteArray() : m_rows.front().entry.offset;
}

QByteArray RoomHistoryModel::oldestOffset() const
{
    return m_rows.isEmpty() ? QByteArray() : m_rows.back().entry.offset;
}

// SPDX-License-Identifier: MIT
#include "announcement.h"

#include "relayprotocol.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Announcement", text);
}
} // namespace

QString Announcement::levelKey(Level level)
{
    switch (level) {
    case Level::Warning:
        return u"warning"_s;
    case Level::Critical:
        return u"critical"_s;
    case Level::Info:
        break;
    }
    return u"info"_s;
}

Announcement::Level Announcement::levelFromKey(const QString &key)
{
    if (key == "warning"_L1)
        return Level::Warning;
    if (key == "critical"_L1)
        return Level::Critical;
    return Level::Info;
}

bool Announcement::isValidRoomId(const QString &room)
{
    // The relays' own rule, so an announcement never targets a room no client could have joined.
    return RelayProtocol::roomKeyProblem(room, RelayProtocol::RoomIds::Strict).isEmpty();
}

QStringList Announcement::parseRooms(const QString &text, QStringList *invalid)
{
    QStringList rooms;
    const QStringList parts = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &part : parts) {
        const QString room = part.trimmed();
        if (room.isEmpty())
            continue;
        if (!isValidRoomId(room)) {
            if (invalid)
                invalid->append(room);
            continue;
        }
        if (!rooms.contains(room))
            rooms.append(room);
    }
    return rooms;
}

QString Announcement::validate(qsizetype maxTextBytes) const
{
    if (text.trimmed().isEmpty())
        return tr("Write the announcement's text.");
    const qsizetype bytes = text.toUtf8().size();
    if (bytes > maxTextBytes)
        return tr("The text is %1 bytes; announcements are limited to %2 bytes.")
            .arg(bytes)
            .arg(maxTextBytes);
    if (!broadcast) {
        if (rooms.isEmpty())
            return tr("Name at least one room, or send to broadcast.");
        for (const QString &room : rooms) {
            if (!isValidRoomId(room))
                return tr("Room id \"%1\" is invalid: use 1-128 characters of A-Z a-z 0-9 _ . : -").arg(room);
        }
    }
    return {};
}

QByteArray Announcement::toJson() const
{
    QByteArray out = "{\"type\":\"announcement\",\"level\":";
    RelayProtocol::appendJsonString(out, levelKey(level));
    out += ",\"text\":";
    RelayProtocol::appendJsonString(out, text);
    out += ",\"timestamp\":" + QByteArray::number(timestampMs) + ",\"id\":";
    RelayProtocol::appendJsonString(out, id);
    out += '}';
    return out;
}

QByteArrayList Announcement::channels(const QByteArray &prefix) const
{
    if (broadcast)
        return {prefix + "broadcast"};
    QByteArrayList result;
    for (const QString &room : rooms)
        result.append(prefix + "room:" + room.toUtf8());
    return result;
}

QString Announcement::targetText() const
{
    return broadcast ? u"broadcast"_s : tr("rooms %1").arg(rooms.join(u", "_s));
}

void Announcement::stamp()
{
    timestampMs = QDateTime::currentMSecsSinceEpoch();
    id = QUuid::createUuid().toString(QUuid::WithoutBraces);
}

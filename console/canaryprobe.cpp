// SPDX-License-Identifier: MIT
#include "canaryprobe.h"

#include "relayprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace CanaryProbe {

QByteArray channel(const QByteArray &prefix)
{
    return prefix + "room:" + QByteArray(Room.data(), Room.size());
}

QByteArray joinFrame()
{
    return R"({"type":"join","roomId":")" + QByteArray(Room.data(), Room.size()) + R"("})";
}

QByteArray newOrigin()
{
    return "switchboard-canary-" + QByteArray::number(QRandomGenerator::global()->bounded(1u << 30), 36);
}

QByteArray payload(const QByteArray &origin, quint64 seq, qint64 sentMs)
{
    const QJsonValue room{QString(Room)};
    const QByteArray id = origin + '-' + QByteArray::number(seq, 36);
    QByteArray out = RelayProtocol::chatMessage(QString(User), u"canary"_s, sentMs, &room, id, origin);
    const qsizetype at = out.lastIndexOf(R"(,"id":")");
    out.insert(at, R"(,"canary":true,"seq":)" + QByteArray::number(seq));
    return out;
}

std::optional<Probe> parse(const QByteArray &payload)
{
    if (!payload.contains(R"("canary":true)"))
        return std::nullopt;
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(payload, &error).object();
    if (error.error != QJsonParseError::NoError || o.value("type"_L1).toString() != "message"_L1 ||
        !o.value("canary"_L1).toBool() || !o.value("seq"_L1).isDouble())
        return std::nullopt;
    Probe p;
    p.origin = o.value("relay"_L1).toString().toUtf8();
    p.seq = quint64(o.value("seq"_L1).toInteger());
    p.sentMs = o.value("timestamp"_L1).toInteger();
    return p;
}

} // namespace CanaryProbe

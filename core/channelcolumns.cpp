// SPDX-License-Identifier: MIT
#include "channelcolumns.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace ChannelColumns {
namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("ChannelColumns", text);
}

QString bytesText(double bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat) + tr("/s");
}
} // namespace

QVariant data(int column, const Values &v, int role)
{
    const ChannelTraffic *t = v.traffic;
    if (role == Qt::TextAlignmentRole)
        return column == Name ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (column) {
        case Subscribers:
            return v.subscribers;
        case Relays:
            return v.relays;
        case MessagesPerSecond:
            return t ? t->messagesPerSecond : -1.0;
        case BytesPerSecond:
            return t ? t->bytesPerSecond : -1.0;
        case LastMessage:
            return t && t->lastMessageAt.isValid() ? t->lastMessageAt.toMSecsSinceEpoch() : qint64(-1);
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case Subscribers:
            return tr("PUBSUB NUMSUB: connections subscribed to this channel (pattern subscribers are not "
                      "counted)");
        case Relays:
            return tr(
                "Switchboard relays (connections named switchboard-relay:*) among the subscribers; Redis "
                "reports counts only, so this is an upper bound when several relays are connected");
        case MessagesPerSecond:
        case BytesPerSecond:
        case LastMessage:
            return t ? QVariant() : tr("Tap this channel to measure its traffic");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (column) {
    case Subscribers:
        return locale.toString(v.subscribers);
    case Relays:
        return v.relays < 0 ? u"–"_s : locale.toString(v.relays);
    case MessagesPerSecond:
        return t ? locale.toString(t->messagesPerSecond, 'f', 1) : u"–"_s;
    case BytesPerSecond:
        return t ? bytesText(t->bytesPerSecond) : u"–"_s;
    case LastMessage:
        return t && t->lastMessageAt.isValid() ? t->lastMessageAt.toString(u"HH:mm:ss"_s) : u"–"_s;
    }
    return {};
}

QVariant header(int column, int role)
{
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name:
        return tr("Channel");
    case Subscribers:
        return tr("Subscribers");
    case Relays:
        return tr("Relays");
    case MessagesPerSecond:
        return tr("Msg/s");
    case BytesPerSecond:
        return tr("Bytes/s");
    case LastMessage:
        return tr("Last message");
    }
    return {};
}
} // namespace ChannelColumns

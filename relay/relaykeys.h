// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>

// The Redis keys a relay keeps beside Pub/Sub (docs/protocol.md, "Keys in Redis"). Every key of a
// room lives in the slot of the room's channel, so one Lua script can write the key and
// (S)PUBLISH on the channel on a Redis Cluster, sharded Pub/Sub included:
//   <prefix>history:{<channel>}    stream: the room's history (entry id = the message's offset)
//   <prefix>presence:{<channel>}   hash: who is in the room, across the fleet
// A channel whose hash tag would differ inside those braces (it holds '{' or '}') gets
// <prefix>history:{<tag>}<channel>, <tag> being a short string of the channel's slot.
//   <prefix>session:{<id>}         hash: a session's user, token subject and state
//   <prefix>session:{<id>}:rooms   hash: its rooms, room key -> room id as JSON
namespace RelayKeys {

QByteArray historyKey(const QByteArray &prefix, const QByteArray &channel);
QByteArray presenceKey(const QByteArray &prefix, const QByteArray &channel);
QByteArray sessionKey(const QByteArray &prefix, const QByteArray &sessionId);
QByteArray sessionRoomsKey(const QByteArray &prefix, const QByteArray &sessionId);

// A short tag (base-36 digits) whose Cluster slot is slot, 0 <= slot < 16384.
QByteArray tagForSlot(int slot);

} // namespace RelayKeys

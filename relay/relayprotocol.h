// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

// The client <-> relay protocol (docs/protocol.md): JSON text frames, compatible with the
// seed's Node.js server.
namespace RelayProtocol {

// Stable error codes sent in {"type":"error","code":...}.
namespace Error {
inline constexpr char InvalidJson[] = "invalid_json";
inline constexpr char NotAnObject[] = "not_an_object";
inline constexpr char MissingType[] = "missing_type";
inline constexpr char InvalidType[] = "invalid_type";
inline constexpr char UnknownType[] = "unknown_type";
inline constexpr char MissingField[] = "missing_field";
inline constexpr char InvalidField[] = "invalid_field";
inline constexpr char BinaryNotSupported[] = "binary_not_supported";
inline constexpr char InvalidRoom[] = "invalid_room";
inline constexpr char RateLimited[] = "rate_limited";
inline constexpr char TooManyRooms[] = "too_many_rooms";
inline constexpr char Forbidden[] = "forbidden";
// With tokens on, a message whose "user" is not the token's identity (docs/security.md).
inline constexpr char UserMismatch[] = "user_mismatch";
// Redis refused the relay's subscription to a room's channel (an ACL); sent with the roomId.
inline constexpr char SubscribeRefused[] = "subscribe_refused";
// A join's "since" that is not an offset the relay gave out ("<ms>-<seq>", docs/protocol.md).
inline constexpr char InvalidOffset[] = "invalid_offset";
// A resume naming a session that does not exist, expired, or belongs to another token subject.
inline constexpr char SessionUnknown[] = "session_unknown";
// A resume the relay could not look up (Redis failed); the client may try again.
inline constexpr char SessionUnavailable[] = "session_unavailable";
// A recovery whose client fell too far behind while catching up; sent with the roomId. The client
// is in the room and gets live messages; it joins again with "since" to fill the gap.
inline constexpr char RecoveryIncomplete[] = "recovery_incomplete";
} // namespace Error

// Why a join with "since" answers "recovered":false.
namespace Unrecovered {
inline constexpr char OffsetTrimmed[] = "offset_trimmed";           // messages after it left the stream
inline constexpr char StreamReset[] = "stream_reset";               // the stream is not the one it came from
inline constexpr char HistoryOff[] = "history_off";                 // this relay keeps no history
inline constexpr char HistoryUnavailable[] = "history_unavailable"; // Redis failed; try again
} // namespace Unrecovered

// Stable close codes (docs/security.md). 1000-1015 are RFC 6455's; 4000-4999 are ours.
namespace Close {
inline constexpr int GoingAway = 1001;       // shutdown, missed pong
inline constexpr int ProtocolError = 1002;   // a frame that breaks RFC 6455 (unmasked, reserved bits...)
inline constexpr int InvalidPayload = 1007;  // a text message or close reason that is not UTF-8
inline constexpr int PolicyViolation = 1008; // rate limit persists, authentication failed, token expired, kicked
inline constexpr int TooBig = 1009;          // a message over the size limit
// The instance is at its connection limit. RFC 6455's registry has 1013 for this, but QtWebSockets
// (and other older clients) treat 1012-2999 as a protocol error, so ours is 4013.
inline constexpr int TryAgainLater = 4013;
inline constexpr int SlowConsumer = 4001; // outbound queue over its cap: the client does not read
inline constexpr int IdleTimeout = 4002;  // no frame from the client within the idle timeout
} // namespace Close

// Which room ids a relay accepts. Strict: 1-128 characters of [A-Za-z0-9_.:-], so a client
// can never name an arbitrary channel (no spaces, globs or control characters). Seed: any
// non-empty id of up to 128 characters, as the seed's server accepts (minus its lack of a limit).
enum class RoomIds { Strict, Seed };
inline constexpr qsizetype MaxRoomIdLength = 128;
// Entries of a resume's "offsets".
inline constexpr qsizetype MaxResumeOffsets = 1000;

struct Request
{
    enum class Kind { Invalid, Join, Leave, Message, Ping, Resume, Presence };
    Kind kind = Kind::Invalid;

    // The room id exactly as the client sent it (string or number), echoed in acks, and its
    // canonical text form used in channel names ("room:" + roomKey), as the seed's template
    // string would produce it.
    QJsonValue roomId;
    QString roomKey;
    bool hasRoom = false;
    QString user;
    bool hasUser = false;
    QString text;
    // join: the offset of the last message the client has of the room ("since"), to recover
    // what came after it; empty without.
    QByteArray since;
    // resume: the session, and the offset per room key to recover from (rooms not named are
    // rejoined without recovery).
    QByteArray session;
    QList<std::pair<QString, QByteArray>> offsets;

    // Set when kind == Invalid.
    QByteArray errorCode;
    QString errorMessage;
};

// Whether a message must name its "user". Optional where the relay stamps it from a token.
enum class UserField { Required, Optional };

Request parse(const QByteArray &utf8Frame, RoomIds rooms = RoomIds::Strict,
              UserField user = UserField::Required);
// Why roomKey is not acceptable under the policy, or an empty string.
QString roomKeyProblem(QStringView roomKey, RoomIds rooms);

// A history offset: "<ms>-<seq>" (a Redis stream entry id), both decimal without leading zeros
// or sign, each within 64 bits.
bool isOffset(QByteArrayView text);
// The offset a delivered message ends with (,"offset":"<offset>"}), or an empty view.
QByteArrayView offsetOf(QByteArrayView payload);
// a < b, both offsets (isOffset).
bool offsetBefore(QByteArrayView a, QByteArrayView b);

// What a "joined" may say beyond its room (docs/protocol.md): nothing for a plain join.
struct JoinedExtras
{
    // For a join with "since": whether every message after it follows; reason when not.
    std::optional<bool> recovered;
    QByteArray reason;
    // With sessions on: the connection's session.
    QByteArray session;
};

// Outgoing frames, as compact UTF-8 JSON with the keys in the documented order.
QByteArray joined(const QJsonValue &roomId, const JoinedExtras &extras = {});
QByteArray left(const QJsonValue &roomId);
// The answer to a resume, before the rooms' joined frames.
QByteArray resumed(const QByteArray &session, const QList<QJsonValue> &roomIds);
QByteArray pong();
QByteArray error(const QByteArray &code, const QString &message);
// An error about a room that is not the answer to the frame just received: it names the room.
QByteArray roomError(const QByteArray &code, const QString &message, const QJsonValue &roomId);
// The payload published to Redis for a client's message. A relay passes its origin
// ("<instance>-<nonce>", the id without its sequence number) and the payload ends with
// "relay":origin, which marks it as a relay's: only such payloads are checked for repeats.
QByteArray chatMessage(const QString &user, const QString &text, qint64 timestampMs, const QJsonValue *roomId,
                       const QByteArray &id, const QByteArray &origin = {});

// Appends value as JSON (strings escaped, numbers in shortest round-trip form).
void appendJson(QByteArray &out, const QJsonValue &value);
void appendJsonString(QByteArray &out, QStringView text);
// The same for UTF-8 text; printable ASCII without quotes or backslashes (ids) is copied as it is.
void appendJsonBytes(QByteArray &out, QByteArrayView utf8);

} // namespace RelayProtocol

// Presence (docs/protocol.md, "Presence").
namespace RelayProtocol {

namespace Error {
// A presence frame for a room the connection is not a member of.
inline constexpr char NotMember[] = "not_member";
// A presence frame to a relay run without --presence.
inline constexpr char PresenceOff[] = "presence_off";
// The relay could not read the room's presence (Redis failed); the client may try again.
inline constexpr char PresenceUnavailable[] = "presence_unavailable";
} // namespace Error

struct PresenceMember
{
    QJsonValue user; // a string, or null when the connection named none
    qint64 since = 0;
};

// {"type":"presence","roomId":R,"members":[...]}, with "truncated":true,"total":T when members
// holds fewer than total.
QByteArray presence(const QJsonValue &roomId, const QList<PresenceMember> &members, qsizetype total);
QByteArray presenceJoin(const QJsonValue &roomId, const PresenceMember &member);
QByteArray presenceLeave(const QJsonValue &roomId, const QJsonValue &user);

} // namespace RelayProtocol

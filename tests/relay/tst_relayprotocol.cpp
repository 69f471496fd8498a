// SPDX-License-Identifier: MIT
#include "relayprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using Kind = RelayProtocol::Request::Kind;

Q_DECLARE_METATYPE(RelayProtocol::Request::Kind)

class tst_RelayProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void seedRoomIds_data();
    void seedRoomIds();
    void replies();
    void chatMessage_data();
    void chatMessage();
    void errorFrameIsValidJson();
    void presenceRequest_data();
    void presenceRequest();
    void presenceFrames();
};

void tst_RelayProtocol::parse_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("errorCode");
    QTest::addColumn<QString>("roomKey");

    // Accepted frames.
    QTest::newRow("join string") << R"({"type":"join","roomId":"lobby"})"_ba << Kind::Join << ""_ba
                                 << u"lobby"_s;
    QTest::newRow("join number") << R"({"type":"join","roomId":42})"_ba << Kind::Join << ""_ba << u"42"_s;
    QTest::newRow("join fraction") << R"({"type":"join","roomId":1.5})"_ba << Kind::Join << ""_ba << u"1.5"_s;
    QTest::newRow("join room syntax")
        << R"({"type":"join","roomId":"team-1:chat_2.x"})"_ba << Kind::Join << ""_ba << u"team-1:chat_2.x"_s;
    // Strict room ids (the default): 1-128 of [A-Za-z0-9_.:-]; see seedRoomIds for the rest.
    QTest::newRow("join big int (1e+21 has a +)")
        << R"({"type":"join","roomId":1e21})"_ba << Kind::Invalid << "invalid_room"_ba << u""_s;
    QTest::newRow("join unicode") << R"({"type":"join","roomId":"café"})"_ba << Kind::Invalid
                                  << "invalid_room"_ba << u""_s;
    QTest::newRow("join space") << R"({"type":"join","roomId":"a b"})"_ba << Kind::Invalid
                                << "invalid_room"_ba << u""_s;
    QTest::newRow("message glob room") << R"({"type":"message","roomId":"*","user":"u","text":"t"})"_ba
                                       << Kind::Invalid << "invalid_room"_ba << u""_s;
    QTest::newRow("leave") << R"({"type":"leave","roomId":"a"})"_ba << Kind::Leave << ""_ba << u"a"_s;
    QTest::newRow("message room") << R"({"type":"message","roomId":"a","user":"u","text":"t"})"_ba
                                  << Kind::Message << ""_ba << u"a"_s;
    QTest::newRow("message broadcast")
        << R"({"type":"message","user":"u","text":"t"})"_ba << Kind::Message << ""_ba << u""_s;
    QTest::newRow("message null room = broadcast")
        << R"({"type":"message","roomId":null,"user":"u","text":"t"})"_ba << Kind::Message << ""_ba << u""_s;
    QTest::newRow("message empty text")
        << R"({"type":"message","user":"","text":""})"_ba << Kind::Message << ""_ba << u""_s;
    QTest::newRow("extra fields ignored")
        << R"({"type":"ping","x":[1,2]})"_ba << Kind::Ping << ""_ba << u""_s;
    QTest::newRow("ping") << R"({"type":"ping"})"_ba << Kind::Ping << ""_ba << u""_s;
    QTest::newRow("join since") << R"({"type":"join","roomId":"a","since":"1733480000000-0"})"_ba
                                << Kind::Join << ""_ba << u"a"_s;
    QTest::newRow("join since null") << R"({"type":"join","roomId":"a","since":null})"_ba << Kind::Join
                                     << ""_ba << u"a"_s;
    QTest::newRow("join user") << R"({"type":"join","roomId":"a","user":"ann"})"_ba << Kind::Join << ""_ba
                               << u"a"_s;
    QTest::newRow("whitespace") << " \n{ \"type\" : \"ping\" }\n"_ba << Kind::Ping << ""_ba << u""_s;

    // Rejected frames, each with its stable code.
    QTest::newRow("not json") << "hello"_ba << Kind::Invalid << "invalid_json"_ba << u""_s;
    QTest::newRow("empty") << ""_ba << Kind::Invalid << "invalid_json"_ba << u""_s;
    QTest::newRow("truncated") << R"({"type":"join")"_ba << Kind::Invalid << "invalid_json"_ba << u""_s;
    QTest::newRow("array") << "[1,2]"_ba << Kind::Invalid << "not_an_object"_ba << u""_s;
    QTest::newRow("top-level string") << R"("ping")"_ba << Kind::Invalid << "not_an_object"_ba << u""_s;
    QTest::newRow("top-level number") << "42"_ba << Kind::Invalid << "not_an_object"_ba << u""_s;
    QTest::newRow("top-level null") << "null"_ba << Kind::Invalid << "not_an_object"_ba << u""_s;
    QTest::newRow("no type") << R"({"roomId":"a"})"_ba << Kind::Invalid << "missing_type"_ba << u""_s;
    QTest::newRow("type number") << R"({"type":7})"_ba << Kind::Invalid << "invalid_type"_ba << u""_s;
    QTest::newRow("type null") << R"({"type":null})"_ba << Kind::Invalid << "invalid_type"_ba << u""_s;
    QTest::newRow("unknown type") << R"({"type":"subscribe"})"_ba << Kind::Invalid << "unknown_type"_ba
                                  << u""_s;
    QTest::newRow("type case matters")
        << R"({"type":"JOIN","roomId":"a"})"_ba << Kind::Invalid << "unknown_type"_ba << u""_s;
    QTest::newRow("join no room") << R"({"type":"join"})"_ba << Kind::Invalid << "missing_field"_ba << u""_s;
    QTest::newRow("join null room") << R"({"type":"join","roomId":null})"_ba << Kind::Invalid
                                    << "invalid_field"_ba << u""_s;
    QTest::newRow("join empty room") << R"({"type":"join","roomId":""})"_ba << Kind::Invalid
                                     << "invalid_field"_ba << u""_s;
    QTest::newRow("join object room")
        << R"({"type":"join","roomId":{"a":1}})"_ba << Kind::Invalid << "invalid_field"_ba << u""_s;
    QTest::newRow("join bool room") << R"({"type":"join","roomId":true})"_ba << Kind::Invalid
                                    << "invalid_field"_ba << u""_s;
    QTest::newRow("leave no room") << R"({"type":"leave"})"_ba << Kind::Invalid << "missing_field"_ba
                                   << u""_s;
    QTest::newRow("message no text") << R"({"type":"message","user":"u"})"_ba << Kind::Invalid
                                     << "missing_field"_ba << u""_s;
    QTest::newRow("message no user") << R"({"type":"message","text":"t"})"_ba << Kind::Invalid
                                     << "missing_field"_ba << u""_s;
    QTest::newRow("message text number")
        << R"({"type":"message","user":"u","text":5})"_ba << Kind::Invalid << "invalid_field"_ba << u""_s;
    QTest::newRow("message user object")
        << R"({"type":"message","user":{},"text":"t"})"_ba << Kind::Invalid << "invalid_field"_ba << u""_s;
    QTest::newRow("join since number")
        << R"({"type":"join","roomId":"a","since":5})"_ba << Kind::Invalid << "invalid_offset"_ba << u""_s;
    QTest::newRow("join since text") << R"({"type":"join","roomId":"a","since":"latest"})"_ba << Kind::Invalid
                                     << "invalid_offset"_ba << u""_s;
    QTest::newRow("join since no seq") << R"({"type":"join","roomId":"a","since":"17-"})"_ba << Kind::Invalid
                                       << "invalid_offset"_ba << u""_s;
    QTest::newRow("join since leading zero") << R"({"type":"join","roomId":"a","since":"017-0"})"_ba
                                             << Kind::Invalid << "invalid_offset"_ba << u""_s;
    QTest::newRow("join since over 64 bits")
        << R"({"type":"join","roomId":"a","since":"18446744073709551616-0"})"_ba << Kind::Invalid
        << "invalid_offset"_ba << u""_s;
    QTest::newRow("join user number")
        << R"({"type":"join","roomId":"a","user":1})"_ba << Kind::Invalid << "invalid_field"_ba << u""_s;
    QTest::newRow("message room array") << R"({"type":"message","roomId":[1],"user":"u","text":"t"})"_ba
                                        << Kind::Invalid << "invalid_field"_ba << u""_s;
}

void tst_RelayProtocol::parse()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, errorCode);
    const RelayProtocol::Request r = RelayProtocol::parse(frame);
    QTEST(r.kind, "kind");
    QCOMPARE(r.errorCode, errorCode);
    if (r.kind == Kind::Invalid)
        QVERIFY2(!r.errorMessage.isEmpty(), "every error carries a human-readable message");
    else
        QTEST(r.roomKey, "roomKey");
}

void tst_RelayProtocol::seedRoomIds_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QByteArray>("errorCode");
    QTest::addColumn<QString>("roomKey");
    QTest::newRow("big int") << R"({"type":"join","roomId":1e21})"_ba
                             << ""_ba << u"1e+21"_s;
    QTest::newRow("unicode") << R"({"type":"join","roomId":"café"})"_ba
                             << ""_ba << u"café"_s;
    QTest::newRow("space") << R"({"type":"join","roomId":"a b"})"_ba
                           << ""_ba << u"a b"_s;
    QTest::newRow("128 chars") << "{\"type\":\"join\",\"roomId\":\"" + QByteArray(128, 'y') + "\"}"
                               << ""_ba << QString(128, u'y');
    QTest::newRow("129 chars") << "{\"type\":\"join\",\"roomId\":\"" + QByteArray(129, 'y') + "\"}"
                               << "invalid_room"_ba << u""_s;
}

void tst_RelayProtocol::seedRoomIds()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, errorCode);
    const RelayProtocol::Request r = RelayProtocol::parse(frame, RelayProtocol::RoomIds::Seed);
    QCOMPARE(r.errorCode, errorCode);
    if (errorCode.isEmpty())
        QTEST(r.roomKey, "roomKey");
}

void tst_RelayProtocol::replies()
{
    QCOMPARE(RelayProtocol::joined(QJsonValue(u"a\"b"_s)), R"({"type":"joined","roomId":"a\"b"})"_ba);
    QCOMPARE(RelayProtocol::joined(QJsonValue(7)), R"({"type":"joined","roomId":7})"_ba);
    QCOMPARE(RelayProtocol::left(QJsonValue(u"x"_s)), R"({"type":"left","roomId":"x"})"_ba);
    QCOMPARE(RelayProtocol::pong(), R"({"type":"pong"})"_ba);
}

void tst_RelayProtocol::chatMessage_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QJsonValue>("roomId");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("room")
        << u"al"_s << u"hi"_s << QJsonValue(u"r1"_s)
        << R"({"type":"message","user":"al","text":"hi","timestamp":1700000000000,"roomId":"r1","id":"i-1"})"_ba;
    QTest::newRow("numeric room")
        << u"al"_s << u"hi"_s << QJsonValue(3)
        << R"({"type":"message","user":"al","text":"hi","timestamp":1700000000000,"roomId":3,"id":"i-1"})"_ba;
    QTest::newRow("broadcast")
        << u"al"_s << u"hi"_s << QJsonValue(QJsonValue::Undefined)
        << R"({"type":"message","user":"al","text":"hi","timestamp":1700000000000,"id":"i-1"})"_ba;
    QTest::newRow("escapes")
        << u"a\"b\\"_s << u"line\nnext\ttab\u0001"_s << QJsonValue(QJsonValue::Undefined)
        << R"({"type":"message","user":"a\"b\\","text":"line\nnext\ttab\u0001","timestamp":1700000000000,"id":"i-1"})"_ba;
    QTest::newRow("lone surrogates escaped like JSON.stringify")
        << u"u"_s << QString(QChar(0xd800)) + u"x"_s + QChar(0xdc01) << QJsonValue(QJsonValue::Undefined)
        << R"({"type":"message","user":"u","text":"\ud800x\udc01","timestamp":1700000000000,"id":"i-1"})"_ba;
    QTest::newRow("unicode kept as UTF-8")
        << u"zoë"_s << u"😀"_s << QJsonValue(QJsonValue::Undefined)
        << (u"{\"type\":\"message\",\"user\":\"zoë\",\"text\":\"😀\",\"timestamp\":1700000000000,\"id\":\"i-1\"}"_s)
               .toUtf8();
}

void tst_RelayProtocol::chatMessage()
{
    QFETCH(QString, user);
    QFETCH(QString, text);
    QFETCH(QJsonValue, roomId);
    QFETCH(QByteArray, expected);
    const QByteArray out = RelayProtocol::chatMessage(user, text, 1700000000000,
                                                      roomId.isUndefined() ? nullptr : &roomId, "i-1"_ba);
    QCOMPARE(out, expected);
    // And it is JSON that round-trips the fields.
    const QJsonObject o = QJsonDocument::fromJson(out).object();
    QCOMPARE(o.value("user"_L1).toString(), user);
    QCOMPARE(o.value("text"_L1).toString(), text);
}

void tst_RelayProtocol::errorFrameIsValidJson()
{
    const QByteArray frame = RelayProtocol::error("invalid_json", u"bad \"input\"\n"_s);
    const QJsonObject o = QJsonDocument::fromJson(frame).object();
    QCOMPARE(o.value("type"_L1).toString(), u"error"_s);
    QCOMPARE(o.value("code"_L1).toString(), u"invalid_json"_s);
    QCOMPARE(o.value("message"_L1).toString(), u"bad \"input\"\n"_s);
    QCOMPARE(o.size(), 3);
}

void tst_RelayProtocol::presenceRequest_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<QByteArray>("errorCode");
    QTest::addColumn<QString>("roomKey");
    QTest::newRow("string") << R"({"type":"presence","roomId":"lobby"})"_ba << Kind::Presence << ""_ba
                            << u"lobby"_s;
    QTest::newRow("number") << R"({"type":"presence","roomId":7})"_ba << Kind::Presence << ""_ba << u"7"_s;
    QTest::newRow("no room") << R"({"type":"presence"})"_ba << Kind::Invalid << "missing_field"_ba << u""_s;
    QTest::newRow("null room") << R"({"type":"presence","roomId":null})"_ba << Kind::Invalid
                               << "invalid_field"_ba << u""_s;
    QTest::newRow("bool room") << R"({"type":"presence","roomId":true})"_ba << Kind::Invalid
                               << "invalid_field"_ba << u""_s;
    QTest::newRow("bad room") << R"({"type":"presence","roomId":"a b"})"_ba << Kind::Invalid
                              << "invalid_room"_ba << u""_s;
    QTest::newRow("case") << R"({"type":"Presence","roomId":"a"})"_ba << Kind::Invalid << "unknown_type"_ba
                          << u""_s;
}

void tst_RelayProtocol::presenceRequest()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, errorCode);
    const RelayProtocol::Request r = RelayProtocol::parse(frame);
    QTEST(r.kind, "kind");
    QCOMPARE(r.errorCode, errorCode);
    if (r.kind != Kind::Invalid)
        QTEST(r.roomKey, "roomKey");
}

void tst_RelayProtocol::presenceFrames()
{
    using RelayProtocol::PresenceMember;
    const QList<PresenceMember> two{{QJsonValue(u"ann"_s), 1700000000000},
                                    {QJsonValue(QJsonValue::Null), 17}};
    QCOMPARE(RelayProtocol::presence(QJsonValue(u"lobby"_s), two, 2),
             R"({"type":"presence","roomId":"lobby","members":[{"user":"ann","since":1700000000000},)"
             R"({"user":null,"since":17}]})"_ba);
    QCOMPARE(RelayProtocol::presence(QJsonValue(7), {}, 0),
             R"({"type":"presence","roomId":7,"members":[]})"_ba);
    QCOMPARE(RelayProtocol::presence(QJsonValue(7), two.first(1), 5),
             R"({"type":"presence","roomId":7,"members":[{"user":"ann","since":1700000000000}],)"
             R"("truncated":true,"total":5})"_ba);
    QCOMPARE(RelayProtocol::presenceJoin(QJsonValue(u"a"_s), {QJsonValue(u"q\"x"_s), 5}),
             R"({"type":"presence_join","roomId":"a","user":"q\"x","since":5})"_ba);
    QCOMPARE(RelayProtocol::presenceLeave(QJsonValue(3), QJsonValue(QJsonValue::Null)),
             R"({"type":"presence_leave","roomId":3,"user":null})"_ba);
}

QTEST_MAIN(tst_RelayProtocol)
#include "tst_relayprotocol.moc"

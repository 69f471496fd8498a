// SPDX-License-Identifier: MIT
#include "jwtverifier.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray Secret = "0123456789abcdef0123456789abcdef"_ba; // 32 bytes
const QByteArray OtherSecret = "fedcba9876543210fedcba9876543210"_ba;
constexpr qint64 Now = 1'700'000'000;

QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// A token from raw header and payload JSON, signed with HS256 whatever the header says.
QByteArray token(const QByteArray &header, const QByteArray &payload, const QByteArray &secret = Secret)
{
    const QByteArray input = b64(header) + '.' + b64(payload);
    return input + '.' + b64(QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256));
}

QByteArray hs256(const QByteArray &payload, const QByteArray &secret = Secret)
{
    return token(R"({"alg":"HS256","typ":"JWT"})"_ba, payload, secret);
}

QByteArray segment(const QByteArray &tok, int index)
{
    return tok.split('.').value(index);
}

} // namespace

class tst_JwtVerifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verify_data();
    void verify();
    void claims_data();
    void claims();
    void allowsRoom_data();
    void allowsRoom();
    void signRoundTrip();
    void jwtIoVector();
    void constantTimeEquals();
    void secretFromFile_data();
    void secretFromFile();
};

void tst_JwtVerifier::verify_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<int>("leeway");
    QTest::addColumn<QByteArray>("code"); // empty: accepted

    const QByteArray valid = hs256(R"({"sub":"alice"})"_ba);
    const auto num = [](qint64 n) {
        return QByteArray::number(n);
    };

    QTest::newRow("valid") << valid << 0 << ""_ba;
    QTest::newRow("valid no typ") << token(R"({"alg":"HS256"})"_ba, "{}"_ba) << 0 << ""_ba;
    QTest::newRow("valid via sign()") << JwtVerifier::sign({{u"sub"_s, u"bob"_s}}, Secret) << 0 << ""_ba;

    // Signature.
    QTest::newRow("forged payload") << segment(valid, 0) + '.' + b64(R"({"sub":"root"})"_ba) + '.' +
                                           segment(valid, 2)
                                    << 0 << "token_signature"_ba;
    QTest::newRow("other secret") << hs256(R"({"sub":"alice"})"_ba, OtherSecret) << 0 << "token_signature"_ba;
    QTest::newRow("forged payload, other secret")
        << hs256(R"({"sub":"root"})"_ba, OtherSecret) << 0 << "token_signature"_ba;
    QTest::newRow("empty signature") << segment(valid, 0) + '.' + segment(valid, 1) + '.' << 0
                                     << "token_signature"_ba;
    QTest::newRow("truncated signature") << valid.chopped(3) << 0 << "token_signature"_ba;
    QTest::newRow("header swapped") << b64(R"({"typ":"JWT","alg":"HS256"})"_ba) + '.' + segment(valid, 1) +
                                           '.' + segment(valid, 2)
                                    << 0 << "token_signature"_ba;

    // Algorithm.
    QTest::newRow("alg none, no signature")
        << b64(R"({"alg":"none"})"_ba) + '.' + b64(R"({"sub":"root"})"_ba) + '.' << 0 << "token_alg"_ba;
    QTest::newRow("alg none, signed") << token(R"({"alg":"none"})"_ba, "{}"_ba) << 0 << "token_alg"_ba;
    QTest::newRow("alg HS512") << token(R"({"alg":"HS512","typ":"JWT"})"_ba, "{}"_ba) << 0 << "token_alg"_ba;
    QTest::newRow("alg RS256") << token(R"({"alg":"RS256"})"_ba, "{}"_ba) << 0 << "token_alg"_ba;
    QTest::newRow("alg lower case") << token(R"({"alg":"hs256"})"_ba, "{}"_ba) << 0 << "token_alg"_ba;
    QTest::newRow("alg number") << token(R"({"alg":256})"_ba, "{}"_ba) << 0 << "token_alg"_ba;
    QTest::newRow("alg missing") << token(R"({"typ":"JWT"})"_ba, "{}"_ba) << 0 << "token_alg"_ba;

    // Malformed.
    QTest::newRow("empty") << ""_ba << 0 << "token_malformed"_ba;
    QTest::newRow("two segments") << segment(valid, 0) + '.' + segment(valid, 1) << 0 << "token_malformed"_ba;
    QTest::newRow("four segments") << valid + ".x" << 0 << "token_malformed"_ba;
    QTest::newRow("dots only") << ".."_ba << 0 << "token_malformed"_ba;
    QTest::newRow("bad base64 header")
        << "ey!J." + segment(valid, 1) + '.' + segment(valid, 2) << 0 << "token_malformed"_ba;
    QTest::newRow("standard base64 alphabet")
        << segment(valid, 0) + '.' + segment(valid, 1) + '.' +
               segment(valid, 2).replace('-', '+').replace('_', '/') + "+/"
        << 0 << "token_malformed"_ba;
    QTest::newRow("padded header") << b64(R"({"alg":"HS256" })"_ba) + "==." + b64("{}"_ba) + ".AAAA" << 0
                                   << "token_malformed"_ba;
    {
        // The last character of a 43-character signature carries 2 stray bits; they must be zero.
        const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"_ba;
        QByteArray stray = valid;
        stray.back() = alphabet.at(alphabet.indexOf(stray.back()) ^ 1);
        QTest::newRow("non-canonical base64") << stray << 0 << "token_malformed"_ba;
        const QByteArray input = segment(valid, 0) + ".@@@@";
        QTest::newRow("bad base64 payload, signed")
            << input + '.' + b64(QMessageAuthenticationCode::hash(input, Secret, QCryptographicHash::Sha256))
            << 0 << "token_malformed"_ba;
    }
    QTest::newRow("impossible length")
        << "eyJhb." + segment(valid, 1) + '.' + segment(valid, 2) << 0 << "token_malformed"_ba;
    QTest::newRow("non-JSON header") << token("alg=HS256"_ba, "{}"_ba) << 0 << "token_malformed"_ba;
    QTest::newRow("header array") << token(R"(["HS256"])"_ba, "{}"_ba) << 0 << "token_malformed"_ba;
    QTest::newRow("typ number") << token(R"({"alg":"HS256","typ":1})"_ba, "{}"_ba) << 0
                                << "token_malformed"_ba;
    QTest::newRow("crit header") << token(R"({"alg":"HS256","crit":["exp"]})"_ba, "{}"_ba) << 0
                                 << "token_malformed"_ba;
    QTest::newRow("non-JSON payload, signed") << hs256("not json"_ba) << 0 << "token_malformed"_ba;
    QTest::newRow("payload array, signed") << hs256("[1]"_ba) << 0 << "token_malformed"_ba;
    QTest::newRow("space in token") << valid + ' ' << 0 << "token_malformed"_ba;

    // Time claims.
    QTest::newRow("exp future") << hs256(R"({"exp":)" + num(Now + 1) + '}') << 0 << ""_ba;
    QTest::newRow("exp now") << hs256(R"({"exp":)" + num(Now) + '}') << 0 << "token_expired"_ba;
    QTest::newRow("exp past") << hs256(R"({"exp":)" + num(Now - 3600) + '}') << 0 << "token_expired"_ba;
    QTest::newRow("exp past, within leeway") << hs256(R"({"exp":)" + num(Now - 29) + '}') << 30 << ""_ba;
    QTest::newRow("exp past, at leeway")
        << hs256(R"({"exp":)" + num(Now - 30) + '}') << 30 << "token_expired"_ba;
    QTest::newRow("exp fractional") << hs256(R"({"exp":)" + num(Now) + ".5}") << 0 << ""_ba;
    QTest::newRow("exp string") << hs256(R"({"exp":")" + num(Now + 60) + "\"}") << 0 << "token_claims"_ba;
    QTest::newRow("exp null") << hs256(R"({"exp":null})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("nbf now") << hs256(R"({"nbf":)" + num(Now) + '}') << 0 << ""_ba;
    QTest::newRow("nbf future") << hs256(R"({"nbf":)" + num(Now + 1) + '}') << 0 << "token_not_yet_valid"_ba;
    QTest::newRow("nbf future, within leeway") << hs256(R"({"nbf":)" + num(Now + 30) + '}') << 30 << ""_ba;
    QTest::newRow("nbf future, beyond leeway")
        << hs256(R"({"nbf":)" + num(Now + 31) + '}') << 30 << "token_not_yet_valid"_ba;
    QTest::newRow("nbf string") << hs256(R"({"nbf":"soon"})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("exp and nbf window")
        << hs256(R"({"nbf":)" + num(Now - 10) + R"(,"exp":)" + num(Now + 10) + '}') << 0 << ""_ba;

    // Other claims.
    QTest::newRow("rooms string") << hs256(R"({"rooms":"lobby"})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("rooms object") << hs256(R"({"rooms":{"a":1}})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("rooms number entry") << hs256(R"({"rooms":["a",1]})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("rooms empty entry") << hs256(R"({"rooms":["a",""]})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("rooms null") << hs256(R"({"rooms":null})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("broadcast string") << hs256(R"({"broadcast":"yes"})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("broadcast number") << hs256(R"({"broadcast":1})"_ba) << 0 << "token_claims"_ba;
    QTest::newRow("sub number") << hs256(R"({"sub":42})"_ba) << 0 << "token_claims"_ba;

    // Length cap: a valid token of exactly the cap is accepted, one byte more is refused unread.
    QByteArray atCap;
    for (qsizetype filler = JwtVerifier::MaxTokenLength * 3 / 4 - 200;
         atCap.size() < JwtVerifier::MaxTokenLength; ++filler)
        atCap = hs256(R"({"pad":")" + QByteArray(filler, 'x') + "\"}");
    QCOMPARE(atCap.size(), JwtVerifier::MaxTokenLength); // unpadded base64 can hit this length exactly
    QTest::newRow("at length cap") << atCap << 0 << ""_ba;
    QTest::newRow("over length cap") << valid +
                                            QByteArray(JwtVerifier::MaxTokenLength + 1 - valid.size(), 'A')
                                     << 0 << "token_too_long"_ba;
    QTest::newRow("huge garbage") << QByteArray(100'000, '.') << 0 << "token_too_long"_ba;
}

void tst_JwtVerifier::verify()
{
    QFETCH(QByteArray, token);
    QFETCH(int, leeway);
    QFETCH(QByteArray, code);

    const JwtVerifier verifier(Secret, std::chrono::seconds(leeway));
    const JwtVerifier::Result r = verifier.verify(token, Now);
    QCOMPARE(r.code, code);
    QCOMPARE(r.ok, code.isEmpty());
    if (r.ok) {
        QVERIFY(r.reason.isEmpty());
    } else {
        QVERIFY(!r.reason.isEmpty());
        QVERIFY(!r.reason.contains(QString::fromLatin1(Secret)));
        QVERIFY(token.size() < 16 || !r.reason.contains(QString::fromLatin1(token)));
        QVERIFY(r.claims.raw.isEmpty());
    }
}

void tst_JwtVerifier::claims_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<bool>("hasRooms");
    QTest::addColumn<QStringList>("rooms");
    QTest::addColumn<bool>("broadcast");

    QTest::newRow("empty") << "{}"_ba << u""_s << false << QStringList() << true;
    QTest::newRow("subject") << R"({"sub":"alice"})"_ba << u"alice"_s << false << QStringList() << true;
    QTest::newRow("empty subject") << R"({"sub":""})"_ba << u""_s << false << QStringList() << true;
    QTest::newRow("no rooms, broadcast false")
        << R"({"broadcast":false})"_ba << u""_s << false << QStringList() << false;
    QTest::newRow("rooms: broadcast defaults to false")
        << R"({"sub":"bob","rooms":["a","team:*"]})"_ba << u"bob"_s << true
        << QStringList{u"a"_s, u"team:*"_s} << false;
    QTest::newRow("rooms and broadcast true")
        << R"({"rooms":["a"],"broadcast":true})"_ba << u""_s << true << QStringList{u"a"_s} << true;
    QTest::newRow("empty rooms") << R"({"rooms":[]})"_ba << u""_s << true << QStringList() << false;
    QTest::newRow("unicode room") << R"({"rooms":["café"]})"_ba << u""_s << true << QStringList{u"café"_s}
                                  << false;
}

void tst_JwtVerifier::claims()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, subject);
    QFETCH(bool, hasRooms);
    QFETCH(QStringList, rooms);
    QFETCH(bool, broadcast);

    const JwtVerifier::Result r = JwtVerifier(Secret).verify(hs256(payload), Now);
    QVERIFY2(r.ok, qPrintable(r.reason));
    QCOMPARE(r.claims.subject, subject);
    QCOMPARE(r.claims.rooms.has_value(), hasRooms);
    if (hasRooms)
        QCOMPARE(*r.claims.rooms, rooms);
    QCOMPARE(r.claims.broadcast, broadcast);
    QCOMPARE(r.claims.raw, QJsonDocument::fromJson(payload).object());
}

void tst_JwtVerifier::allowsRoom_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("room");
    QTest::addColumn<bool>("allowed");

    QTest::newRow("no claim") << "{}"_ba << u"anything"_s << true;
    QTest::newRow("empty list") << R"({"rooms":[]})"_ba << u"lobby"_s << false;
    QTest::newRow("exact") << R"({"rooms":["lobby","42"]})"_ba << u"lobby"_s << true;
    QTest::newRow("exact number key") << R"({"rooms":["lobby","42"]})"_ba << u"42"_s << true;
    QTest::newRow("not listed") << R"({"rooms":["lobby"]})"_ba << u"lounge"_s << false;
    QTest::newRow("exact is not prefix") << R"({"rooms":["lobby"]})"_ba << u"lobby2"_s << false;
    QTest::newRow("case matters") << R"({"rooms":["lobby"]})"_ba << u"Lobby"_s << false;
    QTest::newRow("prefix") << R"({"rooms":["team:*"]})"_ba << u"team:red"_s << true;
    QTest::newRow("prefix, bare") << R"({"rooms":["team:*"]})"_ba << u"team:"_s << true;
    QTest::newRow("prefix, other") << R"({"rooms":["team:*"]})"_ba << u"teams"_s << false;
    QTest::newRow("prefix, shorter") << R"({"rooms":["team:*"]})"_ba << u"team"_s << false;
    QTest::newRow("star is not a glob mid-string") << R"({"rooms":["a*b"]})"_ba << u"axb"_s << false;
    QTest::newRow("star alone") << R"({"rooms":["*"]})"_ba << u"anything"_s << true;
    QTest::newRow("star alone, empty key") << R"({"rooms":["*"]})"_ba << u""_s << true;
    QTest::newRow("second entry") << R"({"rooms":["x","team:*"]})"_ba << u"team:blue"_s << true;
}

void tst_JwtVerifier::allowsRoom()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, room);
    QFETCH(bool, allowed);

    const JwtVerifier::Result r = JwtVerifier(Secret).verify(hs256(payload), Now);
    QVERIFY2(r.ok, qPrintable(r.reason));
    QCOMPARE(r.claims.allowsRoom(room), allowed);
}

void tst_JwtVerifier::signRoundTrip()
{
    const QJsonObject payload{
        {u"sub"_s, u"carol"_s}, {u"rooms"_s, QJsonArray{u"a"_s, u"b:*"_s}}, {u"exp"_s, double(Now + 60)}};
    const QByteArray tok = JwtVerifier::sign(payload, Secret);
    QCOMPARE(tok.count('.'), 2);
    QVERIFY(!tok.contains('='));
    // The header is the canonical {"alg":"HS256","typ":"JWT"}, as in the jwt.io example.
    QCOMPARE(segment(tok, 0), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"_ba);

    const JwtVerifier::Result r = JwtVerifier(Secret).verify(tok, Now);
    QVERIFY2(r.ok, qPrintable(r.reason));
    QCOMPARE(r.claims.raw, payload);
    QCOMPARE(r.claims.subject, u"carol"_s);
    QVERIFY(!r.claims.broadcast);
    QCOMPARE(JwtVerifier(OtherSecret).verify(tok, Now).code, "token_signature"_ba);
    QCOMPARE(JwtVerifier(Secret).verify(tok, Now + 60).code, "token_expired"_ba);
    QCOMPARE(JwtVerifier(Secret, 5s).verify(tok, Now + 64).code, ""_ba);
    QVERIFY(!JwtVerifier(QByteArray()).verify(JwtVerifier::sign({}, QByteArray()), Now).ok);
}

void tst_JwtVerifier::jwtIoVector()
{
    const QByteArray secret = "your-256-bit-secret"_ba;
    const QByteArray tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                           "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                           "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"_ba;
    const JwtVerifier::Result r = JwtVerifier(secret).verify(tok, 1516239022);
    QVERIFY2(r.ok, qPrintable(r.reason));
    QCOMPARE(r.claims.subject, u"1234567890"_s);
    QCOMPARE(r.claims.raw.value("name"_L1).toString(), u"John Doe"_s);
    QCOMPARE(r.claims.raw.value("iat"_L1).toInteger(), 1516239022);
    QVERIFY(!r.claims.rooms);
    QVERIFY(r.claims.broadcast);
    QCOMPARE(JwtVerifier("your-256-bit-secreT"_ba).verify(tok, 1516239022).code, "token_signature"_ba);

    // sign() against an independently computed HMAC-SHA256 (Python hmac) for {"sub":"1234567890"}.
    QCOMPARE(JwtVerifier::sign({{u"sub"_s, u"1234567890"_s}}, secret),
             "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
             "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"_ba);
}

void tst_JwtVerifier::constantTimeEquals()
{
    QVERIFY(JwtVerifier::constantTimeEquals("", ""));
    QVERIFY(JwtVerifier::constantTimeEquals("abc", "abc"));
    QVERIFY(!JwtVerifier::constantTimeEquals("abc", "abd"));
    QVERIFY(!JwtVerifier::constantTimeEquals("abc", "ab"));
    QVERIFY(!JwtVerifier::constantTimeEquals("\x80", "\x00"_ba));
}

void tst_JwtVerifier::secretFromFile_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content"); // null: no file written
    QTest::addColumn<QByteArray>("secret");  // null: expected to fail
    QTest::addColumn<QString>("error");      // part of the expected error message

    const QByteArray s32 = "0123456789abcdef0123456789abcdef"_ba;
    QTest::newRow("missing") << u"missing"_s << QByteArray() << QByteArray() << u"does not exist"_s;
    QTest::newRow("directory") << u"dir"_s << QByteArray() << QByteArray() << u"cannot be read"_s;
    QTest::newRow("empty") << u"secret"_s << ""_ba << QByteArray() << u"is empty"_s;
    QTest::newRow("only whitespace") << u"secret"_s << " \n\r\n\t"_ba << QByteArray() << u"is empty"_s;
    QTest::newRow("short") << u"secret"_s << s32.chopped(1) << QByteArray() << u"shorter than 32"_s;
    QTest::newRow("short with newline") << u"secret"_s << s32.chopped(1) + '\n'
                                        << QByteArray() << u"shorter than 32"_s;
    QTest::newRow("ok, trailing newline") << u"secret"_s << s32 + '\n' << s32 << u""_s;
    QTest::newRow("ok, trailing CRLF and blanks") << u"secret"_s << s32 + " \t\r\n\n"_ba << s32 << u""_s;
    QTest::newRow("ok, no newline") << u"secret"_s << s32 << s32 << u""_s;
    QTest::newRow("ok, inner space kept") << u"secret"_s << "0123456789abcdef 0123456789abcdef\n"_ba
                                          << "0123456789abcdef 0123456789abcdef"_ba << u""_s;
    QTest::newRow("ok, binary") << u"secret"_s << QByteArray(40, '\xa0') << QByteArray(40, '\xa0') << u""_s;
}

void tst_JwtVerifier::secretFromFile()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    QFETCH(QByteArray, secret);
    QFETCH(QString, error);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name);
    if (name == "dir"_L1)
        QVERIFY(QDir(dir.path()).mkdir(name));
    if (!content.isNull()) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(file.write(content), content.size());
    }

    QString message = u"untouched"_s;
    const std::optional<QByteArray> result = JwtVerifier::secretFromFile(path, &message);
    if (secret.isNull()) {
        QVERIFY(!result);
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY(content.trimmed().isEmpty() || !message.contains(QString::fromLatin1(content.trimmed())));
    } else {
        QVERIFY2(result, qPrintable(message));
        QCOMPARE(*result, secret);
        QVERIFY(message.isEmpty());
    }
    QCOMPARE(JwtVerifier::secretFromFile(path, nullptr).has_value(), !secret.isNull());
}

QTEST_MAIN(tst_JwtVerifier)
#include "tst_jwtverifier.moc"

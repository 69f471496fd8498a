// SPDX-License-Identifier: MIT
#include "respreader.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RespReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void replies_data();
    void replies();
    void byteAtATime();
    void hugeDeclaredArrayAllocatesAsItArrives();
    void pipelinedReplies();
    void protocolError();
    void resp3IsAProtocolError_data();
    void resp3IsAProtocolError();
    void nestingDeeperThanSevenIsRefused_data();
    void nestingDeeperThanSevenIsRefused();
    void multiBulkCountBounds_data();
    void multiBulkCountBounds();
    void formatCommand_data();
    void formatCommand();
};

Q_DECLARE_METATYPE(RedisValue::Type)

void tst_RespReader::initTestCase()
{
    qInfo().noquote() << "hiredis" << RespReader::hiredisVersion();
}

void tst_RespReader::replies_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("display");
    QTest::addColumn<RedisValue::Type>("type");

    QTest::newRow("status") << "+OK\r\n"_ba << u"OK"_s << RedisValue::Type::Status;
    QTest::newRow("error") << "-ERR wrong\r\n"_ba << u"(error) ERR wrong"_s << RedisValue::Type::Error;
    QTest::newRow("integer") << ":-42\r\n"_ba << u"(integer) -42"_s << RedisValue::Type::Integer;
    QTest::newRow("bulk") << "$5\r\nhello\r\n"_ba << u"\"hello\""_s << RedisValue::Type::String;
    QTest::newRow("bulk with CRLF inside")
        << "$4\r\na\r\nb\r\n"_ba << u"\"a\r\nb\""_s << RedisValue::Type::String;
    QTest::newRow("empty bulk") << "$0\r\n\r\n"_ba << u"\"\""_s << RedisValue::Type::String;
    QTest::newRow("nil bulk") << "$-1\r\n"_ba << u"(nil)"_s << RedisValue::Type::Nil;
    QTest::newRow("nil array") << "*-1\r\n"_ba << u"(nil)"_s << RedisValue::Type::Nil;
    QTest::newRow("empty array") << "*0\r\n"_ba << u"[]"_s << RedisValue::Type::Array;
    QTest::newRow("message push") << "*3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$2\r\nhi\r\n"_ba
                                  << u"[\"message\", \"room\", \"hi\"]"_s << RedisValue::Type::Array;
    QTest::newRow("nested mixed") << "*3\r\n:1\r\n*2\r\n+a\r\n-E b\r\n$-1\r\n"_ba
                                  << u"[(integer) 1, [a, (error) E b], (nil)]"_s << RedisValue::Type::Array;
}

void tst_RespReader::replies()
{
    QFETCH(QByteArray, wire);
    RespReader reader;
    reader.feed(wire);
    const std::optional<RedisValue> v = reader.next();
    QVERIFY(v.has_value());
    QTEST(v->type(), "type");
    QTEST(v->toDisplayString(), "display");
    QVERIFY(!reader.next().has_value());
    QVERIFY(!reader.hasError());
}

void tst_RespReader::byteAtATime()
{
    const QByteArray wire = "*2\r\n$5\r\nhello\r\n*1\r\n:7\r\n"_ba;
    RespReader reader;
    for (qsizetype i = 0; i < wire.size() - 1; ++i) {
        reader.feed(wire.constData() + i, 1);
        QVERIFY2(!reader.next().has_value(), "a reply came out before its last byte");
    }
    reader.feed(wire.constData() + wire.size() - 1, 1);
    const auto v = reader.next();
    QVERIFY(v);
    QCOMPARE(v->elements().size(), size_t(2));
    QCOMPARE(v->elements()[0].bytes(), "hello"_ba);
    QCOMPARE(v->elements()[1].elements()[0].toInteger(), 7);
}

void tst_RespReader::pipelinedReplies()
{
    RespReader reader;
    QByteArray wire;
    for (int i = 0; i < 1000; ++i)
        wire += ":" + QByteArray::number(i) + "\r\n";
    reader.feed(wire);
    for (int i = 0; i < 1000; ++i) {
        const auto v = reader.next();
        QVERIFY(v);
        QCOMPARE(v->toInteger(), i);
    }
    QVERIFY(!reader.next());
}

void tst_RespReader::protocolError()
{
    RespReader reader;
    reader.feed("?what\r\n"_ba);
    QVERIFY(!reader.next());
    QVERIFY(reader.hasError());
    QVERIFY(reader.errorString().contains(u"protocol error"_s));
    reader.feed("+OK\r\n"_ba); // stays broken until reset
    QVERIFY(!reader.next());
    reader.reset();
    QVERIFY(!reader.hasError());
    reader.feed("+OK\r\n"_ba);
    QCOMPARE(reader.next()->bytes(), "OK"_ba);
}

// hiredis 1.x parses RESP3; this reader refuses it as 0.14 does, in the same words, whether the
// item arrives whole or one byte at a time.
void tst_RespReader::resp3IsAProtocolError_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<bool>("byteAtATime");
    const QList<std::pair<const char *, QByteArray>> items{
        {"map", "%1\r\n+a\r\n:1\r\n"_ba},   {"set", "~1\r\n:1\r\n"_ba},
        {"double", ",3.14\r\n"_ba},            {"bool", "#t\r\n"_ba},
        {"null", "_\r\n"_ba},                  {"push", ">2\r\n+a\r\n+b\r\n"_ba},
        {"big number", "(12345678901234567890\r\n"_ba}, {"verbatim", "=7\r\ntxt:abc\r\n"_ba},
        {"attribute", "|1\r\n+a\r\n:1\r\n"_ba},
    };
    for (const auto &[name, wire] : items) {
        QTest::addRow("%s", name) << wire << false;
        QTest::addRow("%s, byte at a time", name) << wire << true;
        QTest::addRow("%s inside an array", name) << "*2\r\n:1\r\n"_ba + wire << false;
    }
}

void tst_RespReader::resp3IsAProtocolError()
{
    QFETCH(QByteArray, wire);
    QFETCH(bool, byteAtATime);
    RespReader reader;
    if (byteAtATime) {
        for (qsizetype i = 0; i < wire.size() && !reader.hasError(); ++i) {
            reader.feed(wire.constData() + i, 1);
            QVERIFY(!reader.next().has_value());
        }
    } else {
        reader.feed(wire);
        QVERIFY(!reader.next().has_value());
    }
    QVERIFY(reader.hasError());
    const char typeByte = wire.startsWith('*') ? wire.at(wire.indexOf(":1\r\n") + 4) : wire.at(0);
    QCOMPARE(reader.errorString(), u"RESP protocol error: Protocol error, got \"%1\" as reply type byte"_s.arg(
                                       QLatin1Char(typeByte)));
}

void tst_RespReader::nestingDeeperThanSevenIsRefused_data()
{
    QTest::addColumn<int>("depth"); // of the innermost aggregate, the root being 0
    QTest::addColumn<QByteArray>("innermost");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("7, array") << 7 << "*1\r\n:1\r\n"_ba << true;
    QTest::newRow("7, nil array") << 7 << "*-1\r\n"_ba << true;
    QTest::newRow("8, array") << 8 << "*1\r\n:1\r\n"_ba << false;
    QTest::newRow("8, empty array") << 8 << "*0\r\n"_ba << false;
    QTest::newRow("8, nil array") << 8 << "*-1\r\n"_ba << false;
    QTest::newRow("8, bulk string") << 8 << "$1\r\nx\r\n"_ba << true;
}

void tst_RespReader::nestingDeeperThanSevenIsRefused()
{
    QFETCH(int, depth);
    QFETCH(QByteArray, innermost);
    QFETCH(bool, accepted);
    const QByteArray wire = "*1\r\n"_ba.repeated(depth) + innermost;
    for (const bool byteAtATime : {false, true}) {
        RespReader reader;
        std::optional<RedisValue> value;
        if (byteAtATime) {
            for (qsizetype i = 0; i < wire.size() && !reader.hasError() && !value; ++i) {
                reader.feed(wire.constData() + i, 1);
                value = reader.next();
            }
        } else {
            reader.feed(wire);
            value = reader.next();
        }
        QCOMPARE(value.has_value(), accepted);
        QCOMPARE(reader.hasError(), !accepted);
        if (!accepted) {
            QCOMPARE(reader.errorString(),
                     u"RESP protocol error: No support for nested multi bulk replies with depth > 7"_s);
            continue;
        }
        const RedisValue *v = &*value;
        for (int d = 0; d < depth; ++d) {
            QCOMPARE(v->elements().size(), size_t(1));
            v = &v->elements()[0];
        }
        QCOMPARE(v->type(), innermost.startsWith('$') ? RedisValue::Type::String
                            : innermost.startsWith("*-1") ? RedisValue::Type::Nil
                                                          : RedisValue::Type::Array);
    }
}

void tst_RespReader::multiBulkCountBounds_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<QString>("error"); // empty: waits for the elements
    QTest::newRow("INT_MAX") << "*2147483647\r\n"_ba << QString();
    QTest::newRow("INT_MAX + 1") << "*2147483648\r\n"_ba << u"Multi-bulk length out of range"_s;
    QTest::newRow("-2") << "*-2\r\n"_ba << u"Multi-bulk length out of range"_s;
    QTest::newRow("not a number") << "*x\r\n"_ba << u"Bad multi-bulk length"_s;
    QTest::newRow("bulk length") << "$x\r\n"_ba << u"Bad bulk string length"_s;
    QTest::newRow("integer") << ":1x\r\n"_ba << u"Bad integer value"_s;
}

void tst_RespReader::multiBulkCountBounds()
{
    QFETCH(QByteArray, wire);
    QFETCH(QString, error);
    RespReader reader;
    reader.feed(wire);
    QVERIFY(!reader.next().has_value());
    QCOMPARE(reader.hasError(), !error.isEmpty());
    if (!error.isEmpty())
        QCOMPARE(reader.errorString(), u"RESP protocol error: "_s + error);
}

void tst_RespReader::formatCommand_data()
{
    QTest::addColumn<QByteArrayList>("args");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("ping") << QByteArrayList{"PING"} << "*1\r\n$4\r\nPING\r\n"_ba;
    QTest::newRow("binary-safe") << QByteArrayList{"PUBLISH", "c h", QByteArray("a\0\r\nb", 5)}
                                 << "*3\r\n$7\r\nPUBLISH\r\n$3\r\nc h\r\n$5\r\na\0\r\nb\r\n"_ba;
    QTest::newRow("empty arg") << QByteArrayList{"SET", "k", ""}
                               << "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"_ba;
}

void tst_RespReader::formatCommand()
{
    QFETCH(QByteArrayList, args);
    QTEST(RespReader::formatCommand(args), "wire");
}

void tst_RespReader::hugeDeclaredArrayAllocatesAsItArrives()
{
    // Found by fuzz_resp: the declared count used to be allocated up front (8 GB here).
    RespReader reader;
    reader.feed("*127777777\r\n:1\r\n$2\r\nhi\r\n"_ba);
    QVERIFY(!reader.next().has_value());
    QVERIFY(!reader.hasError());
    // A nested array completes with exactly its children.
    RespReader nested;
    nested.feed("*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n$1\r\nx\r\n"_ba);
    const auto value = nested.next();
    QVERIFY(value.has_value());
    QCOMPARE(value->elements().size(), size_t(2));
    QCOMPARE(value->elements()[0].elements().size(), size_t(3));
    QCOMPARE(value->elements()[0].elements()[2].toInteger(), 3);
    QCOMPARE(value->elements()[1].bytes(), "x"_ba);
}

QTEST_MAIN(tst_RespReader)
#include "tst_respreader.moc"

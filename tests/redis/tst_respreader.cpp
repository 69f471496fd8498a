// SPDX-License-Identifier: MIT
#include "respreader.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RespReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replies_data();
    void replies();
    void byteAtATime();
    void hugeDeclaredArrayAllocatesAsItArrives();
    void pipelinedReplies();
    void protocolError();
    void formatCommand_data();
    void formatCommand();
};

Q_DECLARE_METATYPE(RedisValue::Type)

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

// SPDX-License-Identifier: MIT
#include "websocketparser.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Frame
{
    quint8 opcode = 1;
    QByteArray payload;
    bool fin = true;
    quint8 rsv = 0; // bits 0x70
    bool masked = true;
    int lengthForm = 0; // 0: minimal, 126 or 127: that encoding whatever the size
};

QByteArray encode(const Frame &f)
{
    QByteArray out;
    out += char((f.fin ? 0x80 : 0) | f.rsv | f.opcode);
    const quint64 n = quint64(f.payload.size());
    const int form = f.lengthForm ? f.lengthForm : n < 126 ? 0 : n <= 0xffff ? 126 : 127;
    const char mask = f.masked ? char(0x80) : 0;
    if (form == 0) {
        out += char(mask | char(n));
    } else if (form == 126) {
        out += char(mask | 126);
        out += char(n >> 8);
        out += char(n);
    } else {
        out += char(mask | 127);
        for (int i = 7; i >= 0; --i)
            out += char(n >> (8 * i));
    }
    const QByteArray key = "\x12\x34\x56\x78"_ba;
    QByteArray payload = f.payload;
    if (f.masked) {
        out += key;
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ key[i % 4]);
    }
    return out + payload;
}

QByteArray text(const QByteArray &payload, bool fin = true)
{
    return encode({1, payload, fin});
}

QByteArray cont(const QByteArray &payload, bool fin)
{
    return encode({0, payload, fin});
}

QByteArray control(quint8 opcode, const QByteArray &payload)
{
    return encode({opcode, payload});
}

QByteArray closeFrame(quint16 code, const QByteArray &reason = {})
{
    return control(8, QByteArray(1, char(code >> 8)) + char(code & 0xff) + reason);
}

// Every event as one line of text.
class Recorder : public WebSocketParser::Handler
{
public:
    QStringList events;
    void messageReceived(bool isText, QByteArray &&payload) override
    {
        events << (isText ? u"text:"_s + QString::fromUtf8(payload) : u"binary:%1"_s.arg(payload.size()));
    }
    void pingReceived(QByteArrayView payload) override { events << u"ping:"_s + QString::fromUtf8(payload); }
    void pongReceived(QByteArrayView payload) override { events << u"pong:"_s + QString::fromUtf8(payload); }
    void closeReceived(quint16 code, QByteArrayView reason) override
    {
        events << u"close:%1:%2"_s.arg(code).arg(QString::fromUtf8(reason));
    }
    void failed(quint16 code, const char *) override { events << u"fail:%1"_s.arg(code); }
};

QStringList parseInPieces(const QByteArray &bytes, qsizetype piece, qint64 limit)
{
    WebSocketParser parser(limit);
    Recorder recorder;
    QByteArray copy = bytes;
    for (qsizetype at = 0; at < copy.size(); at += piece)
        parser.feed(copy.data() + at, qMin(piece, copy.size() - at), recorder);
    return recorder.events;
}

} // namespace

class tst_WebSocketParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void streams_data();
    void streams();
    void closeCodes_data();
    void closeCodes();
    void oversizeIsRefusedBeforeThePayloadArrives();
    void discardedMessagesStillShowTheClose();
    void holdsNoBufferWhenIdle();
};

void tst_WebSocketParser::streams_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("events");
    const QByteArray big(70000, 'x');
    QTest::newRow("one text") << text("hello") << QStringList{u"text:hello"_s};
    QTest::newRow("empty text") << text({}) << QStringList{u"text:"_s};
    QTest::newRow("two texts") << text("a") + text("b") << QStringList{u"text:a"_s, u"text:b"_s};
    QTest::newRow("126-byte text (16-bit length)")
        << text(QByteArray(126, 'y')) << QStringList{u"text:"_s + QString(126, u'y')};
    QTest::newRow("70000-byte text (64-bit length)")
        << text(big) << QStringList{u"text:"_s + QString::fromLatin1(big)};
    QTest::newRow("binary") << encode({2, "\x00\xff\x10"_ba}) << QStringList{u"binary:3"_s};
    QTest::newRow("three fragments") << text("ab", false) + cont("cd", false) + cont("ef", true)
                                     << QStringList{u"text:abcdef"_s};
    QTest::newRow("ping between fragments")
        << text("ab", false) + control(9, "p") + cont("cd", true) << QStringList{u"ping:p"_s, u"text:abcd"_s};
    QTest::newRow("UTF-8 split inside a character across fragments")
        << text("\xce", false) + cont("\xba\xe1\xbd", false) + cont("\xb9", true)
        << QStringList{u"text:\u03BA\u1F79"_s};
    QTest::newRow("empty fragments") << text({}, false) + cont({}, false) + cont("z", true)
                                     << QStringList{u"text:z"_s};
    QTest::newRow("pong") << control(10, "hb") << QStringList{u"pong:hb"_s};
    QTest::newRow("close 1000 with a reason") << closeFrame(1000, "bye") << QStringList{u"close:1000:bye"_s};
    QTest::newRow("close without payload") << control(8, {}) << QStringList{u"close:0:"_s};
    QTest::newRow("nothing after close") << closeFrame(1000) + text("late") << QStringList{u"close:1000:"_s};
    QTest::newRow("unmasked (RFC 6455 5.1)")
        << encode({1, "x", true, 0, false}) << QStringList{u"fail:1002"_s};
    QTest::newRow("RSV1") << encode({1, "x", true, 0x40}) << QStringList{u"fail:1002"_s};
    QTest::newRow("RSV3") << encode({1, "x", true, 0x10}) << QStringList{u"fail:1002"_s};
    QTest::newRow("opcode 3") << encode({3, "x"}) << QStringList{u"fail:1002"_s};
    QTest::newRow("opcode 0xB") << encode({0xb, "x"}) << QStringList{u"fail:1002"_s};
    QTest::newRow("fragmented ping") << encode({9, "x", false}) << QStringList{u"fail:1002"_s};
    QTest::newRow("ping of 126 bytes") << control(9, QByteArray(126, 'p')) << QStringList{u"fail:1002"_s};
    QTest::newRow("continuation with nothing to continue") << cont("x", true) << QStringList{u"fail:1002"_s};
    QTest::newRow("text inside a fragmented text")
        << text("a", false) + text("b") << QStringList{u"fail:1002"_s};
    QTest::newRow("non-minimal 16-bit length")
        << encode({1, "abc", true, 0, true, 126}) << QStringList{u"fail:1002"_s};
    QTest::newRow("non-minimal 64-bit length")
        << encode({1, "abc", true, 0, true, 127}) << QStringList{u"fail:1002"_s};
    QTest::newRow("invalid UTF-8") << text("ok \xff") << QStringList{u"fail:1007"_s};
    QTest::newRow("text ending inside a character") << text("\xce") << QStringList{u"fail:1007"_s};
    QTest::newRow("surrogate in a fragment, before the message ends")
        << text("a\xed\xa0", false) << QStringList{u"fail:1007"_s};
    QTest::newRow("valid frames before the invalid one are delivered")
        << text("one") + encode({1, "x", true, 0, false}) << QStringList{u"text:one"_s, u"fail:1002"_s};
}

void tst_WebSocketParser::streams()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, events);
    QCOMPARE(parseInPieces(bytes, bytes.size() + 1, 1 << 20), events);
    QCOMPARE(parseInPieces(bytes, 1, 1 << 20), events);
    QCOMPARE(parseInPieces(bytes, 7, 1 << 20), events);
}

void tst_WebSocketParser::closeCodes_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("event");
    for (int code :
         {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
        QTest::addRow("valid %d", code) << closeFrame(quint16(code)) << u"close:%1:"_s.arg(code);
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        QTest::addRow("invalid %d", code) << closeFrame(quint16(code)) << u"fail:1002"_s;
    QTest::newRow("one byte of payload") << control(8, "\x03"_ba) << u"fail:1002"_s;
    QTest::newRow("reason of 123 bytes")
        << closeFrame(1000, QByteArray(123, 'r')) << u"close:1000:"_s + QString(123, u'r');
    QTest::newRow("reason of 124 bytes (frame over 125)")
        << closeFrame(1000, QByteArray(124, 'r')) << u"fail:1002"_s;
    QTest::newRow("reason not UTF-8") << closeFrame(1000, "\xce\xba\xff"_ba) << u"fail:1007"_s;
}

void tst_WebSocketParser::closeCodes()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, event);
    QCOMPARE(parseInPieces(frame, frame.size(), 1024), QStringList{event});
    QCOMPARE(parseInPieces(frame, 1, 1024), QStringList{event});
}

void tst_WebSocketParser::oversizeIsRefusedBeforeThePayloadArrives()
{
    WebSocketParser parser(1000);
    Recorder recorder;
    QByteArray header = text(QByteArray(4 * 1024 * 1024, 'x')).left(14); // header and mask only
    parser.feed(header.data(), header.size(), recorder);
    QCOMPARE(recorder.events, QStringList{u"fail:1009"_s});
    QCOMPARE(parser.bufferedBytes(), 0);
    // Fragments add up: the third one passes the limit.
    WebSocketParser fragments(1000);
    Recorder r2;
    QByteArray bytes = text(QByteArray(400, 'a'), false) + cont(QByteArray(400, 'b'), false) +
                       cont(QByteArray(400, 'c'), true);
    fragments.feed(bytes.data(), bytes.size(), r2);
    QCOMPARE(r2.events, QStringList{u"fail:1009"_s});
}

void tst_WebSocketParser::discardedMessagesStillShowTheClose()
{
    // After 1009 the rest of the message is skipped and the client's close frame is still read.
    WebSocketParser parser(100);
    Recorder recorder;
    QByteArray bytes = text(QByteArray(5000, 'x'), false) + control(9, "p") +
                       cont(QByteArray(300, 'y'), true) + text("skipped too") + closeFrame(1000);
    for (qsizetype at = 0; at < bytes.size(); at += 333)
        parser.feed(bytes.data() + at, qMin<qsizetype>(333, bytes.size() - at), recorder);
    QCOMPARE(recorder.events, (QStringList{u"fail:1009"_s, u"ping:p"_s, u"close:1000:"_s}));
}

void tst_WebSocketParser::holdsNoBufferWhenIdle()
{
    WebSocketParser parser(1 << 20);
    Recorder recorder;
    QByteArray bytes = text(QByteArray(5000, 'x'), false);
    parser.feed(bytes.data(), bytes.size(), recorder);
    QCOMPARE(parser.bufferedBytes(), 5000);
    QByteArray rest = cont("end", true);
    parser.feed(rest.data(), rest.size(), recorder);
    QCOMPARE(recorder.events.size(), 1);
    QCOMPARE(parser.bufferedBytes(), 0);
}

QTEST_MAIN(tst_WebSocketParser)
#include "tst_websocketparser.moc"

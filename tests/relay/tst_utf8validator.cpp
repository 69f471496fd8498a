// SPDX-License-Identifier: MIT
#include "utf8validator.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_Utf8Validator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sequences_data();
    void sequences();
    void failsAtTheFirstInvalidByte_data();
    void failsAtTheFirstInvalidByte();
    void agreesWithQtOnEveryTwoBytePrefix();
};

void tst_Utf8Validator::sequences_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << "Hello, world! {\"type\":\"message\"}"_ba << true;
    QTest::newRow("kosme (Greek)") << "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"_ba << true;
    QTest::newRow("U+0080, first two-byte") << "\xc2\x80"_ba << true;
    QTest::newRow("U+07FF, last two-byte") << "\xdf\xbf"_ba << true;
    QTest::newRow("U+0800, first three-byte") << "\xe0\xa0\x80"_ba << true;
    QTest::newRow("U+D7FF, below the surrogates") << "\xed\x9f\xbf"_ba << true;
    QTest::newRow("U+E000, above the surrogates") << "\xee\x80\x80"_ba << true;
    QTest::newRow("U+FFFE, a noncharacter is valid UTF-8") << "\xef\xbf\xbe"_ba << true;
    QTest::newRow("U+10000, first four-byte") << "\xf0\x90\x80\x80"_ba << true;
    QTest::newRow("U+10FFFF, the last code point") << "\xf4\x8f\xbf\xbf"_ba << true;
    QTest::newRow("NUL is valid") << QByteArray(3, '\0') << true;
    QTest::newRow("lone continuation byte") << "a\x80"_ba << false;
    QTest::newRow("C0 lead byte (overlong)") << "\xc0\xaf"_ba << false;
    QTest::newRow("C1 lead byte (overlong)") << "\xc1\xbf"_ba << false;
    QTest::newRow("overlong three-byte /") << "\xe0\x80\xaf"_ba << false;
    QTest::newRow("overlong four-byte /") << "\xf0\x80\x80\xaf"_ba << false;
    QTest::newRow("U+D800, a surrogate") << "\xed\xa0\x80"_ba << false;
    QTest::newRow("U+DFFF, a surrogate") << "\xed\xbf\xbf"_ba << false;
    QTest::newRow("U+110000, past the last code point") << "\xf4\x90\x80\x80"_ba << false;
    QTest::newRow("F5 lead byte") << "\xf5\x80\x80\x80"_ba << false;
    QTest::newRow("FE") << "\xfe"_ba << false;
    QTest::newRow("FF") << "\xff"_ba << false;
    QTest::newRow("truncated two-byte at the end") << "ab\xc2"_ba << false;
    QTest::newRow("truncated four-byte at the end") << "\xf0\x90\x80"_ba << false;
    QTest::newRow("two-byte lead followed by ASCII") << "\xc2z"_ba << false;
    QTest::newRow("long ASCII then invalid") << QByteArray(100, 'a') + "\xff"_ba << false;
}

void tst_Utf8Validator::sequences()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    Utf8Validator whole;
    whole.feed(bytes.constData(), bytes.size());
    QCOMPARE(whole.isComplete(), valid);
    // The same in every split into two pieces, and byte by byte.
    for (qsizetype cut = 0; cut <= bytes.size(); ++cut) {
        Utf8Validator split;
        split.feed(bytes.constData(), cut);
        split.feed(bytes.constData() + cut, bytes.size() - cut);
        QVERIFY2(split.isComplete() == valid, qPrintable(u"cut at %1"_s.arg(cut)));
    }
    Utf8Validator bytewise;
    for (char c : bytes)
        bytewise.feed(&c, 1);
    QCOMPARE(bytewise.isComplete(), valid);
}

void tst_Utf8Validator::failsAtTheFirstInvalidByte_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("firstBad"); // index of the byte that cannot continue
    QTest::newRow("kosme then an F5 lead")
        << "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80"_ba << 12;
    QTest::newRow("surrogate fails at its second byte") << "ab\xed\xa0\x80"_ba << 3;
    QTest::newRow("overlong fails at its second byte") << "\xe0\x80\xaf"_ba << 1;
    QTest::newRow("C0 fails at once") << "\xc0"_ba << 0;
}

void tst_Utf8Validator::failsAtTheFirstInvalidByte()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, firstBad);
    Utf8Validator v;
    for (int i = 0; i < bytes.size(); ++i) {
        const bool ok = v.feed(bytes.constData() + i, 1);
        QCOMPARE(ok, i < firstBad);
        QCOMPARE(v.hasFailed(), i >= firstBad);
    }
}

void tst_Utf8Validator::agreesWithQtOnEveryTwoBytePrefix()
{
    // Every lead byte with every second byte, followed by continuations to complete it.
    for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
            const QByteArray bytes = QByteArray(1, char(a)) + char(b) +
                                     "\x80\x80"_ba.left(a >= 0xf0   ? 2
                                                        : a >= 0xe0 ? 1
                                                                    : 0);
            Utf8Validator v;
            v.feed(bytes.constData(), bytes.size());
            if (v.isComplete() != bytes.isValidUtf8())
                QFAIL(qPrintable(u"%1 %2: ours %3, Qt %4"_s.arg(a, 2, 16)
                                     .arg(b, 2, 16)
                                     .arg(v.isComplete())
                                     .arg(bytes.isValidUtf8())));
        }
    }
}

QTEST_MAIN(tst_Utf8Validator)
#include "tst_utf8validator.moc"

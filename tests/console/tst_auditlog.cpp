// SPDX-License-Identifier: MIT
#include "auditlog.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_AuditLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void persistsAndReloads();
    void skipsMalformedLines();
    void exports_data();
    void exports();

private:
    static AuditEntry entry(const QString &text, qint64 receivers)
    {
        AuditEntry e;
        e.timeMs = 1700000000000;
        e.profile = u"prod"_s;
        e.level = u"warning"_s;
        e.target = u"broadcast"_s;
        e.channels = {"broadcast"};
        e.text = text;
        e.id = u"id-"_s + text;
        e.receivers = {receivers};
        return e;
    }
};

void tst_AuditLog::persistsAndReloads()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"sub/audit.ndjson"_s);
    {
        AuditLog log;
        QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY2(log.open(path), qPrintable(log.errorString()));
        QVERIFY(log.append(entry(u"first"_s, 3)));
        AuditEntry failed = entry(u"second"_s, 0);
        failed.error = u"not connected"_s;
        QVERIFY(log.append(failed));
        QCOMPARE(log.rowCount(), 2);
        QCOMPARE(log.index(0, AuditLog::TextColumn).data().toString(), u"second"_s); // newest first
        QVERIFY(log.index(0, AuditLog::ResultColumn).data().toString().contains(u"not connected"_s));
    }
    AuditLog again;
    QVERIFY(again.open(path));
    QCOMPARE(again.rowCount(), 2);
    QCOMPARE(again.entryAt(1).text, u"first"_s);
    QCOMPARE(again.entryAt(1).receivers, QList<qint64>{3});
    QCOMPARE(again.entryAt(1).timeMs, 1700000000000);
    QCOMPARE(again.entryAt(0).error, u"not connected"_s);
    QVERIFY(again.append(entry(u"third"_s, 1)));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 3);
}

void tst_AuditLog::skipsMalformedLines()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"audit.ndjson"_s);
    {
        AuditLog log;
        QVERIFY(log.open(path));
        log.append(entry(u"good"_s, 1));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::Append));
    file.write("not json\n{\"time\":\"yesterday\"}\n[1,2]\n");
    file.close();
    AuditLog log;
    QVERIFY(log.open(path));
    QCOMPARE(log.rowCount(), 1);
    QCOMPARE(log.skippedLines(), 3);
}

void tst_AuditLog::exports_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("csv")
        << int(AuditLog::Format::Csv)
        << "time,profile,level,target,channels,text,id,receivers,error\r\n"
           "2023-11-14T22:13:20.000Z,prod,warning,broadcast,broadcast,\"a, \"\"quoted\"\" one\","
           "\"id-a, \"\"quoted\"\" one\",3,\r\n"_ba;
    QTest::newRow("ndjson") << int(AuditLog::Format::Ndjson) << "\"text\":\"a, \\\"quoted\\\" one\""_ba;
}

void tst_AuditLog::exports()
{
    QFETCH(int, format);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    AuditLog log;
    QVERIFY(log.open(dir.filePath(u"audit.ndjson"_s)));
    log.append(entry(u"a, \"quoted\" one"_s, 3));
    const QString out = dir.filePath(u"export"_s);
    QString error;
    QVERIFY2(log.exportTo(out, AuditLog::Format(format), &error), qPrintable(error));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    if (AuditLog::Format(format) == AuditLog::Format::Csv)
        QCOMPARE(content, expected);
    else
        QVERIFY2(content.contains(expected), content.constData());
}

QTEST_GUILESS_MAIN(tst_AuditLog)
#include "tst_auditlog.moc"

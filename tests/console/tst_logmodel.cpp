// SPDX-License-Identifier: MIT
#include "logmodel.h"

#include <QAbstractItemModelTester>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTest, "switchboard.test")

class tst_LogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void batchesPerTurnAndStaysBounded();
    void capturesQtMessagesFromAnyThread();
};

void tst_LogModel::batchesPerTurnAndStaysBounded()
{
    LogModel model(10);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    for (int i = 0; i < 25; ++i)
        model.append({i, QtInfoMsg, u"c"_s, QString::number(i)});
    QCOMPARE(model.rowCount(), 0);
    QTRY_COMPARE(model.rowCount(), 10);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), u"15"_s);
    QCOMPARE(model.index(9, LogModel::MessageColumn).data().toString(), u"24"_s);
    model.append({30, QtWarningMsg, u"c"_s, u"next"_s});
    QTRY_COMPARE(model.index(9, LogModel::MessageColumn).data().toString(), u"next"_s);
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), u"16"_s);
    QCOMPARE(model.index(9, LogModel::LevelColumn).data().toString(), u"warning"_s);
}

void tst_LogModel::capturesQtMessagesFromAnyThread()
{
    LogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy warnings(&model, &LogModel::warningLogged);
    LogModel::install(&model);
    qCWarning(lcTest) << "from the main thread";
    QThread *thread = QThread::create([] { qCWarning(lcTest) << "from a worker"; });
    thread->start();
    QVERIFY(thread->wait(5000));
    delete thread;
    LogModel::uninstall();
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(warnings.size(), 2);
    QStringList messages;
    for (int r = 0; r < model.rowCount(); ++r) {
        QCOMPARE(model.index(r, LogModel::CategoryColumn).data().toString(), u"switchboard.test"_s);
        messages << model.index(r, LogModel::MessageColumn).data().toString();
    }
    QVERIFY(messages.contains(u"from the main thread"_s));
    QVERIFY(messages.contains(u"from a worker"_s));
    qCWarning(lcTest) << "after uninstall";
    QCoreApplication::processEvents();
    QCOMPARE(model.rowCount(), 2);
}

QTEST_GUILESS_MAIN(tst_LogModel)
#include "tst_logmodel.moc"

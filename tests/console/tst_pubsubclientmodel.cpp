// SPDX-License-Identifier: MIT
#include "pubsubclientmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
PubSubClient client(qint64 id, const QString &name, int sub, int psub = 0)
{
    PubSubClient c;
    c.id = id;
    c.name = name;
    c.address = u"127.0.0.1:%1"_s.arg(1000 + id);
    c.channels = sub;
    c.patterns = psub;
    return c;
}

QList<qint64> ids(const PubSubClientModel &m)
{
    QList<qint64> out;
    for (int r = 0; r < m.rowCount(); ++r)
        out.append(m.index(r, PubSubClientModel::Id).data(PubSubClientModel::ClientIdRole).toLongLong());
    return out;
}
} // namespace

class tst_PubSubClientModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void diffById_data();
    void diffById();
    void columns();
    void changedCells();
};

void tst_PubSubClientModel::diffById_data()
{
    QTest::addColumn<QList<qint64>>("before");
    QTest::addColumn<QList<qint64>>("after");
    QTest::addColumn<int>("removes");
    QTest::addColumn<int>("inserts");
    QTest::newRow("first") << QList<qint64>{} << QList<qint64>{3, 1, 2} << 0 << 1;
    QTest::newRow("gone and new") << QList<qint64>{1, 2, 3, 4} << QList<qint64>{2, 3, 9} << 2 << 1;
    QTest::newRow("unchanged") << QList<qint64>{5, 6} << QList<qint64>{6, 5} << 0 << 0;
    QTest::newRow("all new") << QList<qint64>{1} << QList<qint64>{7, 8} << 1 << 1;
}

void tst_PubSubClientModel::diffById()
{
    QFETCH(QList<qint64>, before);
    QFETCH(QList<qint64>, after);
    PubSubClientModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PubSubSnapshot first;
    for (qint64 id : before)
        first.clients.append(client(id, {}, 1));
    model.applySnapshot(first);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    PubSubSnapshot second;
    for (qint64 id : after)
        second.clients.append(client(id, {}, 1));
    model.applySnapshot(second);
    std::sort(after.begin(), after.end());
    QCOMPARE(ids(model), after);
    QTEST(int(removed.size()), "removes");
    QTEST(int(inserted.size()), "inserts");
    QCOMPARE(reset.size(), 0);
}

void tst_PubSubClientModel::columns()
{
    PubSubClientModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PubSubSnapshot s;
    s.clients = {client(4, u"switchboard-relay:r1"_s, 12, 0), client(5, u""_s, 0, 2),
                 client(6, u"tool"_s, 1, 1)};
    model.applySnapshot(s);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(0, PubSubClientModel::Relay).data().toString(), u"yes"_s);
    QCOMPARE(model.index(1, PubSubClientModel::Relay).data().toString(), u"no"_s);
    QCOMPARE(model.index(0, PubSubClientModel::Channels).data().toInt(), 12);
    QCOMPARE(model.index(1, PubSubClientModel::Patterns).data(PubSubClientModel::SortRole).toInt(), 2);
    QCOMPARE(model.index(1, PubSubClientModel::Address).data().toString(), u"127.0.0.1:1005"_s);
    QCOMPARE(model.patternClientCount(), 2);
    QCOMPARE(model.relayCount(), 1);
    for (int c = 0; c < PubSubClientModel::ColumnCount; ++c)
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
}

void tst_PubSubClientModel::changedCells()
{
    PubSubClientModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    PubSubSnapshot s;
    s.clients = {client(1, u"a"_s, 1), client(2, u"b"_s, 1)};
    model.applySnapshot(s);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    s.clients[1].channels = 4;
    model.applySnapshot(s);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), model.index(1, PubSubClientModel::Channels));
    QCOMPARE(changed.first().at(1).toModelIndex(), model.index(1, PubSubClientModel::Channels));
    QCOMPARE(model.clientAt(1).channels, 4);
}

QTEST_MAIN(tst_PubSubClientModel)
#include "tst_pubsubclientmodel.moc"

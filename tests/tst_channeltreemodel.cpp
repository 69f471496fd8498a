// SPDX-License-Identifier: MIT
#include "channeltreemodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class tst_ChannelTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groupsBySegments();
    void updatesInPlace();
    void relayUpperBound();

private:
    static PubSubSnapshot snapshot(QList<PubSubSnapshot::Channel> channels)
    {
        PubSubSnapshot s;
        std::sort(channels.begin(), channels.end(),
                  [](const auto &a, const auto &b) { return a.name < b.name; });
        s.channels = channels;
        return s;
    }
    static qint64 subscribers(const QModelIndex &i)
    {
        return i.siblingAtColumn(ChannelColumns::Subscribers).data(ChannelColumns::SortRole).toLongLong();
    }
};

void tst_ChannelTreeModel::groupsBySegments()
{
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.applySnapshot(
        snapshot({{"broadcast", 4}, {"room:1", 2}, {"room:2", 3}, {"room", 1}, {"app:chat:room:9", 5}}));
    QCOMPARE(model.rowCount(), 3); // app, broadcast, room
    const QModelIndex room = model.indexOf("room");
    QVERIFY(room.isValid());
    QCOMPARE(model.rowCount(room), 2);
    QVERIFY(room.data(ChannelColumns::IsChannelRole).toBool());
    QVERIFY(room.data(ChannelColumns::IsGroupRole).toBool());
    QCOMPARE(subscribers(room), 6); // itself + both rooms
    QCOMPARE(model.patternFor(room), QByteArray("room:*"));
    const QModelIndex deep = model.indexOf("app:chat:room:9");
    QVERIFY(deep.isValid());
    QCOMPARE(deep.data(ChannelColumns::ChannelRole).toByteArray(), QByteArray("app:chat:room:9"));
    QCOMPARE(subscribers(model.indexOf("app")), 5);
    QVERIFY(!model.indexOf("app").data(ChannelColumns::IsChannelRole).toBool());
    QCOMPARE(model.patternFor(deep), QByteArray("app:chat:room:9"));
    QCOMPARE(deep.siblingAtColumn(ChannelColumns::Relays).data().toString(), QStringLiteral("0"));
}

void tst_ChannelTreeModel::relayUpperBound()
{
    ChannelTreeModel model;
    PubSubSnapshot s = snapshot({{"room:1", 3}, {"room:2", 1}});
    PubSubClient relay;
    relay.name = QStringLiteral("switchboard-relay:a");
    relay.channels = 2;
    s.clients = {relay, relay};
    model.applySnapshot(s);
    QCOMPARE(model.indexOf("room:1").siblingAtColumn(ChannelColumns::Relays).data().toString(),
             QStringLiteral("2"));
    QCOMPARE(model.indexOf("room:2").siblingAtColumn(ChannelColumns::Relays).data().toString(),
             QStringLiteral("1"));
}

void tst_ChannelTreeModel::updatesInPlace()
{
    ChannelTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.applySnapshot(snapshot({{"room:1", 2}, {"room:2", 3}, {"lobby", 1}}));
    const QPersistentModelIndex lobby = model.indexOf("lobby");
    model.applySnapshot(snapshot({{"room:2", 5}, {"room:3", 1}, {"lobby", 1}}));
    QVERIFY(lobby.isValid()); // untouched rows keep their identity
    QVERIFY(!model.indexOf("room:1").isValid());
    QCOMPARE(subscribers(model.indexOf("room")), 6);
    QCOMPARE(subscribers(model.indexOf("room:2")), 5);
    // A group whose channels all vanished goes too.
    model.applySnapshot(snapshot({{"lobby", 2}}));
    QVERIFY(!model.indexOf("room").isValid());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(subscribers(model.indexOf("lobby")), 2);
    QCOMPARE(reset.size(), 0);
}

QTEST_GUILESS_MAIN(tst_ChannelTreeModel)
#include "tst_channeltreemodel.moc"

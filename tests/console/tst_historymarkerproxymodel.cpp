// SPDX-License-Identifier: MIT
// HistoryMarkerProxyModel over the channel list model, the scanner's channels coming from a real
// redis-server.
#include "channellistmodel.h"
#include "historykeyscanner.h"
#include "historymarkerproxymodel.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "relaykeys.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_HistoryMarkerProxyModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void marksRoomsWithHistory();
};

void tst_HistoryMarkerProxyModel::marksRoomsWithHistory()
{
    RedisServer server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    ChannelListModel list;
    PubSubSnapshot snapshot;
    snapshot.takenAt = QDateTime::currentDateTimeUtc();
    snapshot.channelsRefreshed = true;
    snapshot.channels = {{"room:a", 1}, {"room:b", 2}};
    list.applySnapshot(snapshot);
    QCOMPARE(list.rowCount(), 2);

    RedisConnectionOptions o;
    o.url = RedisUrl::parse(server.url());
    RedisConnection connection(o);
    connection.open();
    HistoryKeyScanner scanner;
    scanner.attach(&connection);
    HistoryMarkerProxyModel proxy;
    QAbstractItemModelTester tester(&proxy);
    proxy.setSourceModel(&list);
    proxy.setScanner(&scanner);
    proxy.setMarker(u"marker"_s);
    proxy.setLocator([&list](const QByteArray &channel) { return list.index(list.rowOf(channel), 0); });
    const auto rowOf = [&list](const QByteArray &c) {
        return list.rowOf(c);
    };
    QCOMPARE(proxy.index(rowOf("room:a"), 0).data(HistoryMarkerProxyModel::HasHistoryRole).toBool(), false);

    server.command({"XADD", RelayKeys::historyKey("", "room:a"), "*", "m", "{}"});
    QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
    QSignalSpy scanned(&scanner, &HistoryKeyScanner::scanned);
    scanner.scan();
    QVERIFY(scanned.wait());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), rowOf("room:a"));
    const QModelIndex a = proxy.index(rowOf("room:a"), 0);
    const QModelIndex b = proxy.index(rowOf("room:b"), 0);
    QVERIFY(a.data(HistoryMarkerProxyModel::HasHistoryRole).toBool());
    QCOMPARE(a.data(Qt::DecorationRole).toString(), u"marker"_s);
    QVERIFY(a.data(Qt::ToolTipRole).toString().contains(u"history"_s));
    QVERIFY(!b.data(HistoryMarkerProxyModel::HasHistoryRole).toBool());
    QVERIFY(b.data(Qt::DecorationRole).isNull());
    // Other columns are the source's.
    QVERIFY(!proxy.index(a.row(), ChannelColumns::Subscribers)
                 .data(HistoryMarkerProxyModel::HasHistoryRole)
                 .toBool());
    QCOMPARE(proxy.index(a.row(), ChannelColumns::Subscribers).data(),
             list.index(a.row(), ChannelColumns::Subscribers).data());
}

QTEST_MAIN(tst_HistoryMarkerProxyModel)
#include "tst_historymarkerproxymodel.moc"

// SPDX-License-Identifier: MIT
#include "channelscontroller.h"
#include "channelsview.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;

class tst_ChannelsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsChannelsWithTheirSubscribers();
};

void tst_ChannelsView::listsChannelsWithTheirSubscribers()
{
    RedisServer redis;
    QVERIFY2(redis.start(), qPrintable(redis.errorString()));
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(redis.url());
    // Three real subscribers: room:1 has three, room:2 two, broadcast one, plus a pattern.
    RedisSubscriber a(o), b(o), c(o);
    for (RedisSubscriber *s : {&a, &b, &c}) {
        s->open();
        s->subscribe("room:1");
    }
    a.subscribe("room:2");
    b.subscribe("room:2");
    c.subscribe("broadcast");
    c.psubscribe("room:*");
    QTRY_VERIFY(a.isSubscribed("room:2") && b.isSubscribed("room:2") && c.isPSubscribed("room:*") &&
                c.isSubscribed("broadcast"));

    RedisConnection connection(o);
    connection.open();
    ChannelsController controller;
    ChannelsView view(&controller);
    view.resize(900, 500);
    view.show();
    controller.attach(&connection);

    auto *table = view.findChild<QTableView *>(u"channelTable"_s);
    QTRY_COMPARE(table->model()->rowCount(), 3);
    QHash<QString, qint64> counts;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        counts.insert(table->model()->index(r, 0).data().toString(),
                      table->model()
                          ->index(r, ChannelColumns::Subscribers)
                          .data(ChannelColumns::SortRole)
                          .toLongLong());
    QCOMPARE(counts.value(u"room:1"_s), 3);
    QCOMPARE(counts.value(u"room:2"_s), 2);
    QCOMPARE(counts.value(u"broadcast"_s), 1);
    // Sorted by subscribers, most first.
    QCOMPARE(table->model()->index(0, 0).data().toString(), u"room:1"_s);
    QCOMPARE(controller.lastSnapshot().patternSubscriptions, 1);

    auto *tree = view.findChild<QTreeView *>(u"channelTree"_s);
    QCOMPARE(tree->model()->rowCount(), 2); // broadcast, room

    // A new subscriber shows up on the next refresh.
    RedisSubscriber d(o);
    d.open();
    d.subscribe("room:3");
    QTRY_VERIFY(d.isSubscribed("room:3"));
    controller.refresh();
    QTRY_COMPARE(table->model()->rowCount(), 4);

    // Filter (glob), then tap the selection.
    view.findChild<QLineEdit *>(u"channelFilter"_s)->setText(u"room:?"_s);
    QCOMPARE(table->model()->rowCount(), 3);
    view.findChild<QTabWidget *>()->setCurrentWidget(table);
    table->selectRow(0);
    QSignalSpy tap(&view, &ChannelsView::tapChannelsRequested);
    view.findChild<QPushButton *>(u"channelTap"_s)->click();
    QCOMPARE(tap.size(), 1);
    QCOMPARE(tap.at(0).at(0).value<QByteArrayList>(), QByteArrayList{"room:1"});
}

QTEST_MAIN(tst_ChannelsView)
#include "tst_channelsview.moc"

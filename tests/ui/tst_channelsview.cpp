// SPDX-License-Identifier: MIT
#include "channellistmodel.h"
#include "channelscontroller.h"
#include "channelsview.h"
#include "historykeyscanner.h"
#include "historymarkerproxymodel.h"
#include "redisconnection.h"
#include "redisserver.h"
#include "redissubscriber.h"
#include "relaykeys.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace ChannelColumns;

class tst_ChannelsView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void listsChannelsWithCounts();
    void filterHidesRows_data();
    void filterHidesRows();
    void tapEmitsSelectedChannels();
    void tapPatternForGroup();
    void refreshIntervalCombo();
    void selectionSurvivesRefresh();
    void shortcuts();
    void refusedCommandShowsNote();
    void backedOffPollingShown();
    void roomsWithHistoryMarkedAndOpened();

private:
    RedisConnectionOptions options(const QString &name = {}) const;
    QStringList tableChannels() const;

    std::unique_ptr<RedisServer> m_redis;
    std::unique_ptr<RedisSubscriber> m_subscriber;
    std::unique_ptr<RedisSubscriber> m_other;
    std::unique_ptr<RedisConnection> m_connection;
    std::unique_ptr<ChannelsController> m_controller;
    std::unique_ptr<ChannelsView> m_view;
    QTableView *m_table = nullptr;
    QTreeView *m_tree = nullptr;
};

void tst_ChannelsView::initTestCase()
{
    m_redis = std::make_unique<RedisServer>();
    QVERIFY2(m_redis->start(), qPrintable(m_redis->errorString()));
    m_subscriber = std::make_unique<RedisSubscriber>(options(u"watcher"_s));
    m_other = std::make_unique<RedisSubscriber>(options(u"other"_s));
    m_subscriber->open();
    m_other->open();
    for (const QByteArray &c : {"room:1"_ba, "room:2"_ba, "room:3"_ba, "broadcast"_ba, "lobby"_ba})
        m_subscriber->subscribe(c);
    m_other->subscribe("room:2"_ba);
    m_other->subscribe("broadcast"_ba);
    m_other->psubscribe("room:*"_ba);
    QTRY_VERIFY(m_subscriber->isSubscribed("lobby"_ba) && m_other->isSubscribed("broadcast"_ba) &&
                m_other->isPSubscribed("room:*"_ba));
}

void tst_ChannelsView::init()
{
    m_connection = std::make_unique<RedisConnection>(options());
    m_connection->open();
    m_controller = std::make_unique<ChannelsController>();
    m_view = std::make_unique<ChannelsView>(m_controller.get());
    m_view->resize(900, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_table = m_view->findChild<QTableView *>(u"channelTable"_s);
    m_tree = m_view->findChild<QTreeView *>(u"channelTree"_s);
    QVERIFY(m_table && m_tree);
    QSignalSpy ready(m_controller.get(), &ChannelsController::snapshotReady);
    m_controller->attach(m_connection.get());
    QVERIFY(ready.wait(5000));
}

void tst_ChannelsView::cleanup()
{
    m_view.reset();
    m_controller.reset();
    m_connection.reset();
}

RedisConnectionOptions tst_ChannelsView::options(const QString &name) const
{
    RedisConnectionOptions o;
    o.url = RedisUrl::parse(m_redis->url());
    o.clientName = name;
    return o;
}

QStringList tst_ChannelsView::tableChannels() const
{
    QStringList out;
    for (int r = 0; r < m_table->model()->rowCount(); ++r)
        out.append(m_table->model()->index(r, Name).data().toString());
    return out;
}

void tst_ChannelsView::listsChannelsWithCounts()
{
    m_view->setTreeShown(false);
    QVERIFY(m_table->isVisible());
    QAbstractItemModel *model = m_table->model();
    QTRY_VERIFY(model->rowCount() >= 5);
    QHash<QString, QString> shown;
    for (int r = 0; r < model->rowCount(); ++r)
        shown.insert(model->index(r, Name).data().toString(), model->index(r, Subscribers).data().toString());
    QCOMPARE(shown.value(u"room:1"_s), u"1"_s);
    QCOMPARE(shown.value(u"room:2"_s), u"2"_s);
    QCOMPARE(shown.value(u"broadcast"_s), u"2"_s);
    QCOMPARE(shown.value(u"lobby"_s), u"1"_s);
    // Sorted by subscribers, most first.
    QCOMPARE(m_table->horizontalHeader()->sortIndicatorSection(), int(Subscribers));
    QCOMPARE(m_table->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QVERIFY(model->index(0, Subscribers).data(SortRole).toLongLong() >=
            model->index(model->rowCount() - 1, Subscribers).data(SortRole).toLongLong());
    auto *status = m_view->findChild<QLabel *>(u"channelStatus"_s);
    QVERIFY(status);
    QVERIFY2(status->text().contains("1 pattern subscriptions"_L1), qPrintable(status->text()));
    QVERIFY2(status->text().contains("refreshed in"_L1), qPrintable(status->text()));

    // The tree groups room:* under room.
    m_view->setTreeShown(true);
    QAbstractItemModel *tree = m_tree->model();
    QModelIndex room;
    for (int r = 0; r < tree->rowCount(); ++r)
        if (tree->index(r, Name).data().toString() == "room"_L1)
            room = tree->index(r, Name);
    QVERIFY(room.isValid());
    QCOMPARE(tree->rowCount(room), 3);
    QCOMPARE(room.siblingAtColumn(Subscribers).data().toString(), u"4"_s);
}

void tst_ChannelsView::filterHidesRows_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("substring") << u"ROOM"_s << QStringList{u"room:1"_s, u"room:2"_s, u"room:3"_s};
    QTest::newRow("glob") << u"room:[12]"_s << QStringList{u"room:1"_s, u"room:2"_s};
    QTest::newRow("nothing") << u"zzz"_s << QStringList{};
}

void tst_ChannelsView::filterHidesRows()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, expected);
    m_view->setTreeShown(false);
    auto *edit = m_view->findChild<QLineEdit *>(u"channelFilter"_s);
    QVERIFY(edit);
    QCOMPARE(edit->placeholderText(), u"Filter channels: text or glob (room:*)"_s);
    edit->clear();
    QTest::keyClicks(edit, filter);
    QStringList got = tableChannels();
    got.sort();
    QCOMPARE(got, expected);
    edit->clear();
    QVERIFY(tableChannels().size() >= 5);
}

void tst_ChannelsView::tapEmitsSelectedChannels()
{
    m_view->setTreeShown(false);
    QSignalSpy tapped(m_view.get(), &ChannelsView::tapChannelsRequested);
    QAbstractItemModel *model = m_table->model();
    QItemSelection selection;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QString name = model->index(r, Name).data().toString();
        if (name == "room:1"_L1 || name == "lobby"_L1)
            selection.select(model->index(r, 0), model->index(r, Count - 1));
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    QVERIFY(m_view->tapAction()->isEnabled());
    m_view->tapAction()->trigger();
    QCOMPARE(tapped.size(), 1);
    QCOMPARE(tapped.first().first().value<QByteArrayList>(), (QByteArrayList{"lobby", "room:1"}));

    m_table->selectionModel()->clearSelection();
    QVERIFY(!m_view->tapAction()->isEnabled());
}

void tst_ChannelsView::tapPatternForGroup()
{
    m_view->setTreeShown(true);
    QSignalSpy channels(m_view.get(), &ChannelsView::tapChannelsRequested);
    QSignalSpy pattern(m_view.get(), &ChannelsView::tapPatternRequested);
    QAbstractItemModel *tree = m_tree->model();
    QModelIndex room;
    for (int r = 0; r < tree->rowCount(); ++r)
        if (tree->index(r, Name).data().toString() == "room"_L1)
            room = tree->index(r, Name);
    QVERIFY(room.isValid());
    m_tree->selectionModel()->select(room, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->tapAction()->trigger();
    QCOMPARE(pattern.size(), 1);
    QCOMPARE(pattern.first().first().toByteArray(), "room:*"_ba);
    QCOMPARE(channels.size(), 0);
}

void tst_ChannelsView::refreshIntervalCombo()
{
    auto *combo = m_view->findChild<QComboBox *>(u"channelRefreshInterval"_s);
    QVERIFY(combo);
    QCOMPARE(combo->count(), 5);
    QCOMPARE(combo->currentText(), u"2 s"_s);
    QCOMPARE(m_controller->refreshInterval(), 2000ms);
    combo->setCurrentIndex(0);
    QCOMPARE(combo->currentText(), u"Off"_s);
    QCOMPARE(m_controller->refreshInterval(), 0ms);
    combo->setCurrentIndex(1);
    QCOMPARE(m_controller->refreshInterval(), 1000ms);
    m_controller->setRefreshInterval(10s);
    QCOMPARE(combo->currentText(), u"10 s"_s);
}

void tst_ChannelsView::selectionSurvivesRefresh()
{
    m_view->setTreeShown(false);
    QAbstractItemModel *model = m_table->model();
    int row = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->index(r, Name).data().toString() == "lobby"_L1)
            row = r;
    QVERIFY(row >= 0);
    m_table->selectRow(row);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    // A new channel appears and the next refreshes bring it in.
    m_other->subscribe("aaa:new"_ba);
    QTRY_VERIFY(m_other->isSubscribed("aaa:new"_ba));
    QSignalSpy ready(m_controller.get(), &ChannelsController::snapshotReady);
    m_view->refreshAction()->trigger();
    QVERIFY(ready.wait(5000));
    QVERIFY(m_controller->listModel()->rowOf("aaa:new") >= 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(m_view->selectedChannels(), QByteArrayList{"lobby"});
    m_other->unsubscribe("aaa:new"_ba);
}

void tst_ChannelsView::shortcuts()
{
    QCOMPARE(m_view->tapAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_T));
    QCOMPARE(m_view->refreshAction()->shortcut(), QKeySequence(QKeySequence::Refresh));
    auto *edit = m_view->findChild<QLineEdit *>(u"channelFilter"_s);
    m_view->activateWindow();
    m_table->setFocus();
    QTest::keyClick(m_view.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(edit->hasFocus());
}

// A Redis user without CLIENT LIST: the channels are listed, a note names the command, Redis's
// error and what is missing, and it goes once the command works again (F5).
void tst_ChannelsView::refusedCommandShowsNote()
{
    QCOMPARE(m_redis
                 ->command({"ACL"_ba, "SETUSER"_ba, "operator"_ba, "reset"_ba, "on"_ba, ">pw"_ba, "~*"_ba,
                            "&*"_ba, "+@all"_ba, "-@dangerous"_ba})
                 .bytes(),
             "OK"_ba);
    RedisConnectionOptions o = options();
    o.url.setUsername(u"operator"_s);
    o.url.setPassword(u"pw"_s);
    RedisConnection restricted(o);
    restricted.open();
    QSignalSpy ready(m_controller.get(), &ChannelsController::snapshotReady);
    m_controller->attach(&restricted);
    QVERIFY(ready.wait(5000));
    auto *notes = m_view->findChild<QLabel *>(u"channelNotes"_s);
    QVERIFY(notes);
    QVERIFY(!notes->isHidden());
    QVERIFY2(notes->text().contains("Redis refused CLIENT LIST TYPE pubsub (NOPERM"_L1),
             qPrintable(notes->text()));
    QVERIFY2(notes->text().contains("No client list"_L1), qPrintable(notes->text()));
    QVERIFY2(notes->text().contains("+client|list"_L1), qPrintable(notes->text()));
    m_view->setTreeShown(false);
    QVERIFY(tableChannels().contains(u"lobby"_s));
    QCOMPARE(m_view->findChild<QTableView *>(u"channelClientTable"_s)->model()->rowCount(), 0);

    QCOMPARE(m_redis->command({"ACL"_ba, "SETUSER"_ba, "operator"_ba, "+@all"_ba}).bytes(), "OK"_ba);
    m_view->refreshAction()->trigger();
    QVERIFY(ready.wait(5000));
    QVERIFY(notes->isHidden());
    QVERIFY(m_view->findChild<QTableView *>(u"channelClientTable"_s)->model()->rowCount() > 0);
    m_controller->detach();
}

// A budget of one second per channel makes this small Redis "large": the dock says how often the
// channel list is asked and why; choosing an interval at least that long removes the note.
void tst_ChannelsView::backedOffPollingShown()
{
    // Six channels or more (the five of initTestCase and this one): 6 s by size, rounded to 10 s.
    m_other->subscribe("pacing:sixth"_ba);
    QTRY_VERIFY(m_other->isSubscribed("pacing:sixth"_ba));
    const auto unsubscribe = qScopeGuard([this] { m_other->unsubscribe("pacing:sixth"_ba); });
    PollBudget budget;
    budget.channelsPerSecond = 1;
    m_controller->setPollBudget(budget);
    QSignalSpy ready(m_controller.get(), &ChannelsController::snapshotReady);
    m_view->refreshAction()->trigger();
    QVERIFY(ready.wait(5000));
    const qsizetype channels = m_controller->lastSnapshot().channels.size();
    QVERIFY2(channels >= 6 && channels <= 10, qPrintable(QString::number(channels)));
    auto *pacing = m_view->findChild<QLabel *>(u"channelPacing"_s);
    QVERIFY(pacing);
    QVERIFY(!pacing->isHidden());
    QCOMPARE(pacing->text(),
             u"Large Redis: refreshing the channel list every 10 s: %1 channels · F5 refreshes now"_s.arg(
                 channels));
    QVERIFY(pacing->toolTip().contains("PUBSUB CHANNELS + NUMSUB"_L1));
    // The next timer round (2 s) carries the list over; the status says how old it is.
    QVERIFY(ready.wait(5000));
    QVERIFY(!m_controller->lastSnapshot().channelsRefreshed);
    auto *status = m_view->findChild<QLabel *>(u"channelStatus"_s);
    QVERIFY2(status->text().contains("channel list from "_L1), qPrintable(status->text()));
    auto *combo = m_view->findChild<QComboBox *>(u"channelRefreshInterval"_s);
    combo->setCurrentIndex(combo->findData(10000));
    QVERIFY(pacing->isHidden());
}

// A room with a history stream gets the marker (and only that room); double-clicking a room asks for
// its detail, double-clicking another channel does not.
void tst_ChannelsView::roomsWithHistoryMarkedAndOpened()
{
    m_redis->command({"XADD", RelayKeys::historyKey("", "room:1"), "*", "m", "{}"});
    QSignalSpy scanned(m_controller->historyScanner(), &HistoryKeyScanner::scanned);
    m_controller->refresh();
    QVERIFY(scanned.wait());
    m_view->setTreeShown(false);
    QAbstractItemModel *model = m_table->model();
    QHash<QString, QModelIndex> rows;
    for (int r = 0; r < model->rowCount(); ++r)
        rows.insert(model->index(r, Name).data().toString(), model->index(r, Name));
    const QModelIndex room1 = rows.value(u"room:1"_s), room2 = rows.value(u"room:2"_s),
                      lobby = rows.value(u"lobby"_s);
    QVERIFY(room1.isValid() && room2.isValid() && lobby.isValid());
    QVERIFY(room1.data(HistoryMarkerProxyModel::HasHistoryRole).toBool());
    QVERIFY(!room1.data(Qt::DecorationRole).isNull());
    QVERIFY(!room2.data(HistoryMarkerProxyModel::HasHistoryRole).toBool());
    QVERIFY(room2.data(Qt::DecorationRole).isNull());

    QSignalSpy requested(m_view.get(), &ChannelsView::roomDetailRequested);
    QSignalSpy tapped(m_view.get(), &ChannelsView::tapChannelsRequested);
    const auto doubleClick = [this](const QModelIndex &index) {
        const QPoint at = m_table->visualRect(index).center();
        QTest::mouseClick(m_table->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(m_table->viewport(), Qt::LeftButton, {}, at);
    };
    doubleClick(room1);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toByteArray(), "room:1"_ba);
    QCOMPARE(tapped.size(), 0);
    doubleClick(lobby);
    QCOMPARE(requested.size(), 1);
    QCOMPARE(tapped.size(), 1); // as before: activating a channel that is no room taps it

    // In the tree too.
    m_view->setTreeShown(true);
    QAbstractItemModel *tree = m_tree->model();
    const QModelIndexList found = tree->match(tree->index(0, Name), ChannelNameRole, QByteArray("room:2"), 1,
                                              Qt::MatchExactly | Qt::MatchRecursive);
    QCOMPARE(found.size(), 1);
    m_tree->scrollTo(found.first());
    const QPoint at = m_tree->visualRect(found.first()).center();
    QTest::mouseClick(m_tree->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(m_tree->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(requested.size(), 2);
    QCOMPARE(requested.last().first().toByteArray(), "room:2"_ba);
    m_redis->command({"DEL", RelayKeys::historyKey("", "room:1")});
}

QTEST_MAIN(tst_ChannelsView)
#include "tst_channelsview.moc"

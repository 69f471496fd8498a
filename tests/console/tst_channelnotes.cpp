// SPDX-License-Identifier: MIT
#include "channelnotes.h"

#include <QLocale>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Command = PubSubCommandError::Command;

class tst_ChannelNotes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void problems_data();
    void problems();
    void pacing();
    void interval_data();
    void interval();
};

void tst_ChannelNotes::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void tst_ChannelNotes::problems_data()
{
    QTest::addColumn<int>("command");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QStringList>("expected"); // parts of the note
    const QString clientRefused = u"NOPERM this user has no permissions to run the 'client|list' command"_s;
    QTest::newRow("CLIENT LIST refused")
        << int(Command::ClientList) << clientRefused
        << QStringList{u"Redis refused CLIENT LIST TYPE pubsub ("_s + clientRefused + u")."_s,
                       u"No client list"_s, u"+client|list"_s};
    QTest::newRow("PUBSUB CHANNELS refused")
        << int(Command::Channels) << u"NOPERM no 'pubsub|channels'"_s
        << QStringList{u"Redis refused PUBSUB CHANNELS"_s, u"No channel list"_s, u"+pubsub|channels"_s};
    QTest::newRow("NUMSUB failed") << int(Command::Numsub) << u"ERR busy"_s
                                   << QStringList{u"PUBSUB NUMSUB failed (ERR busy)."_s,
                                                  u"No subscriber count for 2 channels"_s};
    QTest::newRow("NUMPAT refused") << int(Command::Numpat) << u"NOPERM x"_s
                                    << QStringList{u"pattern subscriptions is unknown"_s,
                                                   u"+pubsub|numpat"_s};
}

void tst_ChannelNotes::problems()
{
    QFETCH(int, command);
    QFETCH(QString, error);
    QFETCH(QStringList, expected);
    PubSubSnapshot s;
    s.channels = {{"a", -1}, {"b", 3}, {"c", -1}};
    s.errors.append({Command(command), error, 1});
    const QStringList notes = ChannelNotes::problems(s);
    QCOMPARE(notes.size(), 1);
    for (const QString &part : expected)
        QVERIFY2(notes.first().contains(part), qPrintable(notes.first()));
    QCOMPARE(notes.first().contains("ACL rule"_L1), error.startsWith("NOPERM"_L1));
    QVERIFY(ChannelNotes::problems(PubSubSnapshot{}).isEmpty());
}

void tst_ChannelNotes::pacing()
{
    PubSubSnapshot s;
    s.channelPacing = {10s, PollPacing::Reason::Size, 50000, 1200000, 180000};
    s.clientPacing = {2s, PollPacing::Reason::None, 12, 3000, 200};
    QCOMPARE(ChannelNotes::pacing(s, 2s),
             u"Large Redis: refreshing the channel list every 10 s: 50,000 channels · "
             "F5 refreshes now"_s);
    // Not more often than asked: a chosen 10 s is no back-off, nor is polling off.
    QCOMPARE(ChannelNotes::pacing(s, 10s), QString());
    QCOMPARE(ChannelNotes::pacing(s, 0s), QString());
    s.clientPacing = {20s, PollPacing::Reason::Time, 30, 9000, 480000};
    const QString both = ChannelNotes::pacing(s, 2s);
    QVERIFY2(both.startsWith("Large Redis: "_L1), qPrintable(both));
    QVERIFY2(both.contains("the client list every 20 s: it took 480 ms"_L1), qPrintable(both));
    const QString details = ChannelNotes::pacingDetails(s, PollBudget{});
    QVERIFY2(details.contains("50,000 channels"_L1) && details.contains("2.5 %"_L1) &&
                 details.contains("5,000 channels"_L1),
             qPrintable(details));
    // Only a slow round, on a Redis of 30 channels: slow, not large.
    s.channelPacing = {2s, PollPacing::Reason::None, 30, 900, 200};
    QCOMPARE(ChannelNotes::pacing(s, 2s),
             u"Slow Redis: refreshing the client list every 20 s: it took 480 ms · F5 refreshes now"_s);
}

void tst_ChannelNotes::interval_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("ms") << qint64(250) << u"250 ms"_s;
    QTest::newRow("s") << qint64(10000) << u"10 s"_s;
    QTest::newRow("fraction") << qint64(2500) << u"2.5 s"_s;
    QTest::newRow("min") << qint64(120000) << u"2 min"_s;
    QTest::newRow("90 s") << qint64(90000) << u"90 s"_s;
}

void tst_ChannelNotes::interval()
{
    QFETCH(qint64, ms);
    QTEST(ChannelNotes::interval(std::chrono::milliseconds(ms)), "text");
}

QTEST_APPLESS_MAIN(tst_ChannelNotes)
#include "tst_channelnotes.moc"

// SPDX-License-Identifier: MIT
#include "embeddedrelay.h"
#include "relayaudience.h"
#include "testclient.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RelayAudience : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void embeddedRelayCountsItsOwnClients();
};

// No relay directory (the in-process bus reports to none): the embedded relay's own clients count,
// for broadcast and per room, only under the prefix announcements use.
void tst_RelayAudience::embeddedRelayCountsItsOwnClients()
{
    QCOMPARE(relayAudience(nullptr, nullptr, {}, "broadcast"), std::nullopt);
    EmbeddedRelay relay;
    EmbeddedRelay::Settings settings;
    settings.relay.bindAddress = QHostAddress::LocalHost;
    settings.relay.port = 0;
    settings.inProcessBus = true;
    QString error;
    QVERIFY2(relay.start(settings, &error), qPrintable(error));
    TestClient a, b, c;
    QVERIFY(a.open(relay.url()) && b.open(relay.url()) && c.open(relay.url()));
    QVERIFY(a.join(u"lobby"_s));
    QVERIFY(b.join(u"lobby"_s));
    QCOMPARE(relayAudience(nullptr, &relay, {}, "broadcast"), std::optional<qint64>(3));
    QCOMPARE(relayAudience(nullptr, &relay, {}, "room:lobby"), std::optional<qint64>(2));
    QCOMPARE(relayAudience(nullptr, &relay, {}, "room:empty"), std::optional<qint64>(0));
    QCOMPARE(relayAudience(nullptr, &relay, {}, "elsewhere"), std::nullopt);
    QCOMPARE(relayAudience(nullptr, &relay, "app:", "app:broadcast"), std::nullopt);
    relay.stop();
}

QTEST_MAIN(tst_RelayAudience)
#include "tst_relayaudience.moc"

// SPDX-License-Identifier: MIT
#include "connectionprofile.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_ConnectionProfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void validate_data();
    void validate();
    void connectionOptionsCarryCredentialsAndTls();
    void fromEnvironment_data();
    void fromEnvironment();
    void storeRoundTripsWithoutPasswords();
    void storeRemove();
    void clusterAndSentinelCredentials();
};

void tst_ConnectionProfile::validate_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<bool>("skipVerify");
    QTest::addColumn<QString>("expectedError"); // substring; empty: valid
    QTest::newRow("plain") << u"local"_s << u"redis://127.0.0.1:6379"_s << QString() << false << QString();
    QTest::newRow("unix") << u"sock"_s << u"unix:///tmp/redis.sock"_s << QString() << false << QString();
    QTest::newRow("tls skip verify") << u"tls"_s << u"rediss://h:6380"_s << QString() << true << QString();
    QTest::newRow("no name") << u" "_s << u"redis://h"_s << QString() << false << u"name"_s;
    QTest::newRow("slash in name") << u"a/b"_s << u"redis://h"_s << QString() << false << u"cannot contain"_s;
    QTest::newRow("bad scheme") << u"x"_s << u"http://h"_s << QString() << false << u"scheme"_s;
    QTest::newRow("password in url") << u"x"_s << u"redis://:secret@h"_s << QString() << false
                                     << u"keychain"_s;
    QTest::newRow("missing ca") << u"x"_s << u"rediss://h"_s << u"/nonexistent/ca.pem"_s << false
                                << u"Cannot read"_s;
    QTest::newRow("tls option on plain") << u"x"_s << u"redis://h"_s << QString() << true << u"rediss://"_s;
    QTest::newRow("cluster") << u"c"_s << u"redis-cluster://h1:7000,h2:7001"_s << QString() << false << QString();
    QTest::newRow("tls cluster") << u"c"_s << u"rediss-cluster://h1:7000"_s << QString() << true << QString();
    QTest::newRow("sentinel") << u"s"_s << u"redis-sentinel://s1:26379,s2#mymaster"_s << QString() << false
                              << QString();
    QTest::newRow("tls sentinel") << u"s"_s << u"rediss-sentinel://s1#mymaster"_s << QString() << true << QString();
    QTest::newRow("tls option on plain cluster")
        << u"c"_s << u"redis-cluster://h1:7000"_s << QString() << true << u"rediss-cluster://"_s;
    QTest::newRow("tls option on plain sentinel")
        << u"s"_s << u"redis-sentinel://s1#mymaster"_s << QString() << true << u"rediss-sentinel://"_s;
    QTest::newRow("cluster password in url")
        << u"c"_s << u"redis-cluster://:pw@h1:7000"_s << QString() << false << u"keychain"_s;
    QTest::newRow("sentinel password in url") << u"s"_s << u"redis-sentinel://s1?sentinel-password=pw#m"_s
                                              << QString() << false << u"Sentinels' password"_s;
    QTest::newRow("sentinel without primary")
        << u"s"_s << u"redis-sentinel://s1:26379"_s << QString() << false << u"primary's name"_s;
    QTest::newRow("cluster database") << u"c"_s << u"redis-cluster://h1:7000/2"_s << QString() << false
                                      << u"only database 0"_s;
}

void tst_ConnectionProfile::validate()
{
    QFETCH(QString, name);
    QFETCH(QString, url);
    QFETCH(QString, caFile);
    QFETCH(bool, skipVerify);
    QFETCH(QString, expectedError);
    ConnectionProfile p;
    p.name = name;
    p.url = url;
    p.caFile = caFile;
    p.skipVerify = skipVerify;
    const QString error = p.validate();
    if (expectedError.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(expectedError, Qt::CaseInsensitive), qPrintable(error));
}

void tst_ConnectionProfile::connectionOptionsCarryCredentialsAndTls()
{
    QTemporaryDir dir;
    const QString ca = dir.filePath(u"ca.pem"_s);
    QFile f(ca);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    ConnectionProfile p;
    p.name = u"prod"_s;
    p.url = u"rediss://redis.example:6380/2"_s;
    p.username = u"operator"_s;
    p.caFile = ca;
    p.skipVerify = true;
    QVERIFY2(p.validate().isEmpty(), qPrintable(p.validate()));
    const RedisConnectionOptions o = p.connectionOptions(u"pw"_s, u"me"_s);
    QVERIFY(o.url.isValid());
    QCOMPARE(o.url.scheme(), RedisUrl::Scheme::Tls);
    QCOMPARE(o.url.host(), u"redis.example"_s);
    QCOMPARE(o.url.port(), quint16(6380));
    QCOMPARE(o.url.database(), 2);
    QCOMPARE(o.url.username(), u"operator"_s);
    QCOMPARE(o.url.password(), u"pw"_s);
    QCOMPARE(o.url.caFile(), ca);
    QCOMPARE(o.url.verifyPeer(), false);
    QCOMPARE(o.clientName, u"me"_s);
}

void tst_ConnectionProfile::fromEnvironment_data()
{
    QTest::addColumn<QString>("redisUrl");
    QTest::addColumn<QString>("expectedUrl");
    QTest::addColumn<QString>("expectedUser");
    QTest::addColumn<QString>("expectedPassword");
    QTest::newRow("unset") << QString() << u"redis://127.0.0.1:6379"_s << QString() << QString();
    QTest::newRow("set") << u"redis://10.0.0.5:6390"_s << u"redis://10.0.0.5:6390"_s << QString()
                         << QString();
    QTest::newRow("credentials move out")
        << u"redis://ops:s3cret@10.0.0.5:6390"_s << u"redis://10.0.0.5:6390"_s << u"ops"_s << u"s3cret"_s;
}

void tst_ConnectionProfile::fromEnvironment()
{
    QFETCH(QString, redisUrl);
    QFETCH(QString, expectedUrl);
    QFETCH(QString, expectedUser);
    QFETCH(QString, expectedPassword);
    QProcessEnvironment env;
    if (!redisUrl.isEmpty())
        env.insert(u"REDIS_URL"_s, redisUrl);
    QString password;
    const ConnectionProfile p = ConnectionProfile::fromEnvironment(env, &password);
    QCOMPARE(p.url, expectedUrl);
    QCOMPARE(p.username, expectedUser);
    QCOMPARE(password, expectedPassword);
    QVERIFY2(p.validate().isEmpty(), qPrintable(p.validate()));
}

void tst_ConnectionProfile::storeRoundTripsWithoutPasswords()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"settings.ini"_s);
    {
        QSettings settings(path, QSettings::IniFormat);
        ProfileStore store(&settings);
        ConnectionProfile a;
        a.name = u"staging"_s;
        a.url = u"redis://staging:6379"_s;
        a.username = u"ops"_s;
        a.readOnly = true;
        store.save(a);
        ConnectionProfile b;
        b.name = u"local"_s;
        b.url = u"redis://127.0.0.1:6379"_s;
        store.save(b);
        store.setLastUsed(u"staging"_s);
    }
    QSettings settings(path, QSettings::IniFormat);
    ProfileStore store(&settings);
    const QList<ConnectionProfile> all = store.profiles();
    QCOMPARE(all.size(), 2);
    const auto staging = store.profile(u"staging"_s);
    QVERIFY(staging);
    QCOMPARE(staging->username, u"ops"_s);
    QVERIFY(staging->readOnly);
    QCOMPARE(store.lastUsed(), u"staging"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(!file.readAll().toLower().contains("password"));
}

void tst_ConnectionProfile::storeRemove()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ProfileStore store(&settings);
    ConnectionProfile a;
    a.name = u"gone"_s;
    a.url = u"redis://h"_s;
    store.save(a);
    store.setLastUsed(a.name);
    QVERIFY(store.profile(a.name));
    store.remove(a.name);
    QVERIFY(!store.profile(a.name));
    QVERIFY(store.lastUsed().isEmpty());
    QVERIFY(store.profiles().isEmpty());
}

// Sentinel profiles: the Sentinels' user in the profile, their password only through connectionOptions()
// (the keychain's second entry); REDIS_URL's Sentinel credentials move out of the URL; a Cluster is
// probed at its first seed.
void tst_ConnectionProfile::clusterAndSentinelCredentials()
{
    ConnectionProfile p;
    p.name = u"ha"_s;
    p.url = u"redis-sentinel://10.0.0.5:26379,10.0.0.6#chat"_s;
    p.username = u"relay"_s;
    p.sentinelUsername = u"watcher"_s;
    QVERIFY2(p.validate().isEmpty(), qPrintable(p.validate()));
    QVERIFY(p.isSentinel());
    const RedisConnectionOptions o = p.connectionOptions(u"pw"_s, QString(), nullptr, u"spw"_s);
    QCOMPARE(o.url.topology(), RedisUrl::Topology::Sentinel);
    QCOMPARE(o.url.primaryName(), u"chat"_s);
    QCOMPARE(o.url.username(), u"relay"_s);
    QCOMPARE(o.url.password(), u"pw"_s);
    QCOMPARE(o.url.sentinelUsername(), u"watcher"_s);
    QCOMPARE(o.url.sentinelPassword(), u"spw"_s);
    QCOMPARE(ConnectionProfile::sentinelSecretName(p.name), u"ha/sentinel"_s);
    QVERIFY(p.connectionOptions(u"pw"_s, QString()).url.sentinelPassword().isEmpty());

    ConnectionProfile plain = p;
    plain.url = u"redis://10.0.0.5"_s;
    QVERIFY(plain.validate().contains(u"redis-sentinel://"_s));

    QProcessEnvironment env;
    env.insert(u"REDIS_URL"_s, u"redis-sentinel://10.0.0.5?sentinel-user=w&sentinel-password=sp#chat"_s);
    QString password, sentinelPassword;
    const ConnectionProfile fromEnv = ConnectionProfile::fromEnvironment(env, &password, &sentinelPassword);
    QVERIFY2(fromEnv.validate().isEmpty(), qPrintable(fromEnv.validate()));
    QVERIFY(!fromEnv.url.contains(u"sp"_s));
    QCOMPARE(fromEnv.sentinelUsername, u"w"_s);
    QCOMPARE(sentinelPassword, u"sp"_s);

    ConnectionProfile cluster;
    cluster.name = u"c"_s;
    cluster.url = u"redis-cluster://10.0.0.7:7001,10.0.0.8:7002"_s;
    const RedisUrl probe = cluster.probeUrl(u"pw"_s);
    QCOMPARE(probe.topology(), RedisUrl::Topology::Standalone);
    QCOMPARE(probe.host(), u"10.0.0.7"_s);
    QCOMPARE(probe.port(), quint16(7001));
    QCOMPARE(probe.password(), u"pw"_s);

    QTemporaryDir dir;
    QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
    ProfileStore store(&settings);
    store.save(p);
    QCOMPARE(store.profile(u"ha"_s)->sentinelUsername, u"watcher"_s);
    QCOMPARE(*store.profile(u"ha"_s), p);
}

QTEST_GUILESS_MAIN(tst_ConnectionProfile)
#include "tst_connectionprofile.moc"

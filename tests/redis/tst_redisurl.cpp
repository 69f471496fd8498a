// SPDX-License-Identifier: MIT
#include "redisurl.h"
#include "testenvironment.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_RedisUrl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void roundTrip_data();
    void roundTrip();
    void displayMasksPassword();
    void environment_data();
    void environment();
    void topology_data();
    void topology();
    void nodeUrls();
};

void tst_RedisUrl::valid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<int>("db");

    const int tcp = int(RedisUrl::Scheme::Tcp), tls = int(RedisUrl::Scheme::Tls),
              unix = int(RedisUrl::Scheme::Unix);
    QTest::newRow("host only") << u"redis://localhost"_s << tcp << u"localhost"_s << 6379 << u""_s << u""_s
                               << u""_s << 0;
    QTest::newRow("host port") << u"redis://10.0.0.5:6380"_s << tcp << u"10.0.0.5"_s << 6380 << u""_s << u""_s
                               << u""_s << 0;
    QTest::newRow("db") << u"redis://h:1/3"_s << tcp << u"h"_s << 1 << u""_s << u""_s << u""_s << 3;
    QTest::newRow("trailing slash") << u"redis://h/"_s << tcp << u"h"_s << 6379 << u""_s << u""_s << u""_s
                                    << 0;
    QTest::newRow("password only") << u"redis://:s3cret@h"_s << tcp << u"h"_s << 6379 << u""_s << u""_s
                                   << u"s3cret"_s << 0;
    QTest::newRow("acl user") << u"redis://alice:pw@h:7000/2"_s << tcp << u"h"_s << 7000 << u""_s
                              << u"alice"_s << u"pw"_s << 2;
    QTest::newRow("percent-encoded password")
        << u"redis://:p%40ss%3Aw@h"_s << tcp << u"h"_s << 6379 << u""_s << u""_s << u"p@ss:w"_s << 0;
    QTest::newRow("@ in password, last @ wins")
        << u"redis://:a@b@h"_s << tcp << u"h"_s << 6379 << u""_s << u""_s << u"a@b"_s << 0;
    QTest::newRow("ipv6") << u"redis://[::1]:6390"_s << tcp << u"::1"_s << 6390 << u""_s << u""_s << u""_s
                          << 0;
    QTest::newRow("upper-case scheme")
        << u"REDIS://h"_s << tcp << u"h"_s << 6379 << u""_s << u""_s << u""_s << 0;
    QTest::newRow("tls") << u"rediss://cache.example.com:6380"_s << tls << u"cache.example.com"_s << 6380
                         << u""_s << u""_s << u""_s << 0;
    QTest::newRow("tls options") << u"rediss://h?ca=/etc/ca.pem&verify=false"_s << tls << u"h"_s << 6379
                                 << u""_s << u""_s << u""_s << 0;
    QTest::newRow("unix") << u"unix:///run/redis/redis.sock"_s << unix << u""_s << 0
                          << u"/run/redis/redis.sock"_s << u""_s << u""_s << 0;
    QTest::newRow("unix db") << u"unix:///tmp/r.sock?db=4"_s << unix << u""_s << 0 << u"/tmp/r.sock"_s
                             << u""_s << u""_s << 4;
    QTest::newRow("unix password") << u"unix://:pw@/tmp/r.sock"_s << unix << u""_s << 0 << u"/tmp/r.sock"_s
                                   << u""_s << u"pw"_s << 0;
    QTest::newRow("whitespace trimmed")
        << u"  redis://h:1  "_s << tcp << u"h"_s << 1 << u""_s << u""_s << u""_s << 0;
}

void tst_RedisUrl::valid()
{
    QFETCH(QString, text);
    QString error;
    const RedisUrl url = RedisUrl::parse(text, &error);
    QVERIFY2(url.isValid(), qPrintable(error));
    QVERIFY(error.isEmpty());
    QTEST(int(url.scheme()), "scheme");
    QTEST(url.host(), "host");
    if (url.scheme() != RedisUrl::Scheme::Unix)
        QTEST(int(url.port()), "port");
    QTEST(url.socketPath(), "path");
    QTEST(url.username(), "user");
    QTEST(url.password(), "password");
    QTEST(url.database(), "db");
}

void tst_RedisUrl::invalid_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expectedError");

    QTest::newRow("empty") << u""_s << u"empty Redis URL"_s;
    QTest::newRow("no scheme") << u"localhost:6379"_s << u"has no scheme"_s;
    QTest::newRow("http") << u"http://h"_s << u"unsupported scheme 'http'"_s;
    QTest::newRow("no host") << u"redis://"_s << u"has no host"_s;
    QTest::newRow("no host with port") << u"redis://:6379"_s << u"has no host"_s;
    QTest::newRow("port zero") << u"redis://h:0"_s << u"invalid port '0'"_s;
    QTest::newRow("port too big") << u"redis://h:70000"_s << u"invalid port '70000'"_s;
    QTest::newRow("port text") << u"redis://h:abc"_s << u"invalid port 'abc'"_s;
    QTest::newRow("empty port") << u"redis://h:"_s << u"empty port"_s;
    QTest::newRow("db text") << u"redis://h/x"_s << u"invalid database 'x'"_s;
    QTest::newRow("db negative") << u"redis://h/-1"_s << u"invalid database '-1'"_s;
    QTest::newRow("user without password") << u"redis://alice@h"_s << u"user 'alice' has no password"_s;
    QTest::newRow("user empty password") << u"redis://alice:@h"_s << u"empty password"_s;
    QTest::newRow("bad ipv6") << u"redis://[zz]:1"_s << u"not an IPv6 address"_s;
    QTest::newRow("unterminated ipv6") << u"redis://[::1:1"_s << u"unterminated IPv6"_s;
    QTest::newRow("fragment") << u"redis://h#x"_s << u"fragment"_s;
    QTest::newRow("space") << u"redis://h ost"_s << u"spaces"_s;
    QTest::newRow("bad host char") << u"redis://h$st"_s << u"invalid character '$'"_s;
    QTest::newRow("unknown option") << u"redis://h?foo=1"_s << u"unknown option 'foo'"_s;
    QTest::newRow("tls option on tcp") << u"redis://h?ca=/x"_s << u"only applies to rediss://"_s;
    QTest::newRow("bad verify") << u"rediss://h?verify=maybe"_s << u"invalid value 'maybe' for verify"_s;
    QTest::newRow("cert without key") << u"rediss://h?cert=/c.pem"_s << u"needs both cert= and key="_s;
    QTest::newRow("unix relative") << u"unix://redis.sock"_s << u"absolute socket path"_s;
    QTest::newRow("unix empty") << u"unix://"_s << u"absolute socket path"_s;
    QTest::newRow("several hosts, standalone") << u"redis://a:1,b:2"_s << u"names one host"_s;
    QTest::newRow("cluster, empty host in list") << u"redis-cluster://a:1,,b:2"_s << u"empty host in the list"_s;
    QTest::newRow("cluster, trailing comma") << u"redis-cluster://a:1,"_s << u"empty host in the list"_s;
    QTest::newRow("cluster, bad port in list") << u"redis-cluster://a:1,b:x"_s << u"invalid port 'x'"_s;
    QTest::newRow("cluster, duplicate") << u"redis-cluster://a:1,a:1"_s << u"'a:1' is listed twice"_s;
    QTest::newRow("cluster, database") << u"redis-cluster://a:1/2"_s << u"only database 0"_s;
    QTest::newRow("cluster, no host") << u"redis-cluster://"_s << u"has no host"_s;
    QTest::newRow("cluster, fragment") << u"redis-cluster://a#x"_s << u"fragment"_s;
    QTest::newRow("sentinel, no primary") << u"redis-sentinel://s:26379"_s << u"needs the primary's name"_s;
    QTest::newRow("sentinel, empty primary") << u"redis-sentinel://s:26379#"_s << u"empty primary name"_s;
    QTest::newRow("sentinel, user without password")
        << u"redis-sentinel://s?sentinel-user=admin#m"_s << u"has no sentinel-password"_s;
    QTest::newRow("sentinel option elsewhere") << u"redis://h?sentinel-password=x"_s
                                               << u"only applies to redis-sentinel://"_s;
    QTest::newRow("sentinel, tls option on tcp") << u"redis-sentinel://s?ca=/x#m"_s << u"only applies to rediss://"_s;
    QTest::newRow("unknown cluster scheme") << u"redis+cluster://h"_s << u"unsupported scheme 'redis+cluster'"_s;
}

void tst_RedisUrl::invalid()
{
    QFETCH(QString, text);
    QFETCH(QString, expectedError);
    QString error;
    const RedisUrl url = RedisUrl::parse(text, &error);
    QVERIFY(!url.isValid());
    QVERIFY2(error.contains(expectedError), qPrintable(u"got: "_s + error));
}

void tst_RedisUrl::roundTrip_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("plain") << u"redis://h:6379"_s;
    QTest::newRow("acl") << u"redis://alice:p%40ss@h:7000/2"_s;
    QTest::newRow("ipv6") << u"redis://[::1]:6390"_s;
    QTest::newRow("tls") << u"rediss://h:6380?ca=/etc/ca.pem&verify=false"_s;
    QTest::newRow("unix") << u"unix:///tmp/r.sock?db=3"_s;
    QTest::newRow("cluster") << u"redis-cluster://alice:pw@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002"_s;
    QTest::newRow("cluster tls") << u"rediss-cluster://a:7000,b:7001?ca=/etc/ca.pem"_s;
    QTest::newRow("sentinel") << u"redis-sentinel://:pw@s1:26379,s2:26380/2#mymaster"_s;
    QTest::newRow("sentinel credentials")
        << u"rediss-sentinel://s1:26379?sentinel-user=sen&sentinel-password=p%26ss#my.primary"_s;
}

void tst_RedisUrl::roundTrip()
{
    QFETCH(QString, text);
    const RedisUrl url = RedisUrl::parse(text);
    QVERIFY(url.isValid());
    QCOMPARE(url.toString(), text);
    QCOMPARE(RedisUrl::parse(url.toString()), url);
}

void tst_RedisUrl::displayMasksPassword()
{
    const RedisUrl url = RedisUrl::parse(u"redis://alice:topsecret@h:1"_s);
    QVERIFY(!url.toDisplayString().contains(u"topsecret"_s));
    QVERIFY(url.toDisplayString().contains(u"alice"_s));
    QVERIFY(url.toString().contains(u"topsecret"_s));
}

void tst_RedisUrl::environment_data()
{
    QTest::addColumn<QStringList>("vars");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("configured");
    QTest::addColumn<QString>("expected"); // toString() or error fragment

    QTest::newRow("nothing set") << QStringList{} << true << false << u"redis://127.0.0.1:6379"_s;
    QTest::newRow("REDIS_URL") << QStringList{u"REDIS_URL=redis://r:1/2"_s} << true << true
                               << u"redis://r:1/2"_s;
    QTest::newRow("REDIS_URL wins") << QStringList{u"REDIS_URL=redis://r:1"_s, u"REDIS_HOST=x"_s} << true
                                    << true << u"redis://r:1"_s;
    QTest::newRow("seed host+port") << QStringList{u"REDIS_HOST=cache"_s, u"REDIS_PORT=6390"_s} << true
                                    << true << u"redis://cache:6390"_s;
    QTest::newRow("seed port only") << QStringList{u"REDIS_PORT=6390"_s} << true << true
                                    << u"redis://localhost:6390"_s;
    QTest::newRow("seed ipv6 host") << QStringList{u"REDIS_HOST=::1"_s} << true << true
                                    << u"redis://[::1]:6379"_s;
    QTest::newRow("bad REDIS_URL") << QStringList{u"REDIS_URL=http://x"_s} << false << false
                                   << u"REDIS_URL:"_s;
    QTest::newRow("bad REDIS_PORT") << QStringList{u"REDIS_PORT=x"_s} << false << false << u"REDIS_PORT:"_s;
}

void tst_RedisUrl::environment()
{
    QFETCH(QStringList, vars);
    QFETCH(bool, valid);
    QFETCH(bool, configured);
    QFETCH(QString, expected);
    QString error;
    const RedisUrl url = RedisUrl::fromEnvironment(environmentFrom(vars), &error);
    QCOMPARE(url.isValid(), valid);
    if (valid) {
        QCOMPARE(url.isConfigured(), configured);
        QCOMPARE(url.toString(), expected);
    } else {
        QVERIFY2(error.startsWith(expected), qPrintable(error));
    }
}

void tst_RedisUrl::topology_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("topology");
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QStringList>("nodes");
    QTest::addColumn<QString>("primary");
    QTest::addColumn<int>("db");
    const int standalone = int(RedisUrl::Topology::Standalone), cluster = int(RedisUrl::Topology::Cluster),
              sentinel = int(RedisUrl::Topology::Sentinel);
    const int tcp = int(RedisUrl::Scheme::Tcp), tls = int(RedisUrl::Scheme::Tls);
    QTest::newRow("standalone") << u"redis://h:6380"_s << standalone << tcp << QStringList{u"h:6380"_s} << QString()
                                << 0;
    QTest::newRow("cluster, one seed, default port")
        << u"redis-cluster://h"_s << cluster << tcp << QStringList{u"h:6379"_s} << QString() << 0;
    QTest::newRow("cluster, seeds") << u"redis-cluster://u:p@a:7000,b,[::1]:7002"_s << cluster << tcp
                                    << QStringList{u"a:7000"_s, u"b:6379"_s, u"::1:7002"_s} << QString() << 0;
    QTest::newRow("cluster tls, upper case") << u"REDISS-CLUSTER://a:7000"_s << cluster << tls
                                             << QStringList{u"a:7000"_s} << QString() << 0;
    QTest::newRow("sentinel, default port") << u"redis-sentinel://s1,s2:5000#mymaster"_s << sentinel << tcp
                                            << QStringList{u"s1:26379"_s, u"s2:5000"_s} << u"mymaster"_s << 0;
    QTest::newRow("sentinel, db and query") << u"rediss-sentinel://s1/3?verify=false#cache"_s << sentinel << tls
                                            << QStringList{u"s1:26379"_s} << u"cache"_s << 3;
}

void tst_RedisUrl::topology()
{
    QFETCH(QString, text);
    QFETCH(int, topology);
    QFETCH(int, scheme);
    QFETCH(QStringList, nodes);
    QFETCH(QString, primary);
    QFETCH(int, db);
    QString error;
    const RedisUrl url = RedisUrl::parse(text, &error);
    QVERIFY2(url.isValid(), qPrintable(error));
    QCOMPARE(int(url.topology()), topology);
    QCOMPARE(int(url.scheme()), scheme);
    QStringList got;
    for (const RedisUrl::Node &node : url.nodes())
        got.append(node.host + u':' + QString::number(node.port));
    QCOMPARE(got, nodes);
    QCOMPARE(url.host() + u':' + QString::number(url.port()), nodes.first());
    QCOMPARE(url.primaryName(), primary);
    QCOMPARE(url.database(), db);
}

void tst_RedisUrl::nodeUrls()
{
    const RedisUrl sentinel = RedisUrl::parse(
        u"rediss-sentinel://app:apppw@s1:26379,s2:26380/2?ca=/ca.pem&sentinel-user=sen&sentinel-password=senpw#m"_s);
    QVERIFY(sentinel.isValid());
    const RedisUrl primary = sentinel.atNode(u"10.0.0.9"_s, 6390);
    QCOMPARE(primary.toString(), u"rediss://app:apppw@10.0.0.9:6390/2?ca=/ca.pem"_s);
    QCOMPARE(primary.topology(), RedisUrl::Topology::Standalone);
    const RedisUrl s2 = sentinel.sentinelAt(sentinel.nodes().at(1));
    QCOMPARE(s2.toString(), u"rediss://sen:senpw@s2:26380?ca=/ca.pem"_s);
    const QString shown = sentinel.toDisplayString();
    QVERIFY2(!shown.contains(u"apppw"_s) && !shown.contains(u"senpw"_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"sentinel-password=***"_s), qPrintable(shown));
    const RedisUrl cluster = RedisUrl::parse(u"redis-cluster://u:p@a:7000,b:7001"_s);
    QCOMPARE(cluster.atNode(u"c"_s, 7005).toString(), u"redis://u:p@c:7005"_s);
}

QTEST_MAIN(tst_RedisUrl)
#include "tst_redisurl.moc"

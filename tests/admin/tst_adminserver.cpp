// SPDX-License-Identifier: MIT
#include "adminserver.h"
#include "localbus.h"
#include "relayfixture.h"
#include "relayprocess.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// The relay fixture with its redis-server in reach, to stop, pause and restart it.
class AdminFixture : public RelayFixture
{
public:
    RedisServer *redis() const { return m_redis.get(); }
};

struct HttpResult
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray allow;
};

// A sample's value in an exposition ("name{labels}" exactly as written), NaN when it is absent.
double sampleValue(const QByteArray &text, const QByteArray &sample)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(sample + ' '))
            return line.sliced(sample.size() + 1).toDouble();
    }
    return qQNaN();
}

qint64 utf8Size(const QStringList &frames)
{
    qint64 total = 0;
    for (const QString &f : frames)
        total += f.toUtf8().size();
    return total;
}

RedisBusOptions probingBus(const QByteArray &instance)
{
    RedisBusOptions options;
    options.probe.channel = "switchboard:probe:" + instance;
    options.probe.interval = 200ms;
    options.probe.timeout = 1000ms;
    return options;
}

} // namespace

class tst_AdminServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void healthz();
    void methodsAndPaths_data();
    void methodsAndPaths();
    void metricsCountWhatTheRelayDid();
    void readyzFollowsRedis();
    void readyzInProcess();
    void listenError();
    void switchboardRelayServesItsAdminPort();
    void switchboardRelayExitsWhenTheAdminPortIsTaken();

private:
    RelayServer *startRelay(const QString &instanceId);
    // To m_admin, or to 127.0.0.1:port.
    HttpResult request(const QByteArray &method, const QString &path, quint16 port = 0);
    int status(const QString &path) { return request("GET", path).status; }
    QByteArray metrics() { return request("GET", u"/metrics"_s).body; }
    static bool promtoolAccepts(const QByteArray &exposition, QString *output);

    AdminFixture m_relays;
    QNetworkAccessManager m_net;
    AdminServer *m_admin = nullptr;
};

void tst_AdminServer::init()
{
    m_net.setProxy(QNetworkProxy::NoProxy);
    QVERIFY(m_relays.init());
}

void tst_AdminServer::cleanup()
{
    delete m_admin;
    m_admin = nullptr;
    m_relays.cleanup();
}

RelayServer *tst_AdminServer::startRelay(const QString &instanceId)
{
    RelayServerOptions options;
    options.instanceId = instanceId;
    RelayServer *relay =
        m_relays.startRelayOn(options, m_relays.redis()->url(), probingBus(instanceId.toUtf8()));
    m_admin = new AdminServer(relay);
    QString error;
    if (!m_admin->listen(QHostAddress(QHostAddress::LocalHost), 0, &error))
        qWarning("%s", qPrintable(error));
    return relay;
}

HttpResult tst_AdminServer::request(const QByteArray &method, const QString &path, quint16 port)
{
    QNetworkRequest req(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port ? port : m_admin->port()).arg(path)));
    QNetworkReply *reply = m_net.sendCustomRequest(req, method);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(5000))
        qWarning("no answer to %s %s", method.constData(), qPrintable(path));
    HttpResult r;
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.contentType = reply->rawHeader("Content-Type");
    r.allow = reply->rawHeader("Allow");
    reply->deleteLater();
    return r;
}

bool tst_AdminServer::promtoolAccepts(const QByteArray &exposition, QString *output)
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral(SWITCHBOARD_PROMTOOL), {u"check"_s, u"metrics"_s});
    if (!promtool.waitForStarted(10000)) {
        *output = promtool.errorString();
        return false;
    }
    promtool.write(exposition);
    promtool.closeWriteChannel();
    promtool.waitForFinished(30000);
    *output = QString::fromUtf8(promtool.readAll());
    return promtool.exitStatus() == QProcess::NormalExit && promtool.exitCode() == 0;
}

void tst_AdminServer::healthz()
{
    startRelay(u"h1"_s);
    QVERIFY(m_admin->port() != 0);
    const HttpResult r = request("GET", u"/healthz"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "ok\n"_ba);
    QVERIFY(r.contentType.startsWith("text/plain"));
}

void tst_AdminServer::methodsAndPaths_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("GET /metrics") << "GET"_ba << u"/metrics"_s << 200;
    QTest::newRow("GET /metrics with a query") << "GET"_ba << u"/metrics?name[]=x"_s << 200;
    QTest::newRow("GET /healthz") << "GET"_ba << u"/healthz"_s << 200;
    QTest::newRow("GET /") << "GET"_ba << u"/"_s << 404;
    QTest::newRow("GET /nope") << "GET"_ba << u"/nope"_s << 404;
    QTest::newRow("GET /metrics/x") << "GET"_ba << u"/metrics/x"_s << 404;
    QTest::newRow("POST /metrics") << "POST"_ba << u"/metrics"_s << 405;
    QTest::newRow("PUT /readyz") << "PUT"_ba << u"/readyz"_s << 405;
    QTest::newRow("DELETE /healthz") << "DELETE"_ba << u"/healthz"_s << 405;
}

void tst_AdminServer::methodsAndPaths()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    startRelay(u"m1"_s);
    const HttpResult r = request(method, path);
    QCOMPARE(r.status, status);
    if (status == 405)
        QCOMPARE(r.allow, "GET"_ba);
}

void tst_AdminServer::metricsCountWhatTheRelayDid()
{
    RelayServer *relay = startRelay(u"a1"_s);
    RelayFixture::Instance other = m_relays.startRelay(u"b1"_s);
    TestClient *alice = m_relays.connectTo(relay->url());
    TestClient *bob = m_relays.connectTo(relay->url());
    TestClient *carol = m_relays.connectTo(other);
    QVERIFY(alice && bob && carol);
    QVERIFY(carol->join(u"r"_s));

    // What relay a1 receives: two joins, five messages, one frame that is not JSON.
    QStringList sent;
    const auto sendFrom = [&sent](TestClient *client, const QString &text) {
        client->sendText(text);
        sent.append(text);
    };
    const QString join = u"{\"type\":\"join\",\"roomId\":\"r\"}"_s;
    sendFrom(alice, join);
    QVERIFY(!alice->waitForType(u"joined"_s).isEmpty());
    sendFrom(bob, join);
    QVERIFY(!bob->waitForType(u"joined"_s).isEmpty());
    const int n = 5;
    for (int i = 0; i < n; ++i)
        sendFrom(alice,
                 u"{\"type\":\"message\",\"roomId\":\"r\",\"user\":\"alice\",\"text\":\"a%1\"}"_s.arg(i));
    sendFrom(bob, u"not json"_s);
    QVERIFY(!bob->waitForType(u"error"_s).isEmpty());
    // Three messages that reach a1 through Redis: the delivery latency's observations.
    const int m = 3;
    for (int i = 0; i < m; ++i)
        carol->send(chat(u"c%1"_s.arg(i), u"r"_s, u"carol"_s));
    for (TestClient *c : {alice, bob, carol}) {
        QVERIFY(!c->waitFor(textIs(u"a%1"_s.arg(n - 1))).isEmpty());
        QVERIFY(!c->waitFor(textIs(u"c%1"_s.arg(m - 1))).isEmpty());
    }
    const qint64 framesOut = alice->rawFrames().size() + bob->rawFrames().size();
    const qint64 bytesOut = utf8Size(alice->rawFrames()) + utf8Size(bob->rawFrames());
    bob->close();
    QTRY_COMPARE(relay->clientCount(), 1);

    const HttpResult r = request("GET", u"/metrics"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.contentType, "text/plain; version=0.0.4; charset=utf-8"_ba);
    const QByteArray text = r.body;
    QCOMPARE(sampleValue(text, "switchboard_relay_frames_in_total"), double(sent.size()));
    QCOMPARE(sampleValue(text, "switchboard_relay_bytes_in_total"), double(utf8Size(sent)));
    QCOMPARE(sampleValue(text, "switchboard_relay_publishes_total"), double(n));
    QCOMPARE(sampleValue(text, "switchboard_relay_frames_out_total"), double(framesOut));
    QCOMPARE(sampleValue(text, "switchboard_relay_bytes_out_total"), double(bytesOut));
    QCOMPARE(sampleValue(text, "switchboard_relay_connections"), 1.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_connections_accepted_total"), 2.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_rooms"), 1.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_bus_connected"), 1.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_closes_total{code=\"1000\"}"), 1.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_refusals_total{reason=\"protocol_error\"}"), 1.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_refusals_total{reason=\"forbidden\"}"), 0.0);
    QCOMPARE(sampleValue(text, "switchboard_relay_delivery_latency_seconds_count"), double(m));
    QCOMPARE(sampleValue(text, "switchboard_relay_delivery_latency_seconds_bucket{le=\"+Inf\"}"), double(m));
    QVERIFY(sampleValue(text, "switchboard_relay_delivery_latency_seconds_sum") > 0);
    QCOMPARE(sampleValue(text, "switchboard_relay_subscriber_gaps_total"), 0.0);
    QVERIFY(text.contains("switchboard_relay_info{instance_id=\"a1\""));

    QString lint;
    QVERIFY2(promtoolAccepts(text, &lint), qPrintable(lint + u"\n"_s + QString::fromUtf8(text)));
    // The linter itself: a counter without _total is refused, so the check above can fail.
    QVERIFY(!promtoolAccepts("# HELP x_things Things.\n# TYPE x_things counter\nx_things 1\n", &lint));
}

void tst_AdminServer::readyzFollowsRedis()
{
    startRelay(u"r1"_s);
    QCOMPARE(m_admin->readyWithin(), 1200ms);
    QTRY_COMPARE_WITH_TIMEOUT(status(u"/readyz"_s), 200, 10000);
    QCOMPARE(request("GET", u"/readyz"_s).body, "ready\n"_ba);

    // Connected, and deaf: a stalled Redis keeps the connections open and answers nothing.
    QVERIFY(m_relays.redis()->pause());
    QTRY_COMPARE_WITH_TIMEOUT(status(u"/readyz"_s), 503, 10000);
    const QByteArray deaf = request("GET", u"/readyz"_s).body;
    QVERIFY2(deaf.contains("no subscriber probe has come back"), deaf.constData());
    QVERIFY(m_relays.redis()->resume());
    QTRY_COMPARE_WITH_TIMEOUT(status(u"/readyz"_s), 200, 15000);

    // Gone.
    m_relays.redis()->stop();
    QTRY_COMPARE_WITH_TIMEOUT(status(u"/readyz"_s), 503, 10000);
    QVERIFY(request("GET", u"/readyz"_s).body.startsWith("not ready: "));
    QCOMPARE(sampleValue(metrics(), "switchboard_relay_bus_connected"), 0.0);
    QCOMPARE(status(u"/healthz"_s), 200);

    QVERIFY(m_relays.redis()->start());
    QTRY_COMPARE_WITH_TIMEOUT(status(u"/readyz"_s), 200, 20000);
    QCOMPARE(sampleValue(metrics(), "switchboard_relay_bus_connected"), 1.0);
    QVERIFY(sampleValue(metrics(), "switchboard_relay_subscriber_gaps_total") >= 1);
}

void tst_AdminServer::readyzInProcess()
{
    LocalBus bus;
    bus.start();
    RelayServerOptions options;
    options.bindAddress = QHostAddress::LocalHost;
    options.port = 0;
    RelayServer relay(options, &bus);
    m_admin = new AdminServer(&relay);
    QVERIFY(m_admin->listen(QHostAddress(QHostAddress::LocalHost), 0));
    QCOMPARE(m_admin->readyWithin(), 0ms);

    HttpResult r = request("GET", u"/readyz"_s);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.body, "not ready: the relay is not listening\n"_ba);
    QVERIFY(relay.listen());
    QCOMPARE(status(u"/readyz"_s), 200);
    QCOMPARE(sampleValue(metrics(), "switchboard_relay_bus_connected"), 1.0);
    QCOMPARE(sampleValue(metrics(), "switchboard_relay_outage_queue_messages"), 0.0);

    QSignalSpy finished(&relay, &RelayServer::finished);
    relay.shutdown();
    r = request("GET", u"/readyz"_s);
    QCOMPARE(r.status, 503);
    QCOMPARE(r.body, "not ready: the relay is shutting down\n"_ba);
    QTRY_COMPARE(finished.size(), 1);
    delete m_admin;
    m_admin = nullptr;
}

void tst_AdminServer::listenError()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress(QHostAddress::LocalHost), 0));
    LocalBus bus;
    RelayServer relay(RelayServerOptions{}, &bus);
    AdminServer admin(&relay);
    QString error;
    QVERIFY(!admin.listen(QHostAddress(QHostAddress::LocalHost), taken.serverPort(), &error));
    QVERIFY2(error.startsWith(u"admin listener on 127.0.0.1 port %1: "_s.arg(taken.serverPort())),
             qPrintable(error));
    QCOMPARE(admin.port(), quint16(0));
}

void tst_AdminServer::switchboardRelayServesItsAdminPort()
{
    RelayProcess relay;
    QVERIFY2(relay.start({u"--in-process"_s, u"--admin-port"_s, u"0"_s}), qPrintable(relay.log()));
    static const QRegularExpression listening(u"admin listening on http://127\\.0\\.0\\.1:(\\d+) "_s);
    QTRY_VERIFY_WITH_TIMEOUT(listening.match(relay.log()).hasMatch(), 10000);
    const quint16 port = quint16(listening.match(relay.log()).captured(1).toUInt());
    QVERIFY(port != 0 && port != relay.port());
    QCOMPARE(request("GET", u"/healthz"_s, port).status, 200);
    QCOMPARE(request("GET", u"/readyz"_s, port).status, 200);
    const QByteArray text = request("GET", u"/metrics"_s, port).body;
    QCOMPARE(sampleValue(text, "switchboard_relay_listening"), 1.0);
    QVERIFY2(text.contains("switchboard_relay_info{instance_id=\""), text.constData());
}

void tst_AdminServer::switchboardRelayExitsWhenTheAdminPortIsTaken()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress(QHostAddress::LocalHost), 0));
    RelayProcess relay;
    relay.start({u"--in-process"_s, u"--admin-port"_s, QString::number(taken.serverPort())});
    QVERIFY(relay.process().state() == QProcess::NotRunning || relay.process().waitForFinished(10000));
    QCOMPARE(relay.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(relay.process().exitCode(), 1);
    QVERIFY2(relay.log().contains(u"admin listener on 127.0.0.1 port %1: "_s.arg(taken.serverPort())),
             qPrintable(relay.log()));
}

QTEST_MAIN(tst_AdminServer)
#include "tst_adminserver.moc"

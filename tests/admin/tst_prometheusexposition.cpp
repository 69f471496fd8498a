// SPDX-License-Identifier: MIT
#include "prometheusexposition.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

class tst_PrometheusExposition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formatValue_data();
    void formatValue();
    void escapeLabelValue_data();
    void escapeLabelValue();
    void familyAndSamples();
    void histogramIsCumulative();
};

void tst_PrometheusExposition::formatValue_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << 0.0 << "0"_ba;
    QTest::newRow("integer") << 1000000.0 << "1000000"_ba;
    QTest::newRow("large count") << 123456789012.0 << "123456789012"_ba;
    QTest::newRow("negative") << -1.0 << "-1"_ba;
    QTest::newRow("bucket bound") << 0.00025 << "0.00025"_ba;
    QTest::newRow("fraction") << 2.5 << "2.5"_ba;
    QTest::newRow("tiny") << 1e-9 << "1e-09"_ba;
    QTest::newRow("+Inf") << double(INFINITY) << "+Inf"_ba;
    QTest::newRow("-Inf") << double(-INFINITY) << "-Inf"_ba;
    QTest::newRow("NaN") << double(NAN) << "NaN"_ba;
}

void tst_PrometheusExposition::formatValue()
{
    QFETCH(double, value);
    QTEST(PrometheusExposition::formatValue(value), "text");
}

void tst_PrometheusExposition::escapeLabelValue_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << "relay-1"_ba
                           << "relay-1"_ba;
    QTest::newRow("quote") << "a\"b"_ba
                           << "a\\\"b"_ba;
    QTest::newRow("backslash") << "a\\b"_ba
                               << "a\\\\b"_ba;
    QTest::newRow("newline") << "a\nb"_ba
                             << "a\\nb"_ba;
    QTest::newRow("UTF-8 kept") << "k\xc3\xb6ln"_ba
                                << "k\xc3\xb6ln"_ba;
}

void tst_PrometheusExposition::escapeLabelValue()
{
    QFETCH(QByteArray, value);
    QTEST(PrometheusExposition::escapeLabelValue(value), "escaped");
}

void tst_PrometheusExposition::familyAndSamples()
{
    PrometheusExposition out;
    out.family("x_closes_total", PrometheusExposition::Type::Counter, "Closes \\ by\ncode.");
    out.sample({}, {{"code", "1000"}, {"by", "a\"b"}}, 3);
    out.family("x_up", PrometheusExposition::Type::Gauge, "Up.");
    out.sample({}, 1);
    QCOMPARE(out.text(), "# HELP x_closes_total Closes \\\\ by\\ncode.\n"
                         "# TYPE x_closes_total counter\n"
                         "x_closes_total{code=\"1000\",by=\"a\\\"b\"} 3\n"
                         "# HELP x_up Up.\n"
                         "# TYPE x_up gauge\n"
                         "x_up 1\n"_ba);
}

void tst_PrometheusExposition::histogramIsCumulative()
{
    PrometheusExposition out;
    out.family("x_seconds", PrometheusExposition::Type::Histogram, "Latency.");
    out.histogram({0.001, 0.01}, {2, 0, 5}, 1.5);
    QCOMPARE(out.text(), "# HELP x_seconds Latency.\n"
                         "# TYPE x_seconds histogram\n"
                         "x_seconds_bucket{le=\"0.001\"} 2\n"
                         "x_seconds_bucket{le=\"0.01\"} 2\n"
                         "x_seconds_bucket{le=\"+Inf\"} 7\n"
                         "x_seconds_sum 1.5\n"
                         "x_seconds_count 7\n"_ba);
}

QTEST_MAIN(tst_PrometheusExposition)
#include "tst_prometheusexposition.moc"

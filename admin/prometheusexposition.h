// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

// Prometheus's text exposition format, version 0.0.4: each family's # HELP and # TYPE lines,
// then its samples. Label values and help text are escaped as the format requires (backslash,
// double quote and line feed in values; backslash and line feed in help).
class PrometheusExposition
{
public:
    using Labels = QList<QPair<QByteArray, QByteArray>>;
    enum class Type { Counter, Gauge, Histogram };

    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // Starts a family. A counter's name ends in _total (format 0.0.4 names it with its samples);
    // a histogram's is its samples' name without _bucket, _sum and _count.
    void family(const QByteArray &name, Type type, const QByteArray &help);
    // A sample of the current family; suffix is empty, or a histogram's "_bucket", "_sum", "_count".
    void sample(const QByteArray &suffix, const Labels &labels, double value);
    void sample(const QByteArray &suffix, double value) { sample(suffix, {}, value); }
    // A histogram's samples: cumulative buckets (upperBounds in the family's unit, then +Inf), sum
    // and count. bucketCounts holds one count per bound plus the +Inf bucket, not cumulative.
    void histogram(const QList<double> &upperBounds, const QList<quint64> &bucketCounts, double sum);

    const QByteArray &text() const { return m_text; }

    static QByteArray escapeLabelValue(const QByteArray &value);
    static QByteArray escapeHelp(const QByteArray &help);
    // A sample value: integers as integers, others in the shortest form that reads back exactly;
    // +Inf, -Inf, NaN.
    static QByteArray formatValue(double value);

private:
    QByteArray m_text;
    QByteArray m_name;
};

// SPDX-License-Identifier: MIT
#include "prometheusexposition.h"

#include <charconv>
#include <cmath>

namespace {

const char *typeName(PrometheusExposition::Type type)
{
    switch (type) {
    case PrometheusExposition::Type::Counter:
        return "counter";
    case PrometheusExposition::Type::Gauge:
        return "gauge";
    case PrometheusExposition::Type::Histogram:
        return "histogram";
    }
    return "untyped";
}

} // namespace

void PrometheusExposition::family(const QByteArray &name, Type type, const QByteArray &help)
{
    m_name = name;
    m_text += "# HELP " + name + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + name + ' ' + typeName(type) + '\n';
}

void PrometheusExposition::sample(const QByteArray &suffix, const Labels &labels, double value)
{
    m_text += m_name + suffix;
    if (!labels.isEmpty()) {
        m_text += '{';
        for (qsizetype i = 0; i < labels.size(); ++i) {
            if (i > 0)
                m_text += ',';
            m_text += labels[i].first + "=\"" + escapeLabelValue(labels[i].second) + '"';
        }
        m_text += '}';
    }
    m_text += ' ' + formatValue(value) + '\n';
}

void PrometheusExposition::histogram(const QList<double> &upperBounds, const QList<quint64> &bucketCounts,
                                     double sum)
{
    quint64 cumulative = 0;
    for (qsizetype i = 0; i < bucketCounts.size(); ++i) {
        cumulative += bucketCounts[i];
        const double le = i < upperBounds.size() ? upperBounds[i] : INFINITY;
        sample("_bucket", {{"le", formatValue(le)}}, double(cumulative));
    }
    sample("_sum", sum);
    sample("_count", double(cumulative));
}

QByteArray PrometheusExposition::escapeLabelValue(const QByteArray &value)
{
    QByteArray out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusExposition::escapeHelp(const QByteArray &help)
{
    QByteArray out = help;
    out.replace('\\', "\\\\");
    out.replace('\n', "\\n");
    return out;
}

QByteArray PrometheusExposition::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    // Counts as integers (1000000, not 1e+06); fractions as plain decimals where that is short
    // (0.00025); anything else in the shortest form that reads back exactly.
    char buffer[400];
    const double magnitude = std::fabs(value);
    std::to_chars_result result;
    if (magnitude < 9007199254740992.0 && value == std::trunc(value))
        result = std::to_chars(buffer, buffer + sizeof buffer, qint64(value));
    else if (magnitude >= 1e-6 && magnitude < 1e15)
        result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
    else
        result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return QByteArray(buffer, result.ptr - buffer);
}

// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>

#include <chrono>

// Numeric command-line options of switchboard-relay, read with the same range checks and the same
// errors everywhere: "--<name>: '<text>' must be a number between <min> and <max>[, or 0]".
namespace OptionReaders {

// A number within [min, max] (0 also allowed when zeroAllowed); otherwise a specific message that
// calls it `what`.
bool readNumber(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
                bool zeroAllowed, double *out, QString *error, const QString &what = QString());

// readNumber() into a field, keeping its value when the option is absent. Durations are given
// in seconds on the command line.
template<typename T>
bool readInto(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
              bool zeroAllowed, T *field, QString *error)
{
    double value = double(*field);
    if (!readNumber(parser, option, min, max, zeroAllowed, &value, error))
        return false;
    *field = T(value);
    return true;
}

template<typename Rep, typename Period>
bool readInto(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
              bool zeroAllowed, std::chrono::duration<Rep, Period> *field, QString *error)
{
    double seconds = std::chrono::duration<double>(*field).count();
    if (!readNumber(parser, option, min, max, zeroAllowed, &seconds, error,
                    QStringLiteral("a number of seconds")))
        return false;
    *field = std::chrono::duration_cast<std::chrono::duration<Rep, Period>>(
        std::chrono::milliseconds(qint64(seconds * 1000)));
    return true;
}

} // namespace OptionReaders

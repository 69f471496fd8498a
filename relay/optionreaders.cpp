// SPDX-License-Identifier: MIT
#include "optionreaders.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace OptionReaders {

bool readNumber(const QCommandLineParser &parser, const QCommandLineOption &option, double min, double max,
                bool zeroAllowed, double *out, QString *error, const QString &whatGiven)
{
    const QString what = whatGiven.isEmpty() ? u"a number"_s : whatGiven;
    if (!parser.isSet(option))
        return true;
    const QString text = parser.value(option);
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (ok && std::isfinite(value) && ((value >= min && value <= max) || (zeroAllowed && value == 0))) {
        *out = value;
        return true;
    }
    *error = u"--%1: '%2' must be %3 between %4 and %5%6"_s.arg(option.names().constLast(), text, what)
                 .arg(QString::number(min, 'g', 15), QString::number(max, 'g', 15),
                      zeroAllowed ? u", or 0"_s : QString());
    return false;
}

} // namespace OptionReaders

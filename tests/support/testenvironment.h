// SPDX-License-Identifier: MIT
#pragma once

#include <QProcessEnvironment>
#include <QStringList>

// {"NAME=value", ...} on top of base (empty by default).
inline QProcessEnvironment environmentFrom(const QStringList &assignments,
                                           QProcessEnvironment base = QProcessEnvironment())
{
    for (const QString &a : assignments)
        base.insert(a.section(QLatin1Char('='), 0, 0), a.section(QLatin1Char('='), 1));
    return base;
}

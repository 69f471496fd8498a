// SPDX-License-Identifier: MIT
#pragma once

#include "tapmodel.h"

#include <QList>

class QIODevice;

// Writes tap entries as NDJSON (one JSON object per line) or CSV (RFC 4180).
namespace TapExporter {
enum class Format { Ndjson, Csv };

QByteArray ndjsonLine(const TapEntry &entry);
QByteArray csvHeader();
QByteArray csvLine(const TapEntry &entry);
bool write(QIODevice *device, const QList<TapEntry> &entries, Format format, QString *error);
bool writeFile(const QString &path, const QList<TapEntry> &entries, Format format, QString *error);
QByteArray csvField(const QByteArray &utf8);
} // namespace TapExporter

// SPDX-License-Identifier: MIT
#include "tapexporter.h"

#include "relayprotocol.h"

#include <QDateTime>
#include <QSaveFile>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace TapExporter {
namespace {
QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

bool utf8(const QByteArray &bytes, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    *text = decoder(bytes);
    return !decoder.hasError();
}
} // namespace

QByteArray ndjsonLine(const TapEntry &e)
{
    QByteArray out = "{\"time\":";
    RelayProtocol::appendJsonString(out, isoTime(e.receivedMs));
    out += ",\"channel\":";
    RelayProtocol::appendJsonString(out, QString::fromUtf8(e.channel));
    out += ",\"pattern\":";
    RelayProtocol::appendJsonString(out, QString::fromUtf8(e.pattern));
    out += ",\"size\":" + QByteArray::number(e.size);
    QString text;
    if (utf8(e.payload, &text)) {
        out += ",\"payload\":";
        RelayProtocol::appendJsonString(out, text);
    } else {
        out += ",\"payload_base64\":\"" + e.payload.toBase64() + '"';
    }
    if (e.truncated())
        out += ",\"truncated\":true";
    out += "}\n";
    return out;
}

QByteArray csvField(const QByteArray &utf8)
{
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r'))
        return utf8;
    QByteArray quoted = utf8;
    quoted.replace('"', "\"\"");
    return '"' + quoted + '"';
}

QByteArray csvHeader()
{
    return "time,channel,pattern,size,payload,truncated\r\n"_ba;
}

QByteArray csvLine(const TapEntry &e)
{
    QString text;
    const QByteArray payload = utf8(e.payload, &text) ? e.payload : "base64:" + e.payload.toBase64();
    return isoTime(e.receivedMs).toUtf8() + ',' + csvField(e.channel) + ',' + csvField(e.pattern) + ',' +
           QByteArray::number(e.size) + ',' + csvField(payload) + ',' + (e.truncated() ? "true" : "false") +
           "\r\n";
}

bool write(QIODevice *device, const QList<TapEntry> &entries, Format format, QString *error)
{
    QByteArray chunk;
    if (format == Format::Csv)
        chunk = csvHeader();
    for (const TapEntry &e : entries) {
        chunk += format == Format::Csv ? csvLine(e) : ndjsonLine(e);
        if (chunk.size() > 1 << 20) {
            if (device->write(chunk) != chunk.size()) {
                if (error)
                    *error = device->errorString();
                return false;
            }
            chunk.clear();
        }
    }
    if (!chunk.isEmpty() && device->write(chunk) != chunk.size()) {
        if (error)
            *error = device->errorString();
        return false;
    }
    return true;
}

bool writeFile(const QString &path, const QList<TapEntry> &entries, Format format, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    if (!write(&file, entries, format, error))
        return false;
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}
} // namespace TapExporter

// SPDX-License-Identifier: MIT
#include "auditlog.h"

#include "tapexporter.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

QJsonObject AuditEntry::toJson() const
{
    QJsonArray chans;
    for (const QByteArray &c : channels)
        chans.append(QString::fromUtf8(c));
    QJsonArray counts;
    for (qint64 r : receivers)
        counts.append(r);
    QJsonObject o{{u"time"_s, QDateTime::fromMSecsSinceEpoch(timeMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                  {u"profile"_s, profile},
                  {u"level"_s, level},
                  {u"target"_s, target},
                  {u"channels"_s, chans},
                  {u"text"_s, text},
                  {u"id"_s, id},
                  {u"receivers"_s, counts}};
    if (!error.isEmpty())
        o.insert(u"error"_s, error);
    if (!commands.isEmpty())
        o.insert(u"commands"_s, QJsonArray::fromStringList(commands));
    return o;
}

std::optional<AuditEntry> AuditEntry::fromJson(const QJsonObject &o)
{
    const QDateTime time = QDateTime::fromString(o.value(u"time"_s).toString(), Qt::ISODateWithMs);
    if (!time.isValid() || !o.value(u"text"_s).isString() || !o.value(u"channels"_s).isArray())
        return std::nullopt;
    AuditEntry e;
    e.timeMs = time.toMSecsSinceEpoch();
    e.profile = o.value(u"profile"_s).toString();
    e.level = o.value(u"level"_s).toString();
    e.target = o.value(u"target"_s).toString();
    e.text = o.value(u"text"_s).toString();
    e.id = o.value(u"id"_s).toString();
    e.error = o.value(u"error"_s).toString();
    for (const QJsonValue &c : o.value(u"channels"_s).toArray())
        e.channels.append(c.toString().toUtf8());
    for (const QJsonValue &r : o.value(u"receivers"_s).toArray())
        e.receivers.append(r.toInteger());
    for (const QJsonValue &c : o.value(u"commands"_s).toArray())
        e.commands.append(c.toString());
    return e;
}

QString AuditEntry::resultText() const
{
    if (!error.isEmpty())
        return QCoreApplication::translate("AuditLog", "failed: %1").arg(error);
    qint64 total = 0;
    for (qint64 r : receivers)
        total += r;
    return QCoreApplication::translate("AuditLog", "%n subscriber(s) received it", nullptr, int(total));
}

AuditLog::AuditLog(QObject *parent)
    : QAbstractTableModel(parent)
{}

QString AuditLog::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/announcements.ndjson"_s;
}

bool AuditLog::open(const QString &path)
{
    beginResetModel();
    m_entries.clear();
    m_skipped = 0;
    m_file.close();
    m_file.setFileName(path);
    QDir().mkpath(QFileInfo(path).absolutePath());
    const bool ok = m_file.open(QIODevice::ReadWrite | QIODevice::Append | QIODevice::Text);
    if (ok) {
        m_file.seek(0);
        while (!m_file.atEnd()) {
            const QByteArray line = m_file.readLine().trimmed();
            if (line.isEmpty())
                continue;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            auto entry = doc.isObject() ? AuditEntry::fromJson(doc.object()) : std::nullopt;
            if (!entry) {
                ++m_skipped;
                continue;
            }
            m_entries.push_back(std::move(*entry));
            if (qsizetype(m_entries.size()) > m_limit)
                m_entries.pop_front();
        }
        m_error.clear();
    } else {
        m_error = m_file.errorString();
    }
    endResetModel();
    return ok;
}

bool AuditLog::append(const AuditEntry &entry)
{
    bool written = false;
    if (m_file.isOpen()) {
        const QByteArray line = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact) + '\n';
        written = m_file.write(line) == line.size() && m_file.flush();
        if (!written)
            m_error = m_file.errorString();
    }
    if (qsizetype(m_entries.size()) >= m_limit) {
        const int last = int(m_entries.size()) - 1;
        beginRemoveRows({}, last, last);
        m_entries.pop_front();
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_entries.push_back(entry);
    endInsertRows();
    return written;
}

bool AuditLog::exportTo(const QString &path, Format format, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QByteArray out = format == Format::Csv
                         ? "time,profile,level,target,channels,text,id,receivers,error\r\n"_ba
                         : QByteArray();
    for (const AuditEntry &e : m_entries) {
        if (format == Format::Ndjson) {
            out += QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) + '\n';
            continue;
        }
        QByteArrayList counts;
        for (qint64 r : e.receivers)
            counts.append(QByteArray::number(r));
        using TapExporter::csvField;
        out += QDateTime::fromMSecsSinceEpoch(e.timeMs, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8() + ',' +
               csvField(e.profile.toUtf8()) + ',' + csvField(e.level.toUtf8()) + ',' +
               csvField(e.target.toUtf8()) + ',' + csvField(e.channels.join(' ')) + ',' +
               csvField(e.text.toUtf8()) + ',' + csvField(e.id.toUtf8()) + ',' + csvField(counts.join(' ')) +
               ',' + csvField(e.error.toUtf8()) + "\r\n";
    }
    if (file.write(out) != out.size() || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

int AuditLog::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditLog::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLog::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditEntry &e = entryAt(index.row());
    if (role == Qt::ToolTipRole && index.column() == TextColumn)
        return e.text;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(u"yyyy-MM-dd HH:mm:ss"_s);
    case ProfileColumn:
        return e.profile;
    case LevelColumn:
        return e.level;
    case TargetColumn:
        return e.target;
    case TextColumn:
        return QString(e.text).replace(u'\n', u' ');
    case ResultColumn:
        return e.resultText();
    }
    return {};
}

QVariant AuditLog::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case ProfileColumn:
        return tr("Profile");
    case LevelColumn:
        return tr("Level");
    case TargetColumn:
        return tr("Target");
    case TextColumn:
        return tr("Text");
    case ResultColumn:
        return tr("Result");
    }
    return {};
}

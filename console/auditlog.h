// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QFile>
#include <QJsonObject>

#include <deque>

struct AuditEntry
{
    qint64 timeMs = 0;
    QString profile;
    QString level;
    QString target;
    QByteArrayList channels;
    QString text;
    QString id;
    // Per channel: receivers as PUBLISH returned them, or the error.
    QList<qint64> receivers;
    QString error;
    // On a Cluster, per channel: the commands sent and what each returned ("SPUBLISH 2 + PUBLISH 1").
    QStringList commands{};

    QJsonObject toJson() const;
    static std::optional<AuditEntry> fromJson(const QJsonObject &object);
    QString resultText() const;
};

// Every announcement, appended to an NDJSON file and flushed at once, so the record survives a
// crash. Shown newest first. Malformed lines in an existing file are skipped and counted.
class AuditLog : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        ProfileColumn,
        LevelColumn,
        TargetColumn,
        TextColumn,
        ResultColumn,
        ColumnCount
    };
    enum class Format { Ndjson, Csv };

    explicit AuditLog(QObject *parent = nullptr);

    // Opens (creating) the file and loads what it holds; false with errorString() on failure.
    bool open(const QString &path);
    QString path() const { return m_file.fileName(); }
    QString errorString() const { return m_error; }
    int skippedLines() const { return m_skipped; }
    static QString defaultPath();

    bool append(const AuditEntry &entry);
    const AuditEntry &entryAt(int row) const { return m_entries[m_entries.size() - 1 - size_t(row)]; }
    bool exportTo(const QString &path, Format format, QString *error) const;
    void setMemoryLimit(qsizetype entries) { m_limit = entries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QFile m_file;
    std::deque<AuditEntry> m_entries; // oldest first
    QString m_error;
    int m_skipped = 0;
    qsizetype m_limit = 10000;
};

// SPDX-License-Identifier: MIT
#include "logmodel.h"

#include <QDateTime>
#include <QMetaObject>
#include <QPointer>

namespace {
struct Capture
{
    QMutex mutex;
    QPointer<LogModel> model;
    QtMessageHandler previous = nullptr;
};

Capture &capture()
{
    static Capture instance;
    return instance;
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    Capture &c = capture();
    QtMessageHandler previous;
    {
        QMutexLocker lock(&c.mutex);
        previous = c.previous;
        if (c.model)
            c.model->append({QDateTime::currentMSecsSinceEpoch(), type,
                             QString::fromLatin1(context.category ? context.category : "default"), message});
    }
    if (previous)
        previous(type, context, message);
}
} // namespace

LogModel::LogModel(qsizetype capacity, QObject *parent)
    : QAbstractTableModel(parent)
    , m_capacity(qMax<qsizetype>(1, capacity))
{}

void LogModel::install(LogModel *model)
{
    Capture &c = capture();
    QMutexLocker lock(&c.mutex);
    c.model = model;
    QtMessageHandler previous = qInstallMessageHandler(handler);
    if (previous != handler)
        c.previous = previous;
}

void LogModel::uninstall()
{
    Capture &c = capture();
    QMutexLocker lock(&c.mutex);
    c.model = nullptr;
    qInstallMessageHandler(c.previous);
    c.previous = nullptr;
}

void LogModel::append(LogRecord record)
{
    QMutexLocker lock(&m_mutex);
    m_pending.push_back(std::move(record));
    if (qsizetype(m_pending.size()) > m_capacity)
        m_pending.pop_front();
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        QMetaObject::invokeMethod(this, &LogModel::flush, Qt::QueuedConnection);
    }
}

void LogModel::flush()
{
    std::deque<LogRecord> batch;
    {
        QMutexLocker lock(&m_mutex);
        batch.swap(m_pending);
        m_flushScheduled = false;
    }
    if (batch.empty())
        return;
    const qsizetype overflow = qsizetype(m_rows.size() + batch.size()) - m_capacity;
    if (overflow > 0) {
        const qsizetype drop = qMin<qsizetype>(overflow, qsizetype(m_rows.size()));
        if (drop > 0) {
            beginRemoveRows({}, 0, int(drop) - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + drop);
            endRemoveRows();
        }
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(batch.size()) - 1);
    for (LogRecord &r : batch) {
        if (r.type == QtWarningMsg || r.type == QtCriticalMsg || r.type == QtFatalMsg)
            Q_EMIT warningLogged(r.message);
        m_rows.push_back(std::move(r));
    }
    endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QString LogModel::levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return tr("debug");
    case QtInfoMsg:
        return tr("info");
    case QtWarningMsg:
        return tr("warning");
    case QtCriticalMsg:
        return tr("critical");
    case QtFatalMsg:
        return tr("fatal");
    }
    return {};
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LogRecord &r = m_rows[size_t(index.row())];
    if (role == TypeRole)
        return int(r.type);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return QDateTime::fromMSecsSinceEpoch(r.msecs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case LevelColumn:
        return levelName(r.type);
    case CategoryColumn:
        return r.category;
    case MessageColumn:
        return r.message;
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case LevelColumn:
        return tr("Level");
    case CategoryColumn:
        return tr("Category");
    case MessageColumn:
        return tr("Message");
    }
    return {};
}

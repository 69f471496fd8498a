// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QMutex>

#include <deque>

struct LogRecord
{
    qint64 msecs = 0;
    QtMsgType type = QtInfoMsg;
    QString category;
    QString message;
};

// The console's log panel: a bounded list of log records. append() may be called from any
// thread; rows are added on the model's thread, once per event-loop turn.
class LogModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { TimeColumn, LevelColumn, CategoryColumn, MessageColumn, ColumnCount };
    enum Role { TypeRole = Qt::UserRole + 1 };

    explicit LogModel(qsizetype capacity = 5000, QObject *parent = nullptr);

    void append(LogRecord record);
    void clear();
    qsizetype capacity() const { return m_capacity; }
    static QString levelName(QtMsgType type);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Routes Qt's message handler into model (and on to the previous handler, so stderr keeps
    // its output). uninstall() restores the previous handler; one model at a time.
    static void install(LogModel *model);
    static void uninstall();

Q_SIGNALS:
    void warningLogged(const QString &message);

private:
    void flush();

    qsizetype m_capacity;
    std::deque<LogRecord> m_rows;
    QMutex m_mutex;
    std::deque<LogRecord> m_pending;
    bool m_flushScheduled = false;
};

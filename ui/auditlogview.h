// SPDX-License-Identifier: MIT
#pragma once

#include "auditlog.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

// Browse and export the announcements' audit log.
class AuditLogView : public QWidget
{
    Q_OBJECT

public:
    explicit AuditLogView(AuditLog *log, QWidget *parent = nullptr);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void exportInteractive(AuditLog::Format format);

    AuditLog *m_log;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QToolButton *m_export;
    QTableView *m_table;
    QLabel *m_path;
};

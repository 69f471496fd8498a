// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class LogModel;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

// The log panel: everything the console and its embedded relay log, filtered by level and text.
class LogView : public QWidget
{
    Q_OBJECT

public:
    explicit LogView(LogModel *model, QWidget *parent = nullptr);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();

    LogModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QComboBox *m_level;
    QLineEdit *m_filter;
    QCheckBox *m_follow;
    QPushButton *m_clear;
    QTableView *m_table;
};

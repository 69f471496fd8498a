// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableView;
class RoomDetailController;

// A room's detail, opened from the Channels view: who is in the room across relays (presence) and its
// history stream, paged newest first, with the selected message's JSON pretty-printed beside it, the
// stream's length, memory and expiry, and a plain sentence when the room has no such key. Reads
// Redis only while shown.
class RoomDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit RoomDetailView(RoomDetailController *controller, QWidget *parent = nullptr);

    RoomDetailController *controller() const { return m_controller; }
    QString titleText() const;
    QString presenceText() const;
    QString historyText() const;
    QString detailText() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void setupTables();
    QWidget *buildPresencePane();
    QWidget *buildHistoryPane();
    void updatePresence();
    void updateHistory();
    void updateDetail();

    RoomDetailController *m_controller;
    QLabel *m_title;
    QLabel *m_keys;
    QTabWidget *m_tabs;
    QLabel *m_presenceSummary;
    QTableView *m_presence;
    QLabel *m_historySummary;
    QPushButton *m_newest;
    QPushButton *m_newer;
    QPushButton *m_older;
    QPushButton *m_refresh;
    QLabel *m_page;
    QTableView *m_history;
    QPlainTextEdit *m_detail;
};

// SPDX-License-Identifier: MIT
#pragma once

#include "announcementcontroller.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QTimer;

// Compose, preview, estimate, confirm and publish an announcement; templates on the side.
class AnnouncementView : public QWidget
{
    Q_OBJECT

public:
    using ConfirmationHandler = std::function<bool(const QString &summary)>;

    AnnouncementView(AnnouncementController *controller, TemplateStore *templates, QWidget *parent = nullptr);

    // Replaces the confirmation dialog (tests answer it; nothing is sent without a yes).
    void setConfirmationHandler(ConfirmationHandler handler) { m_confirm = std::move(handler); }
    // The announcement as it would be sent now (id and timestamp included).
    const Announcement &pending() const { return m_pending; }
    void send();

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupWidgets();
    void setupLayout();
    void connectComposer();
    void connectTemplates();
    QLabel *newLabel();
    void retranslateUi();
    void compose();
    void showEstimate(const AnnouncementController::Estimate &estimate);
    void showResult(const AnnouncementController::Result &result);
    void updateState();
    void reloadTemplates();
    bool confirm(const QString &summary);

    AnnouncementController *m_controller;
    TemplateStore *m_templates;
    Announcement m_pending;
    AnnouncementController::Estimate m_estimate;
    ConfirmationHandler m_confirm;
    QPlainTextEdit *m_text;
    QComboBox *m_level;
    QRadioButton *m_broadcast;
    QRadioButton *m_roomsRadio;
    QLineEdit *m_rooms;
    QPlainTextEdit *m_preview;
    QLabel *m_estimateLabel;
    QLabel *m_readOnlyLabel;
    QPushButton *m_send;
    QLabel *m_result;
    QComboBox *m_templateCombo;
    QPushButton *m_saveTemplate;
    QPushButton *m_deleteTemplate;
    QTimer *m_estimateTimer;
    QList<QLabel *> m_labels;
};

// SPDX-License-Identifier: MIT
#pragma once

#include "connectionprofile.h"

#include <QDialog>

class ProfileStore;
class SecretStore;
class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

// Edits the saved connection profiles. Passwords go to the SecretStore, never to the profile.
class ConnectionDialog : public QDialog
{
    Q_OBJECT

public:
    ConnectionDialog(ProfileStore *store, SecretStore *secrets, QWidget *parent = nullptr);

    void selectProfile(const QString &name);

Q_SIGNALS:
    // sentinelPassword: the Sentinels' own (Sentinel profiles), else empty.
    void connectRequested(const ConnectionProfile &profile, const QString &password, const QString &sentinelPassword);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setupWidgets();
    QHBoxLayout *withBrowseButton(QLineEdit *edit);
    QFormLayout *buildForm();
    void setupLayout(QFormLayout *form);
    void connectSignals();
    void retranslateUi();
    void reload(const QString &select);
    void showProfile(const ConnectionProfile &profile);
    ConnectionProfile editedProfile() const;
    bool saveCurrent();
    void testConnection();
    void setMessage(const QString &text, bool error);
    // The Sentinel user and password rows only for a redis-sentinel:// URL.
    void updateSentinelRows();
    void saveSecrets(const QString &name);

    ProfileStore *m_store;
    SecretStore *m_secrets;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QLabel *m_passwordNote;
    QLineEdit *m_sentinelUser;
    QLineEdit *m_sentinelPassword;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QCheckBox *m_skipVerify;
    QLabel *m_skipWarning;
    QCheckBox *m_readOnly;
    QLabel *m_message;
    QPushButton *m_new;
    QPushButton *m_delete;
    QPushButton *m_save;
    QPushButton *m_test;
    QPushButton *m_connect;
    QDialogButtonBox *m_buttons;
    QList<QLabel *> m_formLabels;
    bool m_passwordEdited = false;
    bool m_sentinelPasswordEdited = false;
};

// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

// Where profile passwords live. The console uses the system keychain (KeychainSecretStore in
// ui/); when there is none, passwords are kept in memory for the session and never written out.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    using ReadCallback = std::function<void(const std::optional<QString> &password, const QString &error)>;
    using WriteCallback = std::function<void(const QString &error)>;

    using QObject::QObject;

    // A missing entry is not an error: the callback gets std::nullopt and an empty error.
    virtual void readPassword(const QString &profile, QObject *context, ReadCallback callback) = 0;
    virtual void writePassword(const QString &profile, const QString &password, QObject *context,
                               WriteCallback callback) = 0;
    virtual void deletePassword(const QString &profile) = 0;
    virtual QString description() const = 0;
};

class MemorySecretStore : public SecretStore
{
    Q_OBJECT

public:
    using SecretStore::SecretStore;

    void readPassword(const QString &profile, QObject *context, ReadCallback callback) override;
    void writePassword(const QString &profile, const QString &password, QObject *context,
                       WriteCallback callback) override;
    void deletePassword(const QString &profile) override { m_passwords.remove(profile); }
    QString description() const override;

private:
    QHash<QString, QString> m_passwords;
};

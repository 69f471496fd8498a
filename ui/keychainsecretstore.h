// SPDX-License-Identifier: MIT
#pragma once

#include "secretstore.h"

// Passwords in the system keychain (Secret Service, KWallet, macOS Keychain, Windows Credential
// Store) through QtKeychain. QtKeychain's plain-text fallback stays off: when no keychain answers,
// the password is kept in memory for this session only, and lastError() says why.
class KeychainSecretStore : public SecretStore
{
    Q_OBJECT

public:
    explicit KeychainSecretStore(const QString &service, QObject *parent = nullptr);

    void readPassword(const QString &profile, QObject *context, ReadCallback callback) override;
    void writePassword(const QString &profile, const QString &password, QObject *context,
                       WriteCallback callback) override;
    void deletePassword(const QString &profile) override;
    QString description() const override;

private:
    QString m_service;
    MemorySecretStore m_session;
    bool m_keychainFailed = false;
};

// SPDX-License-Identifier: MIT
#include "keychainsecretstore.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent)
    , m_service(service)
{}

void KeychainSecretStore::readPassword(const QString &profile, QObject *context, ReadCallback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(profile);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [this, job, guard, profile, callback](QKeychain::Job *) {
        if (!guard)
            return;
        if (job->error() == QKeychain::NoError) {
            callback(job->textData(), QString());
            return;
        }
        if (job->error() != QKeychain::EntryNotFound)
            m_keychainFailed = true;
        // Not in the keychain (or no keychain): a password given earlier in this session.
        m_session.readPassword(profile, guard, callback);
    });
    job->start();
}

void KeychainSecretStore::writePassword(const QString &profile, const QString &password, QObject *context,
                                        WriteCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(profile);
    job->setTextData(password);
    QPointer<QObject> guard(context);
    connect(
        job, &QKeychain::Job::finished, this,
        [this, job, guard, profile, password, callback](QKeychain::Job *) {
            if (job->error() == QKeychain::NoError) {
                m_session.deletePassword(profile);
                if (guard)
                    callback(QString());
                return;
            }
            m_keychainFailed = true;
            const QString reason = job->errorString();
            m_session.writePassword(profile, password, this, [guard, callback, reason](const QString &) {
                if (guard)
                    callback(
                        tr("The system keychain is not available (%1): the password is kept for this session "
                           "only.")
                            .arg(reason));
            });
        });
    job->start();
}

void KeychainSecretStore::deletePassword(const QString &profile)
{
    m_session.deletePassword(profile);
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setKey(profile);
    job->start();
}

QString KeychainSecretStore::description() const
{
    return m_keychainFailed ? tr("system keychain unavailable: kept for this session only")
                            : tr("stored in the system keychain");
}

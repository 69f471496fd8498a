// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include <QTimer>

void MemorySecretStore::readPassword(const QString &profile, QObject *context, ReadCallback callback)
{
    const auto it = m_passwords.constFind(profile);
    const std::optional<QString> value =
        it == m_passwords.constEnd() ? std::nullopt : std::optional<QString>(*it);
    QTimer::singleShot(0, context, [callback = std::move(callback), value] { callback(value, QString()); });
}

void MemorySecretStore::writePassword(const QString &profile, const QString &password, QObject *context,
                                      WriteCallback callback)
{
    m_passwords.insert(profile, password);
    QTimer::singleShot(0, context, [callback = std::move(callback)] { callback(QString()); });
}

QString MemorySecretStore::description() const
{
    return tr("kept in memory for this session only");
}

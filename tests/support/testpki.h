// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// A throwaway PKI for TLS tests, made with the openssl CLI in a private temporary directory:
// a CA, a server certificate for localhost / 127.0.0.1 and a client certificate both signed
// by it, and an unrelated second CA for negative tests. EC P-256 keys, valid for two days.
class TestPki
{
public:
    TestPki() = default;
    TestPki(const TestPki &) = delete;
    TestPki &operator=(const TestPki &) = delete;

    // Creates everything; false with errorString() set when openssl is missing or fails.
    bool create();
    QString errorString() const { return m_error; }

    // Absolute paths of PEM files (valid after create() succeeded).
    QString caCert() const { return path(u"ca.crt"); }
    QString serverCert() const { return path(u"server.crt"); }
    QString serverKey() const { return path(u"server.key"); }
    QString clientCert() const { return path(u"client.crt"); }
    QString clientKey() const { return path(u"client.key"); }
    QString otherCaCert() const { return path(u"otherca.crt"); }

    static QString opensslProgram();

private:
    QString path(QStringView name) const { return m_dir.filePath(name.toString()); }
    bool run(const QStringList &arguments);
    bool makeKey(const QString &name);
    bool makeCa(const QString &name, const QString &commonName);
    bool makeLeaf(const QString &name, const QString &commonName, const QString &ca,
                  const QString &extensions);

    QTemporaryDir m_dir;
    QString m_error;
};

// SPDX-License-Identifier: MIT
#include "testpki.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace {
// Our own minimal configuration, so the system openssl.cnf cannot add or clash with extensions.
constexpr char Config[] = "[req]\n"
                          "distinguished_name = dn\n"
                          "prompt = no\n"
                          "[dn]\n"
                          "[ca]\n"
                          "basicConstraints = critical,CA:TRUE\n"
                          "keyUsage = critical,keyCertSign,cRLSign\n"
                          "subjectKeyIdentifier = hash\n"
                          "[server]\n"
                          "basicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\n"
                          "extendedKeyUsage = serverAuth\n"
                          "subjectAltName = DNS:localhost,IP:127.0.0.1\n"
                          "subjectKeyIdentifier = hash\n"
                          "authorityKeyIdentifier = keyid\n"
                          "[client]\n"
                          "basicConstraints = critical,CA:FALSE\n"
                          "keyUsage = critical,digitalSignature\n"
                          "extendedKeyUsage = clientAuth\n"
                          "subjectKeyIdentifier = hash\n"
                          "authorityKeyIdentifier = keyid\n";
} // namespace

QString TestPki::opensslProgram()
{
    return u"/usr/bin/openssl"_s;
}

bool TestPki::run(const QStringList &arguments)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(opensslProgram(), arguments);
    if (!process.waitForStarted(5000)) {
        m_error = u"cannot start %1: %2"_s.arg(opensslProgram(), process.errorString());
        return false;
    }
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit ||
        process.exitCode() != 0) {
        m_error = u"openssl %1 failed (exit code %2): %3"_s.arg(
            arguments.join(u' '), QString::number(process.exitCode()),
            QString::fromLocal8Bit(process.readAll()).trimmed());
        return false;
    }
    return true;
}

bool TestPki::makeKey(const QString &name)
{
    return run({u"genpkey"_s, u"-algorithm"_s, u"EC"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:P-256"_s,
                u"-out"_s, path(name + u".key"_s)});
}

bool TestPki::makeCa(const QString &name, const QString &commonName)
{
    return makeKey(name) &&
           run({u"req"_s, u"-new"_s, u"-x509"_s, u"-config"_s, path(u"openssl.cnf"), u"-extensions"_s,
                u"ca"_s, u"-key"_s, path(name + u".key"_s), u"-subj"_s, u"/CN="_s + commonName, u"-days"_s,
                u"2"_s, u"-sha256"_s, u"-out"_s, path(name + u".crt"_s)});
}

bool TestPki::makeLeaf(const QString &name, const QString &commonName, const QString &ca,
                       const QString &extensions)
{
    return makeKey(name) &&
           run({u"req"_s, u"-new"_s, u"-config"_s, path(u"openssl.cnf"), u"-key"_s, path(name + u".key"_s),
                u"-subj"_s, u"/CN="_s + commonName, u"-out"_s, path(name + u".csr"_s)}) &&
           run({u"x509"_s,
                u"-req"_s,
                u"-in"_s,
                path(name + u".csr"_s),
                u"-CA"_s,
                path(ca + u".crt"_s),
                u"-CAkey"_s,
                path(ca + u".key"_s),
                u"-CAcreateserial"_s,
                u"-CAserial"_s,
                path(ca + u".srl"_s),
                u"-extfile"_s,
                path(u"openssl.cnf"),
                u"-extensions"_s,
                extensions,
                u"-days"_s,
                u"2"_s,
                u"-sha256"_s,
                u"-out"_s,
                path(name + u".crt"_s)});
}

bool TestPki::create()
{
    m_error.clear();
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary directory: "_s + m_dir.errorString();
        return false;
    }
    if (!QFileInfo(opensslProgram()).isExecutable()) {
        m_error =
            u"%1 not found: install the openssl package (scripts/bootstrap.sh does)"_s.arg(opensslProgram());
        return false;
    }
    QFile config(path(u"openssl.cnf"));
    if (!config.open(QIODevice::WriteOnly) || config.write(Config) != qint64(qstrlen(Config))) {
        m_error = u"cannot write %1: %2"_s.arg(config.fileName(), config.errorString());
        return false;
    }
    config.close();
    return makeCa(u"ca"_s, u"Switchboard Test CA"_s) &&
           makeLeaf(u"server"_s, u"localhost"_s, u"ca"_s, u"server"_s) &&
           makeLeaf(u"client"_s, u"switchboard-test-client"_s, u"ca"_s, u"client"_s) &&
           makeCa(u"otherca"_s, u"Unrelated Test CA"_s);
}

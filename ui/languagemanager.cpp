// SPDX-License-Identifier: MIT
#include "languagemanager.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

LanguageManager::LanguageManager(QObject *parent)
    : QObject(parent)
{}

QStringList LanguageManager::available()
{
    return {u"en"_s, u"de"_s};
}

QString LanguageManager::displayName(const QString &code)
{
    if (code == "de"_L1)
        return u"Deutsch"_s;
    return u"English"_s;
}

bool LanguageManager::setLanguage(const QString &code)
{
    if (!available().contains(code))
        return false;
    if (code == m_language)
        return true;
    QCoreApplication::removeTranslator(&m_app);
    QCoreApplication::removeTranslator(&m_qt);
    if (code != "en"_L1) {
        if (!m_app.load(u":/i18n/switchboard_%1.qm"_s.arg(code))) {
            m_language = u"en"_s;
            Q_EMIT languageChanged(m_language);
            return false;
        }
        if (m_qt.load(QLocale(code), u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qt);
        QCoreApplication::installTranslator(&m_app);
    }
    m_language = code;
    Q_EMIT languageChanged(code);
    return true;
}

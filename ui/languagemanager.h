// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QTranslator>

// Switches the console's language at run time. Installing a translator sends LanguageChange to
// every widget; views retranslate themselves on it.
class LanguageManager : public QObject
{
    Q_OBJECT

public:
    explicit LanguageManager(QObject *parent = nullptr);

    // Language codes the console ships: "en" and "de".
    static QStringList available();
    static QString displayName(const QString &code);
    // Returns false (and keeps the current language) when the code has no translation.
    bool setLanguage(const QString &code);
    QString language() const { return m_language; }

Q_SIGNALS:
    void languageChanged(const QString &code);

private:
    QString m_language = QStringLiteral("en");
    QTranslator m_app;
    QTranslator m_qt;
};

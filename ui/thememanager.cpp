// SPDX-License-Identifier: MIT
#include "thememanager.h"

#include <QApplication>
#include <QStyleFactory>

using namespace Qt::StringLiterals;

ThemeManager::ThemeManager(QObject *parent)
    : QObject(parent)
{
    if (QStyle *fusion = QStyleFactory::create(u"Fusion"_s))
        QApplication::setStyle(fusion);
    m_systemPalette = QApplication::palette();
}

QString ThemeManager::modeKey(Mode mode)
{
    switch (mode) {
    case Mode::Light:
        return u"light"_s;
    case Mode::Dark:
        return u"dark"_s;
    case Mode::System:
        break;
    }
    return u"system"_s;
}

ThemeManager::Mode ThemeManager::modeFromKey(const QString &key)
{
    if (key == "light"_L1)
        return Mode::Light;
    if (key == "dark"_L1)
        return Mode::Dark;
    return Mode::System;
}

bool ThemeManager::systemPrefersDark() const
{
    const QByteArray gtkTheme = qgetenv("GTK_THEME").toLower();
    if (gtkTheme.endsWith(":dark") || gtkTheme.contains("-dark"))
        return true;
    return m_systemPalette.color(QPalette::Window).lightness() < 128;
}

bool ThemeManager::isDark() const
{
    switch (m_mode) {
    case Mode::Dark:
        return true;
    case Mode::Light:
        return false;
    case Mode::System:
        break;
    }
    return systemPrefersDark();
}

void ThemeManager::setMode(Mode mode)
{
    m_mode = mode;
    QPalette palette = m_systemPalette;
    if (mode == Mode::Light)
        palette = lightPalette();
    else if (mode == Mode::Dark)
        palette = darkPalette();
    else if (systemPrefersDark() && m_systemPalette.color(QPalette::Window).lightness() >= 128)
        palette = darkPalette(); // the desktop asks for dark but the platform palette is light
    QApplication::setPalette(palette);
    Q_EMIT modeChanged(mode);
}

QPalette ThemeManager::lightPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
    p.setColor(QPalette::WindowText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf0, 0xf3, 0xf6));
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xe8));
    p.setColor(QPalette::ToolTipText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Text, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::Button, QColor(0xea, 0xed, 0xf0));
    p.setColor(QPalette::ButtonText, QColor(0x1f, 0x23, 0x28));
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xde));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x09, 0x69, 0xda));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x8c, 0x95, 0x9f));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x8c, 0x95, 0x9f));
    return p;
}

QPalette ThemeManager::darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x23, 0x27, 0x2e));
    p.setColor(QPalette::WindowText, QColor(0xdc, 0xdf, 0xe4));
    p.setColor(QPalette::Base, QColor(0x1a, 0x1d, 0x23));
    p.setColor(QPalette::AlternateBase, QColor(0x22, 0x26, 0x2d));
    p.setColor(QPalette::ToolTipBase, QColor(0x2c, 0x31, 0x3a));
    p.setColor(QPalette::ToolTipText, QColor(0xdc, 0xdf, 0xe4));
    p.setColor(QPalette::PlaceholderText, QColor(0x7d, 0x85, 0x90));
    p.setColor(QPalette::Text, QColor(0xdc, 0xdf, 0xe4));
    p.setColor(QPalette::Button, QColor(0x2c, 0x31, 0x3a));
    p.setColor(QPalette::ButtonText, QColor(0xdc, 0xdf, 0xe4));
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xe8));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x32, 0x37, 0x40));
    p.setColor(QPalette::Mid, QColor(0x2a, 0x2e, 0x36));
    p.setColor(QPalette::Dark, QColor(0x15, 0x17, 0x1c));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x7d));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x7d));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x72, 0x7d));
    return p;
}

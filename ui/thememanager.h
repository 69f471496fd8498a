// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPalette>

// Light and dark palettes on the Fusion style. "System" keeps the platform's palette (so it
// follows the desktop) and reports whether that palette is dark.
class ThemeManager : public QObject
{
    Q_OBJECT

public:
    enum class Mode { System, Light, Dark };
    Q_ENUM(Mode)

    explicit ThemeManager(QObject *parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    bool isDark() const;
    static QPalette darkPalette();
    static QPalette lightPalette();
    static QString modeKey(Mode mode);
    static Mode modeFromKey(const QString &key);

Q_SIGNALS:
    void modeChanged(ThemeManager::Mode mode);

private:
    bool systemPrefersDark() const;

    Mode m_mode = Mode::System;
    QPalette m_systemPalette;
};

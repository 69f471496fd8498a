// SPDX-License-Identifier: MIT
#pragma once

#include <QRegularExpression>
#include <QString>

// What operators type into filter boxes: plain text matches as a case-insensitive substring,
// text with * ? or [ as an anchored glob (room:*), and in regex mode a regular expression. An
// invalid regex matches everything and says why in errorString().
class TextFilter
{
public:
    enum class Mode { Text, Regex };

    void set(const QString &text, Mode mode = Mode::Text);
    bool isEmpty() const { return m_text.isEmpty(); }
    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    bool matches(QStringView haystack) const;
    static bool isGlob(QStringView text);

private:
    QString m_text;
    QString m_error;
    QRegularExpression m_regex;
    bool m_useRegex = false;
};

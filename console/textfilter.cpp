// SPDX-License-Identifier: MIT
#include "textfilter.h"

#include <QCoreApplication>

bool TextFilter::isGlob(QStringView text)
{
    return text.contains(u'*') || text.contains(u'?') || text.contains(u'[');
}

void TextFilter::set(const QString &text, Mode mode)
{
    m_text = text;
    m_error.clear();
    m_useRegex = false;
    if (text.isEmpty())
        return;
    if (mode == Mode::Regex) {
        m_regex = QRegularExpression(text, QRegularExpression::CaseInsensitiveOption);
        m_useRegex = true;
    } else if (isGlob(text)) {
        m_regex = QRegularExpression(QRegularExpression::wildcardToRegularExpression(text),
                                     QRegularExpression::CaseInsensitiveOption);
        m_useRegex = true;
    }
    if (m_useRegex && !m_regex.isValid()) {
        m_error =
            QCoreApplication::translate("TextFilter", "Invalid expression: %1").arg(m_regex.errorString());
        m_useRegex = false;
        m_text.clear();
    }
}

bool TextFilter::matches(QStringView haystack) const
{
    if (m_text.isEmpty())
        return true;
    if (m_useRegex)
        return m_regex.match(haystack).hasMatch();
    return haystack.contains(m_text, Qt::CaseInsensitive);
}

// SPDX-License-Identifier: MIT
#include "channelfilterproxymodel.h"

#include "channellistmodel.h"
#include "plumbing.h"

#include <algorithm>

using namespace Qt::StringLiterals;

ChannelFilterProxyModel::ChannelFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(ChannelColumns::SortRole);
    setRecursiveFilteringEnabled(true);
    setDynamicSortFilter(true);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

bool ChannelFilterProxyModel::isGlobText(const QString &text)
{
    return text.contains(u'*') || text.contains(u'?') || text.contains(u'[');
}

void ChannelFilterProxyModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    m_glob = isGlobText(trimmed);
    if (m_glob) {
        // Qt 6.4's conversion keeps * and ? from crossing '/' (path semantics); Redis globs cross it.
        QString rx = QRegularExpression::wildcardToRegularExpression(trimmed);
        rx.replace("[^/]*"_L1, ".*"_L1);
        rx.replace("[^/]"_L1, "."_L1);
        m_regex.setPattern(rx);
    } else {
        m_regex = QRegularExpression();
    }
    // Plain ASCII text is searched in the bytes of ASCII names; anything else goes through QString,
    // whose case folding covers more than ASCII.
    m_asciiNeedle.clear();
    const bool ascii =
        std::all_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) { return c.unicode() < 0x80; });
    if (!m_glob && ascii)
        m_asciiNeedle = trimmed.toLower().toLatin1();
    invalidateFilter();
}

bool ChannelFilterProxyModel::matches(const QString &name) const
{
    if (m_text.isEmpty())
        return true;
    if (m_glob)
        return m_regex.isValid() && m_regex.match(name).hasMatch();
    return name.contains(m_text, Qt::CaseInsensitive);
}

void ChannelFilterProxyModel::setHidePlumbing(bool hide)
{
    if (hide == m_hidePlumbing)
        return;
    m_hidePlumbing = hide;
    invalidateRowsFilter();
}

bool ChannelFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty() && !m_hidePlumbing)
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    const QByteArray name = index.data(ChannelColumns::ChannelNameRole).toByteArray();
    if (m_hidePlumbing) {
        // A group stays only for a channel in it (recursive filtering), so one of plumbing alone goes.
        if (!index.data(ChannelColumns::IsChannelRole).toBool() || Plumbing::isPlumbingChannel(name))
            return false;
        if (m_text.isEmpty())
            return true;
    }
    if (!m_asciiNeedle.isEmpty() && isAscii(name))
        return containsAscii(name, m_asciiNeedle);
    return matches(QString::fromUtf8(name));
}

bool ChannelFilterProxyModel::isAscii(const QByteArray &bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return uchar(c) < 0x80; });
}

// A case-insensitive substring search of an ASCII name for an ASCII needle (lower case): the answer
// QString::contains(Qt::CaseInsensitive) gives, without decoding every name (a million per key).
bool ChannelFilterProxyModel::containsAscii(const QByteArray &haystack, const QByteArray &needle)
{
    const qsizetype n = needle.size();
    const char *h = haystack.constData();
    const char first = needle.at(0);
    for (qsizetype i = 0; i + n <= haystack.size(); ++i) {
        if (asciiLower(h[i]) != first)
            continue;
        qsizetype k = 1;
        while (k < n && asciiLower(h[i + k]) == needle.at(k))
            ++k;
        if (k == n)
            return true;
    }
    return false;
}

// SPDX-License-Identifier: MIT
#pragma once

#include <QRegularExpression>
#include <QSortFilterProxyModel>

// Filters channels by name and sorts numerically (ChannelColumns::SortRole). Text containing *, ? or [
// is a glob anchored on the whole name (as Redis PSUBSCRIBE matches, * also crosses '/'); other text
// matches as a case-insensitive substring. For the tree, a group stays when a descendant matches.
class ChannelFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ChannelFilterProxyModel(QObject *parent = nullptr);

    void setFilterText(const QString &text);
    QString filterText() const { return m_text; }
    bool isGlob() const { return m_glob; }
    // Whether name passes the current filter.
    bool matches(const QString &name) const;
    // Leaves out the product's own channels (Plumbing::isPlumbingChannel) and groups of them.
    void setHidePlumbing(bool hide);
    bool hidesPlumbing() const { return m_hidePlumbing; }

    static bool isGlobText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    static char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c; }
    static bool isAscii(const QByteArray &bytes);
    static bool containsAscii(const QByteArray &haystack, const QByteArray &needle);

    QString m_text;
    QByteArray m_asciiNeedle; // plain ASCII text, lower case: matched on the bytes
    bool m_glob = false;
    bool m_hidePlumbing = false;
    QRegularExpression m_regex;
};

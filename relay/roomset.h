// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QStringList>

// The rooms one client is in. Most clients are in a handful, which a list holds in a few dozen
// bytes where a QSet allocates over 1 KiB; past SmallSize it becomes a set, so that a client
// allowed into thousands of rooms still joins and leaves in constant time.
class RoomSet
{
public:
    static constexpr qsizetype SmallSize = 8;

    bool contains(const QString &room) const
    {
        return m_set.isEmpty() ? m_list.contains(room) : m_set.contains(room);
    }
    qsizetype size() const { return m_set.isEmpty() ? m_list.size() : m_set.size(); }
    bool isEmpty() const { return size() == 0; }
    bool isSmall() const { return m_set.isEmpty(); }

    // False when the room was there already.
    bool insert(const QString &room);
    // False when the room was not there.
    bool remove(const QString &room);
    void clear();
    QStringList toList() const;

private:
    QStringList m_list; // while the set is empty
    QSet<QString> m_set;
};

// SPDX-License-Identifier: MIT
#include "roomset.h"

bool RoomSet::insert(const QString &room)
{
    if (contains(room))
        return false;
    if (m_set.isEmpty()) {
        if (m_list.size() < SmallSize) {
            m_list.append(room);
            return true;
        }
        m_set = QSet<QString>(m_list.cbegin(), m_list.cend());
        m_list = QStringList();
    }
    m_set.insert(room);
    return true;
}

bool RoomSet::remove(const QString &room)
{
    if (m_set.isEmpty())
        return m_list.removeOne(room);
    if (!m_set.remove(room))
        return false;
    if (m_set.isEmpty())
        m_set = QSet<QString>(); // back to the list, and the set's memory goes
    return true;
}

void RoomSet::clear()
{
    m_list = QStringList();
    m_set = QSet<QString>();
}

QStringList RoomSet::toList() const
{
    return m_set.isEmpty() ? m_list : QStringList(m_set.cbegin(), m_set.cend());
}

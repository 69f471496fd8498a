// SPDX-License-Identifier: MIT
#pragma once

#include <QMap>
#include <QtGlobal>

// Ended client connections by close code: the code of the close frame the relay sent, else the
// client's, else 1006 (the connection ended without a closing handshake). Close codes come from
// clients too (3000-4999 are theirs to choose), so at most MaxCodes distinct codes are kept;
// later new ones are counted in other().
class CloseCodeCounts
{
public:
    static constexpr int MaxCodes = 32;
    static constexpr quint16 Abnormal = 1006;

    void record(quint16 sent, quint16 received)
    {
        const quint16 code = sent ? sent : (received ? received : Abnormal);
        const auto it = m_counts.find(code);
        if (it != m_counts.end())
            ++*it;
        else if (m_counts.size() < MaxCodes)
            m_counts.insert(code, 1);
        else
            ++m_other;
    }

    const QMap<quint16, quint64> &counts() const { return m_counts; }
    quint64 other() const { return m_other; }

private:
    QMap<quint16, quint64> m_counts;
    quint64 m_other = 0;
};

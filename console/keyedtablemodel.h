// SPDX-License-Identifier: MIT
#pragma once

#include "changedruns.h"
#include "rowdiff.h"

#include <QAbstractTableModel>

#include <algorithm>
#include <vector>

// A table whose rows are kept sorted by a key and brought up to date with sync(): rows whose key
// vanished are removed in ranges, new keys are inserted where they sort, and the cells that changed
// in kept rows get one dataChanged per run with the given roles. Never reset, so views keep their
// selection and scroll position while the rows move under them.
template<class Row, class Key> class KeyedTableModel : public QAbstractTableModel
{
public:
    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    const Row *rowAt(int row) const
    {
        return row >= 0 && row < int(m_rows.size()) ? &m_rows[size_t(row)] : nullptr;
    }
    int rowOf(const Key &key) const
    {
        const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), key,
                                         [this](const Row &r, const Key &k) { return keyOf(r) < k; });
        return it != m_rows.end() && keyOf(*it) == key ? int(it - m_rows.begin()) : -1;
    }

protected:
    virtual Key keyOf(const Row &row) const = 0;
    // Bit n set: column n shows something else.
    virtual unsigned changedColumns(const Row &before, const Row &after) const = 0;

    void sync(std::vector<Row> next, const QList<int> &roles)
    {
        std::sort(next.begin(), next.end(),
                  [this](const Row &a, const Row &b) { return keyOf(a) < keyOf(b); });
        next.erase(std::unique(next.begin(), next.end(),
                               [this](const Row &a, const Row &b) { return keyOf(a) == keyOf(b); }),
                   next.end());
        const auto present = [&](const Row &r) {
            const Key k = keyOf(r);
            const auto it = std::lower_bound(next.begin(), next.end(), k,
                                             [this](const Row &x, const Key &key) { return keyOf(x) < key; });
            return it != next.end() && keyOf(*it) == k;
        };
        removeVanishedRows(m_rows, present, [this](int first, int last) {
            beginRemoveRows({}, first, last);
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
            endRemoveRows();
        });
        std::vector<unsigned> masks(m_rows.size(), 0u);
        size_t i = 0;
        for (Row &row : next) {
            while (i < m_rows.size() && keyOf(m_rows[i]) < keyOf(row))
                ++i;
            if (i < m_rows.size() && keyOf(m_rows[i]) == keyOf(row)) {
                masks[i] = changedColumns(m_rows[i], row);
                m_rows[i] = std::move(row);
            } else {
                beginInsertRows({}, int(i), int(i));
                m_rows.insert(m_rows.begin() + qsizetype(i), std::move(row));
                masks.insert(masks.begin() + qsizetype(i), 0u);
                endInsertRows();
            }
            ++i;
        }
        forEachChangedRun(masks, columnCount(), [&](int column, int first, int last) {
            Q_EMIT dataChanged(index(first, column), index(last, column), roles);
        });
    }

    std::vector<Row> m_rows; // sorted by keyOf
};

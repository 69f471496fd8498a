// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <vector>

// For every column, the runs of consecutive rows whose change mask (bit n = column n) has that
// column's bit: emitRun(column, firstRow, lastRow) is called once per run, so that a model emits
// one dataChanged per run instead of one per cell.
template<class EmitRun>
void forEachChangedRun(const std::vector<unsigned> &masks, int columns, EmitRun &&emitRun)
{
    for (int column = 0; column < columns; ++column) {
        const unsigned bit = 1u << column;
        for (std::size_t i = 0; i < masks.size();) {
            if (!(masks[i] & bit)) {
                ++i;
                continue;
            }
            const std::size_t first = i;
            while (i < masks.size() && (masks[i] & bit))
                ++i;
            emitRun(column, int(first), int(i - 1));
        }
    }
}

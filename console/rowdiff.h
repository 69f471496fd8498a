// SPDX-License-Identifier: MIT
#pragma once

// Finds the rows whose key vanished and hands them to removeRange(first, last) in contiguous
// ranges, from the bottom up so earlier row numbers stay valid. Models wrap removeRange in
// beginRemoveRows()/endRemoveRows().
template<typename Rows, typename IsPresent, typename RemoveRange>
void removeVanishedRows(const Rows &rows, IsPresent isPresent, RemoveRange removeRange)
{
    for (int last = int(rows.size()) - 1; last >= 0;) {
        if (isPresent(rows[last])) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && !isPresent(rows[first - 1]))
            --first;
        removeRange(first, last);
        last = first - 1;
    }
}

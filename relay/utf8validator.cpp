// SPDX-License-Identifier: MIT
#include "utf8validator.h"

#include <cstring>

bool Utf8Validator::step(uchar byte)
{
    if (m_remaining > 0) {
        if (byte < m_low || byte > m_high)
            return false;
        --m_remaining;
        m_low = 0x80;
        m_high = 0xbf;
        return true;
    }
    if (byte < 0x80)
        return true;
    // The lead byte fixes the length and, for the edge cases, the second byte's range.
    if (byte >= 0xc2 && byte <= 0xdf) {
        m_remaining = 1;
    } else if (byte >= 0xe0 && byte <= 0xef) {
        m_remaining = 2;
        if (byte == 0xe0)
            m_low = 0xa0; // no overlong three-byte forms
        else if (byte == 0xed)
            m_high = 0x9f; // no surrogates
    } else if (byte >= 0xf0 && byte <= 0xf4) {
        m_remaining = 3;
        if (byte == 0xf0)
            m_low = 0x90; // no overlong four-byte forms
        else if (byte == 0xf4)
            m_high = 0x8f; // nothing above U+10FFFF
    } else {
        return false; // 0x80..0xc1 as a lead byte, 0xf5..0xff
    }
    return true;
}

bool Utf8Validator::feed(const char *data, qsizetype size)
{
    if (m_failed)
        return false;
    const auto *p = reinterpret_cast<const uchar *>(data);
    const uchar *end = p + size;
    while (p < end) {
        if (m_remaining == 0) {
            // ASCII eight bytes at a time: JSON is mostly ASCII.
            while (end - p >= 8) {
                quint64 word;
                std::memcpy(&word, p, 8);
                if (word & 0x8080808080808080ull)
                    break;
                p += 8;
            }
            if (p == end)
                break;
        }
        if (!step(*p)) {
            m_failed = true;
            return false;
        }
        ++p;
    }
    return true;
}

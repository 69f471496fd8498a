// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

// Incremental UTF-8 validation (RFC 3629 section 4): bytes may arrive in any pieces, a character
// may be split between them, and the first byte that cannot continue a valid sequence is reported
// at once (RFC 6455 section 8.1: an endpoint fails the connection as soon as it sees invalid
// UTF-8, not at the end of the message). Overlong forms, surrogates (U+D800..U+DFFF) and code
// points above U+10FFFF are invalid.
class Utf8Validator
{
public:
    // False at the first invalid byte; the validator then stays failed until reset().
    bool feed(const char *data, qsizetype size);
    // True when everything fed so far is valid and no character is left unfinished.
    bool isComplete() const { return !m_failed && m_remaining == 0; }
    bool hasFailed() const { return m_failed; }
    void reset() { *this = Utf8Validator(); }

private:
    bool step(uchar byte);

    quint8 m_remaining = 0; // continuation bytes still expected
    quint8 m_low = 0x80;    // the range the next continuation byte must be in
    quint8 m_high = 0xbf;
    bool m_failed = false;
};

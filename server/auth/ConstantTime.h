#pragma once

#include <QByteArrayView>

namespace QuantPush {

// Compares secrets (MACs, key hashes) without an early exit, so response
// time does not reveal how many leading bytes an attacker guessed right.
// Only the lengths leak, and callers compare fixed-length digests.
inline bool constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace QuantPush

#include "auth/SecretGenerator.h"

#include <QRandomGenerator>

#include <algorithm>
#include <vector>

namespace QuantPush {

namespace {

constexpr int MinimumSecretBytes = 32;

} // namespace

QByteArray SecretGenerator::randomSecret(int bytes)
{
    const int size = std::max(bytes, MinimumSecretBytes);
    std::vector<quint32> words((size + 3) / 4);
    QRandomGenerator::system()->fillRange(words.data(), static_cast<qsizetype>(words.size()));
    const QByteArray raw(reinterpret_cast<const char *>(words.data()), size);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace QuantPush

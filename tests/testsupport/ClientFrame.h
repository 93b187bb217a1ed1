#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QtEndian>

namespace QuantPush::Testing {

// One complete client frame (RFC 6455 5.2): FIN set, the payload masked with
// `mask`, as raw-socket test clients send it.
inline QByteArray maskedClientFrame(quint8 opcode, const QByteArray &payload, quint32 mask)
{
    QByteArray frame;
    frame.append(char(0x80 | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        frame.append(char(0x80 | size));
    } else if (size < 65536) {
        frame.append(char(0x80 | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            frame.append(char((quint64(size) >> shift) & 0xff));
    }
    char key[4];
    qToBigEndian(mask, key);
    frame.append(key, 4);
    for (qsizetype i = 0; i < size; ++i)
        frame.append(char(payload.at(i) ^ key[i % 4]));
    return frame;
}

} // namespace QuantPush::Testing

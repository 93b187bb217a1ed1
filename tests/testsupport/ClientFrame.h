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

// Any client frame, for protocol tests: masked unless `masked` is false; FIN unless `fin` is false.
inline QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true, quint8 rsv = 0)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | (rsv << 4) | opcode));
    const quint64 size = quint64(payload.size());
    const char maskBit = masked ? char(0x80) : char(0);
    if (size < 126) {
        out.append(char(maskBit | char(size)));
    } else if (size < 65536) {
        out.append(char(maskBit | 126));
        out.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        out.append(char(maskBit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((size >> shift) & 0xff));
    }
    const char key[4] = {'\x12', '\x34', '\x56', '\x78'};
    if (masked)
        out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(masked ? char(payload.at(i) ^ key[i % 4]) : payload.at(i));
    return out;
}

inline QByteArray closeBody(int code, const QByteArray &reason = {})
{
    QByteArray body;
    body.append(char(code >> 8)).append(char(code & 0xff));
    return body + reason;
}

} // namespace QuantPush::Testing

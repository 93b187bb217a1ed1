#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

#include <array>
#include <functional>

namespace QuantPush {

// Incremental RFC 6455 frame parser for the server side: bytes from the
// client go in, in whatever pieces TCP delivers them, and whole messages and
// control frames come out. It keeps at most one message (bounded by the
// maximum message size, checked against each frame's declared length before
// any payload is buffered), one control frame (at most 125 bytes) and a
// 14-byte header: a peer that sends slowly or announces huge lengths cannot
// make it hold more. Idle, it holds no heap memory.
//
// Violations end the stream: the parser reports a close code (1002 protocol,
// 1007 bad UTF-8, 1009 too big) and ignores everything after.
class WsFrameParser
{
public:
    enum class Opcode : quint8 { Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA };

    struct Event
    {
        enum class Kind { Text, Binary, Ping, Pong, Close, Error };
        Kind kind = Kind::Error;
        QString text;         // Text
        QByteArray payload;   // Binary, Ping, Pong
        int closeCode = 1005; // Close (1005: none given); Error: the code to close with
        QString reason;       // Close: the peer's reason; Error: ours
    };
    // Return false to stop parsing (the connection went away meanwhile).
    using Sink = std::function<bool(Event &&)>;

    // Frames one message may come in. Empty continuation frames cost
    // nothing against the size limit: a peer sent 375 million of them on one
    // message that never ended, 32 % of a core (review, session 26). 1009,
    // as for a message too big.
    static constexpr int MaxFramesPerMessage = 1024;

    explicit WsFrameParser(quint64 maxMessageSize = 65536) : m_maxMessageSize(maxMessageSize) { }

    void setMaxMessageSize(quint64 bytes) { m_maxMessageSize = bytes; }
    quint64 maxMessageSize() const { return m_maxMessageSize; }
    // True once a close frame or an error ended the stream.
    bool isFinished() const { return m_finished; }
    // Bytes held for an incomplete message or frame (tests, accounting).
    qsizetype bufferedBytes() const { return m_message.size() + m_control.size() + m_headerFill; }

    // Parses `size` bytes, calling `sink` for every message and control
    // frame completed; returns false if the sink asked to stop.
    bool feed(const char *data, qsizetype size, const Sink &sink);

    // Whether `code` may appear in a close frame on the wire (RFC 6455 7.4).
    static bool isValidCloseCode(int code);

private:
    bool fail(int code, const QString &reason, const Sink &sink);
    // Interprets a complete header; false after reporting an error.
    bool startFrame(const Sink &sink);
    bool finishFrame(const Sink &sink);
    void unmaskInto(QByteArray &target, const char *data, qsizetype size);

    quint64 m_maxMessageSize;
    // The current frame's header, as it arrives.
    std::array<quint8, 14> m_header {};
    quint8 m_headerFill = 0;
    bool m_inPayload = false;
    // Current frame.
    Opcode m_opcode = Opcode::Continuation;
    bool m_fin = false;
    std::array<quint8, 4> m_mask {};
    quint64 m_remaining = 0;
    quint8 m_maskOffset = 0;
    // The message being reassembled (text or binary), and its opcode.
    QByteArray m_message;
    Opcode m_messageOpcode = Opcode::Continuation;
    bool m_inMessage = false;
    int m_messageFrames = 0;
    QByteArray m_control;
    bool m_finished = false;
};

} // namespace QuantPush

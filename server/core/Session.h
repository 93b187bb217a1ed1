#pragma once

#include "Delivery.h"
#include "FrameBatch.h"
#include "SessionBudget.h"
#include "TokenBucket.h"
#include "auth/Identity.h"
#include "protocol/Message.h"
#include "ws/WsConnection.h"

#include <QtCore/QDateTime>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtNetwork/QHostAddress>


namespace QuantPush {

class Clock;
class FrameDeflater;
class WsConnection;
class Metrics;
class SessionFlusher;
class Transport;

struct SessionLimits
{
    int queueSize = 1000;            // frames waiting while the socket is full
    qint64 maxPendingBytes = 4 << 20; // bytes in the socket's buffer before queuing
    qint64 preAuthPendingBytes = 8192; // all a connection may hold before it authenticates
    int closeGraceMs = 1000;          // a closed peer that does not answer is cut off after this
    qint64 maxMessageSize = 65536;    // inbound, once authenticated
    // Inbound before authentication: enough for an `auth` frame (a token is
    // at most 8 KiB), not for megabytes of JSON from a stranger (1009 above).
    static constexpr qint64 PreAuthMessageBytes = 16 * 1024;
    double inboundPerSec = 50;
    int inboundBurst = 100;
    int rateLimitStrikes = 20;
    // Per channel: ack timeout, retries (shared with the broadcaster's config).
    const std::array<ChannelConfig, SubscriptionTypeCount> *channels = nullptr;
    // Activity, ack deadlines and the inbound bucket run on it (system when null).
    Clock *clock = nullptr;
};

// Whoever routes a session's messages and learns of its end (its
// SessionHost), called directly (see TransportReceiver for why).
class SessionReceiver
{
public:
    virtual void sessionText(SessionId session, const QString &text) = 0;
    virtual void sessionBinary(SessionId session, qint64 bytes) = 0;
    // A WebSocket pong (answering our heartbeat, or unsolicited).
    virtual void sessionPong(SessionId session) = 0;
    virtual void sessionEnded(SessionId session) = 0;

protected:
    ~SessionReceiver() = default;
};

// One client connection: writes shared frames with backpressure, reports
// what it had to drop as gaps, tracks acknowledgements and redelivers.
class Session : public QObject, private WsConnectionReceiver
{
    Q_OBJECT
public:
    // `socket`: the upgraded connection (the session takes it); its
    // transport is the TCP or TLS socket frames are written to.
    Session(SessionId id, WsConnection *socket, const SessionLimits &limits, Metrics *metrics, QObject *parent);
    ~Session() override;

    SessionId id() const { return m_id; }
    QString wireId() const { return QString::number(m_id); }
    WsConnection *socket() const { return m_socket; }
    QHostAddress peerAddress() const { return m_peerAddress; }
    QString remoteAddress() const;
    QDateTime connectedAt() const { return m_connectedAt; }

    const Identity &identity() const { return m_identity; }
    bool isAuthenticated() const { return m_authenticated; }
    void setIdentity(const Identity &identity);
    QJsonObject attributes() const;

    // A connection that asked for ?compression=deflate (and was allowed it)
    // gets push frames of at least deflater->minBytes() as compressed binary
    // frames; null (the default) keeps every frame text.
    void setDeflater(const FrameDeflater *deflater) { m_deflater = deflater; }
    bool isCompressed() const { return m_deflater != nullptr; }
    // The bytes this connection writes for `frame`: the shared text frame, or
    // its shared compressed twin (compressing it if nobody has yet). What
    // counts against this connection's buffers.
    const QByteArray &wireBytes(const OutboundFrame &frame) const;

    // One fan-out's clock readings and latency tally, shared by every
    // recipient of a frame on one thread (perf: two clock reads and two
    // histogram updates per delivery were 8 % of the server's CPU at the
    // window row; a fan-out to 1,000 takes well under a millisecond).
    struct FanOut
    {
        qint64 nowMs = 0;        // the session clock (ack deadlines)
        qint64 nowUs = 0;        // wall clock, µs since the epoch (latency)
        quint64 written = 0;     // recipients that wrote the frame at once
    };
    static FanOut startFanOut(Clock *clock);
    // Push traffic: queued behind earlier pushes when the client is slow.
    void sendFrame(const OutboundFrame &frame);
    // The same, for one recipient of a fan-out: a frame written at once is
    // counted in `fanOut.written` instead of timed here; the caller records
    // that many latency samples (Metrics::deliveryLatency).
    void sendFrame(const OutboundFrame &frame, FanOut &fanOut);
    // Replies and errors: written at once, never dropped.
    void sendMessage(const Message &message);
    // A message serialized already (UTF-8 JSON), e.g. the welcome.
    void sendSerialized(const QByteArray &utf8);
    void sendError(ErrorCode code, const QString &text, const QJsonValue &requestId = {});
    // Starts the close handshake; the socket is aborted if the peer has not
    // finished it within closeGraceMs (a peer that never reads never will).
    void close(int code, const QString &reason);
    bool isClosing() const { return m_closing; }
    // Aborts a socket still open closeGraceMs after close(): a safety net
    // for the heartbeat sweep, should the grace timer have been missed.
    void abortIfCloseOverdue(qint64 nowMs);
    const SessionBudget &budget() const { return m_budget; }

    // Inbound rate limit; false when this frame is over it.
    bool admitInbound(qint64 nowMs);
    int rateLimitStrikes() const { return m_strikes; }

    void acknowledge(SubscriptionType channel, qint64 seq);
    // Sends again what is past its ack deadline (in seq order per channel).
    void redeliverDue(qint64 nowMs);
    bool hasPendingAcks() const { return !m_pendingAcks.isEmpty(); }
    bool awaitsAck(SubscriptionType channel, qint64 seq) const { return m_pendingAcks.contains({int(channel), seq}); }
    int pendingAckCount() const { return int(m_pendingAcks.size()); }

    qint64 lastActivityMs() const { return m_lastActivityMs; }
    void markActivity(qint64 nowMs) { m_lastActivityMs = nowMs; }
    // When the heartbeat pings this session next (SessionHost spreads these).
    qint64 nextPingMs() const { return m_nextPingMs; }
    void setNextPingMs(qint64 atMs) { m_nextPingMs = atMs; }

    int queuedFrames() const { return int(m_queue.size()); }
    // Everything held for the peer: this turn's batch and the socket's buffer.
    qint64 bufferedBytes() const;
    bool isDrained() const;
    quint64 messagesIn() const { return m_messagesIn; }
    quint64 messagesOut() const { return m_messagesOut; }
    void countInbound(qint64 bytes);
    // True when frames go straight to a plain TCP socket's descriptor, once
    // per loop turn (FrameBatch); false for TLS and unknown transports.
    bool writesDirect() const { return m_batch.isDirect(); }
    const FrameBatch &batch() const { return m_batch; }
    void answerPing(const QByteArray &payload);
    // Writes this turn's batch (SessionFlusher calls it at the turn's end).
    void flushBatch();
    // The batch holds a frame that may not wait for paced pushes (a reply).
    bool hasUrgentFrames() const { return m_urgentFrames; }
    // Told of the session's messages and its end; null to stop.
    void setReceiver(SessionReceiver *receiver) { m_receiver = receiver; }

Q_SIGNALS:
    void closed(QuantPush::SessionId session, int code, const QString &reason);

private:
    // Gives the kernel (or Qt) what the batch holds now.
    void writeOutBatch();
    // `fanOut`: the fan-out this write belongs to (null: times itself).
    void write(const OutboundFrame &frame, FanOut *fanOut = nullptr);
    // Pushes may wait for a paced flush (SessionFlusher); anything a peer
    // waits on (the 101, replies, errors) goes at the end of this turn.
    enum class FlushUrgency { MayGather, ThisTurn };
    // Bytes for the peer, in order behind everything handed over before.
    void writeBytes(const QByteArray &bytes, FlushUrgency urgency);
    void scheduleFlush(FlushUrgency urgency);
    void onSocketWritten();
    void wsTextReceived(const QString &text) override;
    void wsBinaryReceived(const QByteArray &data) override;
    void wsPong(const QByteArray &payload) override;
    void wsAboutToClose() override;
    void wsDisconnected() override;
    void wsBytesWritten(qint64 bytes) override;
    void enqueue(const OutboundFrame &frame);
    void overflow(const OutboundFrame &frame);
    void drain();
    void flushGapNotices();
    void trackAcks(const OutboundFrame &frame, qint64 nowMs);
    bool socketIsFull() const;
    // bufferedBytes() for the budget checks of every push: the socket's
    // part read once per loop turn (perf: reading it per frame and
    // subscriber was a quarter of the server's CPU at the window). It can
    // miss a control frame Qt wrote this turn (a pong: bytes, not frames).
    qint64 heldBytes() const;
    void closeOverBudget(qint64 bytes);

    struct PendingAck
    {
        PublishedMessagePtr message;
        int retries = 0;
        qint64 dueMs = 0;
    };
    struct GapRange
    {
        qint64 from = 0;
        qint64 to = 0;
    };

    SessionId m_id;
    WsConnection *m_socket;
    SessionReceiver *m_receiver = nullptr;
    // The TCP or TLS socket under m_socket (owned by it), for writing shared
    // frames as they are.
    QPointer<Transport> m_transport;
    SessionLimits m_limits;
    Metrics *m_metrics;
    const FrameDeflater *m_deflater = nullptr;
    QHostAddress m_peerAddress;
    quint16 m_peerPort = 0;
    QDateTime m_connectedAt;
    Identity m_identity;
    bool m_authenticated = false;
    bool m_closing = false;
    qint64 m_closeStartedMs = -1;
    SessionBudget m_budget;
    // Frames handed over this turn, written at its end (plain TCP only).
    FrameBatch m_batch;
    bool m_flushScheduled = false;
    bool m_urgentFrames = false; // the batch holds a frame a peer waits on
    std::size_t m_flushSlot = 0; // in SessionFlusher's list, while scheduled
    // This thread's flusher (a session never changes threads); null on TLS.
    SessionFlusher *m_flusher = nullptr;
    mutable qint64 m_socketHeld = 0;
    mutable quint64 m_socketHeldTurn = ~quint64(0);
    bool m_closeFrameSent = false;

    // A QList, not a std::deque: an empty deque still allocates its map and
    // a first 512-byte block, for every idle connection. QList allocates
    // nothing until a client falls behind, and pops from the front in O(1).
    QList<OutboundFrame> m_queue;
    QMap<SubscriptionType, GapRange> m_droppedRanges;
    // (channel, seq) → message awaiting its ack, ordered for in-order retries.
    QMap<std::pair<int, qint64>, PendingAck> m_pendingAcks;

    TokenBucket m_inbound;
    int m_strikes = 0;
    qint64 m_lastActivityMs = 0;
    qint64 m_nextPingMs = 0;
    quint64 m_messagesIn = 0;
    quint64 m_messagesOut = 0;
};

} // namespace QuantPush

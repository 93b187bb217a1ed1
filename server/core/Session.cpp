#include "Session.h"

#include "Clock.h"
#include "FrameDeflater.h"
#include "Logging.h"
#include "Metrics.h"
#include "SessionFlusher.h"
#include "protocol/JsonKeys.h"

#include <QtCore/QTimer>
#include "ws/WsConnection.h"

#include <algorithm>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

Session::Session(SessionId id, WsConnection *socket, const SessionLimits &limits, Metrics *metrics,
                 QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_socket(socket)
    , m_transport(socket->transport())
    , m_limits(limits)
    , m_metrics(metrics)
    , m_peerAddress(socket->peerAddress())
    , m_peerPort(socket->peerPort())
    , m_connectedAt(QDateTime::currentDateTimeUtc())
    , m_budget(limits.preAuthPendingBytes, limits.maxPendingBytes)
    , m_batch(socket->isPlain() ? socket->transport() : nullptr)
    , m_inbound(limits.inboundPerSec, limits.inboundBurst)
    , m_lastActivityMs(0)
{
    if (!m_limits.clock)
        m_limits.clock = Clock::system();
    m_lastActivityMs = m_limits.clock->nowMs();
    if (m_batch.isDirect()) {
        m_flusher = SessionFlusher::forCurrentThread();
        // The 101 leaves first, with the welcome behind it, in one write;
        // the connection's own frames (pongs, pings, its close) never before them.
        if (const QByteArray answer = socket->takeAnswer(); !answer.isEmpty())
            writeBytes(answer, FlushUrgency::ThisTurn);
        socket->setFlushBeforeOwnWrites([this] {
            if (!m_batch.isEmpty())
                writeOutBatch();
        });
    }
    socket->setParent(this);
    qCDebug(lcConnection) << "session" << id
                          << (m_batch.isDirect() ? "writes frames to its descriptor once per turn"
                                                 : "writes frames to its socket");
    // Called directly, not through signal connections: see TransportReceiver.
    socket->setReceiver(this);
    // Until authenticated, a stranger's frames are small (see SessionLimits).
    const quint64 preAuthBytes = quint64(std::min(m_limits.maxMessageSize, SessionLimits::PreAuthMessageBytes));
    socket->setMaxAllowedIncomingMessageSize(preAuthBytes);
}

void Session::wsTextReceived(const QString &text)
{
    if (m_receiver)
        m_receiver->sessionText(m_id, text);
}

void Session::wsBinaryReceived(const QByteArray &data)
{
    if (m_receiver)
        m_receiver->sessionBinary(m_id, data.size());
}

void Session::wsPong(const QByteArray &)
{
    // Unsolicited pongs cost the server like any frame: the receiver counts
    // them against the inbound rate limit (review, session 27: a pong flood
    // held a core at 94 % with no limit).
    if (m_receiver)
        m_receiver->sessionPong(m_id);
    else
        markActivity(m_limits.clock->nowMs());
}

void Session::wsBytesWritten(qint64)
{
    // The transport wrote out bytes it held (for TLS: plain bytes).
    onSocketWritten();
}

void Session::wsAboutToClose()
{
    // A close frame is about to go out: what the batch holds goes ahead of
    // it (the 101 and the welcome, when the client's first frame was already
    // a close or an error), nothing after it. (Our own close() flushed the
    // batch before.) Closes the connection starts by itself (1009, protocol
    // errors, the echo of the peer's close) are cut off after the grace
    // like ours.
    m_batch.flush();
    m_batch.handAllToSocket();
    m_closeFrameSent = true;
    if (!m_closing && m_closeStartedMs < 0) {
        m_closeStartedMs = m_limits.clock->nowMs();
        QTimer::singleShot(m_limits.closeGraceMs, m_socket, &WsConnection::abort);
    }
}

void Session::wsDisconnected()
{
    m_closing = true;
    Q_EMIT closed(m_id, m_socket->closeCode(), m_socket->closeReason());
    if (m_receiver)
        m_receiver->sessionEnded(m_id);
}

Session::~Session()
{
    // The connection (a child) outlives this body: it must not call back.
    m_socket->setReceiver(nullptr);
    m_socket->setFlushBeforeOwnWrites({});
    if (m_flushScheduled)
        SessionFlusher::forCurrentThread()->cancel(this, m_flushSlot);
}

QString Session::remoteAddress() const
{
    QHostAddress address = m_peerAddress;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]:%2"_s.arg(address.toString()).arg(m_peerPort)
        : u"%1:%2"_s.arg(address.toString()).arg(m_peerPort);
}

void Session::setIdentity(const Identity &identity)
{
    m_identity = identity;
    m_authenticated = true;
    m_budget.setAuthenticated(true);
    m_socket->setMaxAllowedIncomingMessageSize(quint64(m_limits.maxMessageSize));
}

QJsonObject Session::attributes() const
{
    // Filled into a copy of an object that has the keys already: a third
    // cheaper than building one per session (once per connect, on the
    // worker), as the keys are neither made nor sorted again.
    static const QJsonObject keys {
        {Key::User, QString()},
        {Key::Role, QString()},
        {Key::SessionId, QString()},
        {u"remote_address"_s, QString()},
    };
    QJsonObject attributes = keys;
    attributes[Key::User] = m_identity.user;
    attributes[Key::Role] = m_identity.role;
    attributes[Key::SessionId] = wireId();
    attributes[u"remote_address"_s] = remoteAddress();
    return attributes;
}

qint64 Session::bufferedBytes() const
{
    return m_socket->bytesToWrite() + m_batch.bytes();
}

qint64 Session::heldBytes() const
{
    if (!m_flusher)
        return bufferedBytes();
    if (m_socketHeldTurn != m_flusher->turn()) {
        m_socketHeld = m_socket->bytesToWrite();
        m_socketHeldTurn = m_flusher->turn();
    }
    return m_socketHeld + m_batch.bytes();
}

bool Session::socketIsFull() const
{
    return !m_budget.pushFits(heldBytes());
}

bool Session::isDrained() const
{
    return m_queue.empty() && bufferedBytes() == 0;
}

void Session::countInbound(qint64 bytes)
{
    ++m_messagesIn;
    m_metrics->frameReceived(bytes);
}

void Session::answerPing(const QByteArray &payload)
{
    if (!m_closing)
        m_socket->answerPing(payload); // the batch goes first (flushBeforeOwnWrites)
}

void Session::sendMessage(const Message &message)
{
    if (m_closing)
        return;
    sendSerialized(message.serialize());
}

void Session::sendSerialized(const QByteArray &utf8)
{
    if (m_closing)
        return;
    // Replies count against the same budget as pushes: a client that keeps
    // asking and never reads the answers is a slow consumer too.
    if (!m_budget.fits(heldBytes(), utf8.size())) {
        closeOverBudget(utf8.size());
        return;
    }
    if (m_batch.isDirect()) {
        // Into the batch behind the pushes handed over before it: a reply
        // never overtakes them, nor they it.
        writeBytes(TextFrame::fromUtf8(utf8).bytes(), FlushUrgency::ThisTurn);
        m_metrics->controlFrameSent(utf8.size());
        return;
    }
    const qint64 bytes = m_socket->sendTextMessage(QString::fromUtf8(utf8));
    m_metrics->controlFrameSent(bytes);
}

void Session::closeOverBudget(qint64 bytes)
{
    qCWarning(lcConnection).noquote() << "session" << m_id << remoteAddress() << "closed over its budget:"
                                      << bufferedBytes() << "bytes buffered," << bytes << "more to send, limit"
                                      << m_budget.hardLimit() << (m_authenticated ? "" : "(not authenticated)");
    m_metrics->slowConsumerClosed();
    m_queue.clear();
    close(CloseCode::SlowConsumer, u"slow consumer"_s);
}

void Session::sendError(ErrorCode code, const QString &text, const QJsonValue &requestId)
{
    m_metrics->errorSent(code);
    sendMessage(Message::error(ProtocolError {code, text}, requestId));
}

void Session::close(int code, const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_closeStartedMs = m_limits.clock->nowMs();
    // What was handed over before the close goes before the close frame.
    m_batch.flush();
    m_batch.handAllToSocket();
    m_socketHeldTurn = ~quint64(0);
    m_socket->close(code, reason);
    // Whatever the state, the socket and what it buffers are gone after the
    // grace: the close frame may sit behind megabytes a peer never reads.
    QTimer::singleShot(m_limits.closeGraceMs, m_socket, &WsConnection::abort);
}

void Session::abortIfCloseOverdue(qint64 nowMs)
{
    if (m_closeStartedMs >= 0 && nowMs - m_closeStartedMs > m_limits.closeGraceMs
        && m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
}

bool Session::admitInbound(qint64 nowMs)
{
    if (m_inbound.tryTake(nowMs)) {
        m_strikes = 0;
        return true;
    }
    ++m_strikes;
    return false;
}

Session::FanOut Session::startFanOut(Clock *clock)
{
    FanOut fanOut;
    fanOut.nowMs = (clock ? clock : Clock::system())->nowMs();
    fanOut.nowUs = nowMicroseconds();
    return fanOut;
}

void Session::sendFrame(const OutboundFrame &frame)
{
    FanOut fanOut = startFanOut(m_limits.clock);
    sendFrame(frame, fanOut);
    if (fanOut.written > 0)
        m_metrics->deliveryLatency(frame.channel, double(fanOut.nowUs - frame.publishedAtUs) / 1e6, fanOut.written);
}

void Session::sendFrame(const OutboundFrame &frame, FanOut &fanOut)
{
    if (m_closing)
        return;
    if (!m_queue.empty() || socketIsFull()) {
        enqueue(frame);
        return;
    }
    if (m_droppedRanges.contains(frame.channel))
        flushGapNotices();
    write(frame, &fanOut);
}

void Session::write(const OutboundFrame &frame, FanOut *fanOut)
{
    // The frame is written as encoded once for all recipients, straight to
    // the TCP (or TLS) socket the WebSocket runs on; QWebSocket writes its
    // own control frames there too, each whole, on this same thread.
    // Bytes are counted as message payload, as sendTextMessage counts them.
    // A compressed connection gets the frame's compressed twin instead,
    // equally shared (TextFrame::deflated).
    const bool deflated = m_deflater && m_deflater->qualifies(frame.wire.payload().size());
    qint64 bytes = 0;
    if (deflated) {
        const DeflatedFrame &twin = frame.wire.deflated(*m_deflater);
        if (m_batch.isDirect()) {
            writeBytes(twin.bytes, FlushUrgency::MayGather);
            bytes = twin.payload().size();
        } else {
            bytes = m_transport ? (m_transport->write(twin.bytes) < 0 ? 0 : twin.payload().size())
                                : m_socket->sendBinaryMessage(twin.payload().toByteArray());
        }
    } else {
        if (m_batch.isDirect()) {
            writeBytes(frame.wire.bytes(), FlushUrgency::MayGather);
            bytes = frame.wire.payload().size();
        } else {
            bytes = m_transport ? (m_transport->write(frame.wire.bytes()) < 0 ? 0 : frame.wire.payload().size())
                                : m_socket->sendTextMessage(QString::fromUtf8(frame.wire.payload()));
        }
    }
    if (frame.firstSeq >= 0) {
        if (deflated)
            m_metrics->compressedPushSent(frame.channel, frame.wire.payload().size(), bytes);
        const int messages = frame.needsAck.isEmpty() ? int(frame.lastSeq - frame.firstSeq + 1) : int(frame.needsAck.size());
        m_messagesOut += quint64(messages);
        m_metrics->framesDelivered(frame.channel, messages, bytes);
        if (!frame.isRedelivery) {
            if (fanOut)
                ++fanOut->written;
            else
                m_metrics->deliveryLatency(frame.channel, double(nowMicroseconds() - frame.publishedAtUs) / 1e6);
        }
        if (!frame.needsAck.isEmpty())
            trackAcks(frame, fanOut ? fanOut->nowMs : m_limits.clock->nowMs());
    } else {
        m_metrics->controlFrameSent(bytes);
    }
}

void Session::writeBytes(const QByteArray &bytes, FlushUrgency urgency)
{
    if (m_closeFrameSent)
        return;
    m_batch.append(bytes);
    scheduleFlush(urgency);
}

void Session::scheduleFlush(FlushUrgency urgency)
{
    const bool urgent = urgency == FlushUrgency::ThisTurn;
    m_urgentFrames = m_urgentFrames || urgent;
    if (!m_flushScheduled) {
        m_flushScheduled = true;
        m_flushSlot = m_flusher->schedule(this, urgent);
    } else if (urgent) {
        m_flusher->expedite();
    }
}

void Session::flushBatch()
{
    m_flushScheduled = false;
    m_urgentFrames = false;
    writeOutBatch();
    // Held frames left mean Qt's buffer holds bytes: its bytesWritten comes
    // back here. Otherwise the room the kernel made is room for what waits
    // in the queue (Qt's bytesWritten only tells of bytes it wrote itself).
    if (m_batch.isEmpty() && !m_closing && (!m_queue.empty() || !m_droppedRanges.isEmpty()))
        drain();
}

void Session::writeOutBatch()
{
    m_batch.flush();
    m_socketHeldTurn = ~quint64(0); // the flush may have handed Qt a frame
}

void Session::onSocketWritten()
{
    m_socketHeldTurn = ~quint64(0);
    // Frames held behind Qt's buffer go once it is empty, at the turn's end.
    if (!m_batch.isEmpty()) {
        if (m_socket->bytesToWrite() == 0)
            scheduleFlush(FlushUrgency::ThisTurn); // they may hold replies: as before pacing
        return;
    }
    drain();
}

const QByteArray &Session::wireBytes(const OutboundFrame &frame) const
{
    if (m_deflater && m_deflater->qualifies(frame.wire.payload().size()))
        return frame.wire.deflated(*m_deflater).bytes;
    return frame.wire.bytes();
}

void Session::enqueue(const OutboundFrame &frame)
{
    // Frames dropped earlier on this channel come before this one: say so
    // first. The notice takes a slot too, so the queue never exceeds its size.
    const auto gap = m_droppedRanges.constFind(frame.channel);
    const int needed = gap != m_droppedRanges.constEnd() ? 2 : 1;
    if (int(m_queue.size()) + needed > m_limits.queueSize) {
        overflow(frame);
        return;
    }
    if (gap != m_droppedRanges.constEnd()) {
        m_metrics->gapReported(frame.channel, gap->to - gap->from + 1);
        m_queue.push_back(makeGapFrame(frame.channel, gap->from, gap->to));
        m_droppedRanges.erase(gap);
    }
    m_queue.push_back(frame);
}

void Session::overflow(const OutboundFrame &frame)
{
    if (frame.slowPolicy == SlowConsumerPolicy::Close || frame.firstSeq < 0) {
        qCWarning(lcConnection).noquote() << "session" << m_id << remoteAddress()
                                          << "closed as a slow consumer:" << m_queue.size() << "frames queued,"
                                          << bufferedBytes() << "bytes buffered";
        m_metrics->slowConsumerClosed();
        m_queue.clear();
        close(CloseCode::SlowConsumer, u"slow consumer"_s);
        return;
    }
    // A retry that finds no room stays pending and is tried again when next
    // due: it was delivered once, and it must not turn into a gap notice over
    // seqs that did arrive.
    if (frame.isRedelivery)
        return;
    auto it = m_droppedRanges.find(frame.channel);
    if (it == m_droppedRanges.end()) {
        m_droppedRanges.insert(frame.channel, GapRange {frame.firstSeq, frame.lastSeq});
    } else {
        it->from = std::min(it->from, frame.firstSeq); // a replay can be older than live frames
        it->to = std::max(it->to, frame.lastSeq);
    }
}

void Session::drain()
{
    while (!m_queue.empty() && !socketIsFull() && !m_closing) {
        OutboundFrame frame = std::move(m_queue.front());
        m_queue.pop_front();
        write(frame);
    }
    if (m_queue.empty() && !socketIsFull())
        flushGapNotices();
}

void Session::flushGapNotices()
{
    for (auto it = m_droppedRanges.cbegin(); it != m_droppedRanges.cend(); ++it) {
        m_metrics->gapReported(it.key(), it->to - it->from + 1);
        qCInfo(lcConnection) << "session" << m_id << "gap on" << wireName(it.key()) << it->from << "-" << it->to;
        write(makeGapFrame(it.key(), it->from, it->to));
    }
    m_droppedRanges.clear();
}

void Session::trackAcks(const OutboundFrame &frame, qint64 nowMs)
{
    if (frame.needsAck.isEmpty() || frame.isRedelivery || !m_limits.channels)
        return;
    const ChannelConfig &config = (*m_limits.channels)[std::size_t(frame.channel)];
    for (const PublishedMessagePtr &message : frame.needsAck)
        m_pendingAcks.insert({int(frame.channel), message->seq}, PendingAck {message, 0, nowMs + config.ackTimeoutMs});
}

void Session::acknowledge(SubscriptionType channel, qint64 seq)
{
    m_pendingAcks.remove({int(channel), seq});
}

void Session::redeliverDue(qint64 nowMs)
{
    if (m_closing || !m_limits.channels)
        return;
    for (auto it = m_pendingAcks.begin(); it != m_pendingAcks.end();) {
        PendingAck &pending = it.value();
        if (pending.dueMs > nowMs) {
            ++it;
            continue;
        }
        const SubscriptionType channel = SubscriptionType(it.key().first);
        const ChannelConfig &config = (*m_limits.channels)[std::size_t(channel)];
        if (pending.retries >= config.maxRetries) {
            m_metrics->ackExpired(channel);
            qCInfo(lcConnection) << "session" << m_id << "never acked" << wireName(channel) << it.key().second;
            it = m_pendingAcks.erase(it);
            continue;
        }
        ++pending.retries;
        pending.dueMs = nowMs + config.ackTimeoutMs;
        OutboundFrame frame;
        frame.wire = pending.message->redeliveredFrame();
        frame.channel = channel;
        frame.firstSeq = frame.lastSeq = pending.message->seq;
        frame.publishedAtUs = pending.message->ts;
        frame.slowPolicy = config.slowConsumer;
        frame.needsAck = {pending.message};
        frame.isRedelivery = true;
        m_metrics->redelivered(channel);
        sendFrame(frame);
        ++it;
    }
}

} // namespace QuantPush

#include "RedisBroker.h"

#include "LocalBroker.h"
#include "Logging.h"
#include "RedisConnection.h"
#include "RedisScripts.h"
#include "protocol/Message.h"
#include "protocol/StatsKeys.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QSysInfo>
#include <QtCore/QTimer>

#include <hiredis/hiredis.h>

#include <algorithm>

#include <sys/time.h>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr int ReconnectDelayMs = 500;
constexpr int MissedHeartbeats = 3; // a node whose key is older than this many beats is gone

// "<seq> <body>" as published by the script.
bool splitPushed(const QByteArray &payload, qint64 *seq, QByteArray *body)
{
    const qsizetype space = payload.indexOf(' ');
    if (space <= 0)
        return false;
    bool ok = false;
    *seq = payload.left(space).toLongLong(&ok);
    *body = payload.mid(space + 1);
    return ok && *seq > 0;
}

qint64 seqOfStreamId(const char *id, size_t length)
{
    const QByteArray text(id, qsizetype(length));
    return text.left(text.indexOf('-')).toLongLong();
}

QString replyError(const redisReply *reply)
{
    if (!reply)
        return u"the connection to Redis was lost before it answered"_s;
    return QString::fromUtf8(reply->str, int(reply->len));
}

} // namespace

RedisBroker::RedisBroker(const ServerConfig &config, QObject *parent)
    : Broker(parent)
    , m_config(config)
    , m_commands(new RedisConnection(u"redis commands"_s, this))
    , m_subscriber(new RedisConnection(u"redis subscriber"_s, this))
    , m_reconnect(new QTimer(this))
    , m_heartbeat(new QTimer(this))
{
    m_nodeId = config.broker.nodeId;
    if (m_nodeId.isEmpty()) {
        m_nodeId = config.websocket.port > 0
            ? u"%1:%2"_s.arg(QSysInfo::machineHostName()).arg(config.websocket.port)
            : u"%1:pid%2"_s.arg(QSysInfo::machineHostName()).arg(QCoreApplication::applicationPid());
    }
    for (SubscriptionType channel : allSubscriptionTypes())
        m_channels[std::size_t(channel)].cache = std::make_unique<ChannelHistory>(config.channel(channel).historySize);
    m_unavailableReason = u"connecting to Redis"_s;

    m_reconnect->setSingleShot(true);
    m_reconnect->setInterval(ReconnectDelayMs);
    connect(m_reconnect, &QTimer::timeout, this, &RedisBroker::connectAll);
    m_heartbeat->setInterval(config.broker.heartbeatIntervalMs);
    connect(m_heartbeat, &QTimer::timeout, this, &RedisBroker::heartbeat);

    connect(m_commands, &RedisConnection::connected, this, &RedisBroker::onCommandsConnected);
    connect(m_subscriber, &RedisConnection::connected, this, &RedisBroker::onSubscriberConnected);
    connect(m_commands, &RedisConnection::disconnected, this,
            [this](const QString &reason) { onConnectionLost(u"commands"_s, reason); });
    connect(m_subscriber, &RedisConnection::disconnected, this,
            [this](const QString &reason) { onConnectionLost(u"subscriber"_s, reason); });
}

RedisBroker::~RedisBroker()
{
    stop();
}

QByteArray RedisBroker::key(const char *kind, SubscriptionType channel) const
{
    return m_prefix + kind + ':' + wireName(channel).toUtf8();
}

bool RedisBroker::start(QString *error)
{
    if (!loadInitialState(error))
        return false;
    m_started = true;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    qCInfo(lcBroker).noquote() << "node" << m_nodeId << "on Redis" << m_config.broker.url;
    connectAll();
    m_heartbeat->start();
    return true;
}

// Start-up is the one place a blocking round trip is right: the server must
// not listen when Redis is unreachable, and each channel's seq starts from
// Redis' so subscribers without `since` start after what exists.
bool RedisBroker::loadInitialState(QString *error)
{
    const BrokerConfig &broker = m_config.broker;
    timeval timeout {broker.timeoutMs / 1000, (broker.timeoutMs % 1000) * 1000};
    redisContext *context = redisConnectWithTimeout(broker.redisHost.toUtf8().constData(), broker.redisPort, timeout);
    const auto fail = [&](const QString &why) {
        *error = u"broker.url: Redis at %1 is unreachable: %2"_s.arg(broker.url, why);
        if (context)
            redisFree(context);
        return false;
    };
    if (!context || context->err)
        return fail(context ? QString::fromUtf8(context->errstr) : u"out of memory"_s);
    redisSetTimeout(context, timeout);
    const auto run = [&](const QByteArrayList &arguments) -> redisReply * {
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &argument : arguments) {
            argv.push_back(argument.constData());
            lengths.push_back(std::size_t(argument.size()));
        }
        return static_cast<redisReply *>(redisCommandArgv(context, int(argv.size()), argv.data(), lengths.data()));
    };
    redisReply *reply = run({"SELECT", QByteArray::number(broker.redisDb)});
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
        const QString why = reply ? replyError(reply) : QString::fromUtf8(context->errstr);
        if (reply)
            freeReplyObject(reply);
        return fail(why);
    }
    freeReplyObject(reply);
    for (SubscriptionType channel : allSubscriptionTypes()) {
        ChannelState &state = m_channels[std::size_t(channel)];
        reply = run({"GET", key("seq", channel)});
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            const QString why = reply ? replyError(reply) : QString::fromUtf8(context->errstr);
            if (reply)
                freeReplyObject(reply);
            return fail(why);
        }
        if (reply->type == REDIS_REPLY_STRING)
            state.lastSeq = QByteArray(reply->str, qsizetype(reply->len)).toLongLong();
        freeReplyObject(reply);
        reply = run({"XREVRANGE", key("stream", channel), "+", "-", "COUNT", "1"});
        if (reply && reply->type == REDIS_REPLY_ARRAY && reply->elements == 1) {
            const redisReply *id = reply->element[0]->element[0];
            state.lastSeq = std::max(state.lastSeq, seqOfStreamId(id->str, id->len));
        }
        if (reply)
            freeReplyObject(reply);
        state.highestSeen = state.lastSeq;
    }
    redisFree(context);
    return true;
}

void RedisBroker::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    m_reconnect->stop();
    m_heartbeat->stop();
    m_commands->disconnectFromRedis(u"stopping"_s);
    m_subscriber->disconnectFromRedis(u"stopping"_s);
}

void RedisBroker::connectAll()
{
    if (m_stopping)
        return;
    const BrokerConfig &broker = m_config.broker;
    if (!m_commands->isConnected())
        m_commands->connectTo(broker.redisHost, broker.redisPort, broker.timeoutMs);
    if (!m_subscriber->isConnected())
        m_subscriber->connectTo(broker.redisHost, broker.redisPort, broker.timeoutMs);
}

void RedisBroker::onCommandsConnected()
{
    m_commands->command({"SELECT", QByteArray::number(m_config.broker.redisDb)}, [](const redisReply *) { });
    heartbeat();
    if (m_subscribed && !m_catchingUp && !m_available)
        catchUp();
}

void RedisBroker::onSubscriberConnected()
{
    QByteArrayList channels;
    for (SubscriptionType channel : allSubscriptionTypes())
        channels.append(key("pub", channel));
    m_subscriber->subscribe(channels, [this](const redisReply *reply) { onPushed(reply); });
}

void RedisBroker::onConnectionLost(const QString &which, const QString &reason)
{
    if (m_stopping)
        return;
    // Both go together: a node that cannot hear the others must not publish
    // either, and the catch-up after reconnect needs both.
    m_subscribed = false;
    m_catchingUp = false;
    m_buffered.clear();
    if (which == u"commands"_s)
        m_subscriber->disconnectFromRedis(u"the command connection ended"_s);
    else
        m_commands->disconnectFromRedis(u"the subscriber connection ended"_s);
    setAvailable(false, u"Redis %1 connection: %2"_s.arg(which, reason));
    if (!m_reconnect->isActive())
        m_reconnect->start();
}

void RedisBroker::setAvailable(bool available, const QString &reason)
{
    if (!available)
        m_unavailableReason = reason;
    if (available == m_available)
        return;
    m_available = available;
    if (available)
        qCInfo(lcBroker).noquote() << "node" << m_nodeId << "connected to Redis: publishing through the cluster";
    else
        qCWarning(lcBroker).noquote() << "node" << m_nodeId << "lost Redis (" << reason
                                      << "): publishes are refused with broker_unavailable until it is back";
    Q_EMIT availabilityChanged(available);
}

void RedisBroker::onPushed(const redisReply *reply)
{
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3)
        return;
    const QByteArray kind(reply->element[0]->str, qsizetype(reply->element[0]->len));
    if (kind == "subscribe") {
        if (reply->element[2]->integer == SubscriptionTypeCount) {
            m_subscribed = true;
            if (m_commands->isConnected())
                catchUp();
        }
        return;
    }
    if (kind != "message")
        return;
    const QByteArray name(reply->element[1]->str, qsizetype(reply->element[1]->len));
    const std::optional<SubscriptionType> channel
        = subscriptionTypeFromWire(QString::fromUtf8(name.mid(name.lastIndexOf(':') + 1)));
    qint64 seq = 0;
    QByteArray body;
    if (!channel || !splitPushed(QByteArray(reply->element[2]->str, qsizetype(reply->element[2]->len)), &seq, &body)) {
        qCWarning(lcBroker) << "ignoring a malformed message on" << name;
        return;
    }
    if (m_catchingUp) {
        m_buffered.append(Arrival {*channel, seq, body});
        return;
    }
    arrive(*channel, seq, body);
}

// After (re)subscribing: what was published while this node was not
// listening is read from the streams, in order, before anything pushed since.
void RedisBroker::catchUp()
{
    m_catchingUp = true;
    m_catchUpPending = SubscriptionTypeCount;
    for (SubscriptionType channel : allSubscriptionTypes()) {
        m_caughtUp[std::size_t(channel)].clear();
        const qint64 from = m_channels[std::size_t(channel)].lastSeq + 1;
        m_commands->command({"XRANGE", key("stream", channel), QByteArray::number(from) + "-0", "+"},
                            [this, channel](const redisReply *reply) {
                                if (!m_catchingUp)
                                    return;
                                if (!reply || reply->type != REDIS_REPLY_ARRAY) {
                                    // The connection went: onConnectionLost starts over.
                                    return;
                                }
                                for (size_t i = 0; i < reply->elements; ++i) {
                                    const redisReply *entry = reply->element[i];
                                    const redisReply *fields = entry->element[1];
                                    if (fields->elements < 2)
                                        continue;
                                    m_caughtUp[std::size_t(channel)].append(Arrival {
                                        channel, seqOfStreamId(entry->element[0]->str, entry->element[0]->len),
                                        QByteArray(fields->element[1]->str, qsizetype(fields->element[1]->len))});
                                }
                                if (--m_catchUpPending == 0)
                                    finishCatchUp();
                            });
    }
}

void RedisBroker::finishCatchUp()
{
    int caughtUp = 0;
    for (QList<Arrival> &arrivals : m_caughtUp) {
        for (const Arrival &arrival : std::as_const(arrivals))
            arrive(arrival.channel, arrival.seq, arrival.body);
        caughtUp += int(arrivals.size());
        arrivals.clear();
    }
    const QList<Arrival> buffered = std::exchange(m_buffered, {});
    m_catchingUp = false;
    for (const Arrival &arrival : buffered)
        arrive(arrival.channel, arrival.seq, arrival.body);
    if (caughtUp > 0)
        qCInfo(lcBroker) << "caught up" << caughtUp << "messages from the Redis streams";
    setAvailable(true, {});
}

void RedisBroker::arrive(SubscriptionType channel, qint64 seq, const QByteArray &body)
{
    ChannelState &state = m_channels[std::size_t(channel)];
    if (seq <= state.lastSeq)
        return; // already here (catch-up and push overlap)
    PublishedMessagePtr message = decode(channel, seq, body);
    if (!message) {
        qCWarning(lcBroker) << "ignoring an undecodable message" << seq << "on" << wireName(channel);
        return;
    }
    if (seq > state.lastSeq + 1) {
        // Neither pushed to this node nor in the stream any more (Redis came
        // back empty): say so rather than let subscribers miss it silently.
        Q_EMIT gap(channel, state.lastSeq + 1, seq - 1);
    }
    state.lastSeq = seq;
    state.highestSeen = std::max(state.highestSeen, seq);
    state.cache->append(message);
    Q_EMIT messageArrived(message);
}

PublishedMessagePtr RedisBroker::decode(SubscriptionType channel, qint64 seq, const QByteArray &body) const
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body, &parseError);
    if (!document.isObject())
        return {};
    const QJsonObject object = document.object();
    PublishRequest request;
    request.channel = channel;
    request.payload = object.value(u"d"_s).toObject();
    request.priority = object.value(u"p"_s).toInt(DefaultPriority);
    if (const QJsonValue strategy = object.value(u"s"_s); strategy.isString())
        request.strategy = broadcastStrategyFromWire(strategy.toString());
    if (const QJsonValue filter = object.value(u"f"_s); filter.isObject()) {
        QString error;
        const std::optional<Filter> parsed = Filter::parse(filter, &error);
        if (!parsed)
            return {};
        request.recipientFilter = *parsed;
    }
    return makePublishedMessage(request, seq, qint64(object.value(u"ts"_s).toDouble()));
}

void RedisBroker::publish(const PublishRequest &request, PublishDone done)
{
    if (!m_available) {
        if (done)
            done(Outcome {0, {}, ErrorCode::BrokerUnavailable,
                          u"the broker (Redis) is unavailable: %1; not published"_s.arg(m_unavailableReason)});
        return;
    }
    QJsonObject body {
        {u"ts"_s, double(nowMicroseconds())},
        {u"p"_s, request.priority},
        {u"d"_s, request.payload},
        {u"n"_s, m_nodeId},
    };
    if (request.strategy)
        body.insert(u"s"_s, wireName(*request.strategy));
    if (!request.recipientFilter.isEmpty())
        body.insert(u"f"_s, request.recipientFilter.source());
    ChannelState &state = m_channels[std::size_t(request.channel)];
    const int maxLength = std::max(1, m_config.channel(request.channel).historySize);
    m_commands->command(
        {"EVAL", RedisScripts::Publish, "3", key("seq", request.channel), key("stream", request.channel),
         key("pub", request.channel), QByteArray::number(state.highestSeen), QByteArray::number(maxLength),
         QJsonDocument(body).toJson(QJsonDocument::Compact)},
        [this, channel = request.channel, done = std::move(done)](const redisReply *reply) {
            if (!reply || reply->type != REDIS_REPLY_INTEGER) {
                // With no answer the message may or may not be out: the
                // publisher hears "unavailable" and decides; subscribers
                // see it (or a gap) either way.
                if (done)
                    done(Outcome {0, {}, ErrorCode::BrokerUnavailable,
                                  u"the broker (Redis) failed: %1"_s.arg(replyError(reply))});
                return;
            }
            ChannelState &state = m_channels[std::size_t(channel)];
            state.highestSeen = std::max(state.highestSeen, qint64(reply->integer));
            if (done)
                done(Outcome {reply->integer, {}, std::nullopt, {}});
        });
}

void RedisBroker::replay(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done)
{
    const ChannelState &state = m_channels[std::size_t(channel)];
    const qint64 oldestCached = state.cache->oldestSeq();
    const int historySize = m_config.channel(channel).historySize;
    const qint64 from = std::max(since, state.lastSeq - historySize) + 1;
    if (since > state.lastSeq && m_available) {
        replayAhead(channel, since, std::move(accept), std::move(done));
        return;
    }
    // The cache has it all, or Redis cannot help: answer now.
    if (since >= state.lastSeq || (oldestCached > 0 && oldestCached <= since + 1) || !m_available
        || from > state.lastSeq) {
        done(state.lastSeq, state.cache->after(since, state.lastSeq, accept));
        return;
    }
    const qint64 to = oldestCached > 0 ? oldestCached - 1 : state.lastSeq;
    m_commands->command(
        {"XRANGE", key("stream", channel), QByteArray::number(from) + "-0", QByteArray::number(to) + "-0"},
        [this, channel, since, from, accept = std::move(accept), done = std::move(done),
         guard = QPointer<RedisBroker>(this)](const redisReply *reply) {
            if (!guard)
                return;
            const ChannelState &state = m_channels[std::size_t(channel)];
            ChannelHistory::Replay result;
            const qint64 oldest = state.cache->oldestSeq();
            qint64 coveredFrom = oldest > 0 ? oldest : state.lastSeq + 1;
            if (reply && reply->type == REDIS_REPLY_ARRAY) {
                bool first = true;
                for (size_t i = 0; i < reply->elements; ++i) {
                    const redisReply *entry = reply->element[i];
                    const qint64 seq = seqOfStreamId(entry->element[0]->str, entry->element[0]->len);
                    const redisReply *fields = entry->element[1];
                    if (fields->elements < 2 || (oldest > 0 && seq >= oldest) || seq > state.lastSeq)
                        continue;
                    if (first)
                        coveredFrom = seq;
                    first = false;
                    PublishedMessagePtr message = decode(
                        channel, seq, QByteArray(fields->element[1]->str, qsizetype(fields->element[1]->len)));
                    if (!message)
                        continue;
                    message->released = true; // older than anything a queue here holds
                    if (accept(*message))
                        result.messages.append(message);
                }
            }
            const ChannelHistory::Replay cached = state.cache->after(since, state.lastSeq, accept);
            result.messages += cached.messages;
            result.recovered = from == since + 1 && coveredFrom <= since + 1;
            done(state.lastSeq, result);
        });
}

// A client that failed over from a node that was ahead of this one: the
// messages between this node's last seq and `since` are still on their way
// here through pub/sub. When the cluster's counter has reached `since`,
// nothing after it is lost: the subscription starts after `since` (those in
// flight are not delivered twice) and the resume is complete. A counter below
// `since` means the client saw seqs this cluster never issued.
void RedisBroker::replayAhead(SubscriptionType channel, qint64 since, Accept accept, ReplayDone done)
{
    m_commands->command({"GET", key("seq", channel)},
                        [this, channel, since, accept = std::move(accept), done = std::move(done),
                         guard = QPointer<RedisBroker>(this)](const redisReply *reply) mutable {
                            if (!guard)
                                return;
                            const qint64 lastSeq = m_channels[std::size_t(channel)].lastSeq;
                            if (since <= lastSeq) { // caught up meanwhile: an ordinary replay
                                replay(channel, since, std::move(accept), std::move(done));
                                return;
                            }
                            const qint64 counter = reply && reply->type == REDIS_REPLY_STRING
                                ? QByteArray(reply->str, qsizetype(reply->len)).toLongLong()
                                : 0;
                            ChannelHistory::Replay result;
                            result.recovered = counter >= since;
                            done(result.recovered ? since : lastSeq, result);
                        });
}

void RedisBroker::heartbeat()
{
    if (!m_commands->isConnected())
        return;
    const QJsonObject info {
        {u"connections"_s, localConnections()},
        {u"started_ms"_s, double(m_startedMs)},
        {u"beat_ms"_s, double(QDateTime::currentMSecsSinceEpoch())},
    };
    const int ttl = m_config.broker.heartbeatIntervalMs * MissedHeartbeats;
    m_commands->command({"EVAL", RedisScripts::Heartbeat, "1", m_prefix + "nodes", m_nodeId.toUtf8(),
                         QJsonDocument(info).toJson(QJsonDocument::Compact), QByteArray::number(ttl),
                         m_prefix + "node:"},
                        [this, guard = QPointer<RedisBroker>(this)](const redisReply *reply) {
                            if (!guard || !reply || reply->type != REDIS_REPLY_ARRAY)
                                return;
                            QJsonArray nodes;
                            for (size_t i = 0; i + 1 < reply->elements; i += 2) {
                                QJsonObject node = QJsonDocument::fromJson(QByteArray(
                                    reply->element[i + 1]->str, qsizetype(reply->element[i + 1]->len))).object();
                                node.insert(u"node_id"_s, QString::fromUtf8(reply->element[i]->str,
                                                                            int(reply->element[i]->len)));
                                nodes.append(node);
                            }
                            m_clusterNodes = nodes;
                        });
}

QJsonObject RedisBroker::health() const
{
    if (m_available)
        return Broker::health();
    return QJsonObject {
        {u"status"_s, u"degraded"_s},
        {u"broker"_s, u"redis unavailable: %1"_s.arg(m_unavailableReason)},
    };
}

QJsonObject RedisBroker::describe() const
{
    QJsonArray nodes;
    int total = 0;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    for (const QJsonValue &value : m_clusterNodes) {
        const QJsonObject node = value.toObject();
        total += node.value(StatsKey::Connections).toInt();
        const QJsonValue beat = node.value(u"beat_ms"_s);
        QJsonObject entry {
            {StatsKey::NodeId, node.value(StatsKey::NodeId)},
            {StatsKey::Connections, node.value(StatsKey::Connections)},
            {StatsKey::LastBeatMs, beat},
        };
        if (beat.isDouble())
            entry.insert(StatsKey::BeatAgeMs, double(std::max<qint64>(0, nowMs - qint64(beat.toDouble()))));
        nodes.append(entry);
    }
    QJsonObject description {
        {StatsKey::Type, u"redis"_s},
        {StatsKey::NodeId, m_nodeId},
        {StatsKey::Available, m_available},
        {StatsKey::NodesAlive, nodes.size()},
        {StatsKey::ClusterConnections, total},
        {StatsKey::Nodes, nodes},
    };
    // While Redis is away the node list is the last one read, and says so.
    if (!m_available)
        description.insert(StatsKey::UnavailableReason, m_unavailableReason);
    return description;
}

} // namespace QuantPush

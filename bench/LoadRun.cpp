#include "LoadRun.h"

#include "client/FrameInflater.h"
#include "demo/RandomWalk.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtCore/QUrlQuery>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

double percentile(std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const auto index = std::size_t(q * double(sorted.size() - 1));
    return sorted[index];
}

long rssKb()
{
    FILE *status = std::fopen("/proc/self/status", "r");
    long kb = 0;
    char line[256];
    while (status && std::fgets(line, sizeof line, status)) {
        if (std::sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    }
    if (status)
        std::fclose(status);
    return kb;
}

} // namespace

LoadRun::LoadRun(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_padding(options.payloadBytes, 'x')
{
    m_latenciesUs.reserve(std::size_t(options.clients) * std::size_t(options.rate) * std::size_t(options.durationSec)
                          / std::size_t(std::max(1, options.latencySample)));
    if (options.compression)
        m_inflater = std::make_unique<QuantPush::FrameInflater>();
    if (options.ticks) {
        m_walk = std::make_unique<QuantPush::RandomWalk>(QStringList {
            u"BTCUSDT"_s, u"ETHUSDT"_s, u"SOLUSDT"_s, u"BNBUSDT"_s, u"XRPUSDT"_s,
            u"ADAUSDT"_s, u"DOGEUSDT"_s, u"AVAXUSDT"_s, u"DOTUSDT"_s, u"LINKUSDT"_s});
    }
}

LoadRun::~LoadRun() = default;

void LoadRun::start()
{
    connectSubscribers();
}

void LoadRun::connectSubscribers()
{
    QUrl url = m_options.url;
    if (m_options.compression)
        url.setQuery(QUrlQuery {{u"compression"_s, u"deflate"_s}});
    for (int i = 0; i < m_options.clients; ++i) {
        auto socket = std::make_unique<QWebSocket>();
        QWebSocket *raw = socket.get();
        const bool sampled = i % std::max(1, m_options.latencySample) == 0;
        connect(raw, &QWebSocket::binaryMessageReceived, this,
                [this, sampled](const QByteArray &data) { onCompressedPush(data, sampled); });
        connect(raw, &QWebSocket::textMessageReceived, this, [this, raw, sampled](const QString &text) {
            if (text.startsWith(u"{\"data\":{\"auth_required\""_s) || text.contains(u"\"type\":\"welcome\""_s)) {
                raw->sendTextMessage(compact({{u"type"_s, u"subscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, m_options.channel}}}}));
                return;
            }
            if (text.contains(u"\"type\":\"subscribed\""_s)) {
                if (++m_ready == m_options.clients)
                    startPublishing();
                return;
            }
            m_wireBytes += text.size(); // JSON is ASCII here: characters are bytes
            onPush(text, sampled);
        });
        raw->open(url);
        m_subscribers.push_back(std::move(socket));
    }
}

void LoadRun::onCompressedPush(const QByteArray &data, bool sampled)
{
    m_wireBytes += data.size();
    ++m_binaryFrames;
    const std::optional<QByteArray> json = m_inflater ? m_inflater->inflate(data) : std::nullopt;
    if (!json) {
        std::fprintf(stderr, "undecodable binary frame of %lld bytes\n", static_cast<long long>(data.size()));
        return;
    }
    if (!sampled) { // as in onPush, without the UTF-16 copy Qt makes of text frames
        ++m_frames;
        m_jsonBytes += json->size();
        m_received += json->count("\"seq\":");
        return;
    }
    onPush(QString::fromUtf8(*json), sampled);
}

void LoadRun::onPush(const QString &text, bool sampled)
{
    ++m_frames;
    m_jsonBytes += text.size();
    // Counting deliveries needs no JSON parsing; only sampled subscribers
    // parse, for latency, so that the load generator keeps up with 1,000
    // subscribers of batched market data on the same two cores.
    if (!sampled) {
        m_received += text.count(u"\"seq\":"_s);
        return;
    }
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const qint64 now = nowUs();
    auto record = [&](const QJsonObject &push) {
        if (!push.contains("seq"_L1))
            return;
        ++m_received;
        m_latenciesUs.push_back(double(now - push.value("ts"_L1).toInteger()));
    };
    if (frame.value("type"_L1).toString() == u"batch"_s) {
        for (const QJsonValue &item : frame.value("data"_L1).toArray())
            record(item.toObject());
    } else {
        record(frame);
    }
}

void LoadRun::startPublishing()
{
    QNetworkRequest request(m_options.url);
    request.setRawHeader("X-API-Key", m_options.apiKey.toUtf8());
    connect(&m_publisher, &QWebSocket::textMessageReceived, this, [](const QString &text) {
        if (text.contains(u"\"type\":\"error\""_s))
            std::fprintf(stderr, "publisher error: %s\n", qPrintable(text));
    });
    connect(&m_publisher, &QWebSocket::connected, this, [this] {
        m_clock.start();
        m_publishTimer = new QTimer(this);
        m_publishTimer->setTimerType(Qt::PreciseTimer);
        connect(m_publishTimer, &QTimer::timeout, this, &LoadRun::publishTick);
        m_publishTimer->start(10);
    });
    m_publisher.open(request);
}

void LoadRun::publishTick()
{
    const qint64 elapsedMs = m_clock.elapsed();
    if (elapsedMs >= qint64(m_options.durationSec) * 1000) {
        m_publishTimer->stop();
        // Let the last messages arrive before counting.
        QTimer::singleShot(2000, this, &LoadRun::finish);
        return;
    }
    const qint64 due = elapsedMs * m_options.rate / 1000;
    for (; m_published < due; ++m_published) {
        m_publisher.sendTextMessage(compact({
            {u"type"_s, u"publish"_s},
            {u"data"_s, QJsonObject {{u"type"_s, m_options.channel}, {u"payload"_s, nextPayload()}}},
        }));
    }
}

QJsonObject LoadRun::nextPayload()
{
    if (!m_walk)
        return QJsonObject {{u"n"_s, m_published}, {u"pad"_s, QString::fromLatin1(m_padding)}};
    const QStringList &symbols = m_walk->symbols();
    return m_walk->step(symbols.at(int(m_published % symbols.size()))).toJson();
}

void LoadRun::finish()
{
    std::sort(m_latenciesUs.begin(), m_latenciesUs.end());
    const double seconds = double(m_options.durationSec);
    const qint64 expected = m_published * m_options.clients;
    const QString report = u"clients=%1 rate=%2/s duration=%3s payload=%4B published=%5 delivered=%6/%7 (%8%) "
                           "throughput=%9 msg/s latency_ms p50=%10 p90=%11 p99=%12 max=%13 bench_rss_kb=%14 "
                           "compression=%15 frames=%16 binary_frames=%17 json_bytes=%18 wire_bytes=%19"_s
                               .arg(m_options.clients).arg(m_options.rate).arg(m_options.durationSec)
                               .arg(m_options.payloadBytes).arg(m_published).arg(m_received).arg(expected)
                               .arg(expected ? 100.0 * double(m_received) / double(expected) : 0.0, 0, 'f', 2)
                               .arg(double(m_received) / seconds, 0, 'f', 0)
                               .arg(percentile(m_latenciesUs, 0.50) / 1000.0, 0, 'f', 3)
                               .arg(percentile(m_latenciesUs, 0.90) / 1000.0, 0, 'f', 3)
                               .arg(percentile(m_latenciesUs, 0.99) / 1000.0, 0, 'f', 3)
                               .arg(m_latenciesUs.empty() ? 0.0 : m_latenciesUs.back() / 1000.0, 0, 'f', 3)
                               .arg(rssKb())
                               .arg(m_options.compression ? u"deflate"_s : u"none"_s)
                               .arg(m_frames).arg(m_binaryFrames).arg(m_jsonBytes).arg(m_wireBytes);
    Q_EMIT finished(report);
}

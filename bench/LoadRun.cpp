#include "LoadRun.h"

#include "BenchUtil.h"
#include "client/FrameInflater.h"
#include "demo/RandomWalk.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace Qt::Literals::StringLiterals;

LoadRun::LoadRun(const Options &options, QObject *parent)
    : QObject(parent), m_options(options)
{
    // One publish frame is a prefix, the running number and a suffix: no JSON
    // building per message, so the publisher is not the bottleneck.
    const QString frame = QString::fromUtf8(QJsonDocument(QJsonObject {
        {u"type"_s, u"publish"_s},
        {u"data"_s, QJsonObject {{u"type"_s, options.channel},
                                 {u"payload"_s, QJsonObject {{u"pad"_s, QString(options.payloadBytes, u'x')},
                                                             {u"n"_s, -12345}}}}},
    }).toJson(QJsonDocument::Compact));
    const qsizetype at = frame.indexOf(u"-12345"_s);
    m_prefix = frame.left(at);
    m_suffix = frame.mid(at + 6);
    if (options.window == 0) {
        m_latenciesUs.reserve(std::size_t(options.clients) * std::size_t(options.rate)
                              * std::size_t(options.durationSec) / std::size_t(std::max(1, options.latencySample)));
    }
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
    openMore();
}

// Idle connections first (when asked), then the measured subscribers, with
// at most `concurrency` handshakes in flight.
void LoadRun::openMore()
{
    const int total = m_options.idle + m_options.clients;
    while (m_opened < total && m_opened - m_ready - m_failed < m_options.concurrency) {
        const int index = m_opened++;
        const bool idle = index < m_options.idle;
        const int subscriber = index - m_options.idle;
        auto subscribed = std::make_shared<bool>(false);
        const auto settled = [this, total] {
            if (m_ready + m_failed == total)
                startPublishing();
            else
                openMore();
        };
        QUrl url = m_options.url;
        if (m_options.compression && !idle)
            url.setQuery(QUrlQuery {{u"compression"_s, u"deflate"_s}});
        QWebSocket *socket = Bench::openSubscriber(
            this, url, idle ? m_options.idleChannel : m_options.channel,
            [this, subscribed, settled] {
                *subscribed = true;
                ++m_ready;
                settled();
            },
            [this, idle, subscriber](const QString &text) {
                if (idle)
                    return;
                m_wireBytes += text.size(); // JSON is ASCII here: characters are bytes
                onPush(subscriber, text);
            });
        if (m_options.compression && !idle) {
            connect(socket, &QWebSocket::binaryMessageReceived, this,
                    [this, subscriber](const QByteArray &data) { onCompressedPush(subscriber, data); });
        }
        // Refused or dropped before subscribing: reported, and the run goes on without it.
        connect(socket, &QWebSocket::disconnected, this, [this, socket, subscribed, settled] {
            if (*subscribed || m_publishing)
                return;
            *subscribed = true;
            ++m_failed;
            std::fprintf(stderr, "a subscriber was closed while connecting: %d %s\n", int(socket->closeCode()),
                         qPrintable(socket->closeReason()));
            settled();
        });
    }
}

void LoadRun::onCompressedPush(int subscriber, const QByteArray &data)
{
    m_wireBytes += data.size();
    ++m_binaryFrames;
    const std::optional<QByteArray> json = m_inflater ? m_inflater->inflate(data) : std::nullopt;
    if (!json) {
        std::fprintf(stderr, "undecodable binary frame of %lld bytes\n", static_cast<long long>(data.size()));
        return;
    }
    if (!sampled(subscriber)) { // as in onPush, without the UTF-16 copy Qt makes of text frames
        ++m_frames;
        m_jsonBytes += json->size();
        m_received += json->count("\"seq\":");
        return;
    }
    onPush(subscriber, QString::fromUtf8(*json));
}

void LoadRun::onPush(int subscriber, const QString &text)
{
    ++m_frames;
    m_jsonBytes += text.size();
    // Counting deliveries needs no parsing; only sampled subscribers record
    // latencies, so that the generator keeps up with batched market data.
    if (!sampled(subscriber)) {
        m_received += text.count(u"\"seq\":"_s);
        return;
    }
    const qint64 now = Bench::nowUs();
    auto record = [&](QStringView push) {
        const qint64 ts = Bench::fieldInteger(push, u"\"ts\":");
        if (ts < 0 || Bench::fieldInteger(push, u"\"seq\":") < 0)
            return;
        ++m_received;
        m_latenciesUs.push_back(double(now - ts));
        if (subscriber == 0 && m_options.window > 0) {
            ++m_landed;
            topUpWindow();
        }
    };
    if (text.startsWith(u"{\"type\":\"batch\""_s) || text.contains(u"\"type\":\"batch\""_s)) {
        // A batch: every item carries its own seq and ts.
        QStringView rest(text);
        qsizetype at = 0;
        while ((at = rest.indexOf(u"\"seq\":")) >= 0) {
            const qsizetype next = rest.indexOf(u"\"seq\":", at + 6);
            record(rest.mid(at, next < 0 ? -1 : next - at));
            if (next < 0)
                break;
            rest = rest.mid(next);
        }
    } else {
        record(text);
    }
}

void LoadRun::startPublishing()
{
    m_serverCpuBefore = Bench::cpuSeconds(m_options.serverPid);
    m_benchCpuBefore = Bench::cpuSeconds(QCoreApplication::applicationPid());
    QNetworkRequest request(m_options.url);
    request.setRawHeader("X-API-Key", m_options.apiKey.toUtf8());
    connect(&m_publisher, &QWebSocket::textMessageReceived, this, [](const QString &text) {
        if (text.contains(u"\"type\":\"error\""_s))
            std::fprintf(stderr, "publisher error: %s\n", qPrintable(text));
    });
    connect(&m_publisher, &QWebSocket::connected, this, [this] {
        m_publishing = true;
        m_clock.start();
        m_publishTimer = new QTimer(this);
        m_publishTimer->setTimerType(Qt::PreciseTimer);
        connect(m_publishTimer, &QTimer::timeout, this, &LoadRun::publishTick);
        m_publishTimer->start(m_options.window > 0 ? 100 : 10);
        topUpWindow();
    });
    m_publisher.open(request);
}

QString LoadRun::nextPublish()
{
    if (!m_walk)
        return m_prefix + QString::number(m_published) + m_suffix;
    const QStringList &symbols = m_walk->symbols();
    const QJsonObject tick = m_walk->step(symbols.at(int(m_published % symbols.size()))).toJson();
    return QString::fromUtf8(QJsonDocument(QJsonObject {
        {u"type"_s, u"publish"_s},
        {u"data"_s, QJsonObject {{u"type"_s, m_options.channel}, {u"payload"_s, tick}}},
    }).toJson(QJsonDocument::Compact));
}

void LoadRun::publishOne()
{
    m_publisher.sendTextMessage(nextPublish());
    ++m_published;
}

void LoadRun::topUpWindow()
{
    if (!m_publishing || m_options.window <= 0)
        return;
    while (m_published - m_landed < m_options.window)
        publishOne();
}

void LoadRun::publishTick()
{
    const qint64 elapsedMs = m_clock.elapsed();
    if (elapsedMs >= qint64(m_options.durationSec) * 1000) {
        stopPublishing();
        return;
    }
    m_serverRssPeakKb = std::max(m_serverRssPeakKb, Bench::rssKb(m_options.serverPid));
    if (m_options.window > 0)
        return;
    const qint64 due = elapsedMs * m_options.rate / 1000;
    while (m_published < due)
        publishOne();
}

void LoadRun::stopPublishing()
{
    m_publishing = false;
    m_publishTimer->stop();
    QTimer::singleShot(m_options.drainMs, this, &LoadRun::finish);
}

void LoadRun::finish()
{
    m_serverCpu = Bench::cpuSeconds(m_options.serverPid) - m_serverCpuBefore;
    const double benchCpu = Bench::cpuSeconds(QCoreApplication::applicationPid()) - m_benchCpuBefore;
    m_serverRssPeakKb = std::max(m_serverRssPeakKb, Bench::rssKb(m_options.serverPid));
    std::sort(m_latenciesUs.begin(), m_latenciesUs.end());
    const double seconds = double(m_options.durationSec);
    const qint64 expected = m_published * m_options.clients;
    const auto ms = [this](double q) { return Bench::percentile(m_latenciesUs, q) / 1000.0; };
    const QString mode = m_options.window > 0 ? u"window=%1"_s.arg(m_options.window)
                                              : u"rate=%1/s"_s.arg(m_options.rate);
    if (m_failed > 0)
        std::fprintf(stderr, "%d connections failed before subscribing\n", m_failed);
    const QString report = u"clients=%1 idle=%2 %3 duration=%4s payload=%5B published=%6 delivered=%7/%8 (%9%) "
                           "lost=%10 throughput=%11 msg/s latency_ms p50=%12 p90=%13 p99=%14 p99.9=%15 max=%16 "
                           "server_cpu_s=%17 server_rss_peak_kb=%18 bench_rss_kb=%19 compression=%20 frames=%21 binary_frames=%22 "
                           "json_bytes=%23 wire_bytes=%24 bench_cpu_s=%25"_s
                               .arg(m_options.clients).arg(m_options.idle).arg(mode).arg(m_options.durationSec)
                               .arg(m_options.payloadBytes).arg(m_published).arg(m_received).arg(expected)
                               .arg(expected ? 100.0 * double(m_received) / double(expected) : 0.0, 0, 'f', 2)
                               .arg(expected - m_received)
                               .arg(double(m_received) / seconds, 0, 'f', 0)
                               .arg(ms(0.50), 0, 'f', 3).arg(ms(0.90), 0, 'f', 3).arg(ms(0.99), 0, 'f', 3)
                               .arg(ms(0.999), 0, 'f', 3)
                               .arg(m_latenciesUs.empty() ? 0.0 : m_latenciesUs.back() / 1000.0, 0, 'f', 3)
                               .arg(m_serverCpu, 0, 'f', 2).arg(m_serverRssPeakKb).arg(Bench::rssKb())
                               .arg(m_options.compression ? u"deflate"_s : u"none"_s)
                               .arg(m_frames).arg(m_binaryFrames).arg(m_jsonBytes).arg(m_wireBytes)
                               .arg(benchCpu, 0, 'f', 2);
    Q_EMIT finished(report);
}

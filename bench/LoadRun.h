#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <memory>
#include <vector>

namespace QuantPush {
class FrameInflater;
class RandomWalk;
}

// One fan-out run: N subscribers on a channel (and optionally M idle
// subscribed connections on another channel beside them), one admin
// publisher, for `duration` seconds. Fixed rate: `rate` messages a second.
// Max throughput (`window` > 0): the publisher keeps `window` messages in
// flight, a message counting as landed when the first subscriber has it.
// Every subscriber measures the publish-to-receive latency from the
// server's `ts` against its own clock (same machine, same clock).
class LoadRun : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QUrl url;
        QString apiKey;
        QString channel = QStringLiteral("strategy_status");
        int clients = 100;
        int rate = 1000;       // messages per second published (fixed-rate mode)
        int window = 0;        // > 0: max-throughput mode with this many in flight
        int durationSec = 10;
        int payloadBytes = 200;
        int idle = 0;          // idle subscribed connections opened first
        QString idleChannel = QStringLiteral("trading_signals");
        int concurrency = 256; // handshakes in flight while connecting
        qint64 serverPid = 0;  // for the server's CPU and RSS in the report
        int drainMs = 2000;    // wait for the last messages before counting
        // Subscribers ask for compressed pushes and inflate them.
        bool compression = false;
        // Publish demo-feed market ticks (realistic digits) instead of padding.
        bool ticks = false;
        // Every Nth subscriber records latencies; all count deliveries.
        int latencySample = 1;
    };

    explicit LoadRun(const Options &options, QObject *parent = nullptr);
    ~LoadRun() override;
    void start();

Q_SIGNALS:
    void finished(const QString &report);

private:
    void openMore();
    void startPublishing();
    void publishTick();
    void publishOne();
    void topUpWindow();
    void stopPublishing();
    void finish();
    void onPush(int subscriber, const QString &text);
    void onCompressedPush(int subscriber, const QByteArray &data);
    bool sampled(int subscriber) const { return subscriber % m_options.latencySample == 0; }
    QString nextPublish();

    Options m_options;
    int m_opened = 0;
    int m_ready = 0;
    int m_failed = 0;
    QWebSocket m_publisher;
    bool m_publishing = false;
    qint64 m_published = 0;
    qint64 m_landed = 0; // messages the first subscriber has received (window mode)
    qint64 m_received = 0;
    qint64 m_wireBytes = 0;      // push payload bytes as received (compressed or not)
    qint64 m_jsonBytes = 0;      // the same pushes as JSON text
    qint64 m_binaryFrames = 0;
    qint64 m_frames = 0;
    std::unique_ptr<QuantPush::FrameInflater> m_inflater;
    std::unique_ptr<QuantPush::RandomWalk> m_walk;
    std::vector<double> m_latenciesUs;
    QElapsedTimer m_clock;
    QTimer *m_publishTimer = nullptr;
    QString m_prefix;
    QString m_suffix;
    double m_serverCpuBefore = 0;
    double m_benchCpuBefore = 0;
    double m_serverCpu = 0;
    long m_serverRssPeakKb = 0;
};

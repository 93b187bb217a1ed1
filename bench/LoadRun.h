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

// One benchmark run: N subscribers on a channel, one admin publisher sending
// `rate` messages a second for `duration`; every subscriber measures the
// publish-to-receive latency from the server's `ts` against its own clock
// (same machine, same clock).
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
        int rate = 1000;       // messages per second published
        int durationSec = 10;
        int payloadBytes = 200;
        // Subscribers ask for compressed pushes and inflate them.
        bool compression = false;
        // Publish demo-feed market ticks (realistic digits) instead of padding.
        bool ticks = false;
        // Every Nth subscriber parses frames for latency; all count deliveries.
        int latencySample = 1;
    };

    explicit LoadRun(const Options &options, QObject *parent = nullptr);
    ~LoadRun() override;
    void start();

Q_SIGNALS:
    void finished(const QString &report);

private:
    void connectSubscribers();
    void startPublishing();
    void publishTick();
    void finish();
    void onPush(const QString &text, bool sampled);
    void onCompressedPush(const QByteArray &data, bool sampled);
    QJsonObject nextPayload();

    Options m_options;
    std::vector<std::unique_ptr<QWebSocket>> m_subscribers;
    QWebSocket m_publisher;
    int m_ready = 0;
    qint64 m_published = 0;
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
    QByteArray m_padding;
};

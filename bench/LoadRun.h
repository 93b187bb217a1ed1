#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtWebSockets/QWebSocket>

#include <memory>
#include <vector>

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
    };

    explicit LoadRun(const Options &options, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    void finished(const QString &report);

private:
    void connectSubscribers();
    void startPublishing();
    void publishTick();
    void finish();
    void onPush(const QString &text);

    Options m_options;
    std::vector<std::unique_ptr<QWebSocket>> m_subscribers;
    QWebSocket m_publisher;
    int m_ready = 0;
    qint64 m_published = 0;
    qint64 m_received = 0;
    std::vector<double> m_latenciesUs;
    QElapsedTimer m_clock;
    QTimer *m_publishTimer = nullptr;
    QByteArray m_padding;
};

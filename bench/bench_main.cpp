#include "LoadRun.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <algorithm>
#include <cstdio>

using namespace Qt::Literals::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"QuantPush load generator: N subscribers, one admin publisher."_s);
    parser.addHelpOption();
    const QCommandLineOption url(u"url"_s, u"Server URL."_s, u"url"_s, u"ws://127.0.0.1:8765/ws"_s);
    const QCommandLineOption apiKey(u"api-key"_s, u"API key of an admin (publisher)."_s, u"key"_s);
    const QCommandLineOption channel(u"channel"_s, u"Channel to publish on."_s, u"name"_s, u"strategy_status"_s);
    const QCommandLineOption clients(u"clients"_s, u"Subscribers."_s, u"n"_s, u"100"_s);
    const QCommandLineOption rate(u"rate"_s, u"Messages published per second."_s, u"n"_s, u"1000"_s);
    const QCommandLineOption duration(u"duration"_s, u"Seconds of publishing."_s, u"s"_s, u"10"_s);
    const QCommandLineOption payload(u"payload"_s, u"Payload padding in bytes."_s, u"bytes"_s, u"200"_s);
    const QCommandLineOption compression(u"compression"_s, u"Subscribers ask for compressed pushes (?compression=deflate)."_s);
    const QCommandLineOption ticks(u"ticks"_s, u"Publish demo market ticks (realistic digits) instead of padding."_s);
    const QCommandLineOption latencySample(u"latency-sample"_s,
                                           u"Every Nth subscriber parses frames for latency (all count deliveries)."_s,
                                           u"n"_s, u"1"_s);
    parser.addOptions({url, apiKey, channel, clients, rate, duration, payload, compression, ticks, latencySample});
    parser.process(app);

    LoadRun::Options options;
    options.url = QUrl(parser.value(url));
    options.apiKey = parser.value(apiKey);
    options.channel = parser.value(channel);
    options.clients = parser.value(clients).toInt();
    options.rate = parser.value(rate).toInt();
    options.durationSec = parser.value(duration).toInt();
    options.payloadBytes = parser.value(payload).toInt();
    options.compression = parser.isSet(compression);
    options.ticks = parser.isSet(ticks);
    options.latencySample = std::max(1, parser.value(latencySample).toInt());

    LoadRun run(options);
    QObject::connect(&run, &LoadRun::finished, &app, [](const QString &report) {
        std::printf("%s\n", qPrintable(report));
        QCoreApplication::quit();
    });
    run.start();
    return QCoreApplication::exec();
}

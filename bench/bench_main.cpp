#include "ConnectRun.h"
#include "LoadRun.h"
#include "eventloop/EventLoopChoice.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

#include <cstdio>

using namespace Qt::Literals::StringLiterals;

namespace {

int toInt(const QCommandLineParser &parser, const QCommandLineOption &option)
{
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < 0) {
        std::fprintf(stderr, "--%s: '%s' is not a non-negative number\n", qPrintable(option.names().constFirst()),
                     qPrintable(parser.value(option)));
        std::exit(2);
    }
    return value;
}

} // namespace

int main(int argc, char *argv[])
{
    // The generator holds as many sockets as the server: on Qt's poll
    // dispatcher it would pay O(sockets) per loop turn itself.
    const auto eventLoop = QuantPush::EventLoopChoice::parse(QuantPush::EventLoopChoice::fromArguments(argc, argv));
    QuantPush::EventLoopChoice::installForMainThread(eventLoop.value_or(QuantPush::EventLoopKind::Epoll));
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"QuantPush load generator. fanout: N subscribers (plus idle ones), one admin "
                                     "publisher at a fixed rate or with a window; connect: connects/s and server "
                                     "RSS per idle subscribed connection."_s);
    parser.addHelpOption();
    const QCommandLineOption mode(u"mode"_s, u"fanout or connect."_s, u"mode"_s, u"fanout"_s);
    const QCommandLineOption url(u"url"_s, u"Server URL."_s, u"url"_s, u"ws://127.0.0.1:8765/ws"_s);
    const QCommandLineOption apiKey(u"api-key"_s, u"API key of an admin (publisher)."_s, u"key"_s);
    const QCommandLineOption channel(u"channel"_s, u"Channel to publish on."_s, u"name"_s, u"strategy_status"_s);
    const QCommandLineOption clients(u"clients"_s, u"Subscribers."_s, u"n"_s, u"100"_s);
    const QCommandLineOption rate(u"rate"_s, u"Messages published per second."_s, u"n"_s, u"1000"_s);
    const QCommandLineOption window(u"window"_s, u"Max-throughput mode: messages in flight (0: fixed rate)."_s,
                                    u"n"_s, u"0"_s);
    const QCommandLineOption duration(u"duration"_s, u"Seconds of publishing."_s, u"s"_s, u"10"_s);
    const QCommandLineOption payload(u"payload"_s, u"Payload padding in bytes."_s, u"bytes"_s, u"200"_s);
    const QCommandLineOption idle(u"idle"_s, u"Idle subscribed connections beside the subscribers."_s, u"n"_s, u"0"_s);
    const QCommandLineOption idleChannel(u"idle-channel"_s, u"Channel the idle connections subscribe to."_s,
                                         u"name"_s, u"trading_signals"_s);
    const QCommandLineOption concurrency(u"concurrency"_s, u"Handshakes in flight while connecting."_s, u"n"_s,
                                         u"256"_s);
    const QCommandLineOption serverPid(u"server-pid"_s, u"Server process, for its CPU and RSS."_s, u"pid"_s, u"0"_s);
    const QCommandLineOption eventLoopOption(u"event-loop"_s, u"The generator's own dispatcher: epoll or poll."_s,
                                             u"kind"_s, u"epoll"_s);
    const QCommandLineOption compression(u"compression"_s,
                                         u"Subscribers ask for compressed pushes (?compression=deflate)."_s);
    const QCommandLineOption ticks(u"ticks"_s, u"Publish demo market ticks (realistic digits) instead of padding."_s);
    const QCommandLineOption latencySample(u"latency-sample"_s,
                                           u"Every Nth subscriber records latencies (all count deliveries)."_s,
                                           u"n"_s, u"1"_s);
    parser.addOptions({mode, url, apiKey, channel, clients, rate, window, duration, payload, idle, idleChannel,
                       concurrency, serverPid, eventLoopOption, compression, ticks, latencySample});
    parser.process(app);
    if (!eventLoop && parser.isSet(eventLoopOption)) {
        std::fprintf(stderr, "--event-loop: '%s' is not one of epoll, poll\n", qPrintable(parser.value(eventLoopOption)));
        return 2;
    }

    const auto print = [](const QString &report) {
        std::printf("%s\n", qPrintable(report));
        QCoreApplication::quit();
    };
    if (parser.value(mode) == u"connect"_s) {
        ConnectRun::Options options;
        options.url = QUrl(parser.value(url));
        options.channel = parser.value(channel);
        options.clients = toInt(parser, clients);
        options.concurrency = qMax(1, toInt(parser, concurrency));
        options.serverPid = toInt(parser, serverPid);
        auto *run = new ConnectRun(options, &app);
        QObject::connect(run, &ConnectRun::finished, &app, print);
        run->start();
        return QCoreApplication::exec();
    }
    if (parser.value(mode) != u"fanout"_s) {
        std::fprintf(stderr, "--mode: '%s' is not one of fanout, connect\n", qPrintable(parser.value(mode)));
        return 2;
    }
    LoadRun::Options options;
    options.url = QUrl(parser.value(url));
    options.apiKey = parser.value(apiKey);
    options.channel = parser.value(channel);
    options.clients = qMax(1, toInt(parser, clients));
    options.rate = toInt(parser, rate);
    options.window = toInt(parser, window);
    options.durationSec = toInt(parser, duration);
    options.payloadBytes = toInt(parser, payload);
    options.idle = toInt(parser, idle);
    options.idleChannel = parser.value(idleChannel);
    options.concurrency = qMax(1, toInt(parser, concurrency));
    options.serverPid = toInt(parser, serverPid);
    options.compression = parser.isSet(compression);
    options.ticks = parser.isSet(ticks);
    options.latencySample = qMax(1, toInt(parser, latencySample));
    auto *run = new LoadRun(options, &app);
    QObject::connect(run, &LoadRun::finished, &app, print);
    run->start();
    return QCoreApplication::exec();
}

// quantpush-deflate-bench: libdeflate against zlib on the buffers the server
// compresses (docs/benchmarks.md, "Compression: which library").
//
// The inputs are what a compressed connection receives: market_data push
// frames and batch frames of 20 and 100 ticks, built from the demo feed's
// random walk (realistic prices, not padding), serialised exactly as the
// broadcaster does. Each library compresses every input as one whole buffer
// (raw DEFLATE, no header, no context kept between buffers), the way the
// server must: zlib through one reused z_stream (deflateReset per buffer, its
// fastest one-shot use), libdeflate through one reused compressor. Time is
// this thread's CPU time, so other processes on the machine do not inflate it.
#include "demo/RandomWalk.h"
#include "protocol/Message.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>

#include <libdeflate.h>
#include <zlib.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace Qt::Literals::StringLiterals;
using namespace QuantPush;

namespace {

double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

struct Input
{
    const char *name;
    QByteArray json;
};

// Ticks of the demo's five symbols, one push each, seq and ts as the server stamps them.
QList<Input> makeInputs(int symbols)
{
    QStringList names {u"BTCUSDT"_s, u"ETHUSDT"_s, u"SOLUSDT"_s, u"BNBUSDT"_s, u"XRPUSDT"_s, u"ADAUSDT"_s,
                       u"DOGEUSDT"_s, u"AVAXUSDT"_s, u"DOTUSDT"_s, u"LINKUSDT"_s};
    names = names.mid(0, symbols);
    RandomWalk walk(names, 7);
    qint64 seq = 1000;
    qint64 ts = 1764600000000000;
    auto nextPush = [&] {
        const MarketTick tick = walk.step(names.at(int(seq % names.size())));
        ts += 997;
        return Message::push(SubscriptionType::MarketData, ++seq, ts, tick.toJson());
    };
    auto batchOf = [&](int count) {
        QJsonArray items;
        for (int i = 0; i < count; ++i)
            items.append(nextPush().toJson());
        Message batch(MessageType::Batch, items);
        batch.setChannel(SubscriptionType::MarketData);
        return batch.serialize();
    };
    return {
        {"push (1 tick)", nextPush().serialize()},
        {"batch of 20 ticks", batchOf(20)},
        {"batch of 100 ticks", batchOf(100)},
    };
}

struct Result
{
    qsizetype outBytes = 0;
    double compressMBps = 0;   // of input, per second of CPU
    double decompressMBps = 0; // of output (the JSON), per second of CPU
};

// Runs `work` until about `seconds` of CPU have passed; returns CPU seconds per call.
double perCall(const std::function<void()> &work, double seconds)
{
    work(); // warm up
    int calls = 0;
    const double start = threadCpuSeconds();
    double elapsed = 0;
    while (elapsed < seconds) {
        for (int i = 0; i < 16; ++i)
            work();
        calls += 16;
        elapsed = threadCpuSeconds() - start;
    }
    return elapsed / calls;
}

Result measureZlib(const QByteArray &input, int level, double seconds)
{
    z_stream deflater {};
    deflateInit2(&deflater, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    std::vector<unsigned char> out(deflateBound(&deflater, uLong(input.size())));
    qsizetype outBytes = 0;
    const double compressCost = perCall([&] {
        deflateReset(&deflater);
        deflater.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.constData()));
        deflater.avail_in = uInt(input.size());
        deflater.next_out = out.data();
        deflater.avail_out = uInt(out.size());
        if (deflate(&deflater, Z_FINISH) != Z_STREAM_END)
            std::abort();
        outBytes = qsizetype(out.size() - deflater.avail_out);
    }, seconds);
    deflateEnd(&deflater);

    z_stream inflater {};
    inflateInit2(&inflater, -15);
    std::vector<unsigned char> back(std::size_t(input.size()));
    const double decompressCost = perCall([&] {
        inflateReset(&inflater);
        inflater.next_in = out.data();
        inflater.avail_in = uInt(outBytes);
        inflater.next_out = back.data();
        inflater.avail_out = uInt(back.size());
        if (inflate(&inflater, Z_FINISH) != Z_STREAM_END)
            std::abort();
    }, seconds);
    inflateEnd(&inflater);
    if (QByteArrayView(reinterpret_cast<const char *>(back.data()), qsizetype(back.size())) != input)
        std::abort();
    return {outBytes, double(input.size()) / compressCost / 1e6, double(input.size()) / decompressCost / 1e6};
}

Result measureLibdeflate(const QByteArray &input, int level, double seconds)
{
    libdeflate_compressor *compressor = libdeflate_alloc_compressor(level);
    std::vector<char> out(libdeflate_deflate_compress_bound(compressor, std::size_t(input.size())));
    qsizetype outBytes = 0;
    const double compressCost = perCall([&] {
        outBytes = qsizetype(libdeflate_deflate_compress(compressor, input.constData(), std::size_t(input.size()),
                                                         out.data(), out.size()));
        if (outBytes == 0)
            std::abort();
    }, seconds);
    libdeflate_free_compressor(compressor);

    libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor();
    std::vector<char> back(std::size_t(input.size()));
    const double decompressCost = perCall([&] {
        std::size_t produced = 0;
        if (libdeflate_deflate_decompress(decompressor, out.data(), std::size_t(outBytes), back.data(), back.size(),
                                          &produced) != LIBDEFLATE_SUCCESS)
            std::abort();
    }, seconds);
    libdeflate_free_decompressor(decompressor);
    if (QByteArrayView(back.data(), qsizetype(back.size())) != input)
        std::abort();
    return {outBytes, double(input.size()) / compressCost / 1e6, double(input.size()) / decompressCost / 1e6};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"libdeflate vs zlib on QuantPush market_data frames (one-shot buffers)."_s);
    parser.addHelpOption();
    const QCommandLineOption seconds(u"seconds"_s, u"CPU seconds per measurement."_s, u"s"_s, u"0.3"_s);
    const QCommandLineOption symbols(u"symbols"_s, u"Symbols in the feed (1-10)."_s, u"n"_s, u"5"_s);
    parser.addOptions({seconds, symbols});
    parser.process(app);
    const double budget = parser.value(seconds).toDouble();

    std::printf("| input | JSON bytes | library | level | deflated bytes | ratio | compress MB/s | inflate MB/s |\n"
                "|---|---:|---|---:|---:|---:|---:|---:|\n");
    for (const Input &input : makeInputs(qBound(1, parser.value(symbols).toInt(), 10))) {
        auto row = [&](const char *library, int level, const Result &r) {
            std::printf("| %s | %lld | %s | %d | %lld | %.2f | %.0f | %.0f |\n", input.name,
                        static_cast<long long>(input.json.size()), library, level,
                        static_cast<long long>(r.outBytes), double(input.json.size()) / double(r.outBytes),
                        r.compressMBps, r.decompressMBps);
        };
        for (int level : {1, 6})
            row("zlib", level, measureZlib(input.json, level, budget));
        for (int level : {1, 4, 6})
            row("libdeflate", level, measureLibdeflate(input.json, level, budget));
    }
    return 0;
}

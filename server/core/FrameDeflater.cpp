#include "FrameDeflater.h"

#include "Metrics.h"

#include <QtCore/QUrlQuery>

#include <libdeflate.h>

#include <ctime>
#include <memory>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

struct CompressorDeleter
{
    void operator()(libdeflate_compressor *compressor) const { libdeflate_free_compressor(compressor); }
};

// A libdeflate compressor may not be used by two threads at once; one per
// thread also keeps its tables warm between frames.
libdeflate_compressor *threadCompressor()
{
    thread_local std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
        libdeflate_alloc_compressor(FrameDeflater::Level));
    return compressor.get();
}

// CPU time of this thread: the cost of compressing, not of being descheduled.
double threadCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) / 1e9;
}

} // namespace

FrameDeflater::Request FrameDeflater::requestOf(const QUrl &url, QString *value)
{
    const QUrlQuery query(url);
    if (!query.hasQueryItem(u"compression"_s))
        return Request::None;
    const QString asked = query.queryItemValue(u"compression"_s, QUrl::FullyDecoded);
    if (value)
        *value = asked;
    if (asked == u"deflate"_s)
        return Request::Deflate;
    if (asked == u"none"_s)
        return Request::None;
    return Request::Unknown;
}

FrameDeflater::Negotiation FrameDeflater::negotiate(const QUrl &url, bool enabled)
{
    QString asked;
    switch (requestOf(url, &asked)) {
    case Request::Deflate:
        return Negotiation {enabled, {}};
    case Request::Unknown:
        // Not fatal: the connection works, with text frames, and says why.
        return Negotiation {false, u"compression \"%1\" is not supported (deflate or none); frames stay text"_s
                                       .arg(asked.left(32))};
    case Request::None:
        break;
    }
    return {};
}

FrameDeflater::FrameDeflater(qsizetype minBytes, Metrics *metrics)
    : m_minBytes(minBytes), m_metrics(metrics)
{
}

QByteArray FrameDeflater::deflate(QByteArrayView payload) const
{
    const double start = threadCpuSeconds();
    libdeflate_compressor *compressor = threadCompressor();
    QByteArray out(qsizetype(libdeflate_deflate_compress_bound(compressor, std::size_t(payload.size()))),
                   Qt::Uninitialized);
    const std::size_t written = libdeflate_deflate_compress(compressor, payload.data(), std::size_t(payload.size()),
                                                            out.data(), std::size_t(out.size()));
    // The bound always suffices; zero would mean a libdeflate bug, and an
    // empty stream would still inflate to nothing rather than to garbage.
    Q_ASSERT(written > 0);
    out.truncate(qsizetype(written)); // the caller copies it behind a frame header
    if (m_metrics)
        m_metrics->frameCompressed(payload.size(), out.size(), threadCpuSeconds() - start);
    return out;
}

} // namespace QuantPush

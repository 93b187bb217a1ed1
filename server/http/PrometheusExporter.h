#pragma once

#include "Metrics.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

namespace QuantPush {

// Renders the metrics registry in the Prometheus text exposition format
// 0.0.4: names prefixed quantpush_, base units (seconds, bytes), counters
// ending in _total, histograms as cumulative _bucket{le}/_sum/_count, every
// family with its HELP and TYPE. docs/operations.md lists every family.
class PrometheusExporter
{
public:
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";
    // At most this many remote networks get their own series; the rest are
    // summed under network="other", so a botnet cannot explode the series count.
    static constexpr int MaxNetworkSeries = 50;

    static QByteArray render(const Metrics &metrics, const Metrics::Gauges &gauges);
    // The node and, with Redis, the cluster view (WebSocketManager::statsJson()["broker"]).
    static QByteArray renderBroker(const QJsonObject &broker);
};

} // namespace QuantPush

#pragma once

#include "AlertEngine.h"
#include "protocol/Filter.h"

#include <QtCore/QObject>

class QTimer;

namespace QuantPush {

class WebSocketManager;

// The admin stream on system_monitor: once a second the stats (the body of
// GET /websocket/stats) as {"kind":"stats","key":"server_stats","stats":{..}},
// and every alert change as {"kind":"alert","key":..,"alert":{..}}. Both go to
// admin sessions only (a recipient filter on the session's role), through the
// channel's own strategy so the channel's seq order holds. The keys matter
// under rate_limited coalescing: stats never replace the demo feed's
// "process" samples, and each alert has a key of its own so none is lost.
class AdminStatsStream : public QObject
{
    Q_OBJECT
public:
    static constexpr int IntervalMs = 1000;
    static constexpr QLatin1StringView StatsKey { "server_stats" };

    AdminStatsStream(WebSocketManager *manager, AlertEngine *alerts = nullptr, QObject *parent = nullptr);

    // Publishes the stats now, unless nobody subscribes to system_monitor.
    void publishStats();
    void publishAlert(const QuantPush::AlertTransition &transition);

private:
    static Filter adminsOnly(const ServerConfig &config);

    WebSocketManager *m_manager;
    Filter m_admins;
    QTimer *m_timer;
    quint64 m_alertCount = 0;
};

} // namespace QuantPush

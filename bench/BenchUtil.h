#pragma once

#include <QtCore/QString>
#include <QtCore/QStringView>
#include <QtCore/QUrl>

#include <functional>
#include <vector>

class QObject;
class QWebSocket;

// Helpers shared by the load generator's modes.
namespace Bench {

qint64 nowUs(); // wall clock, the same clock the server stamps `ts` with
// q-quantile of an ascending vector (nearest rank below).
double percentile(const std::vector<double> &sorted, double q);
long rssKb(qint64 pid = 0); // VmRSS of pid (0: this process), 0 when unknown
double cpuSeconds(qint64 pid); // user + system CPU seconds of pid so far, -1 when unknown

// Opens a subscriber: on welcome (or auth_required) it subscribes to
// channel; onSubscribed once subscribed, onPush for every later text frame.
QWebSocket *openSubscriber(QObject *owner, const QUrl &url, const QString &channel,
                           std::function<void()> onSubscribed, std::function<void(const QString &)> onPush);

// The `ts` of a push, found without a JSON parse (the generator must stay
// cheaper per message than the server it measures); -1 when absent.
qint64 fieldInteger(QStringView text, QStringView key);

} // namespace Bench

#include "BenchUtil.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtWebSockets/QWebSocket>

#include <chrono>
#include <cstdio>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace Bench {

qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

double percentile(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    return sorted[std::size_t(q * double(sorted.size() - 1))];
}

long rssKb(qint64 pid)
{
    const QString path = pid > 0 ? u"/proc/%1/status"_s.arg(pid) : u"/proc/self/status"_s;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLong();
    }
    return 0;
}

double cpuSeconds(qint64 pid)
{
    QFile file(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !file.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = file.readAll();
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    return double(fields[11].toLongLong() + fields[12].toLongLong()) / double(sysconf(_SC_CLK_TCK));
}

QWebSocket *openSubscriber(QObject *owner, const QUrl &url, const QString &channel,
                           std::function<void()> onSubscribed, std::function<void(const QString &)> onPush)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, owner);
    const QString subscribe = QString::fromUtf8(QJsonDocument(QJsonObject {
        {u"type"_s, u"subscribe"_s}, {u"data"_s, QJsonObject {{u"type"_s, channel}}}}).toJson(QJsonDocument::Compact));
    auto subscribed = std::make_shared<bool>(false);
    QObject::connect(socket, &QWebSocket::textMessageReceived, owner,
                     [socket, subscribe, subscribed, onSubscribed = std::move(onSubscribed),
                      onPush = std::move(onPush)](const QString &text) {
        if (*subscribed) {
            onPush(text);
        } else if (text.startsWith(u"{\"data\":{\"auth_required\""_s) || text.contains(u"\"type\":\"welcome\""_s)) {
            socket->sendTextMessage(subscribe);
        } else if (text.contains(u"\"type\":\"subscribed\""_s)) {
            *subscribed = true;
            onSubscribed();
        }
    });
    socket->open(url);
    return socket;
}

qint64 fieldInteger(QStringView text, QStringView key)
{
    // Pushes put seq and ts at the top level before data; a payload with the
    // same key inside data comes later, so the first match is the push's own.
    const qsizetype at = text.indexOf(key);
    if (at < 0)
        return -1;
    qsizetype i = at + key.size();
    qint64 value = 0;
    bool any = false;
    for (; i < text.size() && text[i].isDigit(); ++i) {
        value = value * 10 + text[i].digitValue();
        any = true;
    }
    return any ? value : -1;
}

} // namespace Bench

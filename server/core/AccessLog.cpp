#include "AccessLog.h"

#include "Logging.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QMutex>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <thread>
#include <utility>
#include <unistd.h>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

struct AccessLog::Private
{
    QString path;
    int fd = -1;
    QtMessageHandler previous = nullptr;
    bool installed = false;
    std::chrono::milliseconds flushInterval;
    qsizetype maxPendingBytes;

    // Shared by the handler (any thread) and the writer thread.
    std::mutex mutex;
    std::condition_variable wake;
    QByteArray pending;
    quint64 droppedSinceBatch = 0;
    std::atomic<quint64> droppedTotal {0};
    bool stopping = false;
    std::thread writer;

    void append(const QByteArray &line);
    void run();
    void writeBatch(const QByteArray &batch);
};

namespace {

// The handler is a plain function: it finds the open log through this.
QMutex g_mutex;
AccessLog::Private *g_active = nullptr;

QLatin1StringView levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg: return "debug"_L1;
    case QtInfoMsg: return "info"_L1;
    case QtWarningMsg: return "warning"_L1;
    case QtCriticalMsg: return "critical"_L1;
    case QtFatalMsg: return "fatal"_L1;
    }
    return "info"_L1;
}

QByteArray formatLine(QLatin1StringView level, const QString &message)
{
    return (QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' ' + level + u' ' + message + u'\n')
        .toUtf8();
}

void accessLogHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker locker(&g_mutex);
        if (!g_active)
            return;
        previous = g_active->previous;
        if (context.category && qstrcmp(context.category, lcAccess().categoryName()) == 0)
            g_active->append(formatLine(levelName(type), message));
    }
    if (previous)
        previous(type, context, message);
}

} // namespace

void AccessLog::Private::append(const QByteArray &line)
{
    std::lock_guard lock(mutex);
    if (pending.size() + line.size() > maxPendingBytes) {
        ++droppedSinceBatch;
        droppedTotal.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    pending.append(line);
}

void AccessLog::Private::run()
{
    std::unique_lock lock(mutex);
    for (;;) {
        wake.wait_for(lock, flushInterval, [this] { return stopping; });
        QByteArray batch;
        batch.swap(pending);
        const quint64 dropped = std::exchange(droppedSinceBatch, 0);
        const bool last = stopping;
        lock.unlock();
        if (dropped > 0) {
            const QString notice = u"%1 access-log lines dropped: the log file could not keep up"_s.arg(dropped);
            batch.append(formatLine("warning"_L1, notice));
            // Not in the access category: this goes to stderr only, and
            // takes none of our locks on the way.
            qCWarning(lcServer).noquote() << notice;
        }
        if (!batch.isEmpty())
            writeBatch(batch);
        if (last)
            return;
        lock.lock();
    }
}

void AccessLog::Private::writeBatch(const QByteArray &batch)
{
    const char *data = batch.constData();
    qsizetype left = batch.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0) {
            qCWarning(lcServer).noquote() << "access log" << path << "write failed:" << std::strerror(errno) << "-"
                                          << left << "bytes lost";
            return;
        }
        data += written;
        left -= written;
    }
}

AccessLog::AccessLog(int flushIntervalMs, qsizetype maxPendingBytes) : d(std::make_unique<Private>())
{
    d->flushInterval = std::chrono::milliseconds(flushIntervalMs);
    d->maxPendingBytes = maxPendingBytes;
}

AccessLog::~AccessLog()
{
    if (!d->installed)
        return;
    {
        // No more lines after this, so the last batch below is complete.
        QMutexLocker locker(&g_mutex);
        qInstallMessageHandler(d->previous);
        g_active = nullptr;
    }
    {
        std::lock_guard lock(d->mutex);
        d->stopping = true;
    }
    d->wake.notify_one();
    d->writer.join();
    ::close(d->fd);
}

bool AccessLog::open(const QString &path, QString *error)
{
    if (path.isEmpty())
        return true;
    if (d->installed) {
        *error = u"logging.access_log_file: already open"_s;
        return false;
    }
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        *error = u"logging.access_log_file: cannot open %1: %2"_s.arg(path, QString::fromLocal8Bit(std::strerror(errno)));
        return false;
    }
    QMutexLocker locker(&g_mutex);
    if (g_active) {
        ::close(fd);
        *error = u"logging.access_log_file: another access log is already installed"_s;
        return false;
    }
    d->path = path;
    d->fd = fd;
    d->writer = std::thread([active = d.get()] { active->run(); });
    g_active = d.get();
    d->installed = true;
    d->previous = qInstallMessageHandler(accessLogHandler);
    return true;
}

bool AccessLog::isOpen() const
{
    return d->installed;
}

QString AccessLog::path() const
{
    return d->path;
}

quint64 AccessLog::droppedLines() const
{
    return d->droppedTotal.load(std::memory_order_relaxed);
}

} // namespace QuantPush

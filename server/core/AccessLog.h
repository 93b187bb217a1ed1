#pragma once

#include <QtCore/QString>

#include <memory>

namespace QuantPush {

// Sends the access log (category quantpush.access: connect, auth success and
// failure, denied requests, disconnect) to a file of its own as well, per
// logging.access_log_file. Installs a Qt message handler that queues those
// lines and passes every message on to the handler it replaced, so
// stderr/journald keep seeing everything. One instance at a time; the
// destructor restores the previous handler.
//
// The file is written by a thread of its own, one write(2) per batch every
// flushIntervalMs and at destruction (main's scope end, also after SIGTERM),
// so that a connection burst costs the event loop a formatted line and a
// lock, not a system call per line. The queue is bounded: lines that find it
// full (the disk cannot keep up) are dropped and counted, and the next batch
// says "N access-log lines dropped" in the file and on stderr.
class AccessLog
{
public:
    static constexpr int DefaultFlushIntervalMs = 100;
    static constexpr qsizetype DefaultMaxPendingBytes = 4 << 20;

    explicit AccessLog(int flushIntervalMs = DefaultFlushIntervalMs,
                       qsizetype maxPendingBytes = DefaultMaxPendingBytes);
    ~AccessLog();
    AccessLog(const AccessLog &) = delete;
    AccessLog &operator=(const AccessLog &) = delete;

    // Opens (appends to) the file and installs the handler. An empty path
    // does nothing and succeeds. False, with a message naming the config key,
    // when the file cannot be opened.
    bool open(const QString &path, QString *error);
    bool isOpen() const;
    QString path() const;
    // Lines dropped so far because the queue was full.
    quint64 droppedLines() const;

    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace QuantPush

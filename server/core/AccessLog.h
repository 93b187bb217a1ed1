#pragma once

#include <QtCore/QString>

#include <memory>

namespace QuantPush {

// Sends the access log (category quantpush.access: connect, auth success and
// failure, denied requests, disconnect) to a file of its own as well, per
// logging.access_log_file. Installs a Qt message handler that writes those
// lines to the file and passes every message on to the handler it replaced,
// so stderr/journald keep seeing everything. One instance at a time; the
// destructor restores the previous handler.
class AccessLog
{
public:
    AccessLog();
    ~AccessLog();
    AccessLog(const AccessLog &) = delete;
    AccessLog &operator=(const AccessLog &) = delete;

    // Opens (appends to) the file and installs the handler. An empty path
    // does nothing and succeeds. False, with a message naming the config key,
    // when the file cannot be opened.
    bool open(const QString &path, QString *error);
    bool isOpen() const;
    QString path() const;

    struct Private;

private:
    std::unique_ptr<Private> d;
};

} // namespace QuantPush

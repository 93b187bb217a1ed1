#include "AccessLog.h"

#include "Logging.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QMutex>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

struct AccessLog::Private
{
    QFile file;
    QtMessageHandler previous = nullptr;
    bool installed = false;
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

void accessLogHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker locker(&g_mutex);
        if (!g_active)
            return;
        previous = g_active->previous;
        if (context.category && qstrcmp(context.category, lcAccess().categoryName()) == 0) {
            const QString line = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' '
                + levelName(type) + u' ' + message + u'\n';
            g_active->file.write(line.toUtf8());
        }
    }
    if (previous)
        previous(type, context, message);
}

} // namespace

AccessLog::AccessLog() : d(std::make_unique<Private>()) { }

AccessLog::~AccessLog()
{
    if (!d->installed)
        return;
    QMutexLocker locker(&g_mutex);
    qInstallMessageHandler(d->previous);
    g_active = nullptr;
    d->file.close();
}

bool AccessLog::open(const QString &path, QString *error)
{
    if (path.isEmpty())
        return true;
    if (d->installed) {
        *error = u"logging.access_log_file: already open"_s;
        return false;
    }
    d->file.setFileName(path);
    // Unbuffered: every line reaches the file at once, even if the server dies.
    if (!d->file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered)) {
        *error = u"logging.access_log_file: cannot open %1: %2"_s.arg(path, d->file.errorString());
        return false;
    }
    QMutexLocker locker(&g_mutex);
    if (g_active) {
        d->file.close();
        *error = u"logging.access_log_file: another access log is already installed"_s;
        return false;
    }
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
    return d->file.fileName();
}

} // namespace QuantPush

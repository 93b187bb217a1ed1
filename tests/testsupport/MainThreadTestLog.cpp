// Compiled into every Qt Test executable of the project (QuantPushTest.cmake).
// Qt Test's logger is not thread-safe: a message from a server worker thread
// while the main thread moves between test functions read Qt Test's state
// half-changed and crashed tst_accounts once (SIGSEGV in
// QTestPrivate::generateTestIdentifier from SessionHost's access line).
// Messages from other threads are therefore handed to the main thread and
// logged there, in the order they were sent; fatal ones go through at once.
#include <QtCore/QCoreApplication>
#include <QtCore/QThread>
#include <QtCore/QTimer>

#include <cstdio>

namespace {

QtMessageHandler g_next = nullptr;

void logOnMainThread(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QCoreApplication *app = QCoreApplication::instance();
    if (type == QtFatalMsg || !app || QThread::currentThread() == app->thread()) {
        if (g_next)
            g_next(type, context, message);
        return;
    }
    // The context's strings are literals (file, function, category name):
    // the pointers stay valid after this call returns.
    const char *file = context.file;
    const char *function = context.function;
    const char *category = context.category;
    const int line = context.line;
    QMetaObject::invokeMethod(app, [type, file, function, category, line, message] {
        const QMessageLogContext copy(file, line, function, category);
        if (g_next)
            g_next(type, copy, message);
    }, Qt::QueuedConnection);
}

void installAfterQtTest()
{
    // Qt Test installs its own handler when the test starts running, after
    // the application object exists: this goes on top of it at the first
    // turn of the event loop.
    QTimer::singleShot(0, [] { g_next = qInstallMessageHandler(logOnMainThread); });
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(installAfterQtTest)

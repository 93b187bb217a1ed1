#pragma once

#include <QtCore/QProcess>
#include <QtCore/QStringList>

namespace QuantPush::Testing {

// Starts quantpush-server (`binary`, with `arguments`, merged output) and
// waits until it logs its listening line; returns the port it logged, or -1
// when it did not start or exited first. What it printed until then is
// appended to `output` when given.
int startServerProcess(QProcess &process, const QString &binary, const QStringList &arguments, int timeoutMs,
                       QByteArray *output = nullptr);

} // namespace QuantPush::Testing

#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>

#include <memory>

// Real processes for the cluster tests: redis-server, quantpush-server nodes
// and haproxy, each on a loopback port, each stopped by its PID.
namespace QuantPush::Testing {

// A port nothing listens on right now (bound to port 0 and released).
int freePort();
// Waits until something accepts TCP connections on 127.0.0.1:port.
bool waitForPort(int port, int timeoutMs);

class ManagedProcess
{
public:
    virtual ~ManagedProcess();
    void kill9();      // SIGKILL by PID
    void terminate();  // SIGTERM by PID, waits for the exit
    bool isRunning() const;
    QByteArray output();
    qint64 pid() const;

protected:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_output;
};

class RedisServer : public ManagedProcess
{
public:
    // No persistence: a restart is an empty Redis.
    bool start(int port);
    int port() const { return m_port; }
    QString url() const;

private:
    int m_port = 0;
};

class Node : public ManagedProcess
{
public:
    // `extraYaml` is appended to a config with the node's port, no auth
    // (anonymous clients are admins) and broker redis at `redisUrl`.
    bool start(const QString &binary, int port, const QString &redisUrl, const QString &nodeId,
               const QString &extraYaml = {});
    int port() const { return m_port; }
    QUrl wsUrl() const;
    QString configPath() const;

private:
    QTemporaryDir m_dir;
    int m_port = 0;
};

class HaProxy : public ManagedProcess
{
public:
    bool start(const QString &configFile, int port, const QList<int> &nodePorts);
    int port() const { return m_port; }
    QUrl wsUrl() const;

private:
    int m_port = 0;
};

} // namespace QuantPush::Testing

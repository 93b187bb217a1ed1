#include "ClusterKit.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QFile>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QTest>

#include <csignal>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::Testing {

int freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return -1;
    return server.serverPort();
}

bool waitForPort(int port, int timeoutMs)
{
    return QTest::qWaitFor([port] {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(port));
        return socket.waitForConnected(200);
    }, timeoutMs);
}

ManagedProcess::~ManagedProcess()
{
    if (isRunning())
        kill9();
}

void ManagedProcess::kill9()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGKILL);
    m_process->waitForFinished(5000);
}

void ManagedProcess::terminate()
{
    if (!isRunning())
        return;
    ::kill(pid_t(m_process->processId()), SIGTERM);
    (void)QTest::qWaitFor([this] { return !isRunning(); }, 15000);
    if (isRunning())
        kill9();
}

bool ManagedProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QByteArray ManagedProcess::output()
{
    if (m_process)
        m_output += m_process->readAll();
    return m_output;
}

qint64 ManagedProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

bool RedisServer::start(int port)
{
    m_port = port;
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(u"redis-server"_s, {u"--port"_s, QString::number(port), u"--bind"_s, u"127.0.0.1"_s,
                                         u"--save"_s, u""_s, u"--appendonly"_s, u"no"_s, u"--protected-mode"_s,
                                         u"no"_s});
    if (!m_process->waitForStarted(5000))
        return false;
    // Ours only while haproxy runs: when its bind failed, whatever else took
    // the port may be what answers.
    return waitForPort(port, 10000) && m_process->state() == QProcess::Running;
}

QString RedisServer::url() const
{
    return u"redis://127.0.0.1:%1/0"_s.arg(m_port);
}

bool Node::start(const QString &binary, int port, const QString &redisUrl, const QString &nodeId,
                 const QString &extraYaml)
{
    m_port = port;
    QFile config(configPath());
    if (!config.open(QIODevice::WriteOnly))
        return false;
    const QString yaml = u"websocket:\n  host: 127.0.0.1\n  port: %1\n  auth_required: false\n"
                         "auth:\n  anonymous_role: admin\n"
                         "broker:\n  type: redis\n  url: \"%2\"\n  node_id: %3\n  timeout_ms: 1000\n"
                         "  heartbeat_interval_ms: 200\n%4"_s.arg(port).arg(redisUrl, nodeId, extraYaml);
    config.write(yaml.toUtf8());
    config.close();
    m_output.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    // The worker count the rest of the suite runs with (tests/testsupport).
    const QString workers = qEnvironmentVariableIsSet("QUANTPUSH_TEST_WORKER_THREADS")
        ? qEnvironmentVariable("QUANTPUSH_TEST_WORKER_THREADS")
        : u"1"_s;
    m_process->start(binary, {u"--config"_s, configPath(), u"--worker-threads"_s, workers});
    if (!m_process->waitForStarted(5000))
        return false;
    return QTest::qWaitFor([this] { return output().contains("listening on") || !isRunning(); }, 20000)
        && isRunning();
}

QString Node::configPath() const
{
    return m_dir.filePath(u"node.yaml"_s);
}

QUrl Node::wsUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_port));
}

bool HaProxy::start(const QString &configFile, int port, const QList<int> &nodePorts)
{
    m_port = port;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"QP_BIND"_s, u"127.0.0.1:%1"_s.arg(port));
    for (int i = 0; i < nodePorts.size(); ++i)
        environment.insert(u"QP_NODE%1"_s.arg(i + 1), u"127.0.0.1:%1"_s.arg(nodePorts.at(i)));
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->start(u"haproxy"_s, {u"-db"_s, u"-f"_s, configFile});
    if (!m_process->waitForStarted(5000))
        return false;
    // Ours only while haproxy runs: when its bind failed, whatever else took
    // the port may be what answers.
    return waitForPort(port, 10000) && m_process->state() == QProcess::Running;
}

QUrl HaProxy::wsUrl() const
{
    return QUrl(u"ws://127.0.0.1:%1/ws"_s.arg(m_port));
}

} // namespace QuantPush::Testing

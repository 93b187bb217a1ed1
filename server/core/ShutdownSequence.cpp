#include "ShutdownSequence.h"

#include "Admission.h"
#include "FrontDoor.h"
#include "Logging.h"
#include "MessageBroadcaster.h"
#include "SessionWorkers.h"
#include "protocol/Protocol.h"

#include <QtCore/QTimer>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {
namespace {

constexpr int DrainPollMs = 20;

} // namespace

ShutdownSequence::ShutdownSequence(Admission *admission, FrontDoor *frontDoor, MessageBroadcaster *broadcaster,
                                   SessionWorkers *sessions, int drainMs, QObject *parent)
    : QObject(parent)
    , m_admission(admission)
    , m_frontDoor(frontDoor)
    , m_broadcaster(broadcaster)
    , m_sessions(sessions)
    , m_drainMs(drainMs)
{
}

void ShutdownSequence::start()
{
    if (m_started)
        return;
    m_started = true;
    qCInfo(lcServer) << "stopping: no new connections, flushing queues";
    m_admission->stopAccepting();
    m_frontDoor->close();
    m_broadcaster->flushAll();

    auto *deadline = new QTimer(this);
    deadline->setSingleShot(true);
    deadline->start(m_drainMs);
    auto *poll = new QTimer(this);
    poll->start(DrainPollMs);
    connect(poll, &QTimer::timeout, this, [this, poll, deadline] {
        if (!m_sessions->allDrained() && deadline->isActive())
            return;
        poll->deleteLater();
        deadline->deleteLater();
        closeEveryone();
    });
}

void ShutdownSequence::closeEveryone()
{
    qCInfo(lcServer) << "closing" << m_sessions->count() << "connections with 1001";
    m_sessions->closeAll(CloseCode::GoingAway, u"server shutting down"_s);
    if (m_sessions->count() == 0) {
        Q_EMIT finished();
        return;
    }
    connect(m_sessions, &SessionWorkers::sessionClosed, this, [this] {
        if (m_sessions->count() == 0)
            Q_EMIT finished();
    });
}

} // namespace QuantPush

#include "eventloop/EventLoopChoice.h"

#include "eventloop/EpollEventDispatcher.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QThread>

#include <cstring>

using namespace Qt::Literals::StringLiterals;

namespace QuantPush::EventLoopChoice {

EventLoopKind defaultKind()
{
    return EventLoopKind::Epoll;
}

std::optional<EventLoopKind> parse(const QString &name)
{
    if (name == u"epoll"_s)
        return EventLoopKind::Epoll;
    if (name == u"poll"_s)
        return EventLoopKind::Poll;
    return std::nullopt;
}

QString name(EventLoopKind kind)
{
    return kind == EventLoopKind::Epoll ? u"epoll"_s : u"poll"_s;
}

QAbstractEventDispatcher *createDispatcher(EventLoopKind kind)
{
    if (kind == EventLoopKind::Epoll)
        return new EpollEventDispatcher;
    return nullptr;
}

QString fromArguments(int argc, char **argv)
{
    static constexpr char flag[] = "--event-loop";
    const size_t flagLength = std::strlen(flag);
    for (int i = 1; i < argc; ++i) {
        const char *arg = argv[i];
        if (std::strcmp(arg, flag) == 0)
            return i + 1 < argc ? QString::fromLocal8Bit(argv[i + 1]) : QString();
        if (std::strncmp(arg, flag, flagLength) == 0 && arg[flagLength] == '=')
            return QString::fromLocal8Bit(arg + flagLength + 1);
    }
    return {};
}

void installForMainThread(EventLoopKind kind)
{
    if (QAbstractEventDispatcher *dispatcher = createDispatcher(kind))
        QCoreApplication::setEventDispatcher(dispatcher);
}

void installForThread(QThread *thread, EventLoopKind kind)
{
    if (QAbstractEventDispatcher *dispatcher = createDispatcher(kind))
        thread->setEventDispatcher(dispatcher);
}

} // namespace QuantPush::EventLoopChoice

#include "Broker.h"

#include "LocalBroker.h"
#include "RedisBroker.h"

using namespace Qt::Literals::StringLiterals;

namespace QuantPush {

QJsonObject Broker::health() const
{
    return QJsonObject {{u"status"_s, u"ok"_s}};
}

std::unique_ptr<Broker> createBroker(const ServerConfig &config)
{
    if (config.broker.type == u"redis"_s)
        return std::make_unique<RedisBroker>(config);
    return std::make_unique<LocalBroker>(config);
}

} // namespace QuantPush

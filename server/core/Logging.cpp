#include "Logging.h"

Q_LOGGING_CATEGORY(lcServer, "quantpush.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConnection, "quantpush.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSubscription, "quantpush.subscription", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBroadcast, "quantpush.broadcast", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "quantpush.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "quantpush.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBroker, "quantpush.broker", QtInfoMsg)

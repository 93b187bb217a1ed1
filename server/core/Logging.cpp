#include "Logging.h"

Q_LOGGING_CATEGORY(lcServer, "quantpush.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConnection, "quantpush.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSubscription, "quantpush.subscription", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBroadcast, "quantpush.broadcast", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccess, "quantpush.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "quantpush.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcBroker, "quantpush.broker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAdmission, "quantpush.admission", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuthFlow, "quantpush.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouter, "quantpush.router", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSessionHost, "quantpush.sessions", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWorkers, "quantpush.workers", QtInfoMsg)

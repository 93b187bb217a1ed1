#pragma once

#include <QtCore/QLoggingCategory>

// One category per component, so an operator can turn one up alone:
// QT_LOGGING_RULES="quantpush.broadcast.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcConnection)
Q_DECLARE_LOGGING_CATEGORY(lcSubscription)
Q_DECLARE_LOGGING_CATEGORY(lcBroadcast)
Q_DECLARE_LOGGING_CATEGORY(lcAccess)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
Q_DECLARE_LOGGING_CATEGORY(lcBroker)
Q_DECLARE_LOGGING_CATEGORY(lcAdmission)
Q_DECLARE_LOGGING_CATEGORY(lcAuthFlow)
Q_DECLARE_LOGGING_CATEGORY(lcRouter)
Q_DECLARE_LOGGING_CATEGORY(lcSessionHost)
Q_DECLARE_LOGGING_CATEGORY(lcWorkers)

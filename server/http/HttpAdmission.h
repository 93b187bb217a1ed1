#pragma once

#include <QtCore/QHash>
#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

namespace QuantPush {

// Counts HTTP requests in flight, in total and per client address, so one
// address cannot take every slot (http.max_connections,
// http.max_connections_per_ip). Requests answered from the head alone
// (/healthz, public /metrics, refusals) never take a slot.
class HttpAdmission
{
public:
    HttpAdmission(int maxTotal, int maxPerAddress) : m_maxTotal(maxTotal), m_maxPerAddress(maxPerAddress) { }

    // Takes a slot, or says why not (empty when admitted).
    QString admit(const QHostAddress &peer);
    void release(const QHostAddress &peer);
    int inFlight() const { return m_total; }

private:
    static QString keyOf(const QHostAddress &peer);

    int m_maxTotal;
    int m_maxPerAddress;
    int m_total = 0;
    QHash<QString, int> m_perAddress;
};

} // namespace QuantPush

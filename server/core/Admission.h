#pragma once

#include "OriginPolicy.h"
#include "config/ServerConfig.h"

#include <QtCore/QHash>
#include <QtCore/QMutex>
#include <QtCore/QString>
#include <QtNetwork/QHostAddress>

#include <optional>

namespace QuantPush {

// Who may hold a WebSocket connection: the connection count
// (websocket.max_connections, 1013 when full), the allowed browser origins
// and the per-address count (1008), and whether the server still accepts at
// all (1001 while shutting down). Each admitted connection holds a slot
// until release(). Thread-safe: every session host (one per worker thread)
// asks the same Admission, so the limits are the whole server's.
class Admission
{
public:
    struct Refusal
    {
        int code = 0;
        QString reason;
    };

    explicit Admission(const ServerConfig &config);

    // A refusal, or nullopt and the connection now holds a slot.
    std::optional<Refusal> admit(const QString &origin, const QHostAddress &peer);
    // The connection that admit() let in is gone.
    void release(const QHostAddress &peer);
    // A refused connection may wait out its close grace (holding its
    // descriptor) while fewer than the per-address limit from its address,
    // and fewer than limits.max_pending_handshakes in all, do: true, and it
    // is counted until releaseRefusal(). False: it closes without waiting.
    bool holdRefusal(const QHostAddress &peer);
    void releaseRefusal(const QHostAddress &peer);
    void stopAccepting();
    bool isAccepting() const;
    int admitted() const;

private:
    const int m_maxConnections;
    const int m_maxPerAddress;
    const int m_maxHeldRefusals;
    const OriginPolicy m_origins;
    mutable QMutex m_mutex;
    QHash<QString, int> m_perAddress;
    int m_admitted = 0;
    QHash<QString, int> m_heldRefusalsPerAddress;
    int m_heldRefusals = 0;
    bool m_accepting = true;
};

// The /24 (IPv4) or /48 (IPv6) network of `address`, as metrics label it.
QString networkOf(const QHostAddress &address);

} // namespace QuantPush

#pragma once

#include <vector>

namespace loadgen {

struct Endpoint;
struct Options;

// --mode connect: opens --clients subscribers (handshake, `welcome`,
// subscribe, `subscribed`) with --concurrency in flight, measures connects/s
// from the first connect to the last one settled, reads the server's RSS
// after --settle seconds with all of them open, closes them and prints one
// key=value line. Connections refused or closed before subscribing (say,
// 1013 at the server's limit) are counted as failed, not fatal. Returns the
// exit code.
int runConnectMode(const Options &options, const std::vector<Endpoint> &endpoints);

} // namespace loadgen

#pragma once

#include <string>

namespace loadgen {

// RFC 6455 section 4: a random 16-byte Sec-WebSocket-Key (base64) and the
// Sec-WebSocket-Accept the server must answer it with (base64 of the SHA-1 of
// key + GUID). Checking the answer means the generator talks to a real
// WebSocket server, not to whatever happens to answer HTTP on that port.
std::string makeWebSocketKey(unsigned seed);
std::string expectedAccept(const std::string &key);

// The building blocks of expectedAccept.
std::string sha1(const std::string &data);
std::string base64(const std::string &data);

} // namespace loadgen

#pragma once

#include <sys/socket.h>

#include <optional>
#include <string>

namespace loadgen {

// ws://host[:port][/path][?query]; only plain ws (the generator measures the
// server, not TLS). host is a name or an IPv4/IPv6 literal ([::1]).
struct Url
{
    std::string host;
    std::string port = "80";
    std::string target = "/"; // path and query, as sent in the request line
    std::string hostHeader;   // host[:port] for the Host header

    static std::optional<Url> parse(const std::string &text, std::string *error);
    // The same URL with `key=value` appended to the query.
    Url withQuery(const std::string &keyValue) const;
};

// A URL with its address looked up once, before thousands of connects.
struct Endpoint
{
    Url url;
    sockaddr_storage address {};
    socklen_t addressLength = 0;

    static std::optional<Endpoint> resolve(const Url &url, std::string *error);
};

} // namespace loadgen

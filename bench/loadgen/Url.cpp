#include "Url.h"

#include <netdb.h>

#include <cstring>

namespace loadgen {

std::optional<Url> Url::parse(const std::string &text, std::string *error)
{
    const std::string scheme = "ws://";
    if (text.compare(0, scheme.size(), scheme) != 0) {
        *error = "only ws:// URLs are supported: " + text;
        return std::nullopt;
    }
    Url url;
    const std::string rest = text.substr(scheme.size());
    const std::size_t slash = rest.find_first_of("/?");
    const std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos)
        url.target = rest[slash] == '/' ? rest.substr(slash) : "/" + rest.substr(slash);
    if (authority.empty()) {
        *error = "no host in " + text;
        return std::nullopt;
    }
    std::size_t portColon = std::string::npos;
    if (authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) {
            *error = "unterminated IPv6 literal in " + text;
            return std::nullopt;
        }
        url.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            portColon = close + 1;
    } else {
        portColon = authority.rfind(':');
        url.host = authority.substr(0, portColon);
    }
    if (portColon != std::string::npos) {
        url.port = authority.substr(portColon + 1);
        if (url.port.empty() || url.port.find_first_not_of("0123456789") != std::string::npos) {
            *error = "bad port in " + text;
            return std::nullopt;
        }
    }
    url.hostHeader = authority;
    return url;
}

Url Url::withQuery(const std::string &keyValue) const
{
    Url copy = *this;
    copy.target += (target.find('?') == std::string::npos ? "?" : "&") + keyValue;
    return copy;
}

std::optional<Endpoint> Endpoint::resolve(const Url &url, std::string *error)
{
    addrinfo hints {};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *result = nullptr;
    const int rc = getaddrinfo(url.host.c_str(), url.port.c_str(), &hints, &result);
    if (rc != 0 || !result) {
        *error = "cannot resolve " + url.host + ": " + gai_strerror(rc);
        return std::nullopt;
    }
    Endpoint endpoint;
    endpoint.url = url;
    std::memcpy(&endpoint.address, result->ai_addr, result->ai_addrlen);
    endpoint.addressLength = result->ai_addrlen;
    freeaddrinfo(result);
    return endpoint;
}

} // namespace loadgen

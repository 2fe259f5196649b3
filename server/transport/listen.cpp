// The listen address of the configuration; apart from the server, which the fuzz targets
// (built without it) do not need.
#include "server/transport/server.hpp"

#include <stdexcept>
#include <string>

namespace rencontres::http {

void parse_listen(const std::string& listen, std::string& host, unsigned short& port) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon + 1 == listen.size())
        throw std::invalid_argument("listen must be HOST:PORT, got '" + listen + "'");
    host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host == "localhost") host = "127.0.0.1";
    const auto port_text = listen.substr(colon + 1);
    unsigned long value = 0;
    try {
        std::size_t used = 0;
        value = std::stoul(port_text, &used);
        if (used != port_text.size()) throw std::invalid_argument("port");
    } catch (const std::exception&) {
        throw std::invalid_argument("listen port must be a number, got '" + port_text + "'");
    }
    if (value > 65535) throw std::invalid_argument("listen port must be at most 65535");
    port = static_cast<unsigned short>(value);
}

} // namespace rencontres::http

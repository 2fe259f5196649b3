// The request and response a handler sees: plain values, free of Beast, so that handlers, the
// router and the fuzz targets compile without the network headers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rencontres::http {

struct header {
    std::string name;
    std::string value;
};

bool iequals(std::string_view a, std::string_view b);

struct request {
    std::string method;                                     // "GET", "POST", ...
    std::string target;                                     // as received
    std::string path;                                       // percent-decoded path
    std::vector<std::pair<std::string, std::string>> query; // decoded parameters, in order
    std::vector<header> headers;
    std::string body;

    std::optional<std::string_view> header_value(std::string_view name) const;
    std::optional<std::string_view> query_value(std::string_view name) const;
    // The value of the first cookie of that name in the Cookie header.
    std::optional<std::string_view> cookie_value(std::string_view name) const;
    // True when the browser reached the site over HTTPS: its public address says so, or the
    // trusted reverse proxy in front of it does (X-Forwarded-Proto reaches handlers only from a
    // trusted proxy). Cookies are then Secure.
    bool over_https(std::string_view public_base_url) const;
};

// What a handler answers to open a stream of Server-Sent Events (server/transport/live.hpp): the
// channel, and the last id the listener has (its Last-Event-ID, or the channel's latest when it
// starts afresh). The response's head goes out, then the connection listens.
struct live_subscription {
    std::uint64_t channel = 0;
    std::int64_t after = 0;
};

struct response {
    int status = 200;
    std::vector<header> headers;
    std::string body;
    // Bytes kept elsewhere (a cached rendering), written without a copy; used instead of `body`.
    std::shared_ptr<const std::string> shared_body{};
    std::optional<live_subscription> live{};

    std::size_t body_size() const { return shared_body ? shared_body->size() : body.size(); }

    response& set(std::string name, std::string value);
    std::optional<std::string_view> header_value(std::string_view name) const;
};

// Splits a request target into decoded path and query; false when the target is malformed.
bool split_target(std::string_view target, std::string& path,
                  std::vector<std::pair<std::string, std::string>>& query);

} // namespace rencontres::http

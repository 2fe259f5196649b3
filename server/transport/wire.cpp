#include "server/transport/wire.hpp"

namespace rencontres::http {

request from_beast(boost::beast::http::request<boost::beast::http::string_body>& message) {
    request req;
    req.method = std::string(message.method_string());
    req.target = std::string(message.target());
    for (const auto& field : message)
        req.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    req.body = std::move(message.body());
    return req;
}

} // namespace rencontres::http

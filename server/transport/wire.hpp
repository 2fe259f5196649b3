// From Beast's parsed message to the plain request the dispatcher takes. The server and the
// full-request fuzz target both go through it, so that what is fuzzed is what is served.
#pragma once

#include "server/transport/message.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rencontres::http {

// Moves the method, target, headers and body out of `message`.
request from_beast(boost::beast::http::request<boost::beast::http::string_body>& message);

} // namespace rencontres::http

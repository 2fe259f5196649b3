// A browser as the console's tests need one: signs in through the form, keeps the session
// cookie, and posts forms with the session's token, as a page of the console would.
#pragma once

#include "support/test_server.hpp"

#include <string>
#include <utility>
#include <vector>

namespace rencontres::testing {

using form_pairs = std::vector<std::pair<std::string, std::string>>;

// application/x-www-form-urlencoded
std::string form_encode(const form_pairs& pairs);
// The value of the first `<input name="name" value="...">` of a page ("" if none).
std::string form_field(const std::string& html, const std::string& name);
// Whether the page holds `text`, its apostrophes written as the templates escape them.
bool page_has(const std::string& html, const std::string& text);
// The value of the cookie `rencontres_session` a reply sets ("" if none).
std::string session_cookie_of(const reply& r);

class console_client {
public:
    explicit console_client(unsigned short port) : port_(port) {}

    // Signs in through /connexion; the session is kept when it works (303).
    reply sign_in(const std::string& email, const std::string& password = "correct horse battery");
    reply get(const std::string& target) const;
    // Posts `pairs` with the session's form token (taken from /gestion) unless `csrf` is given.
    reply post(const std::string& target, form_pairs pairs, const header_list& extra = {});
    reply post_raw(const std::string& target, const std::string& body,
                   const header_list& extra = {}) const;
    // The session's form token, as the console's pages carry it.
    std::string token() const;

    std::string session;

private:
    unsigned short port_;
};

} // namespace rencontres::testing

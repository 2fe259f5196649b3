// The response every page is sent with (security headers, the layout, French error pages), on
// the templates of the render layer.
#pragma once

#include "server/render/templates.hpp"
#include "server/transport/message.hpp"

#include <string>
#include <string_view>

namespace rencontres::web {

using render::escape_html;
using render::flag;
using render::list_view;
using render::paragraphs;
using render::static_file;
using render::stylesheet_url;
using render::view;
using render::view_list;

struct page_options {
    int status = 200;
    // Pages holding a secret (a manage token) are never cached nor sent as a Referer.
    bool secret = false;
    // Extra markup in <head> (JSON-LD).
    std::string head;
    // The one same-origin script of the page (static_url), allowed by its CSP; none elsewhere.
    std::string script;
    // Reloads itself every so many seconds when scripts do not run (the room's screen).
    int refresh_without_script = 0;
    std::string body_class;
};

// The long-cached address of a file under web/static, with its version.
const std::string& static_url(std::string_view file);

// Who is signed in, as the layout names them on every page of the console, with their home and
// the sign-out button (its form token). console_page and event_page open a signed_in_scope around
// their handler: the pages they render during it carry the banner, without each of the
// console's pages passing the account down to page(). A handler renders on its own thread from
// start to end, so the scope is the request's.
struct signed_in_banner {
    std::string name;
    std::string role;      // "administrateur·rice", "membre du jury", ...
    std::string home;      // the role's home: /admin, /label, /gestion
    std::string home_text; // "Administration", ...
    std::string csrf;      // the session's form token, for sign-out
};
class signed_in_scope {
public:
    explicit signed_in_scope(signed_in_banner banner);
    ~signed_in_scope();
    signed_in_scope(const signed_in_scope&) = delete;
    signed_in_scope& operator=(const signed_in_scope&) = delete;

private:
    const signed_in_banner* previous_;
    signed_in_banner banner_;
};

// `main_template` rendered inside the layout, with the page's <title>, as an HTML response.
http::response page(std::string_view main_template, const std::string& title, const view& values,
                    const page_options& options = {});

// A French page for an error: 404, 409, 422, 403, 503.
http::response error_page(int status, const std::string& message = {});

} // namespace rencontres::web

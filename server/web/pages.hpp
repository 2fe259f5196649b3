// What the page handlers share: reading forms, refusing cross-site posts, the views of events,
// and the public addresses of calendars.
#pragma once

#include "domain/agenda/model.hpp"
#include "domain/common/result.hpp"
#include "domain/events/model.hpp"
#include "domain/labels/model.hpp"
#include "server/render/french_messages.hpp"
#include "server/transport/context.hpp"
#include "server/transport/router.hpp"
#include "server/web/view.hpp"

#include <map>
#include <string>
#include <vector>

namespace rencontres::web {

// What every page handler works with.
using http::context;
using http::request;
using http::response;
using http::route_params;

// A form-encoded body: every value of each name, decoded. Anything else is 415.
using form_values_t = std::multimap<std::string, std::string>;
form_values_t read_form(const http::request& req);
std::string form_value(const std::multimap<std::string, std::string>& form,
                       const std::string& name);
std::vector<std::string> form_values(const std::multimap<std::string, std::string>& form,
                                     const std::string& name);

// Whether a state-changing request comes from another site (Sec-Fetch-Site, else Origin).
bool cross_site(const http::request& req, const std::string& public_base_url);
// The same against the server's own public address, for handlers that need nothing else of the
// configuration.
bool cross_site(const http::request& req, const http::context& ctx);

// The text with its first letter upper-case: "Mardi 11 décembre 2018".
std::string capitalized(std::string text);
// "Mardi 11 décembre 2018, de 9 h à 17 h" (or "Date à venir").
std::string event_when(const event& e);
// "Salle des fêtes, 1 place de la Mairie, 87700 Aixe-sur-Vienne"
std::string event_where(const event& e);

// The lines of a textarea that hold something, trimmed (carriage returns and spaces).
std::vector<std::string> nonblank_lines(const std::string& text);

// Percent-encodes a query value.
std::string query_escape(std::string_view text);

// "Conférence", "Table ronde", "Atelier"...
std::string session_kind_text(session_kind k);

// "complet, liste d'attente", "1 place restante", "12 places restantes".
std::string workshop_seats_text(int seats_left);

// The palmarès's categories and awards as the public page shows them ("categories",
// "has_categories"); an award not given yet (id 0, in the admins' preview) is marked "pending".
void set_palmares(view& v, const palmares& found);

// The site's own address with another scheme for calendar subscriptions: webcal://host/path.
std::string absolute_url(const http::context& ctx, const std::string& path);
std::string webcal_url(const http::context& ctx, const std::string& path);

// Waits until what `ticket` covers is durable; false when the storage failed meanwhile (the page
// then shows nothing of it: a 503).
bool durable(http::context& ctx, durability_ticket ticket);

// A page handler whose storage failures become the French 503 page.
http::handler page_route(http::handler fn);
// The same for a page's write on the write lane (http::write_job): a storage failure while it is
// prepared, during its transaction or before it is durable is the French 503 page.
http::write_handler page_write(http::write_handler fn);

// The French error page for a domain error (404 for not found and forbidden, 409, 503...).
http::response error_page_for(const domain_error& e);

// A form's error as its page shows it: the field (as the form names it), the rule, and the
// sentence of the French table (server/render/french_messages.cpp) for that form.
field_error shown(std::string_view form, const field_error& e);
field_error shown(std::string_view form, std::string field, const field_error& e);
field_error shown(std::string_view form, std::string field, field_rule broken);

} // namespace rencontres::web

#include "server/web/pages.hpp"

#include "domain/common/french.hpp"
#include "domain/common/text.hpp"
#include "domain/store.hpp"
#include "server/api/representations.hpp"
#include "server/transport/problem.hpp"
#include "server/web/settings.hpp"

#include <spdlog/spdlog.h>

namespace rencontres::web {

std::multimap<std::string, std::string> read_form(const http::request& req) {
    const auto type = req.header_value("Content-Type").value_or("");
    if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded")
        throw http::problem_exception(
            error_page(415, "Ce formulaire doit être envoyé depuis la page du site."));
    std::string path;
    std::vector<std::pair<std::string, std::string>> fields;
    // A form body is a query string: decoded by the same parser as request targets ('+' is a
    // space there too).
    if (!http::split_target("/?" + req.body, path, fields))
        throw http::problem_exception(error_page(400, "Ce formulaire est illisible."));
    return {fields.begin(), fields.end()};
}

std::string form_value(const std::multimap<std::string, std::string>& form,
                       const std::string& name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
}

std::vector<std::string> form_values(const std::multimap<std::string, std::string>& form,
                                     const std::string& name) {
    std::vector<std::string> out;
    const auto [from, to] = form.equal_range(name);
    for (auto it = from; it != to; ++it)
        out.push_back(it->second);
    return out;
}

bool cross_site(const http::request& req, const http::context& ctx) {
    return cross_site(req, ctx.app.site_config.public_base_url);
}

bool cross_site(const http::request& req, const std::string& public_base_url) {
    if (const auto site = req.header_value("Sec-Fetch-Site"))
        return *site != "same-origin" && *site != "none";
    if (const auto origin = req.header_value("Origin")) {
        // Without Sec-Fetch-Site (older browsers), the Origin must be this site's.
        if (*origin == "null") return true;
        const auto host = req.header_value("Host").value_or("");
        const auto after_scheme = origin->find("://");
        const auto origin_host =
            after_scheme == std::string_view::npos ? *origin : origin->substr(after_scheme + 3);
        return origin_host != host && *origin != public_base_url;
    }
    return false; // not a browser: forms are protected by their token
}

std::string capitalized(std::string text) {
    // French dates start with a weekday, in ASCII.
    if (!text.empty())
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

std::string event_when(const event& e) {
    if (!e.starts_at || !e.ends_at) return "Date à venir";
    return capitalized(french_span(*e.starts_at, *e.ends_at, e.timezone));
}

std::string event_where(const event& e) {
    std::string out;
    const auto add = [&](const std::string& part) {
        if (part.empty()) return;
        if (!out.empty()) out += ", ";
        out += part;
    };
    add(e.venue.name);
    add(e.venue.address);
    add(e.venue.postal_code.empty() ? e.venue.city : e.venue.postal_code + " " + e.venue.city);
    return out;
}

std::string session_kind_text(session_kind k) {
    switch (k) {
    case session_kind::keynote:
        return "Conférence";
    case session_kind::talk:
        return "Intervention";
    case session_kind::round_table:
        return "Table ronde";
    case session_kind::workshop:
        return "Atelier";
    case session_kind::break_:
        return "Pause";
    default:
        return "Temps d'échange";
    }
}

bool durable(context& ctx, durability_ticket ticket) {
    try {
        ctx.app.db.wait_durable(ticket);
        return true;
    } catch (const store_unavailable&) {
        return false;
    }
}

std::vector<std::string> nonblank_lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = text.find('\n', start);
        auto line = trim(std::string_view(text).substr(
            start, end == std::string::npos ? std::string::npos : end - start));
        if (!line.empty()) out.push_back(std::move(line));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

std::string query_escape(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string workshop_seats_text(int seats_left) {
    if (seats_left == 0) return "complet, liste d'attente";
    if (seats_left == 1) return "1 place restante";
    return std::to_string(seats_left) + " places restantes";
}

std::string absolute_url(const http::context& ctx, const std::string& path) {
    return http::public_url(ctx, path);
}

std::string webcal_url(const http::context& ctx, const std::string& path) {
    auto url = absolute_url(ctx, path);
    const auto scheme = url.find("://");
    return scheme == std::string::npos ? url : "webcal" + url.substr(scheme);
}

http::handler page_route(http::handler fn) {
    return [fn = std::move(fn)](const http::request& req, const http::route_params& params,
                                http::context& ctx) {
        try {
            return fn(req, params, ctx);
        } catch (const store_unavailable& e) {
            spdlog::warn("request {}: storage unavailable: {}", ctx.request_id, e.what());
            return error_page(503);
        }
    };
}

http::write_handler page_write(http::write_handler fn) {
    return [fn = std::move(fn)](const http::request& req, const http::route_params& params,
                                http::context& ctx) {
        http::write_job job;
        try {
            job = fn(req, params, ctx);
        } catch (const store_unavailable& e) {
            spdlog::warn("request {}: storage unavailable: {}", ctx.request_id, e.what());
            return http::write_job::answered(error_page(503));
        }
        job.failed = [](std::exception_ptr failure) {
            try {
                std::rethrow_exception(failure);
            } catch (const store_unavailable& e) {
                spdlog::warn("a page's write failed: {}", e.what());
                return error_page(503);
            }
        };
        return job;
    };
}

field_error shown(std::string_view form, const field_error& e) {
    return shown(form, e.field, e);
}

field_error shown(std::string_view form, std::string field, const field_error& e) {
    return {std::move(field), e.broken, std::string(render::french(form, e))};
}

field_error shown(std::string_view form, std::string field, field_rule broken) {
    return shown(form, field_error{field, broken, {}});
}

http::response error_page_for(const domain_error& e) {
    switch (e.code) {
    case errc::not_found:
    case errc::forbidden:
    case errc::unauthenticated:
        return error_page(404);
    case errc::conflict:
        return error_page(409);
    case errc::unavailable:
        return error_page(503);
    default:
        return error_page(http::status_of(e.code));
    }
}

namespace {

std::string level_text(award_level l) {
    switch (l) {
    case award_level::or_:
        return "Label or";
    case award_level::argent:
        return "Label argent";
    default:
        return "Label bronze";
    }
}

} // namespace

void set_palmares(view& v, const palmares& found) {
    auto categories = list_view();
    for (const auto& cat : found.categories) {
        view cv;
        cv.set("code", cat.category.code);
        cv.set("name", cat.category.name);
        auto awards = list_view();
        for (const auto& line : cat.awards) {
            view av;
            av.set("level", std::string(to_string(line.award.level)));
            av.set("level_text", level_text(line.award.level));
            av.set("initiative", line.candidacy.initiative_title);
            av.set("territory", line.territory.name);
            if (line.award.citation) av.set("citation", *line.award.citation);
            av.set("pending", flag(line.award.id == 0));
            awards.push_back(av);
        }
        cv.set("awards", awards);
        categories.push_back(cv);
    }
    v.set("has_categories", flag(!found.categories.empty()));
    v.set("categories", categories);
}

} // namespace rencontres::web

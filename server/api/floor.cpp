#include "server/api/floor.hpp"

#include "domain/common/time.hpp"
#include "server/api/settings.hpp"
#include "server/security/sealer.hpp"
#include "server/security/sodium.hpp"
#include "server/transport/context.hpp"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace rencontres::http {
namespace {

constexpr std::string_view cookie_name = "rencontres_device";

bool plausible_device(std::string_view value) {
    if (value.size() < 16 || value.size() > 64) return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_';
    });
}

void add_event(std::string& out, std::int64_t id, std::string_view type,
               const boost::json::object& data) {
    out += "id: ";
    out += std::to_string(id);
    out += "\nevent: ";
    out += type;
    out += "\ndata: ";
    out += boost::json::serialize(data);
    out += "\n\n";
}

} // namespace

boost::json::object floor_question_json(const floor_question& q) {
    boost::json::object out{{"id", id_text(q.id)},
                            {"session_id", id_text(q.session_id)},
                            {"text", q.text},
                            {"author_name", q.author_name},
                            {"status", to_string(q.status)},
                            {"votes", q.votes},
                            {"created_at", format_utc(q.created_at)}};
    if (q.answered_at) out["answered_at"] = format_utc(*q.answered_at);
    return out;
}

boost::json::object poll_json(const shown_poll& shown) {
    const auto& p = shown.poll;
    boost::json::array options;
    for (const auto& o : p.options) {
        boost::json::object option{{"id", id_text(o.id)}, {"label", o.label}};
        if (shown.counts_shown)
            option["votes"] = o.votes;
        else
            option["votes"] = nullptr;
        options.push_back(std::move(option));
    }
    boost::json::object out{{"id", id_text(p.id)},       {"session_id", id_text(p.session_id)},
                            {"question", p.question},    {"options", std::move(options)},
                            {"multiple", p.multiple},    {"status", to_string(p.status)},
                            {"answered", shown.answered}};
    if (shown.counts_shown)
        out["respondents"] = p.respondents;
    else
        out["respondents"] = nullptr;
    if (p.opened_at) out["opened_at"] = format_utc(*p.opened_at);
    if (p.closed_at) out["closed_at"] = format_utc(*p.closed_at);
    return out;
}

std::optional<std::string> device_cookie(const request& req) {
    const auto value = req.cookie_value(cookie_name);
    if (!value || !plausible_device(*value)) return std::nullopt;
    return std::string(*value);
}

std::string device_cookie_header(const request& req, const context& ctx, const std::string& value) {
    const bool https = req.over_https(ctx.app.api_config.public_base_url);
    std::string header(cookie_name);
    header += '=';
    header += value;
    header += "; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax";
    if (https) header += "; Secure";
    return header;
}

std::string new_device() {
    return security::random_text(18);
}

voter voter_of(const request& req, const context& ctx) {
    // Only digests are kept: neither the cookie nor the address can be read back from a vote.
    if (const auto device = device_cookie(req)) return {"d" + security::sha256_hex(*device)};
    return {"a" + security::sha256_hex(ctx.client)};
}

std::string floor_events(const floor_changes& changes) {
    struct item {
        std::int64_t seq;
        const floor_question* question;
        const poll* p;
    };
    std::vector<item> items;
    for (const auto& q : changes.questions)
        items.push_back({q.seq, &q, nullptr});
    for (const auto& p : changes.polls)
        items.push_back({p.seq, nullptr, &p});
    std::sort(items.begin(), items.end(),
              [](const item& a, const item& b) { return a.seq < b.seq; });
    std::string out;
    for (const auto& i : items) {
        if (i.question)
            add_event(out, i.seq, "question", floor_question_json(*i.question));
        else // the room's screen shows an open poll's counts as they come
            add_event(out, i.seq, "poll", poll_json({*i.p, true, false}));
    }
    return out;
}

void floor_stream::read_after(std::uint64_t channel, std::int64_t after,
                              std::function<void(live_frames)> done) {
    auto job = [this, channel, after, done = std::move(done)] {
        live_frames frames{after, nullptr};
        try {
            const auto changes = floor_.changes_since(static_cast<id_t>(channel), after);
            frames.last_id = std::max(after, changes.seq);
            if (!changes.questions.empty() || !changes.polls.empty())
                frames.bytes = std::make_shared<const std::string>(floor_events(changes));
        } catch (const std::exception& e) {
            // The database could not be read: the listeners hear it at the next change.
            spdlog::warn("live stream of session {}: {}", channel, e.what());
        }
        done(std::move(frames));
    };
    if (run_)
        run_(std::move(job));
    else
        job();
}

} // namespace rencontres::http

// Questions from the floor and polls (API.md §14) as the API and the pages show them, who votes
// (the device's cookie), and the session's live stream of Server-Sent Events.
#pragma once

#include "domain/floor/service.hpp"
#include "server/transport/live.hpp"
#include "server/transport/message.hpp"

#include <boost/json.hpp>
#include <functional>

namespace rencontres::http {

class context;

boost::json::object floor_question_json(const floor_question& q);
// Counts (`votes` of each option) are null unless `p.counts_shown`.
boost::json::object poll_json(const shown_poll& p);

// The device cookie: a random value a browser gets on the session's page and keeps a year.
// A vote or an answer is counted once per device; a client that keeps no cookie (an API
// client) once per address.
std::optional<std::string> device_cookie(const request& req);
std::string device_cookie_header(const request& req, const context& ctx, const std::string& value);
std::string new_device();
voter voter_of(const request& req, const context& ctx);

// The events of `changes`, one per question or poll, each with its `id:`, in seq order.
std::string floor_events(const floor_changes& changes);

// The live streams' source: a session's changes read on the database workers (`run`, given
// once the lanes exist; inline before) and written once for every listener.
class floor_stream final : public live_source {
public:
    explicit floor_stream(floor_service& floor) : floor_(floor) {}
    void run_with(std::function<void(std::function<void()>)> run) { run_ = std::move(run); }
    void read_after(std::uint64_t channel, std::int64_t after,
                    std::function<void(live_frames)> done) override;

private:
    floor_service& floor_;
    std::function<void(std::function<void()>)> run_;
};

} // namespace rencontres::http

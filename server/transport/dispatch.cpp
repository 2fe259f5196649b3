#include "server/transport/dispatch.hpp"

#include "domain/store.hpp"
#include "server/transport/problem.hpp"
#include "server/transport/retry.hpp"

#include <spdlog/spdlog.h>

namespace rencontres::http {

const actor& context::caller() {
    if (caller_) return *caller_;
    const auto header = req_.header_value("Authorization");
    if (!header) return caller_.emplace(actor::anonymous());
    constexpr std::string_view scheme = "Bearer ";
    if (header->size() <= scheme.size() || !iequals(header->substr(0, scheme.size()), scheme))
        throw problem_exception(problem(401, "Use Authorization: Bearer <token>."));
    auto who = app.accounts.authenticate(header->substr(scheme.size()), now);
    if (!who) throw problem_exception(problem_from(who.error()));
    return caller_.emplace(*who);
}

std::optional<response> dispatcher::try_fast(const route_match& matched, const request& req,
                                             const std::string& request_id) const {
    if (!matched.found || !matched.found->fast) return std::nullopt;
    try {
        auto res = matched.found->fast(req, matched.params, app_);
        if (res) res->set("X-Request-Id", request_id);
        return res;
    } catch (const std::exception& e) {
        spdlog::warn("request {}: fast path failed, using the handler: {}", request_id, e.what());
        return std::nullopt;
    }
}

std::optional<response> dispatcher::refuse(const route_match& matched, const request& req,
                                           const std::string& request_id,
                                           const std::string& client) const {
    if (!matched.found || !matched.found->admit) return std::nullopt;
    auto res = matched.found->admit(req, app_, client);
    if (res) res->set("X-Request-Id", request_id);
    return res;
}

response dispatcher::guarded(const std::string& request_id,
                             const std::function<response()>& produce, bool retry) const {
    response res;
    try {
        res = retry ? retrying_conflicts(produce) : produce();
    } catch (const problem_exception& e) {
        res = e.get();
    } catch (const store_unavailable& e) {
        spdlog::warn("request {}: storage unavailable: {}", request_id, e.what());
        res = unavailable("The service cannot store or read data right now; try again shortly.");
    } catch (const std::exception& e) {
        spdlog::error("request {}: unexpected failure: {}", request_id, e.what());
        res = problem(500, "Something went wrong on our side. The request id identifies it.");
    }
    res.set("X-Request-Id", request_id);
    return res;
}

response dispatcher::run(const route_match& matched, const request& req,
                         const std::string& request_id, const std::string& client) const {
    return guarded(request_id, [&] {
        if (matched.found) {
            context ctx(app_, req, request_id, client);
            return matched.found->fn(req, matched.params, ctx);
        }
        if (matched.allowed.empty()) {
            // A person's browser gets the site's page; clients of the API get problem+json.
            const auto accept = req.header_value("Accept").value_or("");
            if (req.path.rfind("/v1/", 0) != 0 && accept.find("text/html") != std::string::npos)
                return not_found_page_();
            return problem(404, "There is nothing at this path.");
        }
        std::string allow;
        for (const auto m : matched.allowed) {
            if (!allow.empty()) allow += ", ";
            allow += m;
        }
        auto res = problem(405, "This path does not take " + req.method + ".");
        res.set("Allow", allow);
        return res;
    });
}

std::optional<response> dispatcher::prepare_write(const route_match& matched, const request& req,
                                                  const std::string& request_id,
                                                  const std::string& client, write_job& job) const {
    bool prepared = false;
    auto refused = guarded(request_id, [&] {
        context ctx(app_, req, request_id, client);
        job = matched.found->write(req, matched.params, ctx);
        if (!job.transact) return job.answer(ctx); // decided before the lane
        prepared = true;
        return response{};
    });
    if (prepared) return std::nullopt;
    return refused;
}

durability_ticket dispatcher::transact(write_job& job, std::exception_ptr& failure) const noexcept {
    try {
        return retrying_conflicts([&] { return job.transact(); });
    } catch (...) {
        failure = std::current_exception();
        return {};
    }
}

response dispatcher::answer(write_job& job, std::exception_ptr failure, const request& req,
                            const std::string& request_id, const std::string& client) const {
    // The transaction was run again already (transact): a conflict that outlasted it is 503.
    return guarded(
        request_id,
        [&] {
            if (failure && job.failed) return job.failed(failure);
            if (failure) std::rethrow_exception(failure);
            context ctx(app_, req, request_id, client);
            return job.answer(ctx);
        },
        !failure);
}

} // namespace rencontres::http

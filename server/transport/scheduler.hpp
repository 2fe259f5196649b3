// Where and when each request runs: the lanes of router.hpp, their queues and quotas, and the
// write lane's commit groups. The application owns one; the network server hands it each
// request and waits for the answer without holding a thread, so nothing of this policy lives in
// the Beast session.
#pragma once

#include "server/transport/dispatch.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace rencontres::http {

// What the write lane needs from the storage: know that a write is queued and when it has run
// (so that the writes queued behind the running one join its group instead of waiting for a
// COMMIT each), and be called back once a ticket is durable (false if it never will be), from
// whichever thread settles it.
struct write_lane_hooks {
    std::function<void()> announce; // a write is queued on the lane
    std::function<void()> retract;  // ...and has run
    std::function<void(durability_ticket, std::function<void(bool)>)> when_durable;

    bool complete() const { return announce && retract && when_durable; }
};

struct scheduler_settings {
    int database_workers = 2;
    int hash_workers = 1;
    int hash_queue_max = 64;   // sign-ins and sign-ups waiting or hashing; sign-ups half of it
    int write_lanes = 1;       // threads of the write lane: as many as writes that can run at once
    write_lane_hooks writes{}; // without them, the write lane's routes run on the database lane
};

class scheduler {
public:
    using reply = std::function<void(response)>;

    scheduler(scheduler_settings settings, const http::dispatcher& dispatch);
    ~scheduler();
    scheduler(const scheduler&) = delete;
    scheduler& operator=(const scheduler&) = delete;

    // What is answered at once on the caller's thread without blocking: a fast path, an
    // admission refusal, a route of the network lane, a request without a route. Nothing when
    // the request has to be queued.
    std::optional<response> answer_now(const route_match& matched, const request& req,
                                       const std::string& id, const std::string& client) const;
    // Queues the request on its route's lane (or refuses it when the lane's quota is full);
    // `done` is called once, on `home`, with the response. The match, request, id and client
    // must stay alive until then.
    void queue(const route_match& matched, const request& req, const std::string& id,
               const std::string& client, boost::asio::any_io_executor home, reply done);
    // Runs `job` on the database workers, as the requests of the database lane run (for the
    // reads of live streams).
    void run_on_database(std::function<void()> job);
    // Waits for what is queued to finish, and stops the lanes: once the server has stopped.
    void join();

    const http::dispatcher& dispatch() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace rencontres::http

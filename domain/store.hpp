// The storage port of the domain: a unit of work gives the repositories of one transaction.
// Adapters (SQLite today, PostgreSQL later) implement it under server/storage/.
#pragma once

#include "domain/common/durability.hpp"

#include <functional>
#include <memory>
#include <stdexcept>

namespace rencontres {

class accounts_repository;
class territories_repository;
class audit_repository;
class events_repository;
class speakers_repository;
class sessions_repository;
class registrations_repository;
class outbox_repository;
class labels_repository;
class webhooks_repository;
class floor_repository;
class reports_repository;

enum class access {
    read,  // a consistent snapshot of durable data
    write, // takes the write lock at the start (BEGIN IMMEDIATE): check-then-write is safe inside;
           // commit() returns once the change is durable
    // The same, but commit() returns at once: whoever shows an answer built from this unit of
    // work first awaits its ticket (store::when_durable). For the hot writes of the write lane,
    // which hold their event (registrations_repository::hold_event) before they read it: where
    // the database allows, they run beside each other.
    write_deferred,
    // A write whose rules hold by the rows it changes alone (a message marked sent, a token
    // issued or revoked): it reads nothing another write could change under it. Where the
    // database allows, it runs beside other writes; commit() waits as for access::write.
    write_beside
};

// An RAII transaction: rolled back on destruction unless commit() was called.
class unit_of_work {
public:
    virtual ~unit_of_work() = default;
    virtual accounts_repository& accounts() = 0;
    virtual territories_repository& territories() = 0;
    virtual audit_repository& audit() = 0;
    virtual events_repository& events() = 0;
    virtual speakers_repository& speakers() = 0;
    virtual sessions_repository& sessions() = 0;
    virtual registrations_repository& registrations() = 0;
    virtual outbox_repository& outbox() = 0;
    virtual labels_repository& labels() = 0;
    virtual webhooks_repository& webhooks() = 0;
    virtual floor_repository& floor() = 0;
    virtual reports_repository& reports() = 0;
    // Makes the changes permanent and returns the unit of work's ticket (empty for access::write,
    // whose commit waits).
    virtual durability_ticket commit() = 0;
    // What an answer built from this unit of work rests on, committed or not: a unit of work
    // that read writes not yet durable and then rolls back (a replay, a refusal) has a ticket too.
    virtual durability_ticket ticket() const = 0;
};

class store {
public:
    virtual ~store() = default;
    virtual std::unique_ptr<unit_of_work> begin(access mode) = 0;
    // Reads can be served: the database is reachable and migrated.
    virtual bool ready() = 0;
    // Writes can be stored: the database file and its folder are writable.
    virtual bool writable() = 0;
    // Calls `settled(true)` once `ticket` is durable, `settled(false)` if it never will be (its
    // COMMIT failed): at once when it is settled already, otherwise from the store's committing
    // thread, so `settled` must be quick and must not call back into the store.
    virtual void when_durable(durability_ticket ticket, std::function<void(bool)> settled) = 0;
    // Blocks until `ticket` is durable; throws store_unavailable if it never will be.
    virtual void wait_durable(durability_ticket ticket) = 0;
};

// Infrastructure failure (disk full, read-only file, I/O error, lock timeout): the request could
// not be served now. It is an exception, not a domain error; the HTTP layer answers 503.
class store_unavailable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Two transactions that could not both go on (a serialization failure, a deadlock): the database
// undid this one, which, run again from its start, will most likely succeed. The server runs it
// again a few times before it answers 503 (server/transport/dispatch.cpp).
class store_conflict : public store_unavailable {
public:
    using store_unavailable::store_unavailable;
};

} // namespace rencontres

// The storage port of the domain: a unit of work gives the repositories of one transaction.
// Adapters (SQLite today, PostgreSQL later) implement it under server/storage/.
#pragma once

#include "domain/common/durability.hpp"
#include "domain/common/ids.hpp"

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
    read, // a consistent snapshot of durable data
    // A write: check-then-write is safe inside for what it holds, by the database's single writer
    // (SQLite) or by the turns it takes (unit_of_work::take_turn) before it reads what its rules
    // check; commit() returns once the change is durable.
    write,
    // The same, but commit() returns at once: whoever shows an answer built from this unit of
    // work first awaits its ticket (store::when_durable). For the hot writes of the write lane
    // (registrations, cancellations, votes), which hold their event
    // (registrations_repository::hold_event) before they read it.
    write_deferred,
    // A write whose rules hold by the rows it changes alone (a message marked sent, a token
    // issued or revoked): it reads nothing another write could change under it, and takes no
    // turn; commit() waits as for access::write.
    write_beside
};

// What writes that could break each other's rules take turns on (unit_of_work::take_turn), where
// a constraint of the database does not decide alone. Where the database runs writes beside each
// other (PostgreSQL), the writes of different events, speakers or accounts then run in parallel;
// where one writer has the database to itself (SQLite), a turn costs nothing.
enum class turn {
    event,       // one event: its fields, organizers, sessions and rooms, registrations, seats and
                 // waiting lists, polls, report (the row of its counts, which registrations hold)
    speaker,     // one speaker: their sessions' times across events, their removal
    account,     // one account: its links and their use, its password, its messages' pace
    admins,      // who is an admin: the last admin stays one
    label,       // the label: campaigns' steps, one candidacy per territory and category, reviews,
                 // one active award per candidacy (few writes, rules across campaigns)
    territory,   // one territory
    webhook,     // one webhook and its deliveries
    invitations, // invitations: one open invitation per address, each accepted once
    new_events,  // the slugs of new events
    demo         // the demo's data, loaded once
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
    // Waits for this write's turn on `what` (the object `id`, for the turns of one object) and
    // keeps it until the unit of work ends. Writes taking turns in an order (accounts before
    // events before speakers, ids ascending) never wait for each other in a circle; one that
    // does is undone and run again (store_conflict). Returns true when other writes may have
    // run since this unit of work began: what it read before must be read again.
    virtual bool take_turn(turn what, id_t id = 0) = 0;
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

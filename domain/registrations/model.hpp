#pragma once

#include "domain/agenda/model.hpp"
#include "domain/common/ids.hpp"
#include "domain/common/time.hpp"
#include "domain/registrations/questions.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

enum class registration_status { confirmed, waitlisted, cancelled };
std::string_view to_string(registration_status s);
std::optional<registration_status> parse_registration_status(std::string_view text);

// A workshop seat inside a registration.
struct session_seat {
    id_t session_id = 0;
    registration_status status = registration_status::confirmed;
    std::optional<int> waitlist_position; // 1-based, while waitlisted
};

struct registration {
    id_t id = 0;
    id_t event_id = 0;
    std::string full_name; // "given family" when both are given
    // As the registrant gave them, when they did; lists sort by family name, then given name
    // (name_sort_key), and by full name without them.
    std::optional<std::string> given_name;
    std::optional<std::string> family_name;
    std::string email;
    std::optional<std::string> organization;
    std::optional<id_t> territory_id;
    std::optional<id_t> account_id;
    registration_status status = registration_status::confirmed;
    std::optional<int> waitlist_position; // 1-based, while waitlisted; computed on read
    std::vector<session_seat> sessions;
    answer_map answers; // checked against the event's questions
    instant created_at{};
    instant updated_at{};
    std::optional<instant> cancelled_at;
    std::optional<instant> checked_in_at;
    std::string manage_digest;
    std::string feed_digest;
    // The manage token sealed with the server's key, for the links of messages; none once erased.
    std::optional<std::string> sealed_link;
    // What lists sort the row by and what their searches match (list_keys below): computed before
    // a new row's write opens, written with it, not read back.
    std::string sort_key;
    std::string search_text;

    bool active() const { return status != registration_status::cancelled; }
};

// The key lists sort a registration by (name_sort_key) and the folded text their searches match
// (search_fold of its name, organization and email): ICU's work, kept off the write lane for new
// rows, and used again by the storage when a row's organization changes or it is erased.
std::string registration_sort_key(const std::optional<std::string>& given,
                                  const std::optional<std::string>& family,
                                  const std::string& full_name);
std::string registration_search_text(const std::string& full_name,
                                     const std::optional<std::string>& organization,
                                     const std::string& email);
// Sets both on a registration from its names, organization and email.
void set_list_keys(registration& r);

// `full_name` alone, or `given_name` and `family_name` (then the full name is made of them).
struct registration_command {
    std::string full_name;
    std::string email;
    std::optional<std::string> organization;
    std::optional<std::string> territory_id;
    std::vector<std::string> session_ids;
    bool consent = false;
    answer_map answers; // as sent; checked against the event's questions
    std::optional<std::string> given_name{};
    std::optional<std::string> family_name{};
};

// Someone registered at the door by the organizers (register_walk_in).
struct walk_in_command {
    std::string given_name;
    std::string family_name;
    std::optional<std::string> organization;
    std::optional<std::string> email;
    bool beyond_capacity = false; // "sur place": taken even when the event is full
};

// A change of a registration (PATCH): what is absent stays as it is. Answers given replace
// those of the same questions; the others are kept.
struct registration_patch {
    std::optional<std::vector<std::string>> session_ids;
    std::optional<answer_map> answers;
    bool replace_answers = false; // the answers given are all of them (a form), not a merge
    std::optional<std::optional<std::string>> organization; // set, or cleared with null
};

// What the participant receives once: the registration and its two secrets.
struct registration_receipt {
    rencontres::registration registration;
    std::string manage_token;
    std::string feed_key;
};

// A message from an event's organizers to its active registrations of the given statuses.
struct announcement_command {
    std::string subject;
    std::string body;
    std::vector<std::string> statuses; // confirmed, waitlisted; none given: both
};

struct announcement {
    id_t id = 0;
    id_t event_id = 0;
    std::string subject;
    std::string body;
    std::vector<registration_status> statuses;
    int recipients = 0;
    std::optional<id_t> sent_by;
    instant created_at{};
};

// A name badge: a confirmed registration, with the id its check-in link names.
struct badge {
    id_t registration_id = 0;
    std::string full_name; // as printed: the family name in capitals ("Jean-Pierre DELAGE")
    std::optional<std::string> organization;
};

// The registrations of an event with the questions they answered: the CSV's rows and columns.
// The registrations of an event with the questions they answered and its workshops (sessions
// with a capacity, in the agenda's order): the CSV's rows and columns.
struct registration_export {
    std::vector<question> questions;
    std::vector<registration> rows;
    std::string timezone;             // the event's
    std::vector<session> workshops{}; // a column each in the spreadsheets' dialect
};

// How full a workshop (a session with a capacity) is: seats held and people waiting.
struct workshop_fill {
    session workshop;
    int confirmed = 0;
    int waitlisted = 0;
};

// Who holds a seat in a workshop (by name) and who waits for one (in the order they joined its
// list), for the organizers.
struct workshop_roster {
    session workshop;
    std::vector<registration> holders;
    std::vector<registration> waiting; // with their place on the workshop's list
    std::string timezone;              // the event's
};

// An event's kept counts of confirmed registrations and of those waiting.
struct event_seats {
    int confirmed = 0;
    int waitlisted = 0;
};

struct registration_stats {
    std::optional<int> capacity;
    int confirmed = 0;
    int waitlisted = 0;
    int cancelled = 0;
    int checked_in = 0;
    answer_counts answers; // per option of the questions with options, active registrations
};

// How many registrations were made on a day ("2018-12-11", in the event's zone).
struct registrations_on_day {
    std::string date;
    int count = 0;
};

// Whether an event takes registrations now, and if not, why.
enum class registration_window { open, not_published, cancelled, started, not_yet_open, closed };

// What anyone who may see an event may know of its seats: the public page shows seats left or
// the waiting list, per event and per workshop.
struct event_availability {
    registration_window window = registration_window::open;
    std::optional<int> capacity;
    int confirmed = 0;
    int waitlisted = 0;
    std::map<id_t, int> session_confirmed; // workshops with a capacity
    std::optional<int> seats_left() const {
        if (!capacity) return std::nullopt;
        return *capacity > confirmed ? *capacity - confirmed : 0;
    }
    // Seats left in a workshop of the given capacity.
    int session_seats_left(id_t session_id, int session_capacity) const {
        const auto it = session_confirmed.find(session_id);
        const int taken = it == session_confirmed.end() ? 0 : it->second;
        return session_capacity > taken ? session_capacity - taken : 0;
    }
};

// A request repeated with the same Idempotency-Key gets the first response back.
struct idempotency {
    std::string key;
    std::string request_hash;
};

struct stored_reply {
    int status = 0;
    std::string body;
};

} // namespace rencontres

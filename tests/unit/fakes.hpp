// Small in-memory implementations of the domain's ports, for domain tests without I/O.
// A unit of work works on a copy of the state and writes it back on commit, so rollback is real.
#pragma once

#include "domain/accounts/ports.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/agenda/observer.hpp"
#include "domain/agenda/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/common/text.hpp"
#include "domain/events/repository.hpp"
#include "domain/floor/repository.hpp"
#include "domain/labels/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/registrations/repository.hpp"
#include "domain/reports/repository.hpp"
#include "domain/speakers/repository.hpp"
#include "domain/store.hpp"
#include "domain/territories/repository.hpp"
#include "domain/webhooks/repository.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace rencontres::testing {

struct memory_state {
    std::map<id_t, account> accounts;
    std::map<std::string, token_record> tokens;
    std::map<std::string, console_session> console_sessions;
    std::map<std::string, verification_record> verifications;
    std::map<id_t, invitation> invitations;
    std::map<id_t, territory> territories;
    std::vector<audit_entry> audit;
    std::map<id_t, event> events;
    std::map<id_t, speaker> speakers;
    std::map<id_t, session> sessions;
    std::map<id_t, registration> registrations;
    // When each (registration, session) seat joined its workshop's list, as the databases'
    // registration_sessions.id: a seat taken again later joins at the end.
    std::map<std::pair<id_t, id_t>, std::uint64_t> seat_joined;
    std::uint64_t next_seat = 1;
    std::vector<announcement> announcements;
    std::map<id_t, std::vector<question>> questions;        // by event
    std::map<id_t, std::vector<stored_answer>> answer_rows; // by registration
    std::vector<outbox_message> outbox;
    std::set<std::pair<id_t, std::string>> suppressions; // (event, email)
    std::map<std::string, idempotency_record> replies;
    std::map<id_t, campaign> campaigns;
    std::map<id_t, candidacy> candidacies;
    std::map<id_t, review> reviews;
    std::map<id_t, award> awards;
    // Changes announced to webhooks: type, event, subject.
    std::vector<std::tuple<std::string, std::optional<id_t>, id_t>> announced;
    id_t next_id = 1;
};

template <class T> page<T> page_of(std::vector<T> rows, const page_request& request) {
    page<T> out;
    if (static_cast<int>(rows.size()) > request.limit) {
        rows.resize(static_cast<std::size_t>(request.limit));
        out.next_after = rows.back().id;
    }
    out.items = std::move(rows);
    return out;
}

class memory_accounts final : public accounts_repository {
public:
    explicit memory_accounts(memory_state& s) : s_(s) {}
    result<account> insert(const account& draft) override {
        for (const auto& [id, a] : s_.accounts)
            if (a.email == draft.email) return conflict(rule::email_taken, "email taken");
        account created = draft;
        created.id = s_.next_id++;
        s_.accounts[created.id] = created;
        return created;
    }
    std::optional<account> find(id_t id) override {
        const auto it = s_.accounts.find(id);
        return it == s_.accounts.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<account> find_by_email(std::string_view email) override {
        for (const auto& [id, a] : s_.accounts)
            if (a.email == email) return a;
        return std::nullopt;
    }
    page<account> list(const std::optional<std::string>& folded_query,
                       const page_request& request) override {
        std::vector<account> rows;
        for (const auto& [id, a] : s_.accounts)
            if (id > request.after.value_or(0) &&
                (!folded_query || search_fold(a.email + " " + a.display_name).find(*folded_query) !=
                                      std::string::npos))
                rows.push_back(a);
        return page_of(rows, request);
    }
    void update(const account& changed) override { s_.accounts[changed.id] = changed; }
    void remove(id_t id) override { s_.accounts.erase(id); }
    int count_admins() override {
        return static_cast<int>(
            std::count_if(s_.accounts.begin(), s_.accounts.end(),
                          [](const auto& e) { return e.second.role == role::admin; }));
    }
    void insert_token(const token_record& token) override { s_.tokens[token.digest] = token; }
    std::optional<token_record> find_token(std::string_view digest) override {
        const auto it = s_.tokens.find(std::string(digest));
        return it == s_.tokens.end() ? std::nullopt : std::optional(it->second);
    }
    void delete_token(std::string_view digest) override { s_.tokens.erase(std::string(digest)); }
    void delete_expired_tokens(instant now) override {
        std::erase_if(s_.tokens, [&](const auto& e) { return e.second.expires_at <= now; });
    }
    void insert_session(const console_session& session) override {
        s_.console_sessions[session.digest] = session;
    }
    std::optional<console_session> find_session(std::string_view digest) override {
        const auto it = s_.console_sessions.find(std::string(digest));
        return it == s_.console_sessions.end() ? std::nullopt : std::optional(it->second);
    }
    void touch_session(std::string_view digest, instant now) override {
        if (auto it = s_.console_sessions.find(std::string(digest));
            it != s_.console_sessions.end())
            it->second.last_seen_at = now;
    }
    void delete_session(std::string_view digest) override {
        s_.console_sessions.erase(std::string(digest));
    }
    void delete_sessions_idle_since(instant cutoff) override {
        std::erase_if(s_.console_sessions,
                      [&](const auto& e) { return e.second.last_seen_at <= cutoff; });
    }
    void delete_tokens_of(id_t account_id) override {
        std::erase_if(s_.tokens, [&](const auto& e) { return e.second.account_id == account_id; });
    }
    void delete_sessions_of(id_t account_id) override {
        std::erase_if(s_.console_sessions,
                      [&](const auto& e) { return e.second.account_id == account_id; });
    }
    void insert_verification(const verification_record& record) override {
        s_.verifications[record.digest] = record;
    }
    void use_verifications_of(id_t account_id, link_purpose purpose, instant now) override {
        for (auto& [digest, v] : s_.verifications)
            if (v.account_id == account_id && v.purpose == purpose && !v.used_at) v.used_at = now;
    }
    std::optional<verification_record> find_verification(std::string_view digest) override {
        const auto it = s_.verifications.find(std::string(digest));
        return it == s_.verifications.end() ? std::nullopt : std::optional(it->second);
    }
    void use_verification(std::string_view digest, instant now) override {
        if (auto it = s_.verifications.find(std::string(digest)); it != s_.verifications.end())
            it->second.used_at = now;
    }
    int count_verifications_since(id_t account_id, instant since, link_purpose purpose) override {
        return static_cast<int>(
            std::count_if(s_.verifications.begin(), s_.verifications.end(), [&](const auto& e) {
                return e.second.account_id == account_id && e.second.created_at >= since &&
                       e.second.purpose == purpose;
            }));
    }
    std::optional<instant> last_verification(id_t account_id) override {
        std::optional<instant> last;
        for (const auto& [digest, v] : s_.verifications)
            if (v.account_id == account_id && v.purpose == link_purpose::email &&
                (!last || v.created_at > *last))
                last = v.created_at;
        return last;
    }
    invitation insert_invitation(const invitation& draft) override {
        invitation stored = draft;
        stored.id = s_.invitations.empty() ? 1 : s_.invitations.rbegin()->first + 1;
        s_.invitations[stored.id] = stored;
        return stored;
    }
    std::optional<invitation> find_invitation(id_t id) override {
        const auto it = s_.invitations.find(id);
        return it == s_.invitations.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<invitation> find_invitation_by_digest(std::string_view digest) override {
        for (const auto& [id, i] : s_.invitations)
            if (i.digest == digest) return i;
        return std::nullopt;
    }
    std::vector<invitation> invitations_to(std::string_view email) override {
        std::vector<invitation> out;
        for (const auto& [id, i] : s_.invitations)
            if (i.email == email) out.push_back(i);
        return out;
    }
    page<invitation> list_invitations(std::optional<id_t> invited_by,
                                      const page_request& request) override {
        page<invitation> out;
        for (const auto& [id, i] : s_.invitations) {
            if (id <= request.after.value_or(0) || (invited_by && i.invited_by != invited_by))
                continue;
            if (static_cast<int>(out.items.size()) == request.limit) {
                out.next_after = out.items.back().id;
                break;
            }
            out.items.push_back(i);
        }
        return out;
    }
    void renew_invitation(const invitation& renewed) override {
        s_.invitations[renewed.id] = renewed;
    }
    void delete_invitation(id_t id) override { s_.invitations.erase(id); }

private:
    memory_state& s_;
};

class memory_territories final : public territories_repository {
public:
    explicit memory_territories(memory_state& s) : s_(s) {}
    result<territory> insert(const territory& draft) override {
        if (find_by_siren(draft.siren)) return conflict(rule::siren_taken, "siren taken");
        territory created = draft;
        created.id = s_.next_id++;
        s_.territories[created.id] = created;
        return created;
    }
    result<void> update(const territory& changed) override {
        for (const auto& [id, t] : s_.territories)
            if (t.siren == changed.siren && id != changed.id)
                return conflict(rule::siren_taken, "siren taken");
        s_.territories[changed.id] = changed;
        return {};
    }
    std::optional<territory> find(id_t id) override {
        const auto it = s_.territories.find(id);
        return it == s_.territories.end() ? std::nullopt : std::optional(it->second);
    }
    bool in_public_record(id_t id) override {
        for (const auto& [aid, a] : s_.awards)
            if (a.territory_id == id) return true;
        for (const auto& [eid, e] : s_.events)
            if (e.host_territory_id == id && e.status != event_status::draft) return true;
        return false;
    }
    std::optional<territory> find_by_siren(std::string_view siren) override {
        for (const auto& [id, t] : s_.territories)
            if (t.siren == siren) return t;
        return std::nullopt;
    }
    page<territory> list(const territory_filter& filter, const page_request& request) override {
        std::vector<territory> rows;
        for (const auto& [id, t] : s_.territories) {
            if (id <= request.after.value_or(0)) continue;
            if (filter.region && t.region != *filter.region) continue;
            if (filter.q && search_fold(t.name).find(*filter.q) == std::string::npos) continue;
            rows.push_back(t);
        }
        return page_of(rows, request);
    }

private:
    memory_state& s_;
};

class memory_audit final : public audit_repository {
public:
    explicit memory_audit(memory_state& s) : s_(s) {}
    void append(const audit_entry& entry) override {
        audit_entry stored = entry;
        stored.id = s_.next_id++;
        s_.audit.push_back(stored);
    }
    page<audit_entry> list(const audit_filter& filter, const page_request& request) override {
        std::vector<audit_entry> rows;
        for (auto it = s_.audit.rbegin(); it != s_.audit.rend(); ++it) {
            if (request.after && it->id >= *request.after) continue;
            if (filter.entity && it->entity != *filter.entity) continue;
            if (filter.actor_id && it->actor_id != filter.actor_id) continue;
            if (filter.entity_id && it->entity_id != *filter.entity_id) continue;
            rows.push_back(*it);
        }
        return page_of(rows, request);
    }

private:
    memory_state& s_;
};

class memory_events final : public events_repository {
public:
    explicit memory_events(memory_state& s) : s_(s) {}
    result<event> insert(const event& draft) override {
        if (slug_taken(draft.slug)) return conflict(rule::slug_taken, "slug taken");
        event created = draft;
        created.id = s_.next_id++;
        s_.events[created.id] = created;
        return created;
    }
    void update(const event& changed) override {
        auto organizers = s_.events.at(changed.id).organizer_ids;
        s_.events[changed.id] = changed;
        s_.events[changed.id].organizer_ids = organizers;
    }
    void read_ahead(id_t) override {}
    std::optional<event> find(id_t id) override {
        const auto it = s_.events.find(id);
        return it == s_.events.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<event> find_by_slug(std::string_view slug) override {
        for (const auto& [id, e] : s_.events)
            if (e.slug == slug) return e;
        return std::nullopt;
    }
    bool slug_taken(std::string_view slug) override { return find_by_slug(slug).has_value(); }
    event_page list(const event_filter& f) override {
        event_page out;
        for (const auto& [id, e] : s_.events) {
            const bool mine = e.organized_by(f.viewer);
            const bool visible =
                f.status ? e.status == *f.status &&
                               (e.status != event_status::draft || mine || f.viewer_is_admin)
                         : e.status == event_status::published || mine;
            if (visible) out.items.push_back(e);
        }
        return out;
    }
    void remove(id_t id) override {
        s_.events.erase(id);
        std::erase_if(s_.sessions, [&](const auto& e) { return e.second.event_id == id; });
    }
    void add_organizer(id_t event_id, id_t account_id) override {
        s_.events.at(event_id).organizer_ids.push_back(account_id);
    }
    void remove_organizer(id_t event_id, id_t account_id) override {
        std::erase(s_.events.at(event_id).organizer_ids, account_id);
    }
    bool territory_exists(id_t id) override { return s_.territories.count(id) > 0; }
    std::vector<question> questions(id_t event_id) override { return s_.questions[event_id]; }
    std::vector<instant> announcements_since(id_t event_id, instant since) override {
        std::vector<instant> out;
        for (const auto& a : s_.announcements)
            if (a.event_id == event_id && a.created_at >= since) out.push_back(a.created_at);
        return out;
    }
    void record_announcement(const announcement& a) override { s_.announcements.push_back(a); }
    void replace_questions(id_t event_id, const std::vector<question>& list) override {
        s_.questions[event_id] = list;
    }
    std::vector<event> solely_organized_by(id_t account_id) override {
        std::vector<event> rows;
        for (const auto& [id, e] : s_.events)
            if (e.organizer_ids == std::vector<id_t>{account_id}) rows.push_back(e);
        return rows;
    }
    std::vector<id_t> organized_by(id_t account_id) override {
        std::vector<id_t> ids;
        for (const auto& [id, e] : s_.events)
            if (e.organized_by(account_id)) ids.push_back(id);
        return ids;
    }

private:
    memory_state& s_;
};

class memory_speakers final : public speakers_repository {
public:
    explicit memory_speakers(memory_state& s) : s_(s) {}
    speaker insert(const speaker& draft) override {
        speaker created = draft;
        created.id = s_.next_id++;
        s_.speakers[created.id] = created;
        return created;
    }
    void update(const speaker& changed) override { s_.speakers[changed.id] = changed; }
    std::optional<speaker> find(id_t id) override {
        const auto it = s_.speakers.find(id);
        return it == s_.speakers.end() ? std::nullopt : std::optional(it->second);
    }
    std::vector<speaker> find_many(const std::vector<id_t>& ids) override {
        std::vector<speaker> out;
        for (const auto id : ids)
            if (auto found = find(id)) out.push_back(*found);
        return out;
    }
    page<speaker> list(const std::optional<std::string>&, const page_request& request) override {
        std::vector<speaker> rows;
        for (const auto& [id, sp] : s_.speakers)
            rows.push_back(sp);
        return page_of(rows, request);
    }
    void remove(id_t id) override { s_.speakers.erase(id); }
    bool scheduled(id_t id) override {
        for (const auto& [sid, s] : s_.sessions)
            if (std::find(s.speaker_ids.begin(), s.speaker_ids.end(), id) != s.speaker_ids.end())
                return true;
        return false;
    }

private:
    memory_state& s_;
};

class memory_sessions final : public sessions_repository {
public:
    explicit memory_sessions(memory_state& s) : s_(s) {}
    session insert(const session& draft) override {
        session created = draft;
        created.id = s_.next_id++;
        s_.sessions[created.id] = created;
        return created;
    }
    void update(const session& changed) override { s_.sessions[changed.id] = changed; }
    void remove(id_t id) override { s_.sessions.erase(id); }
    std::optional<session> find_by_id(id_t session_id) override {
        const auto it = s_.sessions.find(session_id);
        if (it == s_.sessions.end()) return std::nullopt;
        return it->second;
    }
    std::optional<session> find(id_t event_id, id_t session_id) override {
        const auto it = s_.sessions.find(session_id);
        if (it == s_.sessions.end() || it->second.event_id != event_id) return std::nullopt;
        return it->second;
    }
    std::vector<session> list_for_event(id_t event_id) override {
        std::vector<session> out;
        for (const auto& [id, s] : s_.sessions)
            if (s.event_id == event_id) out.push_back(s);
        std::sort(out.begin(), out.end(), [](const session& a, const session& b) {
            return std::tie(a.starts_at, a.ends_at, a.id) < std::tie(b.starts_at, b.ends_at, b.id);
        });
        return out;
    }
    std::vector<id_t> overlapping_in_room(id_t event_id, std::string_view room, instant starts,
                                          instant ends, std::optional<id_t> exclude) override {
        std::vector<id_t> out;
        for (const auto& [id, s] : s_.sessions)
            if (s.event_id == event_id && s.room == room && id != exclude &&
                overlaps(s.starts_at, s.ends_at, starts, ends))
                out.push_back(id);
        return out;
    }
    std::vector<id_t> overlapping_for_speakers(const std::vector<id_t>& speaker_ids, instant starts,
                                               instant ends, std::optional<id_t> exclude) override {
        std::vector<id_t> out;
        for (const auto& [id, s] : s_.sessions) {
            if (id == exclude || !overlaps(s.starts_at, s.ends_at, starts, ends)) continue;
            if (s_.events.at(s.event_id).status == event_status::cancelled) continue;
            for (const auto sp : speaker_ids)
                if (std::find(s.speaker_ids.begin(), s.speaker_ids.end(), sp) !=
                    s.speaker_ids.end()) {
                    out.push_back(id);
                    break;
                }
        }
        return out;
    }
    std::vector<session> published_for_speaker(id_t speaker_id) override {
        std::vector<session> out;
        for (const auto& [id, s] : s_.sessions)
            if (s_.events.at(s.event_id).status == event_status::published &&
                std::find(s.speaker_ids.begin(), s.speaker_ids.end(), speaker_id) !=
                    s.speaker_ids.end())
                out.push_back(s);
        return out;
    }
    std::vector<id_t> events_of_speaker(id_t speaker_id) override {
        std::vector<id_t> out;
        for (const auto& s : published_for_speaker(speaker_id))
            out.push_back(s.event_id);
        return out;
    }

private:
    memory_state& s_;
};

class memory_registrations final : public registrations_repository {
public:
    explicit memory_registrations(memory_state& s) : s_(s) {}
    // The fakes run one unit of work at a time.
    void hold_event(id_t) override {}
    void hold_event_of(id_t) override {}
    result<registration> insert(const registration& draft) override {
        // As the databases' partial unique index: only active registrations collide.
        for (const auto& [id, r] : s_.registrations)
            if (draft.active() && !draft.email.empty() && r.event_id == draft.event_id &&
                r.email == draft.email && r.active())
                return conflict(rule::already_registered, "email already registered");
        registration created = draft;
        created.id = s_.next_id++;
        s_.registrations[created.id] = created;
        for (const auto& seat : created.sessions)
            s_.seat_joined[{created.id, seat.session_id}] = s_.next_seat++;
        return created;
    }
    std::optional<registration> find(id_t id) override {
        const auto it = s_.registrations.find(id);
        if (it == s_.registrations.end()) return std::nullopt;
        auto r = it->second;
        r.waitlist_position.reset();
        if (r.status == registration_status::waitlisted) {
            int position = 0;
            for (const auto& [other_id, o] : s_.registrations)
                if (o.event_id == r.event_id && o.status == registration_status::waitlisted &&
                    other_id <= id)
                    ++position;
            r.waitlist_position = position;
        }
        for (auto& seat : r.sessions) {
            seat.waitlist_position.reset();
            if (seat.status != registration_status::waitlisted) continue;
            const auto joined = s_.seat_joined.at({id, seat.session_id});
            int position = 0;
            for (const auto& [other_id, o] : s_.registrations)
                for (const auto& other : o.sessions)
                    position += other.session_id == seat.session_id &&
                                other.status == registration_status::waitlisted &&
                                s_.seat_joined.at({other_id, other.session_id}) <= joined;
            seat.waitlist_position = position;
        }
        return r;
    }
    void read_ahead(id_t, std::string_view,
                    std::optional<std::pair<std::string, std::string>>) override {}
    event_seats seats(id_t event_id) override {
        return {count_confirmed(event_id), count_waitlisted(event_id)};
    }
    int count_confirmed(id_t event_id) override {
        int n = 0;
        for (const auto& [id, r] : s_.registrations)
            n += r.event_id == event_id && r.status == registration_status::confirmed;
        return n;
    }
    int count_session_confirmed(id_t session_id) override {
        int n = 0;
        for (const auto& [id, r] : s_.registrations)
            for (const auto& seat : r.sessions)
                n += seat.session_id == session_id && seat.status == registration_status::confirmed;
        return n;
    }
    int count_waitlisted(id_t event_id) override {
        int n = 0;
        for (const auto& [id, r] : s_.registrations)
            n += r.event_id == event_id && r.status == registration_status::waitlisted;
        return n;
    }
    int count_session_waitlisted(id_t session_id) override {
        int n = 0;
        for (const auto& [id, r] : s_.registrations)
            for (const auto& seat : r.sessions)
                n +=
                    seat.session_id == session_id && seat.status == registration_status::waitlisted;
        return n;
    }
    std::optional<id_t> first_waitlisted(id_t event_id) override {
        for (const auto& [id, r] : s_.registrations)
            if (r.event_id == event_id && r.status == registration_status::waitlisted) return id;
        return std::nullopt;
    }
    std::optional<id_t> first_waitlisted_seat(id_t session_id) override {
        std::optional<id_t> first;
        std::uint64_t first_joined = 0;
        for (const auto& [id, r] : s_.registrations)
            if (r.status == registration_status::confirmed)
                for (const auto& seat : r.sessions)
                    if (seat.session_id == session_id &&
                        seat.status == registration_status::waitlisted) {
                        const auto joined = s_.seat_joined.at({id, session_id});
                        if (!first || joined < first_joined) first = id, first_joined = joined;
                    }
        return first;
    }
    void set_status(id_t id, registration_status status, instant now) override {
        auto& r = s_.registrations.at(id);
        r.status = status;
        r.updated_at = now;
        if (status == registration_status::cancelled)
            for (auto& seat : r.sessions)
                seat.status = registration_status::cancelled;
    }
    void set_seat_status(id_t id, id_t session_id, registration_status status) override {
        for (auto& seat : s_.registrations.at(id).sessions)
            if (seat.session_id == session_id) seat.status = status;
    }
    void put_seat(id_t id, id_t session_id, registration_status status) override {
        auto& seats = s_.registrations.at(id).sessions;
        std::erase_if(seats,
                      [&](const session_seat& seat) { return seat.session_id == session_id; });
        seats.push_back({session_id, status, {}});
        s_.seat_joined[{id, session_id}] = s_.next_seat++;
    }
    void check_in(id_t id, instant now) override { s_.registrations.at(id).checked_in_at = now; }
    void undo_check_in(id_t id, instant now) override {
        auto& r = s_.registrations.at(id);
        r.checked_in_at.reset();
        r.updated_at = now;
    }
    void put_answers(id_t id, id_t, const std::vector<stored_answer>& rows) override {
        s_.answer_rows[id] = rows;
        s_.registrations.at(id).answers = answers_from(rows);
    }
    void set_organization(id_t id, const std::optional<std::string>& value, instant now) override {
        s_.registrations.at(id).organization = value;
        s_.registrations.at(id).updated_at = now;
    }
    answered_options answered(id_t event_id) override {
        answered_options out;
        for (const auto& [id, rows] : s_.answer_rows)
            if (s_.registrations.at(id).event_id == event_id)
                for (const auto& row : rows)
                    out[row.question_code].insert(row.choice);
        return out;
    }
    answer_counts counted_answers(id_t event_id) override {
        answer_counts out;
        for (const auto& [id, rows] : s_.answer_rows) {
            const auto& r = s_.registrations.at(id);
            if (r.event_id == event_id && r.active())
                for (const auto& row : rows)
                    if (!row.choice.empty()) ++out[row.question_code][row.choice];
        }
        return out;
    }
    page<registration> list(id_t event_id, std::optional<registration_status> status,
                            const std::optional<std::string>& folded_query,
                            const page_request& request, list_order order) override {
        std::vector<registration> rows;
        for (const auto& [id, r] : s_.registrations)
            if (r.event_id == event_id && (!status || r.status == *status) &&
                (!folded_query ||
                 search_fold(r.full_name + " " + r.organization.value_or("") + " " + r.email)
                         .find(*folded_query) != std::string::npos))
                rows.push_back(*find(id));
        if (order == list_order::by_name) rows = by_name(std::move(rows));
        if (request.after) {
            // Past the cursor's row in this order (the row itself may have left the list).
            const auto cursor = find(*request.after);
            const auto past = [&](const registration& r) {
                if (order == list_order::registered || !cursor) return r.id > *request.after;
                const auto a = name_sort_key(r.given_name, r.family_name, r.full_name);
                const auto b =
                    name_sort_key(cursor->given_name, cursor->family_name, cursor->full_name);
                return a != b ? a > b : r.id > cursor->id;
            };
            std::erase_if(rows, [&](const registration& r) { return !past(r); });
        }
        return page_of(rows, request);
    }
    std::vector<registration> all_for_event(id_t event_id) override {
        return list(event_id, std::nullopt, std::nullopt, {1000, std::nullopt}, list_order::by_name)
            .items;
    }
    std::vector<instant> registration_times(id_t event_id) override {
        std::vector<instant> out;
        for (const auto& [id, r] : s_.registrations)
            if (r.event_id == event_id) out.push_back(r.created_at);
        return out;
    }
    registration_stats stats(id_t event_id) override {
        registration_stats out;
        for (const auto& [id, r] : s_.registrations) {
            if (r.event_id != event_id) continue;
            out.confirmed += r.status == registration_status::confirmed;
            out.waitlisted += r.status == registration_status::waitlisted;
            out.cancelled += r.status == registration_status::cancelled;
            out.checked_in += r.checked_in_at.has_value();
        }
        return out;
    }
    static bool of_person(const registration& r, std::optional<id_t> account_id,
                          std::optional<std::string_view> email) {
        return (account_id && r.account_id == account_id) ||
               (!r.account_id && email && r.email == *email);
    }
    std::vector<registration> for_person(std::optional<id_t> account_id,
                                         std::optional<std::string_view> email) override {
        std::vector<registration> rows;
        for (const auto& [id, r] : s_.registrations)
            if (of_person(r, account_id, email)) rows.push_back(r);
        return rows;
    }
    void anonymize_for_person(std::optional<id_t> account_id, std::optional<std::string_view> email,
                              instant) override {
        for (auto& [id, r] : s_.registrations)
            if (of_person(r, account_id, email)) {
                r.full_name = "Anonyme";
                r.email = "erased-" + std::to_string(id) + "@invalid";
                r.organization.reset();
                r.account_id.reset();
                auto& rows = s_.answer_rows[id];
                std::erase_if(rows, [](const stored_answer& a) { return a.choice.empty(); });
                r.answers = answers_from(rows);
            }
    }
    std::optional<registration> active_by_email(id_t event_id, std::string_view email) override {
        for (const auto& [id, r] : s_.registrations)
            if (r.event_id == event_id && r.email == email && r.active()) return find(id);
        return std::nullopt;
    }
    std::vector<registration> active_for_event(id_t event_id) override {
        std::vector<registration> rows;
        for (const auto& [id, r] : s_.registrations)
            if (r.event_id == event_id && r.active()) rows.push_back(r);
        return by_name(std::move(rows));
    }
    // As the databases order them: by name_sort_key, then by id.
    static std::vector<registration> by_name(std::vector<registration> rows) {
        const auto key = [](const registration& r) {
            return name_sort_key(r.given_name, r.family_name, r.full_name);
        };
        std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
            return std::pair{key(a), a.id} < std::pair{key(b), b.id};
        });
        return rows;
    }
    std::optional<idempotency_record> find_reply(std::string_view scope,
                                                 std::string_view key) override {
        const auto it = s_.replies.find(std::string(scope) + "|" + std::string(key));
        return it == s_.replies.end() ? std::nullopt : std::optional(it->second);
    }
    void save_reply(std::string_view scope, std::string_view key, std::string_view caller,
                    std::string_view hash, const stored_reply& reply, instant) override {
        s_.replies[std::string(scope) + "|" + std::string(key)] = {std::string(hash), reply,
                                                                   std::string(caller)};
    }

private:
    memory_state& s_;
};

class memory_outbox final : public outbox_repository {
public:
    explicit memory_outbox(memory_state& s) : s_(s) {}
    void enqueue(const outbox_message& m) override {
        if (m.registration_id) {
            const auto r = s_.registrations.find(*m.registration_id);
            if (r != s_.registrations.end() &&
                s_.suppressions.count({r->second.event_id, m.recipient}))
                return;
        }
        auto stored = m;
        stored.id = s_.next_id++;
        s_.outbox.push_back(stored);
    }
    std::optional<instant> pending_for_event(message_kind kind, id_t event_id) override {
        std::optional<instant> earliest;
        for (const auto& m : s_.outbox)
            if (m.kind == kind && m.status == delivery_status::pending && of_event(m, event_id) &&
                (!earliest || m.next_attempt_at < *earliest))
                earliest = m.next_attempt_at;
        return earliest;
    }
    void drop_pending_for_event(message_kind kind, id_t event_id) override {
        std::erase_if(s_.outbox, [&](const outbox_message& m) {
            return m.kind == kind && m.status == delivery_status::pending && of_event(m, event_id);
        });
    }
    void drop_pending_for_registration(message_kind kind, id_t registration_id) override {
        std::erase_if(s_.outbox, [&](const outbox_message& m) {
            return m.kind == kind && m.status == delivery_status::pending &&
                   m.registration_id == registration_id;
        });
    }
    bool of_event(const outbox_message& m, id_t event_id) const {
        if (!m.registration_id) return false;
        const auto r = s_.registrations.find(*m.registration_id);
        return r != s_.registrations.end() && r->second.event_id == event_id;
    }
    void suppress(id_t event_id, std::string_view email, instant) override {
        s_.suppressions.insert({event_id, std::string(email)});
    }
    std::vector<outbox_message> due(instant now, int limit) override {
        std::vector<outbox_message> out;
        for (const auto& m : s_.outbox)
            if (m.status == delivery_status::pending && m.next_attempt_at <= now &&
                static_cast<int>(out.size()) < limit)
                out.push_back(m);
        return out;
    }
    std::optional<outbox_message> find(id_t id) override {
        for (const auto& m : s_.outbox)
            if (m.id == id) return m;
        return std::nullopt;
    }
    outbox_message& at(id_t id) {
        for (auto& m : s_.outbox)
            if (m.id == id) return m;
        throw std::out_of_range("no such message");
    }
    void mark_delivered(const std::vector<id_t>& ids, instant now) override {
        for (const auto id : ids) {
            auto& m = at(id);
            m.status = delivery_status::delivered;
            m.delivered_at = now;
            m.last_error.reset();
            ++m.attempts;
        }
    }
    void postpone(id_t id, instant next, std::string_view error) override {
        auto& m = at(id);
        m.next_attempt_at = next;
        m.last_error = std::string(error);
        ++m.attempts;
    }
    void fail(id_t id, std::string_view error) override {
        auto& m = at(id);
        m.status = delivery_status::failed;
        m.last_error = std::string(error);
        ++m.attempts;
    }
    void requeue(id_t id, instant now) override {
        auto& m = at(id);
        if (m.status != delivery_status::failed) return;
        m.status = delivery_status::pending;
        m.attempts = 0;
        m.next_attempt_at = now;
    }
    page<outbox_message> list(std::optional<delivery_status> status,
                              const page_request& request) override {
        std::vector<outbox_message> rows;
        for (const auto& m : s_.outbox)
            if (!status || m.status == *status) rows.push_back(m);
        return page_of(rows, request);
    }
    bool of_person(const outbox_message& m, id_t account_id,
                   std::optional<std::string_view> email) const {
        if (m.account_id == account_id || (email && m.recipient == *email)) return true;
        if (!m.registration_id) return false;
        const auto r = s_.registrations.find(*m.registration_id);
        return r != s_.registrations.end() && r->second.account_id == account_id;
    }
    void erase_for_person(id_t account_id, std::optional<std::string_view> email) override {
        for (auto& m : s_.outbox)
            if (of_person(m, account_id, email)) m.recipient = m.body = "erased";
    }
    std::vector<outbox_message> for_person(id_t account_id,
                                           std::optional<std::string_view> email) override {
        std::vector<outbox_message> rows;
        for (const auto& m : s_.outbox)
            if (of_person(m, account_id, email)) rows.push_back(m);
        return rows;
    }
    std::vector<outbox_message> for_registration(id_t registration_id) override {
        std::vector<outbox_message> rows;
        for (const auto& m : s_.outbox)
            if (m.registration_id == registration_id) rows.push_back(m);
        return rows;
    }

private:
    memory_state& s_;
};

class memory_labels final : public labels_repository {
public:
    explicit memory_labels(memory_state& s) : s_(s) {}
    result<campaign> insert_campaign(const campaign& draft) override {
        if (find_campaign_by_year(draft.year))
            return conflict(rule::campaign_year_taken, "year taken");
        campaign c = draft;
        c.id = s_.next_id++;
        s_.campaigns[c.id] = c;
        return c;
    }
    void update_campaign(const campaign& c) override { s_.campaigns[c.id] = c; }
    std::optional<campaign> find_campaign(id_t id) override {
        const auto it = s_.campaigns.find(id);
        return it == s_.campaigns.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<campaign> find_campaign_by_year(int year) override {
        for (const auto& [id, c] : s_.campaigns)
            if (c.year == year) return c;
        return std::nullopt;
    }
    std::vector<campaign> list_campaigns(bool drafts) override {
        std::vector<campaign> out;
        for (const auto& [id, c] : s_.campaigns)
            if (drafts || c.status != campaign_status::draft) out.push_back(c);
        return out;
    }
    result<candidacy> insert_candidacy(const candidacy& d) override {
        for (const auto& [id, c] : s_.candidacies)
            if (c.campaign_id == d.campaign_id && c.territory_id == d.territory_id &&
                c.category == d.category && c.status != candidacy_status::withdrawn)
                return conflict(rule::candidacy_exists, "active candidacy exists");
        candidacy c = d;
        c.id = s_.next_id++;
        s_.candidacies[c.id] = c;
        return c;
    }
    result<void> update_candidacy(const candidacy& c) override {
        s_.candidacies[c.id] = c;
        return {};
    }
    std::optional<candidacy> find_candidacy(id_t id) override {
        const auto it = s_.candidacies.find(id);
        return it == s_.candidacies.end() ? std::nullopt : std::optional(it->second);
    }
    std::vector<candidacy> list_candidacies(id_t campaign_id,
                                            const std::optional<std::string>& category,
                                            std::optional<candidacy_status> status,
                                            std::optional<id_t> by) override {
        std::vector<candidacy> out;
        for (const auto& [id, c] : s_.candidacies)
            if (c.campaign_id == campaign_id && (!category || c.category == *category) &&
                (!status || c.status == *status) && (!by || c.submitted_by == *by))
                out.push_back(c);
        return out;
    }
    review save_review(const review& d) override {
        std::erase_if(s_.reviews, [&](const auto& e) {
            return e.second.candidacy_id == d.candidacy_id && e.second.reviewer_id == d.reviewer_id;
        });
        review r = d;
        r.id = s_.next_id++;
        s_.reviews[r.id] = r;
        return r;
    }
    std::vector<review> reviews_of(id_t candidacy_id) override {
        std::vector<review> out;
        for (const auto& [id, r] : s_.reviews)
            if (r.candidacy_id == candidacy_id) out.push_back(r);
        return out;
    }
    std::vector<review> reviews_of_campaign(id_t campaign_id) override {
        std::vector<review> out;
        for (const auto& [id, r] : s_.reviews)
            if (s_.candidacies.at(r.candidacy_id).campaign_id == campaign_id) out.push_back(r);
        return out;
    }
    result<award> insert_award(const award& d) override {
        for (const auto& [id, a] : s_.awards)
            if (a.candidacy_id == d.candidacy_id && !a.revoked_at)
                return conflict(rule::award_exists, "already awarded");
        award a = d;
        a.id = s_.next_id++;
        s_.awards[a.id] = a;
        return a;
    }
    std::optional<award> find_award(id_t id) override {
        const auto it = s_.awards.find(id);
        return it == s_.awards.end() ? std::nullopt : std::optional(it->second);
    }
    void revoke_award(id_t id, instant at, const std::string& reason) override {
        s_.awards.at(id).revoked_at = at;
        s_.awards.at(id).revocation_reason = reason;
    }
    std::vector<award> active_awards(id_t campaign_id) override {
        std::vector<award> out;
        for (const auto& [id, a] : s_.awards)
            if (a.campaign_id == campaign_id && !a.revoked_at) out.push_back(a);
        return out;
    }

private:
    memory_state& s_;
};

// Records which agendas were reported changed.
class recording_observer final : public agenda_observer {
public:
    void agenda_changed(id_t event_id) override { changed.push_back(event_id); }
    std::vector<id_t> changed;
};

// Records what is announced; webhooks themselves are tested on the SQLite adapter.
class memory_webhooks final : public webhooks_repository {
public:
    explicit memory_webhooks(memory_state& s) : s_(s) {}
    void announce(std::string_view type, std::optional<id_t> event_id, id_t subject_id,
                  instant) override {
        s_.announced.emplace_back(std::string(type), event_id, subject_id);
    }
    webhook insert(const webhook&) override { throw std::logic_error("not in the fakes"); }
    std::optional<webhook> find(id_t) override { return std::nullopt; }
    std::vector<webhook> list(std::optional<id_t>) override { return {}; }
    std::vector<webhook> for_event(id_t) override { return {}; }
    void update(const webhook&) override {}
    void remove(id_t) override {}
    std::vector<due_delivery> due(instant, int) override { return {}; }
    void record(id_t, delivery_status, const webhook_report&, std::optional<instant>,
                instant) override {}
    page<webhook_delivery> deliveries(id_t, const page_request&) override { return {}; }
    page<webhook_delivery> failed_deliveries(const page_request&) override { return {}; }
    std::optional<webhook_delivery> find_delivery(id_t) override { return std::nullopt; }
    void requeue_delivery(id_t, instant) override {}

private:
    memory_state& s_;
};

// Questions from the floor and polls are tested on the SQLite adapter (and PostgreSQL's).
class memory_floor final : public floor_repository {
public:
    std::int64_t next_seq(id_t) override { throw std::logic_error("not in the fakes"); }
    std::int64_t current_seq(id_t) override { return 0; }
    floor_question insert_question(const floor_question&) override {
        throw std::logic_error("not in the fakes");
    }
    std::optional<floor_question> find_question(id_t) override { return std::nullopt; }
    std::vector<floor_question> list_questions(id_t, const std::vector<floor_status>&, int,
                                               int) override {
        return {};
    }
    void update_question(const floor_question&) override {}
    bool add_vote(id_t, const std::string&) override { return false; }
    void counted_vote(id_t, std::int64_t) override {}
    poll insert_poll(const poll&) override { throw std::logic_error("not in the fakes"); }
    std::optional<poll> find_poll(id_t) override { return std::nullopt; }
    std::vector<poll> list_polls(id_t) override { return {}; }
    std::optional<id_t> open_poll_of(id_t) override { return std::nullopt; }
    void update_poll(const poll&) override {}
    bool add_answer(id_t, const std::string&, const std::vector<id_t>&, std::int64_t) override {
        return false;
    }
    bool answered(id_t, const std::string&) override { return false; }
    floor_changes changes_since(id_t, std::int64_t) override { return {}; }
};

// Reports are tested on the SQLite adapter (and PostgreSQL's).
class memory_reports final : public reports_repository {
public:
    std::optional<report> find(id_t) override { return std::nullopt; }
    void save(const report&) override { throw std::logic_error("not in the fakes"); }
    std::vector<report> published(int) override { return {}; }
};

class memory_store final : public store {
public:
    class uow final : public unit_of_work {
    public:
        explicit uow(memory_store& owner)
            : owner_(owner), copy_(owner.state), accounts_(copy_), territories_(copy_),
              audit_(copy_), events_(copy_), speakers_(copy_), sessions_(copy_),
              registrations_(copy_), outbox_(copy_), labels_(copy_), webhooks_(copy_) {}
        accounts_repository& accounts() override { return accounts_; }
        territories_repository& territories() override { return territories_; }
        audit_repository& audit() override { return audit_; }
        events_repository& events() override { return events_; }
        speakers_repository& speakers() override { return speakers_; }
        sessions_repository& sessions() override { return sessions_; }
        registrations_repository& registrations() override { return registrations_; }
        outbox_repository& outbox() override { return outbox_; }
        labels_repository& labels() override { return labels_; }
        webhooks_repository& webhooks() override { return webhooks_; }
        floor_repository& floor() override { return floor_; }
        reports_repository& reports() override { return reports_; }
        // Memory is "durable" at once: no ticket to wait for.
        durability_ticket commit() override {
            owner_.state = copy_;
            ++owner_.commits;
            return {};
        }
        durability_ticket ticket() const override { return {}; }
        // One unit of work at a time, as SQLite's single writer: every turn is held already.
        bool take_turn(turn, id_t) override { return false; }

    private:
        memory_store& owner_;
        memory_state copy_;
        memory_accounts accounts_;
        memory_territories territories_;
        memory_audit audit_;
        memory_events events_;
        memory_speakers speakers_;
        memory_sessions sessions_;
        memory_registrations registrations_;
        memory_outbox outbox_;
        memory_labels labels_;
        memory_webhooks webhooks_;
        memory_floor floor_;
        memory_reports reports_;
    };

    std::unique_ptr<unit_of_work> begin(access) override { return std::make_unique<uow>(*this); }
    bool ready() override { return true; }
    bool writable() override { return true; }
    void when_durable(durability_ticket, std::function<void(bool)> settled) override {
        settled(true);
    }
    void wait_durable(durability_ticket) override {}

    memory_state state;
    int commits = 0;
};

class fake_hasher final : public password_hasher {
public:
    std::string hash(std::string_view password) override {
        return "hashed:" + std::string(password);
    }
    bool verify(std::string_view stored, std::string_view password) override {
        return stored == "hashed:" + std::string(password);
    }
};

// Seals by prefixing, so tests can see that stored replies are not kept as given.
class fake_sealer final : public reply_sealer {
public:
    std::string seal(std::string_view plain) override { return "sealed:" + std::string(plain); }
    std::optional<std::string> open(std::string_view sealed) override {
        if (sealed.rfind("sealed:", 0) != 0) return std::nullopt;
        return std::string(sealed.substr(7));
    }
};

class fake_minter final : public token_minter {
public:
    std::string mint() override { return "token-" + std::to_string(++count_); }
    std::string digest(std::string_view token) override { return "digest:" + std::string(token); }

private:
    int count_ = 0;
};

inline instant at(const char* text) {
    return *parse_instant(text);
}

} // namespace rencontres::testing

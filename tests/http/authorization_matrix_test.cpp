// The authorization matrix: every route of the router, called as anonymous, participant,
// organizer owning the object, organizer not owning it, juror and admin, on objects that belong
// to someone else, with the status each must get. A route of the router without a row fails
// the test, so a new endpoint cannot ship without saying who may call it.
//
// A row's target and body are functions of the caller: routes that consume their object
// (delete, cancel, check in, publish) get a fresh one for each caller, so that every call meets
// the same state.
#include "support/test_server.hpp"

#include <array>
#include <functional>
#include <gtest/gtest.h>
#include <map>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

constexpr std::array<role, 6> caller_roles = {role::participant, role::participant, role::organizer,
                                              role::organizer,   role::jury,        role::admin};

using statuses = std::array<int, 6>; // anonymous, participant, owner, other, jury, admin
constexpr statuses anyone_200 = {200, 200, 200, 200, 200, 200};
constexpr statuses nobody_404 = {404, 404, 404, 404, 404, 404};
constexpr statuses bearer_200 = {401, 200, 200, 200, 200, 200};
constexpr statuses admin_only_200 = {401, 403, 403, 403, 403, 200};
constexpr statuses admin_only_201 = {401, 403, 403, 403, 403, 201};
constexpr statuses owner_200 = {401, 403, 200, 403, 403, 200};
constexpr statuses owner_202 = {401, 403, 202, 403, 403, 202};
constexpr statuses organizers_200 = {401, 403, 200, 200, 403, 200};
constexpr statuses organizers_201 = {401, 403, 201, 201, 403, 201};
constexpr statuses owner_of_draft_200 = {404, 404, 200, 404, 404, 200};
constexpr statuses owner_of_draft_204 = {404, 404, 204, 404, 404, 204};
// Registrations are someone else's to every bearer here but the event's organizers: 404.
constexpr statuses registration_owner_200 = {401, 404, 200, 404, 404, 200};
constexpr statuses registration_owner_204 = {401, 404, 204, 404, 404, 204};

struct authorization_matrix : ::testing::Test {
    // Webhooks aim at a closed port of this machine: no delivery leaves it.
    test_server server{[](config& c) { c.webhooks.allow_private_targets = true; }};
    std::array<std::string, 6> tokens = caller_tokens(server);
    int serial = 0; // makes names, emails, SIRENs and rooms unique

    std::string id_of(const reply& r, int expected) {
        EXPECT_EQ(r.status, expected) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    std::string post(const std::string& target, const value& body, caller as = owner) {
        return id_of(server.call("POST", target, body, tokens[as]), 201);
    }
    std::string territory(caller by = admin) {
        const int n = ++serial;
        return post("/v1/territories",
                    object{{"name", "Territoire " + std::to_string(n)},
                           {"kind", "commune"},
                           {"siren", siren(n)},
                           {"region", "Nouvelle-Aquitaine"}},
                    by);
    }
    // An event of the owner: a draft, or published with registrations open.
    std::string event(bool published) {
        const auto id =
            post("/v1/events", object{{"title", "Rencontre " + std::to_string(++serial)},
                                      {"starts_at", "2031-06-11T09:00:00+02:00"},
                                      {"ends_at", "2031-06-11T17:00:00+02:00"},
                                      {"venue", object{{"city", "Guéret"}}},
                                      {"capacity", 100}});
        if (published) {
            EXPECT_EQ(
                server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, tokens[owner])
                    .status,
                200);
        }
        return id;
    }
    object session_body() {
        return object{{"title", "Atelier " + std::to_string(++serial)},
                      {"kind", "workshop"},
                      {"room", "Salle " + std::to_string(serial)},
                      {"starts_at", "2031-06-11T14:00:00+02:00"},
                      {"ends_at", "2031-06-11T15:00:00+02:00"}};
    }
    object speaker_body() { return object{{"full_name", "Orateur " + std::to_string(++serial)}}; }
    object registration_body() {
        const auto n = std::to_string(++serial);
        return object{{"full_name", "Participant " + n},
                      {"email", "participant" + n + "@x.fr"},
                      {"consent", true}};
    }
    // A registration made without an account; its manage token and feed key come back once.
    object registration(const std::string& event_id) {
        const auto r =
            server.call("POST", "/v1/events/" + event_id + "/registrations", registration_body());
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json().as_object();
    }
    std::string campaign(int year) {
        const auto id = post(
            "/v1/label-campaigns",
            object{{"year", year},
                   {"name", "Label " + std::to_string(year)},
                   {"categories", boost::json::parse(R"([{"code":"tiers-lieux","name":"Tiers"},
                                                         {"code":"economie","name":"Eco"}])")},
                   {"criteria", boost::json::parse(R"([{"code":"innovation","name":"Innovation",
                                                       "weight":2,"eliminatory":true}])")},
                   {"candidacy_opens_at", "2020-01-01T00:00:00Z"},
                   {"candidacy_closes_at", "2040-01-01T00:00:00Z"}},
            admin);
        EXPECT_EQ(server
                      .call("PATCH", "/v1/label-campaigns/" + id, object{{"status", "open"}},
                            tokens[admin])
                      .status,
                  200);
        return id;
    }
    object candidacy_body(const std::string& territory_id) {
        return object{{"territory_id", territory_id},
                      {"category", "tiers-lieux"},
                      {"initiative_title", "Initiative " + std::to_string(++serial)}};
    }
};

struct row {
    std::string method;
    std::string pattern;
    std::function<std::string(caller)> target;
    std::function<std::optional<value>(caller)> body;
    statuses expected;
    // Routes that spend the caller's own token or account get a fresh one of the same role.
    bool fresh_caller = false;
};

TEST_F(authorization_matrix, every_route_answers_each_caller_as_the_matrix_says) {
    const auto published = event(true);
    const auto draft = event(false);
    const auto session = post("/v1/events/" + published + "/sessions", session_body());
    const auto draft_session = post("/v1/events/" + draft + "/sessions", session_body());
    const auto speaker = post("/v1/speakers", speaker_body());
    const auto territory_id = territory();
    const auto owned_territory = territory(owner); // its creator may edit it, like admins
    const auto held = registration(published);
    const std::string held_id(held.at("id").as_string());
    const std::string feed_key(held.at("feed_key").as_string());
    const auto juror_id = std::to_string(server.account_id("jury@x.fr"));
    server.token_for(role::organizer, "co@x.fr");
    const auto co_organizer = std::to_string(server.account_id("co@x.fr"));
    const auto label = campaign(2026);
    const auto candidacy =
        post("/v1/label-campaigns/" + label + "/candidacies", candidacy_body(territory()), owner);
    const auto award =
        post("/v1/label-campaigns/" + label + "/awards",
             object{{"candidacy_id", post("/v1/label-campaigns/" + label + "/candidacies",
                                          candidacy_body(territory()), owner)},
                    {"level", "bronze"}},
             admin);

    const std::string message(server.call("GET", "/v1/admin/outbox", std::nullopt, tokens[admin])
                                  .json()
                                  .at("items")
                                  .at(0)
                                  .at("id")
                                  .as_string());
    // Webhooks to a documentation address (public, and never called in this test).
    const auto hook_body = [&](std::optional<std::string> event) {
        object o{{"url", "http://127.0.0.1:9/hook"},
                 {"events", boost::json::array{"registration.created"}}};
        if (event) o["event_id"] = *event;
        return o;
    };
    const auto owners_hook = post("/v1/webhooks", hook_body(published), owner);
    // Invitations an admin sent: to a new address each time.
    const auto admins_invitation = [&] {
        return post("/v1/accounts/invitations",
                    object{{"email", "invitee" + std::to_string(++serial) + "@x.fr"},
                           {"display_name", "Invitée"},
                           {"role", "jury"}},
                    admin);
    };
    const auto kept_invitation = admins_invitation();
    const auto admins_hook = post("/v1/webhooks", hook_body(std::nullopt), admin);
    const auto at = [](std::string target) { return [target](caller) { return target; }; };
    const auto none = [](caller) { return std::optional<value>{}; };
    const auto with = [](value v) { return [v](caller) { return std::optional<value>{v}; }; };
    const auto fresh = [](std::function<value()> make) {
        return [make](caller) { return std::optional<value>{make()}; };
    };
    const auto events = "/v1/events/" + published;
    // Questions from the floor and polls, on sessions of the published event that take them.
    const auto floor_session = [&] {
        const auto id = post(events + "/sessions", session_body());
        EXPECT_EQ(server
                      .call("PATCH", events + "/sessions/" + id, object{{"questions", "open"}},
                            tokens[owner])
                      .status,
                  200);
        return id;
    };
    const auto room = floor_session();
    const auto floor_question =
        post("/v1/sessions/" + room + "/floor-questions", object{{"text", "Et la fibre ?"}});
    const auto poll_body =
        object{{"question", "Oui ?"}, {"options", boost::json::array{"Oui", "Non"}}};
    const auto draft_poll = post("/v1/sessions/" + room + "/polls", poll_body);
    // An open poll of a session of its own, with its first option, for each caller (once each,
    // whether the target or the body asks first).
    std::map<int, std::pair<std::string, std::string>> open_polls;
    const auto open_poll_of = [&](caller as) -> const std::pair<std::string, std::string>& {
        auto& made = open_polls[as];
        if (made.first.empty()) {
            const auto r = server.call("POST", "/v1/sessions/" + floor_session() + "/polls",
                                       poll_body, tokens[owner]);
            made = {std::string(r.json().at("id").as_string()),
                    std::string(r.json().at("options").at(0).at("id").as_string())};
            EXPECT_EQ(
                server
                    .call("POST", "/v1/polls/" + made.first + "/open", std::nullopt, tokens[owner])
                    .status,
                200);
        }
        return made;
    };
    EXPECT_EQ(
        server
            .call("PUT", events + "/report", object{{"introduction", "Brouillon."}}, tokens[owner])
            .status,
        200);
    const std::vector<row> rows{
        // questions from the floor and polls
        {"POST",
         "/v1/sessions/{id}/floor-questions",
         at("/v1/sessions/" + room + "/floor-questions"),
         with(object{{"text", "Et le haut débit ?"}}),
         {201, 201, 201, 201, 201, 201}},
        {"GET", "/v1/sessions/{id}/floor-questions",
         at("/v1/sessions/" + room + "/floor-questions"), none, anyone_200},
        {"POST", "/v1/floor-questions/{id}/vote",
         at("/v1/floor-questions/" + floor_question + "/vote"), none, anyone_200},
        {"PATCH", "/v1/floor-questions/{id}", at("/v1/floor-questions/" + floor_question),
         with(object{{"status", "published"}}), owner_200},
        {"POST",
         "/v1/sessions/{id}/polls",
         at("/v1/sessions/" + room + "/polls"),
         with(poll_body),
         {401, 403, 201, 403, 403, 201}},
        {"GET", "/v1/sessions/{id}/polls", at("/v1/sessions/" + room + "/polls"), none, anyone_200},
        {"GET", "/v1/polls/{id}", at("/v1/polls/" + draft_poll), none, owner_of_draft_200},
        {"POST", "/v1/polls/{id}/open",
         [&](caller) {
             return "/v1/polls/" + post("/v1/sessions/" + floor_session() + "/polls", poll_body) +
                    "/open";
         },
         none, owner_of_draft_200},
        {"POST", "/v1/polls/{id}/close",
         [&](caller as) { return "/v1/polls/" + open_poll_of(as).first + "/close"; }, none,
         owner_200},
        {"POST", "/v1/polls/{id}/answers",
         [&](caller as) {
             return "/v1/polls/" + open_poll_of(static_cast<caller>(as + 10)).first + "/answers";
         },
         [&](caller as) {
             return std::optional<value>{object{
                 {"option_ids",
                  boost::json::array{value(open_poll_of(static_cast<caller>(as + 10)).second)}}}};
         },
         anyone_200},
        // a stream that opens never ends: a draft's, which nobody else sees, for those who may
        // not listen (tests/http/floor_http_test.cpp listens)
        {"GET", "/v1/sessions/{id}/stream",
         [&](caller as) {
             return "/v1/sessions/" +
                    (as == owner || as == admin ? std::string("999999999") : draft_session) +
                    "/stream";
         },
         none, nobody_404},
        // operations
        {"GET", "/healthz", at("/healthz"), none, anyone_200},
        {"GET", "/readyz", at("/readyz"), none, anyone_200},
        {"GET", "/metrics", at("/metrics"), none, anyone_200},
        {"GET", "/openapi.json", at("/openapi.json"), none, anyone_200},
        // accounts and tokens
        {"POST",
         "/v1/accounts",
         at("/v1/accounts"),
         fresh([&] {
             return object{{"email", "new" + std::to_string(++serial) + "@x.fr"},
                           {"password", "correct horse battery"},
                           {"display_name", "Nouveau"}};
         }),
         {201, 201, 201, 201, 201, 201}},
        // anyone may present a verification token; this one proves nothing
        {"POST",
         "/v1/accounts/verify",
         at("/v1/accounts/verify"),
         with(object{{"token", "not-a-token-we-sent"}}),
         {422, 422, 422, 422, 422, 422}},
        // every caller's email here is already verified
        {"POST",
         "/v1/me/verification",
         at("/v1/me/verification"),
         none,
         {401, 409, 409, 409, 409, 409}},
        {"GET", "/verification", at("/verification?token=abc"), none, anyone_200},
        {"POST",
         "/verification",
         at("/verification"),
         none,
         {415, 415, 415, 415, 415, 415}}, // a form, not JSON: see the verification page tests
        {"POST", "/v1/auth/token", at("/v1/auth/token"),
         with(object{{"email", "jury@x.fr"}, {"password", "correct horse battery"}}), anyone_200},
        {"DELETE",
         "/v1/auth/token",
         at("/v1/auth/token"),
         none,
         {401, 204, 204, 204, 204, 204},
         true},
        {"GET", "/v1/me", at("/v1/me"), none, bearer_200},
        // invitations: admins invite anyone, an event's organizers its co-organizers
        {"POST",
         "/v1/accounts/invitations",
         at("/v1/accounts/invitations"),
         fresh([&] {
             return object{{"email", "co" + std::to_string(++serial) + "@x.fr"},
                           {"display_name", "Co-organisatrice"},
                           {"role", "organizer"},
                           {"event_id", published}};
         }),
         {401, 403, 201, 403, 403, 201}},
        {"GET", "/v1/accounts/invitations", at("/v1/accounts/invitations"), none, organizers_200},
        {"POST",
         "/v1/accounts/invitations/accept",
         at("/v1/accounts/invitations/accept"),
         with(object{{"token", "not-a-token-we-sent"}, {"password", "correct horse battery"}}),
         {422, 422, 422, 422, 422, 422}},
        // another organizer's invitation does not exist for an organizer
        {"POST",
         "/v1/accounts/invitations/{id}/resend",
         at("/v1/accounts/invitations/" + kept_invitation + "/resend"),
         none,
         {401, 403, 404, 404, 403, 200}},
        {"DELETE",
         "/v1/accounts/invitations/{id}",
         [&](caller) { return "/v1/accounts/invitations/" + admins_invitation(); },
         none,
         {401, 403, 404, 404, 403, 204}},
        // the same answer for every address, known or not
        {"POST",
         "/v1/auth/password-reset",
         at("/v1/auth/password-reset"),
         fresh([&] {
             return object{{"email", "nobody" + std::to_string(++serial) + "@x.fr"}};
         }),
         {202, 202, 202, 202, 202, 202}},
        {"POST",
         "/v1/auth/password-reset/confirm",
         at("/v1/auth/password-reset/confirm"),
         with(object{{"token", "not-a-token-we-sent"}, {"password", "correct horse battery"}}),
         {422, 422, 422, 422, 422, 422}},
        {"GET", "/invitation", at("/invitation?token=abc"), none, {410, 410, 410, 410, 410, 410}},
        {"POST", "/invitation", at("/invitation"), none, {415, 415, 415, 415, 415, 415}},
        {"GET", "/mot-de-passe-oublie", at("/mot-de-passe-oublie"), none, anyone_200},
        {"POST",
         "/mot-de-passe-oublie",
         at("/mot-de-passe-oublie"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"GET",
         "/mot-de-passe",
         at("/mot-de-passe?token=abc"),
         none,
         {410, 410, 410, 410, 410, 410}},
        {"POST", "/mot-de-passe", at("/mot-de-passe"), none, {415, 415, 415, 415, 415, 415}},
        {"GET", "/v1/accounts", at("/v1/accounts"), none, admin_only_200},
        {"GET",
         "/v1/accounts/{id}",
         at("/v1/accounts/" + juror_id),
         none,
         {401, 403, 403, 403, 200, 200}}, // the juror's own account
        {"PATCH", "/v1/accounts/{id}", at("/v1/accounts/" + juror_id),
         with(object{{"display_name", "Juré"}}), admin_only_200},
        {"GET", "/v1/audit", at("/v1/audit"), none, admin_only_200},
        // territories
        {"GET", "/v1/territories", at("/v1/territories"), none, anyone_200},
        {"GET", "/v1/territories/{id}", at("/v1/territories/" + territory_id), none, anyone_200},
        {"POST", "/v1/territories", at("/v1/territories"), fresh([&] {
             const int n = ++serial;
             return object{{"name", "T" + std::to_string(n)},
                           {"kind", "commune"},
                           {"siren", siren(n)},
                           {"region", "Bretagne"}};
         }),
         organizers_201},
        {"PATCH", "/v1/territories/{id}", at("/v1/territories/" + owned_territory),
         with(object{{"department", "23"}}), owner_200},
        // events: the draft is invisible to all but its organizers and admins
        {"GET", "/v1/events", at("/v1/events"), none, anyone_200},
        {"POST", "/v1/events", at("/v1/events"),
         with(object{{"title", "Nouvelle rencontre"},
                     {"starts_at", "2031-09-01T09:00:00+02:00"},
                     {"ends_at", "2031-09-01T12:00:00+02:00"}}),
         organizers_201},
        {"GET", "/v1/events/{id}", at("/v1/events/" + draft), none, owner_of_draft_200},
        {"PATCH", "/v1/events/{id}", at(events), with(object{{"summary", "Mis à jour"}}),
         owner_200},
        {"DELETE", "/v1/events/{id}", [&](caller) { return "/v1/events/" + event(false); }, none,
         owner_of_draft_204},
        {"POST", "/v1/events/{id}/publish",
         [&](caller) { return "/v1/events/" + event(false) + "/publish"; }, none,
         owner_of_draft_200},
        {"POST", "/v1/events/{id}/cancel",
         [&](caller) { return "/v1/events/" + event(true) + "/cancel"; },
         with(object{{"reason", "Tempête"}}), owner_200},
        {"PUT", "/v1/events/{id}/organizers/{account_id}",
         at(events + "/organizers/" + co_organizer), none, owner_200},
        {"DELETE", "/v1/events/{id}/organizers/{account_id}",
         [&](caller) {
             const auto id = event(true);
             EXPECT_EQ(server
                           .call("PUT", "/v1/events/" + id + "/organizers/" + co_organizer,
                                 std::nullopt, tokens[owner])
                           .status,
                       200);
             return "/v1/events/" + id + "/organizers/" + co_organizer;
         },
         none, owner_200},
        {"GET", "/v1/events/{id}/stats", at(events + "/stats"), none, owner_200},
        {"GET", "/v1/events/{id}/questions", at(events + "/questions"), none, anyone_200},
        {"GET", "/v1/events/{id}/badges.pdf", at(events + "/badges.pdf"), none, owner_200},
        // a registration of an event not yet held has no certificate: 409 for those who may ask
        {"GET",
         "/v1/registrations/{id}/certificate.pdf",
         at("/v1/registrations/" + held_id + "/certificate.pdf"),
         none,
         {401, 404, 409, 404, 404, 409}},
        {"POST", "/v1/events/{id}/announcements", at(events + "/announcements"),
         with(object{{"subject", "Salle"}, {"body", "La salle change."}}), owner_202},
        // anyone may ask for their link again: the same 202 for an address registered or not
        {"POST",
         "/v1/events/{id}/registrations/link",
         at(events + "/registrations/link"),
         with(object{{"email", "personne@x.fr"}}),
         {202, 202, 202, 202, 202, 202}},
        {"PUT", "/v1/events/{id}/questions", at(events + "/questions"),
         with(object{{"items", boost::json::array{}}}), owner_200},
        // speakers
        {"GET", "/v1/speakers", at("/v1/speakers"), none, anyone_200},
        {"GET", "/v1/speakers/{id}", at("/v1/speakers/" + speaker), none, anyone_200},
        {"POST", "/v1/speakers", at("/v1/speakers"), fresh([&] { return speaker_body(); }),
         organizers_201},
        // a speaker is edited by its creator (the owner here), organizers of events where it
        // speaks, and admins
        {"PATCH", "/v1/speakers/{id}", at("/v1/speakers/" + speaker), with(object{{"bio", "Élu"}}),
         owner_200},
        {"DELETE",
         "/v1/speakers/{id}",
         [&](caller) { return "/v1/speakers/" + post("/v1/speakers", speaker_body()); },
         none,
         {401, 403, 204, 403, 403, 204}},
        // sessions and the agenda, on the draft for reads (invisible) and the published event
        // for writes (visible, so a stranger is told 403)
        {"GET", "/v1/events/{id}/sessions", at("/v1/events/" + draft + "/sessions"), none,
         owner_of_draft_200},
        {"GET", "/v1/events/{id}/sessions/{sid}",
         at("/v1/events/" + draft + "/sessions/" + draft_session), none, owner_of_draft_200},
        {"POST",
         "/v1/events/{id}/sessions",
         at(events + "/sessions"),
         fresh([&] { return session_body(); }),
         {401, 403, 201, 403, 403, 201}},
        {"PATCH", "/v1/events/{id}/sessions/{sid}", at(events + "/sessions/" + session),
         with(object{{"track", "Inclusion"}}), owner_200},
        {"DELETE",
         "/v1/events/{id}/sessions/{sid}",
         [&](caller) { return events + "/sessions/" + post(events + "/sessions", session_body()); },
         none,
         {401, 403, 204, 403, 403, 204}},
        {"GET", "/v1/events/{id}/agenda", at("/v1/events/" + draft + "/agenda"), none,
         owner_of_draft_200},
        {"GET", "/v1/events/{id}/agenda.ics", at("/v1/events/" + draft + "/agenda.ics"), none,
         owner_of_draft_200},
        // registrations: a participant's registration, someone else's to every bearer here
        {"POST",
         "/v1/events/{id}/registrations",
         at(events + "/registrations"),
         fresh([&] { return registration_body(); }),
         {201, 201, 201, 201, 201, 201}},
        {"GET", "/v1/events/{id}/registrations", at(events + "/registrations"), none, owner_200},
        {"GET", "/v1/events/{id}/registrations.csv", at(events + "/registrations.csv"), none,
         owner_200},
        {"GET", "/v1/registrations/{id}", at("/v1/registrations/" + held_id), none,
         registration_owner_200},
        {"PATCH", "/v1/registrations/{id}", at("/v1/registrations/" + held_id),
         with(object{{"organization", "Mairie de Limoges"}}), registration_owner_200},
        {"DELETE", "/v1/registrations/{id}",
         [&](caller) {
             return "/v1/registrations/" +
                    std::string(registration(published).at("id").as_string());
         },
         none, registration_owner_204},
        {"POST", "/v1/registrations/{id}/check-in",
         [&](caller) {
             return "/v1/registrations/" +
                    std::string(registration(published).at("id").as_string()) + "/check-in";
         },
         none, registration_owner_200},
        // undone once checked in by the event's organizers
        {"DELETE", "/v1/registrations/{id}/check-in",
         [&](caller) {
             const auto path = "/v1/registrations/" +
                               std::string(registration(published).at("id").as_string()) +
                               "/check-in";
             EXPECT_EQ(server.call("POST", path, std::nullopt, tokens[owner]).status, 200);
             return path;
         },
         none, registration_owner_200},
        {"GET", "/v1/registrations/{id}/calendar.ics",
         at("/v1/registrations/" + held_id + "/calendar.ics?key=" + feed_key), none, anyone_200},
        {"GET", "/v1/me/registrations", at("/v1/me/registrations"), none, bearer_200},
        {"GET", "/v1/me/export", at("/v1/me/export"), none, bearer_200},
        {"DELETE", "/v1/me", at("/v1/me"), none, {401, 204, 204, 204, 204, 204}, true},
        {"GET", "/v1/admin/outbox", at("/v1/admin/outbox"), none, admin_only_200},
        // the label
        {"POST",
         "/v1/label-campaigns",
         at("/v1/label-campaigns"),
         fresh([&] {
             return object{
                 {"year", 2030 + ++serial % 70},
                 {"name", "Label"},
                 {"categories", boost::json::parse(R"([{"code":"a","name":"A"}])")},
                 {"criteria", boost::json::parse(R"([{"code":"c","name":"C","weight":1}])")},
                 {"candidacy_opens_at", "2027-01-01T00:00:00Z"},
                 {"candidacy_closes_at", "2027-06-01T00:00:00Z"}};
         }),
         {401, 403, 403, 403, 403, 201}},
        {"GET", "/v1/label-campaigns", at("/v1/label-campaigns"), none, anyone_200},
        {"GET", "/v1/label-campaigns/{id}", at("/v1/label-campaigns/" + label), none, anyone_200},
        {"PATCH", "/v1/label-campaigns/{id}", at("/v1/label-campaigns/" + label),
         with(object{{"name", "Label 2026 (bis)"}}), admin_only_200},
        {"POST", "/v1/label-campaigns/{id}/candidacies",
         at("/v1/label-campaigns/" + label + "/candidacies"),
         fresh([&] { return candidacy_body(territory()); }), organizers_201},
        {"GET", "/v1/label-campaigns/{id}/candidacies",
         at("/v1/label-campaigns/" + label + "/candidacies"), none, bearer_200},
        {"GET",
         "/v1/label-campaigns/{id}/ranking",
         at("/v1/label-campaigns/" + label + "/ranking"),
         none,
         {401, 403, 403, 403, 200, 200}},
        {"POST", "/v1/label-campaigns/{id}/awards",
         [&](caller) { return "/v1/label-campaigns/" + label + "/awards"; }, fresh([&] {
             return object{{"candidacy_id", post("/v1/label-campaigns/" + label + "/candidacies",
                                                 candidacy_body(territory()), owner)},
                           {"level", "or"}};
         }),
         admin_only_201},
        {"PATCH",
         "/v1/candidacies/{id}",
         at("/v1/candidacies/" + candidacy),
         with(object{{"summary", "Mise à jour"}}),
         {401, 404, 200, 404, 403, 403}},
        {"POST",
         "/v1/candidacies/{id}/reviews",
         at("/v1/candidacies/" + candidacy + "/reviews"),
         with(boost::json::parse(R"({"scores":[{"criterion":"innovation","score":4}]})")),
         {401, 403, 403, 403, 201, 201}},
        {"GET",
         "/v1/candidacies/{id}/reviews",
         at("/v1/candidacies/" + candidacy + "/reviews"),
         none,
         {401, 403, 403, 403, 200, 200}},
        {"DELETE", "/v1/awards/{id}", at("/v1/awards/" + award), with(object{{"reason", "Erreur"}}),
         admin_only_200},
        {"GET", "/v1/palmares/{year}", at("/v1/palmares/2026"), none, anyone_200},
        {"GET", "/v1/palmares/{year}.csv", at("/v1/palmares/2026.csv"), none, anyone_200},
        // the public site: no bearer token is read there; a registration's pages open with its
        // manage token only, and forms must be forms
        // a message that was not failed cannot be queued again
        {"POST",
         "/v1/admin/outbox/{id}/retry",
         at("/v1/admin/outbox/" + message + "/retry"),
         none,
         {401, 403, 403, 403, 403, 409}},
        // webhooks: organizers for their events, admins for any; seen by owner and admins only
        {"POST",
         "/v1/webhooks",
         at("/v1/webhooks"),
         with(hook_body(published)),
         {401, 403, 201, 422, 403, 201}},
        {"GET", "/v1/webhooks", at("/v1/webhooks"), none, {401, 403, 200, 200, 403, 200}},
        {"GET",
         "/v1/webhooks/{id}",
         at("/v1/webhooks/" + owners_hook),
         none,
         {401, 404, 200, 404, 404, 200}},
        {"PATCH",
         "/v1/webhooks/{id}",
         at("/v1/webhooks/" + owners_hook),
         with(object{{"status", "paused"}}),
         {401, 404, 200, 404, 404, 200}},
        {"GET",
         "/v1/webhooks/{id}/deliveries",
         at("/v1/webhooks/" + owners_hook + "/deliveries"),
         none,
         {401, 404, 200, 404, 404, 200}},
        {"DELETE",
         "/v1/webhooks/{id}",
         at("/v1/webhooks/" + admins_hook),
         none,
         {401, 404, 404, 404, 404, 204}},
        // every webhook of the event, for its organizers
        // the meeting's report: a draft on the published event (not started: 409 to publish)
        {"GET", "/v1/events/{id}/report", at(events + "/report"), none, owner_of_draft_200},
        {"PUT", "/v1/events/{id}/report", at(events + "/report"),
         with(object{{"introduction", "Une journée d'échanges."}}), owner_200},
        {"POST",
         "/v1/events/{id}/report/publish",
         at(events + "/report/publish"),
         none,
         {401, 403, 409, 403, 403, 409}},
        {"GET", "/rapports.atom", at("/rapports.atom"), none, anyone_200},
        {"GET", "/v1/events/{id}/webhooks", at("/v1/events/" + published + "/webhooks"), none,
         owner_200},
        {"GET", "/", at("/"), none, anyone_200},
        {"GET", "/evenements/passees", at("/evenements/passees"), none, anyone_200},
        {"GET", "/evenements/{slug}", at("/evenements/" + published), none, anyone_200},
        {"POST",
         "/evenements/{slug}/inscription",
         at("/evenements/" + published + "/inscription"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"GET", "/evenements/{slug}/lien", at("/evenements/" + published + "/lien"), none,
         anyone_200},
        // "renvoyer mon lien" posted without its form: nothing read, nothing sent
        {"POST",
         "/evenements/{slug}/lien",
         at("/evenements/" + published + "/lien"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"GET", "/inscriptions/{id}", at("/inscriptions/" + held_id), none, nobody_404},
        {"GET", "/inscriptions/{id}/annulation", at("/inscriptions/" + held_id + "/annulation"),
         none, nobody_404},
        {"GET", "/inscriptions/{id}/signalement", at("/inscriptions/" + held_id + "/signalement"),
         none, nobody_404},
        {"POST",
         "/inscriptions/{id}/signalement",
         at("/inscriptions/" + held_id + "/signalement"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"POST",
         "/inscriptions/{id}/annulation",
         at("/inscriptions/" + held_id + "/annulation"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"POST",
         "/inscriptions/{id}/ateliers",
         at("/inscriptions/" + held_id + "/ateliers"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"POST",
         "/inscriptions/{id}/reponses",
         at("/inscriptions/" + held_id + "/reponses"),
         none,
         {415, 415, 415, 415, 415, 415}},
        // without the manage token, the page knows nobody
        {"GET",
         "/inscriptions/{id}/attestation.pdf",
         at("/inscriptions/" + held_id + "/attestation.pdf"),
         none,
         {404, 404, 404, 404, 404, 404}},
        // the room's pages: a published event's session for everyone; pages know no bearer
        {"GET", "/evenements/{slug}/seances/{id}/questions",
         at("/evenements/" + published + "/seances/" + room + "/questions"), none, anyone_200},
        {"GET", "/evenements/{slug}/seances/{id}/ecran",
         at("/evenements/" + draft + "/seances/" + draft_session + "/ecran"), none, nobody_404},
        {"POST",
         "/evenements/{slug}/seances/{id}/questions",
         at("/evenements/" + published + "/seances/" + room + "/questions"),
         none,
         {415, 415, 415, 415, 415, 415}},
        {"GET", "/intervenants/{id}", at("/intervenants/" + speaker), none, anyone_200},
        {"GET", "/palmares", at("/palmares"), none, anyone_200},
        {"GET", "/palmares/{year}", at("/palmares/2026"), none, anyone_200},
        {"GET", "/static/{file}", at("/static/site.css"), none, anyone_200},
    };

    for (const auto& route : server.app().dispatcher().routes().routes()) {
        // The console's pages have their own matrix, with sessions (console_matrix_test.cpp).
        if (route.pattern.rfind("/gestion", 0) == 0 || route.pattern.rfind("/label", 0) == 0 ||
            route.pattern.rfind("/admin", 0) == 0 || route.pattern == "/connexion" ||
            route.pattern == "/deconnexion")
            continue;
        const bool covered = std::any_of(rows.begin(), rows.end(), [&](const row& r) {
            return r.method == route.method && r.pattern == route.pattern;
        });
        EXPECT_TRUE(covered) << route.method << " " << route.pattern
                             << " has no row in the authorization matrix";
    }
    for (const auto& r : rows) {
        for (int who = anonymous; who <= admin; ++who) {
            const auto as = static_cast<caller>(who);
            auto token = tokens[who];
            if (r.fresh_caller && as != anonymous)
                token = server.token_for(caller_roles[who],
                                         "fresh" + std::to_string(++serial) + "@x.fr");
            // Pages are HTML, outside the JSON contract that call() checks.
            const auto reply =
                is_page_route(r.pattern)
                    ? send_request(server.port(), r.method, r.target(as), "",
                                   token.empty()
                                       ? header_list{}
                                       : header_list{{"Authorization", "Bearer " + token}})
                    : server.call(r.method, r.target(as), r.body(as), token);
            EXPECT_EQ(reply.status, r.expected[static_cast<std::size_t>(who)])
                << r.method << " " << r.pattern << " as " << caller_names[who] << ": "
                << reply.body;
        }
    }
}

} // namespace
} // namespace rencontres::testing

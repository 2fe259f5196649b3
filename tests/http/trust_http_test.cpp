// Who may do what (API.md §2–§6, §9, §10): proven emails, rights that follow the role at the
// time of the request, owners of shared records, caller-scoped idempotency keys, input that
// means something else, and secrets that never reach files.
#include "domain/accounts/repository.hpp"
#include "domain/notifications/repository.hpp"
#include "domain/store.hpp"
#include "support/console_client.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;
using boost::json::value;

struct trust_http : ::testing::Test {
    test_server server;
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string owner = server.token_for(role::organizer, "owner@x.fr");

    std::string event_of(const std::string& token, bool publish,
                         const std::string& starts = "2031-06-11T09:00:00+02:00",
                         const std::string& ends = "2031-06-11T17:00:00+02:00") {
        const auto r = server.call("POST", "/v1/events",
                                   object{{"title", "Rencontre numérique"},
                                          {"starts_at", starts},
                                          {"ends_at", ends},
                                          {"venue", object{{"city", "Aixe-sur-Vienne"}}},
                                          {"capacity", 50}},
                                   token);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string id(r.json().at("id").as_string());
        if (publish) {
            EXPECT_EQ(
                server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, token).status,
                200);
        }
        return id;
    }
    reply register_anonymously(const std::string& event, const std::string& email,
                               const header_list& extra = {}, const std::string& token = {}) {
        return server.call(
            "POST", "/v1/events/" + event + "/registrations",
            object{{"full_name", "Camille Martin"}, {"email", email}, {"consent", true}}, token,
            extra);
    }
    std::pair<std::string, std::string> sign_up(const std::string& email) {
        return server.sign_up(email);
    }
    // The token of the newest verification link mailed to the account, read from the mailbox as
    // the person would.
    std::string verification_token(const std::string& account_id) {
        std::optional<id_t> newest;
        {
            auto uow = server.app().store().begin(access::read);
            for (const auto& m : uow->outbox().for_person(std::stoll(account_id), std::nullopt))
                if (m.kind == message_kind::account_verification) newest = m.id;
        }
        if (!newest) {
            ADD_FAILURE() << "no verification message for account " << account_id;
            return {};
        }
        const auto link = server.mailed_message(*newest);
        const auto at = link.find("/verification?token=");
        if (at == std::string::npos) return {};
        return link.substr(at + std::string_view("/verification?token=").size());
    }

    // A candidacy the owner submits to an open edition of `year`, for a new territory.
    std::string candidacy_of_owner(int year, const std::string& siren) {
        auto r = server.call(
            "POST", "/v1/label-campaigns",
            object{
                {"year", year},
                {"name", "Territoires innovants " + std::to_string(year)},
                {"categories", boost::json::parse(R"([{"code":"inclusion","name":"Inclusion"}])")},
                {"criteria",
                 boost::json::parse(R"([{"code":"impact","name":"Impact","weight":1}])")},
                {"candidacy_opens_at", "2020-01-01T00:00:00Z"},
                {"candidacy_closes_at", "2040-01-01T00:00:00Z"}},
            admin);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string campaign(r.json().at("id").as_string());
        EXPECT_EQ(
            server
                .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "open"}}, admin)
                .status,
            200);
        r = server.call("POST", "/v1/territories",
                        object{{"name", "Territoire " + siren},
                               {"kind", "commune"},
                               {"siren", siren},
                               {"region", "Nouvelle-Aquitaine"}},
                        owner);
        EXPECT_EQ(r.status, 201) << r.body;
        r = server.call("POST", "/v1/label-campaigns/" + campaign + "/candidacies",
                        object{{"territory_id", r.json().at("id")},
                               {"category", "inclusion"},
                               {"initiative_title", "Conseillers numériques"}},
                        owner);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    void set_role(const std::string& email, const char* role_name) {
        server.set_role(admin, email, role_name);
    }
};

// ---- 1. An email address is only proven by a message sent to it ----------------------------

TEST_F(trust_http, an_impostor_with_the_victims_email_sees_and_erases_nothing) {
    const auto event = event_of(owner, true);
    const auto victim = register_anonymously(event, "victime@mairie.fr");
    ASSERT_EQ(victim.status, 201);
    const std::string registration(victim.json().at("id").as_string());

    const auto [impostor_id, impostor] = sign_up("victime@mairie.fr");
    auto r = server.call("GET", "/v1/me", std::nullopt, impostor);
    EXPECT_EQ(r.json().at("email_verified"), false);
    r = server.call("GET", "/v1/me/registrations", std::nullopt, impostor);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json(), boost::json::parse(R"({"items":[],"next_cursor":null})"));
    r = server.call("GET", "/v1/me/export", std::nullopt, impostor);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("registrations"), boost::json::array{});
    // Only the account's own verification message, not the victim's confirmation.
    ASSERT_EQ(r.json().at("messages").as_array().size(), 1u) << r.body;
    EXPECT_EQ(r.json().at("messages").at(0).at("kind"), "account_verification");

    ASSERT_EQ(server.call("DELETE", "/v1/me", std::nullopt, impostor).status, 204);
    r = server.call("GET", "/v1/registrations/" + registration, std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("full_name"), "Camille Martin");
    EXPECT_EQ(r.json().at("email"), "victime@mairie.fr");
    EXPECT_EQ(r.json().at("status"), "confirmed");
    const auto outbox = server.call("GET", "/v1/admin/outbox", std::nullopt, admin).json();
    bool confirmation_kept = false;
    for (const auto& m : outbox.at("items").as_array())
        if (m.at("kind") == "registration_confirmed")
            confirmation_kept = m.at("recipient") == "victime@mairie.fr";
    EXPECT_TRUE(confirmation_kept) << outbox;

    // The real owner proves the address, and then finds the registration.
    const auto [owner_id, real] = sign_up("victime@mairie.fr");
    const auto token = verification_token(owner_id);
    ASSERT_EQ(token.size(), 43u) << "256 random bits, base64url";
    r = server.call("POST", "/v1/accounts/verify", object{{"token", token}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("email_verified"), true);
    EXPECT_EQ(r.json().at("id"), value(owner_id));
    r = server.call("GET", "/v1/me/registrations", std::nullopt, real);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("items").at(0).at("id"), value(registration));
    r = server.call("GET", "/v1/me/export", std::nullopt, real);
    EXPECT_EQ(r.json().at("registrations").as_array().size(), 1u);
    EXPECT_EQ(r.json().at("account").at("email_verified"), true);
}

TEST_F(trust_http, a_verification_token_is_single_use_and_a_new_one_is_throttled) {
    const auto [id, token] = sign_up("agent@cc-val-de-vienne.fr");
    const auto link = verification_token(id);
    auto r = server.call("POST", "/v1/accounts/verify", object{{"token", "x" + link}});
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "token");
    r = server.call("POST", "/v1/accounts/verify", object{{"token", link}, {"email", "x@y.fr"}});
    EXPECT_EQ(r.status, 422) << "unknown fields are refused";
    // Asked again at once: too soon.
    r = server.call("POST", "/v1/me/verification", std::nullopt, token);
    ASSERT_EQ(r.status, 429);
    EXPECT_FALSE(r.header("Retry-After").empty());
    EXPECT_EQ(server.call("POST", "/v1/me/verification").status, 401);
    ASSERT_EQ(server.call("POST", "/v1/accounts/verify", object{{"token", link}}).status, 200);
    r = server.call("POST", "/v1/accounts/verify", object{{"token", link}});
    EXPECT_EQ(r.status, 422) << "a used token proves nothing";
    EXPECT_EQ(server.call("POST", "/v1/me/verification", std::nullopt, token).status, 409);
}

TEST_F(trust_http, the_verification_page_escapes_its_input_and_refuses_a_bad_link) {
    auto r = send_request(server.port(), "GET", "/verification?token=%22%3E%3Cscript%3Ex");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.header("Content-Security-Policy"),
              "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; "
              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.body.find("<script"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("value=\"&quot;&gt;&lt;script&gt;x\""), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<html lang=\"fr\">"), std::string::npos);
    // Like every form: without its token, or from another site, it is refused and shown again.
    r = send_request(server.port(), "POST", "/verification", "token=nope",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("Ce formulaire a expiré"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("name=\"token\" value=\"nope\""), std::string::npos) << r.body;
    const auto csrf =
        form_field(send_request(server.port(), "GET", "/verification?token=x").body, "csrf");
    ASSERT_FALSE(csrf.empty());
    r = send_request(server.port(), "POST", "/verification", "csrf=" + csrf + "&token=nope",
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Origin", "https://evil.example"}});
    EXPECT_EQ(r.status, 403);
    r = send_request(server.port(), "POST", "/verification", "csrf=" + csrf + "&token=nope",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("<h1>Ce lien n&#39;est plus valable</h1>"), std::string::npos) << r.body;
    r = send_request(server.port(), "POST", "/verification", R"({"token":"nope"})",
                     {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 415);
}

// ---- 2. Rights follow the role at the time of the request -----------------------------------

TEST_F(trust_http, a_demoted_organizer_loses_every_event_right_at_once) {
    const auto event = event_of(owner, true);
    const auto draft = event_of(owner, false);
    ASSERT_EQ(register_anonymously(event, "a@x.fr").status, 201);
    const auto csv = "/v1/events/" + event + "/registrations.csv";
    ASSERT_EQ(server.call("GET", csv, std::nullopt, owner).status, 200);
    ASSERT_EQ(server.call("GET", "/v1/events/" + draft, std::nullopt, owner).status, 200);

    set_role("owner@x.fr", "participant");
    EXPECT_EQ(server.call("GET", csv, std::nullopt, owner).status, 403);
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/registrations", std::nullopt, owner).status,
        403);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner).status,
              403);
    EXPECT_EQ(
        server.call("PATCH", "/v1/events/" + event, object{{"summary", "Changé"}}, owner).status,
        403);
    EXPECT_EQ(server.call("GET", "/v1/events/" + draft, std::nullopt, owner).status, 404);
    auto listed = server.call("GET", "/v1/events?status=draft", std::nullopt, owner).json();
    EXPECT_EQ(listed.at("items").as_array().size(), 0u);

    set_role("owner@x.fr", "organizer");
    EXPECT_EQ(server.call("GET", csv, std::nullopt, owner).status, 200);
    listed = server.call("GET", "/v1/events?status=draft", std::nullopt, owner).json();
    EXPECT_EQ(listed.at("items").as_array().size(), 1u);
}

TEST_F(trust_http, only_organizers_and_admins_can_be_made_co_organizers) {
    const auto event = event_of(owner, true);
    server.token_for(role::participant, "p@x.fr");
    const auto participant = std::to_string(server.account_id("p@x.fr"));
    auto r = server.call("PUT", "/v1/events/" + event + "/organizers/" + participant, std::nullopt,
                         owner);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "account_id");
    EXPECT_EQ(server.call("GET", "/v1/events/" + event, std::nullopt, owner)
                  .json()
                  .at("organizer_ids")
                  .as_array()
                  .size(),
              1u);
    set_role("p@x.fr", "organizer");
    r = server.call("PUT", "/v1/events/" + event + "/organizers/" + participant, std::nullopt,
                    owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("organizer_ids").as_array().size(), 2u);
    EXPECT_EQ(server.call("PUT", "/v1/events/" + event + "/organizers/999999", std::nullopt, owner)
                  .status,
              404);
}

TEST_F(trust_http, the_last_organizer_of_an_event_not_over_cannot_erase_its_account) {
    const auto event = event_of(owner, true);
    const auto past =
        event_of(owner, false, "2019-06-11T09:00:00+02:00", "2019-06-11T17:00:00+02:00");
    (void)past; // over: it does not hold the account back
    auto r = server.call("DELETE", "/v1/me", std::nullopt, owner);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(std::string(r.json().at("detail").as_string()),
              "This account is the last organizer of events that are not over: " + event +
                  " (Rencontre numérique). Name another organizer first.");
    EXPECT_EQ(server.call("GET", "/v1/me", std::nullopt, owner).status, 200);

    const auto co = server.token_for(role::organizer, "co@x.fr");
    ASSERT_EQ(server.add_organizer(owner, event, "co@x.fr"), 200);
    EXPECT_EQ(server.call("DELETE", "/v1/me", std::nullopt, owner).status, 204);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event, std::nullopt, co)
                  .json()
                  .at("organizer_ids")
                  .as_array()
                  .size(),
              1u);
}

TEST_F(trust_http, a_draft_is_deleted_never_cancelled_and_never_public) {
    const auto draft = event_of(owner, false);
    const auto r = server.call("POST", "/v1/events/" + draft + "/cancel",
                               object{{"reason", "Reporté"}}, owner);
    ASSERT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"),
              "A draft cannot be cancelled: it was never public; delete it instead.");
    EXPECT_EQ(server.call("GET", "/v1/events/" + draft).status, 404);
    EXPECT_EQ(
        server.call("GET", "/v1/events?status=cancelled").json().at("items").as_array().size(), 0u);
    EXPECT_EQ(server.call("GET", "/v1/events/" + draft, std::nullopt, owner).json().at("status"),
              "draft");
    EXPECT_EQ(server.call("DELETE", "/v1/events/" + draft, std::nullopt, owner).status, 204);
}

// ---- 3. Shared records have owners -----------------------------------------------------------

TEST_F(trust_http, a_speaker_is_changed_by_its_creator_its_events_organizers_and_admins) {
    const auto creator = server.token_for(role::organizer, "creator@x.fr");
    const auto stranger = server.token_for(role::organizer, "stranger@x.fr");
    auto r =
        server.call("POST", "/v1/speakers",
                    object{{"full_name", "Pascale Ribes"}, {"links", {"https://a.fr"}}}, creator);
    ASSERT_EQ(r.status, 201);
    const std::string speaker(r.json().at("id").as_string());
    const auto patch = [&](const std::string& token) {
        return server.call("PATCH", "/v1/speakers/" + speaker,
                           object{{"links", {"https://pirate.example"}}}, token);
    };
    r = patch(stranger);
    ASSERT_EQ(r.status, 403);
    EXPECT_EQ(r.json().at("detail"),
              "Only an admin, the speaker's creator or an organizer of an event where the speaker "
              "is scheduled may change this speaker.");
    EXPECT_EQ(patch(owner).status, 403);
    EXPECT_EQ(server.call("DELETE", "/v1/speakers/" + speaker, std::nullopt, stranger).status, 403);

    // Scheduled in the owner's agenda: the owner may now correct it, the stranger still not.
    const auto event = event_of(owner, true);
    ASSERT_EQ(server
                  .call("POST", "/v1/events/" + event + "/sessions",
                        object{{"title", "Table ronde"},
                               {"kind", "round_table"},
                               {"starts_at", "2031-06-11T10:00:00+02:00"},
                               {"ends_at", "2031-06-11T11:00:00+02:00"},
                               {"speaker_ids", {speaker}}},
                        owner)
                  .status,
              201);
    EXPECT_EQ(patch(owner).status, 200);
    EXPECT_EQ(patch(creator).status, 200);
    EXPECT_EQ(patch(admin).status, 200);
    EXPECT_EQ(patch(stranger).status, 403);
    const auto shown = server.call("GET", "/v1/speakers/" + speaker).json();
    EXPECT_EQ(shown.at("links"), boost::json::parse(R"(["https://pirate.example"])"));
}

TEST_F(trust_http, a_territory_in_the_public_record_is_changed_by_admins_only) {
    const auto creator = server.token_for(role::organizer, "creator@x.fr");
    auto r = server.call("POST", "/v1/territories",
                         object{{"name", "Aixe-sur-Vienne"},
                                {"kind", "commune"},
                                {"siren", "218700029"},
                                {"region", "Nouvelle-Aquitaine"}},
                         creator);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string territory(r.json().at("id").as_string());
    const auto rename = [&](const std::string& token, const char* name) {
        return server.call("PATCH", "/v1/territories/" + territory, object{{"name", name}}, token);
    };
    EXPECT_EQ(rename(owner, "Pirate").status, 403);
    EXPECT_EQ(rename(creator, "Aixe sur Vienne").status, 200);

    // It hosts a published event: its creator can no longer rename it.
    r = server.call("POST", "/v1/events",
                    object{{"title", "Forum"},
                           {"starts_at", "2031-06-11T09:00:00+02:00"},
                           {"ends_at", "2031-06-11T17:00:00+02:00"},
                           {"venue", object{{"city", "Aixe-sur-Vienne"}}},
                           {"host_territory_id", territory}},
                    owner);
    const std::string event(r.json().at("id").as_string());
    EXPECT_EQ(rename(creator, "Aixe (brouillon)").status, 200) << "a draft is not public";
    ASSERT_EQ(server.call("POST", "/v1/events/" + event + "/publish", std::nullopt, owner).status,
              200);
    r = rename(creator, "Aixe (publié)");
    ASSERT_EQ(r.status, 403);
    EXPECT_EQ(r.json().at("detail"), "This territory holds an award or hosts a published event: "
                                     "only an admin may change it now.");
    EXPECT_EQ(rename(admin, "Aixe-sur-Vienne").status, 200);
    EXPECT_EQ(server.call("GET", "/v1/territories/" + territory).json().at("name"),
              "Aixe-sur-Vienne");
}

TEST_F(trust_http, a_juror_cannot_review_a_candidacy_it_submitted) {
    const auto candidacy = candidacy_of_owner(2027, "248719312");
    reply r;

    set_role("owner@x.fr", "jury"); // organizer when it submitted, juror when it reviews
    const auto review =
        boost::json::parse(R"({"scores":[{"criterion":"impact","score":5}],"comment":"Top"})");
    r = server.call("POST", "/v1/candidacies/" + candidacy + "/reviews", review, owner);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "conflict_of_interest");
    EXPECT_EQ(r.json().at("detail"), "A juror cannot review a candidacy it submitted.");
    const auto juror = server.token_for(role::jury, "jury@x.fr");
    EXPECT_EQ(
        server.call("POST", "/v1/candidacies/" + candidacy + "/reviews", review, juror).status,
        201);
    EXPECT_EQ(server.call("GET", "/v1/candidacies/" + candidacy + "/reviews", std::nullopt, admin)
                  .json()
                  .at("reviews")
                  .as_array()
                  .size(),
              1u);
}

// ---- 4. Input that means something else -----------------------------------------------------

TEST_F(trust_http, review_scores_out_of_range_are_refused_however_large) {
    const auto candidacy = candidacy_of_owner(2028, "218701548");
    reply r;
    const auto juror = server.token_for(role::jury, "jury@x.fr");
    for (const char* score :
         {"4294967299", "18446744073709551615", "9223372036854775807", "-1", "-4294967291", "6"}) {
        const auto body =
            std::string(R"({"scores":[{"criterion":"impact","score":)") + score + "}]}";
        r = server.call("POST", "/v1/candidacies/" + candidacy + "/reviews",
                        boost::json::parse(body), juror);
        ASSERT_EQ(r.status, 422) << score << ": " << r.body;
        ASSERT_EQ(r.json().at("errors").as_array().size(), 1u) << r.body;
        EXPECT_EQ(r.json().at("errors").at(0).at("field"), "scores[0].score") << score;
        // Past 2^63 - 1 the schema already refuses the number; below, the domain's range check.
        if (std::string_view(score) != "18446744073709551615") {
            EXPECT_EQ(r.json().at("errors").at(0).at("message"),
                      "must be a whole number from 0 to 5")
                << score;
        }
    }
    EXPECT_EQ(server.call("GET", "/v1/candidacies/" + candidacy + "/reviews", std::nullopt, juror)
                  .json()
                  .at("reviews")
                  .as_array()
                  .size(),
              0u);
    r = server.call("POST", "/v1/label-campaigns",
                    boost::json::parse(R"({"year":18446744073709551615,"name":"X",
                      "categories":[{"code":"a","name":"A"}],
                      "criteria":[{"code":"c","name":"C","weight":1}],
                      "candidacy_opens_at":"2027-01-01T00:00:00Z",
                      "candidacy_closes_at":"2027-06-01T00:00:00Z"})"),
                    admin);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "year");
}

TEST_F(trust_http, cursor_pagination_works_for_events_before_1970) {
    std::vector<std::string> ids;
    for (const auto* year : {"1968", "1969", "1971"}) {
        const auto r = server.call("POST", "/v1/events",
                                   object{{"title", std::string("Archives ") + year},
                                          {"starts_at", std::string(year) + "-05-01T09:00:00Z"},
                                          {"ends_at", std::string(year) + "-05-01T17:00:00Z"},
                                          {"venue", object{{"city", "Limoges"}}}},
                                   owner);
        ASSERT_EQ(r.status, 201);
        ids.emplace_back(r.json().at("id").as_string());
        server.call("POST", "/v1/events/" + ids.back() + "/publish", std::nullopt, owner);
    }
    auto page = server.call("GET", "/v1/events?limit=1");
    ASSERT_EQ(page.status, 200);
    std::vector<std::string> seen;
    for (int i = 0; i < 5; ++i) {
        const auto body = page.json();
        for (const auto& e : body.at("items").as_array())
            seen.emplace_back(e.at("id").as_string());
        if (body.at("next_cursor").is_null()) break;
        const std::string cursor(body.at("next_cursor").as_string());
        page = server.call("GET", "/v1/events?limit=1&cursor=" + cursor);
        ASSERT_EQ(page.status, 200) << cursor << ": " << page.body;
    }
    EXPECT_EQ(seen, ids);
    EXPECT_EQ(server.call("GET", "/v1/events?cursor=-_1").status, 400);
    EXPECT_EQ(server.call("GET", "/v1/events?cursor=12x_1").status, 400);
}

TEST_F(trust_http, an_idempotency_key_is_never_replayed_to_another_caller) {
    const auto event = event_of(owner, true);
    const auto me = server.token_for(role::participant, "me@x.fr");
    const header_list key{{"Idempotency-Key", "inscription-42"}};
    const auto first = register_anonymously(event, "me@x.fr", key, me);
    ASSERT_EQ(first.status, 201);
    const std::string manage(first.json().at("manage_token").as_string());

    const auto stolen = register_anonymously(event, "me@x.fr", key);
    ASSERT_EQ(stolen.status, 409) << stolen.body;
    EXPECT_EQ(stolen.body.find(manage), std::string::npos);
    EXPECT_EQ(stolen.json().at("detail"),
              "This Idempotency-Key was used by another caller; choose a new key.");
    const auto other = server.token_for(role::participant, "other@x.fr");
    EXPECT_EQ(register_anonymously(event, "me@x.fr", key, other).status, 409);

    const auto replay = register_anonymously(event, "me@x.fr", key, me);
    ASSERT_EQ(replay.status, 201);
    EXPECT_EQ(replay.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(replay.json().at("manage_token"), value(manage));

    // Anonymous callers share one scope, apart from every account.
    const header_list anonymous_key{{"Idempotency-Key", "anonyme-1"}};
    ASSERT_EQ(register_anonymously(event, "anon@x.fr", anonymous_key).status, 201);
    EXPECT_EQ(register_anonymously(event, "anon@x.fr", anonymous_key).status, 201);
    EXPECT_EQ(register_anonymously(event, "anon@x.fr", anonymous_key, me).status, 409);
}

} // namespace
} // namespace rencontres::testing

// The console's authorization matrix: every console URL (/gestion, /label), called with a real
// session as anonymous, participant, organizer of the event (for the label: the submitter of the
// candidacy), another organizer, juror and admin, with the status each must get. A console route
// of the router without a row fails the test.
//
// Rows whose call consumes its object (publish, cancel, delete, check in, sign out) get a fresh
// one for each caller, so that every call meets the same state.
#include "support/console_client.hpp"

#include <functional>
#include <gtest/gtest.h>
#include <regex>

namespace rencontres::testing {
namespace {

using boost::json::object;
using statuses = std::array<int, 6>; // anonymous, participant, owner, other, jury, admin

constexpr statuses page_200 = {303, 403, 200, 404, 403, 200};
// A form posted without a session is kept: the sign-in form carries its values (200).
constexpr statuses post_kept = {200, 403, 303, 404, 403, 303};
constexpr statuses any_organizer_200 = {303, 403, 200, 200, 403, 200};

struct console_matrix : ::testing::Test {
    // Webhooks aim at a closed port of this machine: no delivery leaves it.
    test_server server{[](config& c) { c.webhooks.allow_private_targets = true; }};
    std::array<std::string, 6> tokens = caller_tokens(server);
    std::array<console_client, 6> clients{
        console_client{server.port()}, console_client{server.port()},
        console_client{server.port()}, console_client{server.port()},
        console_client{server.port()}, console_client{server.port()}};
    static constexpr std::array<const char*, 6> emails{"",           "p@x.fr",    "owner@x.fr",
                                                       "other@x.fr", "jury@x.fr", "admin@x.fr"};
    int serial = 0;
    int next_year = 2040; // editions made by the rows, one year each

    void SetUp() override {
        for (int who = participant; who <= admin; ++who)
            ASSERT_EQ(clients[who].sign_in(emails[who]).status, 303) << emails[who];
    }

    std::string post_json(const std::string& target, const object& body) {
        return post_json_as(owner, target, body);
    }
    std::string post_json_as(caller as, const std::string& target, const object& body) {
        const auto r = server.call("POST", target, body, tokens[as]);
        EXPECT_EQ(r.status, 201) << target << " " << r.body;
        return std::string(r.json().at("id").as_string());
    }
    std::string event(bool published) {
        const auto id =
            post_json("/v1/events", object{{"title", "Rencontre " + std::to_string(++serial)},
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
    // A webhook of a new event of the owner's; the URL of `action` on it.
    std::string webhook_action(const std::string& action) {
        const auto id = event(false);
        const auto hook = server.call("POST", "/v1/webhooks",
                                      object{{"url", "http://127.0.0.1:9/hook"},
                                             {"events", boost::json::array{"event.changed"}},
                                             {"event_id", id}},
                                      tokens[owner]);
        EXPECT_EQ(hook.status, 201) << hook.body;
        return "/gestion/evenements/" + id + "/webhooks/" +
               std::string(hook.json().at("id").as_string()) + "/" + action;
    }
    // An invitation the owner sent to co-organize a new event of theirs; the URL of `action` on it.
    std::string event_invitation(const std::string& action) {
        const auto id = event(false);
        const auto invitation = post_json(
            "/v1/accounts/invitations", object{{"email", "co" + std::to_string(++serial) + "@x.fr"},
                                               {"display_name", "Co-organisatrice"},
                                               {"role", "organizer"},
                                               {"event_id", id}});
        return "/gestion/evenements/" + id + "/invitations/" + invitation + "/" + action;
    }
    // An invitation an admin sent to a new address.
    std::string admins_invitation() {
        return post_json_as(admin, "/v1/accounts/invitations",
                            object{{"email", "invitee" + std::to_string(++serial) + "@x.fr"},
                                   {"display_name", "Invitée"},
                                   {"role", "jury"}});
    }
    std::string session(const std::string& event_id) {
        return post_json("/v1/events/" + event_id + "/sessions",
                         object{{"title", "Atelier " + std::to_string(++serial)},
                                {"kind", "workshop"},
                                {"capacity", 20},
                                {"room", "Salle " + std::to_string(serial)},
                                {"starts_at", "2031-06-11T14:00:00+02:00"},
                                {"ends_at", "2031-06-11T15:00:00+02:00"}});
    }
    std::string registration(const std::string& event_id) {
        const auto r =
            register_one(server.port(), event_id, "person" + std::to_string(++serial) + "@x.fr");
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    // A territory of its own, for a candidacy of its own.
    std::string fresh_territory() {
        const int n = ++serial;
        return post_json_as(admin, "/v1/territories",
                            object{{"name", "Territoire " + std::to_string(n)},
                                   {"kind", "commune"},
                                   {"siren", siren(1000 + n)},
                                   {"region", "Occitanie"}});
    }
    std::string label_territory;
    // An open edition with one criterion, and a candidacy the owner submitted in it.
    std::pair<std::string, std::string> label() {
        const auto territory = fresh_territory();
        label_territory = territory;
        auto r = server.call(
            "POST", "/v1/label-campaigns",
            object{{"year", 2031},
                   {"name", "Label 2031"},
                   {"categories", boost::json::parse(R"([{"code":"tiers-lieux","name":"Tiers"}])")},
                   {"criteria", boost::json::parse(R"([{"code":"innovation","name":"Innovation",
                                                       "weight":2,"eliminatory":true}])")},
                   {"candidacy_opens_at", "2020-01-01T00:00:00Z"},
                   {"candidacy_closes_at", "2040-01-01T00:00:00Z"}},
            tokens[admin]);
        EXPECT_EQ(r.status, 201) << r.body;
        const std::string campaign(r.json().at("id").as_string());
        EXPECT_EQ(server
                      .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "open"}},
                            tokens[admin])
                      .status,
                  200);
        const auto candidacy = post_json("/v1/label-campaigns/" + campaign + "/candidacies",
                                         object{{"territory_id", territory},
                                                {"category", "tiers-lieux"},
                                                {"initiative_title", "Un tiers-lieu itinérant"}});
        return {campaign, candidacy};
    }
    std::string revision(const std::string& event_id) {
        return form_field(clients[owner].get("/gestion/evenements/" + event_id).body, "revision");
    }
};

TEST_F(console_matrix, every_console_url_answers_each_caller_as_it_must) {
    const auto published = event(true);
    const auto session_id = session(published);
    const auto held = registration(published);
    const auto admin_id = std::to_string(server.account_id("admin@x.fr"));
    const auto base = "/gestion/evenements/" + published;
    const auto [campaign, candidacy] = label();

    struct row {
        std::string method;
        std::string pattern;
        std::function<std::string(caller)> target;
        std::function<form_pairs(caller)> body;
        statuses expected;
        bool fresh_session = false; // the call ends the caller's session
    };
    const auto at = [](std::string t) { return [t](caller) { return t; }; };
    const auto none = [](caller) { return form_pairs{}; };
    const auto session_body = [this](caller) {
        const auto n = std::to_string(++serial);
        return form_pairs{{"action", "enregistrer"},
                          {"title", "Séance " + n},
                          {"kind", "talk"},
                          {"starts_at", "2031-06-11T10:00"},
                          {"ends_at", "2031-06-11T11:00"},
                          {"room", "Salle du matrice " + n}};
    };

    const std::vector<row> rows{
        {"GET", "/connexion", at("/connexion"), none, {200, 303, 303, 303, 303, 303}},
        {"POST",
         "/connexion",
         at("/connexion"),
         [this](caller) {
             return form_pairs{
                 {"csrf",
                  form_field(send_request(server.port(), "GET", "/connexion").body, "csrf")},
                 {"email", "owner@x.fr"},
                 {"password", "correct horse battery"}};
         },
         {303, 303, 303, 303, 303, 303}},
        {"POST", "/deconnexion", at("/deconnexion"), none, {403, 303, 303, 303, 303, 303}, true},
        {"GET", "/gestion", at("/gestion"), none, any_organizer_200},
        {"POST",
         "/gestion/verification",
         at("/gestion/verification"),
         none,
         {200, 403, 200, 200, 403, 200}},
        {"GET", "/gestion/evenements/nouvelle", at("/gestion/evenements/nouvelle"), none,
         any_organizer_200},
        {"POST",
         "/gestion/evenements",
         at("/gestion/evenements"),
         [this](caller) {
             return form_pairs{{"title", "Brouillon " + std::to_string(++serial)},
                               {"timezone", "Europe/Paris"}};
         },
         {200, 403, 303, 303, 403, 303}},
        {"GET", "/gestion/evenements/{id}", at(base), none, page_200},
        {"POST", "/gestion/evenements/{id}", at(base),
         [&](caller) {
             return form_pairs{{"revision", revision(published)},
                               {"title", "Rencontre revue " + std::to_string(++serial)},
                               {"timezone", "Europe/Paris"},
                               {"starts_at", "2031-06-11T09:00"},
                               {"ends_at", "2031-06-11T17:00"},
                               {"venue_city", "Guéret"},
                               {"capacity", "100"}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/publication",
         [this](caller) { return "/gestion/evenements/" + event(false) + "/publication"; }, none,
         page_200},
        {"POST", "/gestion/evenements/{id}/publication",
         [this](caller) { return "/gestion/evenements/" + event(false) + "/publication"; }, none,
         post_kept},
        {"GET", "/gestion/evenements/{id}/annulation", at(base + "/annulation"), none, page_200},
        {"POST", "/gestion/evenements/{id}/annulation",
         [this](caller) { return "/gestion/evenements/" + event(true) + "/annulation"; },
         [](caller) {
             return form_pairs{{"reason", "Salle indisponible"}};
         },
         post_kept},
        {"POST", "/gestion/evenements/{id}/organisateurs",
         [this](caller) { return "/gestion/evenements/" + event(false) + "/organisateurs"; },
         [](caller) {
             return form_pairs{{"organizer_email", "admin@x.fr"}};
         },
         post_kept},
        {"POST", "/gestion/evenements/{id}/invitations/{invitation}/renvoi",
         [this](caller) { return event_invitation("renvoi"); }, none, post_kept},
        {"POST", "/gestion/evenements/{id}/invitations/{invitation}/retrait",
         [this](caller) { return event_invitation("retrait"); }, none, post_kept},
        {"POST", "/gestion/evenements/{id}/organisateurs/{account}/retrait",
         [this, admin_id](caller) {
             const auto id = event(false);
             EXPECT_EQ(server
                           .call("PUT", "/v1/events/" + id + "/organizers/" + admin_id,
                                 std::nullopt, tokens[owner])
                           .status,
                       200);
             return "/gestion/evenements/" + id + "/organisateurs/" + admin_id + "/retrait";
         },
         none, post_kept},
        {"POST", "/gestion/evenements/{id}/webhooks/{hook}/pause",
         [this](caller) { return webhook_action("pause"); }, none, post_kept},
        {"GET", "/gestion/evenements/{id}/webhooks/{hook}/suppression",
         [this](caller) { return webhook_action("suppression"); }, none, page_200},
        {"POST", "/gestion/evenements/{id}/webhooks/{hook}/suppression",
         [this](caller) { return webhook_action("suppression"); }, none, post_kept},
        {"GET", "/gestion/evenements/{id}/rapport", at(base + "/rapport"), none, page_200},
        {"POST", "/gestion/evenements/{id}/rapport", at(base + "/rapport"),
         [&](caller) {
             return form_pairs{{"action", "enregistrer"}, {"introduction", "Compte rendu."}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/questions-salle", at(base + "/questions-salle"), none,
         page_200},
        {"POST", "/gestion/evenements/{id}/questions-salle", at(base + "/questions-salle"),
         [&](caller) {
             return form_pairs{
                 {"action", "mode"}, {"session_id", session_id}, {"questions", "moderated"}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/programme", at(base + "/programme"), none, page_200},
        {"POST", "/gestion/evenements/{id}/programme", at(base + "/programme"), session_body,
         post_kept},
        {"GET", "/gestion/evenements/{id}/programme/{session}",
         at(base + "/programme/" + session_id), none, page_200},
        {"POST", "/gestion/evenements/{id}/programme/{session}",
         [&](caller) { return base + "/programme/" + session(published); }, session_body,
         post_kept},
        {"GET", "/gestion/evenements/{id}/programme/{session}/suppression",
         at(base + "/programme/" + session_id + "/suppression"), none, page_200},
        {"POST", "/gestion/evenements/{id}/programme/{session}/suppression",
         [&](caller) { return base + "/programme/" + session(published) + "/suppression"; }, none,
         post_kept},
        {"GET", "/gestion/evenements/{id}/inscriptions", at(base + "/inscriptions"), none,
         page_200},
        {"GET", "/gestion/evenements/{id}/inscriptions.csv", at(base + "/inscriptions.csv"), none,
         page_200},
        {"GET", "/gestion/evenements/{id}/inscriptions/{registration}/annulation",
         at(base + "/inscriptions/" + held + "/annulation"), none, page_200},
        {"POST", "/gestion/evenements/{id}/inscriptions/{registration}/annulation",
         [&](caller) { return base + "/inscriptions/" + registration(published) + "/annulation"; },
         none, post_kept},
        {"GET", "/gestion/evenements/{id}/accueil", at(base + "/accueil"), none, page_200},
        {"POST", "/gestion/evenements/{id}/accueil/sur-place", at(base + "/accueil/sur-place"),
         [](caller) {
             return form_pairs{{"given_name", "Léon"}, {"family_name", "Sur-Place"}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/chiffres", at(base + "/chiffres"), none, page_200},
        {"GET", "/gestion/evenements/{id}/ateliers/{session}", at(base + "/ateliers/" + session_id),
         none, page_200},
        {"GET", "/gestion/evenements/{id}/ateliers/{session}/liste.csv",
         at(base + "/ateliers/" + session_id + "/liste.csv"), none, page_200},
        {"GET", "/gestion/evenements/{id}/inscriptions/{registration}",
         at(base + "/inscriptions/" + held), none, page_200},
        {"GET", "/gestion/evenements/{id}/questions", at(base + "/questions"), none, page_200},
        {"POST", "/gestion/evenements/{id}/questions", at(base + "/questions"),
         [](caller) {
             return form_pairs{
                 {"q-label-0", "Fonction"}, {"q-kind-0", "text"}, {"q-required-0", "non"}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/message", at(base + "/message"), none, page_200},
        {"POST",
         "/gestion/evenements/{id}/message/apercu",
         at(base + "/message/apercu"),
         [](caller) {
             return form_pairs{
                 {"subject", "Salle"}, {"body", "Salle B."}, {"statuses", "confirmed"}};
         },
         {200, 403, 200, 404, 403, 200}},
        {"POST", "/gestion/evenements/{id}/message", at(base + "/message"),
         [](caller) {
             return form_pairs{
                 {"subject", "Salle"}, {"body", "Salle B."}, {"statuses", "confirmed"}};
         },
         post_kept},
        {"GET", "/gestion/evenements/{id}/badges.pdf", at(base + "/badges.pdf"), none, page_200},
        // an event not yet held gives no certificate: 409 for those who may ask
        {"GET",
         "/gestion/evenements/{id}/inscriptions/{registration}/attestation.pdf",
         at(base + "/inscriptions/" + held + "/attestation.pdf"),
         none,
         {303, 403, 409, 404, 403, 409}},
        // the QR code's link: anyone but the event's organizers and admins gets nothing (404)
        {"GET",
         "/gestion/inscriptions/{id}/accueil",
         at("/gestion/inscriptions/" + held + "/accueil"),
         none,
         {303, 404, 200, 404, 404, 200}},
        {"POST",
         "/gestion/inscriptions/{id}/accueil",
         [&](caller) { return "/gestion/inscriptions/" + registration(published) + "/accueil"; },
         none,
         {200, 404, 303, 404, 404, 303}},
        {"POST",
         "/gestion/inscriptions/{id}/accueil/annulation",
         [&](caller) {
             const auto id = registration(published);
             EXPECT_EQ(server
                           .call("POST", "/v1/registrations/" + id + "/check-in", std::nullopt,
                                 tokens[owner])
                           .status,
                       200);
             return "/gestion/inscriptions/" + id + "/accueil/annulation";
         },
         none,
         {200, 404, 303, 404, 404, 303}},
        // the label: jurors score (the submitter cannot: 409 on the page), admins rank
        {"GET", "/label", at("/label"), none, {303, 200, 200, 200, 200, 200}},
        {"GET",
         "/label/editions/{id}/evaluation",
         at("/label/editions/" + campaign + "/evaluation"),
         none,
         {303, 403, 403, 403, 200, 200}},
        {"GET",
         "/label/candidatures/{id}/evaluation",
         at("/label/candidatures/" + candidacy + "/evaluation"),
         none,
         {303, 403, 403, 403, 200, 200}},
        {"POST",
         "/label/candidatures/{id}/evaluation",
         at("/label/candidatures/" + candidacy + "/evaluation"),
         [](caller) {
             return form_pairs{{"critere-innovation", "4"}};
         },
         {200, 403, 403, 403, 303, 303}},
        {"GET",
         "/label/editions/{id}/classement",
         at("/label/editions/" + campaign + "/classement"),
         none,
         {303, 403, 403, 403, 403, 200}},
        {"GET",
         "/label/editions/{id}/etat",
         at("/label/editions/" + campaign + "/etat?vers=closed"),
         none,
         {303, 403, 403, 403, 403, 200}},
        // the admins' pages
        {"GET", "/admin", at("/admin"), none, {303, 403, 403, 403, 403, 200}},
        {"GET", "/admin/comptes", at("/admin/comptes"), none, {303, 403, 403, 403, 403, 200}},
        {"POST",
         "/admin/comptes/invitations",
         at("/admin/comptes/invitations"),
         [this](caller) {
             return form_pairs{{"email", "invitee" + std::to_string(++serial) + "@x.fr"},
                               {"display_name", "Invitée"},
                               {"role", "jury"}};
         },
         {200, 403, 403, 403, 403, 303}},
        {"POST",
         "/admin/invitations/{id}/renvoi",
         [this](caller) { return "/admin/invitations/" + admins_invitation() + "/renvoi"; },
         none,
         {200, 403, 403, 403, 403, 303}},
        {"POST",
         "/admin/invitations/{id}/retrait",
         [this](caller) { return "/admin/invitations/" + admins_invitation() + "/retrait"; },
         none,
         {200, 403, 403, 403, 403, 303}},
        {"POST",
         "/admin/comptes/{id}/role",
         at("/admin/comptes/" + std::to_string(server.account_id("p@x.fr")) + "/role"),
         [](caller) {
             return form_pairs{{"role", "participant"}};
         },
         {200, 403, 403, 403, 403, 303}},
        {"GET",
         "/admin/notifications",
         at("/admin/notifications"),
         none,
         {303, 403, 403, 403, 403, 200}},
        {"POST",
         "/admin/notifications/{id}/relance",
         [this](caller) {
             const auto outbox =
                 server.call("GET", "/v1/admin/outbox?limit=1", std::nullopt, tokens[admin]).json();
             return "/admin/notifications/" +
                    std::string(outbox.at("items").at(0).at("id").as_string()) + "/relance";
         },
         none,
         {200, 403, 403, 403, 403, 303}},
        {"GET", "/admin/journal", at("/admin/journal"), none, {303, 403, 403, 403, 403, 200}},
        // a delivery that does not exist: the admin learns so (404), nobody else gets that far
        {"POST",
         "/admin/livraisons/{id}/relance",
         at("/admin/livraisons/999999/relance"),
         none,
         {200, 403, 403, 403, 403, 404}},
        // candidacies: organizers submit; the submitter alone edits and withdraws its own
        {"GET",
         "/label/editions/{id}/candidature",
         at("/label/editions/" + campaign + "/candidature"),
         none,
         {303, 403, 200, 200, 403, 200}},
        {"POST",
         "/label/editions/{id}/candidatures",
         at("/label/editions/" + campaign + "/candidatures"),
         [this](caller) {
             return form_pairs{{"territory_id", fresh_territory()},
                               {"category", "tiers-lieux"},
                               {"initiative_title", "Initiative " + std::to_string(++serial)}};
         },
         {200, 403, 303, 303, 403, 303}},
        {"GET",
         "/label/candidatures/{id}",
         at("/label/candidatures/" + candidacy),
         none,
         {303, 403, 200, 404, 403, 404}},
        {"POST",
         "/label/candidatures/{id}",
         at("/label/candidatures/" + candidacy),
         [&](caller) {
             return form_pairs{{"territory_id", label_territory},
                               {"category", "tiers-lieux"},
                               {"initiative_title", "Un tiers-lieu itinérant"}};
         },
         {200, 403, 303, 404, 403, 404}},
        {"GET",
         "/label/candidatures/{id}/retrait",
         at("/label/candidatures/" + candidacy + "/retrait"),
         none,
         {303, 403, 200, 404, 403, 404}},
        {"POST",
         "/label/candidatures/{id}/retrait",
         [&](caller) {
             return "/label/candidatures/" +
                    post_json("/v1/label-campaigns/" + campaign + "/candidacies",
                              object{{"territory_id", fresh_territory()},
                                     {"category", "tiers-lieux"},
                                     {"initiative_title", "À retirer"}}) +
                    "/retrait";
         },
         none,
         {200, 403, 303, 404, 403, 404}},
        {"GET",
         "/label/editions/nouvelle",
         at("/label/editions/nouvelle"),
         none,
         {303, 403, 403, 403, 403, 200}},
        {"POST",
         "/label/editions",
         at("/label/editions"),
         [this](caller) {
             return form_pairs{{"year", std::to_string(++next_year)},
                               {"name", "Édition " + std::to_string(serial)},
                               {"candidacy_opens_at", "2032-01-10T09:00"},
                               {"candidacy_closes_at", "2032-06-30T18:00"},
                               {"categorie-code-0", "tiers-lieux"},
                               {"categorie-nom-0", "Tiers-lieux"},
                               {"critere-code-0", "impact"},
                               {"critere-nom-0", "Impact"},
                               {"critere-poids-0", "1"}};
         },
         {200, 403, 403, 403, 403, 303}},
        {"POST",
         "/label/editions/{id}/etat",
         [this](caller) {
             const auto id = post_json_as(
                 admin, "/v1/label-campaigns",
                 object{{"year", ++next_year},
                        {"name", "Brouillon " + std::to_string(++serial)},
                        {"categories", boost::json::parse(R"([{"code":"tiers","name":"Tiers"}])")},
                        {"criteria",
                         boost::json::parse(R"([{"code":"impact","name":"Impact","weight":1}])")},
                        {"candidacy_opens_at", "2020-01-01T00:00:00Z"},
                        {"candidacy_closes_at", "2040-01-01T00:00:00Z"}});
             return "/label/editions/" + id + "/etat";
         },
         [](caller) {
             return form_pairs{{"etat", "open"}};
         },
         {200, 403, 403, 403, 403, 303}},
        {"POST",
         "/label/editions/{id}/prix/apercu",
         at("/label/editions/" + campaign + "/prix/apercu"),
         [&](caller) {
             return form_pairs{{"candidature", candidacy}, {"niveau", "argent"}};
         },
         {200, 403, 403, 403, 403, 200}},
        {"POST",
         "/label/editions/{id}/prix",
         at("/label/editions/" + campaign + "/prix"),
         [&](caller) {
             return form_pairs{{"candidature", candidacy}, {"niveau", "argent"}};
         },
         {200, 403, 403, 403, 403, 303}},
        {"GET",
         "/label/editions/{campaign}/prix/{id}/retrait",
         at("/label/editions/" + campaign + "/prix/1/retrait"),
         none,
         {303, 403, 403, 403, 403, 200}},
        {"POST",
         "/label/editions/{campaign}/prix/{id}/retrait",
         [&](caller) {
             // A fresh award, on a fresh candidacy of a fresh territory.
             const auto territory = fresh_territory();
             const auto laureate = post_json("/v1/label-campaigns/" + campaign + "/candidacies",
                                             object{{"territory_id", territory},
                                                    {"category", "tiers-lieux"},
                                                    {"initiative_title", "Initiative lauréate"}});
             const auto award =
                 post_json_as(admin, "/v1/label-campaigns/" + campaign + "/awards",
                              object{{"candidacy_id", laureate}, {"level", "bronze"}});
             return "/label/editions/" + campaign + "/prix/" + award + "/retrait";
         },
         [](caller) {
             return form_pairs{{"reason", "Erreur de saisie"}};
         },
         {200, 403, 403, 403, 403, 303}},
    };

    for (const auto& route : server.app().dispatcher().routes().routes()) {
        const bool console = route.pattern.rfind("/gestion", 0) == 0 ||
                             route.pattern.rfind("/label", 0) == 0 ||
                             route.pattern.rfind("/admin", 0) == 0 ||
                             route.pattern == "/connexion" || route.pattern == "/deconnexion";
        if (!console) continue;
        const bool covered = std::any_of(rows.begin(), rows.end(), [&](const row& r) {
            return r.method == route.method && r.pattern == route.pattern;
        });
        EXPECT_TRUE(covered) << route.method << " " << route.pattern
                             << " has no row in the console's authorization matrix";
    }
    for (const auto& r : rows) {
        for (int who = anonymous; who <= admin; ++who) {
            const auto as = static_cast<caller>(who);
            console_client fresh{server.port()};
            if (r.fresh_session && as != anonymous) {
                ASSERT_EQ(fresh.sign_in(emails[who]).status, 303);
            }
            auto& client = r.fresh_session ? fresh : clients[who];
            const auto target = r.target(as);
            const auto reply =
                r.method == "GET" ? client.get(target) : client.post(target, r.body(as));
            EXPECT_EQ(reply.status, r.expected[static_cast<std::size_t>(who)])
                << r.method << " " << r.pattern << " as " << caller_names[who] << ": "
                << reply.body.substr(0, 2000);
            // Posted without a session, a form comes back as the sign-in form holding its values.
            if (as == anonymous && r.method == "POST" && reply.status == 200) {
                EXPECT_NE(reply.body.find("<input type=\"hidden\" name=\"retour\""),
                          std::string::npos)
                    << r.method << " " << r.pattern;
            }
            // Every page of the console names who is signed in and offers to sign out.
            if (as != anonymous && reply.status == 200 &&
                reply.header("Content-Type").rfind("text/html", 0) == 0) {
                EXPECT_NE(reply.body.find("<p>Connecté·e : <strong>"), std::string::npos)
                    << r.method << " " << r.pattern << " as " << caller_names[who];
                EXPECT_NE(reply.body.find("<form method=\"post\" action=\"/deconnexion\">"),
                          std::string::npos)
                    << r.method << " " << r.pattern << " as " << caller_names[who];
            }
        }
    }
}

} // namespace
} // namespace rencontres::testing

// Accounts made and recovered without a shell (API.md §3, §13): invitations sent by admins and by
// an event's organizers, accepted from the emailed link (JSON and page), and passwords reset from
// a link. Where the secrets go is checked on every channel that carries these messages: the
// mailbox gets the link; the admin's outbox listing, the audit log and the invitation listings
// never hold it.
#include "support/console_client.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>

namespace rencontres::testing {
namespace {

using boost::json::object;

constexpr const char* password = "correct horse battery";

// The token of a link "https://…/invitation?token=…".
std::string token_of(const std::string& link) {
    const auto at = link.find("token=");
    return at == std::string::npos ? std::string() : link.substr(at + 6);
}

struct invitations_http : ::testing::Test {
    test_server server;
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string owner = server.token_for(role::organizer, "owner@x.fr");

    reply invite(const object& body, const std::string& token) {
        return server.call("POST", "/v1/accounts/invitations", body, token);
    }
    std::string event_of_owner() {
        const auto r = server.call("POST", "/v1/events",
                                   object{{"title", "Rencontre des tiers-lieux"},
                                          {"starts_at", "2031-06-11T09:00:00+02:00"},
                                          {"ends_at", "2031-06-11T17:00:00+02:00"},
                                          {"venue", object{{"city", "Guéret"}}}},
                                   owner);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    reply accept(const std::string& token, const std::string& pass = password) {
        return server.call("POST", "/v1/accounts/invitations/accept",
                           object{{"token", token}, {"password", pass}});
    }
    // Every secret-free place an admin can read: the outbox listing and the audit log.
    std::string admin_listings() {
        return server.call("GET", "/v1/admin/outbox", std::nullopt, admin).body +
               server.call("GET", "/v1/audit", std::nullopt, admin).body +
               server.call("GET", "/v1/accounts/invitations", std::nullopt, admin).body;
    }
    reply post_form(const std::string& target, const form_pairs& pairs) {
        return send_request(server.port(), "POST", target, form_encode(pairs),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
};

TEST_F(invitations_http, an_admin_invites_a_juror_who_accepts_from_the_emailed_link) {
    auto r = invite(object{{"email", " Jeanne.Juree@Example.org "},
                           {"display_name", "Jeanne Jurée"},
                           {"role", "jury"}},
                    admin);
    ASSERT_EQ(r.status, 201) << r.body;
    const std::string id(r.json().at("id").as_string());
    EXPECT_EQ(r.json().at("email"), "jeanne.juree@example.org");
    EXPECT_EQ(r.json().at("role"), "jury");
    EXPECT_EQ(r.json().at("status"), "pending");
    EXPECT_TRUE(r.json().at("event_id").is_null());
    EXPECT_EQ(r.header("Location"), "/v1/accounts/invitations/" + id);

    const auto link = server.mailed("jeanne.juree@example.org", "account_invitation");
    ASSERT_NE(link.find("/invitation?token="), std::string::npos) << link;
    const auto token = token_of(link);
    ASSERT_GE(token.size(), 22u);
    const auto body = server.mailed("jeanne.juree@example.org", "account_invitation", "body");
    EXPECT_NE(body.find("membre du jury"), std::string::npos) << body;
    EXPECT_NE(body.find("7 jours"), std::string::npos) << body;
    // The link is in the mailbox only.
    EXPECT_EQ(admin_listings().find(token), std::string::npos);

    // A short password is refused and uses nothing up.
    r = accept(token, "court");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "password");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "length");

    r = accept(token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("account").at("role"), "jury");
    EXPECT_EQ(r.json().at("account").at("email_verified"), true);
    EXPECT_EQ(r.json().at("account").at("display_name"), "Jeanne Jurée");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    const std::string bearer_token(r.json().at("token").as_string());
    r = server.call("GET", "/v1/me", std::nullopt, bearer_token);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json().at("email"), "jeanne.juree@example.org");

    // Single use; the invitation is no longer pending.
    r = accept(token);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("code"), "link_expired");
    r = server.call("GET", "/v1/accounts/invitations", std::nullopt, admin);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.json().at("items").as_array().empty());
    // The signed-in juror lands on the label's pages.
    console_client juror{server.port()};
    r = juror.sign_in("jeanne.juree@example.org");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/label");
}

TEST_F(invitations_http, who_may_invite_whom_and_what_is_refused) {
    const auto participant = server.token_for(role::participant, "p@x.fr");
    const object juror{{"email", "j@x.fr"}, {"display_name", "J"}, {"role", "jury"}};
    EXPECT_EQ(invite(juror, "").status, 401);
    auto r = invite(juror, participant);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.json().at("code"), "not_allowed");
    // An organizer invites co-organizers of its own events only.
    EXPECT_EQ(invite(juror, owner).status, 403);
    const auto event = event_of_owner();
    const auto other = server.token_for(role::organizer, "other@x.fr");
    r = invite(
        object{
            {"email", "c@x.fr"}, {"display_name", "C"}, {"role", "organizer"}, {"event_id", event}},
        other);
    EXPECT_EQ(r.status, 404) << r.body; // a draft of someone else does not exist for them
    r = invite(
        object{{"email", "c@x.fr"}, {"display_name", "C"}, {"role", "jury"}, {"event_id", event}},
        owner);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "role");
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "not_eligible");

    // Every field in one pass.
    r = invite(object{{"email", "pas une adresse"}, {"display_name", ""}, {"role", "jury"}}, admin);
    ASSERT_EQ(r.status, 422) << r.body;
    ASSERT_EQ(r.json().at("errors").as_array().size(), 2u);
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "email");
    EXPECT_EQ(r.json().at("errors").at(1).at("field"), "display_name");
    r = invite(object{{"email", "j@x.fr"}, {"display_name", "J"}, {"role", "chef"}}, admin);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("code"), "choice");
    r = invite(object{{"email", "j@x.fr"}, {"display_name", "J"}, {"role", "jury"}, {"x", 1}},
               admin);
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("code"), "not_accepted");

    // An address with an account: 409, nothing sent.
    r = invite(object{{"email", "p@x.fr"}, {"display_name", "P"}, {"role", "jury"}}, admin);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "email_taken");
    // A second invitation while the first waits: 409, resend it instead.
    ASSERT_EQ(invite(juror, admin).status, 201);
    r = invite(juror, admin);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "invitation_pending");
    r = server.call("GET", "/v1/accounts/invitations", std::nullopt, admin);
    EXPECT_EQ(r.json().at("items").as_array().size(), 1u);
}

TEST_F(invitations_http, an_organizer_invites_a_co_organizer_who_joins_the_event) {
    const auto event = event_of_owner();
    auto r = invite(object{{"email", "co@x.fr"},
                           {"display_name", "Camille Co"},
                           {"role", "organizer"},
                           {"event_id", event}},
                    owner);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("event_id").as_string(), event);
    const std::string id(r.json().at("id").as_string());
    const auto body = server.mailed("co@x.fr", "account_invitation", "body");
    EXPECT_NE(body.find("Rencontre des tiers-lieux"), std::string::npos) << body;

    // Listed to the one who sent it and to admins; another organizer neither sees nor withdraws
    // it.
    const auto other = server.token_for(role::organizer, "other@x.fr");
    r = server.call("GET", "/v1/accounts/invitations", std::nullopt, owner);
    ASSERT_EQ(r.json().at("items").as_array().size(), 1u);
    r = server.call("GET", "/v1/accounts/invitations", std::nullopt, other);
    EXPECT_TRUE(r.json().at("items").as_array().empty());
    r = server.call("DELETE", "/v1/accounts/invitations/" + id, std::nullopt, other);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.json().at("code"), "invitation_not_found");

    r = server.call("POST", "/v1/accounts/invitations/accept",
                    object{{"token", token_of(server.mailed("co@x.fr", "account_invitation"))},
                           {"password", password},
                           {"display_name", "Camille Coorganisatrice"}});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("account").at("role"), "organizer");
    EXPECT_EQ(r.json().at("account").at("display_name"), "Camille Coorganisatrice");
    const std::string co(r.json().at("token").as_string());
    // The draft is theirs to read and change now.
    r = server.call("GET", "/v1/events/" + event, std::nullopt, co);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("organizer_ids").as_array().size(), 2u);
}

TEST_F(invitations_http, an_existing_organizer_is_added_directly_and_told_so) {
    const auto event = event_of_owner();
    server.token_for(role::organizer, "known@x.fr");
    const auto r = invite(object{{"email", "known@x.fr"},
                                 {"display_name", "Known"},
                                 {"role", "organizer"},
                                 {"event_id", event}},
                          owner);
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(r.json().at("code"), "organizer_added_directly");
    const auto e = server.call("GET", "/v1/events/" + event, std::nullopt, owner).json();
    const auto known = std::to_string(server.account_id("known@x.fr"));
    bool listed = false;
    for (const auto& o : e.at("organizer_ids").as_array())
        listed = listed || o.as_string() == known;
    EXPECT_TRUE(listed) << boost::json::serialize(e);
    EXPECT_EQ(server.mailed("known@x.fr", "organizer_added", "kind"), "organizer_added");
}

TEST_F(invitations_http, a_resent_invitation_has_a_new_link_and_a_withdrawn_one_none) {
    auto r = invite(object{{"email", "j@x.fr"}, {"display_name", "J"}, {"role", "jury"}}, admin);
    const std::string id(r.json().at("id").as_string());
    const auto first = token_of(server.mailed("j@x.fr", "account_invitation"));
    r = server.call("POST", "/v1/accounts/invitations/" + id + "/resend", std::nullopt, admin);
    ASSERT_EQ(r.status, 200) << r.body;
    server.mailed("j@x.fr", "account_invitation", "link", 1); // both delivered
    const auto second = token_of(server.mailed("j@x.fr", "account_invitation"));
    ASSERT_NE(first, second);
    EXPECT_EQ(accept(first).status, 422);
    r = server.call("DELETE", "/v1/accounts/invitations/" + id, std::nullopt, admin);
    EXPECT_EQ(r.status, 204);
    r = accept(second);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(r.json().at("errors").at(0).at("code"), "link_expired");
    r = server.call("DELETE", "/v1/accounts/invitations/" + id, std::nullopt, admin);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(send_request(server.port(), "GET", "/invitation?token=" + second).status, 410);
}

TEST_F(invitations_http, a_password_reset_ends_every_session_and_token) {
    const auto [id, old_token] = server.sign_up("camille@x.fr");
    console_client browser{server.port()};
    ASSERT_EQ(browser.sign_in("camille@x.fr").status, 303);

    // The same answer for an address with no account, and no message.
    auto r = server.call("POST", "/v1/auth/password-reset", object{{"email", "nobody@x.fr"}});
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.body, R"({"status":"queued"})");
    r = server.call("POST", "/v1/auth/password-reset", object{{"email", "Camille@X.fr"}});
    ASSERT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.body, R"({"status":"queued"})");
    const auto link = server.mailed("camille@x.fr", "password_reset");
    ASSERT_NE(link.find("/mot-de-passe?token="), std::string::npos) << link;
    const auto token = token_of(link);
    EXPECT_EQ(admin_listings().find(token), std::string::npos);
    EXPECT_NE(server.mailed("camille@x.fr", "password_reset", "body").find("dans l'heure"),
              std::string::npos);
    // Asked twice: the first link also works until one is used.
    ASSERT_EQ(
        server.call("POST", "/v1/auth/password-reset", object{{"email", "camille@x.fr"}}).status,
        202);
    server.mailed("camille@x.fr", "password_reset", "link", 1); // both delivered
    const auto later = token_of(server.mailed("camille@x.fr", "password_reset"));
    ASSERT_NE(later, token);

    r = server.call("POST", "/v1/auth/password-reset/confirm",
                    object{{"token", token}, {"password", "court"}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "password");
    r = server.call("POST", "/v1/auth/password-reset/confirm",
                    object{{"token", token}, {"password", "a brand new passphrase"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("email"), "camille@x.fr");
    EXPECT_EQ(r.json().at("email_verified"), true); // the link reached the address

    // Every way in opened with the old password is closed; both links are spent.
    EXPECT_EQ(server.call("GET", "/v1/me", std::nullopt, old_token).status, 401);
    EXPECT_EQ(browser.get("/gestion").status, 303);
    EXPECT_EQ(server
                  .call("POST", "/v1/auth/token",
                        object{{"email", "camille@x.fr"}, {"password", password}})
                  .status,
              401);
    EXPECT_EQ(server
                  .call("POST", "/v1/auth/token",
                        object{{"email", "camille@x.fr"}, {"password", "a brand new passphrase"}})
                  .status,
              200);
    for (const auto& spent : {token, later}) {
        r = server.call("POST", "/v1/auth/password-reset/confirm",
                        object{{"token", spent}, {"password", "another new passphrase"}});
        ASSERT_EQ(r.status, 422) << r.body;
        EXPECT_EQ(r.json().at("errors").at(0).at("code"), "link_expired");
    }
    // A reset link does not verify an address in place of a verification link, nor the reverse.
    r = server.call("POST", "/v1/accounts/verify", object{{"token", token}});
    EXPECT_EQ(r.status, 422);
}

TEST_F(invitations_http, password_resets_are_throttled_per_address_known_or_not) {
    for (const char* email : {"camille@x.fr", "nobody@x.fr"}) {
        if (std::string(email) == "camille@x.fr") server.sign_up(email);
        for (int i = 0; i < 3; ++i)
            ASSERT_EQ(
                server.call("POST", "/v1/auth/password-reset", object{{"email", email}}).status,
                202);
        const auto r = server.call("POST", "/v1/auth/password-reset", object{{"email", email}});
        ASSERT_EQ(r.status, 429) << email;
        EXPECT_EQ(r.json().at("code"), "too_many_password_resets");
        EXPECT_TRUE(r.has_header("Retry-After"));
    }
    const auto r = server.call("POST", "/v1/auth/password-reset", object{{"email", "nope"}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json().at("errors").at(0).at("field"), "email");
}

// -- the pages the links open -----------------------------------------------------------------

TEST_F(invitations_http, the_invitation_page_makes_the_account_and_signs_in) {
    ASSERT_EQ(
        invite(object{{"email", "o@x.fr"}, {"display_name", "Odile"}, {"role", "organizer"}}, admin)
            .status,
        201);
    const auto token = token_of(server.mailed("o@x.fr", "account_invitation"));
    auto r = send_request(server.port(), "GET", "/invitation?token=" + token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "o@x.fr"));
    EXPECT_TRUE(page_has(r.body, "Vous êtes invité·e à organiser des rencontres"));
    EXPECT_EQ(form_field(r.body, "display_name"), "Odile");
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    const auto csrf = form_field(r.body, "csrf");

    // A short password: the form again, the name kept, the summary first.
    r = post_form("/invitation", {{"csrf", csrf},
                                  {"token", token},
                                  {"display_name", "Odile Martin"},
                                  {"password", "court"}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(page_has(r.body, "Choisissez un mot de passe de 10 caractères au moins."));
    EXPECT_TRUE(page_has(r.body, "id=\"resume-erreurs\""));
    EXPECT_EQ(form_field(r.body, "display_name"), "Odile Martin");
    // A stale form: its values come back with a fresh form token.
    r = post_form("/invitation", {{"csrf", "stale"},
                                  {"token", token},
                                  {"display_name", "Odile Martin"},
                                  {"password", password}});
    ASSERT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(form_field(r.body, "display_name"), "Odile Martin");
    EXPECT_NE(form_field(r.body, "csrf"), "stale");

    r = post_form("/invitation", {{"csrf", form_field(r.body, "csrf")},
                                  {"token", token},
                                  {"display_name", "Odile Martin"},
                                  {"password", password}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/gestion");
    console_client signed_in{server.port()};
    signed_in.session = session_cookie_of(r);
    ASSERT_FALSE(signed_in.session.empty());
    r = signed_in.get("/gestion");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "Odile Martin"));
    // The link is spent.
    EXPECT_EQ(send_request(server.port(), "GET", "/invitation?token=" + token).status, 410);
}

TEST_F(invitations_http, the_forgotten_password_pages_answer_alike_and_set_the_password) {
    server.sign_up("camille@x.fr");
    auto page = send_request(server.port(), "GET", "/mot-de-passe-oublie");
    ASSERT_EQ(page.status, 200);
    const auto csrf = form_field(page.body, "csrf");
    const auto known =
        post_form("/mot-de-passe-oublie", {{"csrf", csrf}, {"email", "camille@x.fr"}});
    const auto unknown =
        post_form("/mot-de-passe-oublie", {{"csrf", csrf}, {"email", "personne@x.fr"}});
    ASSERT_EQ(known.status, 200);
    ASSERT_EQ(unknown.status, 200);
    EXPECT_TRUE(page_has(known.body, "Si un compte existe pour l'adresse"));
    // The two pages differ only by the address they repeat.
    auto same = unknown.body;
    same.replace(same.find("personne@x.fr"), 13, "camille@x.fr");
    EXPECT_EQ(known.body, same);
    auto bad = post_form("/mot-de-passe-oublie", {{"csrf", csrf}, {"email", "camille"}});
    ASSERT_EQ(bad.status, 422);
    EXPECT_TRUE(page_has(bad.body, "Saisissez l'adresse électronique de votre compte"));
    EXPECT_EQ(form_field(bad.body, "email"), "camille");

    const auto token = token_of(server.mailed("camille@x.fr", "password_reset"));
    page = send_request(server.port(), "GET", "/mot-de-passe?token=" + token);
    ASSERT_EQ(page.status, 200) << page.body;
    auto r = post_form(
        "/mot-de-passe",
        {{"csrf", form_field(page.body, "csrf")}, {"token", token}, {"password", "court"}});
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Choisissez un mot de passe de 10 caractères au moins."));
    r = post_form("/mot-de-passe", {{"csrf", form_field(page.body, "csrf")},
                                    {"token", token},
                                    {"password", "a brand new passphrase"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/connexion?fait=mot-de-passe");
    r = send_request(server.port(), "GET", "/connexion?fait=mot-de-passe");
    EXPECT_TRUE(page_has(r.body, "Votre mot de passe est changé."));
    console_client browser{server.port()};
    EXPECT_EQ(browser.sign_in("camille@x.fr", "a brand new passphrase").status, 303);
    EXPECT_EQ(send_request(server.port(), "GET", "/mot-de-passe?token=" + token).status, 410);
    // /connexion leads to the page.
    EXPECT_TRUE(page_has(send_request(server.port(), "GET", "/connexion").body,
                         "href=\"/mot-de-passe-oublie\""));
}

TEST_F(invitations_http, admins_invite_from_the_accounts_page_and_organizers_from_the_event) {
    server.token_for(role::admin, "admin2@x.fr");
    console_client admin_page{server.port()};
    ASSERT_EQ(admin_page.sign_in("admin2@x.fr").status, 303);
    auto r =
        admin_page.post("/admin/comptes/invitations",
                        {{"email", "pas une adresse"}, {"display_name", ""}, {"role", "jury"}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(page_has(r.body, "Le formulaire contient 2 erreurs"));
    EXPECT_EQ(form_field(r.body, "email"), "pas une adresse");
    r = admin_page.post("/admin/comptes/invitations",
                        {{"email", "j@x.fr"}, {"display_name", "Jeanne"}, {"role", "jury"}});
    ASSERT_EQ(r.status, 303) << r.body;
    r = admin_page.get("/admin/comptes?fait=invitation");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "L'invitation est envoyée."));
    EXPECT_TRUE(
        page_has(r.body, "<th scope=\"row\">Jeanne</th><td>j@x.fr</td><td>Jury du label</td>"));
    r = admin_page.post("/admin/comptes/invitations",
                        {{"email", "j@x.fr"}, {"display_name", "Jeanne"}, {"role", "jury"}});
    ASSERT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "Une invitation à cette adresse attend déjà une réponse"));

    // The owner invites a co-organizer from the event's page; an address without an account and
    // without a name is asked for the name.
    const auto event = event_of_owner();
    console_client organizer{server.port()};
    ASSERT_EQ(organizer.sign_in("owner@x.fr").status, 303);
    const auto target = "/gestion/evenements/" + event + "/organisateurs";
    r = organizer.post(target, {{"organizer_email", "new@x.fr"}, {"organizer_name", ""}});
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_TRUE(page_has(r.body, "indiquez le nom de la personne pour l'inviter"));
    r = organizer.post(target, {{"organizer_email", "new@x.fr"}, {"organizer_name", "Noé"}});
    ASSERT_EQ(r.status, 303) << r.body;
    r = organizer.get("/gestion/evenements/" + event + "?fait=invitation");
    EXPECT_TRUE(page_has(r.body, "L'invitation est envoyée"));
    EXPECT_TRUE(page_has(r.body, "Noé (new@x.fr)"));
    // A participant's address: said, nothing sent.
    server.token_for(role::participant, "p@x.fr");
    r = organizer.post(target, {{"organizer_email", "p@x.fr"}, {"organizer_name", "P"}});
    ASSERT_EQ(r.status, 409) << r.body;
    EXPECT_TRUE(page_has(r.body, "Cette adresse a un compte, sans le rôle d'organisation"));
    // Withdrawn from the event's page.
    const auto listed = server.call("GET", "/v1/accounts/invitations", std::nullopt, owner);
    const std::string id(listed.json().at("items").at(0).at("id").as_string());
    r = organizer.post("/gestion/evenements/" + event + "/invitations/" + id + "/retrait", {});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_TRUE(server.call("GET", "/v1/accounts/invitations", std::nullopt, owner)
                    .json()
                    .at("items")
                    .as_array()
                    .empty());
}

} // namespace
} // namespace rencontres::testing

// Signing in to the console (API.md §13): the session cookie and its flags, wrong passwords and
// their throttle, sign-out, a forged cross-site post, a session ended by a role change or by time,
// an unverified email asked to verify first.
#include "support/console_client.hpp"

#include <gtest/gtest.h>
#include <regex>
#include <thread>
#include <tuple>

namespace rencontres::testing {
namespace {

// A path as a query value: its slashes percent-encoded.
std::string query_escaped(const std::string& path) {
    std::string out;
    for (const char c : path)
        out += c == '/' ? std::string("%2F") : std::string(1, c);
    return out;
}

const header_list form_type{{"Content-Type", "application/x-www-form-urlencoded"}};

class console_http : public ::testing::Test {
protected:
    test_server server{[](config& c) { c.auth.session_idle_seconds = 3; }};
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string organizer = server.token_for(role::organizer, "orga@x.fr");

    reply get(const std::string& target, const std::string& cookie = {}) {
        header_list h;
        if (!cookie.empty()) h.emplace_back("Cookie", "rencontres_session=" + cookie);
        return send_request(server.port(), "GET", target, "", h);
    }
    reply post(const std::string& target, const std::string& body, const std::string& cookie = {},
               header_list extra = {}) {
        auto h = form_type;
        if (!cookie.empty()) h.emplace_back("Cookie", "rencontres_session=" + cookie);
        h.insert(h.end(), extra.begin(), extra.end());
        return send_request(server.port(), "POST", target, body, h);
    }
    // Signs in through the form; returns the reply (303 and a cookie when it works).
    reply sign_in(const std::string& email, const std::string& password) {
        const auto csrf = form_field(get("/connexion").body, "csrf");
        return post("/connexion",
                    "csrf=" + csrf + "&email=" + std::regex_replace(email, std::regex("@"), "%40") +
                        "&password=" + std::regex_replace(password, std::regex(" "), "+"));
    }
    static std::string session_of(const reply& r) { return session_cookie_of(r); }
};

TEST_F(console_http, signing_in_opens_a_session_in_a_safe_cookie) {
    const auto event = published_event(server.port(), organizer, 10);
    const auto r = sign_in("orga@x.fr", "correct horse battery");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/gestion");
    const auto set = r.header("Set-Cookie");
    EXPECT_TRUE(std::regex_match(set, std::regex("rencontres_session=[A-Za-z0-9_-]{32,}; Path=/; "
                                                 "HttpOnly; SameSite=Lax")))
        << set;
    const auto session = session_of(r);
    const auto home = get("/gestion", session);
    ASSERT_EQ(home.status, 200);
    EXPECT_EQ(home.header("Cache-Control"), "no-store");
    EXPECT_NE(home.body.find("<h1>Mes rencontres</h1>"), std::string::npos);
    EXPECT_NE(
        home.body.find("<a href=\"/gestion/evenements/" + event + "\">Assemblée générale</a>"),
        std::string::npos)
        << home.body;
    EXPECT_NE(home.body.find("<a href=\"/evenements/assemblee-generale\">Voir"), std::string::npos);
    EXPECT_NE(home.body.find("<td>Publiée</td>"), std::string::npos);
    // Already signed in: the form sends to the console.
    EXPECT_EQ(get("/connexion", session).status, 303);
    // Without the cookie, or with a made-up one: sign in first, then back to the page.
    EXPECT_EQ(get("/gestion").header("Location"), "/connexion?retour=%2Fgestion");
    EXPECT_EQ(get("/gestion", "not-a-session").header("Location"), "/connexion?retour=%2Fgestion");
}

// A first visit to the form shows no error; each role lands on its home after signing in (and
// when it comes back to the form signed in), and every console page names who is signed in with
// the way to sign out.
TEST_F(console_http, each_role_lands_on_its_home_and_every_page_names_who_is_signed_in) {
    const auto first = get("/connexion");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.body.find("La connexion a échoué"), std::string::npos) << first.body;
    EXPECT_EQ(first.body.find("error-summary"), std::string::npos);
    EXPECT_EQ(first.body.find("aria-invalid"), std::string::npos);
    EXPECT_NE(first.body.find("<title>Connexion — Rencontres</title>"), std::string::npos);
    EXPECT_EQ(first.body.find("Se déconnecter"), std::string::npos) << "nobody is signed in";
    server.token_for(role::jury, "jury@x.fr");
    const std::vector<std::tuple<std::string, std::string, std::string>> homes{
        {"orga@x.fr", "/gestion", "organisateur·rice"},
        {"jury@x.fr", "/label", "membre du jury"},
        {"admin@x.fr", "/admin", "administrateur·rice"}};
    for (const auto& [email, home, role_text] : homes) {
        const auto r = sign_in(email, "correct horse battery");
        ASSERT_EQ(r.status, 303) << email;
        EXPECT_EQ(r.header("Location"), home) << email;
        const auto session = session_of(r);
        EXPECT_EQ(get("/connexion", session).header("Location"), home) << email;
        const auto page = get(home, session);
        ASSERT_EQ(page.status, 200) << email;
        // The account's display name is its email in these tests.
        EXPECT_NE(page.body.find("<p>Connecté·e : <strong>" + email +
                                 "</strong> <span class=\"account-role\">(" + role_text +
                                 ")</span></p>"),
                  std::string::npos)
            << page.body.substr(0, 3000);
        EXPECT_EQ(page.body.find("Espace d'organisation"), std::string::npos);
        // The banner's sign-out ends the session.
        const auto out = post("/deconnexion", "csrf=" + form_field(page.body, "csrf"), session);
        EXPECT_EQ(out.status, 303) << email;
        EXPECT_EQ(get(home, session).header("Location"), "/connexion?retour=" + query_escaped(home))
            << email;
    }
}

TEST(console_cookie, is_secure_when_the_site_is_served_over_https) {
    test_server server([](config& c) { c.server.public_base_url = "https://rencontres.example"; });
    server.token_for(role::organizer, "orga@x.fr");
    const auto form = send_request(server.port(), "GET", "/connexion");
    const auto r = send_request(server.port(), "POST", "/connexion",
                                "csrf=" + form_field(form.body, "csrf") +
                                    "&email=orga%40x.fr&password=correct+horse+battery",
                                form_type);
    ASSERT_EQ(r.status, 303);
    EXPECT_NE(r.header("Set-Cookie").find("; HttpOnly; SameSite=Lax; Secure"), std::string::npos);
}

TEST(console_cookie, is_secure_behind_a_trusted_proxy_that_says_https_and_only_there) {
    for (const bool trusted : {true, false}) {
        test_server server([&](config& c) {
            if (trusted) c.server.trusted_proxies = "127.0.0.1";
        });
        server.token_for(role::organizer, "orga@x.fr");
        const auto form = send_request(server.port(), "GET", "/connexion");
        auto headers = form_type;
        headers.emplace_back("X-Forwarded-Proto", "https");
        const auto r = send_request(server.port(), "POST", "/connexion",
                                    "csrf=" + form_field(form.body, "csrf") +
                                        "&email=orga%40x.fr&password=correct+horse+battery",
                                    headers);
        ASSERT_EQ(r.status, 303);
        EXPECT_EQ(r.header("Set-Cookie").find("; Secure") != std::string::npos, trusted)
            << r.header("Set-Cookie");
        // Secure, it carries the __Host- prefix (and so is for the whole site, from it alone).
        EXPECT_EQ(r.header("Set-Cookie").rfind("__Host-rencontres_session=", 0) == 0, trusted)
            << r.header("Set-Cookie");
    }
}

TEST_F(console_http, a_wrong_password_is_said_plainly_and_repeated_ones_are_throttled) {
    auto r = sign_in("orga@x.fr", "wrong password");
    EXPECT_EQ(r.status, 422);
    EXPECT_FALSE(r.has_header("Set-Cookie"));
    EXPECT_NE(r.body.find("L&#39;adresse électronique ou le mot de passe est incorrect."),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("value=\"orga@x.fr\""), std::string::npos) << "the email is kept";
    EXPECT_EQ(r.body.find("wrong password"), std::string::npos) << "the password never is";
    for (int i = 0; i < 4; ++i)
        sign_in("orga@x.fr", "wrong password");
    r = sign_in("orga@x.fr", "correct horse battery");
    EXPECT_EQ(r.status, 429) << "the API's throttle";
    EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST_F(console_http, signing_out_needs_the_sessions_token_and_ends_the_session) {
    const auto session = session_of(sign_in("orga@x.fr", "correct horse battery"));
    const auto home = get("/gestion", session);
    const auto csrf = form_field(home.body, "csrf");
    ASSERT_FALSE(csrf.empty());
    // Forged: no token, another session's token, or sent by another site.
    EXPECT_EQ(post("/deconnexion", "", session).status, 403);
    const auto other = session_of(sign_in("admin@x.fr", "correct horse battery"));
    EXPECT_EQ(
        post("/deconnexion", "csrf=" + form_field(get("/gestion", other).body, "csrf"), session)
            .status,
        403);
    EXPECT_EQ(
        post("/deconnexion", "csrf=" + csrf, session, {{"Sec-Fetch-Site", "cross-site"}}).status,
        403);
    EXPECT_EQ(get("/gestion", session).status, 200) << "still signed in";
    const auto out = post("/deconnexion", "csrf=" + csrf, session);
    ASSERT_EQ(out.status, 303);
    EXPECT_EQ(out.header("Location"), "/");
    EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(get("/gestion", session).status, 303);
    // The sign-in form refuses a post from another site too.
    const auto csrf_login = form_field(get("/connexion").body, "csrf");
    EXPECT_EQ(post("/connexion", "csrf=" + csrf_login + "&email=orga%40x.fr&password=x", "",
                   {{"Origin", "https://evil.example"}})
                  .status,
              403);
    EXPECT_EQ(post("/connexion", "email=orga%40x.fr&password=correct+horse+battery").status, 403)
        << "no token";
}

TEST_F(console_http, a_demoted_organizer_loses_the_console_at_once) {
    const auto session = session_of(sign_in("orga@x.fr", "correct horse battery"));
    ASSERT_EQ(get("/gestion", session).status, 200);
    const auto id = std::to_string(server.account_id("orga@x.fr"));
    ASSERT_EQ(server
                  .call("PATCH", "/v1/accounts/" + id, boost::json::object{{"role", "participant"}},
                        admin)
                  .status,
              200);
    EXPECT_EQ(get("/gestion", session).status, 303) << "the session ended with the role";
    // Signed in again as a participant: no console.
    const auto again = session_of(sign_in("orga@x.fr", "correct horse battery"));
    const auto refused = get("/gestion", again);
    EXPECT_EQ(refused.status, 403);
    EXPECT_NE(refused.body.find("réservé aux équipes d'organisation"), std::string::npos);
}

TEST_F(console_http, a_session_unused_for_too_long_ends) {
    const auto session = session_of(sign_in("orga@x.fr", "correct horse battery"));
    ASSERT_EQ(get("/gestion", session).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(4100));
    EXPECT_EQ(get("/gestion", session).status, 303);
}

TEST_F(console_http, an_unverified_email_is_asked_to_verify_first) {
    ASSERT_EQ(server
                  .call("POST", "/v1/accounts",
                        boost::json::object{{"email", "new@x.fr"},
                                            {"password", "correct horse battery"},
                                            {"display_name", "Nouvelle"}})
                  .status,
              201);
    const auto id = std::to_string(server.account_id("new@x.fr"));
    ASSERT_EQ(
        server
            .call("PATCH", "/v1/accounts/" + id, boost::json::object{{"role", "organizer"}}, admin)
            .status,
        200);
    const auto session = session_of(sign_in("new@x.fr", "correct horse battery"));
    const auto home = get("/gestion", session);
    ASSERT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("Confirmez votre adresse électronique"), std::string::npos);
    EXPECT_EQ(home.body.find("<table>"), std::string::npos);
}

TEST_F(console_http, the_check_in_link_checks_a_person_in_once_for_an_organizer_of_the_event) {
    const auto event = published_event(server.port(), organizer, 1);
    const auto confirmed = register_one(server.port(), event, "alix@x.fr").json();
    const auto waiting = register_one(server.port(), event, "bo@x.fr").json();
    const auto link =
        "/gestion/inscriptions/" + std::string(confirmed.at("id").as_string()) + "/accueil";
    // Not signed in: sign in first, and back to the link. Another organizer: nothing.
    EXPECT_EQ(get(link).header("Location"), "/connexion?retour=" + query_escaped(link));
    server.token_for(role::organizer, "other@x.fr");
    const auto other = session_of(sign_in("other@x.fr", "correct horse battery"));
    EXPECT_EQ(get(link, other).status, 404);
    EXPECT_EQ(post(link, "csrf=" + form_field(get("/gestion", other).body, "csrf"), other).status,
              404);

    const auto session = session_of(sign_in("orga@x.fr", "correct horse battery"));
    auto page = get(link, session);
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<h1>Accueil : Participant alix@x.fr</h1>"), std::string::npos)
        << page.body;
    EXPECT_NE(page.body.find("<button type=\"submit\" class=\"button-large\">Enregistrer "
                             "l'arrivée</button>"),
              std::string::npos);
    const auto csrf = form_field(page.body, "csrf");
    EXPECT_EQ(post(link, "", session).status, 403) << "a forged post checks nobody in";
    auto done = post(link, "csrf=" + csrf, session);
    ASSERT_EQ(done.status, 303);
    EXPECT_EQ(done.header("Location"), link + "?fait=1");
    page = get(done.header("Location"), session);
    // One result, said once, and the way back to the door's list.
    EXPECT_NE(page.body.find("Arrivée enregistrée à "), std::string::npos);
    EXPECT_EQ(page.body.find("déjà"), std::string::npos);
    EXPECT_EQ(page.body.find("Enregistrer l'arrivée</button>"), std::string::npos);
    EXPECT_NE(page.body.find("/gestion/evenements/" + event + "/accueil"), std::string::npos);
    // Twice: said so, no error page.
    done = post(link, "csrf=" + csrf, session);
    EXPECT_EQ(done.header("Location"), link);
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, organizer)
                  .json()
                  .at("checked_in"),
              1);
    // Someone on the waiting list cannot be checked in.
    page = get("/gestion/inscriptions/" + std::string(waiting.at("id").as_string()) + "/accueil",
               session);
    EXPECT_NE(page.body.find("En liste d&#39;attente"), std::string::npos) << page.body;
    EXPECT_EQ(page.body.find("Enregistrer l'arrivée</button>"), std::string::npos);
}

} // namespace
} // namespace rencontres::testing

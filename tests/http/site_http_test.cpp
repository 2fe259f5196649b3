// The public site over real HTTP (API.md §11): registration from a form, the participant's page,
// cancellation with a confirmation step, a forged cross-site post, the cached event page, the
// static files, and the French dates. The browser tests (tests/browser) drive the same pages in
// Chromium.
#include "domain/common/french.hpp"
#include "domain/labels/repository.hpp"
#include "domain/store.hpp"
#include "support/console_client.hpp"
#include "support/test_server.hpp"

#include <gtest/gtest.h>
#include <regex>

namespace rencontres::testing {
namespace {

const header_list form_type{{"Content-Type", "application/x-www-form-urlencoded"}};

class site_http : public ::testing::Test {
protected:
    test_server server;
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string event = published_event(server.port(), admin, 1); // one seat

    reply get(const std::string& target, const header_list& headers = {}) {
        return send_request(server.port(), "GET", target, "", headers);
    }
    reply post_form(const std::string& target, const std::string& body,
                    header_list headers = form_type) {
        return send_request(server.port(), "POST", target, body, headers);
    }
    // Where the event page's form posts (its slug), and the form's anti-CSRF token.
    std::string action() {
        const auto page = get("/evenements/" + event);
        std::smatch m;
        EXPECT_TRUE(std::regex_search(
            page.body, m, std::regex(R"re(<form method="post" action="([^"#]+)[^"]*")re")))
            << page.body;
        return m[1];
    }
    std::string csrf() {
        const auto page = get("/evenements/" + event);
        std::smatch m;
        EXPECT_TRUE(
            std::regex_search(page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")))
            << page.body;
        return m[1];
    }
    int confirmed() {
        return static_cast<int>(
            server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, admin)
                .json()
                .at("confirmed")
                .as_int64());
    }
    std::string registration_form(const std::string& email) {
        return "csrf=" + csrf() + "&given_name=Camille&family_name=Martin&email=" + email +
               "&organization=Mairie+d%27%C3%89gletons&territory_id=&consent=oui";
    }
};

TEST_F(site_http, a_forged_cross_site_post_is_refused_and_registers_nobody) {
    const auto target = action();
    // Without the form's token (or with one too old): nothing registered, the form comes back
    // with what was typed and a fresh token.
    auto r = post_form(target, "given_name=Camille&family_name=Martin&email=c%40x.fr&consent=oui"
                               "&csrf=expire");
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("<title>Erreur : Assemblée générale — Rencontres</title>"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("<h3 id=\"erreurs\">Ce formulaire a expiré : vérifiez vos informations "
                          "et envoyez-le à nouveau.</h3>"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("id=\"given_name\" name=\"given_name\" value=\"Camille\""),
              std::string::npos);
    EXPECT_NE(r.body.find("id=\"email\" name=\"email\" value=\"c@x.fr\""), std::string::npos);
    std::smatch found;
    ASSERT_TRUE(std::regex_search(r.body, found, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    const std::string fresh = found[1];
    EXPECT_NE(fresh, "expire");
    EXPECT_EQ(confirmed(), 0);
    // With a token, but sent by another site's page.
    auto cross = form_type;
    cross.emplace_back("Sec-Fetch-Site", "cross-site");
    r = post_form(target, registration_form("c%40x.fr"), cross);
    EXPECT_EQ(r.status, 403);
    auto foreign = form_type;
    foreign.emplace_back("Origin", "https://evil.example");
    r = post_form(target, registration_form("c%40x.fr"), foreign);
    EXPECT_EQ(r.status, 403);
    // A token issued for another event's form.
    const auto other = published_event(server.port(), admin, 5);
    const auto other_page = get("/evenements/" + other);
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(other_page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    r = post_form(target, "csrf=" + std::string(m[1]) + "&full_name=A&email=a%40x.fr&consent=oui");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(confirmed(), 0);
    // The fresh token of the form sent back registers.
    r = post_form(target, "csrf=" + fresh +
                              "&given_name=Camille&family_name=Martin&email=c%40x.fr&consent=oui");
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(confirmed(), 1);
    // The same form from the site itself registers.
    auto same = form_type;
    same.emplace_back("Sec-Fetch-Site", "same-origin");
    r = post_form(target, registration_form("d%40x.fr"), same);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(confirmed(), 1) << "one seat: the second waits";
}

TEST_F(site_http, a_registration_from_the_form_lands_on_the_participants_page) {
    const auto r = post_form(action(), registration_form("camille.martin%40mairie.fr"));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    std::smatch m;
    const auto location = r.header("Location");
    ASSERT_TRUE(std::regex_match(
        location, m,
        std::regex(R"(/inscriptions/(\d+)\?t=([A-Za-z0-9_-]+)&fait=inscription#contenu)")))
        << location;
    const std::string id = m[1], token = m[2];
    // As a browser does, without the fragment.
    const auto page = get(location.substr(0, location.find('#')));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.header("Cache-Control"), "no-store");
    EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(page.body.find("<dd>Camille Martin</dd>"), std::string::npos) << page.body;
    EXPECT_NE(page.body.find("<dd>Mairie d&#39;Égletons</dd>"), std::string::npos);
    EXPECT_NE(page.body.find("<dd class=\"status\">Confirmée</dd>"), std::string::npos);
    EXPECT_NE(page.body.find("Votre inscription est enregistrée."), std::string::npos);
    // The personal feed link works.
    ASSERT_TRUE(std::regex_search(
        page.body, m,
        std::regex(R"re(href="(/v1/registrations/\d+/calendar\.ics\?key=[0-9a-f]+)")re")))
        << page.body;
    const auto feed = get(m[1]);
    EXPECT_EQ(feed.status, 200);
    EXPECT_NE(feed.body.find("BEGIN:VCALENDAR"), std::string::npos);
    EXPECT_NE(page.body.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    // The same registration through the API: one seat taken, under the same domain rules.
    EXPECT_EQ(confirmed(), 1);
    const auto api = send_request(server.port(), "GET", "/v1/registrations/" + id, "",
                                  {{"X-Registration-Token", token}});
    EXPECT_EQ(api.json().at("status").as_string(), "confirmed");
    EXPECT_EQ(api.json().at("organization").as_string(), "Mairie d'Égletons");
    // Anything but the right token is a 404, the same as an unknown registration.
    for (const auto& wrong : {"/inscriptions/" + id + "?t=nope", "/inscriptions/" + id,
                              "/inscriptions/999999?t=" + token}) {
        const auto miss = get(wrong);
        EXPECT_EQ(miss.status, 404) << wrong;
        EXPECT_NE(miss.body.find("<h1>Page introuvable</h1>"), std::string::npos);
        EXPECT_EQ(miss.body.find("Camille"), std::string::npos);
    }
}

TEST_F(site_http, invalid_input_comes_back_with_the_values_typed_and_a_message_per_field) {
    const auto r = post_form(action(), "csrf=" + csrf() +
                                           "&given_name=Camille+%3Cb%3E&family_name=Martin"
                                           "&email=camille-at-mairie");
    ASSERT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("<title>Erreur : Assemblée générale — Rencontres</title>"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("<h3 id=\"erreurs\">Le formulaire contient 2 erreurs</h3>"),
              std::string::npos);
    EXPECT_NE(r.body.find("<li><a href=\"#email\">Indiquez une adresse électronique valide, par "
                          "exemple prenom.nom@mairie.fr.</a></li>"),
              std::string::npos);
    EXPECT_NE(r.body.find("<li><a href=\"#consent\">Cochez la case"), std::string::npos);
    EXPECT_NE(r.body.find("value=\"Camille &lt;b&gt;\""), std::string::npos) << "kept, escaped";
    EXPECT_NE(r.body.find("value=\"camille-at-mairie\" autocomplete=\"email\" maxlength=\"254\" "
                          "required aria-invalid=\"true\" aria-describedby=\"email-error\""),
              std::string::npos);
    EXPECT_EQ(confirmed(), 0);
    // The same email twice: the second is told, nothing changes.
    ASSERT_EQ(post_form(action(), registration_form("d%40x.fr")).status, 303);
    const auto again = post_form(action(), registration_form("d%40x.fr"));
    EXPECT_EQ(again.status, 409);
    EXPECT_NE(again.body.find("Cette adresse électronique est déjà inscrite à cette rencontre."),
              std::string::npos);
    EXPECT_EQ(confirmed(), 1);
    // Not a form: 415, as an HTML page.
    const auto json = post_form(action(), "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(json.status, 415);
    EXPECT_NE(json.body.find("<h1>Formulaire non reconnu</h1>"), std::string::npos);
}

// On a phone: a "S'inscrire" link at the top of the page goes to the form; a refused form comes
// back with the browser on its error summary (the action's fragment, the summary focusable), and
// the summary lists every problem at once, the questions named by their labels.
TEST_F(site_http, a_refused_form_lists_every_problem_at_once_and_the_browser_lands_on_them) {
    ASSERT_EQ(server
                  .call("PUT", "/v1/events/" + event + "/questions", boost::json::parse(R"([
          {"code": "dejeuner", "label": "Déjeuner sur place", "kind": "boolean", "required": true},
          {"code": "fonction", "label": "Fonction", "kind": "text", "required": true}
        ])"),
                        admin)
                  .status,
              200);
    const auto page = get("/evenements/" + event);
    const auto link =
        page.body.find("<a class=\"button\" href=\"#inscription\">S&#39;inscrire</a>");
    ASSERT_NE(link, std::string::npos) << page.body;
    EXPECT_LT(link, page.body.find("<h2 id=\"programme\">")) << "near the top";
    EXPECT_NE(page.body.find("<h2 id=\"inscription\">Inscription</h2>"), std::string::npos);
    EXPECT_NE(page.body.find("action=\"/evenements/assemblee-generale/inscription#erreurs-"
                             "inscription\""),
              std::string::npos);
    // A wrong address and both questions unanswered: one answer with the three.
    const auto r = post_form(action(), "csrf=" + csrf() +
                                           "&given_name=Camille&family_name=Martin"
                                           "&email=camille-at-mairie&consent=oui");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("<div class=\"error-summary\" id=\"erreurs-inscription\" "
                          "tabindex=\"-1\" role=\"alert\" aria-labelledby=\"erreurs\">"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("<h3 id=\"erreurs\">Le formulaire contient 3 erreurs</h3>"),
              std::string::npos);
    const auto email = r.body.find("<li><a href=\"#email\">Indiquez une adresse électronique");
    const auto lunch = r.body.find("<li><a href=\"#reponse-dejeuner\">Déjeuner sur place : "
                                   "répondez à cette question.</a></li>");
    const auto role = r.body.find("<li><a href=\"#reponse-fonction\">Fonction : répondez à cette "
                                  "question.</a></li>");
    ASSERT_NE(email, std::string::npos);
    ASSERT_NE(lunch, std::string::npos);
    ASSERT_NE(role, std::string::npos);
    EXPECT_LT(email, lunch) << "in the order of the form";
    EXPECT_LT(lunch, role);
    EXPECT_EQ(confirmed(), 0);
    // The API answers the same: every field at once.
    const auto api = server.call("POST", "/v1/events/" + event + "/registrations",
                                 boost::json::object{{"full_name", "Camille Martin"},
                                                     {"email", "camille-at-mairie"},
                                                     {"consent", true}});
    ASSERT_EQ(api.status, 422);
    std::vector<std::string> fields;
    const auto refusal = api.json();
    for (const auto& f : refusal.at("errors").as_array())
        fields.emplace_back(f.at("field").as_string());
    EXPECT_EQ(fields, (std::vector<std::string>{"email", "answers.dejeuner", "answers.fonction"}));
}

TEST_F(site_http, the_event_page_is_cached_and_rebuilt_when_its_seats_change) {
    const auto first = get("/evenements/" + event);
    ASSERT_EQ(first.status, 200);
    EXPECT_NE(first.body.find("<dd>Il reste 1 place</dd>"), std::string::npos) << first.body;
    EXPECT_NE(first.body.find("<script type=\"application/ld+json\">{\"@context\":\"https://"
                              "schema.org\",\"@type\":\"Event\",\"name\":\"Assemblée générale\","
                              "\"startDate\":\"2031-06-11T09:00:00+02:00\""),
              std::string::npos);
    EXPECT_EQ(first.header("Content-Security-Policy"),
              "default-src 'self'; script-src 'none'; object-src 'none'; img-src 'self' data:; "
              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    EXPECT_EQ(first.header("X-Content-Type-Options"), "nosniff");
    const auto etag = first.header("ETag");
    ASSERT_FALSE(etag.empty());
    const auto same = get("/evenements/" + event, {{"If-None-Match", etag}});
    EXPECT_EQ(same.status, 304);
    EXPECT_TRUE(same.body.empty());
    // A registration through the API takes the last seat: the page says so at once.
    ASSERT_EQ(register_one(server.port(), event, "a@x.fr").status, 201);
    const auto after = get("/evenements/" + event, {{"If-None-Match", etag}});
    ASSERT_EQ(after.status, 200);
    EXPECT_NE(after.header("ETag"), etag);
    EXPECT_NE(after.body.find("<dd>Complet : liste d&#39;attente</dd>"), std::string::npos)
        << after.body;
    EXPECT_NE(after.body.find("<button type=\"submit\">Rejoindre la liste d&#39;attente</button>"),
              std::string::npos);
    // A path the site does not have: a browser gets the French page, an API client a problem.
    const auto nowhere = get("/nulle-part", {{"Accept", "text/html,application/xhtml+xml"}});
    EXPECT_EQ(nowhere.status, 404);
    EXPECT_NE(nowhere.body.find("<h1>Page introuvable</h1>"), std::string::npos);
    EXPECT_EQ(get("/nulle-part").header("Content-Type"), "application/problem+json");
    EXPECT_EQ(get("/v1/nulle-part", {{"Accept", "text/html"}}).header("Content-Type"),
              "application/problem+json");
    // An unknown event is a French 404 page.
    const auto missing = get("/evenements/pas-de-rencontre-ici");
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("<h1>Page introuvable</h1>"), std::string::npos);
    EXPECT_NE(missing.body.find("<html lang=\"fr\">"), std::string::npos);
}

TEST_F(site_http, cancelling_asks_first_then_frees_the_seat_for_the_waiting_list) {
    const auto first = post_form(action(), registration_form("a%40x.fr"));
    ASSERT_EQ(first.status, 303);
    const auto waiting = register_one(server.port(), event, "b@x.fr");
    ASSERT_EQ(waiting.json().at("status").as_string(), "waitlisted");
    std::smatch m;
    const auto location = first.header("Location");
    ASSERT_TRUE(std::regex_search(location, m, std::regex(R"(/inscriptions/(\d+)\?t=([^&]+))")));
    const std::string id = m[1], token = m[2];
    const auto ask = get("/inscriptions/" + id + "/annulation?t=" + token);
    ASSERT_EQ(ask.status, 200);
    EXPECT_EQ(ask.header("Cache-Control"), "no-store");
    EXPECT_NE(
        ask.body.find(
            "<button type=\"submit\" class=\"button-danger\">Confirmer l'annulation</button>"),
        std::string::npos)
        << ask.body;
    EXPECT_EQ(confirmed(), 1) << "showing the question cancels nothing";
    // A wrong token cancels nothing.
    EXPECT_EQ(post_form("/inscriptions/" + id + "/annulation", "t=nope").status, 404);
    EXPECT_EQ(confirmed(), 1);
    const auto done = post_form("/inscriptions/" + id + "/annulation", "t=" + token);
    ASSERT_EQ(done.status, 303);
    EXPECT_EQ(done.header("Location"), "/inscriptions/" + id + "?t=" + token + "&fait=annulation");
    const auto page = get(done.header("Location"));
    EXPECT_NE(page.body.find("<dd class=\"status\">Annulée</dd>"), std::string::npos);
    EXPECT_NE(page.body.find("Votre inscription est annulée."), std::string::npos);
    // The seat went to the one waiting.
    const std::string promoted(waiting.json().at("id").as_string());
    const auto b = send_request(
        server.port(), "GET", "/v1/registrations/" + promoted, "",
        {{"X-Registration-Token", std::string(waiting.json().at("manage_token").as_string())}});
    EXPECT_EQ(b.json().at("status").as_string(), "confirmed");
}

TEST_F(site_http, workshops_are_changed_from_the_participants_page) {
    const auto three = published_event(server.port(), admin, 10);
    const header_list auth{{"Authorization", "Bearer " + admin},
                           {"Content-Type", "application/json"}};
    const auto workshop = [&](const char* title, int capacity) {
        const auto r = send_request(
            server.port(), "POST", "/v1/events/" + three + "/sessions",
            std::string(R"({"title":")") + title +
                R"(","kind":"workshop","starts_at":"2031-06-11T14:00:00+02:00","ends_at":"2031-06-11T15:00:00+02:00","capacity":)" +
                std::to_string(capacity) + R"(,"room":")" + title + R"("})",
            auth);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    };
    const auto a = workshop("A", 1);
    const auto b = workshop("B", 1);
    const auto r = send_request(
        server.port(), "POST", "/v1/events/" + three + "/registrations",
        R"({"full_name":"C","email":"c@x.fr","consent":true,"session_ids":[")" + a + R"("]})",
        {{"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 201);
    const std::string id(r.json().at("id").as_string()),
        token(r.json().at("manage_token").as_string());
    const auto other = send_request(
        server.port(), "POST", "/v1/events/" + three + "/registrations",
        R"({"full_name":"D","email":"d@x.fr","consent":true,"session_ids":[")" + a + R"("]})",
        {{"Content-Type", "application/json"}});
    ASSERT_EQ(other.json().at("sessions").at(0).at("status").as_string(), "waitlisted");
    // A swaps for B: B's seat is taken, A's goes to the one waiting for it.
    const auto changed =
        post_form("/inscriptions/" + id + "/ateliers", "t=" + token + "&session_ids=" + b);
    ASSERT_EQ(changed.status, 303) << changed.body;
    const auto mine = send_request(server.port(), "GET", "/v1/registrations/" + id, "",
                                   {{"X-Registration-Token", token}})
                          .json();
    ASSERT_EQ(mine.at("sessions").as_array().size(), 2u) << mine;
    EXPECT_EQ(mine.at("sessions").at(0).at("session_id").as_string(), a);
    EXPECT_EQ(mine.at("sessions").at(0).at("status").as_string(), "cancelled");
    EXPECT_EQ(mine.at("sessions").at(1).at("session_id").as_string(), b);
    EXPECT_EQ(mine.at("sessions").at(1).at("status").as_string(), "confirmed");
    const auto theirs =
        send_request(
            server.port(), "GET",
            "/v1/registrations/" + std::string(other.json().at("id").as_string()), "",
            {{"X-Registration-Token", std::string(other.json().at("manage_token").as_string())}})
            .json();
    EXPECT_EQ(theirs.at("sessions").at(0).at("status").as_string(), "confirmed");
    // A session of another event is refused and changes nothing.
    const auto foreign =
        post_form("/inscriptions/" + id + "/ateliers", "t=" + token + "&session_ids=999999");
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(send_request(server.port(), "GET", "/v1/registrations/" + id, "",
                           {{"X-Registration-Token", token}})
                  .json()
                  .at("sessions")
                  .at(1)
                  .at("status")
                  .as_string(),
              "confirmed");
}

TEST_F(site_http, the_form_and_the_participants_page_ask_the_events_questions) {
    const auto put =
        server.call("PUT", "/v1/events/" + event + "/questions", boost::json::parse(R"([
          {"code": "dejeuner", "label": "Déjeuner sur place", "kind": "boolean", "required": true},
          {"code": "acces", "label": "Besoins d'accessibilité", "kind": "choices", "required": false,
           "help": "Nous adaptons l'accueil.",
           "options": [{"code": "plain-pied", "label": "Accès de plain-pied"},
                       {"code": "boucle", "label": "Boucle magnétique"}]},
          {"code": "fonction", "label": "Fonction", "kind": "text", "required": false}
        ])"),
                    admin);
    ASSERT_EQ(put.status, 200) << put.body;
    // The (cached) event page now asks them.
    auto page = get("/evenements/" + event);
    EXPECT_NE(page.body.find("<legend>Déjeuner sur place</legend>"), std::string::npos)
        << page.body;
    EXPECT_NE(page.body.find("id=\"reponse-acces-0\" name=\"reponse-acces\" "
                             "value=\"plain-pied\""),
              std::string::npos);
    EXPECT_NE(page.body.find("<p class=\"hint\" id=\"reponse-acces-aide\">Nous adaptons "
                             "l&#39;accueil.</p>"),
              std::string::npos);
    // The required answer left out: 422, the error beside it and in the summary, values kept.
    auto r = post_form(action(), registration_form("lea%40x.fr") +
                                     "&reponse-acces=boucle&reponse-fonction=%C3%89lue");
    ASSERT_EQ(r.status, 422) << r.body;
    EXPECT_NE(r.body.find("<li><a href=\"#reponse-dejeuner\">Déjeuner sur place : répondez à cette "
                          "question.</a></li>"),
              std::string::npos)
        << r.body;
    EXPECT_NE(r.body.find("value=\"boucle\" checked"), std::string::npos);
    EXPECT_NE(r.body.find("value=\"Élue\""), std::string::npos);
    EXPECT_EQ(confirmed(), 0);
    r = post_form(action(),
                  registration_form("lea%40x.fr") +
                      "&reponse-dejeuner=oui&reponse-acces=boucle&reponse-fonction=%C3%89lue");
    ASSERT_EQ(r.status, 303) << r.body;
    std::smatch m;
    const auto location = r.header("Location");
    ASSERT_TRUE(std::regex_search(location, m, std::regex(R"(/inscriptions/(\d+)\?t=([^&]+))")));
    const std::string id = m[1], token = m[2];
    auto api = send_request(server.port(), "GET", "/v1/registrations/" + id, "",
                            {{"X-Registration-Token", token}});
    EXPECT_EQ(api.json().at("answers"),
              boost::json::parse(R"({"acces":["boucle"],"dejeuner":true,"fonction":"Élue"})"));
    // The participant's page shows them in a form; unchecking and answering "non" changes them.
    page = get(location.substr(0, location.find('#')));
    EXPECT_NE(page.body.find("<h2 id=\"reponses\">Vos réponses</h2>"), std::string::npos);
    EXPECT_NE(page.body.find("value=\"oui\" checked"), std::string::npos);
    r = post_form("/inscriptions/" + id + "/reponses", "t=" + token + "&reponse-dejeuner=non");
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_NE(r.header("Location").find("fait=reponses"), std::string::npos);
    api = send_request(server.port(), "GET", "/v1/registrations/" + id, "",
                       {{"X-Registration-Token", token}});
    EXPECT_EQ(api.json().at("answers"), boost::json::parse(R"({"dejeuner":false})"));
    // Refused answers come back with the error; a wrong token is nobody's page.
    r = post_form("/inscriptions/" + id + "/reponses",
                  "t=" + token + "&reponse-dejeuner=peut-etre");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Choisissez une réponse parmi celles proposées."), std::string::npos);
    EXPECT_EQ(post_form("/inscriptions/" + id + "/reponses", "t=nope&reponse-dejeuner=oui").status,
              404);
    // No certificate before the event.
    EXPECT_EQ(page.body.find("attestation"), std::string::npos);
    EXPECT_EQ(get("/inscriptions/" + id + "/attestation.pdf?t=" + token).status, 409);
}

TEST_F(site_http, static_files_are_long_cached_and_the_home_page_searches) {
    const auto home = get("/");
    ASSERT_EQ(home.status, 200);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        home.body, m,
        std::regex(R"re(<link rel="stylesheet" href="(/static/site\.css\?v=[0-9a-f]{12})">)re")));
    const auto css = get(m[1]);
    ASSERT_EQ(css.status, 200);
    EXPECT_EQ(css.header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(css.header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(get("/static/site.css", {{"If-None-Match", css.header("ETag")}}).status, 304);
    EXPECT_EQ(get("/static/nothing.js").status, 404);
    EXPECT_NE(home.body.find("<a href=\"/evenements/assemblee-generale\">Assemblée générale</a>"),
              std::string::npos)
        << home.body;
    // Twenty a page, soonest first, and a link to the next ones.
    for (int i = 0; i < 20; ++i)
        published_event(server.port(), admin, 10);
    const auto first = get("/?q=assemblee");
    EXPECT_NE(first.body.find("20 premières rencontres trouvées"), std::string::npos) << first.body;
    ASSERT_TRUE(std::regex_search(
        first.body, m,
        std::regex(
            R"re(<a href="(/\?q=assemblee&amp;region=&amp;apres=[0-9]+_[0-9]+)">Rencontres suivantes</a>)re")))
        << first.body;
    auto next = std::regex_replace(std::string(m[1]), std::regex("&amp;"), "&");
    const auto second = get(next);
    ASSERT_EQ(second.status, 200);
    EXPECT_NE(second.body.find("1 rencontre trouvée"), std::string::npos) << second.body;
    EXPECT_EQ(second.body.find("Rencontres suivantes"), std::string::npos);
    EXPECT_EQ(get("/?apres=n-importe-quoi").status, 404);
    // Accent- and case-insensitive search; nothing found says so.
    EXPECT_NE(get("/?q=ASSEMBLEE").body.find("20 premières rencontres trouvées"),
              std::string::npos);
    const auto none = get("/?q=introuvable&region=Bretagne");
    EXPECT_NE(none.body.find("Aucune rencontre à venir ne correspond à votre recherche."),
              std::string::npos);
    EXPECT_NE(none.body.find("<option value=\"Bretagne\" selected>Bretagne</option>"),
              std::string::npos);
}

// A past meeting's page keeps its programme and speakers and shows the palmarès of the label's
// edition presented there; a change of its awards shows at once (the cached page is rebuilt).
TEST(site_past, a_past_meetings_page_shows_the_palmares_of_its_label_edition) {
    test_server server;
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    load_demo(server.app().store(), system_clock{}.now());
    const auto target = std::string("/evenements/la-revolution-numerique-en-debat");
    auto page = send_request(server.port(), "GET", target);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page_has(page.body, "<h2 id=\"programme\">Programme</h2>"));
    EXPECT_TRUE(page_has(page.body, "href=\"/intervenants/"));
    EXPECT_TRUE(page_has(
        page.body, "<h2 id=\"palmares\">Palmarès du label « Territoires innovants » 2018</h2>"))
        << page.body;
    EXPECT_TRUE(page_has(page.body, "<a href=\"/palmares/2018\">Le palmarès 2018 en détail</a>"));
    std::optional<award> first;
    std::string initiative;
    {
        auto uow = server.app().store().begin(access::read);
        const auto edition = uow->labels().find_campaign_by_year(2018);
        ASSERT_TRUE(edition);
        first = uow->labels().active_awards(edition->id).at(0);
        initiative = uow->labels().find_candidacy(first->candidacy_id)->initiative_title;
    }
    EXPECT_TRUE(page_has(page.body, "<strong>" + initiative + "</strong>")) << initiative;
    // Revoked: gone from the page at the next view.
    const auto revoked = server.call("DELETE", "/v1/awards/" + id_text(first->id),
                                     boost::json::object{{"reason", "Erreur de saisie"}}, admin);
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    page = send_request(server.port(), "GET", target);
    EXPECT_FALSE(page_has(page.body, "<strong>" + initiative + "</strong>")) << initiative;
    // A meeting without an edition has no such section.
    EXPECT_FALSE(
        page_has(send_request(server.port(), "GET", "/palmares/2018").body, "id=\"palmares\""));
}

// Meetings that are over stay findable: a list of their own, most recent first, linked from the
// home page and searched by the words of their programme, their venue, its city and their host
// territory, without accents, on the pages and the API; the region filter places an event
// without a host territory by its venue's postal code.
TEST(site_past, past_meetings_are_listed_and_found_by_programme_venue_city_and_territory) {
    test_server server;
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    load_demo(server.app().store(), system_clock{}.now());
    const auto get = [&](const std::string& target) {
        return send_request(server.port(), "GET", target);
    };
    const std::string demo_link =
        "<a href=\"/evenements/la-revolution-numerique-en-debat\">La révolution numérique en "
        "débat</a>";
    const auto home = get("/");
    EXPECT_NE(home.body.find("<a href=\"/evenements/passees\">Voir les rencontres passées</a>"),
              std::string::npos);
    EXPECT_EQ(home.body.find(demo_link), std::string::npos) << "not among those to come";
    const auto past = get("/evenements/passees");
    ASSERT_EQ(past.status, 200);
    EXPECT_NE(past.body.find("<h1>Rencontres passées</h1>"), std::string::npos) << past.body;
    EXPECT_NE(past.body.find("<title>Rencontres passées — Rencontres</title>"), std::string::npos);
    EXPECT_NE(past.body.find(demo_link), std::string::npos) << past.body;
    EXPECT_NE(past.body.find("action=\"/evenements/passees\""), std::string::npos);
    // The title, a session's abstract, the venue's city, the host territory: no accents needed.
    for (const std::string q : {"revolution+numerique", "gueret", "GU%C3%89RET", "aixe",
                                "val+de+vienne", "iD+tiers-lieu"}) {
        const auto found = get("/evenements/passees?q=" + q);
        ASSERT_EQ(found.status, 200) << q;
        EXPECT_NE(found.body.find("1 rencontre trouvée"), std::string::npos) << q;
        EXPECT_NE(found.body.find(demo_link), std::string::npos) << q;
        EXPECT_NE(found.body.find("<title>Recherche : rencontres passées — Rencontres</title>"),
                  std::string::npos)
            << q;
    }
    EXPECT_NE(get("/evenements/passees?q=limoges+bretagne")
                  .body.find("Aucune rencontre passée ne correspond à votre recherche."),
              std::string::npos);
    // The API's search covers the same text.
    const auto api = server.call("GET", "/v1/events?q=aixe");
    ASSERT_EQ(api.status, 200);
    ASSERT_EQ(api.json().at("items").as_array().size(), 1u) << api.body;
    EXPECT_EQ(api.json().at("items").at(0).at("slug"), "la-revolution-numerique-en-debat");
    // By region: the host territory's, or the venue's postal code for an event without one.
    EXPECT_NE(get("/evenements/passees?region=Nouvelle-Aquitaine").body.find(demo_link),
              std::string::npos);
    EXPECT_EQ(get("/evenements/passees?region=Bretagne").body.find(demo_link), std::string::npos);
    const auto brest =
        server.call("POST", "/v1/events",
                    boost::json::object{
                        {"title", "Forum breton"},
                        {"starts_at", "2031-06-11T09:00:00+02:00"},
                        {"ends_at", "2031-06-11T17:00:00+02:00"},
                        {"venue", boost::json::object{{"city", "Brest"}, {"postal_code", "29200"}}},
                        {"capacity", 1}},
                    admin);
    ASSERT_EQ(brest.status, 201) << brest.body;
    const auto id = std::string(brest.json().at("id").as_string());
    ASSERT_EQ(server.call("POST", "/v1/events/" + id + "/publish", std::nullopt, admin).status,
              200);
    const std::string brest_link = "<a href=\"/evenements/forum-breton\">Forum breton</a>";
    EXPECT_NE(get("/?q=brest").body.find(brest_link), std::string::npos) << "by its city alone";
    EXPECT_NE(get("/?region=Bretagne").body.find(brest_link), std::string::npos);
    EXPECT_EQ(get("/?region=Normandie").body.find(brest_link), std::string::npos);
    // Full: the card says so while one may register (on the waiting list).
    const std::string full = "<strong>Complet — liste d'attente</strong>";
    EXPECT_EQ(get("/?q=forum+breton").body.find(full), std::string::npos);
    ASSERT_EQ(server
                  .call("POST", "/v1/events/" + id + "/registrations",
                        boost::json::object{{"full_name", "Camille Martin"},
                                            {"email", "camille@x.fr"},
                                            {"consent", true}})
                  .status,
              201);
    EXPECT_NE(get("/?q=forum+breton").body.find(full), std::string::npos);
}

TEST(french_dates, are_written_in_the_events_zone_in_french) {
    const auto at = [](const char* text) { return *parse_instant(text); };
    EXPECT_EQ(french_span(at("2018-12-11T08:00:00Z"), at("2018-12-11T16:00:00Z"), "Europe/Paris"),
              "mardi 11 décembre 2018, de 9 h à 17 h");
    EXPECT_EQ(french_span(at("2027-04-01T07:30:00Z"), at("2027-04-02T15:05:00Z"), "Europe/Paris"),
              "du jeudi 1er avril 2027 à 9 h 30 au vendredi 2 avril 2027 à 17 h 05");
    EXPECT_EQ(french_date(at("2026-08-15T22:30:00Z"), "Indian/Reunion"), "dimanche 16 août 2026");
}

} // namespace
} // namespace rencontres::testing

namespace rencontres::testing {
namespace {

// One person cannot be in two places (API.md §8): two workshops at the same time are refused
// together with 422 naming both — as a problem on the API, in French naming both titles on the
// public form and on the participant's page — and nothing is registered or changed.
TEST(site_overlap, overlapping_workshops_are_refused_on_the_api_the_form_and_the_participant_page) {
    test_server server;
    const auto owner = server.token_for(role::organizer, "owner@x.fr");
    std::string workshop; // "Atelier", 14:00-15:00
    const auto event = forum_with_workshop(server, owner, 10, workshop);
    const auto add = [&](const char* title, const char* starts, const char* ends) {
        const auto r = server.call("POST", "/v1/events/" + event + "/sessions",
                                   boost::json::object{{"title", title},
                                                       {"kind", "workshop"},
                                                       {"capacity", 5},
                                                       {"starts_at", starts},
                                                       {"ends_at", ends}},
                                   owner);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    };
    const auto during =
        add("Inclusion numérique", "2031-06-11T14:30:00+02:00", "2031-06-11T15:30:00+02:00");
    const auto after = add("Tiers-lieux", "2031-06-11T15:00:00+02:00", "2031-06-11T16:00:00+02:00");

    // The API.
    const auto refused = server.call(
        "POST", "/v1/events/" + event + "/registrations",
        boost::json::object{{"full_name", "Amélie Roux"},
                            {"email", "amelie@x.fr"},
                            {"consent", true},
                            {"session_ids", boost::json::array{workshop.c_str(), during.c_str()}}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    const auto problem = refused.json().as_object();
    EXPECT_EQ(problem.at("code"), "sessions_overlap");
    EXPECT_EQ(problem.at("errors"),
              boost::json::parse(R"([{"field":"session_ids","code":"sessions_overlap",)"
                                 R"("message":"sessions )" +
                                 workshop + " and " + during + R"( overlap in time"}])"));
    EXPECT_EQ(problem.at("conflicts"), (boost::json::array{workshop.c_str(), during.c_str()}));

    // The public form: the page again, 422, the two titles named at the workshops.
    const auto page = send_request(server.port(), "GET", "/evenements/" + event, "", {});
    std::smatch m;
    ASSERT_TRUE(std::regex_search(page.body, m, std::regex(R"re(name="csrf" value="([^"]+)")re")));
    const std::string csrf = m[1];
    ASSERT_TRUE(std::regex_search(page.body, m,
                                  std::regex(R"re(<form method="post" action="([^"#]+)[^"]*")re")));
    const std::string action = m[1];
    const auto form =
        "csrf=" + csrf +
        "&full_name=Am%C3%A9lie+Roux&email=amelie%40x.fr&consent=oui&session_ids=" + workshop +
        "&session_ids=" + during;
    const auto shown = send_request(server.port(), "POST", action, form, form_type);
    EXPECT_EQ(shown.status, 422);
    EXPECT_NE(shown.body.find("Les ateliers « Atelier » et « Inclusion numérique » ont lieu en "
                              "même temps : n&#39;en cochez qu&#39;un."),
              std::string::npos)
        << shown.body;
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/stats", std::nullopt, owner)
                  .json()
                  .at("confirmed"),
              0);

    // The participant's page: back to back is fine; adding the overlapping one is refused.
    const auto held = server.call(
        "POST", "/v1/events/" + event + "/registrations",
        boost::json::object{{"full_name", "Amélie Roux"},
                            {"email", "amelie@x.fr"},
                            {"consent", true},
                            {"session_ids", boost::json::array{workshop.c_str(), after.c_str()}}});
    ASSERT_EQ(held.status, 201) << held.body;
    const std::string id(held.json().at("id").as_string());
    const std::string token(held.json().at("manage_token").as_string());
    const auto changed =
        send_request(server.port(), "POST", "/inscriptions/" + id + "/ateliers",
                     "t=" + token + "&session_ids=" + after + "&session_ids=" + during, form_type);
    EXPECT_EQ(changed.status, 422);
    EXPECT_NE(changed.body.find("Les ateliers « Tiers-lieux » et « Inclusion numérique » ont "
                                "lieu en même temps"),
              std::string::npos)
        << changed.body;
    // The boxes as ticked, not as held.
    EXPECT_NE(changed.body.find(R"(value=")" + during + R"(" checked)"), std::string::npos);
    EXPECT_EQ(changed.body.find(R"(value=")" + workshop + R"(" checked)"), std::string::npos);
    const auto kept = server.call("GET", "/v1/registrations/" + id, std::nullopt, owner).json();
    EXPECT_EQ(kept.at("sessions").as_array().size(), 2u);
    EXPECT_EQ(kept.at("sessions").at(0).at("session_id"), workshop.c_str());
    EXPECT_EQ(kept.at("sessions").at(1).at("session_id"), after.c_str());
}

} // namespace
} // namespace rencontres::testing

// The organizers' console over HTTP (API.md §13): creating, editing and publishing an event
// (what is missing is listed), cancelling it behind a confirmation, co-organizers; the agenda
// editor with its conflicts; the registrations table (search, status, pages, cancellation on
// someone's behalf, CSV); the list at the door; the numbers; and the authorization matrix of
// every console URL.
#include "support/console_client.hpp"

#include <gtest/gtest.h>
#include <regex>

namespace rencontres::testing {
namespace {

using boost::json::object;

class console_pages : public ::testing::Test {
protected:
    test_server server;
    std::string owner_token = server.token_for(role::organizer, "owner@x.fr");
    std::string other_token = server.token_for(role::organizer, "other@x.fr");
    console_client owner{server.port()};

    void SetUp() override { ASSERT_EQ(owner.sign_in("owner@x.fr").status, 303); }

    std::string api_sessions_count(const std::string& event) {
        const auto r =
            server.call("GET", "/v1/events/" + event + "/sessions", std::nullopt, owner_token);
        return std::to_string(r.json().at("items").as_array().size());
    }
    // A draft made through the console; its id.
    std::string create_draft(const std::string& title) {
        const auto r = owner.post("/gestion/evenements", {{"title", title},
                                                          {"timezone", "Europe/Paris"},
                                                          {"starts_at", "2031-03-18T09:00"},
                                                          {"ends_at", "2031-03-18T17:00"},
                                                          {"venue_city", "Égletons"},
                                                          {"capacity", "2"}});
        EXPECT_EQ(r.status, 303) << r.body;
        std::smatch m;
        const auto location = r.header("Location");
        EXPECT_TRUE(
            std::regex_match(location, m, std::regex(R"(/gestion/evenements/(\d+)\?fait=creee)")))
            << location;
        return m[1];
    }
};

TEST_F(console_pages, an_event_is_created_checked_edited_and_published_from_forms) {
    // Empty title and a time that does not exist in Paris (the spring change): both said, in
    // French, with the values kept; nothing is created.
    auto r = owner.post("/gestion/evenements", {{"title", ""},
                                                {"timezone", "Europe/Paris"},
                                                {"starts_at", "2031-03-30T02:30"},
                                                {"venue_city", "Tulle"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<title>Erreur : Créer une rencontre — Rencontres</title>"))
        << r.body;
    // What the form itself can tell comes first; the rules behind it, once the form reads.
    EXPECT_TRUE(page_has(r.body, "Le formulaire contient une erreur")) << r.body;
    EXPECT_TRUE(page_has(r.body,
                         "<li><a href=\"#starts_at\">Indiquez une date et une heure de début "
                         "valides (jj/mm/aaaa hh:mm).</a></li>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "value=\"Tulle\""));
    EXPECT_EQ(server.call("GET", "/v1/events?status=draft", std::nullopt, owner_token)
                  .json()
                  .at("items")
                  .as_array()
                  .size(),
              0u);

    // A draft without its dates: publishing lists what is missing, and nothing changes.
    r = owner.post("/gestion/evenements",
                   {{"title", "Rencontre des tiers-lieux"}, {"timezone", "Europe/Paris"}});
    ASSERT_EQ(r.status, 303) << r.body;
    const auto page_url = r.header("Location").substr(0, r.header("Location").find('?'));
    const auto id = page_url.substr(page_url.rfind('/') + 1);
    r = owner.get(r.header("Location"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_TRUE(page_has(r.body, "Le brouillon est créé."));
    EXPECT_TRUE(page_has(r.body, "<dd class=\"status\">Brouillon</dd>"));
    // Publishing is asked first on a page of its own; the event's page has no button for it.
    EXPECT_FALSE(page_has(r.body, "action=\"" + page_url + "/publication\""));
    EXPECT_TRUE(page_has(r.body, "<a class=\"button\" href=\"" + page_url +
                                     "/publication\">Publier la rencontre…</a>"));
    const auto asked = owner.get(page_url + "/publication");
    ASSERT_EQ(asked.status, 200);
    EXPECT_TRUE(page_has(asked.body, "Elle ne redevient pas un brouillon"));
    EXPECT_TRUE(
        page_has(asked.body, "<form method=\"post\" action=\"" + page_url + "/publication\">"));
    EXPECT_TRUE(page_has(asked.body, "Ne rien changer, revenir à la rencontre"));
    r = owner.post(page_url + "/publication", {});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Il manque encore, pour publier"));
    EXPECT_TRUE(page_has(r.body, "<li><a href=\"#starts_at\">Indiquez la date et l'heure de "
                                 "début.</a></li>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "<li><a href=\"#venue_city\">Indiquez la commune où se tient la "
                                 "rencontre.</a></li>"));
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("status"),
              "draft");

    // Edited with its dates in the event's zone, then published: the public page shows it.
    const auto revision = form_field(owner.get(page_url).body, "revision");
    r = owner.post(page_url, {{"revision", revision},
                              {"title", "Rencontre des tiers-lieux"},
                              {"timezone", "Indian/Reunion"},
                              {"starts_at", "2031-03-18T09:00"},
                              {"ends_at", "2031-03-18T17:00"},
                              {"venue_city", "Saint-Denis"},
                              {"capacity", "120"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), page_url + "?fait=enregistree");
    const auto stored = server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json();
    EXPECT_EQ(stored.at("starts_at"), "2031-03-18T09:00:00+04:00");
    EXPECT_EQ(stored.at("capacity"), 120);
    EXPECT_EQ(stored.at("timezone"), "Indian/Reunion");
    // The form shows the stored wall time back.
    EXPECT_TRUE(page_has(owner.get(page_url).body, "value=\"2031-03-18T09:00\""));
    // Saving a page opened before that change is refused: the other change is kept.
    r = owner.post(page_url, {{"revision", revision},
                              {"title", "Titre d'une page ancienne"},
                              {"timezone", "Indian/Reunion"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "Quelqu'un d'autre de l'équipe a modifié la rencontre"));
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("title"),
              "Rencontre des tiers-lieux");

    r = owner.post(page_url + "/publication", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), page_url + "?fait=publiee");
    const auto slug = std::string(stored.at("slug").as_string());
    EXPECT_EQ(send_request(server.port(), "GET", "/evenements/" + slug).status, 200);
    EXPECT_TRUE(page_has(owner.get("/gestion").body, "<a href=\"/gestion/evenements/" + id +
                                                         "\">Rencontre des tiers-lieux</a>"));
}

TEST_F(console_pages, cancelling_asks_for_a_reason_behind_a_confirmation) {
    const auto id = create_draft("Petit-déjeuner des élus");
    const auto url = "/gestion/evenements/" + id;
    // A draft has nothing to cancel: the confirmation sends back to the event.
    EXPECT_EQ(owner.get(url + "/annulation").status, 303);
    ASSERT_EQ(owner.post(url + "/publication", {}).status, 303);
    ASSERT_EQ(register_one(server.port(), id, "a@x.fr").status, 201);
    auto r = owner.get(url + "/annulation");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "La personne inscrite recevra un courriel avec le motif que vous "
                                 "indiquez."));
    r = owner.post(url + "/annulation", {{"reason", "  "}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Indiquez le motif de l'annulation (500 caractères au plus)."));
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("status"),
              "published");
    r = owner.post(url + "/annulation", {{"reason", "Salle indisponible"}});
    EXPECT_EQ(r.status, 303);
    const auto e = server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json();
    EXPECT_EQ(e.at("status"), "cancelled");
    EXPECT_EQ(e.at("cancel_reason"), "Salle indisponible");
    r = owner.get(url);
    EXPECT_TRUE(page_has(r.body, "<dd>Salle indisponible</dd>"));
    EXPECT_FALSE(page_has(r.body, "Enregistrer les modifications"));
}

TEST_F(console_pages, co_organizers_are_added_by_email_and_share_the_event) {
    const auto id = create_draft("Rencontre à deux");
    const auto url = "/gestion/evenements/" + id;
    server.token_for(role::participant, "p@x.fr");
    // The same answer whether the address has no account or one without the role: the form does
    // not tell who has an account.
    auto r = owner.post(url + "/organisateurs", {{"organizer_email", "nobody@x.fr"}});
    EXPECT_EQ(r.status, 422);
    const auto message = "Aucun compte d'organisation n'a cette adresse : indiquez le nom de la "
                         "personne pour l'inviter.";
    EXPECT_TRUE(page_has(r.body, message)) << r.body;
    const auto unknown = r.body;
    r = owner.post(url + "/organisateurs", {{"organizer_email", "p@x.fr"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, message));
    EXPECT_EQ(r.body.find("p@x.fr") != std::string::npos,
              unknown.find("nobody@x.fr") != std::string::npos);

    console_client other{server.port()};
    ASSERT_EQ(other.sign_in("other@x.fr").status, 303);
    EXPECT_EQ(other.get(url).status, 404);
    r = owner.post(url + "/organisateurs", {{"organizer_email", "Other@X.fr"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(other.get(url).status, 200);
    // The person added is told by email, and by whom.
    const auto told = server.mailed("other@x.fr", "organizer_added", "body");
    EXPECT_NE(
        told.find(
            "(owner@x.fr) vous a ajouté·e à l'équipe d'organisation de la rencontre « Rencontre "
            "à deux »"),
        std::string::npos)
        << told;
    EXPECT_TRUE(page_has(owner.get(url).body, "other@x.fr"));
    // The other organizer removes themselves: back to their list, and the event is gone from it.
    const auto other_id = std::to_string(server.account_id("other@x.fr"));
    r = other.post(url + "/organisateurs/" + other_id + "/retrait", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/gestion");
    EXPECT_EQ(other.get(url).status, 404);
    // The last organizer cannot leave.
    const auto owner_id = std::to_string(server.account_id("owner@x.fr"));
    EXPECT_EQ(owner.post(url + "/organisateurs/" + owner_id + "/retrait", {}).status, 409);
}

TEST_F(console_pages, the_agenda_editor_refuses_a_conflict_and_saves_nothing) {
    const auto id = create_draft("Journée de la médiation numérique");
    const auto url = "/gestion/evenements/" + id + "/programme";
    // A one-day meeting: a new session's day is filled in, an hour from the meeting's start.
    const auto empty_form = owner.get(url);
    ASSERT_EQ(empty_form.status, 200);
    EXPECT_TRUE(page_has(empty_form.body, "id=\"starts_at\" name=\"starts_at\" "
                                          "value=\"2031-03-18T09:00\" required"))
        << empty_form.body;
    EXPECT_TRUE(page_has(empty_form.body, "id=\"ends_at\" name=\"ends_at\" "
                                          "value=\"2031-03-18T10:00\" required"));
    // A speaker made on the spot is checked in the form, which keeps what was typed.
    auto r = owner.post(url, {{"action", "creer_intervenant"},
                              {"title", "Ouverture"},
                              {"speaker_name", "Camille Martin"},
                              {"speaker_organization", "Corrèze Numérique"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "Camille Martin intervient désormais dans la séance."));
    EXPECT_TRUE(page_has(r.body, "value=\"Ouverture\""));
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(r.body, m, std::regex("name=\"speaker_ids\" value=\"(\\d+)\" checked")));
    const std::string camille = m[1];
    // Found again by a search without accents.
    r = owner.post(url, {{"action", "chercher"}, {"speaker_query", "correze"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "Camille Martin (Corrèze Numérique)"));

    const form_pairs opening{
        {"action", "enregistrer"},         {"title", "Ouverture"},          {"kind", "keynote"},
        {"starts_at", "2031-03-18T09:00"}, {"ends_at", "2031-03-18T10:00"}, {"room", "Plénière"},
        {"speaker_ids", camille}};
    r = owner.post(url, opening);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), url + "?fait=ajoutee");
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "La séance est ajoutée au programme."));
    EXPECT_TRUE(page_has(r.body, "Mardi 18 mars 2031"));
    EXPECT_TRUE(page_has(r.body, "de 9 h à 10 h — Plénière"));
    ASSERT_TRUE(std::regex_search(r.body, m, std::regex("href=\"" + url + "/(\\d+)\">Ouverture")));
    const std::string opening_id = m[1];

    // Same room, overlapping: the conflict links to the first session; nothing is saved.
    r = owner.post(url, {{"action", "enregistrer"},
                         {"title", "Atelier tiers-lieux"},
                         {"kind", "workshop"},
                         {"starts_at", "2031-03-18T09:30"},
                         {"ends_at", "2031-03-18T11:00"},
                         {"room", "Plénière"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(
        page_has(r.body, "Cette séance n'est pas enregistrée : elle en chevauche une autre"));
    EXPECT_TRUE(page_has(r.body, "<a href=\"" + url + "/" + opening_id +
                                     "\">Ouverture</a>, de 9 h à "
                                     "10 h, Plénière"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "value=\"Atelier tiers-lieux\""));
    EXPECT_EQ(api_sessions_count(id), "1");
    // Outside the event's hours, in French.
    r = owner.post(url, {{"action", "enregistrer"},
                         {"title", "Trop tard"},
                         {"kind", "talk"},
                         {"starts_at", "2031-03-18T18:00"},
                         {"ends_at", "2031-03-18T19:00"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "La séance doit se tenir pendant la rencontre."));

    // Edited in its own form, then removed.
    r = owner.get(url + "/" + opening_id);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "Modifier la séance"));
    EXPECT_TRUE(page_has(r.body, "value=\"2031-03-18T09:00\""));
    auto moved = opening;
    moved[3].second = "2031-03-18T09:15";
    moved[4].second = "2031-03-18T10:15";
    r = owner.post(url + "/" + opening_id, moved);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_TRUE(page_has(owner.get(url).body, "de 9 h 15 à 10 h 15"));
    // Removing it is asked on a page of its own; opening that page removes nothing.
    const auto session_page = owner.get(url + "/" + opening_id);
    EXPECT_TRUE(page_has(session_page.body, "<a class=\"button button-secondary\" href=\"" + url +
                                                "/" + opening_id + "/suppression\">"));
    const auto asked = owner.get(url + "/" + opening_id + "/suppression");
    ASSERT_EQ(asked.status, 200);
    EXPECT_TRUE(page_has(asked.body, "Ce retrait est définitif"));
    EXPECT_EQ(api_sessions_count(id), "1");
    EXPECT_EQ(owner.get(url + "/999999/suppression").status, 404);
    EXPECT_EQ(owner.post(url + "/" + opening_id + "/suppression", {}).status, 303);
    EXPECT_EQ(api_sessions_count(id), "0");
    // A session of another event is not reachable through this one.
    EXPECT_EQ(owner.get(url + "/999999").status, 404);
}

TEST_F(console_pages, the_registrations_table_searches_filters_pages_and_cancels) {
    const auto id = create_draft("Forum de l'inclusion numérique");
    const auto url = "/gestion/evenements/" + id;
    ASSERT_EQ(owner.post(url + "/publication", {}).status, 303);
    // Capacity 2: the third waits.
    for (const auto& [name, email] :
         std::vector<std::pair<std::string, std::string>>{{"Hélène Dupré", "helene@x.fr"},
                                                          {"Marc Petit", "marc@x.fr"},
                                                          {"Zoé Laurent", "zoe@x.fr"}})
        ASSERT_EQ(server
                      .call("POST", "/v1/events/" + id + "/registrations",
                            object{{"full_name", name},
                                   {"email", email},
                                   {"organization", "Mairie de Tulle"},
                                   {"consent", true}})
                      .status,
                  201);
    auto r = owner.get(url + "/inscriptions");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "2 confirmées, 1 en liste d'attente, 0 annulée."));
    EXPECT_TRUE(page_has(r.body, "\">Hélène Dupré</a></th>"));
    EXPECT_TRUE(page_has(r.body, "<td>Liste d'attente (1)</td>"));
    // Accent-insensitive search, by name or organization.
    r = owner.get(url + "/inscriptions?q=helene");
    EXPECT_TRUE(page_has(r.body, "Hélène Dupré"));
    EXPECT_FALSE(page_has(r.body, "Marc Petit"));
    r = owner.get(url + "/inscriptions?q=TULLE&statut=waitlisted");
    EXPECT_TRUE(page_has(r.body, "Zoé Laurent"));
    EXPECT_FALSE(page_has(r.body, "Hélène Dupré"));
    EXPECT_EQ(owner.get(url + "/inscriptions?statut=perdu").status, 404);
    // The API's list takes the same search.
    auto listed = server.call("GET", "/v1/events/" + id + "/registrations?q=DUPRE", std::nullopt,
                              owner_token);
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(listed.json().at("items").at(0).at("full_name"), "Hélène Dupré");
    listed = server.call("GET", "/v1/events/" + id + "/registrations?q=" + std::string(101, 'a'),
                         std::nullopt, owner_token);
    EXPECT_EQ(listed.status, 422);

    // Cancelled on Marc's behalf behind a confirmation: Zoé is promoted.
    std::smatch m;
    r = owner.get(url + "/inscriptions?q=marc");
    ASSERT_TRUE(std::regex_search(
        r.body, m, std::regex("href=\"(" + url + "/inscriptions/\\d+/annulation)\"")));
    const std::string cancel = m[1];
    r = owner.get(cancel);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "Annuler l'inscription de Marc Petit ?"));
    r = owner.post(cancel, {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), url + "/inscriptions?fait=annulee");
    r = owner.get(url + "/inscriptions?q=zoe");
    EXPECT_TRUE(page_has(r.body, "<td>Confirmée</td>"));
    EXPECT_TRUE(page_has(owner.get(url + "/inscriptions").body,
                         "2 confirmées, 0 en liste d'attente, "
                         "1 annulée."));
    // Twice: the table says it is cancelled already.
    EXPECT_TRUE(page_has(owner.get(cancel).body, "Cette inscription est déjà annulée."));

    // The spreadsheet holds everyone, cancelled included, in the French dialect.
    r = owner.get(url + "/inscriptions.csv");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/csv; charset=utf-8");
    EXPECT_EQ(r.body.rfind("\xEF\xBB\xBFNom;Prénom;Organisation;Courriel;Statut;", 0), 0u)
        << r.body;
    EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n'), 4);
    EXPECT_TRUE(page_has(r.body, "Marc Petit;;Mairie de Tulle;marc@x.fr;annulée;"));
}

TEST_F(console_pages, the_table_pages_through_many_registrations) {
    const auto id = create_draft("Grand forum");
    const auto url = "/gestion/evenements/" + id;
    ASSERT_EQ(owner
                  .post(url, {{"revision", form_field(owner.get(url).body, "revision")},
                              {"title", "Grand forum"},
                              {"timezone", "Europe/Paris"},
                              {"starts_at", "2031-03-18T09:00"},
                              {"ends_at", "2031-03-18T17:00"},
                              {"venue_city", "Limoges"},
                              {"capacity", ""}})
                  .status,
              303);
    ASSERT_EQ(owner.post(url + "/publication", {}).status, 303);
    for (int i = 0; i < 60; ++i)
        ASSERT_EQ(register_one(server.port(), id, "p" + std::to_string(i) + "@x.fr").status, 201);
    auto r = owner.get(url + "/inscriptions");
    std::smatch m;
    EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n') > 0, true);
    const auto rows = [](const std::string& body) {
        int n = 0;
        for (std::size_t at = body.find("<th scope=\"row\">"); at != std::string::npos;
             at = body.find("<th scope=\"row\">", at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(rows(r.body), 50);
    ASSERT_TRUE(std::regex_search(r.body, m,
                                  std::regex("href=\"([^\"]*apres=\\d+)\">Inscriptions "
                                             "suivantes")));
    r = owner.get(std::regex_replace(std::string(m[1]), std::regex("&amp;"), "&"));
    EXPECT_EQ(rows(r.body), 10);
    EXPECT_TRUE(page_has(r.body, "Première page"));
    EXPECT_FALSE(page_has(r.body, "Inscriptions suivantes"));
}

TEST_F(console_pages, the_door_list_checks_people_in_and_counts_them) {
    const auto id = published_event(server.port(), owner_token, 10);
    for (const auto* email : {"anne@x.fr", "bruno@x.fr"})
        ASSERT_EQ(register_one(server.port(), id, email).status, 201);
    const auto url = "/gestion/evenements/" + id + "/accueil";
    auto r = owner.get(url);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "0 arrivée sur 2 inscriptions confirmées"));
    r = owner.get(url + "?q=anne");
    EXPECT_TRUE(page_has(r.body, "Participant anne@x.fr"));
    EXPECT_FALSE(page_has(r.body, "Participant bruno@x.fr"));
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.body, m,
                                  std::regex("action=\"(/gestion/inscriptions/(\\d+)/accueil)\"")));
    const std::string action = m[1], rid = m[2];
    r = owner.post(action, {{"retour", "liste"}, {"q", "anne"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), url + "?q=anne&arrivee=" + rid);
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Arrivée de Participant anne@x.fr enregistrée."));
    EXPECT_TRUE(page_has(r.body, "1 arrivée sur 2 inscriptions confirmées"));
    EXPECT_TRUE(page_has(r.body, "Arrivée à "));
    // A registration of another event is not named on this list.
    r = owner.get(url + "?arrivee=999999");
    EXPECT_FALSE(page_has(r.body, "Arrivée de"));
    // Checked in by mistake: undone from the list, back to the same search.
    r = owner.get(url + "?q=anne");
    ASSERT_TRUE(
        page_has(r.body, "action=\"/gestion/inscriptions/" + rid + "/accueil/annulation\""));
    r = owner.post("/gestion/inscriptions/" + rid + "/accueil/annulation",
                   {{"retour", "liste"}, {"q", "anne"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), url + "?q=anne&annulee=" + rid);
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Arrivée de Participant anne@x.fr annulée."));
    EXPECT_TRUE(page_has(r.body, "0 arrivée sur 2 inscriptions confirmées"));
    EXPECT_TRUE(page_has(r.body, "Enregistrer l'arrivée<span class=\"visually-hidden\"> de "
                                 "Participant anne@x.fr"));
    // The search comes before the console's tabs on this page.
    EXPECT_LT(r.body.find("id=\"q\""), r.body.find("<nav class=\"tabs\""));
    // Undone twice: the person's page says where it stands, no error.
    r = owner.post("/gestion/inscriptions/" + rid + "/accueil/annulation", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), "/gestion/inscriptions/" + rid + "/accueil");
}

// At a French desk people give their family name: the door list and the registrations table are
// in that order (accents and case aside, "de La Fontaine" under L), one page after the other.
TEST_F(console_pages, the_door_list_and_the_table_are_ordered_by_family_name) {
    const auto id = published_event(server.port(), owner_token, 100);
    const std::vector<std::pair<std::string, std::string>> people{
        {"Amélie", "Roux"},         {"Jean-Pierre", "Delage"}, {"Thomas", "Nguyen"},
        {"Jean", "de La Fontaine"}, {"Émile", "Zola"},         {"Éric", "élie"},
        {"Anne", "Abadie"}};
    for (std::size_t i = 0; i < people.size(); ++i)
        ASSERT_EQ(server
                      .call("POST", "/v1/events/" + id + "/registrations",
                            object{{"given_name", people[i].first},
                                   {"family_name", people[i].second},
                                   {"email", "p" + std::to_string(i) + "@x.fr"},
                                   {"consent", true}})
                      .status,
                  201);
    const std::vector<std::string> expected{
        "Anne Abadie",   "Jean-Pierre Delage", "Éric élie", "Jean de La Fontaine",
        "Thomas Nguyen", "Amélie Roux",        "Émile Zola"};
    const auto in_order = [&](const std::string& body) {
        std::size_t at = 0;
        for (const auto& name : expected) {
            const auto found = body.find(name, at);
            if (found == std::string::npos) return ::testing::AssertionFailure() << name;
            at = found;
        }
        return ::testing::AssertionSuccess();
    };
    const auto base = "/gestion/evenements/" + id;
    EXPECT_TRUE(in_order(owner.get(base + "/accueil").body));
    EXPECT_TRUE(in_order(owner.get(base + "/inscriptions").body));
    // A page starts after the row named by its cursor, in name order.
    std::smatch m;
    const auto delage = owner.get(base + "/inscriptions?q=delage").body;
    ASSERT_TRUE(std::regex_search(delage, m, std::regex("/inscriptions/(\\d+)/annulation")));
    const auto after = owner.get(base + "/inscriptions?apres=" + std::string(m[1])).body;
    EXPECT_FALSE(page_has(after, "Anne Abadie"));
    EXPECT_FALSE(page_has(after, "Jean-Pierre Delage"));
    EXPECT_TRUE(page_has(after, "Éric élie"));
    EXPECT_TRUE(page_has(after, "Émile Zola"));
}

// The morning's questions: who is in this workshop, who waits for it and in which order, in a
// spreadsheet too; how full each workshop is; and all about one registrant, on one page.
TEST_F(console_pages, a_workshop_and_a_registrant_each_have_their_page) {
    const auto id = published_event(server.port(), owner_token, 10);
    const auto workshop = tiers_lieux_workshop(server.port(), owner_token, id);
    std::vector<std::string> ids;
    for (const auto& [given, family] : std::vector<std::pair<std::string, std::string>>{
             {"Amélie", "Roux"}, {"Thomas", "Nguyen"}, {"Jean-Pierre", "Delage"}}) {
        const auto r =
            server.call("POST", "/v1/events/" + id + "/registrations",
                        object{{"given_name", given},
                               {"family_name", family},
                               {"email", "p" + std::to_string(ids.size()) + "@x.fr"},
                               {"organization", "Mairie de Tulle"},
                               {"session_ids", boost::json::array{boost::json::value(workshop)}},
                               {"consent", true}});
        ASSERT_EQ(r.status, 201) << r.body;
        ids.emplace_back(r.json().at("id").as_string());
    }
    const auto base = "/gestion/evenements/" + id;
    // The numbers: each workshop, how full, with its page.
    auto r = owner.get(base + "/chiffres");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<th scope=\"row\"><a href=\"" + base + "/ateliers/" + workshop +
                                     "\">Tiers-lieux</a></th>"));
    EXPECT_TRUE(page_has(r.body, "<td>1 sur 1 (complet)</td><td>2</td>"));
    // The workshop: Amélie holds the seat; Thomas, then Jean-Pierre, in the order they joined
    // (not by name).
    r = owner.get(base + "/ateliers/" + workshop);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<h1>Tiers-lieux</h1>"));
    EXPECT_TRUE(
        page_has(r.body, "<p>Atelier : mercredi 11 juin 2031, de 14 h à 15 h, Salle B.</p>"));
    EXPECT_TRUE(page_has(r.body, "1 place occupée sur 1, 2 en liste d'attente."));
    EXPECT_TRUE(page_has(r.body, "<ul class=\"plain people\">\n<li><a href=\"" + base +
                                     "/inscriptions/" + ids[0] +
                                     "\">Amélie Roux</a> — Mairie de Tulle</li>"));
    const auto thomas = r.body.find("Thomas Nguyen"),
               jean_pierre = r.body.find("Jean-Pierre Delage");
    ASSERT_NE(thomas, std::string::npos);
    ASSERT_NE(jean_pierre, std::string::npos);
    EXPECT_LT(thomas, jean_pierre);
    EXPECT_GT(thomas, r.body.find("<ol class=\"people\">"));
    // Its spreadsheet: the seat, then the list in order.
    r = owner.get(base + "/ateliers/" + workshop + "/liste.csv");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/csv; charset=utf-8");
    const auto lines = r.body.substr(0, r.body.find("\r\n", r.body.find("Delage")));
    EXPECT_EQ(lines.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_TRUE(page_has(r.body, "Nom;Prénom;Organisation;Courriel;Statut;Inscrit le;Arrivée;"
                                 "Tiers-lieux\r\nRoux;Amélie;Mairie de Tulle;p0@x.fr;confirmée;"));
    EXPECT_LT(r.body.find("Nguyen;Thomas"), r.body.find("Delage;Jean-Pierre"));
    EXPECT_TRUE(page_has(r.body, ";liste d'attente n°1\r\n"));
    EXPECT_TRUE(page_has(r.body, ";liste d'attente n°2\r\n"));
    // A session without a capacity, or of another event, has no such page.
    const auto talk = server.call("POST", "/v1/events/" + id + "/sessions",
                                  object{{"title", "Plénière"},
                                         {"kind", "talk"},
                                         {"starts_at", "2031-06-11T09:00:00+02:00"},
                                         {"ends_at", "2031-06-11T10:00:00+02:00"}},
                                  owner_token);
    ASSERT_EQ(talk.status, 201);
    EXPECT_EQ(owner.get(base + "/ateliers/" + std::string(talk.json().at("id").as_string())).status,
              404);
    const auto other = published_event(server.port(), owner_token, 10);
    EXPECT_EQ(owner.get("/gestion/evenements/" + other + "/ateliers/" + workshop).status, 404);
    EXPECT_EQ(owner.get(base + "/ateliers/abc").status, 404);

    // One registrant: status, workshops, answers, messages, check-in and what was done.
    ASSERT_EQ(
        server.call("POST", "/v1/registrations/" + ids[2] + "/check-in", std::nullopt, owner_token)
            .status,
        200);
    r = owner.get(base + "/inscriptions/" + ids[2]);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<h1>Jean-Pierre Delage</h1>"));
    EXPECT_TRUE(page_has(r.body, "<dt>État</dt><dd>Confirmée</dd>"));
    EXPECT_TRUE(page_has(r.body, "<a href=\"" + base + "/ateliers/" + workshop +
                                     "\">Tiers-lieux</a> : Liste d'attente de l'atelier (2)"));
    EXPECT_TRUE(page_has(r.body, "<tr><th scope=\"row\">Confirmation d'inscription</th><td>"));
    EXPECT_TRUE(page_has(r.body, " : Arrivée enregistrée</li>"));
    EXPECT_FALSE(page_has(r.body, "Pas encore arrivé"));
    // The table links each name to this page; another event's registrant is not found here.
    EXPECT_TRUE(
        page_has(owner.get(base + "/inscriptions").body,
                 "<a href=\"" + base + "/inscriptions/" + ids[2] + "\">Jean-Pierre Delage</a>"));
    EXPECT_EQ(owner.get("/gestion/evenements/" + other + "/inscriptions/" + ids[2]).status, 404);
    EXPECT_EQ(owner.get(base + "/inscriptions/999999").status, 404);
}

// Someone who did not register, at the door: one short form; a full event asks "sur place".
TEST_F(console_pages, a_walk_in_is_registered_and_checked_in_from_the_door_page) {
    const auto id = published_event(server.port(), owner_token, 1);
    ASSERT_EQ(register_one(server.port(), id, "first@x.fr").status, 201); // full now
    const auto url = "/gestion/evenements/" + id + "/accueil";
    auto r = owner.get(url);
    EXPECT_TRUE(page_has(r.body, "Accueillir une personne qui ne s'est pas inscrite"));
    EXPECT_TRUE(page_has(r.body, "name=\"sur_place\""));
    // A missing name: the form again, open, with the values typed.
    r = owner.post(url + "/sur-place", {{"given_name", ""}, {"family_name", "Marchand"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<details class=\"walk-in\" open>"));
    EXPECT_TRUE(page_has(r.body, "Indiquez le prénom (100 caractères au plus)."));
    EXPECT_TRUE(page_has(r.body, "value=\"Marchand\""));
    // Full, without "sur place": said, nothing registered.
    r = owner.post(url + "/sur-place", {{"given_name", "Léon"}, {"family_name", "Marchand"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "La rencontre est complète : cochez « sur place »"));
    EXPECT_TRUE(page_has(owner.get(url).body, "0 arrivée sur 1 inscription confirmée"));
    r = owner.post(url + "/sur-place", {{"given_name", "Léon"},
                                        {"family_name", "Marchand"},
                                        {"organization", "Mairie d'Aixe"},
                                        {"sur_place", "oui"}});
    EXPECT_EQ(r.status, 303);
    ASSERT_EQ(r.header("Location").rfind(url + "?arrivee=", 0), 0u) << r.header("Location");
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Arrivée de Léon Marchand enregistrée."));
    EXPECT_TRUE(page_has(r.body, "1 arrivée sur 2 inscriptions confirmées"));
    // Beyond capacity, in the numbers too; and in the organizers' list with no address.
    const auto stats =
        server.call("GET", "/v1/events/" + id + "/stats", std::nullopt, owner_token).json();
    EXPECT_EQ(stats.at("confirmed"), 2);
    EXPECT_EQ(stats.at("checked_in"), 1);
}

// After a QR scan: one result, said once, and the way back to the list at the door.
TEST_F(console_pages, a_qr_check_in_says_one_result_and_leads_back_to_the_door_list) {
    const auto id = published_event(server.port(), owner_token, 10);
    const auto made = register_one(server.port(), id, "claire@x.fr");
    ASSERT_EQ(made.status, 201);
    const std::string rid(made.json().at("id").as_string());
    const auto page_url = "/gestion/inscriptions/" + rid + "/accueil";
    auto r = owner.get(page_url);
    EXPECT_TRUE(page_has(r.body, "Confirmée, pas encore arrivée"));
    r = owner.post(page_url, {});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), page_url + "?fait=1");
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Arrivée enregistrée à "));
    EXPECT_FALSE(page_has(r.body, "déjà")) << r.body;
    EXPECT_TRUE(page_has(r.body, "href=\"/gestion/evenements/" + id +
                                     "/accueil\" class=\"button-large\">Retour à la liste de "
                                     "l'accueil</a>"));
    // Scanned again later: said once, as already done.
    r = owner.get(page_url);
    EXPECT_TRUE(page_has(r.body, "Arrivée déjà enregistrée, à "));
    EXPECT_FALSE(page_has(r.body, "Arrivée enregistrée à "));
    // Undone from the same page.
    r = owner.post(page_url + "/annulation", {});
    EXPECT_EQ(r.header("Location"), page_url + "?fait=annulee");
    r = owner.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Arrivée annulée."));
    EXPECT_TRUE(page_has(r.body, "Enregistrer l'arrivée"));
    // The API says the same, and a second undo is a 409 with its code.
    EXPECT_EQ(
        server.call("POST", "/v1/registrations/" + rid + "/check-in", std::nullopt, owner_token)
            .status,
        200);
    auto api =
        server.call("DELETE", "/v1/registrations/" + rid + "/check-in", std::nullopt, owner_token);
    EXPECT_EQ(api.status, 200);
    EXPECT_FALSE(api.json().as_object().contains("checked_in_at"));
    api =
        server.call("DELETE", "/v1/registrations/" + rid + "/check-in", std::nullopt, owner_token);
    EXPECT_EQ(api.status, 409);
    EXPECT_EQ(api.json().at("code"), "no_check_in_to_undo");
    EXPECT_EQ(server.call("DELETE", "/v1/registrations/" + rid + "/check-in").status, 401);
}

TEST_F(console_pages, the_numbers_match_stats_and_draw_registrations_per_day) {
    const auto id = published_event(server.port(), owner_token, 1);
    for (const auto* email : {"a@x.fr", "b@x.fr", "c@x.fr"})
        ASSERT_EQ(register_one(server.port(), id, email).status, 201);
    const auto stats =
        server.call("GET", "/v1/events/" + id + "/stats", std::nullopt, owner_token).json();
    EXPECT_EQ(stats.at("confirmed"), 1);
    EXPECT_EQ(stats.at("waitlisted"), 2);
    const auto r = owner.get("/gestion/evenements/" + id + "/chiffres");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "<dt>Inscriptions reçues</dt><dd>3</dd>"));
    EXPECT_TRUE(page_has(r.body, "<dt>Confirmées</dt><dd>1</dd>"));
    EXPECT_TRUE(page_has(r.body, "<dt>En liste d'attente</dt><dd>2</dd>"));
    EXPECT_TRUE(page_has(r.body, "<dt>Annulées</dt><dd>0</dd>"));
    EXPECT_TRUE(page_has(r.body, "<dt>Présents à l'accueil</dt><dd>0</dd>"));
    EXPECT_TRUE(page_has(r.body, "<svg viewBox=\"0 0 640 240\" role=\"img\""));
    EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '\n') > 0, true);
    // One day, three registrations, said in the bar's title and in the table.
    EXPECT_TRUE(std::regex_search(r.body, std::regex("<rect [^>]*class=\"bar\"><title>[^<]* : "
                                                     "3</title></rect>")))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "</td><td>3</td></tr>"));
}

TEST_F(console_pages, forged_and_cross_site_posts_are_refused) {
    const auto id = create_draft("Rencontre protégée");
    const auto url = "/gestion/evenements/" + id + "/publication";
    EXPECT_EQ(owner.post(url, {{"csrf", "forged"}}).status, 403);
    EXPECT_EQ(owner.post(url, {}, {{"Sec-Fetch-Site", "cross-site"}}).status, 403);
    EXPECT_EQ(owner.post(url, {}, {{"Origin", "https://evil.example"}}).status, 403);
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("status"),
              "draft");
    // Another session's token is not this one's.
    console_client other{server.port()};
    ASSERT_EQ(other.sign_in("other@x.fr").status, 303);
    EXPECT_EQ(owner.post(url, {{"csrf", other.token()}}).status, 403);
}

TEST_F(console_pages, questions_are_edited_counted_and_a_message_is_previewed_then_sent) {
    const auto event = create_draft("Forum des tiers-lieux");
    const auto base = "/gestion/evenements/" + event;
    // The editor: a yes-or-no question and a choice, with their options one per line.
    auto r = owner.post(base + "/questions", {{"q-label-0", "Déjeuner sur place"},
                                              {"q-kind-0", "boolean"},
                                              {"q-required-0", "oui"},
                                              {"q-label-1", "Régime alimentaire"},
                                              {"q-kind-1", "choice"},
                                              {"q-required-1", "non"},
                                              {"q-help-1", "Pour le traiteur"},
                                              {"q-options-1", "Aucun\nVégétarien\n\n"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), base + "/questions?fait=questions");
    const auto questions =
        server.call("GET", "/v1/events/" + event + "/questions", std::nullopt, owner_token).json();
    EXPECT_EQ(questions, boost::json::parse(R"({"items":[
        {"code":"dejeuner-sur-place","label":"Déjeuner sur place","kind":"boolean","required":true},
        {"code":"regime-alimentaire","label":"Régime alimentaire","kind":"choice","required":false,
         "options":[{"code":"aucun","label":"Aucun"},{"code":"vegetarien","label":"Végétarien"}],
         "help":"Pour le traiteur"}]})"));
    r = owner.get(base + "/questions");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "value=\"Déjeuner sur place\""));
    EXPECT_TRUE(page_has(r.body, "Aucun\nVégétarien\n</textarea>")) << r.body;
    // A choice without options: 422 beside the question, nothing changed.
    r = owner.post(base + "/questions", {{"q-code-0", "dejeuner-sur-place"},
                                         {"q-label-0", "Déjeuner sur place"},
                                         {"q-kind-0", "boolean"},
                                         {"q-required-0", "oui"},
                                         {"q-label-1", "Atelier"},
                                         {"q-kind-1", "choices"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<li><a href=\"#q-label-1\">Une question à choix a de 1 à 30 "
                                 "options, chacune de 200 caractères au plus ; les autres n&#39;en "
                                 "ont pas.</a></li>"))
        << r.body;
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/questions", std::nullopt, owner_token).json(),
        questions);

    // Published, two registrations answer; the numbers page counts each option.
    ASSERT_EQ(owner.post(base + "/publication", {}).status, 303);
    for (const auto& [email, lunch] : {std::pair{"a@x.fr", true}, std::pair{"b@x.fr", false}})
        ASSERT_EQ(server
                      .call("POST", "/v1/events/" + event + "/registrations",
                            object{{"full_name", "P"},
                                   {"email", email},
                                   {"consent", true},
                                   {"answers", object{{"dejeuner-sur-place", lunch},
                                                      {"regime-alimentaire", "vegetarien"}}}})
                      .status,
                  201);
    r = owner.get(base + "/chiffres");
    EXPECT_TRUE(page_has(r.body, "<h3>Déjeuner sur place</h3>\n<ul class=\"plain\">\n<li>Oui : "
                                 "1</li>\n<li>Non : 1</li>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "<li>Végétarien : 2</li>"));
    // Now answered, the choice cannot lose its chosen option: 409, said on the page.
    r = owner.post(base + "/questions", {{"q-code-0", "dejeuner-sur-place"},
                                         {"q-label-0", "Déjeuner sur place"},
                                         {"q-kind-0", "boolean"},
                                         {"q-required-0", "oui"},
                                         {"q-code-1", "regime-alimentaire"},
                                         {"q-label-1", "Régime alimentaire"},
                                         {"q-kind-1", "choice"},
                                         {"q-options-1", "Aucun"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "Ces questions ne peuvent pas être enregistrées : une question à "
                                 "laquelle des personnes ont répondu reste"))
        << r.body;

    // A message: previewed with its number of recipients, then sent; nothing leaves before.
    r = owner.post(base + "/message/apercu", {{"subject", "La salle change"},
                                              {"body", "Salle B, au premier étage."},
                                              {"statuses", "confirmed"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "Aperçu : le message partira vers 2 personnes"));
    EXPECT_TRUE(page_has(r.body, "Bonjour Prénom Nom,\n\nSalle B, au premier étage."));
    // Exactly what leaves: the signature, how to reach the organizers, each one's links, the
    // footer; and where the replies go.
    const std::string title = "Forum des tiers-lieux";
    EXPECT_TRUE(page_has(
        r.body,
        "Salle B, au premier étage.\n\n— L'équipe d'organisation de « " + title +
            " »\n\nCe message vous est envoyé par Rencontres au nom de l'équipe d'organisation de "
            "« " +
            title +
            " ». Pour lui écrire, répondez à ce message ou écrivez à owner@x.fr.\n\nVoir "
            "et gérer mon inscription : "));
    EXPECT_TRUE(page_has(r.body, "/inscriptions/…?t=…\n\nSignaler une inscription que je n&#39;ai "
                                 "pas faite : "));
    EXPECT_TRUE(page_has(r.body,
                         "/inscriptions/…/signalement?t=…\n\n-- \nMessage envoyé par "
                         "Rencontres pour l'équipe d'organisation : en y répondant, vous lui "
                         "écrivez.\n</pre>"));
    EXPECT_TRUE(page_has(r.body, "<strong>Réponses à :</strong> owner@x.fr"));
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto announcements = [&] {
        int n = 0;
        const auto outbox =
            server.call("GET", "/v1/admin/outbox?limit=100", std::nullopt, admin).json();
        for (const auto& m : outbox.at("items").as_array())
            n += m.at("kind") == "announcement";
        return n;
    };
    EXPECT_EQ(announcements(), 0);
    r = owner.post(base + "/message/apercu", {{"subject", ""}, {"body", "x"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<li><a href=\"#subject\">Indiquez un objet de 200 caractères "
                                 "au plus.</a></li>"));
    r = owner.post(base + "/message", {{"subject", "La salle change"},
                                       {"body", "Salle B, au premier étage."},
                                       {"statuses", "confirmed"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), base + "/message?fait=2");
    EXPECT_EQ(announcements(), 2);
    EXPECT_TRUE(page_has(owner.get(base + "/message?fait=2").body, "Le message part vers 2 "
                                                                   "personnes."));

    // Badges to print, from the registrations page.
    EXPECT_TRUE(page_has(owner.get(base + "/inscriptions").body,
                         "href=\"" + base + "/badges.pdf?format=a6\""));
    r = owner.get(base + "/badges.pdf");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
}

// A form sent after the session ended is not lost: the sign-in form carries what was typed, and
// once signed in the person is offered to send it again, which lands back on its page. A page
// asked for without a session is shown again after signing in; only pages of the console are
// returned to.
TEST_F(console_pages, a_form_sent_after_the_session_ended_keeps_its_values_through_sign_in) {
    const auto id = create_draft("Rencontre de printemps");
    const auto url = "/gestion/evenements/" + id;
    const auto page = owner.get(url);
    const auto csrf = form_field(page.body, "csrf");
    const auto revision = form_field(page.body, "revision");
    const auto stale = owner.session;
    // The session ends (here: signed out from another tab) while the form is being filled.
    ASSERT_EQ(owner.post("/deconnexion", {}).status, 303);
    console_client tab{server.port()};
    tab.session = stale;
    const form_pairs typed{{"csrf", csrf},
                           {"revision", revision},
                           {"title", "Rencontre de printemps & d'été"},
                           {"timezone", "Europe/Paris"},
                           {"starts_at", "2031-03-18T09:00"},
                           {"ends_at", "2031-03-18T17:00"},
                           {"venue_city", "Égletons"},
                           {"capacity", "2"}};
    auto r = tab.post_raw(url, form_encode(typed));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "<h1>Connexion</h1>"));
    EXPECT_TRUE(page_has(r.body, "ce que vous aviez saisi est gardé"));
    EXPECT_TRUE(page_has(r.body, "<input type=\"hidden\" name=\"retour\" value=\"" + url + "\">"));
    EXPECT_EQ(form_field(r.body, "garde:title"), "Rencontre de printemps &amp; d&#39;été");
    EXPECT_EQ(form_field(r.body, "garde:csrf"), ""); // the old form token is not carried
    EXPECT_NE(r.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("title"),
              "Rencontre de printemps");

    // Signed in from that form: the kept form, ready to send with the new session's token.
    form_pairs sign_in{{"csrf", form_field(r.body, "csrf")},
                       {"email", "owner@x.fr"},
                       {"password", "correct horse battery"},
                       {"retour", url}};
    for (const auto& [name, value] : typed)
        if (name != "csrf") sign_in.emplace_back("garde:" + name, value);
    r = send_request(server.port(), "POST", "/connexion", form_encode(sign_in),
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "<h1>Reprendre votre saisie</h1>"));
    EXPECT_TRUE(page_has(r.body, "<form method=\"post\" action=\"" + url + "\">"));
    console_client resumed{server.port()};
    resumed.session = session_cookie_of(r);
    ASSERT_FALSE(resumed.session.empty());
    // What the browser sends from it: the kept values, as they were typed.
    EXPECT_EQ(form_field(r.body, "venue_city"), "Égletons");
    form_pairs again{{"csrf", form_field(r.body, "csrf")}};
    for (const auto& [name, value] : typed)
        if (name != "csrf") again.emplace_back(name, value);
    r = resumed.post_raw(url, form_encode(again));
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), url + "?fait=enregistree");
    EXPECT_EQ(server.call("GET", "/v1/events/" + id, std::nullopt, owner_token).json().at("title"),
              "Rencontre de printemps & d'été");

    // A page asked for without a session comes back after signing in.
    console_client later{server.port()};
    r = later.get(url + "/programme");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"),
              "/connexion?retour=%2Fgestion%2Fevenements%2F" + id + "%2Fprogramme");
    r = later.get(r.header("Location"));
    EXPECT_EQ(form_field(r.body, "retour"), url + "/programme");
    r = send_request(server.port(), "POST", "/connexion",
                     form_encode({{"csrf", form_field(r.body, "csrf")},
                                  {"email", "owner@x.fr"},
                                  {"password", "correct horse battery"},
                                  {"retour", url + "/programme"}}),
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location"), url + "/programme");
    // Never to another site, nor outside the console.
    for (const std::string elsewhere :
         {"https://ailleurs.example/gestion", "//ailleurs.example/gestion",
          "/gestion/..//ailleurs.example", "/evenements/x"}) {
        const auto form = send_request(server.port(), "GET", "/connexion?retour=" + elsewhere);
        EXPECT_EQ(form_field(form.body, "retour"), "") << elsewhere;
        r = send_request(server.port(), "POST", "/connexion",
                         form_encode({{"csrf", form_field(form.body, "csrf")},
                                      {"email", "owner@x.fr"},
                                      {"password", "correct horse battery"},
                                      {"retour", elsewhere}}),
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
        ASSERT_EQ(r.status, 303) << elsewhere;
        EXPECT_EQ(r.header("Location"), "/gestion") << elsewhere;
    }
}

} // namespace
} // namespace rencontres::testing

// The label in the console over HTTP: a juror's candidacies with their progress, the scoring
// page (criteria with weights, eliminatory ones marked, a missing score said, a new review
// replacing the earlier one, other jurors' scores never shown), and the admins' ranking with the
// same totals and eliminations as the API's.
#include "support/console_client.hpp"

#include <gtest/gtest.h>
#include <regex>

namespace rencontres::testing {
namespace {

using boost::json::object;

class label_pages : public ::testing::Test {
protected:
    test_server server;
    std::string admin = server.token_for(role::admin, "admin@x.fr");
    std::string organizer = server.token_for(role::organizer, "orga@x.fr");
    std::string jury_a = server.token_for(role::jury, "jury-a@x.fr");
    std::string jury_b = server.token_for(role::jury, "jury-b@x.fr");
    std::string campaign, first, second;

    std::string id_of(const reply& r) {
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    void SetUp() override {
        const auto territory =
            id_of(server.call("POST", "/v1/territories",
                              object{{"name", "Communauté de communes de Vézère"},
                                     {"kind", "communaute_de_communes"},
                                     {"siren", siren(7)},
                                     {"region", "Nouvelle-Aquitaine"}},
                              admin));
        campaign = id_of(
            server.call("POST", "/v1/label-campaigns",
                        object{{"year", 2031},
                               {"name", "Territoires innovants 2031"},
                               {"categories",
                                boost::json::parse(R"([{"code":"tiers-lieux","name":"Tiers-lieux"},
                                           {"code":"inclusion","name":"Inclusion numérique"}])")},
                               {"criteria", boost::json::parse(
                                                R"([{"code":"impact","name":"Impact","weight":2},
                                        {"code":"sobriete","name":"Sobriété","weight":1.5,
                                         "eliminatory":true,"threshold":2}])")},
                               {"candidacy_opens_at", "2020-01-01T00:00:00Z"},
                               {"candidacy_closes_at", "2040-01-01T00:00:00Z"}},
                        admin));
        ASSERT_EQ(
            server
                .call("PATCH", "/v1/label-campaigns/" + campaign, object{{"status", "open"}}, admin)
                .status,
            200);
        const auto brive = id_of(server.call("POST", "/v1/territories",
                                             object{{"name", "Brive-la-Gaillarde"},
                                                    {"kind", "commune"},
                                                    {"siren", siren(8)},
                                                    {"region", "Nouvelle-Aquitaine"}},
                                             admin));
        const auto submit = [&](const std::string& where, const std::string& category,
                                const std::string& title) {
            return id_of(server.call("POST", "/v1/label-campaigns/" + campaign + "/candidacies",
                                     object{{"territory_id", where},
                                            {"category", category},
                                            {"initiative_title", title}},
                                     organizer));
        };
        first = submit(territory, "tiers-lieux", "La Fabrique de Vézère");
        second = submit(brive, "tiers-lieux", "Un bus numérique");
    }
};

TEST_F(label_pages, a_juror_scores_each_candidacy_and_sees_only_their_own_review) {
    console_client juror{server.port()};
    ASSERT_EQ(juror.sign_in("jury-a@x.fr").status, 303);
    auto r = juror.get("/label");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "href=\"/label/editions/" + campaign + "/evaluation\""));
    EXPECT_FALSE(page_has(r.body, "/classement"));
    r = juror.get("/label/editions/" + campaign + "/evaluation");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "0 sur 2 candidatures évaluées"));
    EXPECT_TRUE(page_has(r.body, "La Fabrique de Vézère</a> — Communauté de communes de Vézère : à "
                                 "évaluer"));

    const auto url = "/label/candidatures/" + first + "/evaluation";
    r = juror.get(url);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(
        page_has(r.body, "<legend>Impact <span class=\"hint-inline\">(poids 2)</span></legend>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body,
                         "Sobriété <span class=\"hint-inline\">(poids 1,5 ; éliminatoire sous "
                         "une moyenne de 2)</span>"));
    // A criterion left without a score: said, linked, and nothing saved.
    r = juror.post(url, {{"critere-impact", "4"}, {"comment", "Très concret"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<li><a href=\"#critere-sobriete-0\">Choisissez une note pour « "
                                 "Sobriété ».</a></li>"));
    EXPECT_TRUE(
        page_has(r.body, "id=\"critere-impact-4\" name=\"critere-impact\" value=\"4\" checked"));
    EXPECT_TRUE(page_has(r.body, ">Très concret</textarea>"));
    EXPECT_EQ(server.call("GET", "/v1/candidacies/" + first + "/reviews", std::nullopt, admin)
                  .json()
                  .at("reviews")
                  .as_array()
                  .size(),
              0u);
    // Out of range is no score either.
    EXPECT_EQ(juror.post(url, {{"critere-impact", "6"}, {"critere-sobriete", "3"}}).status, 422);

    r = juror.post(url, {{"critere-impact", "4"}, {"critere-sobriete", "3"}});
    EXPECT_EQ(r.status, 303);
    r = juror.get(r.header("Location"));
    EXPECT_TRUE(page_has(r.body, "Votre évaluation est enregistrée."));
    EXPECT_TRUE(page_has(r.body, "id=\"critere-sobriete-3\" name=\"critere-sobriete\" value=\"3\" "
                                 "checked"));
    // Saved again: it replaces the first one.
    ASSERT_EQ(juror.post(url, {{"critere-impact", "5"}, {"critere-sobriete", "1"}}).status, 303);
    const auto reviews =
        server.call("GET", "/v1/candidacies/" + first + "/reviews", std::nullopt, admin).json();
    ASSERT_EQ(reviews.at("reviews").as_array().size(), 1u);
    EXPECT_TRUE(page_has(juror.get("/label/editions/" + campaign + "/evaluation").body,
                         "1 sur 2 candidatures"));

    // Another juror sees none of it.
    console_client other{server.port()};
    ASSERT_EQ(other.sign_in("jury-b@x.fr").status, 303);
    r = other.get(url);
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(page_has(r.body, " checked"));
    EXPECT_TRUE(page_has(other.get("/label/editions/" + campaign + "/evaluation").body,
                         "0 sur 2 candidatures évaluées"));
    // Nor is the ranking theirs.
    EXPECT_EQ(other.get("/label/editions/" + campaign + "/classement").status, 403);
    // An organizer does not score.
    console_client orga{server.port()};
    ASSERT_EQ(orga.sign_in("orga@x.fr").status, 303);
    EXPECT_EQ(orga.get(url).status, 403);
}

TEST_F(label_pages, the_ranking_page_shows_the_apis_totals_and_eliminations) {
    console_client a{server.port()}, b{server.port()};
    ASSERT_EQ(a.sign_in("jury-a@x.fr").status, 303);
    ASSERT_EQ(b.sign_in("jury-b@x.fr").status, 303);
    const auto score = [](console_client& c, const std::string& id, const char* impact,
                          const char* sobriete) {
        EXPECT_EQ(c.post("/label/candidatures/" + id + "/evaluation",
                         {{"critere-impact", impact}, {"critere-sobriete", sobriete}})
                      .status,
                  303);
    };
    score(a, first, "5", "4");
    score(b, first, "4", "3");
    score(a, second, "5", "1"); // sobriety mean 1.5 < 2: eliminated
    score(b, second, "5", "2");
    const auto api =
        server.call("GET", "/v1/label-campaigns/" + campaign + "/ranking", std::nullopt, admin);
    ASSERT_EQ(api.status, 200) << api.body;

    console_client root{server.port()};
    ASSERT_EQ(root.sign_in("admin@x.fr").status, 303);
    const auto r = root.get("/label/editions/" + campaign + "/classement");
    ASSERT_EQ(r.status, 200);
    // (2·5 + 1.5·4) / 3.5 = 4.571 and (2·4 + 1.5·3) / 3.5 = 3.571: mean 4.07.
    EXPECT_TRUE(page_has(r.body,
                         "<tr><th scope=\"row\">La Fabrique de Vézère</th><td>1</td><td>"
                         "Communauté de communes de Vézère</td><td>4,07</td><td>2</td><td>4,5"
                         "</td><td>3,5</td>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "Un bus numérique — Brive-la-Gaillarde : écartée par le "
                                 "critère « Sobriété »"));
    EXPECT_TRUE(page_has(r.body, "Aucune candidature dans cette catégorie."));
    // The same as the API's ranking.
    bool found = false;
    const auto entries = api.json().at("items").as_array();
    for (const auto& entry : entries) {
        if (entry.at("candidacy").at("id").as_string() == first) {
            found = true;
            EXPECT_NEAR(entry.at("weighted_total").to_number<double>(), 4.0714, 0.001);
            EXPECT_EQ(entry.at("eliminated"), false);
        } else {
            EXPECT_EQ(entry.at("eliminated"), true);
            EXPECT_EQ(entry.at("eliminated_by"), "sobriete");
        }
    }
    EXPECT_TRUE(found);
}

TEST_F(label_pages, an_organizer_submits_edits_and_withdraws_a_candidacy) {
    console_client orga{server.port()};
    ASSERT_EQ(orga.sign_in("orga@x.fr").status, 303);
    auto r = orga.get("/label");
    ASSERT_TRUE(page_has(r.body, "href=\"/label/editions/" + campaign + "/candidature\""));
    EXPECT_TRUE(
        page_has(r.body, "La Fabrique de Vézère</a> — Territoires innovants 2031 : Déposée"));
    const auto url = "/label/editions/" + campaign + "/candidatures";
    // Nothing chosen: each field says what it needs.
    r = orga.post(url, {{"action", "enregistrer"}, {"initiative_title", "Tiers-lieu mobile"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body,
                         "<li><a href=\"#territory_id\">Choisissez le territoire de la liste, ou "
                         "créez-le.</a></li>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "value=\"Tiers-lieu mobile\""));
    // The territory made on the spot: a wrong SIREN first.
    r = orga.post(url, {{"action", "creer_territoire"},
                        {"initiative_title", "Tiers-lieu mobile"},
                        {"name", "Ussel"},
                        {"siren", "123456789"},
                        {"kind", "commune"},
                        {"region", "Nouvelle-Aquitaine"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Indiquez un SIREN de 9 chiffres valide"));
    r = orga.post(url, {{"action", "creer_territoire"},
                        {"initiative_title", "Tiers-lieu mobile"},
                        {"name", "Ussel"},
                        {"siren", siren(42)},
                        {"kind", "commune"},
                        {"region", "Nouvelle-Aquitaine"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(page_has(r.body, "Ussel est créé et choisi comme territoire."));
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(r.body, m, std::regex("<option value=\"(\\d+)\" selected>Ussel")));
    const std::string ussel = m[1];
    EXPECT_TRUE(page_has(r.body, "value=\"Tiers-lieu mobile\""));
    r = orga.post(url, {{"action", "enregistrer"},
                        {"territory_id", ussel},
                        {"category", "inclusion"},
                        {"initiative_title", "Tiers-lieu mobile"},
                        {"summary", "Un camion aménagé"},
                        {"links", "https://ussel.fr/tiers-lieu\n\nhttps://exemple.fr"}});
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/label?fait=deposee");
    const auto listed =
        server.call("GET", "/v1/label-campaigns/" + campaign + "/candidacies?category=inclusion",
                    std::nullopt, admin);
    const auto items = listed.json().at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    const auto& made = items.at(0);
    EXPECT_EQ(made.at("links").as_array().size(), 2u);
    const std::string made_id(made.at("id").as_string());
    // Edited, then withdrawn.
    r = orga.get("/label/candidatures/" + made_id);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(page_has(r.body, "Modifier la candidature"));
    r = orga.post("/label/candidatures/" + made_id, {{"action", "enregistrer"},
                                                     {"territory_id", ussel},
                                                     {"category", "inclusion"},
                                                     {"initiative_title", "Le tiers-lieu mobile"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(server
                  .call("GET",
                        "/v1/label-campaigns/" + campaign + "/candidacies?category=inclusion",
                        std::nullopt, admin)
                  .json()
                  .at("items")
                  .at(0)
                  .at("initiative_title"),
              "Le tiers-lieu mobile");
    const auto asked = orga.get("/label/candidatures/" + made_id + "/retrait");
    ASSERT_EQ(asked.status, 200);
    EXPECT_TRUE(page_has(asked.body, "Le retrait est définitif"));
    EXPECT_TRUE(page_has(asked.body, "Retirer définitivement la candidature"));
    r = orga.post("/label/candidatures/" + made_id + "/retrait", {});
    EXPECT_EQ(r.status, 303);
    EXPECT_TRUE(page_has(orga.get("/label").body,
                         "Le tiers-lieu mobile</a> — Territoires innovants "
                         "2031 : Retirée"));
    // Withdrawn, it is read only.
    EXPECT_TRUE(page_has(orga.get("/label/candidatures/" + made_id).body,
                         "Cette candidature est retirée."));
}

TEST_F(label_pages, an_admin_runs_an_edition_from_creation_to_palmares) {
    console_client root{server.port()};
    ASSERT_EQ(root.sign_in("admin@x.fr").status, 303);
    EXPECT_TRUE(page_has(root.get("/label").body, "href=\"/label/editions/nouvelle\""));
    // An eliminatory criterion with a threshold that is not a number, and no category.
    auto r = root.post("/label/editions", {{"year", "2032"},
                                           {"name", "Territoires innovants 2032"},
                                           {"candidacy_opens_at", "2032-01-10T09:00"},
                                           {"candidacy_closes_at", "2032-06-30T18:00"},
                                           {"critere-code-0", "impact"},
                                           {"critere-nom-0", "Impact"},
                                           {"critere-poids-0", "2"},
                                           {"critere-eliminatoire-0", "oui"},
                                           {"critere-seuil-0", "deux"}});
    EXPECT_EQ(r.status, 422);
    // The faulty line is named, in the summary and beside its field.
    EXPECT_TRUE(page_has(r.body, "<a href=\"#critere-seuil-0\">Critère 1 : indiquez un seuil de 0 "
                                 "à 5, par exemple 1,5.</a>"))
        << r.body;
    EXPECT_TRUE(page_has(r.body, "value=\"deux\" aria-invalid=\"true\" "
                                 "aria-describedby=\"critere-seuil-0-error\""));
    r = root.post("/label/editions", {{"year", "2032"},
                                      {"name", "Territoires innovants 2032"},
                                      {"candidacy_opens_at", "2032-01-10T09:00"},
                                      {"candidacy_closes_at", "2032-06-30T18:00"},
                                      {"critere-code-0", "impact"},
                                      {"critere-nom-0", "Impact"},
                                      {"critere-poids-0", "2"},
                                      {"critere-eliminatoire-0", "oui"},
                                      {"critere-seuil-0", "1,5"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "Indiquez au moins une catégorie"));
    // Codes are made from the names: two lines of the same name are said on the second one.
    r = root.post("/label/editions", {{"year", "2032"},
                                      {"name", "Territoires innovants 2032"},
                                      {"candidacy_opens_at", "2032-01-10T09:00"},
                                      {"candidacy_closes_at", "2032-06-30T18:00"},
                                      {"categorie-nom-0", "Tiers-lieux"},
                                      {"categorie-nom-1", "tiers lieux"},
                                      {"critere-nom-0", "Impact"},
                                      {"critere-poids-0", "2"},
                                      {"critere-nom-2", ""},
                                      {"critere-nom-3", "Coopération"},
                                      {"critere-poids-3", "0"}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(page_has(r.body, "<a href=\"#categorie-nom-1\">Catégorie 2 : une autre catégorie "
                                 "porte déjà ce nom ; donnez-lui un nom qui la distingue.</a>"))
        << r.body;
    r = root.post("/label/editions", {{"year", "2032"},
                                      {"name", "Territoires innovants 2032"},
                                      {"candidacy_opens_at", "2032-01-10T09:00"},
                                      {"candidacy_closes_at", "2032-06-30T18:00"},
                                      {"categorie-nom-0", "Tiers-lieux"},
                                      {"critere-nom-0", "Impact"},
                                      {"critere-poids-0", "2"},
                                      {"critere-nom-3", "Coopération"},
                                      {"critere-poids-3", "0"}});
    EXPECT_EQ(r.status, 422);
    // The domain's refusal of the second criterion is said on the line it was typed on.
    EXPECT_TRUE(page_has(r.body, "<a href=\"#critere-poids-3\">Critère 4 : indiquez un poids "
                                 "supérieur à 0 et jusqu&#39;à 1000, par exemple 1 ou 1,5.</a>"))
        << r.body;
    r = root.post("/label/editions", {{"year", "2032"},
                                      {"name", "Territoires innovants 2032"},
                                      {"candidacy_opens_at", "2032-01-10T09:00"},
                                      {"candidacy_closes_at", "2032-06-30T18:00"},
                                      {"categorie-nom-0", "Tiers-lieux"},
                                      {"critere-nom-0", "Impact"},
                                      {"critere-poids-0", "2"},
                                      {"critere-eliminatoire-0", "oui"},
                                      {"critere-seuil-0", "1,5"}});
    ASSERT_EQ(r.status, 303) << r.body;
    std::smatch m;
    const auto location = r.header("Location");
    ASSERT_TRUE(std::regex_search(location, m, std::regex(R"(/label/editions/(\d+)/)")));
    const std::string created = m[1];
    const auto stored =
        server.call("GET", "/v1/label-campaigns/" + created, std::nullopt, admin).json();
    EXPECT_EQ(stored.at("status"), "draft");
    EXPECT_EQ(stored.at("candidacy_opens_at"), "2032-01-10T08:00:00Z");
    EXPECT_EQ(stored.at("criteria").at(0).at("threshold").to_number<double>(), 1.5);
    EXPECT_EQ(stored.at("categories").at(0).at("code"), "tiers-lieux") << "made from the name";
    EXPECT_EQ(stored.at("criteria").at(0).at("code"), "impact");
    // Each step of the edition goes through a confirmation page: the ranking links to it.
    const auto created_ranking = root.get("/label/editions/" + created + "/classement");
    EXPECT_TRUE(page_has(created_ranking.body,
                         "<a class=\"button button-secondary\" href=\"/label/"
                         "editions/" +
                             created + "/etat?vers=open\">Ouvrir les candidatures…</a>"))
        << created_ranking.body;
    EXPECT_FALSE(page_has(created_ranking.body, "name=\"etat\""));
    const auto confirm = root.get("/label/editions/" + created + "/etat?vers=open");
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(page_has(confirm.body, "L&#39;édition ne reviendra pas à l&#39;état de brouillon."))
        << confirm.body;
    EXPECT_TRUE(page_has(confirm.body, "<input type=\"hidden\" name=\"etat\" value=\"open\">"));
    EXPECT_TRUE(page_has(confirm.body, "Ne rien changer, revenir au classement"));
    // A step that is not the next one sends back to the ranking.
    EXPECT_EQ(root.get("/label/editions/" + created + "/etat?vers=awarded").header("Location"),
              "/label/editions/" + created + "/classement");
    EXPECT_EQ(server.call("GET", "/v1/label-campaigns/" + created, std::nullopt, admin)
                  .json()
                  .at("status"),
              "draft")
        << "nothing changes until confirmed";
    // Opened from its confirmation page.
    r = root.post("/label/editions/" + created + "/etat", {{"etat", "open"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(server.call("GET", "/v1/label-campaigns/" + created, std::nullopt, admin)
                  .json()
                  .at("status"),
              "open");

    // On the open edition of the fixture: awards, then a revocation behind its confirmation.
    const auto ranking = "/label/editions/" + campaign + "/classement";
    // The ranking's form leads to the preview; the preview's button gives the award.
    EXPECT_TRUE(page_has(root.get(ranking).body,
                         "action=\"/label/editions/" + campaign + "/prix/apercu\""));
    r = root.post("/label/editions/" + campaign + "/prix/apercu",
                  {{"candidature", first}, {"niveau", "or"}, {"citation", "Un lieu vivant"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_TRUE(page_has(r.body, "<h1>Aperçu du palmarès 2031</h1>"));
    EXPECT_TRUE(page_has(r.body, "Nouveau prix, pas encore décerné"));
    EXPECT_TRUE(page_has(r.body, "<h3>La Fabrique de Vézère</h3>"));
    EXPECT_TRUE(page_has(r.body, "<p>Un lieu vivant</p>"));
    EXPECT_TRUE(page_has(r.body, "action=\"/label/editions/" + campaign + "/prix\""));
    EXPECT_TRUE(page_has(r.body, "name=\"niveau\" value=\"or\""));
    EXPECT_TRUE(page_has(r.body, "name=\"citation\" value=\"Un lieu vivant\""));
    EXPECT_TRUE(page_has(r.body, "Décerner le label or à « La Fabrique de Vézère »"));
    // Previewed is not given: the public palmarès does not show it.
    EXPECT_FALSE(page_has(send_request(server.port(), "GET", "/palmares/2031").body,
                          "La Fabrique de Vézère"));
    EXPECT_EQ(root.post("/label/editions/" + campaign + "/prix/apercu",
                        {{"candidature", first}, {"niveau", "platine"}})
                  .status,
              422);
    r = root.post("/label/editions/" + campaign + "/prix",
                  {{"candidature", first}, {"niveau", "or"}, {"citation", "Un lieu vivant"}});
    EXPECT_EQ(r.status, 303);
    r = root.post("/label/editions/" + campaign + "/prix/apercu",
                  {{"candidature", first}, {"niveau", "argent"}});
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(page_has(r.body, "ni déjà primée"));
    r = root.post("/label/editions/" + campaign + "/prix",
                  {{"candidature", second}, {"niveau", "bronze"}});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(root.post("/label/editions/" + campaign + "/prix",
                        {{"candidature", second}, {"niveau", "platine"}})
                  .status,
              422);
    r = root.get(ranking);
    EXPECT_TRUE(page_has(r.body, "Or — Tiers-lieux : La Fabrique de Vézère"));
    EXPECT_TRUE(page_has(r.body, "Bronze — Tiers-lieux : Un bus numérique"));
    auto palmares = send_request(server.port(), "GET", "/palmares/2031");
    EXPECT_TRUE(page_has(palmares.body, "Un bus numérique"));
    ASSERT_TRUE(std::regex_search(r.body, m,
                                  std::regex("href=\"(/label/editions/" + campaign +
                                             "/prix/\\d+/retrait)\">Retirer<span "
                                             "class=\"visually-hidden\"> le prix de "
                                             "Un bus")));
    const std::string revoke = m[1];
    EXPECT_EQ(root.get(revoke).status, 200);
    EXPECT_EQ(root.post(revoke, {{"reason", ""}}).status, 422);
    EXPECT_EQ(root.post(revoke, {{"reason", "Dossier incomplet"}}).status, 303);
    palmares = send_request(server.port(), "GET", "/palmares/2031");
    EXPECT_FALSE(page_has(palmares.body, "Un bus numérique"));
    EXPECT_TRUE(page_has(palmares.body, "La Fabrique de Vézère"));
}

} // namespace
} // namespace rencontres::testing

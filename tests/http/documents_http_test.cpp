// Badges and attendance certificates as PDF (API.md §8), read back as people and machines read
// them: the text with pdftotext (accents intact, every badge there, no word outside its badge),
// the QR code from a rendering with zbarimg, followed to the check-in page. PNG renderings of the
// first badge sheet and of a certificate are left in the build folder (documents/).
#include "server/app/config.hpp"
#include "server/documents/gate.hpp"
#include "support/console_client.hpp"
#include "support/process.hpp"
#include "support/test_server.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <thread>

namespace rencontres::testing {
namespace {

using boost::json::object;

namespace fs = std::filesystem;

const fs::path renderings = fs::path(RENCONTRES_BUILD_DIR) / "documents";

std::string write_pdf(const std::string& name, const std::string& bytes) {
    fs::create_directories(renderings);
    const auto path = renderings / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}

std::string pdf_text(const std::string& path, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = extra;
    args.insert(args.end(), {path, "-"});
    const auto done = run_program("/usr/bin/pdftotext", args);
    EXPECT_EQ(done.exit_code, 0) << done.output;
    return done.output;
}

int pages_of(const std::string& path) {
    const auto info = run_program("/usr/bin/pdfinfo", {path}).output;
    std::smatch m;
    if (!std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))"))) return -1;
    return std::stoi(m[1]);
}

// A PNG of the first page, 150 dpi.
std::string render_first_page(const std::string& pdf, const std::string& name) {
    const auto stem = (renderings / name).string();
    const auto done = run_program(
        "/usr/bin/pdftoppm", {"-r", "150", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, stem});
    EXPECT_EQ(done.exit_code, 0) << done.output;
    return stem + ".png";
}

// The text without spaces, line breaks or hyphens: pdftotext joins a word cut at a line's end.
std::string squeezed(const std::string& text) {
    std::string out;
    for (const char c : text)
        if (c != ' ' && c != '\n' && c != '-') out.push_back(c);
    return out;
}

std::size_t count_of(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++n;
    return n;
}

struct documents_http : ::testing::Test {
    test_server server;
    std::string owner = server.token_for(role::organizer, "owner@x.fr");

    std::string make_event(const std::string& starts, const std::string& ends, int capacity) {
        auto r = server.call("POST", "/v1/events",
                             object{{"title", "Rencontre régionale du numérique à Aixe-sur-Vienne"},
                                    {"starts_at", starts},
                                    {"ends_at", ends},
                                    {"venue", object{{"name", "Salle des fêtes"},
                                                     {"address", "1 place de la Mairie"},
                                                     {"postal_code", "87700"},
                                                     {"city", "Aixe-sur-Vienne"}}},
                                    {"capacity", capacity}},
                             owner);
        EXPECT_EQ(r.status, 201) << r.body;
        return std::string(r.json().at("id").as_string());
    }
    void publish(const std::string& event) {
        EXPECT_EQ(
            server.call("POST", "/v1/events/" + event + "/publish", std::nullopt, owner).status,
            200);
    }
    boost::json::value enrol(const std::string& event, const std::string& name,
                             const std::string& email, const std::string& organization = {}) {
        object body{{"full_name", name}, {"email", email}, {"consent", true}};
        if (!organization.empty()) body["organization"] = organization;
        const auto r = server.call("POST", "/v1/events/" + event + "/registrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    }
};

// Names as a French desk reads them (API.md §8): registered with given and family names, the
// badges come by family name with it in capitals, and the organizers' spreadsheet (the API's
// ?dialect=excel-fr and the console's download) opens in French Excel as it is.
TEST_F(documents_http, badges_and_the_spreadsheet_go_by_family_name_as_a_french_desk_reads_them) {
    const auto event = make_event("2031-06-11T09:00:00+02:00", "2031-06-11T17:00:00+02:00", 4);
    const auto workshop = server.call("POST", "/v1/events/" + event + "/sessions",
                                      object{{"title", "Atelier tiers-lieux"},
                                             {"kind", "workshop"},
                                             {"capacity", 1},
                                             {"starts_at", "2031-06-11T14:00:00+02:00"},
                                             {"ends_at", "2031-06-11T15:00:00+02:00"}},
                                      owner);
    ASSERT_EQ(workshop.status, 201) << workshop.body;
    const std::string w(workshop.json().at("id").as_string());
    publish(event);
    const auto named = [&](const char* given, const char* family, const char* email,
                           bool in_workshop) {
        object body{{"given_name", given},
                    {"family_name", family},
                    {"email", email},
                    {"consent", true},
                    {"organization", "Mairie"}};
        if (in_workshop) body["session_ids"] = boost::json::array{w.c_str()};
        const auto r = server.call("POST", "/v1/events/" + event + "/registrations", body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.json();
    };
    const auto amelie = named("Amélie", "Roux", "amelie@x.fr", true);
    EXPECT_EQ(amelie.at("full_name"), "Amélie Roux");
    EXPECT_EQ(amelie.at("given_name"), "Amélie");
    EXPECT_EQ(amelie.at("family_name"), "Roux");
    named("Jean-Pierre", "Delage", "jp@x.fr", true); // second on the workshop's list
    named("Thomas", "Nguyen", "thomas@x.fr", false);
    named("Jean", "de La Fontaine", "jean@x.fr", false);
    named("Élise", "Abadie", "elise@x.fr", false); // the fifth: waiting for the event

    const auto r = server.call("GET", "/v1/events/" + event + "/badges.pdf", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    const auto text = pdf_text(write_pdf("badges-names.pdf", r.body), {"-layout"});
    std::size_t last = 0;
    for (const auto* badge :
         {"Jean-Pierre DELAGE", "Jean DE LA FONTAINE", "Thomas NGUYEN", "Amélie ROUX"}) {
        const auto at = text.find(badge);
        ASSERT_NE(at, std::string::npos) << badge << "\n" << text;
        EXPECT_GE(at, last) << badge;
        last = at;
    }
    EXPECT_EQ(text.find("ABADIE"), std::string::npos) << "waiting: no badge";

    auto csv = server.call("GET", "/v1/events/" + event + "/registrations.csv?dialect=excel-fr",
                           std::nullopt, owner);
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
    // Registered on this machine's clock: the times are checked for their shape only.
    const std::regex when("\\d\\d/\\d\\d/20\\d\\d \\d\\d:\\d\\d");
    const auto body = std::regex_replace(csv.body, when, "JJ/MM/AAAA HH:MM");
    EXPECT_EQ(body, "\xEF\xBB\xBFNom;Prénom;Organisation;Courriel;Statut;Inscrit le;Arrivée;"
                    "Atelier tiers-lieux\r\n"
                    "Abadie;Élise;Mairie;elise@x.fr;liste d'attente n°1;JJ/MM/AAAA HH:MM;;\r\n"
                    "Delage;Jean-Pierre;Mairie;jp@x.fr;confirmée;JJ/MM/AAAA HH:MM;;"
                    "liste d'attente n°1\r\n"
                    "de La Fontaine;Jean;Mairie;jean@x.fr;confirmée;JJ/MM/AAAA HH:MM;;\r\n"
                    "Nguyen;Thomas;Mairie;thomas@x.fr;confirmée;JJ/MM/AAAA HH:MM;;\r\n"
                    "Roux;Amélie;Mairie;amelie@x.fr;confirmée;JJ/MM/AAAA HH:MM;;confirmé\r\n");
    // Another dialect is a clear 400; the API's own CSV stays as it was, by family name too.
    EXPECT_EQ(server
                  .call("GET", "/v1/events/" + event + "/registrations.csv?dialect=excel",
                        std::nullopt, owner)
                  .status,
              400);
    csv = server.call("GET", "/v1/events/" + event + "/registrations.csv", std::nullopt, owner);
    EXPECT_EQ(csv.body.rfind("id,status,waitlist_position,full_name,", 0), 0u);
    EXPECT_LT(csv.body.find("Jean-Pierre Delage"), csv.body.find("Amélie Roux"));
}

TEST_F(documents_http, badges_hold_every_confirmed_registration_sorted_with_its_check_in_code) {
    const auto event = make_event("2031-06-11T09:00:00+02:00", "2031-06-11T17:00:00+02:00", 11);
    publish(event);
    // Eleven confirmed (two sheets of eight), one waiting and one cancelled: not on a badge.
    const std::vector<std::string> names{
        "Zoé Lefèvre",   "Émilie Château",
        "Jean Dupont",   "Ana Ñúñez",
        "Loïc Kerbœuf",  "Bénédicte Ängel",
        "Paul Martin",   "Hélène Roux",
        "Yves Garçon",   "Marie-Françoise de La Tour d'Auvergne-Lauraguais",
        "Céline Baudoin"};
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < names.size(); ++i)
        ids.emplace_back(
            enrol(event, names[i], "p" + std::to_string(i) + "@x.fr",
                  i == 9 ? "Communauté d'agglomération du Grand Châtellerault, Direction de "
                           "l'inclusion numérique et des tiers-lieux, service des usages"
                         : "Mairie")
                .at("id")
                .as_string());
    enrol(event, "Waiting Person", "w@x.fr");
    const auto gone = enrol(event, "Gone Person", "g@x.fr");
    (void)gone;

    // Only the event's organizers, and a known layout.
    EXPECT_EQ(server.call("GET", "/v1/events/" + event + "/badges.pdf").status, 401);
    EXPECT_EQ(
        server.call("GET", "/v1/events/" + event + "/badges.pdf?layout=a3", std::nullopt, owner)
            .status,
        400);
    auto r = server.call("GET", "/v1/events/" + event + "/badges.pdf", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
    const auto sheet = write_pdf("badges-a4-8.pdf", r.body);
    EXPECT_EQ(pages_of(sheet), 2);
    // Read line by line as laid out: badges left to right, then top to bottom.
    const auto text = pdf_text(sheet, {"-layout"});
    // Every confirmed name once, in alphabetical order (accents aside), accents intact.
    std::vector<std::string> sorted{"Ana Ñúñez",      "Bénédicte Ängel", "Céline Baudoin",
                                    "Émilie Château", "Hélène Roux",     "Jean Dupont",
                                    "Loïc Kerbœuf",   "Marie-Françoise", "Paul Martin",
                                    "Yves Garçon",    "Zoé Lefèvre"};
    std::size_t last = 0;
    for (const auto& name : sorted) {
        EXPECT_EQ(count_of(text, name), 1u) << name << "\n" << text;
        const auto at = text.find(name);
        EXPECT_GE(at, last) << name << " is out of order";
        last = at;
    }
    EXPECT_EQ(count_of(text, "Waiting Person"), 0u);
    EXPECT_EQ(count_of(text, "Gone Person"), 0u);
    EXPECT_EQ(count_of(text, "Rencontre régionale du numérique"), 11u);
    EXPECT_NE(text.find("Communauté d'agglomération"), std::string::npos);

    // No word leaves its badge: each lies inside one 105 × 74.25 mm cell of the sheet.
    const auto boxes = pdf_text(sheet, {"-bbox"});
    const std::regex word(
        R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)")re");
    const double cell_w = 105 * 72 / 25.4, cell_h = 74.25 * 72 / 25.4;
    int words = 0;
    for (auto it = std::sregex_iterator(boxes.begin(), boxes.end(), word);
         it != std::sregex_iterator(); ++it) {
        const double x0 = std::stod((*it)[1]), y0 = std::stod((*it)[2]);
        const double x1 = std::stod((*it)[3]), y1 = std::stod((*it)[4]);
        EXPECT_EQ(static_cast<int>(x0 / cell_w), static_cast<int>((x1 - 0.01) / cell_w))
            << "a word crosses a badge's side at x " << x0 << "–" << x1;
        EXPECT_EQ(static_cast<int>(y0 / cell_h), static_cast<int>((y1 - 0.01) / cell_h))
            << "a word crosses a badge's bottom at y " << y0 << "–" << y1;
        ++words;
    }
    EXPECT_GT(words, 100);

    // The first badge's QR code is the check-in link of "Ana Ñúñez", and it opens her check-in.
    const auto png = render_first_page(sheet, "badges-a4-8");
    const auto decoded = run_program("/usr/bin/zbarimg", {"--quiet", "--raw", png});
    ASSERT_EQ(decoded.exit_code, 0) << decoded.output;
    std::vector<std::string> links; // zbarimg may also complain on its output about D-Bus
    std::istringstream lines(decoded.output);
    for (std::string line; std::getline(lines, line);)
        if (line.find("://") != std::string::npos) links.push_back(line);
    ASSERT_EQ(links.size(), 8u) << decoded.output; // eight codes on the sheet
    auto base = server.app().settings().server.public_base_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    const std::string path = "/gestion/inscriptions/" + ids[3] + "/accueil";
    EXPECT_NE(std::find(links.begin(), links.end(), base + path), links.end()) << decoded.output;
    for (const auto& link : links)
        EXPECT_TRUE(
            std::regex_match(link, std::regex(base + R"(/gestion/inscriptions/\d+/accueil)")))
            << link;
    console_client door(server.port());
    ASSERT_EQ(door.sign_in("owner@x.fr").status, 303);
    const auto followed = door.get(path);
    EXPECT_EQ(followed.status, 200);
    EXPECT_TRUE(page_has(followed.body, "Ana Ñúñez"));

    // One badge per A6 page.
    r = server.call("GET", "/v1/events/" + event + "/badges.pdf?layout=a6", std::nullopt, owner);
    ASSERT_EQ(r.status, 200);
    const auto single = write_pdf("badges-a6.pdf", r.body);
    EXPECT_EQ(pages_of(single), 11);
    render_first_page(single, "badges-a6");
}

TEST_F(documents_http, a_certificate_comes_after_the_event_for_a_checked_in_registration) {
    // An event that ends in five seconds, so that the test sees it before and after.
    const auto now = std::chrono::system_clock::now();
    const auto iso = [](std::chrono::system_clock::time_point t) {
        return format_utc(std::chrono::time_point_cast<std::chrono::seconds>(t));
    };
    const auto event =
        make_event(iso(now + std::chrono::seconds{3}), iso(now + std::chrono::seconds{5}), 10);
    auto r = server.call("POST", "/v1/events/" + event + "/sessions",
                         object{{"title", "Plénière : l'inclusion numérique en Haute-Vienne"},
                                {"kind", "talk"},
                                {"starts_at", iso(now + std::chrono::seconds{3})},
                                {"ends_at", iso(now + std::chrono::seconds{4})}},
                         owner);
    ASSERT_EQ(r.status, 201) << r.body;
    publish(event);
    const auto held = enrol(event, "Bérénice Lagarde", "b@x.fr", "Mairie d'Aixe-sur-Vienne");
    const auto absent = enrol(event, "Absent Person", "a@x.fr");
    const std::string id(held.at("id").as_string());
    const std::string token(held.at("manage_token").as_string());
    const auto target = "/v1/registrations/" + id + "/certificate.pdf";
    const header_list with_token{{"X-Registration-Token", token}};
    // Not checked in, not ended: 409; a wrong token: 404.
    EXPECT_EQ(server.call("GET", target, std::nullopt, {}, with_token).status, 409);
    ASSERT_EQ(
        server.call("POST", "/v1/registrations/" + id + "/check-in", std::nullopt, owner).status,
        200);
    r = server.call("GET", target, std::nullopt, {}, with_token);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.json().at("detail"), "The certificate is issued once the event has ended.");
    EXPECT_EQ(server.call("GET", target, std::nullopt, {}, {{"X-Registration-Token", "x"}}).status,
              404);
    // The message that announces it waits in the outbox for the end of the event.
    const auto admin = server.token_for(role::admin, "admin@x.fr");
    const auto certificate_message = [&] {
        const auto outbox =
            server.call("GET", "/v1/admin/outbox?limit=100", std::nullopt, admin).json();
        for (const auto& m : outbox.at("items").as_array())
            if (m.at("kind") == "certificate_ready") return m;
        return boost::json::value{};
    };
    auto message = certificate_message();
    ASSERT_TRUE(message.is_object());
    EXPECT_EQ(message.at("recipient"), "b@x.fr");
    EXPECT_EQ(message.at("status"), "pending");
    std::this_thread::sleep_until(now + std::chrono::seconds{6});

    r = server.call("GET", target, std::nullopt, {}, with_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/pdf");
    const auto pdf = write_pdf("attestation.pdf", r.body);
    render_first_page(pdf, "attestation");
    const auto text = squeezed(pdf_text(pdf));
    for (const auto* part :
         {"Attestation de présence", "Bérénice Lagarde", "Mairie d'Aixe-sur-Vienne",
          "Rencontre régionale du numérique à Aixe-sur-Vienne", "Salle des fêtes",
          "87700 Aixe-sur-Vienne", "Séances suivies",
          "Plénière : l'inclusion numérique en Haute-Vienne", "Accueil enregistré le",
          "Délivrée le", "owner@x.fr"})
        EXPECT_NE(text.find(squeezed(part)), std::string::npos) << part << "\n" << text;
    // Once the event is over, the message goes.
    for (int i = 0; i < 100 && certificate_message().at("status") != "delivered"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
    EXPECT_EQ(certificate_message().at("status"), "delivered");
    EXPECT_NE(std::string(certificate_message().at("body").as_string())
                  .find("Votre attestation de présence est disponible"),
              std::string::npos);
    // The participant's page and the console link it; the console serves it to the organizer.
    EXPECT_NE(send_request(server.port(), "GET", "/inscriptions/" + id + "?t=" + token)
                  .body.find("/inscriptions/" + id + "/attestation.pdf?t=" + token),
              std::string::npos);
    EXPECT_EQ(
        send_request(server.port(), "GET", "/inscriptions/" + id + "/attestation.pdf?t=" + token)
            .header("Content-Type"),
        "application/pdf");
    console_client console(server.port());
    ASSERT_EQ(console.sign_in("owner@x.fr").status, 303);
    const auto in_console =
        "/gestion/evenements/" + event + "/inscriptions/" + id + "/attestation.pdf";
    EXPECT_TRUE(page_has(console.get("/gestion/evenements/" + event + "/inscriptions").body,
                         "href=\"" + in_console + "\""));
    const auto from_console = console.get(in_console);
    EXPECT_EQ(from_console.status, 200);
    EXPECT_EQ(from_console.body.substr(0, 5), "%PDF-");
    // The organizer may fetch it too; the one who did not come has none.
    EXPECT_EQ(server.call("GET", target, std::nullopt, owner).status, 200);
    EXPECT_EQ(server
                  .call("GET",
                        "/v1/registrations/" + std::string(absent.at("id").as_string()) +
                            "/certificate.pdf",
                        std::nullopt, owner)
                  .status,
              409);
}

} // namespace
} // namespace rencontres::testing

namespace rencontres::testing {
namespace {

// Badge sheets are bounded: 2,000 badges a document (?page=, Link rel="next"), one drawing per
// event at a time, and they never keep other routes from answering.
TEST_F(documents_http, badge_sheets_are_bounded_and_other_routes_answer_meanwhile) {
    const auto event = make_event("2031-06-11T09:00:00+02:00", "2031-06-11T17:00:00+02:00", 3000);
    publish(event);
    in_parallel(8, 2050, [&](int i) {
        const auto r = register_one(server.port(), event, "p" + std::to_string(i) + "@x.fr");
        ASSERT_EQ(r.status, 201) << r.body;
    });
    const auto url = "/v1/events/" + event + "/badges.pdf";
    // Two documents drawn at once, while the agenda and the health check answer.
    std::vector<reply> drawn(2);
    std::thread first(
        [&] { drawn[0] = send_request(server.port(), "GET", url, "", bearer(owner)); });
    std::thread second(
        [&] { drawn[1] = send_request(server.port(), "GET", url + "?page=2", "", bearer(owner)); });
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(send_request(server.port(), "GET", "/healthz").status, 200);
        EXPECT_EQ(send_request(server.port(), "GET", "/v1/events/" + event + "/agenda").status,
                  200);
    }
    first.join();
    second.join();
    // One of the two may have found the event's sheet being drawn: 429, to try again.
    for (auto& r : drawn) {
        if (r.status == 429) {
            EXPECT_EQ(r.header("Retry-After"), "5");
            const bool is_first = &r == &drawn[0];
            r = send_request(server.port(), "GET", is_first ? url : url + "?page=2", "",
                             bearer(owner));
        }
    }
    ASSERT_EQ(drawn[0].status, 200);
    EXPECT_EQ(drawn[0].header("Link"),
              "</v1/events/" + event + "/badges.pdf?layout=a4-8&page=2>; rel=\"next\"");
    EXPECT_EQ(pages_of(write_pdf("bounded-1.pdf", drawn[0].body)), 250); // 2,000 badges, 8 a page
    ASSERT_EQ(drawn[1].status, 200);
    EXPECT_FALSE(drawn[1].has_header("Link"));
    EXPECT_EQ(pages_of(write_pdf("bounded-2.pdf", drawn[1].body)), 7); // the last 50
    auto r = server.call("GET", url + "?page=3", std::nullopt, owner);
    EXPECT_EQ(r.status, 404) << r.body;
    r = server.call("GET", url + "?page=0", std::nullopt, owner);
    EXPECT_EQ(r.status, 400) << r.body;
    // While the event's sheet is being drawn, another request for it is refused at once.
    {
        const auto held = documents::drawing::of_event(std::stoll(event));
        ASSERT_TRUE(held);
        r = server.call("GET", url + "?page=2", std::nullopt, owner);
        EXPECT_EQ(r.status, 429) << r.body;
        EXPECT_EQ(r.header("Retry-After"), "5");
    }
    EXPECT_EQ(server.call("GET", url + "?page=2", std::nullopt, owner).status, 200);
}

} // namespace
} // namespace rencontres::testing

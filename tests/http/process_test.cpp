// The binary as an operator uses it: commands, configuration precedence, graceful shutdown.
#include "support/process.hpp"
#include "support/test_database.hpp"
#include "support/test_server.hpp"

#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <signal.h>

namespace rencontres::testing {
namespace {

namespace net = boost::asio;

TEST(binary, help_describes_the_commands) {
    const auto r = run_binary({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* word : {"serve", "migrate", "admin", "demo", "RENCONTRES_<SECTION>_<KEY>"})
        EXPECT_NE(r.output.find(word), std::string::npos) << word;
    const auto serve = run_binary({"serve", "--help"});
    for (const char* flag : {"--config", "--db", "--listen", "--threads", "--log-format"})
        EXPECT_NE(serve.output.find(flag), std::string::npos) << flag;
}

TEST(binary, admin_create_reads_the_password_from_stdin) {
    const auto dir = make_temp_dir("cli");
    const scratch_database database(dir + "/r.db");
    const auto db = database.location();
    auto r = run_binary({"admin", "create", "--db", db, "--email", "root@x.fr", "--name", "Root"},
                        "a long enough password\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("admin root@x.fr created"), std::string::npos);
    r = run_binary({"admin", "create", "--db", db, "--email", "root@x.fr"}, "another password!\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
    r = run_binary({"admin", "create", "--db", db, "--email", "other@x.fr"}, "short\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("password must be at least 10 characters"), std::string::npos)
        << r.output;
    r = run_binary({"admin", "create", "--db", db, "--email", "other@x.fr"}, "");
    EXPECT_NE(r.exit_code, 0);

    // The admin can sign in on a server over the same database.
    child_server server({"--db", db});
    const auto token = send_request(server.port(), "POST", "/v1/auth/token",
                                    R"({"email":"root@x.fr","password":"a long enough password"})",
                                    {{"Content-Type", "application/json"}});
    ASSERT_EQ(token.status, 200) << token.body;
    EXPECT_EQ(token.json().at("account").at("role"), "admin");
    std::filesystem::remove_all(dir);
}

TEST(binary, account_create_makes_the_first_organizer_who_signs_in_to_the_console) {
    const auto dir = make_temp_dir("cli");
    const scratch_database database(dir + "/r.db");
    const auto db = database.location();
    auto r = run_binary({"account", "create", "--db", db, "--email", "orga@x.fr", "--role",
                         "organizer", "--name", "Camille Martin"},
                        "a long enough password\n");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("organizer orga@x.fr created"), std::string::npos) << r.output;
    r = run_binary({"account", "create", "--db", db, "--email", "x@x.fr", "--role", "boss"},
                   "a long enough password\n");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("--role: boss not in"), std::string::npos) << r.output;

    child_server server({"--db", db});
    const auto token = send_request(server.port(), "POST", "/v1/auth/token",
                                    R"({"email":"orga@x.fr","password":"a long enough password"})",
                                    {{"Content-Type", "application/json"}});
    ASSERT_EQ(token.status, 200) << token.body;
    EXPECT_EQ(token.json().at("account").at("role"), "organizer");
    EXPECT_EQ(token.json().at("account").at("email_verified"), true);
    std::filesystem::remove_all(dir);
}

TEST(binary, migrate_and_demo_load_are_idempotent) {
    const auto dir = make_temp_dir("cli");
    const scratch_database database(dir + "/nested/r.db"); // its folder made by migrate
    const auto db = database.location();
    auto r = run_binary({"migrate", "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    if (!on_postgres()) {
        EXPECT_TRUE(std::filesystem::exists(db));
    }
    r = run_binary({"demo", "load", "--db", db});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("created territory Grand Guéret"), std::string::npos) << r.output;
    r = run_binary({"demo", "load", "--db", db});
    ASSERT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("demo data already loaded"), std::string::npos) << r.output;

    child_server server({"--db", db});
    const auto list = send_request(server.port(), "GET", "/v1/territories?q=gueret");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.json().at("items").as_array().size(), 1u);
    EXPECT_EQ(list.json().at("items").at(0).at("siren"), "200070878");
    std::filesystem::remove_all(dir);
}

TEST(binary, on_a_database_url_the_key_files_folder_is_made_private) {
    if (!on_postgres()) GTEST_SKIP() << "a PostgreSQL database has no folder of its own";
    const auto dir = make_temp_dir("cli");
    const scratch_database database(dir + "/r.db");
    const auto folder = dir + "/not/yet";
    const auto r =
        run_binary({"admin", "create", "--db", database.location(), "--email", "root@x.fr"},
                   "a long enough password\n",
                   {{"RENCONTRES_SECURITY_KEY_FILE", folder + "/rencontres.key"},
                    {"RENCONTRES_OUTBOX_SINK_PATH", folder + "/outbox.log"}});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::filesystem::exists(folder + "/rencontres.key"));
    EXPECT_EQ(std::filesystem::status(folder).permissions(), std::filesystem::perms::owner_all);
    std::filesystem::remove_all(dir);
}

TEST(binary, flags_beat_environment_which_beats_the_file) {
    if (on_postgres()) GTEST_SKIP() << "SQLite's own: the files named by each source";
    const auto dir = make_temp_dir("cli");
    {
        std::ofstream file(dir + "/r.toml");
        file << "[database]\npath = \"" << dir << "/from-file.db\"\n[log]\nformat = \"json\"\n";
    }
    // File only.
    {
        child_server server({"--config", dir + "/r.toml"});
        EXPECT_TRUE(std::filesystem::exists(dir + "/from-file.db"));
        send_request(server.port(), "GET", "/healthz");
        server.signal(SIGTERM);
        EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0);
        const auto out = server.output();
        EXPECT_NE(
            out.find(R"("message":"request","method":"GET","target":"/healthz","status":200)"),
            std::string::npos)
            << out;
    }
    // Environment over the file.
    {
        child_server server({"--config", dir + "/r.toml"},
                            {{"RENCONTRES_DATABASE_PATH", dir + "/from-env.db"}});
        EXPECT_TRUE(std::filesystem::exists(dir + "/from-env.db"));
    }
    // A flag over both.
    {
        child_server server(
            {"--config", dir + "/r.toml", "--db", dir + "/from-flag.db", "--log-format", "text"},
            {{"RENCONTRES_DATABASE_PATH", dir + "/from-env2.db"}});
        EXPECT_TRUE(std::filesystem::exists(dir + "/from-flag.db"));
        EXPECT_FALSE(std::filesystem::exists(dir + "/from-env2.db"));
    }
    // Bad configuration is refused with the key named.
    auto r = run_binary({"serve", "--config", dir + "/r.toml"}, {},
                        {{"RENCONTRES_AUTH_ARGON2_MEMORY_KIB", "1024"}});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("auth.argon2_memory_kib must be at least 19456"), std::string::npos)
        << r.output;
    {
        std::ofstream file(dir + "/bad.toml");
        file << "[server]\nlisten = \"127.0.0.1:0\"\ncolour = \"blue\"\n";
    }
    r = run_binary({"serve", "--config", dir + "/bad.toml"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("unknown key server.colour"), std::string::npos) << r.output;
    std::filesystem::remove_all(dir);
}

TEST(binary, sigterm_finishes_the_request_in_flight_then_exits_zero) {
    const auto dir = make_temp_dir("cli");
    const scratch_database database(dir + "/r.db");
    child_server server({"--db", database.location()});
    // A request whose body is still on its way when the signal arrives.
    net::io_context ioc;
    net::ip::tcp::socket in_flight(ioc);
    in_flight.connect({net::ip::make_address("127.0.0.1"), server.port()});
    const std::string body =
        R"({"email":"late@x.fr","password":"0123456789","display_name":"Late"})";
    net::write(
        in_flight,
        net::buffer("POST /v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10)));
    // An idle keep-alive connection, which is closed at once.
    net::ip::tcp::socket idle(ioc);
    idle.connect({net::ip::make_address("127.0.0.1"), server.port()});
    std::this_thread::sleep_for(std::chrono::milliseconds(200));

    server.signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    net::write(in_flight, net::buffer(body.substr(10)));
    std::string reply;
    boost::system::error_code ec;
    char buffer[4096];
    for (;;) {
        const auto n = in_flight.read_some(net::buffer(buffer), ec);
        reply.append(buffer, n);
        if (ec) break;
    }
    EXPECT_EQ(reply.rfind("HTTP/1.1 201 Created", 0), 0u) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos);
    char byte;
    idle.read_some(net::buffer(&byte, 1), ec);
    EXPECT_EQ(ec, net::error::eof);
    EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0) << server.output();
    EXPECT_NE(server.output().find("stopped"), std::string::npos);
    // The account acknowledged with 201 is in the database.
    const auto r =
        run_binary({"admin", "create", "--db", database.location(), "--email", "late@x.fr"},
                   "0123456789abc\n");
    EXPECT_NE(r.output.find("already exists"), std::string::npos) << r.output;
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace rencontres::testing

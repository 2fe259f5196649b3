// The full request path from raw bytes: Beast's HTTP parser with the server's limits, the
// target split, routing, authentication, JSON decoding and validation, the domain and a real
// SQLite database (a temporary folder, loaded with the demo data). `$ADMIN`, `$ORGANIZER` and
// `$JUROR` in the input stand for valid bearer tokens of those roles, so that inputs reach
// the authorized paths too.
//
// Checked for every input: the server never answers 500, every status is a real one, and every
// JSON body parses.
#include "server/app/application.hpp"
#include "server/transport/logging.hpp"
#include "server/transport/wire.hpp"

#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

namespace {

using namespace rencontres;
namespace bhttp = boost::beast::http;

class harness {
public:
    harness() {
        char pattern[] = "/tmp/rencontres-fuzz-XXXXXX";
        if (!::mkdtemp(pattern)) std::abort();
        dir_ = pattern;
        security::initialize();
        config c;
        c.database.path = dir_ + "/fuzz.db";
        c.database.workers = 1;
        c.log.level = "error";
        validate(c);
        http::configure_logging(c.log.format, c.log.level);
        app_ = std::make_unique<application>(c);
        load_demo(app_->store(), app_->time().now());
        admin_ = token_for(role::admin, "admin@fuzz.example");
        organizer_ = token_for(role::organizer, "organizer@fuzz.example");
        juror_ = token_for(role::jury, "juror@fuzz.example");
    }
    ~harness() {
        app_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::string with_tokens(std::string bytes) const {
        replace_all(bytes, "$ADMIN", admin_);
        replace_all(bytes, "$ORGANIZER", organizer_);
        replace_all(bytes, "$JUROR", juror_);
        return bytes;
    }

    void run(const std::string& bytes) {
        bhttp::request_parser<bhttp::string_body> parser;
        const auto& settings = app_->settings();
        parser.header_limit(static_cast<std::uint32_t>(settings.limits.header_max_bytes));
        parser.body_limit(settings.limits.body_max_bytes);
        parser.eager(true);
        boost::beast::error_code ec;
        boost::asio::const_buffer rest(bytes.data(), bytes.size());
        while (!parser.is_done() && rest.size() > 0) {
            const auto used = parser.put(rest, ec);
            if (ec == bhttp::error::need_more) ec = {};
            if (ec || used == 0) break;
            rest += used;
        }
        if (!ec && !parser.is_done()) parser.put_eof(ec);
        if (ec || !parser.is_done()) return; // the transport answers these (400, 413, 431)

        auto req = http::from_beast(parser.get());
        http::response res;
        if (!http::split_target(req.target, req.path, req.query)) return; // 400 by the server
        const auto& dispatch = app_->dispatcher();
        const auto matched = dispatch.match(req);
        if (auto fast = dispatch.try_fast(matched, req, "fuzz"))
            res = std::move(*fast);
        else
            res = dispatch.run(matched, req, "fuzz", "127.0.0.1");
        check(res);
        // RENCONTRES_FUZZ_TRACE=1 shows what each input reached, to keep the corpus useful.
        if (std::getenv("RENCONTRES_FUZZ_TRACE"))
            std::fprintf(stderr, "%s %s -> %d\n", req.method.c_str(), req.target.c_str(),
                         res.status);
    }

private:
    static void replace_all(std::string& s, std::string_view from, const std::string& to) {
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
            s.replace(at, from.size(), to);
    }

    static void check(const http::response& res) {
        if (res.status < 200 || res.status > 599 || res.status == 500) std::abort();
        const auto type = res.header_value("Content-Type");
        const auto& body = res.shared_body ? *res.shared_body : res.body;
        if (type && type->find("json") != std::string_view::npos && !body.empty()) {
            boost::system::error_code ec;
            (void)boost::json::parse(body, ec);
            if (ec) std::abort();
        }
    }

    // Accounts made through the service, as an admin would: the admin by `create_admin`, the
    // others signed up and given their role by that admin.
    std::string sign_in(const std::string& email) {
        const auto issued = app_->accounts().issue_token({email, password, "fuzz"}, now());
        if (!issued) std::abort();
        return issued->token;
    }
    std::string token_for(role r, const std::string& email) {
        auto& accounts = app_->accounts();
        if (r == role::admin) {
            if (!accounts.create_admin({email, password, email}, now())) std::abort();
            return sign_in(email);
        }
        const auto created = accounts.sign_up({email, password, email}, now());
        const auto admin = accounts.authenticate(admin_, now());
        if (!created || !admin ||
            !accounts.update(*admin, created->id, {std::string(to_string(r)), std::nullopt}, {},
                             now()))
            std::abort();
        return sign_in(email);
    }
    instant now() const { return app_->time().now(); }

    static constexpr const char* password = "correct horse battery";
    std::string dir_;
    std::unique_ptr<application> app_;
    std::string admin_, organizer_, juror_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static harness h;
    h.run(h.with_tokens({reinterpret_cast<const char*>(data), size}));
    return 0;
}

#include "server/transport/logging.hpp"

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <vector>

namespace rencontres::http {
namespace {

bool json_format = false;

// %* writes the message as a JSON string, so that every line is one JSON object.
class json_message_flag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const auto text = boost::json::serialize(
            boost::json::string(std::string_view(msg.payload.data(), msg.payload.size())));
        dest.append(text.data(), text.data() + text.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<json_message_flag>();
    }
};

// Both loggers write whole lines to standard output through its buffer: the access log is
// flushed once a second (not once a request), the main log at every line.
std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const std::string& pattern,
                                            bool json_message) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(std::cout, false);
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    if (json_message) formatter->add_flag<json_message_flag>('*');
    formatter->set_pattern(pattern);
    sink->set_formatter(std::move(formatter));
    return std::make_shared<spdlog::logger>(name, sink);
}

std::string utc_now() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[64]; // room for any int fields, so the compiler can prove no truncation
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count() % 1000));
    return buffer;
}

} // namespace

namespace {

// The access logger, read on every request without the registry's lock. Each one configured
// stays alive for the process (a server may still be logging through the previous one while a
// test configures the next).
std::atomic<spdlog::logger*> access_logger{nullptr};
std::mutex kept_mutex;
std::vector<std::shared_ptr<spdlog::logger>> kept;

} // namespace

void configure_logging(const std::string& format, const std::string& level) {
    json_format = format == "json";
    const std::string text_pattern = "%Y-%m-%dT%H:%M:%S.%eZ %l %v";
    const std::string json_pattern =
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":%*})";
    auto main = make_logger("rencontres", json_format ? json_pattern : text_pattern, json_format);
    auto access = make_logger("access", json_format ? "%v" : text_pattern, false);
    for (auto& logger : {main, access}) {
        logger->set_level(spdlog::level::from_str(level));
        spdlog::drop(logger->name());
        spdlog::register_logger(logger);
    }
    main->flush_on(spdlog::level::trace);
    access->flush_on(spdlog::level::warn);
    {
        std::lock_guard lock(kept_mutex);
        kept.push_back(access);
    }
    access_logger.store(access.get());
    spdlog::set_default_logger(main);
    spdlog::flush_every(std::chrono::seconds(1));
}

void flush_logs() {
    spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
}

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A query parameter's name as the server reads it: percent-decoded, `+` as a space, lower case.
std::string decoded_name(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (c == '%' && i + 2 < name.size() && hex_value(name[i + 1]) >= 0 &&
            hex_value(name[i + 2]) >= 0) {
            c = static_cast<char>(hex_value(name[i + 1]) * 16 + hex_value(name[i + 2]));
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out.push_back(c);
    }
    return out;
}

bool secret_name(std::string_view name) {
    const auto decoded = decoded_name(name);
    for (const std::string_view secret : {"key", "token", "t", "feed_key", "manage_token"})
        if (decoded == secret) return true;
    return false;
}

} // namespace

std::string redact_target(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, question + 1));
    auto query = target.substr(question + 1);
    bool first = true;
    while (!query.empty()) {
        const auto separator = query.find_first_of("&;");
        const auto pair = query.substr(0, separator);
        const auto eq = pair.find('=');
        const auto name = pair.substr(0, eq);
        if (!first) out += '&';
        first = false;
        if (secret_name(name))
            out += std::string(name) + "=redacted";
        else
            out += pair;
        if (separator == std::string_view::npos) break;
        query.remove_prefix(separator + 1);
    }
    return out;
}

void log_access(const access_record& r) {
    auto* logger = access_logger.load(std::memory_order_acquire);
    if (!logger || !logger->should_log(spdlog::level::info)) return;
    const auto target = redact_target(r.target);
    if (json_format) {
        boost::json::object line{{"time", utc_now()},          {"level", "info"},
                                 {"message", "request"},       {"method", r.method},
                                 {"target", target},           {"status", r.status},
                                 {"bytes", r.bytes},           {"duration_ms", r.duration_ms},
                                 {"request_id", r.request_id}, {"client", r.client}};
        logger->info(boost::json::serialize(line));
    } else {
        logger->info("{} {} {} {}B {:.3f}ms id={} client={}", r.method, target, r.status, r.bytes,
                     r.duration_ms, r.request_id, r.client);
    }
}

} // namespace rencontres::http

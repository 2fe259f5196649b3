// Expected failures are values: a domain operation returns result<T>, either a value or a
// domain_error whose code is semantic. The HTTP layer maps codes to statuses in one place.
#pragma once

#include "domain/common/durability.hpp"
#include "domain/common/rules.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rencontres {

enum class errc {
    invalid,             // well-formed but breaks a rule (422)
    not_found,           // unknown or not visible to the caller (404)
    conflict,            // the state forbids it (409)
    forbidden,           // authenticated but not allowed (403)
    unauthenticated,     // missing or invalid credentials (401)
    rate_limited,        // too many attempts (429)
    precondition_failed, // If-Match mismatch (412)
    unavailable,         // temporarily cannot serve (503)
};

struct field_error {
    field_error(std::string field, field_rule broken, std::string message)
        : field(std::move(field)), broken(broken), message(std::move(message)) {}
    std::string field;
    field_rule broken;
    std::string message; // English, for API clients; pages say it in French by `broken`
    bool operator==(const field_error&) const = default;
    // Readable test failures.
    template <class Stream> friend Stream& operator<<(Stream& out, const field_error& e) {
        out << e.field << ": " << name_of(e.broken) << " (" << e.message << ")";
        return out;
    }
};

struct domain_error {
    errc code;
    rule broken; // the stable name of the rule refused (rules.hpp)
    std::string message;
    std::vector<field_error> fields{};
    std::vector<std::string> conflicts{};
    std::optional<std::int64_t> retry_after_seconds{};
    // A refusal can rest on writes not yet durable (a conflict with a registration of the open
    // group): it is shown only once they are.
    durability_ticket durable_after{};
};

inline domain_error invalid_field(std::string field, field_rule broken, std::string message) {
    return {errc::invalid,
            rule::invalid_fields,
            "The request is not valid.",
            {{std::move(field), broken, std::move(message)}}};
}
inline domain_error not_found(rule broken, std::string message) {
    return {errc::not_found, broken, std::move(message)};
}
inline domain_error conflict(rule broken, std::string message) {
    return {errc::conflict, broken, std::move(message)};
}
inline domain_error forbidden(rule broken = rule::not_allowed,
                              std::string message = "You are not allowed to do this.") {
    return {errc::forbidden, broken, std::move(message)};
}
inline domain_error unauthenticated(rule broken = rule::authentication_required,
                                    std::string message = "Authentication is required.") {
    return {errc::unauthenticated, broken, std::move(message)};
}
inline domain_error changed_since_read(std::string message) {
    return {errc::precondition_failed, rule::changed_since_read, std::move(message)};
}

template <class T> class [[nodiscard]] result {
public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    result(domain_error error) : state_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const domain_error& error() const& { return std::get<1>(state_); }
    domain_error& error() & { return std::get<1>(state_); }
    domain_error&& error() && { return std::get<1>(std::move(state_)); }

private:
    std::variant<T, domain_error> state_;
};

template <> class [[nodiscard]] result<void> {
public:
    result() = default;
    result(domain_error error) : error_(std::move(error)) {}

    bool ok() const noexcept { return !error_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    const domain_error& error() const& { return *error_; }
    domain_error&& error() && { return std::move(*error_); }

private:
    std::optional<domain_error> error_;
};

// Collects field errors so that a client learns every problem of a request at once.
class validation {
public:
    void fail(std::string field, field_rule broken, std::string message) {
        fields_.emplace_back(std::move(field), broken, std::move(message));
    }
    bool ok() const noexcept { return fields_.empty(); }
    domain_error error() const {
        return {errc::invalid, rule::invalid_fields, "The request is not valid.", fields_};
    }

private:
    std::vector<field_error> fields_;
};

} // namespace rencontres

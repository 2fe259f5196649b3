// Expected failures are values: a domain operation returns result<T>, either a value or a
// domain_error whose code is semantic. The HTTP layer maps codes to statuses in one place.
#pragma once

#include "domain/common/durability.hpp"

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
    std::string field;
    std::string message;
    bool operator==(const field_error&) const = default;
    // Readable test failures.
    template <class Stream> friend Stream& operator<<(Stream& out, const field_error& e) {
        out << e.field << ": " << e.message;
        return out;
    }
};

struct domain_error {
    errc code;
    std::string message;
    std::vector<field_error> fields{};
    std::vector<std::string> conflicts{};
    std::optional<std::int64_t> retry_after_seconds{};
    // A stable machine-readable name for a specific rule (e.g. "conflict_of_interest"), when
    // clients may want to tell it apart from other errors of the same code.
    std::string reason{};
    // A refusal can rest on writes not yet durable (a conflict with a registration of the open
    // group): it is shown only once they are.
    durability_ticket durable_after{};
};

inline domain_error invalid_field(std::string field, std::string message) {
    return {errc::invalid, "The request is not valid.", {{std::move(field), std::move(message)}}};
}
inline domain_error not_found(std::string message) {
    return {errc::not_found, std::move(message)};
}
inline domain_error conflict(std::string message) {
    return {errc::conflict, std::move(message)};
}
inline domain_error forbidden(std::string message = "You are not allowed to do this.") {
    return {errc::forbidden, std::move(message)};
}
inline domain_error unauthenticated(std::string message = "Authentication is required.") {
    return {errc::unauthenticated, std::move(message)};
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
    void fail(std::string field, std::string message) {
        fields_.push_back({std::move(field), std::move(message)});
    }
    bool ok() const noexcept { return fields_.empty(); }
    domain_error error() const { return {errc::invalid, "The request is not valid.", fields_}; }

private:
    std::vector<field_error> fields_;
};

} // namespace rencontres

// What both storage adapters' connections share, so that one repository code runs on either:
// the error a constraint raises, and binding by position. Each statement implements four
// primitive binds (bind_value for an integer, a real and a text, and bind_null); this gives the
// overloads the repositories call, and bind_all.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rencontres::storage {

// A UNIQUE, CHECK, NOT NULL or FOREIGN KEY constraint refused a write. Repositories turn it into
// a domain error; it never reaches the HTTP layer. Its message names the constraint, never the
// values involved.
class constraint_violation : public std::runtime_error {
public:
    constraint_violation(bool unique, const std::string& what)
        : std::runtime_error(what), unique_(unique) {}
    // A UNIQUE constraint or a primary key: the row exists already.
    bool is_unique() const { return unique_; }

private:
    bool unique_;
};

template <class Statement> class binds_by_position {
public:
    Statement& bind(int index, std::int64_t value) { return self().bind_value(index, value); }
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value) { return self().bind_value(index, value); }
    Statement& bind(int index, std::string_view value) { return self().bind_value(index, value); }
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullopt_t) { return self().bind_null(index); }
    template <class T> Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, std::nullopt);
    }
    template <class... Args> Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return self();
    }

private:
    Statement& self() { return static_cast<Statement&>(*this); }
};

} // namespace rencontres::storage

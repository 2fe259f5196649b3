// Small in-memory implementations of the domain's ports, for domain tests without I/O.
// A unit of work works on a copy of the state and writes it back on commit, so rollback is real.
#pragma once

#include <algorithm>
#include <map>

#include "domain/accounts/ports.hpp"
#include "domain/accounts/repository.hpp"
#include "domain/audit/repository.hpp"
#include "domain/common/text.hpp"
#include "domain/store.hpp"
#include "domain/territories/repository.hpp"

namespace rencontres::testing {

struct memory_state {
    std::map<id_t, account> accounts;
    std::map<std::string, token_record> tokens;
    std::map<id_t, territory> territories;
    std::vector<audit_entry> audit;
    id_t next_id = 1;
};

template <class T> page<T> page_of(std::vector<T> rows, const page_request& request) {
    page<T> out;
    if (static_cast<int>(rows.size()) > request.limit) {
        rows.resize(static_cast<std::size_t>(request.limit));
        out.next_after = rows.back().id;
    }
    out.items = std::move(rows);
    return out;
}

class memory_accounts final : public accounts_repository {
public:
    explicit memory_accounts(memory_state& s) : s_(s) {}
    result<account> insert(const account& draft) override {
        for (const auto& [id, a] : s_.accounts)
            if (a.email == draft.email) return conflict("email taken");
        account created = draft;
        created.id = s_.next_id++;
        s_.accounts[created.id] = created;
        return created;
    }
    std::optional<account> find(id_t id) override {
        const auto it = s_.accounts.find(id);
        return it == s_.accounts.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<account> find_by_email(std::string_view email) override {
        for (const auto& [id, a] : s_.accounts)
            if (a.email == email) return a;
        return std::nullopt;
    }
    page<account> list(const page_request& request) override {
        std::vector<account> rows;
        for (const auto& [id, a] : s_.accounts)
            if (id > request.after.value_or(0)) rows.push_back(a);
        return page_of(rows, request);
    }
    void update(const account& changed) override { s_.accounts[changed.id] = changed; }
    int count_admins() override {
        return static_cast<int>(std::count_if(s_.accounts.begin(), s_.accounts.end(),
                                              [](const auto& e) { return e.second.role == role::admin; }));
    }
    void insert_token(const token_record& token) override { s_.tokens[token.digest] = token; }
    std::optional<token_record> find_token(std::string_view digest) override {
        const auto it = s_.tokens.find(std::string(digest));
        return it == s_.tokens.end() ? std::nullopt : std::optional(it->second);
    }
    void delete_token(std::string_view digest) override { s_.tokens.erase(std::string(digest)); }
    void delete_expired_tokens(instant now) override {
        std::erase_if(s_.tokens, [&](const auto& e) { return e.second.expires_at <= now; });
    }

private:
    memory_state& s_;
};

class memory_territories final : public territories_repository {
public:
    explicit memory_territories(memory_state& s) : s_(s) {}
    result<territory> insert(const territory& draft) override {
        if (find_by_siren(draft.siren)) return conflict("siren taken");
        territory created = draft;
        created.id = s_.next_id++;
        s_.territories[created.id] = created;
        return created;
    }
    result<void> update(const territory& changed) override {
        for (const auto& [id, t] : s_.territories)
            if (t.siren == changed.siren && id != changed.id) return conflict("siren taken");
        s_.territories[changed.id] = changed;
        return {};
    }
    std::optional<territory> find(id_t id) override {
        const auto it = s_.territories.find(id);
        return it == s_.territories.end() ? std::nullopt : std::optional(it->second);
    }
    std::optional<territory> find_by_siren(std::string_view siren) override {
        for (const auto& [id, t] : s_.territories)
            if (t.siren == siren) return t;
        return std::nullopt;
    }
    page<territory> list(const territory_filter& filter, const page_request& request) override {
        std::vector<territory> rows;
        for (const auto& [id, t] : s_.territories) {
            if (id <= request.after.value_or(0)) continue;
            if (filter.region && t.region != *filter.region) continue;
            if (filter.q && search_fold(t.name).find(*filter.q) == std::string::npos) continue;
            rows.push_back(t);
        }
        return page_of(rows, request);
    }

private:
    memory_state& s_;
};

class memory_audit final : public audit_repository {
public:
    explicit memory_audit(memory_state& s) : s_(s) {}
    void append(const audit_entry& entry) override {
        audit_entry stored = entry;
        stored.id = s_.next_id++;
        s_.audit.push_back(stored);
    }
    page<audit_entry> list(const audit_filter& filter, const page_request& request) override {
        std::vector<audit_entry> rows;
        for (auto it = s_.audit.rbegin(); it != s_.audit.rend(); ++it) {
            if (request.after && it->id >= *request.after) continue;
            if (filter.entity && it->entity != *filter.entity) continue;
            if (filter.actor_id && it->actor_id != filter.actor_id) continue;
            rows.push_back(*it);
        }
        return page_of(rows, request);
    }

private:
    memory_state& s_;
};

class memory_store final : public store {
public:
    class uow final : public unit_of_work {
    public:
        explicit uow(memory_store& owner) : owner_(owner), copy_(owner.state), accounts_(copy_),
                                            territories_(copy_), audit_(copy_) {}
        accounts_repository& accounts() override { return accounts_; }
        territories_repository& territories() override { return territories_; }
        audit_repository& audit() override { return audit_; }
        void commit() override {
            owner_.state = copy_;
            ++owner_.commits;
        }

    private:
        memory_store& owner_;
        memory_state copy_;
        memory_accounts accounts_;
        memory_territories territories_;
        memory_audit audit_;
    };

    std::unique_ptr<unit_of_work> begin(access) override { return std::make_unique<uow>(*this); }
    bool ready() override { return true; }

    memory_state state;
    int commits = 0;
};

class fake_hasher final : public password_hasher {
public:
    std::string hash(std::string_view password) override { return "hashed:" + std::string(password); }
    bool verify(std::string_view stored, std::string_view password) override {
        return stored == "hashed:" + std::string(password);
    }
};

class fake_minter final : public token_minter {
public:
    std::string mint() override { return "token-" + std::to_string(++count_); }
    std::string digest(std::string_view token) override { return "digest:" + std::string(token); }

private:
    int count_ = 0;
};

inline instant at(const char* text) { return *parse_instant(text); }

} // namespace rencontres::testing

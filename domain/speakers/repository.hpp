#pragma once

#include "domain/speakers/model.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace rencontres {

class speakers_repository {
public:
    virtual ~speakers_repository() = default;
    virtual speaker insert(const speaker& draft) = 0;
    virtual void update(const speaker& changed) = 0; // re-indexes the events where it speaks
    virtual std::optional<speaker> find(id_t id) = 0;
    virtual std::vector<speaker> find_many(const std::vector<id_t>& ids) = 0;
    // By id; `q` matches the folded name or organization.
    virtual page<speaker> list(const std::optional<std::string>& q,
                               const page_request& request) = 0;
    virtual void remove(id_t id) = 0;
    virtual bool scheduled(id_t id) = 0;
};

} // namespace rencontres

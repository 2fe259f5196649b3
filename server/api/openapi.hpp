// The OpenAPI document (schemas/openapi.yaml, embedded at build time) is the single source of
// truth for shapes: it is served at /openapi.json and its component schemas validate request
// bodies at run time (unknown fields, types, required fields); the domain checks the rules.
#pragma once

#include "domain/common/result.hpp"

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace valijson {
class Schema;
}

namespace rencontres::http {

// Converts YAML text to JSON: quoted scalars stay strings, plain ones become numbers, booleans
// or null when they read as such.
boost::json::value yaml_to_json(std::string_view yaml);

class api_document {
public:
    explicit api_document(std::string_view yaml);
    ~api_document();

    const boost::json::value& json() const { return doc_; }
    const std::string& json_text() const { return text_; }

    // Field errors of `value` against components/schemas/<name> ("venue.city", "links[0]").
    std::vector<field_error> validate(std::string_view schema_name,
                                      const boost::json::value& value) const;
    // Field errors of `value` against an arbitrary schema node of this document.
    std::vector<field_error> validate_node(const boost::json::value& schema,
                                           const boost::json::value& value) const;

private:
    std::unique_ptr<valijson::Schema> compile(const boost::json::value& schema) const;

    boost::json::value doc_;
    std::string text_;
    std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> components_;
};

// The document embedded in the binary, parsed once.
const api_document& embedded_api();

} // namespace rencontres::http

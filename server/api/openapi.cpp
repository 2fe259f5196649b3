#include "server/api/openapi.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>
#include <yaml-cpp/yaml.h>

namespace rencontres::embedded {
extern const std::string_view openapi_yaml;
}

namespace rencontres::http {
namespace {

boost::json::value scalar_to_json(const YAML::Node& node) {
    const std::string& text = node.Scalar();
    if (node.Tag() == "!") return boost::json::string(text); // quoted
    if (text == "null" || text == "~" || text.empty()) return nullptr;
    if (text == "true") return true;
    if (text == "false") return false;
    std::int64_t integer = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (ec == std::errc{} && end == text.data() + text.size()) return integer;
    double real = 0;
    const auto [rend, rec] = std::from_chars(text.data(), text.data() + text.size(), real);
    if (rec == std::errc{} && rend == text.data() + text.size()) return real;
    return boost::json::string(text);
}

boost::json::value node_to_json(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        boost::json::object out;
        for (const auto& item : node)
            out[item.first.Scalar()] = node_to_json(item.second);
        return out;
    }
    case YAML::NodeType::Sequence: {
        boost::json::array out;
        for (const auto& item : node)
            out.push_back(node_to_json(item));
        return out;
    }
    case YAML::NodeType::Scalar:
        return scalar_to_json(node);
    default:
        return nullptr;
    }
}

// valijson names the place of an error as {"<root>", "[venue]", "[city]"} or "[0]" for items.
std::string field_of(const std::vector<std::string>& context) {
    std::string field;
    for (const auto& part : context) {
        if (part == "<root>" || part.size() < 2) continue;
        const auto inner = part.substr(1, part.size() - 2);
        const bool index =
            !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
        if (index)
            field += "[" + inner + "]";
        else
            field += (field.empty() ? "" : ".") + inner;
    }
    return field;
}

std::string quoted_name(const std::string& description) {
    const auto close = description.rfind('\'');
    const auto open = close == std::string::npos ? close : description.rfind('\'', close - 1);
    if (open == std::string::npos) return {};
    return description.substr(open + 1, close - open - 1);
}

field_error to_field_error(const valijson::ValidationResults::Error& e) {
    auto field = field_of(e.context);
    const auto& d = e.description;
    const auto join = [&](const std::string& name) {
        return field.empty() ? name : field + "." + name;
    };
    if (d.find("could not be validated using 'properties' or 'additionalProperties'") !=
        std::string::npos)
        return {join(quoted_name(d)), field_rule::not_accepted, "is not a known field"};
    if (d.rfind("Missing required property", 0) == 0)
        return {join(quoted_name(d)), field_rule::required, "is required"};
    if (d.find("not permitted by 'type'") != std::string::npos)
        return {field, field_rule::format, "has the wrong type"};
    if (d.find("enum") != std::string::npos)
        return {field, field_rule::choice, "is not one of the allowed values"};
    if (d.find("String should be no") != std::string::npos ||
        d.find("String should be at least") != std::string::npos ||
        d.find("length") != std::string::npos)
        return {field, field_rule::length, "has a length out of range"};
    if (d.find("pattern") != std::string::npos)
        return {field, field_rule::format, "has an invalid format"};
    if (d.find("minimum") != std::string::npos || d.find("maximum") != std::string::npos)
        return {field, field_rule::range, "is out of range"};
    return {field, field_rule::format, "is not valid"};
}

} // namespace

boost::json::value yaml_to_json(std::string_view yaml) {
    return node_to_json(YAML::Load(std::string(yaml)));
}

api_document::api_document(std::string_view yaml)
    : doc_(yaml_to_json(yaml)), text_(boost::json::serialize(doc_)) {
    const auto* components = doc_.as_object().if_contains("components");
    const auto* schemas = components ? components->as_object().if_contains("schemas") : nullptr;
    if (!schemas) return;
    for (const auto& [name, schema] : schemas->as_object()) {
        boost::json::object ref;
        ref["$ref"] = "#/components/schemas/" + std::string(name);
        components_.emplace(std::string(name), compile(ref));
    }
}

api_document::~api_document() = default;

std::unique_ptr<valijson::Schema> api_document::compile(const boost::json::value& schema) const {
    // Compile the schema inside a copy of the document's components so that `$ref`s resolve.
    boost::json::object root = schema.is_object() ? schema.as_object() : boost::json::object{};
    if (const auto* components = doc_.as_object().if_contains("components"))
        root["components"] = *components;
    const boost::json::value root_value = std::move(root);
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser;
    valijson::adapters::BoostJsonAdapter adapter(root_value);
    parser.populateSchema(adapter, *compiled);
    return compiled;
}

static std::vector<field_error> run(const valijson::Schema& schema,
                                    const boost::json::value& value) {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::BoostJsonAdapter target(value);
    std::vector<field_error> errors;
    if (validator.validate(schema, target, &results)) return errors;
    valijson::ValidationResults::Error e;
    while (results.popError(e)) {
        // valijson reports each failure again on every enclosing object; keep the innermost.
        if (e.description.rfind("Failed to validate", 0) == 0) continue;
        auto fe = to_field_error(e);
        bool seen = false;
        for (const auto& known : errors)
            seen = seen || known == fe;
        if (!seen) errors.push_back(std::move(fe));
    }
    if (errors.empty()) errors.emplace_back("", field_rule::format, "is not valid");
    return errors;
}

std::vector<field_error> api_document::validate(std::string_view schema_name,
                                                const boost::json::value& value) const {
    const auto it = components_.find(schema_name);
    if (it == components_.end())
        throw std::logic_error("no schema named " + std::string(schema_name));
    return run(*it->second, value);
}

std::vector<field_error> api_document::validate_node(const boost::json::value& schema,
                                                     const boost::json::value& value) const {
    return run(*compile(schema), value);
}

const api_document& embedded_api() {
    static const api_document document(embedded::openapi_yaml);
    return document;
}

} // namespace rencontres::http

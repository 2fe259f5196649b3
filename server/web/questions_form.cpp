#include "server/web/questions_form.hpp"

#include "server/web/pages.hpp"

#include <algorithm>

namespace rencontres::web {

std::string question_field_id(const std::string& code) {
    return "reponse-" + code;
}

answer_map answers_from_form(const std::vector<question>& questions,
                             const std::multimap<std::string, std::string>& form,
                             typed_answers& typed) {
    answer_map out;
    for (const auto& q : questions) {
        auto values = form_values(form, question_field_id(q.code));
        std::erase_if(values, [](const std::string& value) { return value.empty(); });
        typed[q.code] = values;
        if (values.empty()) continue;
        switch (q.kind) {
        case question_kind::text:
        case question_kind::choice:
            out[q.code] = values.front();
            break;
        case question_kind::choices:
            out[q.code] = values;
            break;
        case question_kind::boolean:
            if (values.front() == "oui" || values.front() == "non")
                out[q.code] = values.front() == "oui";
            else
                out[q.code] = values.front(); // the domain says it is not a yes or a no
            break;
        }
    }
    return out;
}

typed_answers typed_from(const std::vector<question>& questions, const answer_map& answers) {
    typed_answers out;
    for (const auto& q : questions) {
        const auto it = answers.find(q.code);
        if (it == answers.end()) continue;
        if (const auto* flag = std::get_if<bool>(&it->second))
            out[q.code] = {*flag ? "oui" : "non"};
        else if (const auto* text = std::get_if<std::string>(&it->second))
            out[q.code] = {*text};
        else if (const auto* list = std::get_if<std::vector<std::string>>(&it->second))
            out[q.code] = *list;
    }
    return out;
}

view_list question_views(const std::vector<question>& questions, const typed_answers& typed,
                         const std::map<std::string, std::string>& errors) {
    auto out = list_view();
    for (const auto& q : questions) {
        const auto id = question_field_id(q.code);
        const auto it = typed.find(q.code);
        const std::vector<std::string> none;
        const auto& values = it == typed.end() ? none : it->second;
        const auto has = [&](const std::string& value) {
            return std::find(values.begin(), values.end(), value) != values.end();
        };
        view v;
        v.set("field_id", id);
        v.set("question_label", q.label);
        v.set("optional", flag(!q.required));
        if (q.help) v.set("help", *q.help);
        if (const auto e = errors.find(id); e != errors.end()) v.set("problem", e->second);
        v.set("is_text", flag(q.kind == question_kind::text));
        v.set("is_group", flag(q.kind != question_kind::text));
        v.set("multiple", flag(q.kind == question_kind::choices));
        if (q.kind == question_kind::text) v.set("typed", values.empty() ? "" : values.front());
        auto options = list_view();
        const auto add = [&](const std::string& code, const std::string& label, std::size_t i) {
            view o;
            o.set("option_id", id + "-" + std::to_string(i));
            o.set("option_value", code);
            o.set("option_label", label);
            o.set("checked", flag(has(code)));
            options.push_back(o);
        };
        if (q.kind == question_kind::boolean) {
            add("oui", "Oui", 0);
            add("non", "Non", 1);
        }
        for (std::size_t i = 0; i < q.options.size(); ++i)
            add(q.options[i].code, q.options[i].label, i);
        v.set("choices", options);
        out.push_back(v);
    }
    return out;
}

} // namespace rencontres::web

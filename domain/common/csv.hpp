// CSV (RFC 4180) records: fields quoted when they hold a comma, a quote or a line break; quotes
// doubled; CRLF line ends. A field starting with = + - @ (or a tab or carriage return) is
// prefixed with an apostrophe so that a spreadsheet shows it as text instead of running it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rencontres {

// `separator`: ',' (RFC 4180), or ';' as French spreadsheets read CSV.
std::string csv_field(std::string_view value, char separator = ',');
std::string csv_record(const std::vector<std::string>& fields, char separator = ',');

} // namespace rencontres

// Printed documents as PDF (API.md §8): name badges and attendance certificates, laid out with
// Pango (real text layout: French names and long organization names shrink, then wrap, then are
// cut with an ellipsis — they never overflow their box) and drawn with Cairo, fonts embedded.
//
// Cairo hands each page to the output as it is finished: memory holds the document being
// written, not a picture of every page.
#pragma once

#include "domain/registrations/service.hpp"

#include <functional>
#include <string>

namespace rencontres::documents {

enum class badge_layout {
    a4_8, // eight badges of 105 × 74 mm on an A4 sheet, with cut lines
    a6    // one badge of 105 × 148 mm per page
};

// The check-in link of a registration, which the badge's QR code holds.
using link_of = std::function<std::string(id_t registration_id)>;

std::string badges_pdf(const badge_sheet& sheet, badge_layout layout, const link_of& check_in);

std::string certificate_pdf(const attendance_certificate& c);

} // namespace rencontres::documents

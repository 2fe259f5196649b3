// QR codes as inline SVG (libqrencode), for the check-in link of a participant's page.
#pragma once

#include <string>
#include <string_view>

namespace rencontres::render {

// An <svg> drawing `text` as a QR code (error correction M), labelled for screen readers.
std::string qr_svg(std::string_view text, std::string_view label);

} // namespace rencontres::render

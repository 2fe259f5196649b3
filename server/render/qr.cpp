#include "server/render/qr.hpp"

#include "server/render/templates.hpp"

#include <memory>
#include <qrencode.h>
#include <string>

namespace rencontres::render {

std::string qr_svg(std::string_view text, std::string_view label) {
    const std::string data(text);
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return {};
    const int width = code->width;
    constexpr int quiet = 4; // the blank border readers need
    const int size = width + 2 * quiet;
    std::string path;
    for (int y = 0; y < width; ++y)
        for (int x = 0; x < width; ++x)
            if (code->data[y * width + x] & 1)
                path +=
                    "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
           std::to_string(size) + "\" role=\"img\" aria-label=\"" + escape_html(label) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
           "fill=\"#fff\"/><path fill=\"#000\" d=\"" +
           path + "\"/></svg>";
}

} // namespace rencontres::render

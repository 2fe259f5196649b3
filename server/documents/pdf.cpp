#include "server/documents/pdf.hpp"

#include "domain/common/french.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <cstdint>
#include <memory>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdexcept>

// fontconfig (under Pango) allocates its configuration once for the life of the process and never
// frees it: LeakSanitizer, in the sanitized test and fuzzing builds, would report it at every
// exit. This hook is read by LeakSanitizer only; other builds ignore it.
extern "C" const char* __lsan_default_suppressions() {
    return "leak:libfontconfig.so\n";
}

namespace rencontres::documents {
namespace {

constexpr double mm = 72.0 / 25.4; // PDF units are points
constexpr const char* family = "DejaVu Sans";

using surface_ptr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using context_ptr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using layout_ptr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;
using font_ptr = std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)>;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

// A PDF written into a string, page by page.
struct pdf {
    std::string bytes;
    surface_ptr surface{nullptr, &cairo_surface_destroy};
    context_ptr cr{nullptr, &cairo_destroy};

    pdf(double width, double height, const std::string& title) {
        surface.reset(cairo_pdf_surface_create_for_stream(append, &bytes, width, height));
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Rencontres");
        cr.reset(cairo_create(surface.get()));
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error("cannot start a PDF");
    }
    std::string finish() {
        cr.reset();
        cairo_surface_finish(surface.get());
        if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
            throw std::runtime_error("cannot write the PDF");
        surface.reset();
        return std::move(bytes);
    }
};

enum class align { left, center };

struct text_box {
    double x, y, width, height; // points
    double largest, smallest;   // font sizes, points
    int lines;                  // at most
    bool bold = false;
    align alignment = align::left;
};

// Draws `text` in the box at the largest size that fits in `lines` lines; at the smallest size,
// what still does not fit is cut with an ellipsis. Returns the height used.
double draw_text(cairo_t* cr, const std::string& text, const text_box& box) {
    if (text.empty()) return 0;
    layout_ptr layout(pango_cairo_create_layout(cr), &g_object_unref);
    // One point of font size is one unit of the page.
    pango_cairo_context_set_resolution(pango_layout_get_context(layout.get()), 72);
    pango_layout_context_changed(layout.get());
    font_ptr font(pango_font_description_new(), &pango_font_description_free);
    pango_font_description_set_family(font.get(), family);
    pango_font_description_set_weight(font.get(),
                                      box.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_text(layout.get(), text.c_str(), -1);
    pango_layout_set_width(layout.get(), static_cast<int>(box.width * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), box.alignment == align::center ? PANGO_ALIGN_CENTER
                                                                            : PANGO_ALIGN_LEFT);
    int width = 0, height = 0;
    for (double size = box.largest; size >= box.smallest; size -= 0.5) {
        pango_font_description_set_size(font.get(), static_cast<int>(size * PANGO_SCALE));
        pango_layout_set_font_description(layout.get(), font.get());
        pango_layout_get_pixel_size(layout.get(), &width, &height);
        if (height <= box.height && pango_layout_get_line_count(layout.get()) <= box.lines) break;
    }
    if (height > box.height || pango_layout_get_line_count(layout.get()) > box.lines) {
        pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
        pango_layout_set_height(layout.get(), -box.lines);
        pango_layout_get_pixel_size(layout.get(), &width, &height);
    }
    cairo_move_to(cr, box.x, box.y);
    pango_cairo_show_layout(cr, layout.get());
    return height;
}

// A QR code of `text`, `size` points wide with its quiet zone, at (x, y): a bitmap of 8 × 8
// pixels per module (sharp however a viewer or a printer scales it), which compresses to a few
// hundred bytes in the PDF where a rectangle per module costs kilobytes per badge.
void draw_qr(cairo_t* cr, const std::string& text, double x, double y, double size) {
    const std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return;
    constexpr int quiet = 4, scale = 8;
    const int side = (code->width + 2 * quiet) * scale;
    const surface_ptr bitmap(cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side),
                             &cairo_surface_destroy);
    cairo_surface_flush(bitmap.get());
    auto* pixels = cairo_image_surface_get_data(bitmap.get());
    const int stride = cairo_image_surface_get_stride(bitmap.get());
    for (int row = 0; row < side; ++row) {
        auto* line = reinterpret_cast<std::uint32_t*>(pixels + row * stride);
        for (int col = 0; col < side; ++col) {
            const int r = row / scale - quiet, c = col / scale - quiet;
            const bool dark = r >= 0 && c >= 0 && r < code->width && c < code->width &&
                              (code->data[r * code->width + c] & 1);
            line[col] = dark ? 0x000000 : 0xFFFFFF;
        }
    }
    cairo_surface_mark_dirty(bitmap.get());
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, size / side, size / side);
    cairo_set_source_surface(cr, bitmap.get(), 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_restore(cr);
}

// "mardi" → "Mardi" (French day names begin with an ASCII letter).
std::string capitalize_first(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z')
        text[0] = static_cast<char>(text[0] - 32);
    return text;
}

std::string event_when(const event& e) {
    if (!e.starts_at || !e.ends_at) return "Date à venir";
    return french_span(*e.starts_at, *e.ends_at, e.timezone);
}

std::string event_place(const event& e) {
    std::string place = e.venue.name;
    const auto town =
        e.venue.postal_code.empty() ? e.venue.city : e.venue.postal_code + " " + e.venue.city;
    for (const auto& part : {e.venue.address, town})
        if (!part.empty()) place += (place.empty() ? "" : ", ") + part;
    return place;
}

// Where each part of a badge goes, in millimetres from the badge's corner.
struct badge_geometry {
    double width, height;
    text_box title, when, name, organization;
    double qr_size, qr_x, qr_y;
};

badge_geometry geometry_of(badge_layout layout) {
    if (layout == badge_layout::a6)
        return {105,
                148,
                {8, 8, 89, 14, 12, 8, 2, true, align::center},
                {8, 23, 89, 6, 9, 7, 1, false, align::center},
                {8, 40, 89, 30, 30, 14, 2, true, align::center},
                {8, 72, 89, 20, 16, 9, 2, false, align::center},
                38,
                33.5,
                100};
    return {105,
            74.25,
            {6, 5, 93, 8, 9, 6, 2, true, align::left},
            {6, 13.5, 93, 4, 7, 6, 1, false, align::left},
            {6, 19, 93, 15, 22, 10, 2, true, align::left},
            {6, 34.5, 93, 10, 12, 7, 2, false, align::left},
            23,
            105 - 6 - 23,
            74.25 - 4 - 23};
}

text_box at(const text_box& b, double x, double y) {
    auto out = b;
    out.x = x + b.x * mm;
    out.y = y + b.y * mm;
    out.width = b.width * mm;
    out.height = b.height * mm;
    return out;
}

void draw_badge(cairo_t* cr, const badge_geometry& g, double x, double y, const badge& b,
                const event& e, const std::string& link) {
    cairo_set_source_rgb(cr, 0.04, 0.25, 0.55); // the site's blue
    draw_text(cr, e.title, at(g.title, x, y));
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    draw_text(cr, capitalize_first(event_when(e)), at(g.when, x, y));
    cairo_set_source_rgb(cr, 0, 0, 0);
    draw_text(cr, b.full_name, at(g.name, x, y));
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    if (b.organization) draw_text(cr, *b.organization, at(g.organization, x, y));
    draw_qr(cr, link, x + g.qr_x * mm, y + g.qr_y * mm, g.qr_size * mm);
}

} // namespace

std::string badges_pdf(const badge_sheet& sheet, badge_layout layout, const link_of& check_in) {
    const auto g = geometry_of(layout);
    const bool sheet_of_eight = layout == badge_layout::a4_8;
    const double page_width = sheet_of_eight ? 210 * mm : g.width * mm;
    const double page_height = sheet_of_eight ? 297 * mm : g.height * mm;
    pdf out(page_width, page_height, "Badges — " + sheet.event.title);
    cairo_t* cr = out.cr.get();
    const std::size_t per_page = sheet_of_eight ? 8 : 1;
    for (std::size_t i = 0; i < sheet.badges.size(); ++i) {
        const auto slot = i % per_page;
        const double x = sheet_of_eight ? (slot % 2) * g.width * mm : 0;
        const double y = sheet_of_eight ? (slot / 2) * g.height * mm : 0;
        if (sheet_of_eight) { // a light cut line around each badge
            cairo_set_source_rgb(cr, 0.8, 0.8, 0.8);
            cairo_set_line_width(cr, 0.5);
            cairo_rectangle(cr, x, y, g.width * mm, g.height * mm);
            cairo_stroke(cr);
        }
        draw_badge(cr, g, x, y, sheet.badges[i], sheet.event,
                   check_in(sheet.badges[i].registration_id));
        if (slot == per_page - 1 || i + 1 == sheet.badges.size()) cairo_show_page(cr);
    }
    if (sheet.badges.empty()) {
        draw_text(cr, "Aucune inscription confirmée pour « " + sheet.event.title + " ».",
                  {20 * mm, 20 * mm, page_width - 40 * mm, 40 * mm, 12, 8, 3});
        cairo_show_page(cr);
    }
    return out.finish();
}

std::string certificate_pdf(const attendance_certificate& c) {
    const double width = 210 * mm, height = 297 * mm, margin = 25 * mm;
    const double text_width = width - 2 * margin;
    pdf out(width, height, "Attestation de présence — " + c.registration.full_name);
    cairo_t* cr = out.cr.get();
    const auto& e = c.event;
    const auto& r = c.registration;
    double y = 30 * mm;
    cairo_set_source_rgb(cr, 0.04, 0.25, 0.55);
    y += draw_text(cr, "Attestation de présence",
                   {margin, y, text_width, 20 * mm, 24, 16, 1, true, align::center}) +
         12 * mm;
    cairo_set_source_rgb(cr, 0, 0, 0);
    std::string who = r.full_name;
    if (r.organization) who += " (" + *r.organization + ")";
    const auto place = event_place(e);
    std::string statement =
        "Les organisateurs de la rencontre « " + e.title + " » attestent que " + who +
        " a participé à cette rencontre, tenue " + event_when(e) +
        (e.timezone == "Europe/Paris" ? std::string(" (heure de Paris)")
                                      : " (fuseau horaire " + e.timezone + ")") +
        (place.empty() ? "" : ", " + place) + ".";
    y += draw_text(cr, statement, {margin, y, text_width, 60 * mm, 12, 9, 8}) + 6 * mm;
    if (r.checked_in_at)
        y += draw_text(cr,
                       "Accueil enregistré le " + french_date(*r.checked_in_at, e.timezone) +
                           " à " + french_time(*r.checked_in_at, e.timezone) + ".",
                       {margin, y, text_width, 12 * mm, 11, 8, 2}) +
             8 * mm;
    if (!c.sessions.empty()) {
        cairo_set_source_rgb(cr, 0.04, 0.25, 0.55);
        y += draw_text(cr, "Séances suivies", {margin, y, text_width, 10 * mm, 14, 10, 1, true}) +
             3 * mm;
        cairo_set_source_rgb(cr, 0, 0, 0);
        for (const auto& s : c.sessions) {
            if (y > height - 70 * mm) { // the rest on the next page
                cairo_show_page(cr);
                y = margin;
            }
            const auto day = french_date(s.starts_at, e.timezone);
            y += draw_text(cr,
                           "• " + capitalize_first(day) + ", " +
                               french_hours(s.starts_at, s.ends_at, e.timezone) + " : " + s.title,
                           {margin + 4 * mm, y, text_width - 4 * mm, 15 * mm, 10.5, 8, 3}) +
                 1.5 * mm;
        }
        y += 6 * mm;
    }
    std::string issuers;
    for (const auto& name : c.organizers)
        issuers += (issuers.empty() ? "" : ", ") + name;
    y = std::max(y, height - 60 * mm);
    draw_text(cr,
              "Délivrée le " + french_date(c.issued_at, e.timezone) +
                  (issuers.empty() ? std::string(" par les organisateurs.")
                                   : " par les organisateurs : " + issuers + "."),
              {margin, y, text_width, 25 * mm, 11, 8, 4});
    cairo_show_page(cr);
    return out.finish();
}

} // namespace rencontres::documents

#include "server/notify/mail.hpp"

#include "server/render/mail_text.hpp"
#include "server/render/templates.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <sodium.h>

namespace rencontres::notify {
namespace {

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

// Base64 in lines of 76 characters, as MIME bodies are written.
std::string base64_lines(std::string_view bytes) {
    const auto flat = base64(bytes);
    std::string out;
    for (std::size_t i = 0; i < flat.size(); i += 76)
        out += flat.substr(i, 76) + "\r\n";
    return out;
}

bool plain_ascii(std::string_view text) {
    for (const unsigned char c : text)
        if (c >= 0x80 || c < 0x20) return false;
    return true;
}

// Length of the UTF-8 character that starts with `lead`.
std::size_t utf8_length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

// Header values may not carry line breaks: a subject or an address never adds a header.
std::string one_line(std::string_view text) {
    std::string out;
    for (const char c : text)
        out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

} // namespace

std::string encode_header(std::string_view text) {
    const auto line = one_line(text);
    if (plain_ascii(line)) return line;
    // Each word: "=?UTF-8?B?" + base64 of at most 45 bytes + "?=" stays within 75 characters,
    // and never splits a character.
    std::string out;
    std::size_t i = 0;
    while (i < line.size()) {
        std::size_t end = i;
        while (end < line.size()) {
            const auto next = end + utf8_length(static_cast<unsigned char>(line[end]));
            if (next - i > 45) break;
            end = next;
        }
        if (!out.empty()) out += "\r\n ";
        out += "=?UTF-8?B?" + base64(std::string_view(line).substr(i, end - i)) + "?=";
        i = end;
    }
    return out;
}

std::string rfc5322_date(instant at) {
    const auto t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed",
                                                     "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday],
                  utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                  utc.tm_sec);
    return buf;
}

std::string bare_address(std::string_view mailbox) {
    const auto open = mailbox.rfind('<');
    const auto close = mailbox.rfind('>');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return std::string(mailbox);
    return std::string(mailbox.substr(open + 1, close - open - 1));
}

// A display name is encoded, the address kept as it is.
static std::string mailbox_header(std::string_view mailbox) {
    const auto open = mailbox.rfind('<');
    if (open == std::string_view::npos || open == 0) return one_line(mailbox);
    auto name = std::string(mailbox.substr(0, open));
    while (!name.empty() && name.back() == ' ')
        name.pop_back();
    return encode_header(name) + " " + one_line(mailbox.substr(open));
}

std::string compose_mail(const outbox_message& m, const mail_identity& who,
                         const mail_extras& extras, instant now) {
    const auto id = id_text(m.id);
    const auto alternative = "=_rencontres_alt_" + id;
    const auto mixed = "=_rencontres_mix_" + id;

    const auto text =
        render::mail_text(m, extras.link, extras.report_link, extras.calendar.has_value());
    std::string crlf_text;
    for (const char c : text) {
        if (c == '\n') crlf_text += '\r';
        crlf_text += c;
    }

    render::view v;
    v.set("subject", m.subject);
    auto list = render::list_view();
    for (const auto& p : render::paragraphs(m.body))
        list.push_back(render::view(p));
    v.set("paragraphs", list);
    if (extras.link) {
        v.set("link", *extras.link);
        v.set("link_text", render::mail_link_text(m.kind));
    }
    if (extras.report_link) v.set("report_link", *extras.report_link);
    v.set("calendar", render::flag(extras.calendar.has_value()));
    v.set("footer", render::mail_footer(m));
    const auto html = render::html("mail", v);

    std::string out;
    out += "From: " + mailbox_header(who.from) + "\r\n";
    out += "To: " + one_line(m.recipient) + "\r\n";
    // Replies go to the event's organizers when the message is about one, else where the server
    // says (smtp.reply_to), if anywhere.
    if (m.reply_to)
        out += "Reply-To: " + one_line(*m.reply_to) + "\r\n";
    else if (!who.reply_to.empty())
        out += "Reply-To: " + mailbox_header(who.reply_to) + "\r\n";
    out += "Subject: " + encode_header(m.subject) + "\r\n";
    out += "Date: " + rfc5322_date(now) + "\r\n";
    out += "Message-ID: <outbox-" + id + "@" + who.domain + ">\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    // RFC 8058: a mail client may offer the report link as its one-click "unsubscribe".
    if (extras.report_link) {
        out += "List-Unsubscribe: <" + one_line(*extras.report_link) + ">\r\n";
        out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    const auto alternative_part = "Content-Type: multipart/alternative; boundary=\"" + alternative +
                                  "\"\r\n\r\n--" + alternative +
                                  "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                                  "Content-Transfer-Encoding: base64\r\n\r\n" +
                                  base64_lines(crlf_text) + "--" + alternative +
                                  "\r\nContent-Type: text/html; charset=utf-8\r\n"
                                  "Content-Transfer-Encoding: base64\r\n\r\n" +
                                  base64_lines(html) + "--" + alternative + "--\r\n";
    if (!extras.calendar) return out + alternative_part;
    out += "Content-Type: multipart/mixed; boundary=\"" + mixed + "\"\r\n\r\n";
    out += "--" + mixed + "\r\n" + alternative_part;
    out += "--" + mixed +
           "\r\nContent-Type: text/calendar; charset=utf-8; method=PUBLISH\r\n"
           "Content-Disposition: attachment; filename=\"rencontre.ics\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" +
           base64_lines(*extras.calendar);
    out += "--" + mixed + "--\r\n";
    return out;
}

} // namespace rencontres::notify

#include "registry/validation.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sahil::registry {
namespace {

bool is_ascii_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_ascii_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower(char c) noexcept {
    return c >= 'a' && c <= 'z';
}
bool is_space(char c) noexcept {
    return c == ' ' || c == '\t';
}

bool has_surrounding_space(std::string_view text) noexcept {
    return !text.empty() && (is_space(text.front()) || is_space(text.back()));
}

/// Code points that must not appear in a name: they are invisible, break lines, or reorder the
/// display (bidirectional overrides/isolates can make one name look like another). Zero-width
/// joiner/non-joiner (U+200C/D) stay allowed: Urdu and Persian spelling needs them.
bool is_forbidden_code_point(char32_t cp) noexcept {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

struct TextScan {
    std::size_t code_points = 0;
    bool valid_utf8 = true;
    std::optional<char32_t> forbidden; // first forbidden code point, if any
};

/// Decodes UTF-8 strictly (no overlongs, surrogates or values above U+10FFFF; RFC 3629 §4).
TextScan scan_text(std::string_view text) noexcept {
    TextScan scan;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t cp = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (lead < 0x80) {
            length = 1;
            cp = lead;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            cp = lead & 0x1Fu;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            cp = lead & 0x0Fu;
            low = lead == 0xE0 ? 0xA0 : 0x80;  // no overlong forms
            high = lead == 0xED ? 0x9F : 0xBF; // no UTF-16 surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            cp = lead & 0x07u;
            low = lead == 0xF0 ? 0x90 : 0x80;
            high = lead == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        } else {
            scan.valid_utf8 = false;
            return scan;
        }
        if (text.size() - i < length) {
            scan.valid_utf8 = false;
            return scan;
        }
        for (std::size_t k = 1; k < length; ++k) {
            const auto byte = static_cast<unsigned char>(text[i + k]);
            const unsigned char min = k == 1 ? low : 0x80;
            const unsigned char max = k == 1 ? high : 0xBF;
            if (byte < min || byte > max) {
                scan.valid_utf8 = false;
                return scan;
            }
            cp = (cp << 6) | (byte & 0x3Fu);
        }
        if (!scan.forbidden && is_forbidden_code_point(cp)) {
            scan.forbidden = cp;
        }
        ++scan.code_points;
        i += length;
    }
    return scan;
}

/// Shared rules for free text (name, home harbour). Returns the first problem.
std::optional<std::string> check_text(std::string_view text, std::size_t max_length) {
    if (std::all_of(text.begin(), text.end(), is_space)) {
        return "required";
    }
    if (has_surrounding_space(text)) {
        return "must not start or end with spaces";
    }
    const TextScan scan = scan_text(text);
    if (!scan.valid_utf8) {
        return "must be valid UTF-8 text";
    }
    if (scan.forbidden) {
        return fmt::format("must not contain control characters (found U+{:04X})",
                           static_cast<std::uint32_t>(*scan.forbidden));
    }
    if (scan.code_points > max_length) {
        return fmt::format("must be at most {} characters (has {})", max_length, scan.code_points);
    }
    return std::nullopt;
}

std::optional<std::string> check_registration_number(std::string_view text) {
    if (text.empty() || std::all_of(text.begin(), text.end(), is_space)) {
        return "required";
    }
    if (has_surrounding_space(text)) {
        return "must not start or end with spaces";
    }
    if (text.size() > max_registration_number_length) {
        return fmt::format("must be at most {} characters (has {})", max_registration_number_length,
                           text.size());
    }
    const auto allowed = [](char c) {
        return is_ascii_upper(c) || is_ascii_lower(c) || is_ascii_digit(c) || c == '-' || c == '/';
    };
    if (!std::all_of(text.begin(), text.end(), allowed)) {
        return "may contain only letters A-Z, digits, '-' and '/'";
    }
    return std::nullopt;
}

std::optional<std::string> check_call_sign(std::string_view text) {
    if (text.size() > max_call_sign_length) {
        return fmt::format("must be at most {} characters (has {})", max_call_sign_length,
                           text.size());
    }
    const auto allowed = [](char c) { return is_ascii_upper(c) || is_ascii_digit(c); };
    if (!std::all_of(text.begin(), text.end(), allowed)) {
        return "may contain only upper-case letters A-Z and digits";
    }
    return std::nullopt;
}

void add_if(std::vector<FieldError>& errors, std::string_view field,
            std::optional<std::string> problem) {
    if (problem) {
        errors.push_back(FieldError{std::string(field), std::move(*problem)});
    }
}

} // namespace

std::vector<FieldError> validate(const Boat& boat) {
    std::vector<FieldError> errors;
    add_if(errors, "registration_number", check_registration_number(boat.registration_number));
    add_if(errors, "name", check_text(boat.name, max_boat_name_length));
    if (boat.mmsi) {
        add_if(errors, "mmsi", check_mmsi(*boat.mmsi));
    }
    add_if(errors, "call_sign", check_call_sign(boat.call_sign));
    add_if(errors, "home_harbour", check_text(boat.home_harbour, max_home_harbour_length));
    if (boat.licence_valid_until && !boat.licence_valid_until->ok()) {
        errors.push_back(FieldError{"licence_valid_until", "not a real calendar date"});
    }
    if (to_string(boat.status) == "unknown") {
        errors.push_back(FieldError{"status", "must be active, suspended or decommissioned"});
    }
    return errors;
}

std::optional<std::string> check_mmsi(std::uint32_t mmsi) {
    if (mmsi < 100'000'000 || mmsi > 999'999'999) {
        return "must be 9 digits (100000000..999999999)";
    }
    const std::uint32_t prefix = mmsi / 1'000'000;
    // ITU-R M.585-9 Annex 2: devices with free-form identities, not vessels.
    if (prefix == 970) {
        return "970xxxxxx is an AIS-SART identity, not a vessel";
    }
    if (prefix == 972) {
        return "972xxxxxx is an AIS man-overboard device identity, not a vessel";
    }
    if (prefix == 974) {
        return "974xxxxxx is an EPIRB-AIS identity, not a vessel";
    }
    if (prefix < 201 || prefix > 775) {
        return fmt::format("MID {} is not a ship-station MID (ITU-R M.585: 201..775)", prefix);
    }
    if (mmsi % 111'111'111 == 0) {
        return "placeholder value (all digits the same)";
    }
    return std::nullopt;
}

std::optional<std::uint32_t> parse_mmsi(std::string_view text) noexcept {
    if (text.size() != 9 || !std::all_of(text.begin(), text.end(), is_ascii_digit)) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (const char c : text) {
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return value;
}

std::optional<std::chrono::year_month_day> parse_iso_date(std::string_view text) noexcept {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    const auto number = [&](std::size_t from, std::size_t count) -> std::optional<unsigned> {
        unsigned value = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (!is_ascii_digit(text[i])) {
                return std::nullopt;
            }
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
        }
        return value;
    };
    const auto year = number(0, 4);
    const auto month = number(5, 2);
    const auto day = number(8, 2);
    if (!year || !month || !day) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(*year)},
                                           std::chrono::month{*month}, std::chrono::day{*day}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return date;
}

std::string format_iso_date(std::chrono::year_month_day date) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                       static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

} // namespace sahil::registry

namespace sahil::registry {

std::optional<std::string> check_free_text(std::string_view text, std::size_t max_code_points,
                                           bool required) {
    if (text.empty() && !required) {
        return std::nullopt;
    }
    return check_text(text, max_code_points);
}

} // namespace sahil::registry

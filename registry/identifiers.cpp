#include "registry/identifiers.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace sahil::registry {
namespace {

// ---------------------------------------------------------------------------------------------
// ITU Table of Maritime Identification Digits: every MID allocated to a country or geographical
// area. Facts taken from the ITU-R MARS "Table of Maritime Identification Digits"
// (https://www.itu.int/en/ITU-R/terrestrial/fmd/Pages/mid.aspx) as reproduced in public AIS and
// Cospas-Sarsat decoders (ITU-abbreviated names, e.g. "DEM PEO RP KOREA"), and cross-checked
// against two further public lists; names here are written out in plain English. Territories
// name their state in brackets. Sorted by MID (checked at compile time).
// ---------------------------------------------------------------------------------------------
struct MidEntry {
    unsigned mid;
    std::string_view country;
};

// clang-format off
constexpr MidEntry mid_table[] = {
    // Europe (2xx)
    {201, "Albania"}, {202, "Andorra"}, {203, "Austria"}, {204, "Portugal (Azores)"},
    {205, "Belgium"}, {206, "Belarus"}, {207, "Bulgaria"}, {208, "Vatican City State"},
    {209, "Cyprus"}, {210, "Cyprus"}, {211, "Germany"}, {212, "Cyprus"}, {213, "Georgia"},
    {214, "Moldova"}, {215, "Malta"}, {216, "Armenia"}, {218, "Germany"}, {219, "Denmark"},
    {220, "Denmark"}, {224, "Spain"}, {225, "Spain"}, {226, "France"}, {227, "France"},
    {228, "France"}, {229, "Malta"}, {230, "Finland"}, {231, "Faroe Islands (Denmark)"},
    {232, "United Kingdom"}, {233, "United Kingdom"}, {234, "United Kingdom"},
    {235, "United Kingdom"}, {236, "Gibraltar (United Kingdom)"}, {237, "Greece"},
    {238, "Croatia"}, {239, "Greece"}, {240, "Greece"}, {241, "Greece"}, {242, "Morocco"},
    {243, "Hungary"}, {244, "Netherlands"}, {245, "Netherlands"}, {246, "Netherlands"},
    {247, "Italy"}, {248, "Malta"}, {249, "Malta"}, {250, "Ireland"}, {251, "Iceland"},
    {252, "Liechtenstein"}, {253, "Luxembourg"}, {254, "Monaco"}, {255, "Portugal (Madeira)"},
    {256, "Malta"}, {257, "Norway"}, {258, "Norway"}, {259, "Norway"}, {261, "Poland"},
    {262, "Montenegro"}, {263, "Portugal"}, {264, "Romania"}, {265, "Sweden"}, {266, "Sweden"},
    {267, "Slovakia"}, {268, "San Marino"}, {269, "Switzerland"}, {270, "Czech Republic"},
    {271, "Turkiye"}, {272, "Ukraine"}, {273, "Russian Federation"}, {274, "North Macedonia"},
    {275, "Latvia"}, {276, "Estonia"}, {277, "Lithuania"}, {278, "Slovenia"}, {279, "Serbia"},
    // North and Central America, Caribbean (3xx)
    {301, "Anguilla (United Kingdom)"}, {303, "United States (Alaska)"},
    {304, "Antigua and Barbuda"}, {305, "Antigua and Barbuda"},
    {306, "Netherlands (Curacao, Sint Maarten, Bonaire)"}, {307, "Aruba (Netherlands)"},
    {308, "Bahamas"}, {309, "Bahamas"}, {310, "Bermuda (United Kingdom)"}, {311, "Bahamas"},
    {312, "Belize"}, {314, "Barbados"}, {316, "Canada"},
    {319, "Cayman Islands (United Kingdom)"}, {321, "Costa Rica"}, {323, "Cuba"},
    {325, "Dominica"}, {327, "Dominican Republic"}, {329, "Guadeloupe (France)"},
    {330, "Grenada"}, {331, "Greenland (Denmark)"}, {332, "Guatemala"}, {334, "Honduras"},
    {336, "Haiti"}, {338, "United States"}, {339, "Jamaica"}, {341, "Saint Kitts and Nevis"},
    {343, "Saint Lucia"}, {345, "Mexico"}, {347, "Martinique (France)"},
    {348, "Montserrat (United Kingdom)"}, {350, "Nicaragua"}, {351, "Panama"}, {352, "Panama"},
    {353, "Panama"}, {354, "Panama"}, {355, "Panama"}, {356, "Panama"}, {357, "Panama"},
    {358, "Puerto Rico (United States)"}, {359, "El Salvador"},
    {361, "Saint Pierre and Miquelon (France)"}, {362, "Trinidad and Tobago"},
    {364, "Turks and Caicos Islands (United Kingdom)"}, {366, "United States"},
    {367, "United States"}, {368, "United States"}, {369, "United States"}, {370, "Panama"},
    {371, "Panama"}, {372, "Panama"}, {373, "Panama"}, {374, "Panama"},
    {375, "Saint Vincent and the Grenadines"}, {376, "Saint Vincent and the Grenadines"},
    {377, "Saint Vincent and the Grenadines"}, {378, "British Virgin Islands (United Kingdom)"},
    {379, "United States Virgin Islands (United States)"},
    // Asia (4xx)
    {401, "Afghanistan"}, {403, "Saudi Arabia"}, {405, "Bangladesh"}, {408, "Bahrain"},
    {410, "Bhutan"}, {412, "China"}, {413, "China"}, {414, "China"}, {416, "Taiwan (China)"},
    {417, "Sri Lanka"}, {419, "India"}, {422, "Iran"}, {423, "Azerbaijan"}, {425, "Iraq"},
    {428, "Israel"}, {431, "Japan"}, {432, "Japan"}, {434, "Turkmenistan"},
    {436, "Kazakhstan"}, {437, "Uzbekistan"}, {438, "Jordan"}, {440, "Republic of Korea"},
    {441, "Republic of Korea"}, {443, "Palestine"},
    {445, "Democratic People's Republic of Korea"}, {447, "Kuwait"}, {450, "Lebanon"},
    {451, "Kyrgyzstan"}, {453, "Macao (China)"}, {455, "Maldives"}, {457, "Mongolia"},
    {459, "Nepal"}, {461, "Oman"}, {463, "Pakistan"}, {466, "Qatar"}, {468, "Syria"},
    {470, "United Arab Emirates"}, {471, "United Arab Emirates"}, {472, "Tajikistan"},
    {473, "Yemen"}, {475, "Yemen"}, {477, "Hong Kong (China)"},
    {478, "Bosnia and Herzegovina"},
    // Oceania (5xx)
    {501, "Adelie Land (France)"}, {503, "Australia"}, {506, "Myanmar"},
    {508, "Brunei Darussalam"}, {510, "Micronesia"}, {511, "Palau"}, {512, "New Zealand"},
    {514, "Cambodia"}, {515, "Cambodia"}, {516, "Christmas Island (Australia)"},
    {518, "Cook Islands (New Zealand)"}, {520, "Fiji"},
    {523, "Cocos (Keeling) Islands (Australia)"}, {525, "Indonesia"}, {529, "Kiribati"},
    {531, "Laos"}, {533, "Malaysia"}, {536, "Northern Mariana Islands (United States)"},
    {538, "Marshall Islands"}, {540, "New Caledonia (France)"}, {542, "Niue (New Zealand)"},
    {544, "Nauru"}, {546, "French Polynesia (France)"}, {548, "Philippines"},
    {550, "Timor-Leste"}, {553, "Papua New Guinea"}, {555, "Pitcairn Island (United Kingdom)"},
    {557, "Solomon Islands"}, {559, "American Samoa (United States)"}, {561, "Samoa"},
    {563, "Singapore"}, {564, "Singapore"}, {565, "Singapore"}, {566, "Singapore"},
    {567, "Thailand"}, {570, "Tonga"}, {572, "Tuvalu"}, {574, "Viet Nam"}, {576, "Vanuatu"},
    {577, "Vanuatu"}, {578, "Wallis and Futuna Islands (France)"},
    // Africa (6xx)
    {601, "South Africa"}, {603, "Angola"}, {605, "Algeria"},
    {607, "Saint Paul and Amsterdam Islands (France)"},
    {608, "Ascension Island (United Kingdom)"}, {609, "Burundi"}, {610, "Benin"},
    {611, "Botswana"}, {612, "Central African Republic"}, {613, "Cameroon"}, {615, "Congo"},
    {616, "Comoros"}, {617, "Cabo Verde"}, {618, "Crozet Archipelago (France)"},
    {619, "Cote d'Ivoire"}, {620, "Comoros"}, {621, "Djibouti"}, {622, "Egypt"},
    {624, "Ethiopia"}, {625, "Eritrea"}, {626, "Gabon"}, {627, "Ghana"}, {629, "Gambia"},
    {630, "Guinea-Bissau"}, {631, "Equatorial Guinea"}, {632, "Guinea"},
    {633, "Burkina Faso"}, {634, "Kenya"}, {635, "Kerguelen Islands (France)"},
    {636, "Liberia"}, {637, "Liberia"}, {638, "South Sudan"}, {642, "Libya"},
    {644, "Lesotho"}, {645, "Mauritius"}, {647, "Madagascar"}, {649, "Mali"},
    {650, "Mozambique"}, {654, "Mauritania"}, {655, "Malawi"}, {656, "Niger"},
    {657, "Nigeria"}, {659, "Namibia"}, {660, "Reunion and Mayotte (France)"}, {661, "Rwanda"},
    {662, "Sudan"}, {663, "Senegal"}, {664, "Seychelles"},
    {665, "Saint Helena (United Kingdom)"}, {666, "Somalia"}, {667, "Sierra Leone"},
    {668, "Sao Tome and Principe"}, {669, "Eswatini"}, {670, "Chad"}, {671, "Togo"},
    {672, "Tunisia"}, {674, "Tanzania"}, {675, "Uganda"},
    {676, "Democratic Republic of the Congo"}, {677, "Tanzania"}, {678, "Zambia"},
    {679, "Zimbabwe"},
    // South America (7xx)
    {701, "Argentina"}, {710, "Brazil"}, {720, "Bolivia"}, {725, "Chile"}, {730, "Colombia"},
    {735, "Ecuador"}, {740, "Falkland Islands (United Kingdom)"}, {745, "French Guiana (France)"},
    {750, "Guyana"}, {755, "Paraguay"}, {760, "Peru"}, {765, "Suriname"}, {770, "Uruguay"},
    {775, "Venezuela"},
};
// clang-format on

static_assert(std::is_sorted(std::begin(mid_table), std::end(mid_table),
                             [](const MidEntry& a, const MidEntry& b) { return a.mid < b.mid; }),
              "mid_table must be sorted by MID for binary search");
static_assert(std::adjacent_find(std::begin(mid_table), std::end(mid_table),
                                 [](const MidEntry& a, const MidEntry& b) {
                                     return a.mid == b.mid;
                                 }) == std::end(mid_table),
              "mid_table must not list a MID twice");

/// The MID of a ship-station MMSI: its first 3 digits (`digits` holds at least 3 digits).
unsigned mid_of(std::string_view digits) noexcept {
    return static_cast<unsigned>((digits[0] - '0') * 100 + (digits[1] - '0') * 10 +
                                 (digits[2] - '0'));
}

/// Pakistan's MID (ITU MID table).
constexpr unsigned pakistan_mid = 463;

constexpr std::array id_scheme_names{
    std::pair{IdScheme::official_number, std::string_view{"official_number"}},
    std::pair{IdScheme::provincial_reg, std::string_view{"provincial_reg"}},
    std::pair{IdScheme::fishing_licence_no, std::string_view{"fishing_licence_no"}},
    std::pair{IdScheme::mfd_licence, std::string_view{"mfd_licence"}},
    std::pair{IdScheme::mmsi, std::string_view{"mmsi"}},
    std::pair{IdScheme::call_sign, std::string_view{"call_sign"}},
    std::pair{IdScheme::imo, std::string_view{"imo"}},
    std::pair{IdScheme::vms_id, std::string_view{"vms_id"}},
    std::pair{IdScheme::cooperative_no, std::string_view{"cooperative_no"}},
    std::pair{IdScheme::other, std::string_view{"other"}},
};

/// How a scheme is named to the clerk at the start of a message.
std::string_view clerk_label(IdScheme scheme) noexcept {
    switch (scheme) {
    case IdScheme::official_number:
        return "Official number";
    case IdScheme::provincial_reg:
        return "Provincial registration number";
    case IdScheme::fishing_licence_no:
        return "Fishing licence number";
    case IdScheme::mfd_licence:
        return "MFD licence number";
    case IdScheme::mmsi:
        return "MMSI";
    case IdScheme::call_sign:
        return "Call sign";
    case IdScheme::imo:
        return "IMO number";
    case IdScheme::vms_id:
        return "VMS id";
    case IdScheme::cooperative_no:
        return "Cooperative number";
    case IdScheme::other:
        break;
    }
    return "Number";
}

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}
bool is_upper(char c) noexcept {
    return c >= 'A' && c <= 'Z';
}
char to_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}
bool is_ascii_whitespace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool all_digits(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(), is_digit);
}
bool starts_with_ignoring_case(std::string_view text, std::string_view upper_prefix) noexcept {
    return text.size() >= upper_prefix.size() &&
           std::equal(upper_prefix.begin(), upper_prefix.end(), text.begin(),
                      [](char p, char c) { return p == to_upper(c); });
}

std::string_view trim(std::string_view text) noexcept {
    while (!text.empty() && is_ascii_whitespace(text.front())) {
        text.remove_prefix(1);
    }
    while (!text.empty() && is_ascii_whitespace(text.back())) {
        text.remove_suffix(1);
    }
    return text;
}

std::string upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), to_upper);
    return out;
}

/// Upper-cases and collapses runs of inner whitespace to one space (input already trimmed).
std::string normalise_free_form(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (is_ascii_whitespace(c)) {
            if (out.empty() || out.back() != ' ') {
                out.push_back(' ');
            }
        } else {
            out.push_back(to_upper(c));
        }
    }
    return out;
}

/// Names a character for a message without printing half of a UTF-8 sequence.
std::string describe_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80) {
        return "a non-English letter or symbol";
    }
    if (byte < 0x20 || byte == 0x7F) {
        return "a control character";
    }
    return fmt::format("'{}'", c);
}

std::optional<std::string> free_form_problem(IdScheme scheme, std::string_view value) {
    if (value.size() > max_identifier_length) {
        return fmt::format("{} must be at most {} characters (has {})", clerk_label(scheme),
                           max_identifier_length, value.size());
    }
    const auto bad = std::find_if(value.begin(), value.end(), [](char c) {
        return !(is_upper(c) || is_digit(c) || c == '-' || c == '/' || c == '.' || c == ' ');
    });
    if (bad != value.end()) {
        return fmt::format("{} may contain only letters A-Z, digits, '-', '/', '.' and spaces "
                           "(found {})",
                           clerk_label(scheme), describe_char(*bad));
    }
    return std::nullopt;
}

/// MMSIs are often written in groups ("463 123 456", "463-123-456"): drop those separators
/// between digits, keep everything else so that check_mmsi_text() can name it.
std::string normalise_mmsi(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c != ' ' && c != '-' && c != '.') {
            out.push_back(c);
        }
    }
    return out;
}

/// "IMO 9074729", "imo9074729", "9074 729" -> "9074729".
std::string normalise_imo(std::string_view text) {
    if (starts_with_ignoring_case(text, "IMO")) {
        text.remove_prefix(3);
    }
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (!is_ascii_whitespace(c)) {
            out.push_back(c);
        }
    }
    return out;
}

/// The stored form of a trimmed value of `scheme` (see IdentifierRules::check()).
std::string normalise_value(IdScheme scheme, std::string_view text) {
    switch (scheme) {
    case IdScheme::mmsi:
        return normalise_mmsi(text);
    case IdScheme::imo:
        return normalise_imo(text);
    case IdScheme::call_sign:
        return upper(text);
    default:
        return normalise_free_form(text);
    }
}

std::optional<std::string> imo_problem(std::string_view digits) {
    if (!all_digits(digits)) {
        return "IMO number may contain only digits, e.g. IMO 9074729";
    }
    if (digits.size() != 7) {
        return fmt::format("IMO number must be 7 digits, e.g. IMO 9074729 (has {})", digits.size());
    }
    if (digits == "0000000") {
        return "IMO number 0000000 is a placeholder, not a real number";
    }
    if (!imo_check_digit_ok(digits)) {
        unsigned sum = 0;
        for (std::size_t i = 0; i < 6; ++i) {
            sum += static_cast<unsigned>(digits[i] - '0') * static_cast<unsigned>(7 - i);
        }
        return fmt::format("IMO number {} is not valid: its last digit should be {} (check "
                           "digit); look for a typing mistake",
                           digits, sum % 10);
    }
    return std::nullopt;
}

/// Length and character rules every call sign shares (ITU: at most 7 characters).
std::optional<std::string> call_sign_shape_problem(std::string_view call_sign) {
    if (call_sign.size() > max_call_sign_length) {
        return fmt::format("Call sign must be at most {} letters and digits, e.g. AP4521 (has {})",
                           max_call_sign_length, call_sign.size());
    }
    const auto bad = std::find_if(call_sign.begin(), call_sign.end(),
                                  [](char c) { return !(is_upper(c) || is_digit(c)); });
    if (bad != call_sign.end()) {
        return fmt::format("Call sign may contain only letters A-Z and digits, e.g. AP4521 "
                           "(found {})",
                           describe_char(*bad));
    }
    if (call_sign.size() < 3) {
        return fmt::format("Call sign must be at least 3 letters and digits, e.g. AP4521 (has {})",
                           call_sign.size());
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// The national significant number (digits after +92) of `input`, or the reason there is none.
struct PhoneParse {
    std::string nsn;
    std::optional<std::string> problem;
};

PhoneParse fail(std::string message) {
    return PhoneParse{{}, std::move(message)};
}

PhoneParse parse_pk_phone(std::string_view input) {
    const std::string_view text = trim(input);
    if (text.empty()) {
        return fail("Phone number is required, e.g. 0300-1234567");
    }
    const bool plus = text.front() == '+';
    std::string digits;
    digits.reserve(text.size());
    for (const char c : text.substr(plus ? 1 : 0)) {
        if (is_digit(c)) {
            digits.push_back(c);
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return fail("Phone number may contain only digits, spaces, '-', brackets and a "
                        "leading '+', e.g. 0300-1234567");
        }
    }
    std::string_view nsn = digits;
    const auto foreign = [] {
        return fail("Only Pakistani phone numbers (+92) are accepted, e.g. +92 300 1234567");
    };
    if (plus) {
        if (!nsn.starts_with("92")) {
            return foreign();
        }
        nsn.remove_prefix(2);
    } else if (nsn.starts_with("0092")) {
        nsn.remove_prefix(4);
    } else if (nsn.starts_with("00")) {
        return foreign();
    } else if (nsn.starts_with("0")) {
        nsn.remove_prefix(1);
    } else if (nsn.starts_with("92") && nsn.size() >= 11 && nsn.size() <= 12) {
        nsn.remove_prefix(2);
    } else if (!(nsn.size() == 10 && nsn.starts_with("3"))) {
        return fail("Phone number must start with 0 or +92, e.g. 0300-1234567");
    }
    if (nsn.empty()) {
        return fail("Phone number is too short, e.g. 0300-1234567");
    }
    // Messages count digits as the clerk writes them nationally: with the trunk 0.
    const std::size_t national_digits = nsn.size() + 1;
    switch (nsn.front()) {
    case '0':
        return fail("Leave out the 0 after the country code 92, e.g. +92 300 1234567");
    case '1':
        return fail("No Pakistani area code starts with 1; check the number, e.g. 021-12345678");
    case '3':
        if (nsn.size() != 10) {
            return fail(fmt::format("Mobile number must have 11 digits, e.g. 0300-1234567 (has {})",
                                    national_digits));
        }
        break;
    default:
        if (nsn.size() < 9 || nsn.size() > 10) {
            return fail(fmt::format("Landline number must have 10 or 11 digits with the area "
                                    "code, e.g. 021-12345678 (has {})",
                                    national_digits));
        }
        break;
    }
    return PhoneParse{std::string(nsn), std::nullopt};
}

// ---------------------------------------------------------------------------------------------
// Vessel names
// ---------------------------------------------------------------------------------------------

/// Decodes one UTF-8 sequence at the start of `text` (RFC 3629: no overlongs, surrogates or
/// values above U+10FFFF). Returns {code point, length}; length 0 when the first byte does not
/// start a valid sequence.
std::pair<char32_t, std::size_t> decode_utf8(std::string_view text) noexcept {
    const auto lead = static_cast<unsigned char>(text[0]);
    std::size_t length = 0;
    char32_t cp = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead < 0x80) {
        return {lead, 1};
    } else if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        cp = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        cp = lead & 0x0Fu;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        cp = lead & 0x07u;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return {0, 0};
    }
    if (text.size() < length) {
        return {0, 0};
    }
    for (std::size_t k = 1; k < length; ++k) {
        const auto byte = static_cast<unsigned char>(text[k]);
        if (byte < (k == 1 ? low : 0x80) || byte > (k == 1 ? high : 0xBF)) {
            return {0, 0};
        }
        cp = (cp << 6) | (byte & 0x3Fu);
    }
    return {cp, length};
}

/// Base letters of U+00C0..U+017F, one per code point; '*' marks a two-letter fold (Æ, Þ, ß,
/// Ĳ, Œ) and ' ' a symbol (× ÷).
constexpr std::string_view latin_fold = "AAAAAA*CEEEEIIIIDNOOOOO OUUUUY**"  // U+00C0..U+00DF
                                        "AAAAAA*CEEEEIIIIDNOOOOO OUUUUY*Y"  // U+00E0..U+00FF
                                        "AAAAAACCCCCCCCDDDDEEEEEEEEEEGGGG"  // U+0100..U+011F
                                        "GGGGHHHHIIIIIIIIII**JJKKKLLLLLLL"  // U+0120..U+013F
                                        "LLLNNNNNNNNNOOOOOO**RRRRRRSSSSSS"  // U+0140..U+015F
                                        "SSTTTTTTUUUUUUUUUUUUWWYYYZZZZZZS"; // U+0160..U+017F
static_assert(latin_fold.size() == 0x180 - 0xC0);

std::string_view two_letter_fold(char32_t cp) noexcept {
    switch (cp) {
    case 0xC6:
    case 0xE6:
        return "AE";
    case 0xDE:
    case 0xFE:
        return "TH";
    case 0xDF:
        return "SS";
    case 0x132:
    case 0x133:
        return "IJ";
    default:
        return "OE"; // U+0152, U+0153
    }
}

enum class NameChar { keep, drop, separator };

/// What a non-ASCII, non-Latin-fold code point does in a name key.
NameChar classify_other(char32_t cp) noexcept {
    const bool combining_mark = cp >= 0x300 && cp <= 0x36F;
    const bool invisible = cp == 0x640 /* tatweel */ || (cp >= 0x200B && cp <= 0x200F) ||
                           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
                           cp == 0xFEFF;
    const bool apostrophe =
        cp == 0x2BC || cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032;
    if (combining_mark || invisible || apostrophe) {
        return NameChar::drop;
    }
    const bool latin1_symbol = cp >= 0x80 && cp <= 0xBF; // C1 controls, NBSP, ¡..¿
    const bool arabic_punctuation = (cp >= 0x609 && cp <= 0x60D) || cp == 0x61B || cp == 0x61E ||
                                    cp == 0x61F || (cp >= 0x66A && cp <= 0x66D) || cp == 0x6D4;
    const bool unicode_space = cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
                               cp == 0x205F || cp == 0x3000;
    const bool general_punctuation = cp >= 0x2010 && cp <= 0x205E;
    if (latin1_symbol || arabic_punctuation || unicode_space || general_punctuation) {
        return NameChar::separator;
    }
    return NameChar::keep;
}

/// Appends to a name key, turning separators into single inner spaces.
class NameKeyWriter {
public:
    void separator() noexcept { m_pending_space = !m_out.empty(); }
    void append(std::string_view text) {
        if (m_pending_space) {
            m_out.push_back(' ');
            m_pending_space = false;
        }
        m_out.append(text);
    }
    void append(char c) { append(std::string_view(&c, 1)); }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
    bool m_pending_space = false;
};

void append_ascii(NameKeyWriter& key, char c) {
    if (is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z')) {
        key.append(to_upper(c));
    } else if (c != '\'' && c != '`') {
        key.separator();
    }
}

void append_code_point(NameKeyWriter& key, char32_t cp, std::string_view bytes) {
    if (cp >= 0xC0 && cp < 0x180) {
        const char base = latin_fold[cp - 0xC0];
        if (base == ' ') {
            key.separator();
        } else if (base == '*') {
            key.append(two_letter_fold(cp));
        } else {
            key.append(base);
        }
        return;
    }
    if ((cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9)) {
        // Arabic-Indic and Extended Arabic-Indic (Urdu) digits.
        key.append(static_cast<char>('0' + (cp & 0xFu)));
        return;
    }
    switch (classify_other(cp)) {
    case NameChar::keep:
        key.append(bytes);
        break;
    case NameChar::separator:
        key.separator();
        break;
    case NameChar::drop:
        break;
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Schemes and rules
// ---------------------------------------------------------------------------------------------

std::string_view to_string(IdScheme scheme) noexcept {
    for (const auto& [value, name] : id_scheme_names) {
        if (value == scheme) {
            return name;
        }
    }
    return "unknown";
}

std::optional<IdScheme> parse_id_scheme(std::string_view text) noexcept {
    for (const auto& [value, name] : id_scheme_names) {
        if (text.size() == name.size() &&
            std::equal(name.begin(), name.end(), text.begin(), [](char n, char t) {
                return n == ((t >= 'A' && t <= 'Z') ? static_cast<char>(t - 'A' + 'a') : t);
            })) {
            return value;
        }
    }
    return std::nullopt;
}

struct IdentifierRules::CompiledPattern {
    AuthorityPattern source;
    std::regex regex;
};

IdentifierRules::IdentifierRules(std::vector<AuthorityPattern> patterns) {
    m_patterns.reserve(patterns.size());
    for (AuthorityPattern& pattern : patterns) {
        const auto where = fmt::format("authority pattern for {} {}", pattern.authority,
                                       to_string(pattern.scheme));
        if (pattern.authority.empty()) {
            throw std::invalid_argument(where + ": the authority code is empty");
        }
        if (pattern.pattern.empty()) {
            throw std::invalid_argument(where + ": the pattern is empty");
        }
        if (pattern.pattern.size() > max_authority_pattern_length) {
            throw std::invalid_argument(fmt::format("{}: the pattern is {} characters, at most {}",
                                                    where, pattern.pattern.size(),
                                                    max_authority_pattern_length));
        }
        if (find(pattern.authority, pattern.scheme) != nullptr) {
            throw std::invalid_argument(where + ": given twice");
        }
        std::regex regex;
        try {
            regex = std::regex(pattern.pattern, std::regex::ECMAScript);
        } catch (const std::regex_error& error) {
            throw std::invalid_argument(fmt::format("{}: \"{}\" is not a valid regular "
                                                    "expression ({})",
                                                    where, pattern.pattern, error.what()));
        }
        if (!pattern.example.empty() && !std::regex_match(pattern.example, regex)) {
            throw std::invalid_argument(fmt::format("{}: the example \"{}\" does not match \"{}\"",
                                                    where, pattern.example, pattern.pattern));
        }
        m_patterns.push_back(std::make_shared<const CompiledPattern>(
            CompiledPattern{std::move(pattern), std::move(regex)}));
    }
}

const IdentifierRules::CompiledPattern* IdentifierRules::find(std::string_view authority,
                                                              IdScheme scheme) const noexcept {
    const auto it = std::find_if(m_patterns.begin(), m_patterns.end(), [&](const auto& p) {
        return p->source.scheme == scheme && p->source.authority == authority;
    });
    return it == m_patterns.end() ? nullptr : it->get();
}

IdentifierRules::Checked IdentifierRules::check(IdScheme scheme, std::string_view value,
                                                std::string_view authority,
                                                bool pakistani_flag) const {
    Checked out;
    out.value = normalise_value(scheme, trim(value));
    std::optional<std::string> problem;
    if (out.value.empty()) {
        problem = fmt::format("{} is required", clerk_label(scheme));
    } else if (scheme == IdScheme::mmsi) {
        problem = check_mmsi_text(out.value);
        const unsigned mid = problem ? 0 : mid_of(out.value);
        if (!problem && pakistani_flag && mid != pakistan_mid) {
            out.warnings.push_back(fmt::format("MID {} is {}; Pakistani boats use {}", mid,
                                               mid_country(mid), pakistan_mid));
        }
    } else if (scheme == IdScheme::imo) {
        problem = imo_problem(out.value);
    } else if (scheme == IdScheme::call_sign) {
        problem =
            pakistani_flag ? check_call_sign_pk(out.value) : call_sign_shape_problem(out.value);
    } else {
        problem = free_form_problem(scheme, out.value);
    }
    if (!problem) {
        if (const CompiledPattern* pattern = find(authority, scheme)) {
            bool matches = false;
            try {
                matches = std::regex_match(out.value, pattern->regex);
            } catch (const std::regex_error&) {
                matches = false; // too complex to match: report it as not matching
            }
            if (!matches) {
                problem = fmt::format("does not match the {} pattern for {}", authority,
                                      to_string(scheme));
                if (!pattern->source.example.empty()) {
                    *problem += fmt::format(", e.g. {}", pattern->source.example);
                }
            }
        }
    }
    if (problem) {
        out.errors.push_back(FieldError{"value", std::move(*problem)});
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Scheme rules
// ---------------------------------------------------------------------------------------------

bool imo_check_digit_ok(std::string_view seven_digits) noexcept {
    if (seven_digits.size() != 7 || !all_digits(seven_digits)) {
        return false;
    }
    unsigned sum = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        sum += static_cast<unsigned>(seven_digits[i] - '0') * static_cast<unsigned>(7 - i);
    }
    return sum % 10 == static_cast<unsigned>(seven_digits[6] - '0');
}

std::optional<std::string> check_call_sign_pk(std::string_view call_sign) {
    if (auto problem = call_sign_shape_problem(call_sign)) {
        return problem;
    }
    const char first = call_sign[0];
    const char second = call_sign[1];
    if ((first == 'A' || first == '6') && second >= 'P' && second <= 'S') {
        return std::nullopt;
    }
    return fmt::format("Call sign {} is not in Pakistan's series: Pakistani call signs start "
                       "with AP, AQ, AR, AS, 6P, 6Q, 6R or 6S, e.g. AP4521",
                       call_sign);
}

std::optional<std::string> check_mmsi_text(std::string_view nine_digits) {
    const std::string_view mmsi = nine_digits;
    if (!all_digits(mmsi)) {
        return "MMSI may contain only digits, e.g. 463123456";
    }
    if (mmsi.size() != 9) {
        return fmt::format("MMSI must be 9 digits, e.g. 463123456 (has {})", mmsi.size());
    }
    const bool all_same =
        std::all_of(mmsi.begin(), mmsi.end(), [&](char c) { return c == mmsi[0]; });
    if (all_same || mmsi == "123456789") {
        return fmt::format("MMSI {} is a placeholder, not a real number; copy it from the boat's "
                           "radio licence",
                           mmsi);
    }
    // ITU-R M.585-9 Annex 1 (§2 group, §3 coast station, §5 SAR aircraft, §6 aids to
    // navigation, §7 craft associated with a parent ship, §8 handheld VHF) and Annex 2
    // (AIS-SART, MOB, EPIRB-AIS): identities that are never a boat's own.
    if (mmsi.starts_with("00")) {
        return "MMSI starting with 00 belongs to a coast station, not a boat";
    }
    if (mmsi.starts_with("0")) {
        return "MMSI starting with 0 is a group call number, not a boat";
    }
    if (mmsi.starts_with("111")) {
        return "MMSI starting with 111 belongs to a search-and-rescue aircraft, not a boat";
    }
    if (mmsi.starts_with("8")) {
        return "MMSI starting with 8 belongs to a handheld radio, not a boat";
    }
    if (mmsi.starts_with("970")) {
        return "MMSI starting with 970 belongs to an AIS-SART (survival craft transmitter), not "
               "a boat";
    }
    if (mmsi.starts_with("972")) {
        return "MMSI starting with 972 belongs to a man-overboard device, not a boat";
    }
    if (mmsi.starts_with("974")) {
        return "MMSI starting with 974 belongs to an EPIRB-AIS distress beacon, not a boat";
    }
    if (mmsi.starts_with("98")) {
        return "MMSI starting with 98 belongs to a craft carried by a parent ship, not a boat of "
               "its own";
    }
    if (mmsi.starts_with("99")) {
        return "MMSI starting with 99 belongs to an aid to navigation (buoy, light), not a boat";
    }
    const unsigned mid = mid_of(mmsi);
    if (!is_allocated_mid(mid)) {
        return fmt::format("MID {} (the first 3 digits of the MMSI) is not allocated to any "
                           "country; check the number",
                           mid);
    }
    return std::nullopt;
}

bool is_allocated_mid(unsigned mid) noexcept {
    return !mid_country(mid).empty();
}

std::string_view mid_country(unsigned mid) noexcept {
    const auto it = std::lower_bound(std::begin(mid_table), std::end(mid_table), mid,
                                     [](const MidEntry& e, unsigned m) { return e.mid < m; });
    return (it != std::end(mid_table) && it->mid == mid) ? it->country : std::string_view{};
}

// ---------------------------------------------------------------------------------------------
// Person fields
// ---------------------------------------------------------------------------------------------

std::optional<std::string> check_cnic(std::string_view input) {
    const std::string_view text = trim(input);
    if (text.empty()) {
        return "CNIC is required, e.g. 42101-1234567-3";
    }
    if (!std::all_of(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '-'; })) {
        return "CNIC may contain only digits and dashes, e.g. 42101-1234567-3";
    }
    const auto digits = static_cast<std::size_t>(std::count_if(text.begin(), text.end(), is_digit));
    if (digits != 13) {
        return fmt::format("CNIC must be 13 digits, e.g. 42101-1234567-3 (has {})", digits);
    }
    const bool dashed = text.size() == 15 && text[5] == '-' && text[13] == '-';
    if (text.size() != 13 && !dashed) {
        return "CNIC dashes go after the 5th and the 12th digit, e.g. 42101-1234567-3";
    }
    if (text[0] == '0') {
        return "CNIC cannot start with 0; check the number, e.g. 42101-1234567-3";
    }
    return std::nullopt;
}

std::optional<std::string> normalise_cnic(std::string_view input) {
    if (check_cnic(input)) {
        return std::nullopt;
    }
    std::string digits;
    digits.reserve(13);
    for (const char c : trim(input)) {
        if (is_digit(c)) {
            digits.push_back(c);
        }
    }
    return digits;
}

std::string format_cnic(std::string_view thirteen_digits) {
    const auto digits = normalise_cnic(thirteen_digits);
    if (!digits) {
        return std::string(thirteen_digits);
    }
    return fmt::format("{}-{}-{}", digits->substr(0, 5), digits->substr(5, 7), digits->substr(12));
}

std::string mask_cnic(std::string_view thirteen_digits) {
    const auto digits = normalise_cnic(thirteen_digits);
    if (!digits) {
        return "*****-*******-*";
    }
    return fmt::format("{}-*******-{}", digits->substr(0, 5), digits->substr(12));
}

std::optional<std::string> normalise_pk_phone(std::string_view input) {
    PhoneParse parsed = parse_pk_phone(input);
    if (parsed.problem) {
        return std::nullopt;
    }
    return "+92" + parsed.nsn;
}

std::optional<std::string> check_pk_phone(std::string_view input) {
    return parse_pk_phone(input).problem;
}

std::string mask_phone(std::string_view e164) {
    const PhoneParse parsed = parse_pk_phone(e164);
    if (parsed.problem) {
        return "+** *** *******";
    }
    const std::string& nsn = parsed.nsn; // 9 or 10 digits
    const std::string last3 = nsn.substr(nsn.size() - 3);
    if (nsn.front() == '3') {
        return fmt::format("+92 {}** ****{}", nsn.front(), last3);
    }
    return fmt::format("+92 {}{}{}", nsn.front(), std::string(nsn.size() - 4, '*'), last3);
}

// ---------------------------------------------------------------------------------------------
// Vessel names
// ---------------------------------------------------------------------------------------------

std::string normalise_vessel_name(std::string_view utf8) {
    NameKeyWriter key;
    std::size_t i = 0;
    while (i < utf8.size()) {
        const auto [cp, length] = decode_utf8(utf8.substr(i));
        if (length == 0) {
            ++i; // not UTF-8: drop the byte
            continue;
        }
        if (cp < 0x80) {
            append_ascii(key, static_cast<char>(cp));
        } else {
            append_code_point(key, cp, utf8.substr(i, length));
        }
        i += length;
    }
    return key.take();
}

} // namespace sahil::registry

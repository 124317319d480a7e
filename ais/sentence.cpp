#include "ais/sentence.hpp"

#include "ais/bit_reader.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstring>

namespace sahil::ais {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/// Parses exactly two hex digits.
std::optional<std::uint8_t> parse_hex2(std::string_view s) noexcept {
    if (s.size() != 2) {
        return std::nullopt;
    }
    const int hi = hex_value(s[0]);
    const int lo = hex_value(s[1]);
    if (hi < 0 || lo < 0) {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(hi * 16 + lo);
}

template <class Int> std::optional<Int> parse_int(std::string_view s) noexcept {
    Int value{};
    const auto* first = s.data();
    const auto* last = s.data() + s.size();
    if (s.empty()) {
        return std::nullopt;
    }
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || ptr != last) {
        return std::nullopt;
    }
    return value;
}

bool is_blank(char c) noexcept {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && is_blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

/// Unix time in seconds (10 digits) or milliseconds (13 digits) -> UtcTime.
std::optional<UtcTime> parse_unix_time(std::string_view s) noexcept {
    const auto v = parse_int<std::int64_t>(s);
    if (!v || *v <= 0) {
        return std::nullopt;
    }
    if (s.size() == 13) {
        return from_unix_millis(*v);
    }
    if (s.size() == 10) {
        return from_unix_seconds(*v);
    }
    return std::nullopt;
}

/// Parses the inside of a tag block (between the backslashes), checksum included.
std::optional<TagBlock> parse_tag_block(std::string_view inside) {
    const auto star = inside.rfind('*');
    if (star == std::string_view::npos) {
        return std::nullopt;
    }
    const auto given = parse_hex2(inside.substr(star + 1));
    const std::string_view body = inside.substr(0, star);
    if (!given || *given != nmea_checksum(body)) {
        return std::nullopt;
    }
    TagBlock tb;
    std::size_t pos = 0;
    while (pos <= body.size()) {
        const auto comma = body.find(',', pos);
        const std::string_view field = body.substr(
            pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
        if (field.size() < 2 || field[1] != ':') {
            // AisLib-style "1G2:..." grouping prefixes and other vendor fields are tolerated,
            // but a field without a key is malformed.
            if (field.find(':') == std::string_view::npos) {
                return std::nullopt;
            }
        } else {
            const char key = field[0];
            const std::string_view value = field.substr(2);
            if (key == 's') {
                tb.source = std::string(value);
            } else if (key == 'c') {
                const auto v = parse_int<std::int64_t>(value);
                if (!v || *v < 0) {
                    return std::nullopt;
                }
                // Some sources (ORBCOMM, Spire) write milliseconds. Beyond year 9999 it is no
                // time at all (and would overflow time arithmetic downstream).
                constexpr std::int64_t max_millis = 253'402'300'799'999LL;
                if (*v > max_millis) {
                    return std::nullopt;
                }
                tb.time = *v > 100'000'000'000LL ? from_unix_millis(*v) : from_unix_seconds(*v);
            } else if (key == 'g') {
                const auto d1 = value.find('-');
                const auto d2 = d1 == std::string_view::npos ? d1 : value.find('-', d1 + 1);
                if (d2 != std::string_view::npos) {
                    tb.group_number = parse_int<int>(value.substr(0, d1));
                    tb.group_count = parse_int<int>(value.substr(d1 + 1, d2 - d1 - 1));
                    tb.group_id = parse_int<int>(value.substr(d2 + 1));
                }
            }
        }
        if (comma == std::string_view::npos) {
            break;
        }
        pos = comma + 1;
    }
    return tb;
}

/// Splits `s` on commas into at most N fields; returns how many there were (may exceed N).
/// A plain byte loop: NMEA fields are a few bytes long, so per-field memchr calls cost more.
template <std::size_t N>
std::size_t split_fields(std::string_view s, std::array<std::string_view, N>& out) noexcept {
    std::size_t n = 0;
    std::size_t field_start = 0;
    const char* const d = s.data();
    const std::size_t size = s.size();
    for (std::size_t i = 0; i < size; ++i) {
        if (d[i] == ',') {
            if (n < N) {
                out[n] = std::string_view(d + field_start, i - field_start);
            }
            ++n;
            field_start = i + 1;
        }
    }
    if (n < N) {
        out[n] = std::string_view(d + field_start, size - field_start);
    }
    return n + 1;
}

/// split_fields() for a VDM/VDO body: the four short fields after the address are scanned
/// byte by byte, the long payload field with one memchr.
std::size_t split_vdm(std::string_view s, std::array<std::string_view, 7>& out) noexcept {
    const char* const d = s.data();
    const std::size_t size = s.size();
    std::size_t n = 0;
    std::size_t field_start = 0;
    std::size_t i = 0;
    for (; i < size && n < 5; ++i) {
        if (d[i] == ',') {
            out[n++] = std::string_view(d + field_start, i - field_start);
            field_start = i + 1;
        }
    }
    if (n < 5) {
        return split_fields(s, out);
    }
    const auto* comma = static_cast<const char*>(std::memchr(d + i, ',', size - i));
    if (comma == nullptr) {
        return split_fields(s, out);
    }
    out[5] = std::string_view(d + field_start, static_cast<std::size_t>(comma - d) - field_start);
    const std::string_view rest(comma + 1, static_cast<std::size_t>(d + size - comma - 1));
    if (rest.find(',') != std::string_view::npos) {
        return split_fields(s, out); // more than 7 fields: let the generic split count them
    }
    out[6] = rest;
    return 7;
}

/// Parses a small non-negative decimal field: one digit on the fast path.
std::optional<int> parse_small(std::string_view s) noexcept {
    if (s.size() == 1) {
        const char c = s[0];
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return std::nullopt;
    }
    return parse_int<int>(s);
}

errc parse_gatehouse(std::string_view body, ParsedLine& out) {
    // $PGHP,1,<yyyy>,<mm>,<dd>,<hh>,<mi>,<ss>,<ms>,<mmsi>,<country>,<region>,<pi>,<hex cs>
    std::array<std::string_view, 16> f{};
    const std::size_t n = split_fields(body, f);
    if (n < 9 || f[1] != "1") {
        return errc::bad_gatehouse_header;
    }
    const auto y = parse_int<int>(f[2]);
    const auto mo = parse_int<unsigned>(f[3]);
    const auto d = parse_int<unsigned>(f[4]);
    const auto h = parse_int<int>(f[5]);
    const auto mi = parse_int<int>(f[6]);
    const auto s = parse_int<int>(f[7]);
    const auto ms = parse_int<int>(f[8]);
    if (!y || !mo || !d || !h || !mi || !s || !ms) {
        return errc::bad_gatehouse_header;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(*mo),
                                          std::chrono::day(*d)};
    if (!ymd.ok() || *h > 23 || *mi > 59 || *s > 60 || *ms > 999 || *h < 0 || *mi < 0 || *s < 0 ||
        *ms < 0) {
        return errc::bad_gatehouse_header;
    }
    out.kind = LineKind::time_marker;
    out.marker.time = std::chrono::sys_days(ymd) + std::chrono::hours(*h) +
                      std::chrono::minutes(*mi) + std::chrono::seconds(*s) +
                      std::chrono::milliseconds(*ms);
    return errc::ok;
}

/// `$xxZDA,hhmmss.ss,dd,mm,yyyy,zh,zm` (IEC 61162-1 ZDA). Returns ok with kind other_nmea when
/// the sentence has no usable time (receivers send empty ZDA before GNSS lock).
errc parse_zda(std::string_view body, ParsedLine& out) {
    std::array<std::string_view, 8> f{};
    const std::size_t n = split_fields(body, f);
    if (n < 5 || f[1].size() < 6) {
        return errc::ok;
    }
    const auto h = parse_int<int>(f[1].substr(0, 2));
    const auto mi = parse_int<int>(f[1].substr(2, 2));
    const auto s = parse_int<int>(f[1].substr(4, 2));
    int ms = 0;
    if (f[1].size() > 7 && f[1][6] == '.') {
        const auto frac = f[1].substr(7, 3);
        const auto v = parse_int<int>(frac);
        const bool digits =
            std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!v || !digits) { // "-5" is no fraction of a second (found by fuzzing)
            return errc::ok;
        }
        ms = *v * (frac.size() == 1 ? 100 : frac.size() == 2 ? 10 : 1);
    }
    const auto d = parse_int<unsigned>(f[2]);
    const auto mo = parse_int<unsigned>(f[3]);
    const auto y = parse_int<int>(f[4]);
    if (!h || !mi || !s || !d || !mo || !y) {
        return errc::ok;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(*y), std::chrono::month(*mo),
                                          std::chrono::day(*d)};
    if (!ymd.ok() || *h < 0 || *h > 23 || *mi < 0 || *mi > 59 || *s < 0 || *s > 60) {
        return errc::ok;
    }
    out.kind = LineKind::time_marker;
    out.marker.time = std::chrono::sys_days(ymd) + std::chrono::hours(*h) +
                      std::chrono::minutes(*mi) + std::chrono::seconds(*s) +
                      std::chrono::milliseconds(ms);
    return errc::ok;
}

} // namespace

std::uint8_t nmea_checksum(std::string_view body) noexcept {
    std::uint8_t sum = 0;
    for (const char c : body) {
        sum = static_cast<std::uint8_t>(sum ^ static_cast<std::uint8_t>(c));
    }
    return sum;
}

errc parse_line(std::string_view line, ParsedLine& out) {
    line = trim(line);
    out.kind = LineKind::other_nmea;
    Sentence& s = out.sentence;
    s.sequence_id.reset();
    s.tag_block.reset();
    s.trailing_time.reset();
    s.tag_block_invalid = false;

    // Skip junk before the first start delimiter (timestamps prefixed by loggers, noise).
    std::size_t start = 0;
    while (start < line.size() && line[start] != '!' && line[start] != '$' && line[start] != '\\') {
        ++start;
    }
    if (start == line.size()) {
        return errc::not_nmea;
    }
    line.remove_prefix(start);
    if (line.front() == '$') {
        // Other NMEA is ignored, but only if it looks like NMEA: "$" + address of letters and
        // digits + ','. Binary junk that happens to contain '$' is not a sentence.
        const auto comma = line.find(',');
        if (comma == std::string_view::npos || comma < 3 || comma > 7) {
            return errc::not_nmea;
        }
        for (std::size_t i = 1; i < comma; ++i) {
            const char c = line[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return errc::not_nmea;
            }
        }
    }

    bool tag_block_invalid = false;
    std::optional<TagBlock> tag_block;
    if (line.front() == '\\') {
        const auto close = line.find('\\', 1);
        const auto bang = line.find_first_of("!$", 1);
        if (close != std::string_view::npos && (bang == std::string_view::npos || close < bang)) {
            tag_block = parse_tag_block(line.substr(1, close - 1));
            tag_block_invalid = !tag_block.has_value();
            line.remove_prefix(close + 1);
        } else if (bang != std::string_view::npos) {
            // Unterminated tag block: drop it and resynchronise on the sentence.
            tag_block_invalid = true;
            line.remove_prefix(bang);
        } else {
            return errc::bad_tag_block;
        }
        if (line.empty() || (line.front() != '!' && line.front() != '$')) {
            return errc::bad_tag_block;
        }
    }

    // Checksum: `*hh` ends the sentence; anything after it is receiver metadata.
    const auto star = line.find('*');
    if (star == std::string_view::npos) {
        return line.front() == '$' ? (out.kind = LineKind::other_nmea, errc::ok)
                                   : errc::missing_checksum;
    }
    const std::string_view body = line.substr(1, star - 1);
    const std::string_view after = line.substr(star + 1);
    const auto given = parse_hex2(after.substr(0, std::min<std::size_t>(2, after.size())));
    if (after.size() < 2 || !given) {
        return line.front() == '$' ? errc::ok : errc::bad_checksum;
    }
    // One pass: printable-ASCII check and XOR checksum (IEC 61162-1 §7.2.3).
    unsigned sum = 0;
    unsigned bad = 0;
    for (const char c : body) {
        const auto u = static_cast<unsigned char>(c);
        bad |= static_cast<unsigned>(u < 0x20 || u > 0x7e);
        sum ^= u;
    }
    if (bad != 0) {
        return errc::bad_character;
    }
    if (*given != sum) {
        return errc::bad_checksum;
    }

    if (body.starts_with("PGHP,") && line.front() == '$') { // a Gatehouse header is a '$' sentence
        return parse_gatehouse(body, out);
    }
    // Sentence type: 2-character talker + 3-character formatter.
    if (body.size() < 6 || body[5] != ',') {
        return line.front() == '$' ? errc::ok : errc::bad_field_count;
    }
    const std::string_view formatter = body.substr(2, 3);
    for (const char c : formatter) {
        if (c < 'A' || c > 'Z') {
            return errc::bad_address; // e.g. "!aivdm": the address field is upper case
        }
    }
    if (formatter == "ZDA") {
        return parse_zda(body, out);
    }
    if (formatter != "VDM" && formatter != "VDO") {
        return errc::ok; // other NMEA ($GPRMC, $AIALR, ...), kind stays other_nmea
    }

    std::array<std::string_view, 7> f{};
    if (split_vdm(body, f) != 7) {
        return errc::bad_field_count;
    }
    s.talker = body.substr(0, 2);
    s.own_ship = formatter == "VDO";

    const auto count = parse_small(f[1]);
    if (!count || *count < 1 || *count > 9) {
        return errc::bad_fragment_count;
    }
    const auto number = parse_small(f[2]);
    if (!number || *number < 1 || *number > *count) {
        return errc::bad_fragment_number;
    }
    s.fragment_count = *count;
    s.fragment_number = *number;
    if (!f[3].empty()) {
        const auto seq = parse_small(f[3]);
        if (!seq || *seq < 0 || *seq > 9) {
            return errc::bad_sequence_id;
        }
        s.sequence_id = *seq;
    }
    if (f[4].empty()) {
        s.channel = '\0';
    } else if (f[4].size() == 1) {
        const char c = f[4][0];
        if (c == 'A' || c == 'B' || c == 'C' || c == 'D') {
            s.channel = c;
        } else if (c == '1') {
            s.channel = 'A';
        } else if (c == '2') {
            s.channel = 'B';
        } else if (c == '0') {
            s.channel = '\0'; // real receivers (AMSA 2012 log) write 0 for "unknown"
        } else {
            return errc::bad_channel;
        }
    } else {
        return errc::bad_channel;
    }
    if (f[5].empty()) {
        return errc::empty_payload;
    }
    // ITU-R M.1371-5 Annex 8 Table 47: valid armour characters are '0'..'W' and '`'..'w'
    // (the table marks every other byte 0xFF); checked without a branch per character.
    unsigned armour = 0;
    for (const char c : f[5]) {
        armour |= detail::armour_table[static_cast<unsigned char>(c)];
    }
    if ((armour & 0x80U) != 0) {
        return errc::bad_armour_character;
    }
    s.payload = f[5];
    if (f[6].empty()) {
        s.fill_bits = 0;
    } else {
        const auto fill = parse_small(f[6]);
        if (!fill || *fill < 0 || *fill > 5 || *fill >= static_cast<int>(s.payload.size()) * 6) {
            return errc::bad_fill_bits;
        }
        s.fill_bits = *fill;
    }
    s.tag_block = std::move(tag_block);
    s.tag_block_invalid = tag_block_invalid;

    // Trailing receiver fields, e.g. ",b003660465" or ",1daasd4218,,1357134222". Other bytes
    // after the checksum (noise, a stray UTF-8 character) are ignored: the sentence is intact.
    if (after.size() > 3 && after[2] == ',') {
        const std::string_view trailer = trim(after.substr(3));
        const auto last_comma = trailer.rfind(',');
        const std::string_view last =
            last_comma == std::string_view::npos ? trailer : trailer.substr(last_comma + 1);
        s.trailing_time = parse_unix_time(trim(last));
    }
    out.kind = LineKind::ais;
    return errc::ok;
}

} // namespace sahil::ais

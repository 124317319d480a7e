#include "ais/encoder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>

#include "ais/sentence.hpp"

namespace sahil::ais {
namespace {

// Nominal bit lengths (M.1371-5 Tables 46, 52, 70, 71, 76-78); the decoder reads the same.
constexpr int class_a_bits = 168;
constexpr int static_voyage_bits = 424;
constexpr int class_b_bits = 168;
constexpr int class_b_ext_bits = 312;
constexpr int static_data_bits = 168;

[[noreturn]] void fail(std::string_view field, std::string_view why) {
    throw std::invalid_argument("ais::encode: " + std::string(field) + ": " + std::string(why));
}

/// 6-bit code of a Table 47 character, or -1.
int sixbit_code(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 64 && u <= 95) {
        return u - 64; // '@', 'A'..'Z', '[', '\', ']', '^', '_'
    }
    if (u >= 32 && u <= 63) {
        return u; // ' ', '!'..'?'
    }
    return -1;
}

/// Writes fields most significant bit first into a fixed-length bit string (all bits start 0).
class BitWriter {
public:
    explicit BitWriter(int bits) : m_bits(static_cast<std::size_t>(bits), 0) {}

    /// Unsigned field; throws when `value` needs more than `width` bits.
    void u(int start, int width, std::uint64_t value, std::string_view field) {
        if (width < 64 && value >= (std::uint64_t{1} << static_cast<unsigned>(width))) {
            fail(field, "value " + std::to_string(value) + " does not fit in " +
                            std::to_string(width) + " bits");
        }
        put(start, width, value);
    }

    /// Two's-complement signed field; throws when `value` is outside the field's range.
    void s(int start, int width, std::int64_t value, std::string_view field) {
        const std::int64_t lo = -(std::int64_t{1} << static_cast<unsigned>(width - 1));
        const std::int64_t hi = (std::int64_t{1} << static_cast<unsigned>(width - 1)) - 1;
        if (value < lo || value > hi) {
            fail(field, "value " + std::to_string(value) + " does not fit in " +
                            std::to_string(width) + " signed bits");
        }
        const std::uint64_t mask = (std::uint64_t{1} << static_cast<unsigned>(width)) - 1;
        put(start, width, static_cast<std::uint64_t>(value) & mask);
    }

    void b(int start, bool value) { put(start, 1, value ? 1U : 0U); }

    /// 6-bit text of exactly `chars` characters, padded with '@' (code 0).
    void text(int start, int chars, std::string_view value, std::string_view field) {
        if (value.size() > static_cast<std::size_t>(chars)) {
            fail(field, "text \"" + std::string(value) + "\" longer than " + std::to_string(chars) +
                            " characters");
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            const int code = sixbit_code(value[i]);
            if (code < 0) {
                fail(field, "character outside ITU-R M.1371 6-bit ASCII in \"" +
                                std::string(value) + "\"");
            }
            put(start + static_cast<int>(i) * 6, 6, static_cast<std::uint64_t>(code));
        }
        // Remaining characters stay 0 = '@', the standard's padding.
    }

    [[nodiscard]] ArmouredPayload armour() const {
        ArmouredPayload out;
        const std::size_t chars = (m_bits.size() + 5) / 6;
        out.fill_bits = static_cast<int>(chars * 6 - m_bits.size());
        out.payload.reserve(chars);
        for (std::size_t c = 0; c < chars; ++c) {
            unsigned v = 0;
            for (std::size_t i = c * 6; i < c * 6 + 6; ++i) {
                v = (v << 1U) | (i < m_bits.size() ? m_bits[i] : 0U);
            }
            // Annex 8 §3.3.4: values 0..39 -> '0'..'W', 40..63 -> '`'..'w'.
            out.payload.push_back(static_cast<char>(v < 40 ? v + 48 : v + 56));
        }
        return out;
    }

private:
    void put(int start, int width, std::uint64_t value) {
        for (int i = 0; i < width; ++i) {
            const auto shift = static_cast<unsigned>(width - 1 - i);
            m_bits[static_cast<std::size_t>(start + i)] =
                static_cast<std::uint8_t>((value >> shift) & 1U);
        }
    }

    std::vector<std::uint8_t> m_bits;
};

void write_header(BitWriter& w, unsigned type, std::uint8_t repeat, std::uint32_t mmsi) {
    w.u(0, 6, type, "type");
    w.u(6, 2, repeat, "repeat");
    w.u(8, 30, mmsi, "mmsi");
}

void write_position(BitWriter& w, int at, const PositionFields& p) {
    // `at` is the bit where SOG starts: 50 for types 1-3, 46 for types 18/19.
    w.u(at, 10, p.sog_raw, "sog_raw");
    w.b(at + 10, p.accuracy);
    w.s(at + 11, 28, p.lon_raw, "lon_raw");
    w.s(at + 39, 27, p.lat_raw, "lat_raw");
    w.u(at + 66, 12, p.cog_raw, "cog_raw");
    w.u(at + 78, 9, p.heading_raw, "heading_raw");
    w.u(at + 87, 6, p.second, "second");
}

ArmouredPayload encode_class_a(const PositionReport& m) {
    if (m.type < 1 || m.type > 3) {
        fail("type", "PositionReport type must be 1, 2 or 3, not " + std::to_string(m.type));
    }
    BitWriter w(class_a_bits);
    write_header(w, m.type, m.repeat, m.mmsi);
    w.u(38, 4, m.nav_status, "nav_status");
    w.s(42, 8, m.rot_raw, "rot_raw");
    write_position(w, 50, m);
    w.u(143, 2, m.maneuver, "maneuver");
    // 145..147 spare
    w.b(148, m.raim);
    w.u(149, 19, m.radio, "radio");
    return w.armour();
}

ArmouredPayload encode_static_voyage(const StaticVoyageData& m) {
    BitWriter w(static_voyage_bits);
    write_header(w, 5, m.repeat, m.mmsi);
    w.u(38, 2, m.ais_version, "ais_version");
    w.u(40, 30, m.imo, "imo");
    w.text(70, 7, m.callsign, "callsign");
    w.text(112, 20, m.shipname, "shipname");
    w.u(232, 8, m.shiptype, "shiptype");
    w.u(240, 9, m.to_bow, "to_bow");
    w.u(249, 9, m.to_stern, "to_stern");
    w.u(258, 6, m.to_port, "to_port");
    w.u(264, 6, m.to_starboard, "to_starboard");
    w.u(270, 4, m.epfd, "epfd");
    w.u(274, 4, m.eta_month, "eta_month");
    w.u(278, 5, m.eta_day, "eta_day");
    w.u(283, 5, m.eta_hour, "eta_hour");
    w.u(288, 6, m.eta_minute, "eta_minute");
    w.u(294, 8, m.draught_raw, "draught_raw");
    w.text(302, 20, m.destination, "destination");
    w.b(422, m.dte);
    // 423 spare
    return w.armour();
}

ArmouredPayload encode_class_b(const ClassBPositionReport& m) {
    BitWriter w(class_b_bits);
    write_header(w, 18, m.repeat, m.mmsi);
    w.u(38, 8, m.reserved, "reserved");
    write_position(w, 46, m);
    w.u(139, 2, m.regional, "regional");
    w.b(141, m.cs);
    w.b(142, m.display);
    w.b(143, m.dsc);
    w.b(144, m.band);
    w.b(145, m.msg22);
    w.b(146, m.assigned);
    w.b(147, m.raim);
    w.u(148, 20, m.radio, "radio");
    return w.armour();
}

ArmouredPayload encode_class_b_extended(const ClassBExtendedReport& m) {
    BitWriter w(class_b_ext_bits);
    write_header(w, 19, m.repeat, m.mmsi);
    w.u(38, 8, m.reserved, "reserved");
    write_position(w, 46, m);
    w.u(139, 4, m.regional, "regional");
    w.text(143, 20, m.shipname, "shipname");
    w.u(263, 8, m.shiptype, "shiptype");
    w.u(271, 9, m.to_bow, "to_bow");
    w.u(280, 9, m.to_stern, "to_stern");
    w.u(289, 6, m.to_port, "to_port");
    w.u(295, 6, m.to_starboard, "to_starboard");
    w.u(301, 4, m.epfd, "epfd");
    w.b(305, m.raim);
    w.b(306, m.dte);
    w.b(307, m.assigned);
    // 308..311 spare
    return w.armour();
}

ArmouredPayload encode_static_data(const StaticDataReport& m) {
    if (m.part > 1) {
        fail("part", "type 24 part must be 0 (A) or 1 (B), not " + std::to_string(m.part));
    }
    BitWriter w(static_data_bits);
    write_header(w, 24, m.repeat, m.mmsi);
    w.u(38, 2, m.part, "part");
    if (m.part == 0) {
        w.text(40, 20, m.shipname, "shipname");
        // 160..167 spare (M.1371-4 and later)
        return w.armour();
    }
    w.u(40, 8, m.shiptype, "shiptype");
    if (m.model == 0 && m.serial == 0) {
        w.text(48, 7, m.vendorid, "vendorid");
    } else {
        const std::string_view vendor(m.vendorid);
        w.text(48, 3, vendor.substr(0, std::min<std::size_t>(3, vendor.size())), "vendorid");
        w.u(66, 4, m.model, "model");
        w.u(70, 20, m.serial, "serial");
    }
    w.text(90, 7, m.callsign, "callsign");
    if (m.is_auxiliary()) {
        w.u(132, 30, m.mothership_mmsi, "mothership_mmsi");
    } else {
        w.u(132, 9, m.to_bow, "to_bow");
        w.u(141, 9, m.to_stern, "to_stern");
        w.u(150, 6, m.to_port, "to_port");
        w.u(156, 6, m.to_starboard, "to_starboard");
    }
    // 162..167 spare
    return w.armour();
}

constexpr std::array<char, 16> hex_digits{'0', '1', '2', '3', '4', '5', '6', '7',
                                          '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};

std::string hex2(std::uint8_t v) {
    return {hex_digits[static_cast<std::size_t>(v >> 4U)], hex_digits[v & 0x0FU]};
}

std::string tag_block(std::optional<UtcTime> time, std::string_view source) {
    std::string body;
    if (!source.empty()) {
        body += "s:";
        body += source;
    }
    if (time) {
        if (!body.empty()) {
            body += ',';
        }
        body += "c:" + std::to_string(unix_seconds(*time));
    }
    return "\\" + body + "*" + hex2(nmea_checksum(body)) + "\\";
}

} // namespace

bool is_sixbit_text(std::string_view text) noexcept {
    for (const char c : text) {
        if (sixbit_code(c) < 0) {
            return false;
        }
    }
    return true;
}

namespace {
struct EncodeVisitor {
    ArmouredPayload operator()(const PositionReport& m) const { return encode_class_a(m); }
    ArmouredPayload operator()(const StaticVoyageData& m) const { return encode_static_voyage(m); }
    ArmouredPayload operator()(const ClassBPositionReport& m) const { return encode_class_b(m); }
    ArmouredPayload operator()(const ClassBExtendedReport& m) const {
        return encode_class_b_extended(m);
    }
    ArmouredPayload operator()(const StaticDataReport& m) const { return encode_static_data(m); }
    template <class Other> ArmouredPayload operator()(const Other& m) const {
        throw std::invalid_argument("ais::encode: message type " +
                                    std::to_string(message_type(AisMessage(m))) +
                                    " is not encoded (only 1, 2, 3, 5, 18, 19, 24)");
    }
};
} // namespace

ArmouredPayload encode(const AisMessage& message) {
    return std::visit(EncodeVisitor{}, message);
}

std::vector<std::string> to_sentences(const ArmouredPayload& payload, char channel, int sequence_id,
                                      std::string_view talker, bool own_ship,
                                      std::optional<UtcTime> tag_time,
                                      std::string_view tag_source) {
    auto invalid = [](const std::string& why) {
        throw std::invalid_argument("ais::to_sentences: " + why);
    };
    if (payload.payload.empty()) {
        invalid("empty payload");
    }
    for (const char c : payload.payload) {
        if (!((c >= '0' && c <= 'W') || (c >= '`' && c <= 'w'))) {
            invalid("payload character outside the 6-bit armour set");
        }
    }
    if (payload.fill_bits < 0 || payload.fill_bits > 5) {
        invalid("fill bits must be 0..5");
    }
    const std::size_t count =
        (payload.payload.size() + max_fragment_payload_chars - 1) / max_fragment_payload_chars;
    if (count > 9) {
        invalid("payload needs more than 9 sentences");
    }
    if (channel != '\0' && channel != 'A' && channel != 'B' && channel != 'C' && channel != 'D') {
        invalid("channel must be A, B, C, D or empty");
    }
    if (sequence_id < 0 || sequence_id > 9) {
        invalid("sequence id must be 0..9");
    }
    if (talker.size() != 2 || talker[0] < '!' || talker[0] > '~' || talker[1] < '!' ||
        talker[1] > '~' || talker.find_first_of(",*!$\\") != std::string_view::npos) {
        invalid("talker must be two printable characters");
    }
    for (const char c : tag_source) {
        if (c < ' ' || c > '~' || c == ',' || c == '*' || c == '\\' || c == '!' || c == '$') {
            invalid("tag source holds a character that is not allowed in a tag block");
        }
    }

    const std::string prefix =
        (tag_time || !tag_source.empty()) ? tag_block(tag_time, tag_source) : std::string();
    std::vector<std::string> out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::string body(talker);
        body += own_ship ? "VDO," : "VDM,";
        body += std::to_string(count) + ',' + std::to_string(i + 1) + ',';
        if (count > 1) {
            body += std::to_string(sequence_id);
        }
        body += ',';
        if (channel != '\0') {
            body += channel;
        }
        body += ',';
        body += payload.payload.substr(i * max_fragment_payload_chars, max_fragment_payload_chars);
        body += ',';
        body += std::to_string(i + 1 == count ? payload.fill_bits : 0);
        out.push_back(prefix + "!" + body + "*" + hex2(nmea_checksum(body)));
    }
    return out;
}

} // namespace sahil::ais

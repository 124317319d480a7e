// libFuzzer target for sahil::ais::decode(payload, fill_bits) alone (ITU-R M.1371-5 Annex 8).
//
// Input: one byte of fill bits (its low 3 bits: the ASCII digits '0'..'7' give 0..7, and 6 and
// 7 must be rejected), then the armoured payload, e.g. "015RTgt0PAso;90TKcjM8h6g208CQ" for
// fill bits 0 and a type 1 report. Seeds: the reassembled payloads of corpus.nmea.
// Invariants (any violation traps; see docs/fuzzing.md):
//   - the error is inside the enum; success only for fill bits 0..5 and a non-empty payload of
//     armour characters, with bit_length == 6 * characters - fill bits, 38..2048 bits;
//   - the decoded type is 1..27 and equals peek_message_type(payload);
//   - the gpsd JSON, scaled and unscaled, passes check_gpsd_json();
//   - the scaled accessors keep their documented ranges (ais/messages*.hpp: "n/a" values and
//     out-of-range raw values become an empty optional, never a number downstream): latitudes
//     within ±90°, longitudes ±180°, course [0, 360), heading 0..359, second 0..59, speed
//     0..102.2 kn (0..1022 kn for the SAR aircraft of type 9, 0..62 kn for type 27), altitude
//     0..4094 m, rate of turn finite; a base station's utc_time() shows its own date fields;
//   - for the types the encoder handles (1, 2, 3, 5, 18, 19, 24): encode() does not throw,
//     its payload decodes at the nominal length without error, and renders the same unscaled
//     gpsd JSON as the original ("exact inverse of decode()", ais/encoder.hpp).
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "ais/decoder.hpp"
#include "ais/encoder.hpp"
#include "ais/error.hpp"
#include "ais/gpsd_json.hpp"
#include "tests/fuzz/gpsd_json_check.hpp"

namespace {

namespace ais = sahil::ais;
using sahil::fuzz::fail;
using sahil::fuzz::require;

bool is_armour(char c) noexcept {
    return (c >= '0' && c <= 'W') || (c >= '`' && c <= 'w');
}

/// An accessor's value, when present, is finite and inside [lo, hi] (or [lo, hi) when `open`).
template <class T>
void require_range(const std::optional<T>& v, double lo, double hi, const char* what,
                   bool open = false) {
    if (!v) {
        return;
    }
    const auto x = static_cast<double>(*v);
    if (!std::isfinite(x) || x < lo || x > hi || (open && x >= hi)) {
        fail("scaled accessor out of its documented range", what + (" = " + std::to_string(x)));
    }
}

template <class Msg> void check_accessors(const Msg& m) {
    if constexpr (requires { m.lat_deg(); }) {
        require_range(m.lat_deg(), -90.0, 90.0, "lat_deg()");
        require_range(m.lon_deg(), -180.0, 180.0, "lon_deg()");
    }
    if constexpr (requires { m.ne_lat_deg(); }) {
        require_range(m.ne_lat_deg(), -90.0, 90.0, "ne_lat_deg()");
        require_range(m.sw_lat_deg(), -90.0, 90.0, "sw_lat_deg()");
        require_range(m.ne_lon_deg(), -180.0, 180.0, "ne_lon_deg()");
        require_range(m.sw_lon_deg(), -180.0, 180.0, "sw_lon_deg()");
    }
    if constexpr (requires { m.cog_deg(); }) {
        require_range(m.cog_deg(), 0.0, 360.0, "cog_deg()", /*open=*/true);
    }
    if constexpr (requires { m.heading_deg(); }) {
        require_range(m.heading_deg(), 0.0, 359.0, "heading_deg()");
    }
    if constexpr (requires { m.utc_second(); }) {
        require_range(m.utc_second(), 0.0, 59.0, "utc_second()");
    }
    if constexpr (requires { m.sog_knots(); }) {
        double max_knots = 102.2; // 0.1 kn fields: 1022 = "102.2 kn or more"
        if constexpr (std::is_same_v<Msg, ais::SarAircraftReport>) {
            max_knots = 1022.0; // whole knots: 1022 = "1022 kn or more"
        } else if constexpr (std::is_same_v<Msg, ais::LongRangePositionReport>) {
            max_knots = 62.0; // whole knots, 63 = n/a
        }
        require_range(m.sog_knots(), 0.0, max_knots, "sog_knots()");
    }
    if constexpr (requires { m.altitude_m(); }) {
        require_range(m.altitude_m(), 0.0, 4094.0, "altitude_m()");
    }
    if constexpr (requires { m.rot_deg_per_min(); }) {
        require_range(m.rot_deg_per_min(), -720.0, 720.0, "rot_deg_per_min()"); // (126/4.733)²
    }
    if constexpr (requires { m.utc_time(); }) {
        if (const auto t = m.utc_time()) {
            const auto day = std::chrono::floor<std::chrono::days>(*t);
            const std::chrono::year_month_day ymd{day};
            const std::chrono::hh_mm_ss hms{*t - day};
            const bool same = static_cast<int>(ymd.year()) == m.year &&
                              static_cast<unsigned>(ymd.month()) == m.month &&
                              static_cast<unsigned>(ymd.day()) == m.day &&
                              hms.hours().count() == m.hour && hms.minutes().count() == m.minute &&
                              hms.seconds().count() == m.second;
            require(same, "utc_time() differs from the date and time fields");
        }
    }
}

bool encoder_handles(int type) noexcept {
    return (type >= 1 && type <= 3) || type == 5 || type == 18 || type == 19 || type == 24;
}

void check_round_trip(const ais::DecodeResult& first, std::string_view payload,
                      const std::string& unscaled) {
    ais::ArmouredPayload again;
    try {
        again = ais::encode(first.message);
    } catch (const std::invalid_argument& e) {
        fail("encode() rejects a decoded message", e.what());
    }
    const ais::DecodeResult second = ais::decode(again.payload, again.fill_bits);
    if (second.error != ais::errc::ok) {
        fail("the encoded payload does not decode",
             std::string(ais::to_string(second.error)) + ": " + again.payload);
    }
    require(!second.length_mismatch, "the encoded payload is not at the nominal length",
            again.payload);
    const std::string rendered = ais::to_gpsd_json(second.message, {false, {}});
    if (rendered != unscaled) {
        fail("decode(encode(decode(p))) differs from decode(p)",
             std::string(payload) + " -> " + again.payload + "\n*** " + unscaled + "\n*** " +
                 rendered);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const int fill_bits = data[0] & 7;
    const std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);

    const ais::DecodeResult result = ais::decode(payload, fill_bits);
    require(static_cast<std::size_t>(result.error) < ais::errc_count, "error outside the enum");
    if (result.error != ais::errc::ok) {
        return 0;
    }
    require(fill_bits <= 5, "fill bits 6 or 7 accepted");
    require(!payload.empty(), "empty payload accepted");
    for (const char c : payload) {
        require(is_armour(c), "non-armour character accepted", payload);
    }
    require(result.bit_length == static_cast<int>(payload.size()) * 6 - fill_bits,
            "bit_length is not 6 * characters - fill bits");
    require(result.bit_length >= 38 && result.bit_length <= 2048, "bit length out of 38..2048");

    const int type = ais::message_type(result.message);
    require(type >= 1 && type <= 27, "message type outside 1..27");
    require(type == ais::peek_message_type(payload), "type differs from peek_message_type()");

    std::string unscaled;
    for (const bool scaled : {true, false}) {
        const ais::GpsdJsonOptions options{scaled, {}};
        std::string json = ais::to_gpsd_json(result.message, options);
        sahil::fuzz::check_gpsd_json(json, result.message, options);
        if (!scaled) {
            unscaled = std::move(json);
        }
    }
    std::visit([](const auto& m) { check_accessors(m); }, result.message);
    if (encoder_handles(type)) {
        check_round_trip(result, payload, unscaled);
    }
    return 0;
}

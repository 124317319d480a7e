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
//   - for the types the encoder handles (1, 2, 3, 5, 18, 19, 24): encode() does not throw,
//     its payload decodes at the nominal length without error, and renders the same unscaled
//     gpsd JSON as the original ("exact inverse of decode()", ais/encoder.hpp).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

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
    if (encoder_handles(type)) {
        check_round_trip(result, payload, unscaled);
    }
    return 0;
}

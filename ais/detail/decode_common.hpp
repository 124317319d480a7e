// Shared pieces of the per-type decoders (internal to sahil_ais). Each decode_* function takes
// a BitReader over a payload of at least 38 bits (type, repeat indicator, MMSI) whose type
// field matches, and returns a DecodeResult: errc::ok with the message, or errc::too_short
// (payload ends before the last field the type needs; nothing partial is emitted), or a
// type-specific error. `length_mismatch` is set when the bit length differs from nominal.
#pragma once

#include "ais/bit_reader.hpp"
#include "ais/decoder.hpp"

namespace sahil::ais::detail {

/// Nominal bit length of a message type, and the minimum length its decoder needs (bits up to
/// and including the last field reported other than trailing radio status / spare bits).
/// For variable-length types (binary, text) `nominal` is the longest allowed length.
struct Lengths {
    int nominal;
    int minimum;
};

/// Completes `res` with the bit length and the length checks of `len`: too short ->
/// errc::too_short; otherwise length_mismatch = (bit length != nominal).
inline DecodeResult finish(DecodeResult res, const BitReader& r, Lengths len) {
    res.bit_length = r.bit_length();
    if (r.bit_length() < len.minimum) {
        res.error = errc::too_short;
    } else {
        res.length_mismatch = r.bit_length() != len.nominal;
    }
    return res;
}

/// Like finish() for variable-length messages: too short below `minimum`, mismatch above
/// `maximum` (decoded from its first bits).
inline DecodeResult finish_variable(DecodeResult res, const BitReader& r, int minimum,
                                    int maximum) {
    res.bit_length = r.bit_length();
    if (r.bit_length() < minimum) {
        res.error = errc::too_short;
    } else {
        res.length_mismatch = r.bit_length() > maximum;
    }
    return res;
}

/// Repeat indicator (bits 6..7) and source MMSI (bits 8..37) common to every message type.
template <class Msg> void read_header(const BitReader& r, Msg& m) {
    m.repeat = static_cast<std::uint8_t>(r.u(6, 2));
    m.mmsi = r.u(8, 30);
}

// Types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23, 27 (ais/decoder_station.cpp).
DecodeResult decode_base_station(const BitReader& r, int type);
DecodeResult decode_binary_ack(const BitReader& r, int type);
DecodeResult decode_sar_aircraft(const BitReader& r);
DecodeResult decode_utc_inquiry(const BitReader& r);
DecodeResult decode_addressed_safety(const BitReader& r);
DecodeResult decode_safety_broadcast(const BitReader& r);
DecodeResult decode_interrogation(const BitReader& r);
DecodeResult decode_assignment(const BitReader& r);
DecodeResult decode_dgnss(const BitReader& r);
DecodeResult decode_data_link_management(const BitReader& r);
DecodeResult decode_aid_to_navigation(const BitReader& r);
DecodeResult decode_channel_management(const BitReader& r);
DecodeResult decode_group_assignment(const BitReader& r);
DecodeResult decode_long_range(const BitReader& r);

// Types 6, 8, 25, 26 and their application messages (ais/decoder_binary.cpp).
DecodeResult decode_addressed_binary(const BitReader& r);
DecodeResult decode_broadcast_binary(const BitReader& r);
DecodeResult decode_single_slot_binary(const BitReader& r);
DecodeResult decode_multi_slot_binary(const BitReader& r);

} // namespace sahil::ais::detail

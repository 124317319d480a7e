// AIS payload decoding (ITU-R M.1371-5 Annex 8: 6-bit armour, bit fields, 6-bit text).
//
// `decode("15RTgt0PAso;90TKcjM8h6g208CQ", 0, out)` -> PositionReport{type 1, MMSI 371798000, ...}.
// Data path: FragmentAssembler -> decode -> FeedRecord.
// Decodes every ITU-R M.1371-5 message type 1..27 (type 24 parts A and B; the DAC/FI
// application messages of types 6 and 8 listed in ais/binary_application.hpp); types 0 and
// 28..63 are errc::unknown_type. Policy on length: a payload shorter than the last field the
// type needs is errc::too_short (nothing partial is emitted); a payload longer than the type
// allows is errc::too_long_for_type (as gpsd); in between, a longer one is decoded from its
// first bits and flagged in `DecodeResult::length_mismatch`, as gpsd does. Bits past the end of
// a slightly short payload inside trailing spare/radio fields read as 0 and are also flagged.
// Decoding never allocates: text and binary data live inside the message structs.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "ais/error.hpp"
#include "ais/messages.hpp"

namespace sahil::ais {

/// Result of decode(): `error` is errc::ok when `message` holds the decoded message.
struct DecodeResult {
    errc error = errc::ok;
    AisMessage message;
    bool length_mismatch = false; ///< bit length differs from the type's nominal length
    int bit_length = 0;           ///< payload bits after removing the fill bits
};

/// Outcome of decode_into(): `error` is errc::ok when the message was written.
struct DecodeStatus {
    errc error = errc::ok;
    bool length_mismatch = false; ///< bit length differs from the type's nominal length
    int bit_length = 0;           ///< payload bits after removing the fill bits
};

/// Decodes an armoured payload. `fill_bits` 0..5 are dropped from the end.
/// Never throws; never reads past the payload.
DecodeResult decode(std::string_view payload, int fill_bits);

/// Like decode(), writing the message into `out` (reused storage: the hot path of
/// StreamDecoder). On error `out` holds an unspecified message.
DecodeStatus decode_into(std::string_view payload, int fill_bits, AisMessage& out);

/// Message type (0..63) from the first payload character, or -1 when the payload is empty or
/// its first character is not valid armour.
int peek_message_type(std::string_view payload) noexcept;

/// Decodes ITU-R M.1371-5 6-bit text (Table 47) from `bits` starting at `start`, `chars`
/// characters long: code 0 is '@', 1..26 'A'..'Z', 32 ' ', 31 '_', 39 '\''. Cut at the first
/// '@' (the standard's "no more characters") and trailing blanks removed, as gpsd does.
std::string sixbit_text_from_payload(std::string_view payload, int start_bit, int chars);

} // namespace sahil::ais

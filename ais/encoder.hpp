// AIS payload encoding and NMEA sentence building (ITU-R M.1371-5 Annex 8, IEC 61162-1 / NMEA 4).
//
// The exact inverse of decode(): `encode(PositionReport{type 1, MMSI 371798000, ...})` ->
// {"15RTgt0PAso;90TKcjM8h6g208CQ", 0}, and `to_sentences()` wraps a payload into
// `!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A` (optionally behind a `\s:sim,c:...*hh\` tag
// block). Every field is written at the bit position decoder.cpp reads it from; spare and
// regional bits the structs do not hold are written as 0; text is ITU-R M.1371-5 Table 47 6-bit
// ASCII padded with '@'. Messages are always written at their type's nominal length (type 24
// part A at the 168 bits of M.1371-4 and later, not the 160 bits of M.1371-3).
// Data path: not on the ingest path. Used by the scenario simulator (server/sim) and by tests to
// build sentences with known content.
// Errors: encoding is for trusted, program-built messages, so a value that does not fit its field
// is a programming error and throws std::invalid_argument naming the field.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ais/messages.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// A 6-bit armoured AIS payload and its fill bits, as carried in the 6th and 7th fields of a
/// `!xxVDM` sentence (after reassembly of all fragments).
struct ArmouredPayload {
    std::string payload; ///< armour characters '0'..'W' and '`'..'w' (M.1371-5 Annex 8 Table 47)
    int fill_bits = 0;   ///< bits added to reach a multiple of 6, 0..5
};

/// Longest payload one sentence carries: 60 armour characters keep `!AIVDM,n,m,s,c,<60>,f*hh`
/// at 80 characters, within the 82-character limit of IEC 61162-1 including CR LF.
inline constexpr std::size_t max_fragment_payload_chars = 60;

/// True when every character of `text` has a code in ITU-R M.1371-5 Table 47: '@', 'A'..'Z',
/// '[', '\\', ']', '^', '_', ' ', '!'..'?' (ASCII 32..95). Lower-case letters are not in the table.
[[nodiscard]] bool is_sixbit_text(std::string_view text) noexcept;

/// Encodes a message at its type's nominal bit length: types 1-3 and 18 168 bits (28 characters,
/// 0 fill), type 5 424 bits (71 characters, 2 fill), type 19 312 bits (52 characters, 0 fill),
/// type 24 parts A and B 168 bits (28 characters, 0 fill).
///
/// Field rules: raw integer fields are written as they are; text fields are written up to their
/// length (call sign 7, names and destination 20, vendor id 7 characters) and padded with '@'.
/// Type 24 part B: the vendor id's first 3 characters fill bits 48..65 and `model`/`serial` fill
/// bits 66..89 (M.1371-4 layout); only when model and serial are both 0 does a longer vendor id
/// fill bits 48..89 on its own (M.1371-3 layout). For auxiliary craft (MMSI 98xxxxxxx) bits
/// 132..161 carry `mothership_mmsi` instead of the dimensions.
/// @throws std::invalid_argument when a value does not fit its field (e.g. MMSI ≥ 2^30, type of a
/// PositionReport not 1..3, type 24 part not 0 or 1, latitude raw outside 27-bit two's
/// complement), or a text is too long or holds a character outside Table 47 (see is_sixbit_text).
[[nodiscard]] ArmouredPayload encode(const AisMessage& message);

/// Wraps a payload into NMEA 0183 sentences `!<talker>VDM` (or `VDO` when `own_ship`), one per
/// fragment of at most max_fragment_payload_chars characters (at most 9 fragments). The fill bits
/// go on the last fragment and 0 on the others; the sequence id field is empty for a
/// single-sentence message and `sequence_id` for a multi-sentence one. The checksum is the XOR
/// of the characters between '!' and '*' (IEC 61162-1 §7.2.3), two upper-case hex digits.
///
/// When `tag_time` or `tag_source` is given, each sentence is prefixed with an NMEA 4 tag block
/// `\s:<tag_source>,c:<Unix seconds>*hh\` (either part may be absent; the time is rounded down
/// to whole seconds; hh = XOR of the characters between the backslashes, before '*').
/// No line terminator is appended.
///
/// @param channel 'A', 'B', 'C', 'D', or '\0' for an empty channel field
/// @param sequence_id sequential message id 0..9, used only for multi-sentence messages
/// @param talker two printable characters, e.g. "AI" (mobile AIS station), "AB" (base station)
/// @throws std::invalid_argument on an empty payload, a payload needing more than 9 fragments,
/// fill bits outside 0..5, an invalid channel, sequence id or talker, or a tag source holding
/// ',', '*', '\\', '!', '$' or a character outside printable ASCII.
[[nodiscard]] std::vector<std::string>
to_sentences(const ArmouredPayload& payload, char channel = 'A', int sequence_id = 0,
             std::string_view talker = "AI", bool own_ship = false,
             std::optional<UtcTime> tag_time = {}, std::string_view tag_source = {});

} // namespace sahil::ais

// AIS ingest error codes.
//
// Every input the AIS layer rejects (a line, a sentence, a fragment group, a payload) is
// classified by exactly one `sahil::ais::errc` value, so feeds can count bad input by kind
// (IEC 61162-1 framing, ITU-R M.1371-5 payload rules). The layer never throws on untrusted
// input: functions return `std::error_code` built from these values.
//
// Thread-safety: the category object is immutable and may be used from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <system_error>

namespace sahil::ais {

/// Why an input line, sentence or message was rejected. Values are stable: they index the
/// per-feed counters (`FeedCounters::errors`) and name the JSON keys of `/api/feeds`.
enum class errc {
    ok = 0,
    line_too_long,        ///< line longer than LineFramer::max_line_bytes; discarded
    bad_character,        ///< control or non-ASCII byte inside an NMEA sentence
    not_nmea,             ///< line is not an NMEA sentence at all (junk, text)
    missing_checksum,     ///< no `*hh` after the fill-bits field
    bad_checksum,         ///< `*hh` does not match the XOR of the sentence body
    bad_tag_block,        ///< NMEA 4 tag block malformed or its checksum wrong
    bad_address,          ///< address field (talker + formatter) not upper-case letters
    bad_field_count,      ///< !xxVDM sentence without the 7 required fields
    bad_fragment_count,   ///< fragment count not 1..9
    bad_fragment_number,  ///< fragment number not 1..count
    bad_sequence_id,      ///< sequential message id not empty or 0..9
    bad_channel,          ///< radio channel field not A, B, 1, 2, C, D or empty
    bad_fill_bits,        ///< fill bits not 0..5, or more than the payload holds
    bad_armour_character, ///< payload character outside the ITU-R M.1371 6-bit armour set
    empty_payload,        ///< payload field empty
    fragment_missing,     ///< a multi-sentence message lost a fragment (group superseded)
    fragment_timeout,     ///< a multi-sentence message did not complete in time
    duplicate_fragment,   ///< the same fragment arrived twice for one message
    too_short,            ///< payload has fewer bits than its message type needs
    bad_part_number,      ///< type 24 part number 2 or 3 (only 0 = A and 1 = B exist)
    bad_gatehouse_header, ///< $PGHP header malformed
    unknown_type,         ///< message type 0 or 28..63: not defined by ITU-R M.1371-5
    too_long,             ///< payload longer than any AIS message (> 2,048 bits)
    too_long_for_type,    ///< payload longer than its message type allows (e.g. type 7 > 168
                          ///< bits, type 27 neither 96 nor 168); gpsd refuses these too
    count_                ///< number of codes; not an error
};

/// Number of `errc` values, for counter arrays.
inline constexpr std::size_t errc_count = static_cast<std::size_t>(errc::count_);

/// Stable machine name of a code (`"bad_checksum"`), used in counters, logs and JSON.
std::string_view to_string(errc e) noexcept;

/// The `std::error_category` of `errc`; `name()` is `"sahil.ais"`.
const std::error_category& ais_category() noexcept;

/// Makes `std::error_code` from `errc` (ADL hook for `std::error_code ec = errc::...`).
std::error_code make_error_code(errc e) noexcept;

} // namespace sahil::ais

template <> struct std::is_error_code_enum<sahil::ais::errc> : std::true_type {};

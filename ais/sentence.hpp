// NMEA 0183 AIS sentence parsing (IEC 61162-1 framing, NMEA 4.x tag blocks).
//
// One line in, one parsed record out, e.g.
// `\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10
// 00.41.53*55\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78`
// -> talker "AI", VDM, fragment 1 of 1, channel B, payload, 0 fill bits, tag block {s, c}
// (a real ORBCOMM line from libais test/data/tagblock.nmea, corpus.nmea line 2302).
// Data path: LineFramer -> parse_line -> FragmentAssembler -> decode.
// Also recognises `$PGHP` Gatehouse headers and `$xxZDA` (receive time of what follows); classifies
// every other `$...` sentence as other NMEA (ignored for AIS, never an error).
//
// Policy for off-spec input (see tests/ais/sentence_test.cpp for each case):
// - leading junk before the first `!`, `$` or `\` and surrounding blanks are skipped;
// - the checksum is mandatory for AIS sentences and may be written in either case;
// - any two printable characters are accepted as talker (`!BYVDM`, `!=IVDM` are real);
// - channel may be A, B, C, D, 1 (= A), 2 (= B), 0 (unknown, as some receivers write) or empty;
// - an empty fill-bits field counts as 0 (gpsd does the same);
// - a malformed tag block is dropped (counted as bad_tag_block) and the sentence still parsed,
//   since the sentence has its own checksum;
// - trailing receiver fields after the checksum are optional metadata: the last field, when it
//   is a 10-digit Unix time (s) or a 13-digit one (ms), becomes the receive time.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ais/error.hpp"
#include "ais/text.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// NMEA 4.x tag block (`\s:station,c:unixtime,g:1-2-42*hh\`).
struct TagBlock {
    std::optional<std::string> source; ///< `s:` receiving station id
    std::optional<UtcTime> time;       ///< `c:` UTC; seconds, or ms when > 10^11
    std::optional<int> group_number;   ///< `g:` sentence number within the group (1-based)
    std::optional<int> group_count;    ///< `g:` sentences in the group
    std::optional<int> group_id;       ///< `g:` group id
};

/// A parsed `!xxVDM` / `!xxVDO` sentence (one fragment of an AIS message).
/// `payload` views the line given to parse_line(): valid only while that line's bytes are.
struct Sentence {
    FixedText<2> talker;               ///< two characters, e.g. "AI", "AB", "BS"
    bool own_ship = false;             ///< true for VDO (own vessel), false for VDM
    int fragment_count = 1;            ///< 1..9
    int fragment_number = 1;           ///< 1..fragment_count
    std::optional<int> sequence_id;    ///< 0..9; empty for single-sentence messages
    char channel = '\0';               ///< 'A', 'B', 'C', 'D', or '\0' when empty (1 -> A, 2 -> B)
    std::string_view payload;          ///< 6-bit armoured payload characters (view into the line)
    int fill_bits = 0;                 ///< 0..5
    std::optional<TagBlock> tag_block; ///< present when the line carried a valid tag block
    std::optional<UtcTime> trailing_time; ///< receive time from a trailing receiver field
    bool tag_block_invalid = false;       ///< a tag block was present but malformed (dropped)
};

/// A time marker in the stream: a `$PGHP,1,...` Gatehouse header (receive time of the sentence
/// that follows it) or a `$xxZDA` sentence from the receiver's GNSS clock.
struct TimeMarker {
    UtcTime time;
};

/// What a line turned out to be.
enum class LineKind {
    ais,         ///< an AIS sentence (`Sentence`)
    time_marker, ///< a `$PGHP` type 1 header or a `$xxZDA` sentence (`TimeMarker`)
    other_nmea,  ///< any other checksummed or not `$` sentence: ignored for AIS
};

/// Result of parse_line(): `kind` says which member is meaningful.
struct ParsedLine {
    LineKind kind = LineKind::other_nmea;
    Sentence sentence;
    TimeMarker marker;
};

/// Parses one line (without terminator).
/// @returns errc::ok and fills `out`, or the specific reason the line was rejected.
/// Never throws (apart from std::bad_alloc).
errc parse_line(std::string_view line, ParsedLine& out);

/// XOR checksum of the characters between the start delimiter and `*` (IEC 61162-1 §7.2.3).
std::uint8_t nmea_checksum(std::string_view body) noexcept;

} // namespace sahil::ais

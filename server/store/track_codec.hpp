// Compact encoding of fixes for tracks.db: segments (one vessel, one time bucket) and journal
// batches (every vessel, one flush).
//
// Each fix is a flags byte followed by LEB128 varints of zigzag deltas against the previous fix
// of the same blob: time (in whole seconds when it is one, else ms), latitude and longitude
// (microdegrees, as the residual after dead reckoning from the previous step), then the fields that
// are present or changed (SOG, COG and heading as deltas, wrapped for the angles; navigational
// status, message type and source only when they change; receive time as its offset from the fix
// time when not equal). A fishing boat reporting every 10 s at 8 knots costs 8-12 bytes a fix
// (docs/performance.md, "Track store").
//
// Blob layout (version 1): byte 0 = version, varint fix count, then the fixes. A journal batch
// puts before each fix the zigzag deltas of its vessel key and of its write sequence number
// (fixes may be grouped by vessel, as a checkpoint writes them). Decoding is bounds-checked: a
// truncated or damaged blob is reported (returns false), never read past its end.
//
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "server/store/track_store.hpp"

namespace sahil::store {

/// Appends the segment encoding of `fixes` (one vessel, time order) to `out`. The vessel key is
/// not stored in the blob (it is a column of the segment row); decoding sets it from the caller.
void encode_segment(std::span<const TrackFix> fixes, std::vector<std::uint8_t>& out);

/// Decodes a segment blob into `out` (appending), setting each fix's vessel to `vessel`.
/// Returns false if the blob is damaged (unknown version, truncated, trailing bytes); `out` may
/// then hold a prefix of the fixes.
[[nodiscard]] bool decode_segment(std::span<const std::uint8_t> blob, std::int64_t vessel,
                                  std::vector<TrackFix>& out);

/// A fix in a journal batch with its write sequence number (monotonic over the store's life; a
/// segment records the sequence number of its last fix, so recovery knows what is sealed).
struct JournalFix {
    std::uint64_t seq = 0; ///< write sequence number
    TrackFix fix;          ///< the fix
};

/// Appends the journal encoding of `fixes` (any order; grouped by vessel is smallest) to `out`.
void encode_journal(std::span<const JournalFix> fixes, std::vector<std::uint8_t>& out);

/// Decodes a journal blob into `out` (appending). Returns false if the blob is damaged.
[[nodiscard]] bool decode_journal(std::span<const std::uint8_t> blob, std::vector<JournalFix>& out);

} // namespace sahil::store

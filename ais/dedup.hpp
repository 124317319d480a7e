// Deduplication of one AIS transmission heard by several receiving stations.
//
// A coastal network hears a boat off Pasni at Pasni and Ormara both; satellite and shore feeds
// overlap too. The same transmission arrives once per receiver, with the same armoured payload.
// StationDeduplicator passes the first copy seen within `window` (receive time) and drops the
// rest, and counts per station how much it heard, how much of that was first, and how much was
// a repeat — the coverage statistics an operations room uses to see which receiver is blind.
//
// Key: DecodedMessage::payload_hash (64-bit FNV-1a of payload + fill bits; a collision between
// two different messages within one window has probability ~n²/2⁶⁴). Two genuinely different
// transmissions with identical payloads inside the window (a type 5 repeated within seconds)
// are one message for tracking anyway.
//
// Memory: one entry per distinct message in the window, bounded by `max_entries` (the oldest
// are forgotten first, which can only let a late duplicate through, never drop a first copy).
//
// Thread-safety: one instance, used from one strand (the tracking strand).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ais/time.hpp"

namespace sahil::ais {

/// What one receiving station contributed.
struct StationCoverage {
    std::uint64_t heard = 0;      ///< messages received from this station
    std::uint64_t first = 0;      ///< ... of which it was the first to deliver (kept)
    std::uint64_t duplicates = 0; ///< ... of which another station had delivered already
    UtcTime last_heard{};         ///< receive time of its latest message
};

/// Passes the first copy of each transmission; see the file comment.
class StationDeduplicator {
public:
    /// `window`: how long after the first copy a repeat is recognised (receive time; default
    /// 10 s covers shore networks and the usual satellite latency spread; 0 disables).
    /// `max_entries`: bound on remembered messages.
    struct Config {
        std::chrono::milliseconds window{std::chrono::seconds(10)};
        std::size_t max_entries = 500'000;
    };

    StationDeduplicator() : StationDeduplicator(Config{}) {}
    explicit StationDeduplicator(Config config) : m_config(config) {}

    /// Records a message with `payload_hash` received at `received` from `station` (tag-block
    /// `s:` station, else the feed id). Returns true for the first copy (process it), false for
    /// a repeat within the window (drop it). A hash of 0 means "unknown" and always passes.
    bool accept(std::uint64_t payload_hash, std::string_view station, UtcTime received);

    /// Coverage per station, by station name.
    [[nodiscard]] const std::map<std::string, StationCoverage, std::less<>>&
    stations() const noexcept {
        return m_stations;
    }
    /// Messages passed / dropped as repeats.
    [[nodiscard]] std::uint64_t passed() const noexcept { return m_passed; }
    [[nodiscard]] std::uint64_t dropped() const noexcept { return m_dropped; }

private:
    void forget_before(UtcTime t);

    Config m_config;
    std::unordered_map<std::uint64_t, UtcTime> m_seen;     // hash -> receive time of first copy
    std::deque<std::pair<UtcTime, std::uint64_t>> m_order; // insertion order, for expiry
    std::map<std::string, StationCoverage, std::less<>> m_stations;
    UtcTime m_latest{};
    std::uint64_t m_passed = 0;
    std::uint64_t m_dropped = 0;
};

} // namespace sahil::ais

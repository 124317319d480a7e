// A position fix: one AIS position report normalised for tracking and rules.
//
// Built from types 1, 2, 3 (Class A), 18 and 19 (Class B). "Not available" values are empty
// optionals; times are UTC (fix time from the tag block `c:` or the receive time, see
// ais/stream_decoder.hpp). Data path: DecodedMessage -> to_fix -> Tracker -> rules.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ais/stream_decoder.hpp"
#include "ais/time.hpp"
#include "geo/position.hpp"

namespace sahil::tracking {

/// One position report of one vessel.
struct Fix {
    std::uint32_t mmsi = 0;            ///< source MMSI
    UtcTime time;                      ///< fix time (UTC)
    UtcTime received_at;               ///< receive time (UTC)
    geo::Position position;            ///< WGS 84 degrees
    std::optional<double> sog_knots;   ///< speed over ground, knots; empty = n/a
    std::optional<double> cog_deg;     ///< course over ground, degrees [0, 360); empty = n/a
    std::optional<double> heading_deg; ///< true heading, degrees [0, 360); empty = n/a
    std::optional<int> nav_status;     ///< ITU-R M.1371-5 navigational status 0..15 (Class A only)
    int message_type = 0;              ///< 1, 2, 3, 18 or 19
    std::string feed;                  ///< feed id from the config
    std::string station;               ///< receiving station (tag block `s:`), may be empty
};

/// Why a position report did not become a fix (counted by the tracker).
enum class FixRejection {
    none,
    no_position, ///< latitude or longitude "not available" / out of range
    null_island, ///< 0°N 0°E: an unset GNSS, never a real fishing-boat position
    bad_mmsi,    ///< MMSI 0 or more than 9 digits
};

/// Makes a Fix from a decoded position report; returns empty for static-data messages, with
/// `why` saying why a position report was refused (set to none for non-position messages).
std::optional<Fix> to_fix(const ais::DecodedMessage& message, const std::string& feed,
                          FixRejection& why);

} // namespace sahil::tracking

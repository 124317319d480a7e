// Per-vessel state of the anomaly rules (R3-R11), kept in tracking::VesselState.
//
// Thread-safety: owned by the tracking strand only.
#pragma once

#include <deque>
#include <optional>
#include <string>

#include "ais/time.hpp"
#include "geo/position.hpp"

namespace sahil::rules {

/// Identity fields reported over AIS at one moment (for R9 "static data changed at sea").
struct ReportedIdentity {
    std::string name;
    std::string call_sign;
    std::uint32_t imo = 0;
    int ship_type = 0;
    int length_m = 0;
    int beam_m = 0;
};

/// See the file comment. Times are fix times (UTC).
struct AnomalyState {
    // R11 integrity / R9 impossible speed
    std::optional<geo::Position> jump_position; ///< an unconfirmed far fix
    UtcTime jump_time{};
    std::deque<UtcTime> rejected_jumps; ///< unconfirmed jumps in the last hour
    // trip (set by a departure, cleared when back in a harbour)
    bool on_trip = false;
    std::string trip_harbour;  ///< harbour zone id it departed from
    UtcTime departed_at{};
    // R4 closed season: alert once per trip
    bool closed_season_alerted = false;
    // R5 leaving the EEZ: the previous fix was inside it (or in a harbour)
    bool was_in_eez = false;
    // R5 boundary approach
    std::optional<UtcTime> approach_since;
    std::string approach_line;
    std::optional<double> line_distance_m; ///< distance to the nearest line at the previous fix
    UtcTime line_distance_time{};
    // R6 gap
    bool gap_alerted = false;  ///< an ais_gap hit was raised for the current silence
    // R8 loitering
    std::optional<UtcTime> loiter_since;
    double loiter_sog_sum = 0;
    int loiter_fixes = 0;
    // R9 identity
    bool identity_checked = false; ///< MMSI/MID and registry conflict checked once
    std::optional<ReportedIdentity> seen_identity; ///< last complete identity (for changes)
    bool mismatch_alerted = false;
};

} // namespace sahil::rules

// Departure from a harbour geofence.
//
// A vessel seen inside a harbour zone that later reports a fix more than `buffer_m` outside that
// zone while moving at `min_sog_knots` or more has departed. The buffer keeps boats manoeuvring at
// a harbour mouth or anchored just outside from producing departures (the same idea as Global
// Fishing Watch's port-visit exit distance beyond the anchorage radius; docs/rules.md R1).
// Speed is the reported SOG; when SOG is not available, the speed implied by the previous fix.
// The rule is a pure state machine over fixes with explicit times: no wall clock, no I/O.
//
// Thread-safety: pure; the State lives in the vessel's VesselState on the tracking strand.
#pragma once

#include <optional>
#include <string>

#include "ais/time.hpp"
#include "geo/position.hpp"
#include "geo/zone_index.hpp"

namespace sahil::tracking {
struct Fix;
}

namespace sahil::rules {

/// Parameters (config section `[rules.departure]`).
struct DepartureConfig {
    double buffer_m = 1000.0;   ///< distance outside the zone that counts as gone, metres (> 0)
    double min_sog_knots = 2.0; ///< moving threshold, knots (≥ 0)
};

/// A departure: the vessel left `zone_id` with this fix.
struct DepartureEvent {
    std::string zone_id;           ///< harbour zone id (e.g. "PK-HBR-05")
    std::string zone_name;         ///< harbour name
    double distance_outside_m = 0; ///< how far outside the zone the triggering fix is, metres
    double speed_knots = 0;        ///< SOG (or implied speed) at the triggering fix, knots
    UtcTime last_inside;           ///< time of the last fix inside the zone
};

/// The departure rule; see the file comment.
class DepartureRule {
public:
    /// Per-vessel state.
    struct State {
        std::optional<std::string> harbour;    ///< zone the vessel was last seen inside
        UtcTime last_inside{};                 ///< time of that fix
        std::optional<geo::Position> previous; ///< previous fix position (implied speed)
        UtcTime previous_time{};
    };

    explicit DepartureRule(DepartureConfig config) : m_config(config) {}

    /// Feeds one fix; returns a departure when this fix completes one.
    /// @param harbours harbour zones (the index's zones are the geofences).
    /// @param inside the harbour zone the fix lies in, or nullptr.
    std::optional<DepartureEvent> on_fix(State& state, const tracking::Fix& fix,
                                         const geo::ZoneIndex& harbours,
                                         const geo::Zone* inside) const;

    [[nodiscard]] const DepartureConfig& config() const noexcept { return m_config; }

private:
    DepartureConfig m_config;
};

} // namespace sahil::rules

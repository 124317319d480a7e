// Per-vessel state held by the tracker: last fix, static data, registry match, zone.
//
// Data path: Tracker owns one VesselState per MMSI; rules keep their own per-vessel state
// inside it (DepartureRule::State). Thread-safety: owned by the tracking strand only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "registry/boat.hpp"
#include "server/rules/anomaly_state.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/tracking/fix.hpp"

namespace sahil::tracking {

/// Static and voyage data last reported by a vessel (types 5, 19, 24).
struct StaticData {
    std::string name;        ///< ship name, '@'/blanks cut; empty = not reported
    std::string call_sign;   ///< call sign; empty = not reported
    std::uint32_t imo = 0;   ///< IMO number; 0 = n/a
    int ship_type = 0;       ///< ITU-R M.1371-5 Table 53 type of ship; 0 = n/a
    int length_m = 0;        ///< dimension A + B, metres; 0 = n/a
    int beam_m = 0;          ///< dimension C + D, metres; 0 = n/a
    std::string destination; ///< type 5 destination; empty = n/a
};

/// Everything Sahil knows of one vessel right now.
struct VesselState {
    std::uint32_t mmsi = 0;
    std::optional<Fix> last_fix; ///< newest accepted fix
    StaticData static_data;
    std::optional<registry::Boat> registry_match; ///< registry record with this MMSI, if any
    std::uint64_t registry_generation = 0; ///< BoatIndex generation registry_match was read at
    std::optional<std::string> zone_id;           ///< harbour zone the last fix is inside, if any
    std::uint64_t fixes = 0;                      ///< accepted fixes
    rules::DepartureRule::State departure;        ///< departure rule state
    rules::AnomalyState anomaly;                  ///< state of the other rules (R3-R11)
};

} // namespace sahil::tracking

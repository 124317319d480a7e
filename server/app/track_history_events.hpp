// History events of one vessel over its stored track, with the live rules' definitions and
// parameters: what `GET /api/tracks/vessels/{mmsi}/events` answers and `sahil tracks events`
// prints (one computation, one JSON shape).
//
// Data path: TrackStore -> store::load_track -> store::port_events (R1, the live departure
// rule), store::ais_gaps (R6), store::loitering (R8) and, for windows of at most
// TrackLimits::max_near_days, store::rendezvous (R7) with every vessel store::encounters finds
// within rendezvous_distance_m -> HistoryEvents (time order) -> history_events_json().
// The rule parameters are those the live rules choose (rules::RuleParamSet::for_vessel) for the
// vessel's registry home harbour and class.
//
// Thread-safety: pure functions of their arguments; the RegistryLookup is called on the
// caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/app/tracks_api.hpp"
#include "server/rules/rule_params.hpp"
#include "server/store/track_analysis.hpp"
#include "server/tracking/pipeline.hpp"

namespace sahil::app {

/// What the boat registry says of an MMSI, as far as the rule parameters depend on it.
struct RegistryFacts {
    bool registered = false;  ///< a registry boat carries this MMSI
    std::string home_harbour; ///< its home harbour zone id ("" when none or not registered)
};

/// Looks an MMSI up in the registry (the daemon: under the API's database mutex; the CLI: a
/// read-only connection). Throws what the database throws.
using RegistryLookup = std::function<RegistryFacts(std::int64_t mmsi)>;

/// The rule class of a vessel as the anomaly rules choose it: AIS ship type 40-49 (latest
/// static report up to `until_ms`) speedboat; type 30 or registered fishing; 70-89 cargo;
/// otherwise other (ITU-R M.1371-5 Table 53 ship types).
[[nodiscard]] rules::VesselClass vessel_class_of(const store::TrackStore& store,
                                                 std::int64_t vessel, std::int64_t until_ms,
                                                 bool registered);

/// The history events of one vessel in a window and what they were computed with.
struct HistoryEvents {
    std::size_t fixes = 0;    ///< fixes of the vessel in the window
    std::string home_harbour; ///< registry home harbour used for the parameters ("" = none)
    rules::VesselClass vessel_class = rules::VesselClass::other;
    bool land_layer = false;         ///< distances to shore were available (R6/R8 offshore tests)
    bool boundary_layer = false;     ///< distances to the boundary lines were available
    bool rendezvous_checked = false; ///< the window was short enough to look for rendezvous
    std::vector<store::TrackEvent> events; ///< in order of start time
};

/// Runs the history rules over `vessel`'s fixes in `window`. `zones` may be null (no harbour
/// geofences: no port events, no harbour exclusions). Rendezvous are looked for only when
/// `window` spans at most TrackLimits::max_near_days, with every vessel that came within the
/// largest configured rendezvous distance; each vessel of a pair is judged with its own
/// parameters and the duration with the lower MMSI's, as the live rule does
/// (store::rendezvous with two parameter sets), so both vessels' histories list the same
/// meetings; two cargo ships are not paired (as live).
/// @throws store::TrackStoreError from the store; what `registry` throws.
[[nodiscard]] HistoryEvents history_events(const store::TrackStore& store, const TrackZones* zones,
                                           const tracking::PipelineConfig& tracking,
                                           const RegistryLookup& registry, std::int64_t vessel,
                                           const store::TimeWindow& window);

/// One event as JSON: kind, start, end, start_position, end_position, zone_id, zone_name,
/// other_mmsi (null unless a rendezvous), distance_m, speed_knots (0.1; null when not
/// available), basis, flagged, evidence (docs/api.md "GET /api/tracks/vessels/{mmsi}/events").
[[nodiscard]] nlohmann::ordered_json event_json(const store::TrackEvent& event);

/// The whole answer: mmsi, name, since, until, fixes, rule_parameters {home_harbour,
/// vessel_class, land_layer, boundary_layer, rendezvous_checked}, events, count.
[[nodiscard]] nlohmann::ordered_json history_events_json(std::int64_t vessel,
                                                         const std::string& name,
                                                         const store::TimeWindow& window,
                                                         const HistoryEvents& result);

} // namespace sahil::app

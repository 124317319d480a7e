// Track analysis: derived answers over one vessel's stored fixes, for MSA analysts' history
// queries — simplification and downsampling for drawing, statistics (distance, moving / stopped /
// gap time, stops), and history events (port visits and departures, AIS gaps, rendezvous,
// loitering).
//
// Example: simplify_track(load_track(store, 463012345, day), 25.0) -> the few hundred fixes a
// chart needs to draw that day's track to within 25 m of every stored fix.
//
// Data path: TrackStore::scan_track (load_track) -> these functions -> `sahil tracks` and the
// HTTP API. Everything except load_track() is a pure function of a std::vector<TrackFix>: no
// I/O, no clock, no logging.
//
// Same definitions as the live rules. The history events use the definitions of docs/rules.md
// (R1 departure, R6 ais_gap, R7 rendezvous, R8 loitering) and read their parameters from
// rules::RuleParams / rules::DepartureConfig, so a config change changes the live alerts and the
// history answers alike; departures are found by running rules::DepartureRule itself. What a
// pure function over one vessel's fixes cannot know (registry facts such as "has a transponder",
// vessel class, exception areas, land and boundary layers) is either passed in as an optional
// callback or documented per function as a simplification.
//
// Input contract (every function except load_track): `fixes` belong to ONE vessel (one
// TrackFix::vessel) and are in non-decreasing time order, as scan_track() delivers them; a
// violation throws std::invalid_argument. Tracks must not cross the antimeridian (±180°).
// Distances are geodesic on WGS 84 (geo::distance_m, Karney via PROJ); 1 nautical mile = 1852 m;
// speeds in knots; times Unix ms UTC; durations ms.
//
// Thread-safety: pure functions; safe from any thread as long as the callbacks passed are.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/position.hpp"
#include "geo/zone_index.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/rules/rule_params.hpp"
#include "server/store/track_store.hpp"

namespace sahil::store {

/// The fixes of `vessel` in `window`, in time order (TrackStore::scan_track collected into a
/// vector; the input of every other function here).
/// @throws TrackStoreError from the store.
[[nodiscard]] std::vector<TrackFix> load_track(const TrackStore& store, std::int64_t vessel,
                                               const TimeWindow& window);

// ---- shape ------------------------------------------------------------------------------------

/// Douglas–Peucker simplification (Douglas & Peucker 1973, Cartographica 10(2):112-122): keeps
/// the first and the last fix, and recursively the fix farthest from the segment joining the
/// kept fixes around it while that distance exceeds `tolerance_m`. Distances are measured to
/// the segment (not its infinite line) in a transverse Mercator plane (geo::LocalProjection,
/// PROJ) centred on the centre of the track's lon/lat bounding box: scale error below 1e-5
/// within 30 km of that centre, 0.2 % at 400 km (local_projection.hpp). Iterative (explicit
/// stack), O(n log n) typical, O(n^2) worst case; tested on 100,000 fixes.
/// @param tolerance_m metres, > 0 and finite.
/// @return the kept fixes, unchanged (stored values, not projected), in time order; empty for an
///         empty track, the input for one or two fixes.
/// @throws std::invalid_argument if tolerance_m is not > 0 or the input contract is broken;
///         geo::GeoError if PROJ cannot project a fix (more than ~90° of longitude from the
///         centre).
[[nodiscard]] std::vector<TrackFix> simplify_track(const std::vector<TrackFix>& fixes,
                                                   double tolerance_m);

/// The first fix of each period of `period_s` seconds, periods aligned on the Unix epoch
/// (period number floor(time_ms / (period_s * 1000)), negative times included). Periods without
/// fixes give nothing (no interpolation).
/// @param period_s seconds, >= 1.
/// @throws std::invalid_argument if period_s < 1 or the input contract is broken.
[[nodiscard]] std::vector<TrackFix> downsample_track(const std::vector<TrackFix>& fixes,
                                                     std::int64_t period_s);

// ---- statistics -------------------------------------------------------------------------------

/// Settings of track_statistics().
struct TrackStatisticsOptions {
    /// A step is "moving" at or above this speed, knots (>= 0, finite). 0.5 kn: a few metres
    /// of GPS jitter over the 3 min report interval of a Class A ship at anchor (ITU-R
    /// M.1371-5 Table 1) implies < 0.1 kn, while a boat hauling nets at 1-2 kn, below GFW's
    /// 2 kn "stationary" (docs/rules.md R1), still counts as moving.
    double stop_speed_knots = 0.5;
    /// A step longer than this is "gap" time, seconds (1..2^40). 600 s as vessels_in_area() and
    /// EncounterQuery::max_gap_s (track_query.hpp): beyond it nothing is known of the motion.
    std::int64_t max_gap_s = 600;
    /// A run of stopped steps counts as a stop when it lasts at least this long, seconds
    /// (0..2^40).
    std::int64_t min_stop_s = 600;
};

/// One stop: a maximal run of consecutive "stopped" steps (see track_statistics()).
struct TrackStop {
    std::int64_t start_ms = 0;    ///< time of the run's first fix, Unix ms UTC
    std::int64_t end_ms = 0;      ///< time of the run's last fix, Unix ms UTC
    std::int64_t duration_ms = 0; ///< end_ms - start_ms, >= min_stop_s * 1000
    /// Arithmetic mean of the latitudes and of the longitudes of the run's fixes, degrees (exact
    /// enough for a stop, whose fixes lie within metres of each other).
    geo::Position position{};
    std::size_t fixes = 0; ///< fixes in the run (>= 2)
};

/// What track_statistics() computes; see it for the definition of each field.
struct TrackStatistics {
    std::size_t fixes = 0;        ///< fixes in the input
    double distance_m = 0;        ///< sum of geodesic step lengths, metres
    double distance_nm = 0;       ///< the same in nautical miles (/ 1852)
    std::int64_t duration_ms = 0; ///< last fix time - first fix time (0 for < 2 fixes)
    std::int64_t moving_ms = 0;   ///< total length of "moving" steps
    std::int64_t stopped_ms = 0;  ///< total length of "stopped" steps
    std::int64_t gap_ms = 0;      ///< total length of "gap" steps (moving + stopped + gap =
                                  ///< duration)
    /// Highest SOG reported by any fix, knots (0..102.2); empty if no fix reports SOG.
    std::optional<double> max_sog_knots;
    /// Highest speed implied by two consecutive fixes (geodesic distance / time) over steps of
    /// at least 1 s that are not gaps, knots; empty if there is no such step. GPS noise on short
    /// steps inflates it: compare it with max_sog_knots before calling a vessel fast.
    std::optional<double> max_implied_speed_knots;
    std::vector<TrackStop> stops; ///< stops of at least min_stop_s, in time order
};

/// Statistics of one track. Each pair of consecutive fixes is a "step" of length dt:
/// - distance: every step's geodesic length is added, gaps included (the straight line across a
///   gap is the least the vessel travelled);
/// - a step with dt > max_gap_s is "gap" time (neither moving nor stopped);
/// - otherwise it is "moving" if the speed implied by the step (distance / dt; a step with
///   dt = 0 has none) or the SOG reported by the step's END fix is >= stop_speed_knots, else
///   "stopped". The end fix's SOG is used because it describes the motion that brought the
///   vessel there: a boat that arrives under way and then lies still has its stop begin at the
///   arrival fix;
/// - a stop is a maximal run of consecutive stopped steps lasting >= min_stop_s.
/// Empty input: all zeros. One fix: fixes = 1, max_sog_knots from it, everything else zero.
/// @throws std::invalid_argument if an option is out of range or the input contract is broken.
[[nodiscard]] TrackStatistics track_statistics(const std::vector<TrackFix>& fixes,
                                               const TrackStatisticsOptions& options = {});

// ---- history events ---------------------------------------------------------------------------

/// Kinds of history events.
enum class TrackEventKind {
    port_visit, ///< in a harbour geofence (R1's "seen inside")
    departure,  ///< left a harbour geofence (R1's departure, DepartureRule)
    ais_gap,    ///< silence longer than an R6 threshold
    rendezvous, ///< R7 between two vessels
    loitering,  ///< R8
};

/// "port_visit", "departure", "ais_gap", "rendezvous", "loitering" (the live alert type names
/// where one exists).
[[nodiscard]] std::string_view to_string(TrackEventKind kind) noexcept;

/// One event found in a vessel's history. Meaning of the kind-dependent fields:
///
/// | kind       | start / end                       | distance_m            | speed_knots       |
/// |------------|-----------------------------------|-----------------------|-------------------|
/// | port_visit | first / last fix inside the zone  | —                     | —                 |
/// | departure  | last fix inside / departure fix   | outside the zone      | SOG or implied    |
/// | ais_gap    | last fix before / first after     | across the gap        | implied across it |
/// | rendezvous | first / last sample together      | closest approach      | —                 |
/// | loitering  | first fix of the run / last fix   | —                     | mean speed        |
///
/// start_position / end_position are this vessel's positions at start_ms / end_ms (for a
/// rendezvous, interpolated like position_at()).
struct TrackEvent {
    std::int64_t vessel = 0; ///< vessel key (MMSI for AIS)
    TrackEventKind kind = TrackEventKind::port_visit;
    std::int64_t start_ms = 0;         ///< Unix ms UTC
    std::int64_t end_ms = 0;           ///< Unix ms UTC, >= start_ms
    geo::Position start_position{};    ///< degrees, WGS 84
    geo::Position end_position{};      ///< degrees, WGS 84
    std::int64_t other_vessel = 0;     ///< rendezvous: the other vessel; 0 = none
    std::string zone_id;               ///< port_visit, departure: harbour zone id; "" = none
    std::string zone_name;             ///< harbour name; "" = none
    std::optional<double> distance_m;  ///< metres, see the table; empty = not applicable
    std::optional<double> speed_knots; ///< knots, see the table; empty = not applicable
    /// Which variant of the rule applied (see each function): ais_gap "after_departure",
    /// "offshore" or "unqualified"; loitering "near_boundary", "offshore" or "unqualified";
    /// rendezvous "away_from_harbours" or "harbours_not_checked"; "" for port events.
    std::string basis;
    /// port_visit: no departure from this harbour follows in the fixes (still there, or the
    /// data ends). ais_gap: the implied speed across the gap exceeds reappear_speed_knots (R6
    /// `reappeared_far`). False otherwise.
    bool flagged = false;
    std::string evidence; ///< one English sentence with the numbers, for the analyst
};

/// Distance from a position to something (shore, a boundary line), metres >= 0;
/// +infinity = nothing within reach (far away), NaN = unknown. Called on the caller's thread.
using PositionDistance = std::function<double(const geo::Position&)>;

/// The optional geography of the history events. Everything may be left empty; each function
/// documents what it does then.
struct AnalysisGeography {
    /// Harbour geofences (config/geo/harbours.geojson); not owned, must outlive the call.
    const geo::ZoneIndex* harbours = nullptr;
    /// Distance to the nearest land, metres; e.g. rules::Geography::shore_distance_within_m
    /// with a limit beyond gap_offshore_nm / loiter_offshore_nm, +infinity when it says "farther"
    /// (leave the callback empty when Geography::has_land() is false).
    PositionDistance distance_to_shore_m;
    /// Distance to the nearest boundary line, metres (e.g. from geo::BoundaryIndex::nearest).
    PositionDistance distance_to_boundary_m;
};

/// Port visits and departures (docs/rules.md R1), in time order. The track is fed fix by fix
/// to rules::DepartureRule with `departure` (so a departure here is exactly a live departure: a
/// fix more than departure.buffer_m outside the harbour last been in, at departure.min_sog_knots
/// or more, reported SOG else implied). The harbour of a fix is the first zone of `harbours`
/// containing it, as in tracking::Pipeline. A visit starts at a fix inside a harbour when the
/// vessel was not in that harbour's visit already (>= 1 fix inside) and ends at its last fix
/// inside before its departure, a fix in another harbour, or the end of the data (then flagged).
/// Its departure event follows it. Empty input or no harbours: no events.
/// @throws std::invalid_argument if the input contract is broken.
[[nodiscard]] std::vector<TrackEvent> port_events(const std::vector<TrackFix>& fixes,
                                                  const geo::ZoneIndex& harbours,
                                                  const rules::DepartureConfig& departure = {});

/// AIS gaps (docs/rules.md R6 `ais_gap`), in time order: two consecutive fixes a, b at least a
/// threshold apart (>=, as the live rule). The threshold is chosen at a, in the live rule's order:
/// 1. `geography.harbours` given, a not in a harbour, and a within gap_departure_window_h after
///    a departure found in these fixes (port_events() with `departure`) with no harbour fix
///    since: gap_after_departure_h, basis "after_departure";
/// 2. else `distance_to_shore_m(a)` > gap_offshore_nm: gap_offshore_h, basis "offshore";
/// 3. else, when the live rule's answer depends on a fact not known here (no harbours given,
///    so a recent departure cannot be seen; or no shore callback / NaN, so "offshore" is
///    unknown): gap_after_departure_h, basis "unqualified" (the shortest R6 threshold);
/// 4. else (known near shore and not just departed, or a in a harbour): no gap, as live.
/// Without harbours, a known-offshore gap gets gap_offshore_h even if the vessel had just left
/// (the live rule would use gap_after_departure_h): pass the harbours to decide that case.
/// flagged = implied speed across the gap > reappear_speed_knots (R6 `reappeared_far`; the
/// live rule's other triggers, a crossed line or outside the EEZ, need layers not passed here).
/// Simplification: the live rule applies only to registered boats with a transponder; here
/// every track is examined (the caller filters by the registry).
/// @throws std::invalid_argument if the input contract is broken.
[[nodiscard]] std::vector<TrackEvent> ais_gaps(const std::vector<TrackFix>& fixes,
                                               const rules::RuleParams& params,
                                               const AnalysisGeography& geography = {},
                                               const rules::DepartureConfig& departure = {});

/// Rendezvous between vessels `a` and `b` (docs/rules.md R7), in time order; events carry
/// vessel = a's, other_vessel = b's. Samples are the fix times of both tracks (as encounters()).
/// A sample t is "together" when:
/// - both positions exist: position_at(track, t, 10 min) (R7 "fixes at most 10 min apart");
/// - their geodesic distance <= rendezvous_distance_m;
/// - each vessel is slow and not at rest at t: its fix at t, or both fixes bracketing t, report
///   SOG < rendezvous_max_sog_knots (SOG not available = not slow, as live) and a navigational
///   status other than 1 (at anchor) or 5 (moored);
/// - if `harbours` is given, both positions are more than rendezvous_harbour_nm from every
///   harbour geofence (basis "away_from_harbours"; else "harbours_not_checked").
/// An event is a maximal run of together samples, consecutive samples at most 15 min apart
/// (R7 "no 15-min silence"), lasting >= rendezvous_min_minutes (last - first sample).
/// Simplification: the live rule's "two cargo ships are not paired" needs the vessel class
/// (the caller's choice of pairs).
/// @throws std::invalid_argument if either input breaks the contract or both are one vessel.
[[nodiscard]] std::vector<TrackEvent> rendezvous(const std::vector<TrackFix>& a,
                                                 const std::vector<TrackFix>& b,
                                                 const rules::RuleParams& params,
                                                 const geo::ZoneIndex* harbours = nullptr);

/// Rendezvous between `a` and `b` when their live parameters differ (per-harbour or per-class
/// overrides), judged as the live rule does: each vessel is "slow" and "away from harbours" by
/// its own parameters, the pair is within range only within both vessels' rendezvous_distance_m
/// (the live rule breaks the pair at the fixes of a vessel whose limit is exceeded), and the
/// duration needed is that of the lower MMSI (the live rule raises the pair's one alert at that
/// vessel's fixes). With equal parameters it is rendezvous(a, b, params, harbours).
/// @throws std::invalid_argument as rendezvous().
[[nodiscard]] std::vector<TrackEvent> rendezvous(const std::vector<TrackFix>& a,
                                                 const std::vector<TrackFix>& b,
                                                 const rules::RuleParams& params_a,
                                                 const rules::RuleParams& params_b,
                                                 const geo::ZoneIndex* harbours);

/// Loitering (docs/rules.md R8), in time order. As live: each fix's speed is its reported SOG,
/// else the speed implied from the previous fix (steps >= 1 s); a run of fixes continues while
/// the speed is known and < 1.5 x loiter_max_sog_knots, the navigational status is not 1/5 and
/// the fix is not in a harbour (when `geography.harbours` is given); the run's mean is the
/// arithmetic mean of its fix speeds. The place of each fix sets the duration needed:
/// - `distance_to_boundary_m` given and <= boundary_area_nm: loiter_near_boundary_h, basis
///   "near_boundary";
/// - else `distance_to_shore_m` given and > loiter_offshore_nm: loiter_offshore_h, "offshore";
/// - else, when neither callback is given: loiter_offshore_h, basis "unqualified"
///   (simplification: without layers every position is taken as offshore, never near a line);
/// - else (a callback given and the place qualifies for neither): the run ends, as live.
/// An event is a run in which, at some fix, (fix time - run start) >= the duration needed and
/// the mean so far < loiter_max_sog_knots; it ends at the last such fix (the live rule's last
/// hit) and reports that fix's mean. Simplification: exception areas (a boat's own grounds)
/// are not known here.
/// @throws std::invalid_argument if the input contract is broken.
[[nodiscard]] std::vector<TrackEvent> loitering(const std::vector<TrackFix>& fixes,
                                                const rules::RuleParams& params,
                                                const AnalysisGeography& geography = {});

namespace detail {
/// Throws std::invalid_argument ("`function`: ...") unless `fixes` belong to one vessel and are
/// in non-decreasing time order (the input contract above). Shared by track_analysis*.cpp.
void check_track(const std::vector<TrackFix>& fixes, const char* function);
} // namespace detail

} // namespace sahil::store

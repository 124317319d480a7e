// History queries over a TrackStore: vessels in an area, who was near a vessel (encounters).
//
// Written on top of TrackStore::scan_track/scan_area only, so every backend answers them the
// same way. Distances are geodesic on WGS 84 (geo::distance_m, Karney via PROJ).
//
// Thread-safety: pure functions of the store's contents; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "server/store/track_store.hpp"

namespace sahil::store {

/// One vessel seen in an area during a window (vessels_in_area).
struct AreaVisit {
    std::int64_t vessel = 0;         ///< vessel key (MMSI for AIS)
    std::int64_t first_ms = 0;       ///< first fix in the area, Unix ms UTC
    std::int64_t last_ms = 0;        ///< last fix in the area, Unix ms UTC
    std::size_t fixes = 0;           ///< fixes in the area
    std::size_t gaps = 0;            ///< intervals between consecutive fixes in the area > gap_s
    std::int64_t longest_gap_ms = 0; ///< longest such interval, ms (0 if none)
};

/// Vessels with at least one fix inside `box` during `window`, ascending vessel key. A "gap" is
/// two consecutive in-area fixes more than `gap_s` seconds apart (the vessel left, or went
/// silent; default 10 min, as an AIS Class A at anchor reports every 3 min).
/// @throws TrackStoreError from the store.
[[nodiscard]] std::vector<AreaVisit> vessels_in_area(const TrackStore& store, const GeoBox& box,
                                                     const TimeWindow& window, int gap_s = 600);

/// Another vessel's closest approach to the target vessel (encounters).
struct Encounter {
    std::int64_t vessel = 0;          ///< the other vessel
    double min_distance_m = 0;        ///< closest approach found, metres (geodesic)
    std::int64_t min_time_ms = 0;     ///< time of the closest approach, Unix ms UTC
    geo::Position target_at_min{};    ///< target's (interpolated) position then, degrees
    geo::Position other_at_min{};     ///< other vessel's (interpolated) position then, degrees
    std::int64_t first_within_ms = 0; ///< first sample within the radius, Unix ms UTC
    std::int64_t last_within_ms = 0;  ///< last sample within the radius, Unix ms UTC
    std::size_t samples_within = 0;   ///< samples (either vessel's fix times) within the radius
};

/// Settings of encounters().
struct EncounterQuery {
    std::int64_t vessel = 0; ///< target vessel key
    TimeWindow window;       ///< when
    double radius_m = 1000;  ///< "near" means within this many metres (> 0)
    /// Positions are interpolated linearly in time between two fixes of one vessel only if they
    /// are at most this far apart (seconds); beyond it the vessel's position is unknown.
    int max_gap_s = 600;
};

/// Vessels that came within `query.radius_m` of the target during the window, closest first.
/// Each fix time of either vessel is a sample: the other vessel's position at that instant is
/// interpolated between its bracketing fixes (at most max_gap_s apart), and the geodesic
/// distance taken. Empty if the target has no fixes in the window.
/// @throws TrackStoreError from the store; std::invalid_argument if radius_m <= 0.
[[nodiscard]] std::vector<Encounter> encounters(const TrackStore& store,
                                                const EncounterQuery& query);

/// A vessel's position at `t_ms` interpolated linearly between the two fixes of `track` (time
/// order) that bracket it, if they are at most `max_gap_ms` apart (an exact fix time needs no
/// bracket). Empty otherwise.
[[nodiscard]] std::optional<geo::Position> position_at(const std::vector<TrackFix>& track,
                                                       std::int64_t t_ms, std::int64_t max_gap_ms);

} // namespace sahil::store

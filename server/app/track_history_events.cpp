#include "server/app/track_history_events.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "geo/geodesic.hpp"
#include "server/store/track_query.hpp"

namespace sahil::app {
namespace {

using nlohmann::ordered_json;

/// The distance callbacks of the R6/R8 offshore tests, from the loaded land and boundary layers.
store::AnalysisGeography analysis_geography(const TrackZones* zones, const rules::RuleParams& p) {
    store::AnalysisGeography g;
    if (zones == nullptr) {
        return g;
    }
    g.harbours = &zones->harbours;
    const rules::Geography* layers = zones->geography.get();
    if (layers != nullptr && layers->has_land()) {
        // Far enough beyond both "offshore" distances that "farther" is all they need to know.
        const double limit_m =
            std::max(p.gap_offshore_nm, p.loiter_offshore_nm) * geo::metres_per_nautical_mile * 1.5;
        g.distance_to_shore_m = [layers, limit_m](const geo::Position& pos) {
            const auto d = layers->shore_distance_within_m(pos, limit_m);
            return d ? *d : std::numeric_limits<double>::infinity();
        };
    }
    if (layers != nullptr && !layers->boundaries().empty()) {
        const double limit_m = p.boundary_area_nm * geo::metres_per_nautical_mile * 2;
        g.distance_to_boundary_m = [layers, limit_m](const geo::Position& pos) {
            const auto n = layers->boundaries().nearest(pos, limit_m);
            return n ? n->distance_m : std::numeric_limits<double>::infinity();
        };
    }
    return g;
}

} // namespace

rules::VesselClass vessel_class_of(const store::TrackStore& store, std::int64_t vessel,
                                   std::int64_t until_ms, bool registered) {
    int ship_type = 0;
    for (const auto& rec : store.static_history(vessel, until_ms)) {
        ship_type = rec.ship_type.value_or(ship_type);
    }
    return ship_type >= 40 && ship_type <= 49   ? rules::VesselClass::speedboat
           : ship_type == 30 || registered      ? rules::VesselClass::fishing
           : ship_type >= 70 && ship_type <= 89 ? rules::VesselClass::cargo
                                                : rules::VesselClass::other;
}

HistoryEvents history_events(const store::TrackStore& store, const TrackZones* zones,
                             const tracking::PipelineConfig& tracking,
                             const RegistryLookup& registry, std::int64_t vessel,
                             const store::TimeWindow& window) {
    HistoryEvents out;
    const RegistryFacts facts = registry ? registry(vessel) : RegistryFacts{};
    out.home_harbour = facts.home_harbour;
    out.vessel_class = vessel_class_of(store, vessel, window.until_ms, facts.registered);
    const rules::RuleParams params = tracking.rules.for_vessel(out.home_harbour, out.vessel_class);
    const auto fixes = store::load_track(store, vessel, window);
    out.fixes = fixes.size();
    const store::AnalysisGeography geography = analysis_geography(zones, params);
    out.land_layer = geography.distance_to_shore_m != nullptr;
    out.boundary_layer = geography.distance_to_boundary_m != nullptr;
    if (zones != nullptr) {
        out.events = store::port_events(fixes, zones->harbours, tracking.departure);
    }
    for (auto&& list : {store::ais_gaps(fixes, params, geography, tracking.departure),
                        store::loitering(fixes, params, geography)}) {
        out.events.insert(out.events.end(), list.begin(), list.end());
    }
    // Rendezvous (R7) with every vessel that came within the rendezvous distance: the pairs come
    // from the encounter search, so the window is bounded as for "who was near".
    out.rendezvous_checked =
        window.until_ms - window.since_ms <= std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 std::chrono::days(TrackLimits::max_near_days))
                                                 .count();
    if (out.rendezvous_checked && !fixes.empty()) {
        // The search radius is the largest rendezvous distance of any vessel (the overrides may
        // give the other vessel a larger one than this vessel's).
        double radius_m = tracking.rules.defaults.rendezvous_distance_m;
        for (const auto& o : tracking.rules.overrides) {
            for (const auto& [key, value] : o.values) {
                if (key == "rendezvous_distance_m") {
                    radius_m = std::max(radius_m, value);
                }
            }
        }
        const auto near = store::encounters(
            store, store::EncounterQuery{.vessel = vessel, .window = window, .radius_m = radius_m});
        for (const auto& e : near) {
            const RegistryFacts other = registry ? registry(e.vessel) : RegistryFacts{};
            const auto other_class =
                vessel_class_of(store, e.vessel, window.until_ms, other.registered);
            if (out.vessel_class == rules::VesselClass::cargo &&
                other_class == rules::VesselClass::cargo) {
                continue; // as live: two cargo ships are not paired
            }
            // Each vessel with its own parameters, the duration by the lower MMSI, as live
            // (store::rendezvous); so both vessels' histories list the same meetings.
            const auto met =
                store::rendezvous(fixes, store::load_track(store, e.vessel, window), params,
                                  tracking.rules.for_vessel(other.home_harbour, other_class),
                                  zones != nullptr ? &zones->harbours : nullptr);
            out.events.insert(out.events.end(), met.begin(), met.end());
        }
    }
    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const auto& a, const auto& b) { return a.start_ms < b.start_ms; });
    return out;
}

ordered_json event_json(const store::TrackEvent& e) {
    const auto opt = [](const std::optional<double>& d) {
        return d ? ordered_json(detail::round1(*d)) : ordered_json();
    };
    return {{"kind", std::string(store::to_string(e.kind))},
            {"start", detail::iso_time(e.start_ms)},
            {"end", detail::iso_time(e.end_ms)},
            {"start_position", detail::position_json(e.start_position)},
            {"end_position", detail::position_json(e.end_position)},
            {"zone_id", e.zone_id.empty() ? ordered_json() : ordered_json(e.zone_id)},
            {"zone_name", e.zone_name.empty() ? ordered_json() : ordered_json(e.zone_name)},
            {"other_mmsi", e.other_vessel == 0 ? ordered_json() : ordered_json(e.other_vessel)},
            {"distance_m", opt(e.distance_m)},
            {"speed_knots", opt(e.speed_knots)},
            {"basis", e.basis},
            {"flagged", e.flagged},
            {"evidence", e.evidence}};
}

ordered_json history_events_json(std::int64_t vessel, const std::string& name,
                                 const store::TimeWindow& window, const HistoryEvents& r) {
    ordered_json list = ordered_json::array();
    for (const auto& e : r.events) {
        list.push_back(event_json(e));
    }
    return {
        {"mmsi", vessel},
        {"name", name},
        {"since", detail::iso_time(window.since_ms)},
        {"until", detail::iso_time(window.until_ms)},
        {"fixes", r.fixes},
        {"rule_parameters",
         {{"home_harbour", r.home_harbour.empty() ? ordered_json() : ordered_json(r.home_harbour)},
          {"vessel_class", std::string(rules::to_string(r.vessel_class))},
          {"land_layer", r.land_layer},
          {"boundary_layer", r.boundary_layer},
          {"rendezvous_checked", r.rendezvous_checked}}},
        {"events", list},
        {"count", list.size()}};
}

} // namespace sahil::app

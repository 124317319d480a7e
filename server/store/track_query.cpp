// History queries; see track_query.hpp.
#include "server/store/track_query.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "geo/geodesic.hpp"

namespace sahil::store {

std::vector<AreaVisit> vessels_in_area(const TrackStore& store, const GeoBox& box,
                                       const TimeWindow& window, int gap_s) {
    std::vector<AreaVisit> out;
    const std::int64_t gap_ms = std::int64_t{gap_s} * 1000;
    std::int64_t prev_ms = 0;
    store.scan_area(box, window, [&](const TrackFix& f) {
        if (out.empty() || out.back().vessel != f.vessel) {
            out.push_back(AreaVisit{f.vessel, f.time_ms, f.time_ms, 0, 0, 0});
            prev_ms = f.time_ms;
        }
        AreaVisit& v = out.back();
        const std::int64_t step = f.time_ms - prev_ms;
        if (step > gap_ms) {
            ++v.gaps;
            v.longest_gap_ms = std::max(v.longest_gap_ms, step);
        }
        prev_ms = f.time_ms;
        v.last_ms = f.time_ms;
        ++v.fixes;
        return true;
    });
    return out;
}

std::optional<geo::Position> position_at(const std::vector<TrackFix>& track, std::int64_t t_ms,
                                         std::int64_t max_gap_ms) {
    const auto after =
        std::lower_bound(track.begin(), track.end(), t_ms,
                         [](const TrackFix& f, std::int64_t t) { return f.time_ms < t; });
    if (after != track.end() && after->time_ms == t_ms) {
        return after->position();
    }
    if (after == track.begin() || after == track.end()) {
        return std::nullopt;
    }
    const TrackFix& a = *(after - 1);
    const TrackFix& b = *after;
    const std::int64_t span = b.time_ms - a.time_ms;
    if (span <= 0 || span > max_gap_ms) {
        return std::nullopt;
    }
    const double k = static_cast<double>(t_ms - a.time_ms) / static_cast<double>(span);
    // Linear in degrees: over <= 10 min at <= 30 knots (<= 9 km) the difference from the
    // geodesic path is centimetres.
    return geo::Position{a.lat() + k * (b.lat() - a.lat()), a.lon() + k * (b.lon() - a.lon())};
}

namespace {

// Equirectangular distance: within 0.5 % of the geodesic below 50 km away from the poles; used
// only to skip samples that cannot be within the radius (with a 2 % margin).
double rough_distance_m(const geo::Position& a, const geo::Position& b) {
    const double mid = (a.lat_deg + b.lat_deg) * 0.5 * M_PI / 180.0;
    const double dy = (a.lat_deg - b.lat_deg) * 110'574.0;
    const double dx = (a.lon_deg - b.lon_deg) * 111'320.0 * std::cos(mid);
    return std::sqrt(dx * dx + dy * dy);
}

void sample(Encounter& e, const geo::Position& target, const geo::Position& other, std::int64_t t,
            double radius_m) {
    // Only samples within the radius matter: an encounter is reported only if one is, and its
    // closest approach is then within the radius too.
    if (rough_distance_m(target, other) > radius_m * 1.02 + 1.0) {
        return;
    }
    const double d = geo::distance_m(target, other);
    if (d > radius_m) {
        return;
    }
    if (std::isnan(e.min_distance_m) || d < e.min_distance_m ||
        (d == e.min_distance_m && t < e.min_time_ms)) {
        e.min_distance_m = d;
        e.min_time_ms = t;
        e.target_at_min = target;
        e.other_at_min = other;
    }
    if (e.samples_within == 0 || t < e.first_within_ms) {
        e.first_within_ms = t;
    }
    e.last_within_ms = std::max(e.last_within_ms, t);
    ++e.samples_within;
}

} // namespace

std::vector<Encounter> encounters(const TrackStore& store, const EncounterQuery& query) {
    if (!(query.radius_m > 0)) {
        throw std::invalid_argument("encounters: radius_m must be > 0");
    }
    std::vector<TrackFix> target;
    store.scan_track(query.vessel, query.window, [&](const TrackFix& f) {
        target.push_back(f);
        return true;
    });
    if (target.empty()) {
        return {};
    }
    const std::int64_t gap_ms = std::int64_t{query.max_gap_s} * 1000;
    // Candidates: area scans around the target's track, one per hour of it, the box grown by the
    // radius plus what a vessel at 30 knots covers in half a gap (an interpolated position may
    // lie between two fixes outside the grown box).
    std::map<std::int64_t, std::vector<TrackFix>> others;
    constexpr double metres_per_degree_lat = 110'574.0; // at the equator, the smallest
    const double reach_m = query.radius_m + 30.0 * 1852.0 / 3600.0 * (query.max_gap_s / 2.0);
    std::size_t begin = 0;
    while (begin < target.size()) {
        std::size_t end = begin;
        double south = 90;
        double north = -90;
        double west = 180;
        double east = -180;
        while (end < target.size() && target[end].time_ms - target[begin].time_ms <= 3'600'000) {
            south = std::min(south, target[end].lat());
            north = std::max(north, target[end].lat());
            west = std::min(west, target[end].lon());
            east = std::max(east, target[end].lon());
            ++end;
        }
        const double dlat = reach_m / metres_per_degree_lat;
        const double coslat = std::cos(
            std::min(89.0, std::max(std::abs(south), std::abs(north)) + dlat) * M_PI / 180.0);
        const double dlon = reach_m / (111'320.0 * coslat);
        const GeoBox box =
            GeoBox::from_degrees(std::max(-90.0, south - dlat), std::max(-180.0, west - dlon),
                                 std::min(90.0, north + dlat), std::min(180.0, east + dlon));
        const TimeWindow w{std::max(query.window.since_ms, target[begin].time_ms - gap_ms),
                           std::min(query.window.until_ms, target[end - 1].time_ms + gap_ms)};
        store.scan_area(box, w, [&](const TrackFix& f) {
            if (f.vessel != query.vessel) {
                others[f.vessel].push_back(f);
            }
            return true;
        });
        begin = end;
    }
    std::vector<Encounter> out;
    for (auto& [vessel, fixes] : others) {
        std::sort(fixes.begin(), fixes.end(),
                  [](const TrackFix& a, const TrackFix& b) { return a.time_ms < b.time_ms; });
        fixes.erase(std::unique(fixes.begin(), fixes.end()), fixes.end());
        // The candidate's track in the window (its fixes outside the grown boxes are needed to
        // interpolate near their edges).
        std::vector<TrackFix> track;
        store.scan_track(vessel,
                         {std::max(query.window.since_ms, fixes.front().time_ms - gap_ms),
                          std::min(query.window.until_ms, fixes.back().time_ms + gap_ms)},
                         [&](const TrackFix& f) {
                             track.push_back(f);
                             return true;
                         });
        Encounter e;
        e.vessel = vessel;
        e.min_distance_m = std::nan("");
        for (const auto& f : track) {
            if (auto p = position_at(target, f.time_ms, gap_ms)) {
                sample(e, *p, f.position(), f.time_ms, query.radius_m);
            }
        }
        for (const auto& f : target) {
            if (track.empty() || f.time_ms < track.front().time_ms ||
                f.time_ms > track.back().time_ms) {
                continue;
            }
            if (auto p = position_at(track, f.time_ms, gap_ms)) {
                sample(e, f.position(), *p, f.time_ms, query.radius_m);
            }
        }
        if (e.samples_within > 0) {
            out.push_back(e);
        }
    }
    std::sort(out.begin(), out.end(), [](const Encounter& a, const Encounter& b) {
        return a.min_distance_m < b.min_distance_m ||
               (a.min_distance_m == b.min_distance_m && a.vessel < b.vessel);
    });
    return out;
}

} // namespace sahil::store

// Track analysis: shape (simplification, downsampling) and statistics; see track_analysis.hpp.
// The history events are in track_analysis_events.cpp.
#include "server/store/track_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "geo/geodesic.hpp"
#include "geo/local_projection.hpp"

namespace sahil::store {

namespace detail {

void check_track(const std::vector<TrackFix>& fixes, const char* function) {
    for (std::size_t i = 1; i < fixes.size(); ++i) {
        if (fixes[i].vessel != fixes[0].vessel) {
            throw std::invalid_argument(
                std::string(function) + ": fixes of more than one vessel (" +
                std::to_string(fixes[0].vessel) + ", " + std::to_string(fixes[i].vessel) + ")");
        }
        if (fixes[i].time_ms < fixes[i - 1].time_ms) {
            throw std::invalid_argument(std::string(function) + ": fixes not in time order at " +
                                        std::to_string(i));
        }
    }
}

} // namespace detail

std::vector<TrackFix> load_track(const TrackStore& store, std::int64_t vessel,
                                 const TimeWindow& window) {
    std::vector<TrackFix> out;
    store.scan_track(vessel, window, [&](const TrackFix& f) {
        out.push_back(f);
        return true;
    });
    return out;
}

namespace {

constexpr double knots_to_mps = geo::metres_per_nautical_mile / 3600.0;

/// Squared distance from p to the segment a-b in the plane, m^2.
double segment_distance2(const geo::MetricPoint& p, const geo::MetricPoint& a,
                         const geo::MetricPoint& b) {
    const double dx = b.x_m - a.x_m;
    const double dy = b.y_m - a.y_m;
    const double len2 = dx * dx + dy * dy;
    double t = 0;
    if (len2 > 0) {
        t = std::clamp(((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2, 0.0, 1.0);
    }
    const double ex = p.x_m - (a.x_m + t * dx);
    const double ey = p.y_m - (a.y_m + t * dy);
    return ex * ex + ey * ey;
}

/// floor(a / b) for b > 0.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    if (a % b != 0 && a < 0) {
        --q;
    }
    return q;
}

} // namespace

std::vector<TrackFix> simplify_track(const std::vector<TrackFix>& fixes, double tolerance_m) {
    if (!(tolerance_m > 0) || !std::isfinite(tolerance_m)) {
        throw std::invalid_argument("simplify_track: tolerance_m must be > 0 and finite");
    }
    detail::check_track(fixes, "simplify_track");
    const std::size_t n = fixes.size();
    if (n <= 2) {
        return fixes;
    }
    std::int64_t south = fixes[0].lat_e6;
    std::int64_t north = south;
    std::int64_t west = fixes[0].lon_e6;
    std::int64_t east = west;
    for (const TrackFix& f : fixes) {
        south = std::min<std::int64_t>(south, f.lat_e6);
        north = std::max<std::int64_t>(north, f.lat_e6);
        west = std::min<std::int64_t>(west, f.lon_e6);
        east = std::max<std::int64_t>(east, f.lon_e6);
    }
    const geo::LocalProjection projection(geo::Position{static_cast<double>(south + north) * 0.5e-6,
                                                        static_cast<double>(west + east) * 0.5e-6});
    std::vector<geo::Position> positions;
    positions.reserve(n);
    for (const TrackFix& f : fixes) {
        positions.push_back(f.position());
    }
    std::vector<geo::MetricPoint> xy(n);
    projection.forward(std::span<const geo::Position>(positions), std::span<geo::MetricPoint>(xy));

    const double tolerance2 = tolerance_m * tolerance_m;
    std::vector<char> keep(n, 0);
    keep[0] = 1;
    keep[n - 1] = 1;
    // Explicit stack of [first, last] index ranges still to split: a 100k-fix track would
    // overflow the call stack in the recursive form on its worst case (depth n).
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, n - 1}};
    while (!stack.empty()) {
        const auto [first, last] = stack.back();
        stack.pop_back();
        if (last - first < 2) {
            continue;
        }
        double farthest2 = -1;
        std::size_t index = first;
        for (std::size_t i = first + 1; i < last; ++i) {
            const double d2 = segment_distance2(xy[i], xy[first], xy[last]);
            if (d2 > farthest2) {
                farthest2 = d2;
                index = i;
            }
        }
        if (farthest2 > tolerance2) {
            keep[index] = 1;
            stack.emplace_back(first, index);
            stack.emplace_back(index, last);
        }
    }
    std::vector<TrackFix> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (keep[i] != 0) {
            out.push_back(fixes[i]);
        }
    }
    return out;
}

std::vector<TrackFix> downsample_track(const std::vector<TrackFix>& fixes, std::int64_t period_s) {
    if (period_s < 1) {
        throw std::invalid_argument("downsample_track: period_s must be >= 1");
    }
    detail::check_track(fixes, "downsample_track");
    // A period longer than the int64 millisecond range holds every representable time.
    constexpr std::int64_t max_period_s = std::numeric_limits<std::int64_t>::max() / 1000;
    const std::int64_t period_ms =
        period_s > max_period_s ? std::numeric_limits<std::int64_t>::max() : period_s * 1000;
    std::vector<TrackFix> out;
    std::int64_t current = 0;
    for (const TrackFix& f : fixes) {
        const std::int64_t period = floor_div(f.time_ms, period_ms);
        if (out.empty() || period != current) {
            out.push_back(f);
            current = period;
        }
    }
    return out;
}

namespace {

/// Accumulates the stopped run of track_statistics().
class StopCollector {
public:
    StopCollector(const std::vector<TrackFix>& fixes, std::int64_t min_stop_ms)
        : m_fixes(fixes), m_min_stop_ms(min_stop_ms) {}

    /// A stopped step from fix `i` to `i + 1`.
    void stopped(std::size_t i) {
        if (!m_first) {
            m_first = i;
        }
    }

    /// The run (if any) ended at fix `last`.
    void close(std::size_t last, std::vector<TrackStop>& out) {
        if (!m_first) {
            return;
        }
        const std::size_t first = *m_first;
        m_first.reset();
        const std::int64_t duration = m_fixes[last].time_ms - m_fixes[first].time_ms;
        if (duration < m_min_stop_ms) {
            return;
        }
        double lat = 0;
        double lon = 0;
        for (std::size_t i = first; i <= last; ++i) {
            lat += m_fixes[i].lat();
            lon += m_fixes[i].lon();
        }
        const auto count = static_cast<double>(last - first + 1);
        out.push_back(TrackStop{m_fixes[first].time_ms, m_fixes[last].time_ms, duration,
                                geo::Position{lat / count, lon / count}, last - first + 1});
    }

private:
    const std::vector<TrackFix>& m_fixes;
    std::int64_t m_min_stop_ms;
    std::optional<std::size_t> m_first;
};

} // namespace

TrackStatistics track_statistics(const std::vector<TrackFix>& fixes,
                                 const TrackStatisticsOptions& options) {
    if (!(options.stop_speed_knots >= 0) || !std::isfinite(options.stop_speed_knots)) {
        throw std::invalid_argument("track_statistics: stop_speed_knots must be >= 0");
    }
    if (options.max_gap_s < 1 || options.max_gap_s > std::int64_t{1} << 40) {
        throw std::invalid_argument("track_statistics: max_gap_s must be in 1..2^40");
    }
    if (options.min_stop_s < 0 || options.min_stop_s > std::int64_t{1} << 40) {
        throw std::invalid_argument("track_statistics: min_stop_s must be in 0..2^40");
    }
    detail::check_track(fixes, "track_statistics");
    TrackStatistics s;
    s.fixes = fixes.size();
    for (const TrackFix& f : fixes) {
        if (const auto sog = f.sog_knots()) {
            s.max_sog_knots = std::max(s.max_sog_knots.value_or(*sog), *sog);
        }
    }
    if (fixes.size() < 2) {
        return s;
    }
    s.duration_ms = fixes.back().time_ms - fixes.front().time_ms;
    const std::int64_t max_gap_ms = options.max_gap_s * 1000;
    StopCollector stops(fixes, options.min_stop_s * 1000);
    for (std::size_t i = 1; i < fixes.size(); ++i) {
        const TrackFix& a = fixes[i - 1];
        const TrackFix& b = fixes[i];
        const std::int64_t dt_ms = b.time_ms - a.time_ms;
        const double d = geo::distance_m(a.position(), b.position());
        s.distance_m += d;
        if (dt_ms > max_gap_ms) {
            s.gap_ms += dt_ms;
            stops.close(i - 1, s.stops);
            continue;
        }
        std::optional<double> implied;
        if (dt_ms > 0) {
            implied = d / (static_cast<double>(dt_ms) / 1000.0) / knots_to_mps;
            if (dt_ms >= 1000) {
                s.max_implied_speed_knots =
                    std::max(s.max_implied_speed_knots.value_or(*implied), *implied);
            }
        }
        const auto sog = b.sog_knots();
        const bool moving = (implied && *implied >= options.stop_speed_knots) ||
                            (sog && *sog >= options.stop_speed_knots);
        if (moving) {
            s.moving_ms += dt_ms;
            stops.close(i - 1, s.stops);
        } else {
            s.stopped_ms += dt_ms;
            stops.stopped(i - 1);
        }
    }
    stops.close(fixes.size() - 1, s.stops);
    s.distance_nm = s.distance_m / geo::metres_per_nautical_mile;
    return s;
}

} // namespace sahil::store

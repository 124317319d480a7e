// Helpers shared by the sahil_geo tests: where the shipped zone files are, and an independent
// brute-force oracle for point-to-zone distances (no projection, no R-tree: golden-section search
// of the geodesic distance along every lon/lat edge, using distance_m which geodesic_test checks
// against PROJ's geod tool).
#pragma once

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "geo/geodesic.hpp"
#include "geo/zone.hpp"

namespace sahil::geo::test {

inline std::filesystem::path config_geo(const std::string& file) {
    return std::filesystem::path(SAHIL_SOURCE_DIR) / "config" / "geo" / file;
}

inline Position lerp(const LonLatPoint& a, const LonLatPoint& b, double t) {
    return {a.y() + t * (b.y() - a.y()), a.x() + t * (b.x() - a.x())};
}

/// Minimum geodesic distance (m) from p to the straight lon/lat edge a-b. The distance along a
/// short edge is unimodal, so golden-section search converges to the minimum; 60 steps shrink
/// the bracket to 1e-12 of the edge.
inline double oracle_edge_m(const Position& p, const LonLatPoint& a, const LonLatPoint& b) {
    const double g = (std::sqrt(5.0) - 1.0) / 2.0;
    double lo = 0.0;
    double hi = 1.0;
    double x1 = hi - g * (hi - lo);
    double x2 = lo + g * (hi - lo);
    double f1 = distance_m(p, lerp(a, b, x1));
    double f2 = distance_m(p, lerp(a, b, x2));
    for (int i = 0; i < 60; ++i) {
        if (f1 < f2) {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = distance_m(p, lerp(a, b, x1));
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = distance_m(p, lerp(a, b, x2));
        }
    }
    return std::min({f1, f2, distance_m(p, lerp(a, b, 0.0)), distance_m(p, lerp(a, b, 1.0))});
}

/// Brute-force distance (m) from p to the boundary of every ring of the zone.
inline double oracle_boundary_m(const Position& p, const Zone& zone) {
    double best = std::numeric_limits<double>::infinity();
    auto ring_min = [&](const auto& ring) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            best = std::min(best, oracle_edge_m(p, ring[i], ring[i + 1]));
        }
    };
    for (const LonLatPolygon& polygon : zone.geometry) {
        ring_min(polygon.outer());
        for (const auto& inner : polygon.inners()) {
            ring_min(inner);
        }
    }
    return best;
}

} // namespace sahil::geo::test

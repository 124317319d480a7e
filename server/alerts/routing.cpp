#include "server/alerts/routing.hpp"

#include <algorithm>

namespace sahil::alerts {

const std::vector<std::string>& known_areas() {
    static const std::vector<std::string> names{"harbour",       "territorial_sea",
                                                "contiguous_zone", "eez",
                                                "boundary_area", "outside_eez"};
    return names;
}

std::vector<std::string> route(const std::vector<Agency>& agencies, Severity severity,
                               const std::vector<std::string>& areas) {
    std::vector<std::string> out;
    if (severity == Severity::critical) {
        for (const auto& a : agencies) {
            out.push_back(a.id);
        }
        return out;
    }
    for (const auto& a : agencies) {
        if (severity < a.min_severity) {
            continue;
        }
        const bool mine = std::any_of(a.areas.begin(), a.areas.end(), [&](const std::string& x) {
            return std::find(areas.begin(), areas.end(), x) != areas.end();
        });
        if (mine) {
            out.push_back(a.id);
        }
    }
    if (out.empty()) {
        // Nobody's area (e.g. a gap in the zone layers): every agency that takes this severity.
        for (const auto& a : agencies) {
            if (severity >= a.min_severity) {
                out.push_back(a.id);
            }
        }
    }
    return out;
}

} // namespace sahil::alerts

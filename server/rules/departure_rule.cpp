#include "server/rules/departure_rule.hpp"

#include <chrono>

#include "geo/geodesic.hpp"
#include "server/tracking/fix.hpp"

namespace sahil::rules {

std::optional<DepartureEvent> DepartureRule::on_fix(State& state, const tracking::Fix& fix,
                                                    const geo::ZoneIndex& harbours,
                                                    const geo::Zone* inside) const {
    std::optional<double> speed = fix.sog_knots;
    if (!speed && state.previous) {
        const double dt_s = std::chrono::duration<double>(fix.time - state.previous_time).count();
        if (dt_s > 0) {
            speed = geo::distance_m(*state.previous, fix.position) / dt_s * 3600.0 /
                    geo::metres_per_nautical_mile;
        }
    }
    state.previous = fix.position;
    state.previous_time = fix.time;

    if (inside != nullptr) {
        state.harbour = inside->id;
        state.last_inside = fix.time;
        return std::nullopt;
    }
    if (!state.harbour) {
        return std::nullopt;
    }
    const geo::Zone* zone = harbours.find(*state.harbour);
    if (zone == nullptr) { // zones reloaded without this harbour
        state.harbour.reset();
        return std::nullopt;
    }
    const double outside_m = harbours.distance_outside_m(fix.position, *zone);
    if (outside_m <= m_config.buffer_m || !speed || *speed < m_config.min_sog_knots) {
        return std::nullopt;
    }
    DepartureEvent ev{zone->id, zone->name, outside_m, *speed, state.last_inside};
    state.harbour.reset();
    return ev;
}

} // namespace sahil::rules

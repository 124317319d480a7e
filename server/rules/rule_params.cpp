#include "server/rules/rule_params.hpp"

#include <utility>

namespace sahil::rules {

std::string_view to_string(VesselClass c) noexcept {
    switch (c) {
    case VesselClass::fishing:
        return "fishing";
    case VesselClass::speedboat:
        return "speedboat";
    case VesselClass::cargo:
        return "cargo";
    case VesselClass::other:
        return "other";
    }
    return "other";
}

std::optional<VesselClass> parse_vessel_class(std::string_view s) noexcept {
    for (auto c : {VesselClass::fishing, VesselClass::speedboat, VesselClass::cargo,
                   VesselClass::other}) {
        if (to_string(c) == s) {
            return c;
        }
    }
    return std::nullopt;
}

namespace {
// One table of (key, member) so the names, the setter and the getter cannot disagree.
struct Field {
    std::string_view key;
    double RuleParams::*member;
};
constexpr Field fields[] = {
    {"night_sun_deg", &RuleParams::night_sun_deg},
    {"closed_season_shore_nm", &RuleParams::closed_season_shore_nm},
    {"boundary_horizon_h", &RuleParams::boundary_horizon_h},
    {"boundary_sustain_min", &RuleParams::boundary_sustain_min},
    {"boundary_min_sog_knots", &RuleParams::boundary_min_sog_knots},
    {"boundary_closing_nm_per_h", &RuleParams::boundary_closing_nm_per_h},
    {"boundary_proximity_nm", &RuleParams::boundary_proximity_nm},
    {"boundary_area_nm", &RuleParams::boundary_area_nm},
    {"gap_after_departure_h", &RuleParams::gap_after_departure_h},
    {"gap_departure_window_h", &RuleParams::gap_departure_window_h},
    {"gap_offshore_h", &RuleParams::gap_offshore_h},
    {"gap_offshore_nm", &RuleParams::gap_offshore_nm},
    {"reappear_speed_knots", &RuleParams::reappear_speed_knots},
    {"rendezvous_distance_m", &RuleParams::rendezvous_distance_m},
    {"rendezvous_min_minutes", &RuleParams::rendezvous_min_minutes},
    {"rendezvous_max_sog_knots", &RuleParams::rendezvous_max_sog_knots},
    {"rendezvous_harbour_nm", &RuleParams::rendezvous_harbour_nm},
    {"loiter_max_sog_knots", &RuleParams::loiter_max_sog_knots},
    {"loiter_near_boundary_h", &RuleParams::loiter_near_boundary_h},
    {"loiter_offshore_h", &RuleParams::loiter_offshore_h},
    {"loiter_offshore_nm", &RuleParams::loiter_offshore_nm},
    {"max_speed_knots", &RuleParams::max_speed_knots},
    {"max_speed_speedboat_knots", &RuleParams::max_speed_speedboat_knots},
    {"jump_tolerance_m", &RuleParams::jump_tolerance_m},
};
} // namespace

const std::vector<std::string_view>& rule_param_keys() {
    static const std::vector<std::string_view> keys = [] {
        std::vector<std::string_view> k;
        for (const auto& f : fields) {
            k.push_back(f.key);
        }
        k.push_back("duplicate_jumps");
        k.push_back("static_change_alerts");
        return k;
    }();
    return keys;
}

bool set_rule_param(RuleParams& p, std::string_view key, double value) {
    for (const auto& f : fields) {
        if (f.key == key) {
            p.*f.member = value;
            return true;
        }
    }
    if (key == "duplicate_jumps") {
        p.duplicate_jumps = static_cast<int>(value);
        return true;
    }
    if (key == "static_change_alerts") {
        p.static_change_alerts = value != 0.0;
        return true;
    }
    return false;
}

std::optional<double> get_rule_param(const RuleParams& p, std::string_view key) {
    for (const auto& f : fields) {
        if (f.key == key) {
            return p.*f.member;
        }
    }
    if (key == "duplicate_jumps") {
        return p.duplicate_jumps;
    }
    if (key == "static_change_alerts") {
        return p.static_change_alerts ? 1.0 : 0.0;
    }
    return std::nullopt;
}

RuleParams RuleParamSet::for_vessel(std::string_view harbour, VesselClass cls) const {
    RuleParams p = defaults;
    for (const auto& o : overrides) {
        if (!o.harbour.empty() && o.harbour == harbour) {
            for (const auto& [k, v] : o.values) {
                set_rule_param(p, k, v);
            }
        }
    }
    for (const auto& o : overrides) {
        if (o.vessel_class && *o.vessel_class == cls) {
            for (const auto& [k, v] : o.values) {
                set_rule_param(p, k, v);
            }
        }
    }
    return p;
}

} // namespace sahil::rules

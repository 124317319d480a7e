#include "server/rules/departure_alert_rule.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "registry/validation.hpp"

namespace sahil::rules {

std::optional<alerts::Alert> departure_alert(const DepartureEvent& ev, const tracking::Fix& fix,
                                             const std::optional<registry::Boat>& boat,
                                             const std::string& reported_name) {
    alerts::Alert a;
    a.mmsi = fix.mmsi;
    a.vessel_name = reported_name;
    a.zone_id = ev.zone_id;
    a.zone_name = ev.zone_name;
    a.fix_time = fix.time;
    a.position = fix.position;
    a.sog_knots = fix.sog_knots;
    a.cog_deg = fix.cog_deg;
    a.evidence["departure"] = {
        {"zone_id", ev.zone_id},
        {"last_inside", alerts::iso8601(ev.last_inside)},
        {"distance_outside_m", static_cast<long>(ev.distance_outside_m)},
        {"speed_knots", static_cast<double>(static_cast<long>(ev.speed_knots * 10.0)) / 10.0},
    };
    a.evidence["fix"] = {{"feed", fix.feed},
                         {"station", fix.station},
                         {"message_type", fix.message_type},
                         {"received_at", alerts::iso8601(fix.received_at)}};
    const std::string who = reported_name.empty()
                                ? fmt::format("MMSI {}", fix.mmsi)
                                : fmt::format("{} (MMSI {})", reported_name, fix.mmsi);
    if (!boat) {
        a.rule = std::string(alerts::rule_names::unregistered_departure);
        a.severity = alerts::Severity::critical;
        a.evidence["registry"] = {{"match", "none"}};
        a.reason =
            fmt::format("{} left {} and its MMSI is in no registry record.", who, ev.zone_name);
        return a;
    }
    const auto day = std::chrono::floor<std::chrono::days>(fix.time);
    const registry::LicenceState state = registry::licence_state(*boat, day);
    // Valid by date and status, but maybe not for this harbour.
    std::string scope_problem;
    if (state == registry::LicenceState::valid) {
        // The start date is not checked, as in licence_state(): a renewal's first day follows
        // the old licence's last, and the v1 short form records the entry date as the start.
        if (!boat->licence_zones.empty() &&
                   std::find(boat->licence_zones.begin(), boat->licence_zones.end(),
                             ev.zone_id) == boat->licence_zones.end()) {
            std::string zones;
            for (const auto& z : boat->licence_zones) {
                zones += (zones.empty() ? "" : ", ") + z;
            }
            scope_problem = fmt::format("its licence covers {} only", zones);
        } else {
            return std::nullopt;
        }
    }
    a.rule = std::string(alerts::rule_names::licence_invalid_departure);
    // A revoked licence is the authority's strongest sanction (anomaly-rules.md R2: critical).
    a.severity = state == registry::LicenceState::revoked ? alerts::Severity::critical
                                                          : alerts::Severity::warning;
    a.boat_id = boat->id;
    a.registration_number = boat->registration_number;
    std::string until = "none";
    if (boat->licence_valid_until) {
        until = registry::format_iso_date(*boat->licence_valid_until);
    }
    a.evidence["registry"] = {{"match", "mmsi"},
                              {"boat_id", boat->id},
                              {"registration_number", boat->registration_number},
                              {"registered_name", boat->name},
                              {"status", std::string(registry::to_string(boat->status))},
                              {"licence_valid_until", until},
                              {"licence_state", std::string(registry::to_string(state))}};
    std::string why;
    switch (state) {
    case registry::LicenceState::expired:
        why = fmt::format("its licence expired on {}", until);
        break;
    case registry::LicenceState::no_licence:
        why = "it holds no licence";
        break;
    case registry::LicenceState::suspended:
        why = "its registration is suspended";
        break;
    case registry::LicenceState::decommissioned:
        why = "it is recorded as decommissioned";
        break;
    case registry::LicenceState::revoked:
        why = "its licence has been revoked";
        break;

    case registry::LicenceState::valid:
        why = scope_problem;
        break;
    }
    a.reason = fmt::format("{}, registered as {} ({}), left {} but {}.", who, boat->name,
                           boat->registration_number, ev.zone_name, why);
    return a;
}

} // namespace sahil::rules

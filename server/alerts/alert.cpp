#include "server/alerts/alert.hpp"

#include <chrono>
#include <cmath>
#include <utility>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace sahil::alerts {

std::string_view to_string(Severity s) noexcept {
    switch (s) {
    case Severity::info:
        return "info";
    case Severity::warning:
        return "warning";
    case Severity::critical:
        return "critical";
    }
    return "warning";
}

std::string_view to_string(Status s) noexcept {
    switch (s) {
    case Status::new_:
        return "new";
    case Status::acknowledged:
        return "acknowledged";
    case Status::assigned:
        return "assigned";
    case Status::resolved:
        return "resolved";
    }
    return "new";
}

std::optional<Severity> parse_severity(std::string_view s) noexcept {
    if (s == "info") {
        return Severity::info;
    }
    if (s == "warning") {
        return Severity::warning;
    }
    if (s == "critical") {
        return Severity::critical;
    }
    return std::nullopt;
}

std::optional<Status> parse_status(std::string_view s) noexcept {
    if (s == "new") {
        return Status::new_;
    }
    if (s == "acknowledged") {
        return Status::acknowledged;
    }
    if (s == "assigned") {
        return Status::assigned;
    }
    if (s == "resolved") {
        return Status::resolved;
    }
    return std::nullopt;
}

namespace {
constexpr std::pair<Outcome, std::string_view> outcome_names[] = {
    {Outcome::false_alarm, "false_alarm"},
    {Outcome::verified_no_action, "verified_no_action"},
    {Outcome::intercepted, "intercepted"},
    {Outcome::referred_msa, "referred_msa"},
    {Outcome::referred_coast_guard, "referred_coast_guard"},
    {Outcome::suppressed, "suppressed"},
};
} // namespace

std::string_view to_string(Outcome o) noexcept {
    for (const auto& [v, name] : outcome_names) {
        if (v == o) {
            return name;
        }
    }
    return "false_alarm";
}

std::optional<Outcome> parse_outcome(std::string_view s) noexcept {
    for (const auto& [v, name] : outcome_names) {
        if (name == s) {
            return v;
        }
    }
    return std::nullopt;
}

const std::vector<std::string_view>& all_rule_names() {
    namespace r = rule_names;
    static const std::vector<std::string_view> names{
        r::unregistered_departure,  r::licence_invalid_departure, r::night_departure,
        r::closed_season,           r::boundary_approach,         r::boundary_proximity,
        r::boundary_crossing,       r::left_eez,                  r::ais_gap,
        r::reappeared_far,          r::rendezvous,                r::loitering,
        r::identity_invalid_mmsi,   r::identity_mismatch,         r::identity_static_change,
        r::identity_impossible_speed, r::identity_shared_mmsi,
    };
    return names;
}

std::string iso8601(UtcTime t) {
    const auto secs = std::chrono::floor<std::chrono::seconds>(t);
    const auto ms = (t - secs).count();
    if (ms == 0) {
        return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", secs);
    }
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", secs, ms);
}

namespace {
nlohmann::ordered_json optional_number(const std::optional<double>& v) {
    if (!v) {
        return nullptr;
    }
    return std::round(*v * 10.0) / 10.0;
}
double round_deg(double v) { return std::round(v * 1e6) / 1e6; }
} // namespace

nlohmann::ordered_json to_json(const Alert& a) {
    nlohmann::ordered_json j;
    j["id"] = a.id;
    j["rule"] = a.rule;
    j["severity"] = to_string(a.severity);
    j["status"] = to_string(a.status);
    j["mmsi"] = a.mmsi;
    j["vessel_name"] = a.vessel_name;
    j["registry"] = a.boat_id
                        ? nlohmann::ordered_json{{"boat_id", *a.boat_id},
                                                 {"registration_number", a.registration_number}}
                        : nlohmann::ordered_json(nullptr);
    j["other_vessel"] = a.other_mmsi ? nlohmann::ordered_json{{"mmsi", *a.other_mmsi},
                                                               {"vessel_name", a.other_name}}
                                      : nlohmann::ordered_json(nullptr);
    j["zone_id"] = a.zone_id;
    j["zone_name"] = a.zone_name;
    j["time"] = iso8601(a.fix_time);
    j["lat"] = round_deg(a.position.lat_deg);
    j["lon"] = round_deg(a.position.lon_deg);
    j["last_time"] = iso8601(a.last_time);
    j["last_lat"] = round_deg(a.last_position.lat_deg);
    j["last_lon"] = round_deg(a.last_position.lon_deg);
    j["sog_knots"] = optional_number(a.sog_knots);
    j["cog_deg"] = optional_number(a.cog_deg);
    j["repeat_count"] = a.repeat_count;
    j["agencies"] = a.agencies;
    j["assignee"] = a.assignee.empty() ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(a.assignee);
    j["outcome"] = a.outcome ? nlohmann::ordered_json(to_string(*a.outcome))
                             : nlohmann::ordered_json(nullptr);
    j["reason"] = a.reason;
    j["evidence"] = a.evidence;
    if (!a.created_at.empty()) {
        j["created_at"] = a.created_at;
    }
    if (!a.updated_at.empty()) {
        j["updated_at"] = a.updated_at;
    }
    return j;
}

} // namespace sahil::alerts

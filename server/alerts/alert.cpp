#include "server/alerts/alert.hpp"

#include <chrono>
#include <cmath>

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
    if (s == "resolved") {
        return Status::resolved;
    }
    return std::nullopt;
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
    j["zone_id"] = a.zone_id;
    j["zone_name"] = a.zone_name;
    j["time"] = iso8601(a.fix_time);
    j["lat"] = std::round(a.position.lat_deg * 1e6) / 1e6;
    j["lon"] = std::round(a.position.lon_deg * 1e6) / 1e6;
    j["sog_knots"] = optional_number(a.sog_knots);
    j["cog_deg"] = optional_number(a.cog_deg);
    j["reason"] = a.reason;
    j["evidence"] = a.evidence;
    if (!a.created_at.empty()) {
        j["created_at"] = a.created_at;
    }
    return j;
}

} // namespace sahil::alerts

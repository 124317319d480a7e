// Alerts raised to the Coast Guards and MSA.
//
// An alert names the rule, the vessel (MMSI, reported name, registry match), the harbour zone,
// the fix time and position, and a plain-language reason, with the evidence that triggered it.
// Example (JSON line): {"id":7,"rule":"unregistered_departure","severity":"critical",
// "mmsi":463100901,"vessel_name":"SEA HAWK","zone_id":"PK-HBR-05",...}
// Data path: rules -> AlertService -> AlertStore (durable first) -> sinks (log, API).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ais/time.hpp"
#include "geo/position.hpp"

namespace sahil::alerts {

/// Rule names (stable machine strings, used in the API, the store and the docs).
namespace rule_names {
inline constexpr std::string_view unregistered_departure = "unregistered_departure";
inline constexpr std::string_view licence_invalid_departure = "licence_invalid_departure";
} // namespace rule_names

/// Severity: `info` (logged), `warning` (watchkeeper queue), `critical` (audible cue).
enum class Severity { info, warning, critical };

/// Lifecycle status of an alert.
enum class Status { new_, acknowledged, resolved };

std::string_view to_string(Severity s) noexcept;
std::string_view to_string(Status s) noexcept;
std::optional<Severity> parse_severity(std::string_view s) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;

/// One alert.
struct Alert {
    std::int64_t id = 0; ///< store id; 0 before it is stored
    std::string rule;    ///< see rule_names
    Severity severity = Severity::warning;
    Status status = Status::new_;
    std::uint32_t mmsi = 0;
    std::string vessel_name;             ///< name reported over AIS (untrusted text)
    std::optional<std::int64_t> boat_id; ///< registry boat id when matched
    std::string registration_number;     ///< registry registration number when matched
    std::string zone_id;                 ///< harbour zone id
    std::string zone_name;               ///< harbour name
    UtcTime fix_time;                    ///< time of the triggering fix (UTC)
    geo::Position position;              ///< position of the triggering fix
    std::optional<double> sog_knots;
    std::optional<double> cog_deg;
    std::string reason; ///< human-readable explanation
    nlohmann::ordered_json evidence = nlohmann::ordered_json::object(); ///< facts that triggered it
    std::string created_at; ///< UTC ISO 8601 when stored (wall clock)
};

/// JSON form of an alert (API and log); stable key order is not guaranteed by JSON but our
/// writer emits keys in the order of the struct.
nlohmann::ordered_json to_json(const Alert& a);

/// ISO 8601 UTC text of a time, e.g. "2026-03-14T17:42:10Z" (milliseconds when non-zero).
std::string iso8601(UtcTime t);

} // namespace sahil::alerts

// Alerts raised to the Coast Guards and MSA.
//
// An alert names the rule, the vessel (MMSI, reported name, registry match) and for two-vessel
// rules (rendezvous) the other vessel, the zone, the first and last time and position of the
// occurrence, how often the rule fired during it (repeat_count), the agencies it is routed to,
// its lifecycle (new -> acknowledged -> assigned -> resolved with an outcome) and the evidence
// that triggered it with a plain-language explanation.
// Example (JSON line): {"id":7,"rule":"unregistered_departure","severity":"critical",
// "status":"new","mmsi":463100901,"vessel_name":"SEA HAWK","zone_id":"PK-HBR-05",...}
// Data path: rules -> Pipeline::raise -> AlertStore::raise (durable first: alert, journal event
// and webhook outbox rows in one transaction) -> sinks (log, WebSocket hub).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ais/time.hpp"
#include "geo/position.hpp"

namespace sahil::alerts {

/// Rule names (stable machine strings, used in the API, the store, the config and the docs;
/// docs/rules.md gives each one's definition, parameters and sources).
namespace rule_names {
inline constexpr std::string_view unregistered_departure = "unregistered_departure"; ///< R1
inline constexpr std::string_view licence_invalid_departure = "licence_invalid_departure"; ///< R2
inline constexpr std::string_view night_departure = "night_departure";                 ///< R3
inline constexpr std::string_view closed_season = "closed_season";                     ///< R4
inline constexpr std::string_view boundary_approach = "boundary_approach";             ///< R5a
inline constexpr std::string_view boundary_proximity = "boundary_proximity";           ///< R5b
inline constexpr std::string_view boundary_crossing = "boundary_crossing";             ///< R5c
inline constexpr std::string_view left_eez = "left_eez";                               ///< R5d
inline constexpr std::string_view ais_gap = "ais_gap";                                 ///< R6
inline constexpr std::string_view reappeared_far = "reappeared_far";                   ///< R6
inline constexpr std::string_view rendezvous = "rendezvous";                           ///< R7
inline constexpr std::string_view loitering = "loitering";                             ///< R8
inline constexpr std::string_view identity_invalid_mmsi = "identity_invalid_mmsi";     ///< R9
inline constexpr std::string_view identity_mismatch = "identity_mismatch";             ///< R9
inline constexpr std::string_view identity_static_change = "identity_static_change";   ///< R9
inline constexpr std::string_view identity_impossible_speed = "identity_impossible_speed"; ///< R9
inline constexpr std::string_view identity_shared_mmsi = "identity_shared_mmsi";       ///< R9
} // namespace rule_names

/// Every rule name, in docs/rules.md order.
[[nodiscard]] const std::vector<std::string_view>& all_rule_names();

/// Severity: `info` (logged), `warning` (watchkeeper queue), `critical` (audible cue, routed to
/// every agency). Ordered: info < warning < critical.
enum class Severity { info, warning, critical };

/// Lifecycle status of an alert: new -> acknowledged -> assigned -> resolved (acknowledge and
/// assign may be skipped; resolved is final).
enum class Status { new_, acknowledged, assigned, resolved };

/// How a resolved alert ended.
enum class Outcome {
    false_alarm,          ///< nothing was wrong (bad fix, coverage gap, wrong registry data)
    verified_no_action,   ///< checked: lawful, no action needed
    intercepted,          ///< a patrol intercepted the vessel
    referred_msa,         ///< handed to the Maritime Security Agency
    referred_coast_guard, ///< handed to the Pakistan Coast Guards
    suppressed,           ///< closed by a suppression (see AlertStore::act, action "suppress")
};

std::string_view to_string(Severity s) noexcept;
std::string_view to_string(Status s) noexcept;
std::string_view to_string(Outcome o) noexcept;
std::optional<Severity> parse_severity(std::string_view s) noexcept;
std::optional<Status> parse_status(std::string_view s) noexcept;
std::optional<Outcome> parse_outcome(std::string_view s) noexcept;

/// One alert.
struct Alert {
    std::int64_t id = 0; ///< store id; 0 before it is stored
    std::string rule;    ///< see rule_names
    Severity severity = Severity::warning;
    Status status = Status::new_;
    std::uint32_t mmsi = 0;                ///< the vessel (track key)
    std::string vessel_name;               ///< name reported over AIS (untrusted text)
    std::optional<std::int64_t> boat_id;   ///< registry vessel id when matched
    std::string registration_number;       ///< registry registration number when matched
    std::optional<std::uint32_t> other_mmsi; ///< second vessel (rendezvous), if any
    std::string other_name;                ///< its reported name (untrusted text)
    std::string zone_id;                   ///< zone of the first fix (harbour, sea area or line)
    std::string zone_name;                 ///< its name
    UtcTime fix_time;                      ///< time of the first triggering fix (UTC)
    geo::Position position;                ///< position of the first triggering fix
    UtcTime last_time;                     ///< time of the latest triggering fix (UTC)
    geo::Position last_position;           ///< position of the latest triggering fix
    std::optional<double> sog_knots;       ///< SOG at the latest triggering fix, knots
    std::optional<double> cog_deg;         ///< COG at the latest triggering fix, degrees
    int repeat_count = 1;                  ///< how often the rule fired in this occurrence
    std::vector<std::string> agencies;     ///< agency ids it is routed to (config [[agencies]])
    std::string assignee;                  ///< patrol unit or person, once assigned
    std::optional<Outcome> outcome;        ///< set when resolved
    std::string reason; ///< plain-language explanation
    nlohmann::ordered_json evidence = nlohmann::ordered_json::object(); ///< facts that triggered it
    std::string created_at; ///< UTC ISO 8601 when stored (wall clock)
    std::string updated_at; ///< UTC ISO 8601 of the last change (wall clock)
};

/// JSON form of an alert (API, stream, webhook and log), keys in struct order.
nlohmann::ordered_json to_json(const Alert& a);

/// ISO 8601 UTC text of a time, e.g. "2026-03-14T17:42:10Z" (milliseconds when non-zero).
std::string iso8601(UtcTime t);

} // namespace sahil::alerts

// Which departures become alerts: registry match and licence state at the time of the fix.
//
// `unregistered_departure` (critical) when no registry record carries the MMSI;
// `licence_invalid_departure` (warning) when the record's licence has expired, there is none,
// or the boat is suspended or decommissioned (registry::licence_state on the fix's UTC date);
// nothing for a registered boat with a valid licence. Source: the national action plan's
// requirement that every boat leaving harbour be registered and licensed
// (docs/rules.md R1: the national action plan asks that every boat be registered by the
// fisheries department; Balochistan and Sindh fisheries licence each boat for a period).
//
// Thread-safety: pure function.
#pragma once

#include <optional>

#include "registry/boat.hpp"
#include "server/alerts/alert.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/tracking/fix.hpp"

namespace sahil::rules {

/// Builds the alert for a departure, or nothing when the boat may leave.
/// @param boat the registry record with the vessel's MMSI, looked up at departure time.
/// @param reported_name ship name last reported over AIS (may be empty).
std::optional<alerts::Alert> departure_alert(const DepartureEvent& event, const tracking::Fix& fix,
                                             const std::optional<registry::Boat>& boat,
                                             const std::string& reported_name);

} // namespace sahil::rules

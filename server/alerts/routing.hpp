// Routing of alerts to the agencies whose area of responsibility they fall in.
//
// Each agency (config `[[agencies]]`) names the sea areas it answers for. An alert's areas are
// computed from its position by the rule engine (rules::Geography::areas_at): "harbour" (inside
// or within the harbour exit buffer of a harbour geofence), "territorial_sea" (Pakistan's 12 nm
// belt), "contiguous_zone" (12-24 nm), "eez" (Pakistan's EEZ beyond the contiguous zone, 24-200 nm),
// "boundary_area" (within `boundary_area_nm` of the Iran, Oman or India line or the 200 nm
// limit) and "outside_eez" (beyond Pakistan's waters). An alert goes to every agency with an
// area in common; a critical alert goes to every agency (issue 5: "critical alerts to both"); an
// alert that matches no agency goes to every agency too, so that nothing is lost.
// Example: Coast Guards {harbour, territorial_sea}; MSA {eez, boundary_area, outside_eez}.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <vector>

#include "server/alerts/alert.hpp"

namespace sahil::alerts {

/// One agency's desk (config `[[agencies]]`).
struct Agency {
    std::string id;                 ///< stable id, e.g. "coast_guard", "msa" ([a-z0-9_], 1-32)
    std::string name;               ///< display name, e.g. "Pakistan Coast Guards operations room"
    std::vector<std::string> areas; ///< area names (see the file comment)
    Severity min_severity = Severity::warning; ///< lower severities are not routed to it
    std::string webhook_url;        ///< http://host:port/path; empty = no webhook
    std::string webhook_token;      ///< sent as "Authorization: Bearer ..."; empty = none
};

/// Area names an agency may list, in the order of the file comment.
[[nodiscard]] const std::vector<std::string>& known_areas();

/// Agency ids that receive an alert of `severity` found in `areas` (see the file comment), in
/// the order of `agencies`.
[[nodiscard]] std::vector<std::string> route(const std::vector<Agency>& agencies,
                                             Severity severity,
                                             const std::vector<std::string>& areas);

} // namespace sahil::alerts

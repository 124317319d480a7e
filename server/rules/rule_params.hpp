// Parameters of the anomaly rules (docs/rules.md), with defaults and their sources, and the
// per-harbour / per-vessel-class overrides of the config (`[rules.params]`, `[[rules.override]]`).
//
// Defaults follow the proposal in anomaly-rules.md §7 (parameters cited per field below). A
// vessel's parameters are the defaults, then every override whose `harbour` is the vessel's home
// or departure harbour, then every override whose `vessel_class` is the vessel's class, later
// overrides winning (RuleParamSet::for_vessel).
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahil::rules {

/// Vessel class used for overrides and speed ceilings: from the registry vessel type when the
/// boat is registered, else from the AIS ship type (ITU-R M.1371-5 Table 53).
enum class VesselClass { fishing, speedboat, cargo, other };

/// "fishing", "speedboat", "cargo", "other".
std::string_view to_string(VesselClass c) noexcept;
std::optional<VesselClass> parse_vessel_class(std::string_view s) noexcept;

/// Every tunable of the rules. Distances in metres or nautical miles as named, speeds in knots,
/// times in seconds or hours as named.
struct RuleParams {
    // R3 night departure
    double night_sun_deg = -6.0; ///< sun below this at the harbour = night (civil twilight ends)
    // R4 closed season
    double closed_season_shore_nm = 3.0; ///< activity this far from land in a closed season
    // R5 boundaries
    double boundary_horizon_h = 6.0;     ///< predicted crossing within this many hours (R5a)
    double boundary_sustain_min = 30.0;  ///< R5a must hold this long before it fires
    double boundary_min_sog_knots = 4.0; ///< R5a only for vessels at least this fast
    double boundary_closing_nm_per_h = 3.0; ///< R5a: distance to the line falls this fast
    double boundary_proximity_nm = 5.0;  ///< R5b: this close to a line
    double boundary_area_nm = 20.0;      ///< "near a boundary" for R7/R8 and routing
    // R6 AIS gap
    double gap_after_departure_h = 2.0;  ///< silence within gap_departure_window_h of a departure
    double gap_departure_window_h = 24.0;
    double gap_offshore_h = 6.0;         ///< silence while offshore (any time)
    double gap_offshore_nm = 12.0;       ///< "offshore" = this far from land
    double reappear_speed_knots = 12.0;  ///< implied speed across a gap that makes it critical
    // R7 rendezvous
    double rendezvous_distance_m = 500.0;
    double rendezvous_min_minutes = 30.0;
    double rendezvous_max_sog_knots = 3.0;
    double rendezvous_harbour_nm = 3.0;  ///< only this far from every harbour geofence
    // R8 loitering
    double loiter_max_sog_knots = 2.0;
    double loiter_near_boundary_h = 1.0; ///< within boundary_area_nm of a line or the EEZ edge
    double loiter_offshore_h = 3.0;      ///< anywhere beyond loiter_offshore_nm from land
    double loiter_offshore_nm = 20.0;
    // R9 identity / R11 integrity
    double max_speed_knots = 40.0;       ///< implied speed ceiling between fixes (fishing, cargo)
    double max_speed_speedboat_knots = 60.0;
    double jump_tolerance_m = 500.0;     ///< GPS noise allowance added to ceiling × Δt
    int duplicate_jumps = 3;             ///< unconfirmed jumps within 1 h = two transmitters
    bool static_change_alerts = true;    ///< R9 static data changing at sea
};

/// Names of the RuleParams fields as config keys (e.g. "boundary_horizon_h"); used by the config
/// reader and the docs. `set` assigns a value by key; false when the key is unknown.
[[nodiscard]] const std::vector<std::string_view>& rule_param_keys();
bool set_rule_param(RuleParams& p, std::string_view key, double value);
[[nodiscard]] std::optional<double> get_rule_param(const RuleParams& p, std::string_view key);

/// One `[[rules.override]]`: for a harbour (zone id) or a vessel class, some keys changed.
struct RuleOverride {
    std::string harbour;                      ///< harbour zone id, or empty
    std::optional<VesselClass> vessel_class;  ///< or a class
    std::vector<std::pair<std::string, double>> values; ///< key, value
};

/// Defaults plus overrides.
struct RuleParamSet {
    RuleParams defaults;
    std::vector<RuleOverride> overrides;

    /// Parameters for a vessel of class `cls` whose home or departure harbour is `harbour`
    /// (empty = none).
    [[nodiscard]] RuleParams for_vessel(std::string_view harbour, VesselClass cls) const;
};

} // namespace sahil::rules

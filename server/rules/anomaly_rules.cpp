#include "server/rules/anomaly_rules.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "geo/geodesic.hpp"
#include "geo/sun.hpp"
#include "registry/identifiers.hpp"

namespace sahil::rules {
namespace {

namespace names = alerts::rule_names;
using alerts::Severity;
using ordered_json = nlohmann::ordered_json;

constexpr double metres_per_nm = 1852.0;
constexpr double knots_to_mps = 1852.0 / 3600.0;

double seconds_between(UtcTime a, UtcTime b) {
    return std::chrono::duration<double>(b - a).count();
}

double round1(double v) { return std::round(v * 10.0) / 10.0; }

ordered_json fix_json(const tracking::Fix& f) {
    ordered_json j{{"time", alerts::iso8601(f.time)},
                   {"lat", std::round(f.position.lat_deg * 1e6) / 1e6},
                   {"lon", std::round(f.position.lon_deg * 1e6) / 1e6}};
    j["sog_knots"] = f.sog_knots ? ordered_json(round1(*f.sog_knots)) : ordered_json(nullptr);
    j["cog_deg"] = f.cog_deg ? ordered_json(round1(*f.cog_deg)) : ordered_json(nullptr);
    j["feed"] = f.feed;
    if (!f.station.empty()) {
        j["station"] = f.station;
    }
    return j;
}

std::string who(const tracking::VesselState& v) {
    std::string w = v.static_data.name.empty() ? fmt::format("MMSI {}", v.mmsi)
                                               : fmt::format("{} (MMSI {})", v.static_data.name,
                                                             v.mmsi);
    if (v.registry_match) {
        w += fmt::format(", registered as {} ({})", v.registry_match->name,
                         v.registry_match->registration_number);
    }
    return w;
}

std::string province_of_authority(const std::string& authority) {
    if (authority == "BAL-FISH") {
        return "Balochistan";
    }
    if (authority == "SND-FISH") {
        return "Sindh";
    }
    return {};
}

bool licence_ok(const std::optional<registry::Boat>& boat, UtcTime t) {
    return boat && registry::licence_state(*boat, std::chrono::floor<std::chrono::days>(t)) ==
                       registry::LicenceState::valid;
}

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
    if (a > b) {
        std::swap(a, b);
    }
    return (static_cast<std::uint64_t>(a) << 32) | b;
}

/// Speed over ground of a fix: reported, else implied by the previous fix; nullopt if neither.
std::optional<double> speed_of(const tracking::Fix& fix, const tracking::Fix* previous) {
    if (fix.sog_knots) {
        return fix.sog_knots;
    }
    if (previous != nullptr) {
        const double dt = seconds_between(previous->time, fix.time);
        if (dt >= 1.0) {
            return geo::distance_m(previous->position, fix.position) / dt / knots_to_mps;
        }
    }
    return std::nullopt;
}

} // namespace

std::string pkt_text(UtcTime t) {
    const auto pkt = std::chrono::floor<std::chrono::minutes>(t + std::chrono::hours(5));
    return fmt::format("{:%Y-%m-%d %H:%M} PKT", pkt);
}

AnomalyRules::AnomalyRules(RuleParamSet params, const Geography& geography,
                           double harbour_buffer_m)
    : m_params(std::move(params)), m_geo(geography), m_harbour_buffer_m(harbour_buffer_m) {
    // Grid cells at least twice the largest rendezvous distance in longitude at 75° latitude,
    // so that any pair within that distance is in the same or a neighbouring cell.
    double max_distance = m_params.defaults.rendezvous_distance_m;
    for (const auto& o : m_params.overrides) {
        for (const auto& [k, v] : o.values) {
            if (k == "rendezvous_distance_m") {
                max_distance = std::max(max_distance, v);
            }
        }
    }
    m_cell_deg = std::max(0.02, 2.0 * max_distance / (111'320.0 * std::cos(75.0 * std::numbers::pi / 180.0)));
}

std::int64_t AnomalyRules::cell_of(const geo::Position& p) const noexcept {
    const auto row = static_cast<std::int64_t>(std::floor((p.lat_deg + 90.0) / m_cell_deg));
    const auto col = static_cast<std::int64_t>(std::floor((p.lon_deg + 180.0) / m_cell_deg));
    return row * 1'000'000 + col;
}

void AnomalyRules::forget_slow(std::uint32_t mmsi) {
    const auto it = m_slow.find(mmsi);
    if (it == m_slow.end()) {
        return;
    }
    const auto cell = m_cells.find(cell_of(it->second.position));
    if (cell != m_cells.end()) {
        auto& list = cell->second;
        list.erase(std::remove(list.begin(), list.end(), mmsi), list.end());
        if (list.empty()) {
            m_cells.erase(cell);
        }
    }
    m_slow.erase(it);
}

VesselClass AnomalyRules::vessel_class(const tracking::VesselState& v) noexcept {
    const int t = v.static_data.ship_type;
    if (t >= 40 && t <= 49) {
        return VesselClass::speedboat; // high-speed craft (Table 53: 40-49)
    }
    if (t == 30 || v.registry_match) {
        return VesselClass::fishing;
    }
    if (t >= 70 && t <= 89) {
        return VesselClass::cargo; // cargo and tankers
    }
    return VesselClass::other;
}

bool AnomalyRules::is_pakistani(const tracking::VesselState& v) noexcept {
    return v.registry_match.has_value() || v.mmsi / 1'000'000 == 463 || v.anomaly.on_trip;
}

RuleParams AnomalyRules::params_for(const tracking::VesselState& v) const {
    std::string harbour = v.anomaly.trip_harbour;
    if (harbour.empty() && v.registry_match) {
        harbour = v.registry_match->home_harbour;
    }
    return m_params.for_vessel(harbour, vessel_class(v));
}

alerts::Alert AnomalyRules::make(std::string_view rule, Severity severity,
                                 const tracking::VesselState& v, const tracking::Fix& fix,
                                 std::string reason, ordered_json evidence) const {
    alerts::Alert a;
    a.rule = std::string(rule);
    a.severity = severity;
    a.mmsi = v.mmsi;
    a.vessel_name = v.static_data.name;
    if (v.registry_match) {
        a.boat_id = v.registry_match->id;
        a.registration_number = v.registry_match->registration_number;
    }
    const Whereabouts w = m_geo.whereabouts(fix.position, m_harbour_buffer_m,
                                            m_params.defaults.boundary_area_nm * metres_per_nm);
    a.zone_id = w.zone_id;
    a.zone_name = w.zone_name;
    a.fix_time = fix.time;
    a.position = fix.position;
    a.last_time = fix.time;
    a.last_position = fix.position;
    a.sog_knots = fix.sog_knots;
    a.cog_deg = fix.cog_deg;
    a.reason = std::move(reason);
    a.evidence = std::move(evidence);
    a.evidence["fix"] = fix_json(fix);
    a.evidence["areas"] = w.areas;
    if (v.registry_match) {
        const auto& b = *v.registry_match;
        a.evidence["registry"] = {
            {"boat_id", b.id},
            {"registration_number", b.registration_number},
            {"registered_name", b.name},
            {"home_harbour", b.home_harbour},
            {"licence_state",
             std::string(registry::to_string(registry::licence_state(
                 b, std::chrono::floor<std::chrono::days>(fix.time))))},
            {"night_fishing", b.night_fishing},
            {"foreign_waters", b.foreign_waters},
            {"has_transponder", b.has_transponder}};
    } else {
        a.evidence["registry"] = {{"match", "none"}};
    }
    return a;
}

const ClosedSeason* AnomalyRules::closed_season(const std::string& harbour, UtcTime t) const {
    if (harbour.empty()) {
        return nullptr;
    }
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::string province = m_geo.harbour_province(harbour);
    for (const auto& s : m_seasons) {
        if (day < s.starts_on || day > s.ends_on) {
            continue;
        }
        const std::string p = province_of_authority(s.authority);
        if (!p.empty() && p != province) {
            continue;
        }
        if (!s.zones.empty() && std::find(s.zones.begin(), s.zones.end(), harbour) == s.zones.end()) {
            continue;
        }
        return &s;
    }
    return nullptr;
}

// ---- R11 integrity / R9 impossible speed ----------------------------------------------------

FixVerdict AnomalyRules::screen(tracking::VesselState& v, const tracking::Fix& fix,
                                std::vector<alerts::Alert>& out) {
    if (!v.last_fix) {
        return FixVerdict::accept;
    }
    AnomalyState& st = v.anomaly;
    const RuleParams p = params_for(v);
    const double ceiling_mps = (vessel_class(v) == VesselClass::speedboat
                                    ? p.max_speed_speedboat_knots
                                    : p.max_speed_knots) *
                               knots_to_mps;
    const tracking::Fix& last = *v.last_fix;
    const double dt = seconds_between(last.time, fix.time);
    const double d = geo::distance_m(last.position, fix.position);
    const auto prune = [&] {
        while (!st.rejected_jumps.empty() &&
               fix.time - st.rejected_jumps.front() > std::chrono::hours(1)) {
            st.rejected_jumps.pop_front();
        }
    };
    if (d <= ceiling_mps * dt + p.jump_tolerance_m) {
        if (st.jump_position) {
            // The held-back fix was not confirmed: noise, or a second transmitter.
            st.rejected_jumps.push_back(st.jump_time);
            st.jump_position.reset();
            prune();
            if (static_cast<int>(st.rejected_jumps.size()) >= p.duplicate_jumps) {
                ++m_counters.hits;
                out.push_back(make(
                    names::identity_impossible_speed, Severity::critical, v, fix,
                    fmt::format("{} is reported at two places at once: {} positions in the last "
                                "hour were unreachable from its track and not confirmed by the "
                                "next report. Two transmitters may share this MMSI.",
                                who(v), st.rejected_jumps.size()),
                    {{"kind", "two_places"},
                     {"unconfirmed_jumps_last_hour", st.rejected_jumps.size()},
                     {"speed_ceiling_knots", ceiling_mps / knots_to_mps}}));
                st.rejected_jumps.clear();
            }
        }
        return FixVerdict::accept;
    }
    if (st.jump_position) {
        const double d2 = geo::distance_m(*st.jump_position, fix.position);
        const double dt2 = seconds_between(st.jump_time, fix.time);
        if (d2 <= ceiling_mps * dt2 + p.jump_tolerance_m) {
            // Two reports agree on the new place: the vessel (or its identity) moved there.
            ++m_counters.confirmed_jumps;
            const double jump_dt = std::max(1.0, seconds_between(last.time, st.jump_time));
            const double jump_d = geo::distance_m(last.position, *st.jump_position);
            ++m_counters.hits;
            out.push_back(make(
                names::identity_impossible_speed, Severity::warning, v, fix,
                fmt::format("{} moved {:.1f} km in {:.0f} s (implied {:.0f} kn, ceiling {:.0f} "
                            "kn) and stayed there: a spoofed position or another vessel using "
                            "the MMSI.",
                            who(v), jump_d / 1000.0, jump_dt, jump_d / jump_dt / knots_to_mps,
                            ceiling_mps / knots_to_mps),
                {{"kind", "confirmed_jump"},
                 {"from", {{"time", alerts::iso8601(last.time)},
                           {"lat", last.position.lat_deg},
                           {"lon", last.position.lon_deg}}},
                 {"implied_speed_knots", round1(jump_d / jump_dt / knots_to_mps)},
                 {"speed_ceiling_knots", ceiling_mps / knots_to_mps}}));
            st.jump_position.reset();
            return FixVerdict::accept_after_jump;
        }
    }
    st.jump_position = fix.position;
    st.jump_time = fix.time;
    ++m_counters.implausible_jumps;
    return FixVerdict::reject;
}

// ---- departures: R3 night, R4 closed season ---------------------------------------------------

void AnomalyRules::on_departure(tracking::VesselState& v, const tracking::Fix& fix,
                                const DepartureEvent& ev, std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    st.on_trip = true;
    st.trip_harbour = ev.zone_id;
    st.departed_at = fix.time;
    st.closed_season_alerted = false;
    st.gap_alerted = false;
    st.approach_since.reset();
    st.loiter_since.reset();
    const RuleParams p = params_for(v);
    const bool registered_ok = licence_ok(v.registry_match, fix.time);
    const std::size_t first_hit = out.size();

    // R3: sun below night_sun_deg at the harbour, and no night permission.
    geo::Position at = fix.position;
    if (const geo::Zone* z = m_geo.harbours().find(ev.zone_id)) {
        at = z->projection_centre;
    }
    const double sun = geo::sun_elevation_deg(at, fix.time);
    if (!std::isnan(sun) && sun < p.night_sun_deg &&
        !(v.registry_match && v.registry_match->night_fishing)) {
        // Alone a warning for the console (many lawful boats leave before dawn); with an
        // unregistered or unlicensed boat it goes to the agencies (anomaly-rules.md R3).
        const Severity sev = registered_ok ? Severity::info : Severity::warning;
        const std::string permission =
            !v.registry_match ? "it is not in the registry"
            : !registered_ok  ? "its licence is not valid"
                              : "its licence does not allow night fishing";
        ++m_counters.hits;
        out.push_back(make(names::night_departure, sev, v, fix,
                           fmt::format("{} left {} at night ({}, sun {:.1f}° below the horizon) "
                                       "and {}.",
                                       who(v), ev.zone_name, pkt_text(fix.time), -sun,
                                       permission),
                           {{"departure", {{"zone_id", ev.zone_id},
                                           {"last_inside", alerts::iso8601(ev.last_inside)}}},
                            {"sun_elevation_deg", round1(sun)},
                            {"night_below_deg", p.night_sun_deg}}));
    }
    // R4: a closed season of the harbour's province.
    if (const ClosedSeason* s = closed_season(ev.zone_id, fix.time)) {
        st.closed_season_alerted = true;
        ++m_counters.hits;
        out.push_back(make(names::closed_season, Severity::warning, v, fix,
                           fmt::format("{} left {} during the closed season \"{}\" ({} to {}).",
                                       who(v), ev.zone_name, s->name,
                                       fmt::format("{:%Y-%m-%d}", s->starts_on),
                                       fmt::format("{:%Y-%m-%d}", s->ends_on)),
                           {{"kind", "departure"},
                            {"season", {{"authority", s->authority},
                                        {"name", s->name},
                                        {"starts_on", fmt::format("{:%Y-%m-%d}", s->starts_on)},
                                        {"ends_on", fmt::format("{:%Y-%m-%d}", s->ends_on)}}}}));
    }
    // A departure is the harbour's business (Coast Guards), wherever the exit fix lies; the
    // alert's zone is the harbour left, as for R1/R2.
    for (std::size_t i = first_hit; i < out.size(); ++i) {
        out[i].zone_id = ev.zone_id;
        out[i].zone_name = ev.zone_name;
        auto& areas = out[i].evidence["areas"];
        if (std::find(areas.begin(), areas.end(), "harbour") == areas.end()) {
            areas.insert(areas.begin(), "harbour");
        }
    }
}

// ---- per fix ------------------------------------------------------------------------------

void AnomalyRules::first_sight(tracking::VesselState& v, const tracking::Fix& fix,
                               std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    st.identity_checked = true;
    const std::uint32_t mmsi = v.mmsi;
    const bool pakistani = is_pakistani(v);
    // Emergency devices and craft of a parent ship have their own MMSI series (ITU-R M.585):
    // not a ship-station identity, not an anomaly.
    const unsigned lead3 = mmsi / 1'000'000;
    const bool special = lead3 >= 970 && lead3 <= 999;
    if (!special) {
        std::optional<std::string> problem;
        if (mmsi < 100'000'000) {
            problem = "fewer than 9 digits (a leading 0 is a group or coast station, not a "
                      "vessel).";
        } else if (auto why = registry::check_mmsi_text(fmt::format("{:09d}", mmsi))) {
            // The registry's message ends with advice for clerks after a ';': not for the watch.
            problem = why->substr(0, why->find(';')) + ".";
        } else if (v.registry_match && lead3 != 463) {
            problem = fmt::format("MID {} ({}), but the boat is registered in Pakistan "
                                  "(MID 463).",
                                  lead3, registry::mid_country(lead3));
        }
        if (problem) {
            ++m_counters.hits;
            out.push_back(make(names::identity_invalid_mmsi,
                               pakistani ? Severity::warning : Severity::info, v, fix,
                               fmt::format("{} transmits an invalid MMSI: {}", who(v), *problem),
                               {{"mmsi", mmsi}, {"problem", *problem}}));
        }
    }
    if (v.registry_match && v.registry_match->identity_conflict) {
        ++m_counters.hits;
        out.push_back(make(names::identity_shared_mmsi, Severity::critical, v, fix,
                           fmt::format("{} is on the air, and two registry boats claim its MMSI "
                                       "(an open identity conflict): this transmission cannot be "
                                       "tied to one boat.",
                                       who(v)),
                           {{"kind", "registry_conflict"}}));
    }
}

void AnomalyRules::on_fix(tracking::VesselState& v, const tracking::Fix& fix,
                          const tracking::Fix* previous, std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    if (!st.identity_checked) {
        first_sight(v, fix, out);
    }
    if (v.zone_id) {
        // In a harbour: the trip is over; nothing else applies here.
        st.on_trip = false;
        st.was_in_eez = true;
        st.approach_since.reset();
        st.loiter_since.reset();
        st.line_distance_m.reset();
        st.gap_alerted = false;
        forget_slow(v.mmsi);
        return;
    }
    const RuleParams p = params_for(v);
    const bool pakistani = is_pakistani(v);

    // R6: reappearance after a silence, far away or across a line.
    if (previous != nullptr && v.registry_match && v.registry_match->has_transponder) {
        const double gap_s = seconds_between(previous->time, fix.time);
        const bool after_departure =
            st.on_trip && seconds_between(st.departed_at, previous->time) <
                              p.gap_departure_window_h * 3600.0;
        const double threshold_s =
            (after_departure ? p.gap_after_departure_h : p.gap_offshore_h) * 3600.0;
        if (gap_s >= threshold_s) {
            const double d = geo::distance_m(previous->position, fix.position);
            const double implied = d / gap_s / knots_to_mps;
            const auto crossed = m_geo.boundaries().crossed(previous->position, fix.position);
            const bool outside = m_geo.outside_eez(fix.position);
            if (implied > p.reappear_speed_knots || crossed || outside) {
                std::string where = crossed ? fmt::format(" across the {} line", crossed->line->id)
                                    : outside ? " outside Pakistan's EEZ"
                                              : "";
                ++m_counters.hits;
                out.push_back(make(
                    names::reappeared_far, Severity::critical, v, fix,
                    fmt::format("{} was silent for {:.1f} h and reappeared {:.1f} nm away{} "
                                "(implied {:.1f} kn).",
                                who(v), gap_s / 3600.0, d / metres_per_nm, where, implied),
                    {{"silent_from", fix_json(*previous)},
                     {"gap_h", round1(gap_s / 3600.0)},
                     {"distance_nm", round1(d / metres_per_nm)},
                     {"implied_speed_knots", round1(implied)},
                     {"crossed_line", crossed ? ordered_json(crossed->line->id)
                                              : ordered_json(nullptr)}}));
            }
        }
    }
    st.gap_alerted = false;

    // R4: activity at sea in a closed season (once per trip).
    if (pakistani && !st.closed_season_alerted && m_geo.has_land()) {
        std::string harbour = st.trip_harbour;
        if (harbour.empty() && v.registry_match) {
            harbour = v.registry_match->home_harbour;
        }
        if (const ClosedSeason* s = closed_season(harbour, fix.time)) {
            if (!m_geo.shore_distance_within_m(fix.position,
                                               p.closed_season_shore_nm * metres_per_nm)) {
                st.closed_season_alerted = true;
                ++m_counters.hits;
                out.push_back(make(
                    names::closed_season, Severity::warning, v, fix,
                    fmt::format("{} is more than {:.0f} nm from shore during the closed season "
                                "\"{}\".",
                                who(v), p.closed_season_shore_nm, s->name),
                    {{"kind", "activity"},
                     {"season", {{"authority", s->authority}, {"name", s->name}}},
                     {"harbour", harbour}}));
            }
        }
    }
    if (pakistani) {
        boundary_rules(v, fix, previous, p, out);
    }
    rendezvous(v, fix, p, out);
    loitering(v, fix, previous, p, out);
}

void AnomalyRules::boundary_rules(tracking::VesselState& v, const tracking::Fix& fix,
                                  const tracking::Fix* previous, const RuleParams& p,
                                  std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    const bool permitted = v.registry_match && v.registry_match->foreign_waters &&
                           licence_ok(v.registry_match, fix.time);
    std::string harbour = st.trip_harbour;
    if (harbour.empty() && v.registry_match) {
        harbour = v.registry_match->home_harbour;
    }
    const auto& lines = m_geo.boundaries();
    // (c) crossed a line between the previous fix and this one.
    if (previous != nullptr) {
        if (const auto c = lines.crossed(previous->position, fix.position)) {
            ++m_counters.hits;
            out.push_back(make(
                names::boundary_crossing, permitted ? Severity::info : Severity::critical, v, fix,
                fmt::format("{} crossed the {} line{}.", who(v), c->line->id,
                            permitted ? " (its licence allows foreign waters)" : ""),
                {{"line", c->line->id},
                 {"direction", m_geo.outside_eez(fix.position) ? "outbound" : "inbound"},
                 {"line_status", c->line->status},
                 {"crossing_point", {{"lat", c->point.lat_deg}, {"lon", c->point.lon_deg}}},
                 {"previous_fix", fix_json(*previous)},
                 {"foreign_waters_permission", permitted}}));
        }
    }
    // (d) leaving Pakistan's EEZ: outside now, inside (or in a harbour) before. A vessel first
    // heard outside (a Pakistani-flag ship abroad) has not left it here.
    const bool outside = m_geo.outside_eez(fix.position);
    const bool left = outside && st.was_in_eez;
    st.was_in_eez = !outside;
    if (left) {
        ++m_counters.hits;
        out.push_back(make(names::left_eez, permitted ? Severity::info : Severity::critical, v,
                           fix,
                           fmt::format("{} is outside Pakistan's EEZ{}.", who(v),
                                       permitted ? " (its licence allows foreign waters)" : ""),
                           {{"foreign_waters_permission", permitted}}));
    }
    // (b) close to a line.
    const auto nearest = lines.nearest(fix.position);
    if (nearest && nearest->distance_m <= p.boundary_proximity_nm * metres_per_nm) {
        if (m_geo.exception_area(fix.position, harbour, names::boundary_proximity) != nullptr) {
            ++m_counters.exception_skips;
        } else {
            ++m_counters.hits;
            out.push_back(make(
                names::boundary_proximity, Severity::warning, v, fix,
                fmt::format("{} is {:.1f} nm from the {} line.", who(v),
                            nearest->distance_m / metres_per_nm, nearest->line->id),
                {{"line", nearest->line->id},
                 {"distance_nm", round1(nearest->distance_m / metres_per_nm)},
                 {"proximity_nm", p.boundary_proximity_nm}}));
        }
    }
    // (a) heading for a line: predicted crossing within the horizon, closing, sustained.
    bool approaching = false;
    std::optional<geo::BoundaryCrossing> pc;
    // Only a vessel inside Pakistan's waters can head out across a line (R5a).
    if (!outside && fix.sog_knots && fix.cog_deg && *fix.sog_knots >= p.boundary_min_sog_knots) {
        pc = lines.predict_crossing(fix.position, *fix.sog_knots, *fix.cog_deg,
                                    p.boundary_horizon_h * 3600.0);
        if (pc && nearest && st.line_distance_m) {
            const double dt_h = seconds_between(st.line_distance_time, fix.time) / 3600.0;
            if (dt_h > 0) {
                const double closing =
                    (*st.line_distance_m - nearest->distance_m) / metres_per_nm / dt_h;
                approaching = closing >= p.boundary_closing_nm_per_h;
            }
        }
    }
    if (nearest) {
        // Keep the previous reference while approaching so that the closing rate is measured
        // over the whole approach, not fix to fix (GPS noise over seconds).
        if (!approaching || !st.approach_since) {
            st.line_distance_m = nearest->distance_m;
            st.line_distance_time = fix.time;
        }
    }
    if (!approaching) {
        st.approach_since.reset();
        return;
    }
    if (!st.approach_since || st.approach_line != pc->line->id) {
        st.approach_since = fix.time;
        st.approach_line = pc->line->id;
        return;
    }
    if (seconds_between(*st.approach_since, fix.time) < p.boundary_sustain_min * 60.0) {
        return;
    }
    if (m_geo.exception_area(fix.position, harbour, names::boundary_approach) != nullptr) {
        ++m_counters.exception_skips;
        return;
    }
    ++m_counters.hits;
    out.push_back(make(
        names::boundary_approach, permitted ? Severity::info : Severity::warning, v, fix,
        fmt::format("{} is heading for the {} line: at {:.1f} kn on {:.0f}° it crosses in {:.1f} h "
                    "({:.1f} nm), and has kept closing for {:.0f} min.",
                    who(v), pc->line->id, *fix.sog_knots, *fix.cog_deg, pc->time_s / 3600.0,
                    pc->along_m / metres_per_nm,
                    seconds_between(*st.approach_since, fix.time) / 60.0),
        {{"line", pc->line->id},
         {"eta_h", round1(pc->time_s / 3600.0)},
         {"predicted_crossing", {{"lat", pc->point.lat_deg}, {"lon", pc->point.lon_deg}}},
         {"approaching_since", alerts::iso8601(*st.approach_since)},
         {"horizon_h", p.boundary_horizon_h}}));
}

void AnomalyRules::rendezvous(tracking::VesselState& v, const tracking::Fix& fix,
                              const RuleParams& p, std::vector<alerts::Alert>& out) {
    const bool at_rest = fix.nav_status && (*fix.nav_status == 1 || *fix.nav_status == 5);
    const bool slow = fix.sog_knots && *fix.sog_knots < p.rendezvous_max_sog_knots;
    if (!slow || at_rest ||
        m_geo.harbour_distance_within_m(fix.position, p.rendezvous_harbour_nm * metres_per_nm)) {
        forget_slow(v.mmsi);
        return;
    }
    SlowContact me{fix.position, fix.time, v.static_data.name, is_pakistani(v),
                   v.registry_match.has_value(), vessel_class(v)};
    const auto max_age = std::chrono::minutes(10);
    std::vector<std::uint32_t> near;
    const std::int64_t centre = cell_of(fix.position);
    for (std::int64_t dr = -1; dr <= 1; ++dr) {
        for (std::int64_t dc = -1; dc <= 1; ++dc) {
            const auto cell = m_cells.find(centre + dr * 1'000'000 + dc);
            if (cell != m_cells.end()) {
                near.insert(near.end(), cell->second.begin(), cell->second.end());
            }
        }
    }
    for (const std::uint32_t other_mmsi : near) {
        const auto found = m_slow.find(other_mmsi);
        if (found == m_slow.end()) {
            continue;
        }
        const SlowContact& other = found->second;
        if (other_mmsi == v.mmsi || fix.time - other.time > max_age ||
            other.time - fix.time > max_age) {
            continue;
        }
        if (me.cls == VesselClass::cargo && other.cls == VesselClass::cargo) {
            continue; // merchant ships at an anchorage are not our concern
        }
        const double d = geo::distance_m(fix.position, other.position);
        const std::uint64_t key = pair_key(v.mmsi, other_mmsi);
        if (d > p.rendezvous_distance_m) {
            m_pairs.erase(key); // apart again: a later meeting starts a new count
            continue;
        }
        PairState& pair = m_pairs[key];
        if (pair.since == UtcTime{} || fix.time - pair.last > std::chrono::minutes(15)) {
            pair.since = fix.time;
            pair.min_distance_m = d;
        }
        pair.last = fix.time;
        pair.min_distance_m = std::min(pair.min_distance_m, d);
        const double together_min = seconds_between(pair.since, fix.time) / 60.0;
        // One alert per pair: raised at the fixes of the lower MMSI (the other one's fixes keep
        // the pair's times current).
        if (together_min < p.rendezvous_min_minutes || v.mmsi > other_mmsi) {
            continue;
        }
        const bool near_line =
            m_geo.boundaries().nearest(fix.position, p.boundary_area_nm * metres_per_nm)
                .has_value();
        const bool mixed = (me.pakistani && (!other.pakistani || !other.registered)) ||
                           (other.pakistani && (!me.pakistani || !me.registered));
        const Severity sev = (mixed || near_line) ? Severity::warning : Severity::info;
        alerts::Alert a = make(
            names::rendezvous, sev, v, fix,
            fmt::format("{} and {} (MMSI {}) have stayed within {:.0f} m of each other for {:.0f} "
                        "min at under {:.0f} kn, {:.0f}+ nm from any harbour{}.",
                        who(v), other.name.empty() ? "another vessel" : other.name, other_mmsi,
                        p.rendezvous_distance_m, together_min, p.rendezvous_max_sog_knots,
                        p.rendezvous_harbour_nm, near_line ? ", near a boundary line" : ""),
            {{"other_mmsi", other_mmsi},
             {"together_since", alerts::iso8601(pair.since)},
             {"minutes_together", std::round(together_min)},
             {"closest_m", std::round(pair.min_distance_m)},
             {"other_position", {{"lat", other.position.lat_deg},
                                 {"lon", other.position.lon_deg},
                                 {"time", alerts::iso8601(other.time)}}},
             {"near_boundary", near_line}});
        a.other_mmsi = other_mmsi;
        a.other_name = other.name;
        ++m_counters.hits;
        out.push_back(std::move(a));
    }
    forget_slow(v.mmsi);
    m_cells[cell_of(me.position)].push_back(v.mmsi);
    m_slow[v.mmsi] = std::move(me);
}

void AnomalyRules::loitering(tracking::VesselState& v, const tracking::Fix& fix,
                             const tracking::Fix* previous, const RuleParams& p,
                             std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    const auto sog = speed_of(fix, previous);
    const bool at_rest = fix.nav_status && (*fix.nav_status == 1 || *fix.nav_status == 5);
    // Hysteresis: a run ends at 1.5 × the loitering speed, not at the first fix above it.
    if (!sog || at_rest || *sog >= p.loiter_max_sog_knots * 1.5) {
        st.loiter_since.reset();
        return;
    }
    const auto near =
        m_geo.boundaries().nearest(fix.position, p.boundary_area_nm * metres_per_nm);
    double need_h = 0;
    std::string where;
    std::string harbour = st.trip_harbour;
    if (harbour.empty() && v.registry_match) {
        harbour = v.registry_match->home_harbour;
    }
    if (m_geo.exception_area(fix.position, harbour, names::loitering) != nullptr) {
        ++m_counters.exception_skips; // the boat's own fishing grounds
        st.loiter_since.reset();
        return;
    }
    if (near) {
        need_h = p.loiter_near_boundary_h;
        where = fmt::format("{:.1f} nm from the {} line", near->distance_m / metres_per_nm,
                            near->line->id);
    } else if (m_geo.has_land() &&
               !m_geo.shore_distance_within_m(fix.position,
                                              p.loiter_offshore_nm * metres_per_nm)) {
        need_h = p.loiter_offshore_h;
        where = fmt::format("more than {:.0f} nm offshore", p.loiter_offshore_nm);
    } else {
        st.loiter_since.reset();
        return;
    }
    if (!st.loiter_since) {
        st.loiter_since = fix.time;
        st.loiter_sog_sum = 0;
        st.loiter_fixes = 0;
    }
    st.loiter_sog_sum += *sog;
    ++st.loiter_fixes;
    const double hours = seconds_between(*st.loiter_since, fix.time) / 3600.0;
    const double mean = st.loiter_sog_sum / st.loiter_fixes;
    if (hours < need_h || mean >= p.loiter_max_sog_knots) {
        return;
    }
    const bool night = geo::is_night(fix.position, fix.time, p.night_sun_deg);
    const Severity sev = (near && (night || is_pakistani(v))) ? Severity::warning : Severity::info;
    ++m_counters.hits;
    out.push_back(make(names::loitering, sev, v, fix,
                       fmt::format("{} has loitered {} for {:.1f} h (mean {:.1f} kn){}.", who(v),
                                   where, hours, mean, night ? ", at night" : ""),
                       {{"since", alerts::iso8601(*st.loiter_since)},
                        {"hours", round1(hours)},
                        {"mean_sog_knots", round1(mean)},
                        {"near_line", near ? ordered_json(near->line->id) : ordered_json(nullptr)},
                        {"night", night}}));
}

// ---- static data: R9 mismatch and change at sea ---------------------------------------------

void AnomalyRules::on_static(tracking::VesselState& v, std::vector<alerts::Alert>& out) {
    AnomalyState& st = v.anomaly;
    const tracking::StaticData& s = v.static_data;
    ReportedIdentity now{registry::normalise_vessel_name(s.name), s.call_sign, s.imo,
                         s.ship_type, s.length_m, s.beam_m};
    const tracking::Fix* fix = v.last_fix ? &*v.last_fix : nullptr;
    // Registry mismatch: the MMSI is registered to a boat with another name or call sign.
    if (v.registry_match && fix != nullptr && !st.mismatch_alerted) {
        const auto& b = *v.registry_match;
        std::string what;
        if (!now.call_sign.empty() && !b.call_sign.empty() && now.call_sign != b.call_sign) {
            what = fmt::format("call sign {} (registry: {})", now.call_sign, b.call_sign);
        } else if (!now.name.empty() && !b.name.empty()) {
            const std::string reg = registry::normalise_vessel_name(b.name);
            // AIS names hold 20 characters: a registry name cut at 20 is the same name.
            const bool same = reg == now.name || (now.name.size() >= 20 && reg.starts_with(now.name));
            if (!same) {
                what = fmt::format("name \"{}\" (registry: \"{}\")", s.name, b.name);
            }
        }
        if (!what.empty()) {
            st.mismatch_alerted = true;
            ++m_counters.hits;
            out.push_back(make(names::identity_mismatch, Severity::warning, v, *fix,
                               fmt::format("MMSI {} is registered to {} ({}), but the vessel "
                                           "transmitting it reports {}.",
                                           v.mmsi, b.name, b.registration_number, what),
                               {{"reported", {{"name", s.name}, {"call_sign", s.call_sign}}},
                                {"registered", {{"name", b.name}, {"call_sign", b.call_sign}}}}));
        }
    }
    // Static data changed while at sea.
    if (st.seen_identity && fix != nullptr && !v.zone_id && params_for(v).static_change_alerts) {
        const ReportedIdentity& was = *st.seen_identity;
        ordered_json changes = ordered_json::object();
        const auto text_change = [&](const char* key, const std::string& a, const std::string& b) {
            if (!a.empty() && !b.empty() && a != b) {
                changes[key] = {{"before", a}, {"after", b}};
            }
        };
        const auto num_change = [&](const char* key, long a, long b, long tolerance) {
            if (a != 0 && b != 0 && std::labs(a - b) > tolerance) {
                changes[key] = {{"before", a}, {"after", b}};
            }
        };
        text_change("name", was.name, now.name);
        text_change("call_sign", was.call_sign, now.call_sign);
        num_change("imo", was.imo, now.imo, 0);
        num_change("ship_type", was.ship_type, now.ship_type, 0);
        num_change("length_m", was.length_m, now.length_m, 2);
        num_change("beam_m", was.beam_m, now.beam_m, 1);
        if (!changes.empty()) {
            std::string list;
            for (const auto& [k, c] : changes.items()) {
                (void)c;
                list += (list.empty() ? "" : ", ") + k;
            }
            ++m_counters.hits;
            out.push_back(make(names::identity_static_change,
                               is_pakistani(v) ? Severity::warning : Severity::info, v, *fix,
                               fmt::format("{} changed its {} while at sea.", who(v), list),
                               {{"changes", changes}}));
        }
    }
    // Remember the identity field by field (type 24 parts A and B arrive separately).
    if (!st.seen_identity) {
        st.seen_identity = now;
    } else {
        ReportedIdentity& r = *st.seen_identity;
        if (!now.name.empty()) r.name = now.name;
        if (!now.call_sign.empty()) r.call_sign = now.call_sign;
        if (now.imo != 0) r.imo = now.imo;
        if (now.ship_type != 0) r.ship_type = now.ship_type;
        if (now.length_m != 0) r.length_m = now.length_m;
        if (now.beam_m != 0) r.beam_m = now.beam_m;
    }
}

// ---- clock: R6 silence --------------------------------------------------------------------

void AnomalyRules::on_clock(UtcTime now,
                            std::unordered_map<std::uint32_t, tracking::VesselState>& vessels,
                            std::vector<alerts::Alert>& out) {
    for (auto& [mmsi, v] : vessels) {
        AnomalyState& st = v.anomaly;
        if (!st.on_trip || st.gap_alerted || !v.last_fix || !v.registry_match ||
            !v.registry_match->has_transponder) {
            continue;
        }
        const RuleParams p = params_for(v);
        const tracking::Fix& last = *v.last_fix;
        const double silent_h = seconds_between(last.time, now) / 3600.0;
        const double since_departure_h = seconds_between(st.departed_at, last.time) / 3600.0;
        bool fire = false;
        std::string why;
        if (since_departure_h < p.gap_departure_window_h && silent_h >= p.gap_after_departure_h) {
            fire = true;
            why = fmt::format("{:.1f} h after leaving {}", since_departure_h, st.trip_harbour);
        } else if (silent_h >= p.gap_offshore_h && m_geo.has_land() &&
                   !m_geo.shore_distance_within_m(last.position,
                                                  p.gap_offshore_nm * metres_per_nm)) {
            fire = true;
            why = fmt::format("more than {:.0f} nm offshore", p.gap_offshore_nm);
        }
        if (!fire) {
            continue;
        }
        st.gap_alerted = true;
        ++m_counters.hits;
        alerts::Alert a = make(
            names::ais_gap, Severity::warning, v, last,
            fmt::format("{} carries a registered transponder but has been silent for {:.1f} h; "
                        "last heard {} ({}).",
                        who(v), silent_h, why, pkt_text(last.time)),
            {{"silent_h", round1(silent_h)},
             {"detected_at_stream_time", alerts::iso8601(now)},
             {"departed_at", alerts::iso8601(st.departed_at)},
             {"harbour", st.trip_harbour}});
        out.push_back(std::move(a));
    }
    // Forget slow contacts nobody has heard for a while (bounded memory).
    std::vector<std::uint32_t> stale;
    for (const auto& [mmsi, c] : m_slow) {
        if (now - c.time > std::chrono::minutes(30)) {
            stale.push_back(mmsi);
        }
    }
    for (const std::uint32_t mmsi : stale) {
        forget_slow(mmsi);
    }
    for (auto it = m_pairs.begin(); it != m_pairs.end();) {
        it = now - it->second.last > std::chrono::minutes(30) ? m_pairs.erase(it) : std::next(it);
    }
}

} // namespace sahil::rules

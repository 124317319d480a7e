// The anomaly rules beyond the departure check (docs/rules.md R3-R11): night departure, closed
// season, boundaries (approach, proximity, crossing, leaving the EEZ), AIS gap after departure
// and far reappearance, rendezvous, loitering, identity (invalid MMSI/MID, registry mismatch,
// static data changed at sea, impossible speed / one MMSI in two places, shared MMSI) and the
// integrity filter (implausible jumps kept out of the other rules).
//
// Each rule is a pure state machine over fixes with explicit times: no wall clock, no I/O. The
// tracking Pipeline calls, per accepted position report of one vessel, in this order:
//   screen() (integrity; a rejected fix goes no further) -> departure rule -> on_departure() when
//   it fired -> on_fix(); per static report on_static(); and on_clock() whenever the stream time
//   (newest plausible fix time) advances by a minute, for the silence-based rule (R6).
// Rules return hits (alerts::Alert without id/agencies); the store deduplicates them into one
// open alert per vessel and rule.
//
// Which vessels: boundary rules (R5) and closed seasons (R4) apply to Pakistani boats — matched
// in the registry, MID 463, or seen departing a Pakistani harbour — because foreign merchant
// ships cross these lines lawfully all day. Gap rules (R6) apply only to boats the registry says
// carry a transponder (most Makran boats have none: anomaly-rules.md §6). Rendezvous, loitering
// and identity rules apply to every vessel, with severities raised when a Pakistani boat meets a
// foreign or unregistered one or the place is near a boundary.
//
// Thread-safety: not thread-safe; the tracking strand owns it and the vessel states.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "registry/boat.hpp"
#include "registry/database.hpp"
#include "server/alerts/alert.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/rules/geography.hpp"
#include "server/rules/rule_params.hpp"
#include "server/tracking/vessel_state.hpp"

namespace sahil::rules {

/// A closed season from the registry (table closed_seasons): fishing is banned from `starts_on`
/// to `ends_on` (whole UTC days) for boats of the authority's province (BAL-FISH: Balochistan,
/// SND-FISH: Sindh; any other authority: every harbour), limited to `zones` (harbour ids) when
/// not empty.
struct ClosedSeason {
    std::string authority;
    std::string name;
    std::chrono::sys_days starts_on{};
    std::chrono::sys_days ends_on{};
    std::vector<std::string> zones;
};

/// Reads every closed season from the registry (table closed_seasons, schema >= 3); rows with a
/// bad date are skipped. @throws registry::RegistryError on a SQLite failure.
[[nodiscard]] std::vector<ClosedSeason> load_closed_seasons(registry::Database& db);

/// What screen() decided about a fix.
enum class FixVerdict {
    accept,            ///< plausible: use it
    accept_after_jump, ///< plausible, but it confirms a jump: use it, but not the segment from
                       ///< the previous fix
    reject,            ///< an unconfirmed jump: keep it out of the rules (R11)
};

/// Counters of the anomaly rules (GET /api/stats "rules").
struct RuleCounters {
    std::uint64_t implausible_jumps = 0;   ///< fixes held back as unconfirmed jumps (R11)
    std::uint64_t confirmed_jumps = 0;     ///< jumps confirmed by the next fix
    std::uint64_t exception_skips = 0;     ///< R5 hits skipped inside a harbour's exception area
    std::uint64_t hits = 0;                ///< rule hits handed to the store
};

/// See the file comment.
class AnomalyRules {
public:
    /// @param geography must outlive the rules. @param harbour_buffer_m the departure buffer
    /// (a fix this close to a geofence counts as "in harbour" for routing).
    AnomalyRules(RuleParamSet params, const Geography& geography, double harbour_buffer_m);

    /// Replaces the closed seasons (from the registry; called when it changes).
    void set_closed_seasons(std::vector<ClosedSeason> seasons) { m_seasons = std::move(seasons); }

    /// R11 integrity filter and R9 impossible speed. Appends hits to `out`.
    FixVerdict screen(tracking::VesselState& v, const tracking::Fix& fix,
                      std::vector<alerts::Alert>& out);

    /// R3 night departure and R4 closed-season departure; starts the vessel's trip.
    void on_departure(tracking::VesselState& v, const tracking::Fix& fix,
                      const DepartureEvent& ev, std::vector<alerts::Alert>& out);

    /// The per-fix rules (R4 activity, R5, R6 reappearance, R7, R8, R9 first sight).
    /// @param previous the vessel's previous accepted fix, or nullptr (first fix, or a jump).
    void on_fix(tracking::VesselState& v, const tracking::Fix& fix,
                const tracking::Fix* previous, std::vector<alerts::Alert>& out);

    /// R9 identity mismatch with the registry and static data changed at sea; call after the
    /// vessel's static data was updated.
    void on_static(tracking::VesselState& v, std::vector<alerts::Alert>& out);

    /// R6 silence: vessels that should transmit and have not. `now` = stream time.
    void on_clock(UtcTime now, std::unordered_map<std::uint32_t, tracking::VesselState>& vessels,
                  std::vector<alerts::Alert>& out);

    [[nodiscard]] const RuleCounters& counters() const noexcept { return m_counters; }
    [[nodiscard]] const Geography& geography() const noexcept { return m_geo; }
    [[nodiscard]] const RuleParamSet& params() const noexcept { return m_params; }

    /// Vessel class of a vessel (registry, else AIS ship type).
    [[nodiscard]] static VesselClass vessel_class(const tracking::VesselState& v) noexcept;
    /// Pakistani boat: in the registry, MID 463, or on a trip from a Pakistani harbour.
    [[nodiscard]] static bool is_pakistani(const tracking::VesselState& v) noexcept;

private:
    struct SlowContact {
        geo::Position position;
        UtcTime time{};
        std::string name;
        bool pakistani = false;
        bool registered = false;
        VesselClass cls = VesselClass::other;
    };
    struct PairState {
        UtcTime since{};
        UtcTime last{};
        double min_distance_m = 0;
    };

    [[nodiscard]] RuleParams params_for(const tracking::VesselState& v) const;
    alerts::Alert make(std::string_view rule, alerts::Severity severity,
                       const tracking::VesselState& v, const tracking::Fix& fix,
                       std::string reason, nlohmann::ordered_json evidence) const;
    [[nodiscard]] const ClosedSeason* closed_season(const std::string& harbour,
                                                    UtcTime t) const;
    void boundary_rules(tracking::VesselState& v, const tracking::Fix& fix,
                        const tracking::Fix* previous, const RuleParams& p,
                        std::vector<alerts::Alert>& out);
    void rendezvous(tracking::VesselState& v, const tracking::Fix& fix, const RuleParams& p,
                    std::vector<alerts::Alert>& out);
    void loitering(tracking::VesselState& v, const tracking::Fix& fix,
                   const tracking::Fix* previous, const RuleParams& p,
                   std::vector<alerts::Alert>& out);
    void first_sight(tracking::VesselState& v, const tracking::Fix& fix,
                     std::vector<alerts::Alert>& out);

    RuleParamSet m_params;
    const Geography& m_geo;
    double m_harbour_buffer_m;
    std::vector<ClosedSeason> m_seasons;
    void forget_slow(std::uint32_t mmsi);
    [[nodiscard]] std::int64_t cell_of(const geo::Position& p) const noexcept;

    std::unordered_map<std::uint32_t, SlowContact> m_slow;
    // Grid of slow contacts (cells of m_cell_deg degrees), so a fix is compared only with the
    // contacts of its own and the 8 neighbouring cells: O(neighbours), not O(all slow vessels).
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> m_cells;
    double m_cell_deg = 0.02;
    std::unordered_map<std::uint64_t, PairState> m_pairs;
    RuleCounters m_counters;
};

/// A Pakistani-time (PKT, UTC+5, no daylight saving) text of a fix time, e.g.
/// "2026-03-14 22:42 PKT", for explanations read by watch officers.
[[nodiscard]] std::string pkt_text(UtcTime t);

} // namespace sahil::rules

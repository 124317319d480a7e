// The tracking stage: decoded messages in, vessel state and alerts out.
//
// For each DecodedMessage: position reports become fixes (integrity filter: no position, 0°/0°,
// bad MMSI, and fixes older than the vessel's newest are counted and kept out of the rules);
// static data (types 5, 19, 24) updates the vessel's name and call sign; each fix is placed in
// its harbour zone (if any) and run through the departure rule; a departure is matched against
// the registry and may raise an alert, which is stored (durable first) and then announced to the
// sinks. Used by the daemon (on its tracking strand) and by `sahil replay` (inline), so both
// produce the same alerts from the same input.
//
// Thread-safety: not thread-safe; run on one strand. Vessel order is preserved per vessel.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "ais/dedup.hpp"
#include "ais/stream_decoder.hpp"
#include "geo/zone_index.hpp"
#include "registry/boat_index.hpp"
#include "server/alerts/alert.hpp"
#include "server/alerts/routing.hpp"
#include "server/rules/anomaly_rules.hpp"
#include "server/rules/departure_rule.hpp"
#include "server/rules/geography.hpp"
#include "server/store/alert_store.hpp"
#include "server/store/track_store.hpp"
#include "server/tracking/vessel_state.hpp"

namespace sahil::tracking {

/// Receives each alert after it is stored.
class AlertSink {
public:
    virtual ~AlertSink() = default;
    /// `created` is false when the store already held this alert (a replay of the same input).
    virtual void on_alert(const alerts::Alert& alert, bool created) = 0;
    /// A hit was merged into the open alert `alert.id` (repeat count + 1); `alert` is the hit.
    /// Default: nothing.
    virtual void on_alert_updated(const alerts::Alert& alert) { (void)alert; }
};

/// Settings of the tracking stage (config sections `[tracking]` and `[rules.departure]`).
struct PipelineConfig {
    rules::DepartureConfig departure;
    /// Parameters of the anomaly rules with their overrides (`[rules.params]`,
    /// `[[rules.override]]`).
    rules::RuleParamSet rules;
    /// Agencies alerts are routed to (`[[agencies]]`); empty = alerts carry no agency.
    std::vector<alerts::Agency> agencies;
    /// A transmission heard again by another station within this receive-time window is
    /// processed once (ais::StationDeduplicator; config `[ais] dedup_window_s`); 0 = off.
    std::chrono::milliseconds dedup_window{std::chrono::seconds(10)};
    std::size_t max_vessels =
        100'000; ///< vessel table bound; new MMSIs beyond it are counted, not tracked
};

/// Counters of the tracking stage.
struct TrackingCounters {
    std::uint64_t messages = 0;        ///< decoded messages received
    std::uint64_t duplicates = 0;      ///< copies of a transmission already heard by a station
    std::uint64_t fixes = 0;           ///< fixes accepted
    std::uint64_t no_position = 0;     ///< position reports without a position
    std::uint64_t null_island = 0;     ///< position reports at 0°N 0°E
    std::uint64_t bad_mmsi = 0;        ///< MMSI 0 / out of range
    std::uint64_t stale_fixes = 0;     ///< fixes older than the vessel's newest (not used by rules)
    std::uint64_t static_reports = 0;  ///< types 5, 19, 24 applied
    std::uint64_t table_full = 0;      ///< messages of new vessels dropped: table at max_vessels
    std::uint64_t departures = 0;      ///< departures detected
    std::uint64_t alerts = 0;          ///< alerts newly stored
    std::uint64_t alerts_existing = 0; ///< alerts already in the store (replayed input)
    std::uint64_t alerts_updated = 0;  ///< hits merged into an open alert (repeat count)
    std::uint64_t alerts_suppressed = 0; ///< hits swallowed by a suppression
    std::uint64_t implausible_fixes = 0; ///< fixes held back as unconfirmed jumps (R11)
    std::uint64_t rule_errors = 0;     ///< exceptions caught around a rule or store call
};

/// The tracking stage; see the file comment.
class Pipeline {
public:
    /// @param harbours harbour geofences (must outlive the pipeline).
    /// @param boats in-memory registry lookups by MMSI (follows registry changes within its
    ///        check interval); may be null (every vessel is then unregistered).
    /// @param store durable alert store; may be null (alerts are then only announced).
    /// @param geography sea zones, land, boundary lines and exception areas for the anomaly
    ///        rules (must outlive the pipeline); null = harbours only (rules that need the other
    ///        layers then do nothing).
    Pipeline(PipelineConfig config, const geo::ZoneIndex& harbours, registry::BoatIndex* boats,
             store::AlertStore* store, const rules::Geography* geography = nullptr);

    /// Reads the closed seasons from the registry; called at the first fix and whenever the
    /// registry changes (BoatIndex generation). Unset = no closed seasons.
    std::function<std::vector<rules::ClosedSeason>()> closed_seasons;

    /// Counters of the anomaly rules.
    [[nodiscard]] const rules::RuleCounters& rule_counters() const noexcept {
        return m_rules.counters();
    }

    /// Sends every accepted fix and every static-data report to `tracks` (the history store,
    /// server/store/track_store.hpp); null = none. Fixes the integrity filter holds back, stale
    /// fixes and station duplicates are not stored. The store must outlive the pipeline.
    void set_track_store(store::TrackStore* tracks) noexcept { m_tracks = tracks; }

    /// Adds a sink; sinks are called in the order added, after the alert is stored.
    void add_sink(AlertSink& sink) { m_sinks.push_back(&sink); }

    /// Processes one decoded message from feed `feed`. Never throws: a failing rule or store
    /// call is caught, counted (`rule_errors`) and reported through `on_error`.
    void on_message(const ais::DecodedMessage& message, const std::string& feed);

    /// Called with a description when a rule or store call failed (for the daemon's log).
    std::function<void(const std::string&)> on_error;

    [[nodiscard]] const std::unordered_map<std::uint32_t, VesselState>& vessels() const noexcept {
        return m_vessels;
    }
    [[nodiscard]] const TrackingCounters& counters() const noexcept { return m_counters; }
    /// Per-station coverage (messages heard, first, repeats) from the deduplicator.
    [[nodiscard]] const ais::StationDeduplicator& stations() const noexcept { return m_dedup; }

private:
    VesselState* vessel(std::uint32_t mmsi);
    void refresh_registry_match(VesselState& v);
    void apply_static(VesselState& v, const ais::AisMessage& m, UtcTime time);
    void record_fix(const Fix& fix);
    void handle_fix(VesselState& v, Fix&& fix);
    void raise(alerts::Alert&& alert);
    void raise_all();
    void refresh_closed_seasons();
    void advance_clock(const Fix& fix);

    PipelineConfig m_config;
    const geo::ZoneIndex& m_harbours;
    registry::BoatIndex* m_boats;
    store::AlertStore* m_store;
    std::unique_ptr<rules::Geography> m_own_geography; // when none was given
    const rules::Geography* m_geography;
    rules::DepartureRule m_departure;
    rules::AnomalyRules m_rules;
    std::vector<alerts::Alert> m_hits; // reused buffer of rule hits
    UtcTime m_stream_clock{};          // newest plausible fix time
    UtcTime m_last_tick{};             // stream time of the last on_clock()
    std::optional<std::uint64_t> m_seasons_generation;
    std::vector<AlertSink*> m_sinks;
    store::TrackStore* m_tracks = nullptr;
    std::unordered_map<std::string, std::uint16_t> m_track_sources; // feed -> store source id
    std::unordered_map<std::uint32_t, VesselState> m_vessels;
    TrackingCounters m_counters;
    ais::StationDeduplicator m_dedup;
};

} // namespace sahil::tracking

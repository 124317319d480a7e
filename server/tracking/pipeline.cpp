#include "server/tracking/pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <type_traits>
#include <variant>

#include "server/rules/departure_alert_rule.hpp"

namespace sahil::tracking {

namespace {
const rules::Geography& geography_or_own(const rules::Geography* given,
                                         std::unique_ptr<rules::Geography>& own,
                                         const geo::ZoneIndex& harbours) {
    if (given != nullptr) {
        return *given;
    }
    own = std::make_unique<rules::Geography>(harbours);
    return *own;
}
} // namespace

Pipeline::Pipeline(PipelineConfig config, const geo::ZoneIndex& harbours,
                   registry::BoatIndex* boats, store::AlertStore* store,
                   const rules::Geography* geography)
    : m_config(config), m_harbours(harbours), m_boats(boats), m_store(store),
      m_geography(&geography_or_own(geography, m_own_geography, harbours)),
      m_departure(config.departure), m_rules(config.rules, *m_geography, config.departure.buffer_m),
      m_dedup(ais::StationDeduplicator::Config{.window = config.dedup_window,
                                               .max_entries = 500'000}) {}

VesselState* Pipeline::vessel(std::uint32_t mmsi) {
    auto it = m_vessels.find(mmsi);
    if (it != m_vessels.end()) {
        return &it->second;
    }
    if (m_vessels.size() >= m_config.max_vessels) {
        ++m_counters.table_full;
        return nullptr;
    }
    VesselState v;
    v.mmsi = mmsi;
    VesselState& stored = m_vessels.emplace(mmsi, std::move(v)).first->second;
    refresh_registry_match(stored);
    return &stored;
}

void Pipeline::refresh_registry_match(VesselState& v) {
    if (m_boats == nullptr) {
        return;
    }
    try {
        // O(1) from memory; the index reloads itself when the registry changed (a clerk's
        // registration or renewal, a suspension), so the match follows within its interval.
        const registry::Boat* boat = m_boats->find_by_mmsi(v.mmsi);
        if (v.registry_generation != m_boats->generation() || v.registry_generation == 0) {
            v.registry_match =
                boat != nullptr ? std::optional<registry::Boat>(*boat) : std::nullopt;
            v.registry_generation = m_boats->generation();
        }
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        if (on_error) {
            on_error(std::string("registry lookup failed: ") + e.what());
        }
    }
}

void Pipeline::on_message(const ais::DecodedMessage& message, const std::string& feed) {
    ++m_counters.messages;
    // One transmission heard by several receivers is processed once; the station is the
    // tag-block `s:` source when there is one, else the feed.
    const std::string_view station =
        message.station.empty() ? std::string_view(feed) : message.station.view();
    // The window runs on the message's own time (tag-block c: or reception): in a replay the
    // reception time of every line is the moment the replay started, and on it the repeated,
    // bit-identical reports of a boat lying still would all look like copies of one another.
    if (!m_dedup.accept(message.payload_hash, station, message.fix_time)) {
        ++m_counters.duplicates;
        return;
    }
    FixRejection why = FixRejection::none;
    std::optional<Fix> fix = to_fix(message, feed, why);
    switch (why) {
    case FixRejection::none:
        break;
    case FixRejection::no_position:
        ++m_counters.no_position;
        return;
    case FixRejection::null_island:
        ++m_counters.null_island;
        return;
    case FixRejection::bad_mmsi:
        ++m_counters.bad_mmsi;
        return;
    }
    const std::uint32_t mmsi = ais::message_mmsi(message.message);
    if (mmsi == 0) {
        ++m_counters.bad_mmsi;
        return;
    }
    VesselState* v = vessel(mmsi);
    if (v == nullptr) {
        return;
    }
    if (fix) {
        // Class B extended (19) also carries static data.
        if (std::holds_alternative<ais::ClassBExtendedReport>(message.message)) {
            apply_static(*v, message.message, message.fix_time);
        }
        handle_fix(*v, std::move(*fix));
    } else {
        apply_static(*v, message.message, message.fix_time);
    }
}

void Pipeline::raise_all() {
    for (auto& a : m_hits) {
        raise(std::move(a));
    }
    m_hits.clear();
}

void Pipeline::refresh_closed_seasons() {
    if (!closed_seasons) {
        return;
    }
    const std::uint64_t gen = m_boats != nullptr ? m_boats->generation() : 0;
    if (m_seasons_generation && *m_seasons_generation == gen) {
        return;
    }
    m_seasons_generation = gen;
    try {
        m_rules.set_closed_seasons(closed_seasons());
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        if (on_error) {
            on_error(std::string("reading closed seasons failed: ") + e.what());
        }
    }
}

void Pipeline::advance_clock(const Fix& fix) {
    // The stream clock follows fix times, so replays are deterministic; a fix claiming a time
    // far ahead of its reception (a bad GNSS clock or tag block) does not move it.
    if (fix.time > fix.received_at + std::chrono::minutes(10) || fix.time <= m_stream_clock) {
        return;
    }
    m_stream_clock = fix.time;
    if (m_stream_clock - m_last_tick < std::chrono::minutes(1)) {
        return;
    }
    m_last_tick = m_stream_clock;
    try {
        m_rules.on_clock(m_stream_clock, m_vessels, m_hits);
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        m_hits.clear();
        if (on_error) {
            on_error(std::string("clock rules failed: ") + e.what());
        }
    }
    raise_all();
}

void Pipeline::apply_static(VesselState& v, const ais::AisMessage& m, UtcTime time) {
    ++m_counters.static_reports;
    std::visit(
        [&](const auto& msg) {
            using T = std::decay_t<decltype(msg)>;
            StaticData& s = v.static_data;
            if constexpr (std::is_same_v<T, ais::StaticVoyageData>) {
                s.name = msg.shipname;
                s.call_sign = msg.callsign;
                s.imo = msg.imo;
                s.ship_type = msg.shiptype;
                s.length_m = msg.to_bow + msg.to_stern;
                s.beam_m = msg.to_port + msg.to_starboard;
                s.destination = msg.destination;
            } else if constexpr (std::is_same_v<T, ais::ClassBExtendedReport>) {
                s.name = msg.shipname;
                s.ship_type = msg.shiptype;
                s.length_m = msg.to_bow + msg.to_stern;
                s.beam_m = msg.to_port + msg.to_starboard;
            } else if constexpr (std::is_same_v<T, ais::StaticDataReport>) {
                if (msg.part == 0) {
                    s.name = msg.shipname;
                } else {
                    s.call_sign = msg.callsign;
                    s.ship_type = msg.shiptype;
                    if (!msg.is_auxiliary()) {
                        s.length_m = msg.to_bow + msg.to_stern;
                        s.beam_m = msg.to_port + msg.to_starboard;
                    }
                }
            }
        },
        m);
    if (m_tracks != nullptr) {
        // The store keeps a record only when it differs from the vessel's previous one.
        const StaticData& s = v.static_data;
        store::StaticRecord r;
        r.vessel = v.mmsi;
        r.time_ms = unix_millis(time);
        r.name = s.name;
        r.call_sign = s.call_sign;
        r.imo = s.imo != 0 ? std::optional<std::uint32_t>(s.imo) : std::nullopt;
        r.ship_type = s.ship_type != 0 ? std::optional<int>(s.ship_type) : std::nullopt;
        r.destination = s.destination;
        m_tracks->append_static(std::move(r));
    }
    try {
        refresh_registry_match(v);
        m_rules.on_static(v, m_hits);
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        m_hits.clear();
        if (on_error) {
            on_error(std::string("identity rules failed for MMSI ") + std::to_string(v.mmsi) +
                     ": " + e.what());
        }
    }
    raise_all();
}

void Pipeline::record_fix(const Fix& fix) {
    if (m_tracks == nullptr) {
        return;
    }
    try {
        auto src = m_track_sources.find(fix.feed);
        if (src == m_track_sources.end()) {
            src = m_track_sources.emplace(fix.feed, m_tracks->source_id(fix.feed)).first;
        }
        store::TrackFix t;
        t.vessel = fix.mmsi;
        t.time_ms = unix_millis(fix.time);
        t.received_ms = unix_millis(fix.received_at);
        t.lat_e6 = store::to_e6(fix.position.lat_deg);
        t.lon_e6 = store::to_e6(fix.position.lon_deg);
        const auto tenths = [](std::optional<double> v, int max) -> std::int16_t {
            if (!v) {
                return -1;
            }
            const long r = std::lround(*v * 10.0);
            return r < 0 || r > max ? std::int16_t{-1} : static_cast<std::int16_t>(r);
        };
        t.sog_dkn = tenths(fix.sog_knots, 1022);
        t.cog_ddeg = tenths(fix.cog_deg, 3599);
        if (fix.heading_deg && *fix.heading_deg >= 0 && *fix.heading_deg < 360) {
            t.heading = static_cast<std::int16_t>(std::lround(*fix.heading_deg) % 360);
        }
        if (fix.nav_status && *fix.nav_status >= 0 && *fix.nav_status <= 15) {
            t.nav_status = static_cast<std::int8_t>(*fix.nav_status);
        }
        t.message_type = static_cast<std::uint8_t>(fix.message_type);
        t.source = src->second;
        m_tracks->append(t); // a refusal (queue full, out of range) is counted by the store
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        if (on_error) {
            on_error(std::string("track store failed: ") + e.what());
        }
    }
}

void Pipeline::handle_fix(VesselState& v, Fix&& fix) {
    if (v.last_fix && fix.time < v.last_fix->time) {
        ++m_counters.stale_fixes; // late or replayed by another station: not for the rules
        return;
    }
    refresh_closed_seasons();
    rules::FixVerdict verdict = rules::FixVerdict::accept;
    try {
        verdict = m_rules.screen(v, fix, m_hits);
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        m_hits.clear();
        if (on_error) {
            on_error(std::string("integrity filter failed for MMSI ") + std::to_string(v.mmsi) +
                     ": " + e.what());
        }
    }
    if (verdict == rules::FixVerdict::reject) {
        ++m_counters.implausible_fixes; // R11: kept out of the rules until confirmed
        raise_all();
        return;
    }
    ++m_counters.fixes;
    ++v.fixes;
    record_fix(fix);
    const geo::Zone* inside = nullptr;
    for (const geo::Zone* z : m_harbours.containing(fix.position)) {
        inside = z;
        break;
    }
    if (inside != nullptr) {
        v.zone_id = inside->id;
    } else {
        v.zone_id.reset();
    }
    try {
        const auto ev = m_departure.on_fix(v.departure, fix, m_harbours, inside);
        if (ev) {
            ++m_counters.departures;
            // The registry may have changed since the vessel was first seen (a clerk registered
            // or renewed the boat): take the index's current answer.
            refresh_registry_match(v);
            auto alert = rules::departure_alert(*ev, fix, v.registry_match, v.static_data.name);
            if (alert) {
                m_hits.push_back(std::move(*alert));
            }
            m_rules.on_departure(v, fix, *ev, m_hits);
        }
        const Fix* previous =
            verdict == rules::FixVerdict::accept && v.last_fix ? &*v.last_fix : nullptr;
        m_rules.on_fix(v, fix, previous, m_hits);
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        m_hits.clear();
        if (on_error) {
            on_error(std::string("rules failed for MMSI ") + std::to_string(v.mmsi) + ": " +
                     e.what());
        }
    }
    raise_all();
    const Fix& stored = v.last_fix.emplace(std::move(fix));
    advance_clock(stored);
}

void Pipeline::raise(alerts::Alert&& alert) {
    // Route by where the triggering fix is (areas were put in the evidence by the rule, or are
    // computed here for the departure rule).
    std::vector<std::string> areas;
    if (const auto it = alert.evidence.find("areas");
        it != alert.evidence.end() && it->is_array()) {
        for (const auto& a : *it) {
            areas.push_back(a.get<std::string>());
        }
    } else {
        areas = m_geography
                    ->whereabouts(alert.position, m_config.departure.buffer_m,
                                  m_config.rules.defaults.boundary_area_nm * 1852.0)
                    .areas;
        // Only the departure rule leaves the areas to the pipeline: a harbour matter.
        if (std::find(areas.begin(), areas.end(), "harbour") == areas.end()) {
            areas.insert(areas.begin(), "harbour");
        }
        alert.evidence["areas"] = areas;
    }
    alert.agencies = alerts::route(m_config.agencies, alert.severity, areas);
    if (alert.last_time < alert.fix_time) {
        alert.last_time = alert.fix_time;
        alert.last_position = alert.position;
    }
    bool created = true;
    if (m_store != nullptr) {
        store::RaiseResult r;
        try {
            r = m_store->raise(alert); // durable before announced
        } catch (const std::exception& e) {
            ++m_counters.rule_errors;
            if (on_error) {
                on_error(std::string("storing alert failed: ") + e.what());
            }
            return;
        }
        alert.id = r.id;
        created = r.kind == store::RaiseKind::created;
        if (r.kind == store::RaiseKind::updated) {
            ++m_counters.alerts_updated;
            for (AlertSink* s : m_sinks) {
                s->on_alert_updated(alert);
            }
            return;
        }
        if (r.kind == store::RaiseKind::suppressed) {
            ++m_counters.alerts_suppressed;
            return;
        }
        {
            // Announce the stored alert as it stands (with its store-given fields; for a hit
            // raised before — a replay of stored input — its current status), not the hit.
            try {
                if (auto stored = m_store->find(r.id)) {
                    alert = std::move(*stored);
                }
            } catch (const std::exception& e) {
                ++m_counters.rule_errors;
                if (on_error) {
                    on_error(std::string("reading a stored alert failed: ") + e.what());
                }
            }
        }
    }
    if (created) {
        ++m_counters.alerts;
    } else {
        ++m_counters.alerts_existing;
    }
    for (AlertSink* s : m_sinks) {
        s->on_alert(alert, created);
    }
}

} // namespace sahil::tracking

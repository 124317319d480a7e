#include "server/tracking/pipeline.hpp"

#include <exception>
#include <type_traits>
#include <variant>

#include "server/rules/departure_alert_rule.hpp"

namespace sahil::tracking {

Pipeline::Pipeline(PipelineConfig config, const geo::ZoneIndex& harbours,
                   registry::BoatIndex* boats, store::AlertStore* store)
    : m_config(config), m_harbours(harbours), m_boats(boats), m_store(store),
      m_departure(config.departure), m_dedup(ais::StationDeduplicator::Config{
                                         .window = config.dedup_window, .max_entries = 500'000}) {}

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
            v.registry_match = boat != nullptr ? std::optional<registry::Boat>(*boat)
                                               : std::nullopt;
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
    if (!m_dedup.accept(message.payload_hash, station, message.received_at)) {
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
            apply_static(*v, message.message);
        }
        handle_fix(*v, std::move(*fix));
    } else {
        apply_static(*v, message.message);
    }
}

void Pipeline::apply_static(VesselState& v, const ais::AisMessage& m) {
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
}

void Pipeline::handle_fix(VesselState& v, Fix&& fix) {
    if (v.last_fix && fix.time < v.last_fix->time) {
        ++m_counters.stale_fixes; // late or replayed by another station: not for the rules
        return;
    }
    ++m_counters.fixes;
    ++v.fixes;
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
                raise(std::move(*alert));
            }
        }
    } catch (const std::exception& e) {
        ++m_counters.rule_errors;
        if (on_error) {
            on_error(std::string("departure rule failed for MMSI ") + std::to_string(v.mmsi) +
                     ": " + e.what());
        }
    }
    v.last_fix = std::move(fix);
}

void Pipeline::raise(alerts::Alert&& alert) {
    bool created = true;
    if (m_store != nullptr) {
        const store::InsertResult r = m_store->insert(alert); // durable before announced
        alert.id = r.id;
        created = r.created;
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

#include "ais/static_pairing.hpp"

namespace sahil::ais {

std::optional<ClassBStatic> StaticDataPairer::add(const StaticDataReport& part, UtcTime received) {
    if (part.part > 1) {
        return std::nullopt;
    }
    auto it = m_entries.find(part.mmsi);
    if (it == m_entries.end()) {
        if (m_entries.size() >= m_config.max_vessels && !m_lru.empty()) {
            m_entries.erase(m_lru.front());
            m_lru.pop_front();
        }
        it = m_entries.emplace(part.mmsi, Entry{}).first;
        it->second.lru = m_lru.insert(m_lru.end(), part.mmsi);
    } else {
        m_lru.splice(m_lru.end(), m_lru, it->second.lru); // most recently updated
    }
    Entry& e = it->second;
    const auto fresh = [&](UtcTime t) {
        const auto age = received - t;
        return age <= m_config.max_age && age >= -m_config.max_age;
    };
    if (part.part == 0) {
        e.name = part.shipname;
        e.a_time = received;
    } else {
        e.b = part;
        e.b_time = received;
    }
    if (e.name && e.b && fresh(e.a_time) && fresh(e.b_time)) {
        ClassBStatic out;
        out.mmsi = part.mmsi;
        out.shipname = *e.name;
        out.part_b = *e.b;
        out.part_a_time = e.a_time;
        out.part_b_time = e.b_time;
        return out;
    }
    // The other part is missing or stale: forget a stale one so it cannot pair later.
    if (e.name && !fresh(e.a_time)) {
        e.name.reset();
    }
    if (e.b && !fresh(e.b_time)) {
        e.b.reset();
    }
    return std::nullopt;
}

} // namespace sahil::ais

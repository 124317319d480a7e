#include "ais/dedup.hpp"

namespace sahil::ais {

void StationDeduplicator::forget_before(UtcTime t) {
    while (!m_order.empty() &&
           (m_order.front().first < t || m_order.size() > m_config.max_entries)) {
        const auto [time, hash] = m_order.front();
        m_order.pop_front();
        const auto it = m_seen.find(hash);
        if (it != m_seen.end() && it->second == time) {
            m_seen.erase(it);
        }
    }
}

bool StationDeduplicator::accept(std::uint64_t payload_hash, std::string_view station,
                                 UtcTime received) {
    auto st = m_stations.find(station);
    if (st == m_stations.end()) {
        st = m_stations.emplace(std::string(station), StationCoverage{}).first;
    }
    StationCoverage& cov = st->second;
    ++cov.heard;
    cov.last_heard = received > cov.last_heard ? received : cov.last_heard;
    if (payload_hash == 0 || m_config.window.count() <= 0) {
        ++cov.first;
        ++m_passed;
        return true;
    }
    if (received > m_latest) {
        m_latest = received;
    }
    forget_before(m_latest - m_config.window);
    const auto it = m_seen.find(payload_hash);
    if (it != m_seen.end()) {
        const auto age = received - it->second;
        if (age <= m_config.window && age >= -m_config.window) {
            ++cov.duplicates;
            ++m_dropped;
            return false;
        }
        it->second = received; // same payload again after the window: a new transmission
    } else {
        m_seen.emplace(payload_hash, received);
    }
    m_order.emplace_back(received, payload_hash);
    ++cov.first;
    ++m_passed;
    return true;
}

} // namespace sahil::ais

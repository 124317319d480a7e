#include "registry/boat_index.hpp"

#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "registry/boat_store.hpp"

namespace sahil::registry {

BoatIndex::BoatIndex(Database& database, std::chrono::milliseconds check_interval,
                     SteadyClock clock)
    : m_db(database), m_interval(check_interval),
      m_clock(clock ? std::move(clock) : SteadyClock([] {
          return std::chrono::steady_clock::now();
      })) {
    reload();
}

std::pair<std::int64_t, std::int64_t> BoatIndex::change_marks() const {
    try {
        SQLite::Statement q(m_db.handle(), "PRAGMA data_version");
        q.executeStep();
        // data_version moves on commits by other connections; total_changes on our own.
        return {q.getColumn(0).getInt64(),
                static_cast<std::int64_t>(sqlite3_total_changes64(m_db.handle().getHandle()))};
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(
            e, fmt::format("registry database {}: checking for changes", m_db.path()));
    }
}

void BoatIndex::reload() {
    const auto started = std::chrono::steady_clock::now();
    const auto marks = change_marks();
    std::unordered_map<std::uint32_t, Boat> fresh;
    for (Boat& boat : BoatStore(m_db).list()) {
        if (boat.mmsi) {
            const std::uint32_t mmsi = *boat.mmsi;
            fresh.insert_or_assign(mmsi, std::move(boat));
        }
    }
    m_by_mmsi = std::move(fresh);
    m_marks = marks;
    m_last_check = m_clock();
    ++m_generation;
    m_last_reload = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
}

bool BoatIndex::refresh() {
    m_last_check = m_clock();
    if (change_marks() == m_marks) {
        return false;
    }
    reload();
    return true;
}

const Boat* BoatIndex::find_by_mmsi(std::uint32_t mmsi) {
    if (m_clock() - m_last_check >= m_interval) {
        refresh();
    }
    const auto it = m_by_mmsi.find(mmsi);
    return it == m_by_mmsi.end() ? nullptr : &it->second;
}

} // namespace sahil::registry

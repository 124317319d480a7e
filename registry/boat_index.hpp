// Boat index: the tracking pipeline's in-memory copy of the registry, keyed by MMSI.
//
// The pipeline asks "which registered boat has MMSI 463123456, and may it fish today?" for
// every vessel it sees; that must not cost a SQL query per message. BoatIndex loads every boat
// (the `boats` view: identifiers, current licence, transponder and conflict flags) into a hash
// map once, answers find_by_mmsi() in O(1), and reloads when the database changed: at most every
// `check_interval` (default 250 ms) it compares SQLite's `PRAGMA data_version` (bumped by commits
// of other connections: the HTTP API, `sahil registry ...`) and the connection's own change
// count, and reloads the whole map when either moved. So a clerk's renewal or a supervisor's
// suspension reaches the rules within check_interval plus the reload time (9 ms for 1,000 boats,
// 93 ms for 10,000; `sahil_bench --benchmark_filter=BoatIndex`, docs/performance.md), well
// inside the 1 s the registry issue asks for.
// Example: `BoatIndex index{db}; if (const Boat* b = index.find_by_mmsi(mmsi)) ...`
//
// Thread-safety: one thread (the tracking strand); uses its Database's connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <unordered_map>

#include "registry/boat.hpp"
#include "registry/database.hpp"

namespace sahil::registry {

/// In-memory registry lookups by MMSI with change detection; see the file comment.
class BoatIndex {
public:
    /// Monotonic time source; tests inject one.
    using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;

    /// Loads every boat from `database` (which must outlive the index).
    /// @param check_interval how often (at most) find_by_mmsi() checks for changes; 0 = always.
    /// @throws RegistryError when the first load fails.
    explicit BoatIndex(Database& database,
                       std::chrono::milliseconds check_interval = std::chrono::milliseconds{250},
                       SteadyClock clock = {});

    /// The boat whose current MMSI identifier is `mmsi`, or nullptr. Checks for changes first
    /// when check_interval has passed since the last check. The pointer stays valid until the
    /// next call that may reload (any find_by_mmsi() or refresh()).
    /// @throws RegistryError when a reload fails (the old map stays in use).
    const Boat* find_by_mmsi(std::uint32_t mmsi);

    /// Checks now and reloads if the database changed; returns true when it reloaded.
    /// @throws RegistryError on a database failure (the old map stays in use).
    bool refresh();

    /// Reloads unconditionally. @throws RegistryError (the old map stays in use).
    void reload();

    /// Number of boats with a current MMSI.
    [[nodiscard]] std::size_t size() const noexcept { return m_by_mmsi.size(); }
    /// Increases by one at every reload; callers cache per-vessel lookups against it.
    [[nodiscard]] std::uint64_t generation() const noexcept { return m_generation; }
    /// Duration of the last reload.
    [[nodiscard]] std::chrono::microseconds last_reload_time() const noexcept {
        return m_last_reload;
    }

private:
    [[nodiscard]] std::pair<std::int64_t, std::int64_t> change_marks() const;

    Database& m_db;
    std::chrono::milliseconds m_interval;
    SteadyClock m_clock;
    std::chrono::steady_clock::time_point m_last_check{};
    std::pair<std::int64_t, std::int64_t> m_marks{-1, -1};
    std::unordered_map<std::uint32_t, Boat> m_by_mmsi;
    std::uint64_t m_generation = 0;
    std::chrono::microseconds m_last_reload{0};
};

} // namespace sahil::registry

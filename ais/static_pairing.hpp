// Pairing of type 24 static data report parts A and B by MMSI (ITU-R M.1371-5 §3.3.8.2.7:
// a Class B "CS" unit sends part A — the name — and part B — ship type, vendor, call sign,
// dimensions — as two separate messages, usually within a minute, every 6 minutes).
//
// Parts are paired by MMSI, never by arrival order (other vessels' messages come in between,
// and either part may come first). A part older than `max_age` is forgotten; at most
// `max_vessels` MMSIs are held (the least recently updated is dropped first), so a flood of
// one-part senders cannot grow memory.
//
// `add(part A of 503032690 "OCEAN WAVE", t)` -> nothing yet; `add(part B of 503032690, t+20s)`
// -> ClassBStatic{mmsi 503032690, name "OCEAN WAVE", part B fields}.
//
// Thread-safety: one instance, used from one strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

#include "ais/messages.hpp"
#include "ais/time.hpp"

namespace sahil::ais {

/// Both parts of one Class B unit's static data.
struct ClassBStatic {
    std::uint32_t mmsi = 0;
    FixedText<20> shipname;  ///< from part A
    StaticDataReport part_b; ///< ship type, vendor id, call sign, dimensions / mother ship
    UtcTime part_a_time{};   ///< receive time of the part A used
    UtcTime part_b_time{};   ///< receive time of the part B used
};

/// Pairs type 24 parts A and B by MMSI; see the file comment.
class StaticDataPairer {
public:
    struct Config {
        std::chrono::milliseconds max_age{std::chrono::minutes(10)}; ///< > the 6-min cycle
        std::size_t max_vessels = 100'000;
    };

    StaticDataPairer() : StaticDataPairer(Config{}) {}
    explicit StaticDataPairer(Config config) : m_config(config) {}

    /// Adds a part (A or B; other part numbers are ignored) received at `received`. Returns
    /// the pair when the other part of the same MMSI is held and not older than max_age.
    std::optional<ClassBStatic> add(const StaticDataReport& part, UtcTime received);

    /// MMSIs holding at least one part.
    [[nodiscard]] std::size_t pending() const noexcept { return m_entries.size(); }

private:
    struct Entry {
        std::optional<FixedText<20>> name;
        UtcTime a_time{};
        std::optional<StaticDataReport> b;
        UtcTime b_time{};
        std::list<std::uint32_t>::iterator lru;
    };

    Config m_config;
    std::unordered_map<std::uint32_t, Entry> m_entries;
    std::list<std::uint32_t> m_lru; // least recently updated first
};

} // namespace sahil::ais

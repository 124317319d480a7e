// Durable alert store in registry.db (table `alerts`, registry migration 2).
//
// An alert is committed before anyone is told about it (DESIGN.md: durable first). The natural
// key (rule, MMSI, zone, fix time) makes storing idempotent: replaying the same log twice, or a
// restart re-reading a feed, returns the existing alert instead of a second copy.
// Data path: AlertService -> AlertStore -> sinks; HTTP reads through its own read-only store.
//
// Thread-safety: one AlertStore per connection, used from one thread (the tracking strand for
// the writer; each reader has its own connection).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "registry/database.hpp"
#include "server/alerts/alert.hpp"

namespace sahil::store {

/// Filter for AlertStore::list().
struct AlertQuery {
    std::optional<std::string> rule;      ///< exact rule name
    std::optional<alerts::Status> status; ///< lifecycle status
    std::optional<std::uint32_t> mmsi;    ///< vessel
    std::optional<std::int64_t> after_id; ///< only alerts with id > after_id (resume)
    std::size_t limit = 100;              ///< 1..1000
};

/// Result of AlertStore::insert().
struct InsertResult {
    std::int64_t id = 0;  ///< id of the stored (or already existing) alert
    bool created = false; ///< false when the same alert was already stored
};

/// Alert persistence; see the file comment.
class AlertStore {
public:
    /// Wall clock for `created_at` only (rules never read it); injectable for tests.
    using Clock = std::function<std::string()>;

    /// @param db an open registry database at schema version ≥ 2.
    explicit AlertStore(registry::Database& db, Clock clock = {});

    /// Stores `alert` (its id and created_at are ignored) in one transaction.
    /// @throws registry::RegistryError on a SQLite failure (disk full, I/O error).
    InsertResult insert(const alerts::Alert& alert);

    /// Alerts matching `q`, newest first (or oldest first after `after_id`, for resuming).
    [[nodiscard]] std::vector<alerts::Alert> list(const AlertQuery& q) const;

    /// One alert by id.
    [[nodiscard]] std::optional<alerts::Alert> find(std::int64_t id) const;

    /// Number of stored alerts.
    [[nodiscard]] std::size_t count() const;

private:
    registry::Database& m_db;
    Clock m_clock;
};

} // namespace sahil::store

// Durable alert store in registry.db (tables `alerts`, `alert_events`, `alert_outbox`,
// `alert_suppressions`; registry migration 4).
//
// An alert is committed before anyone is told about it (DESIGN.md: durable first). raise()
// applies, in one transaction:
//   1. idempotence: a hit no newer than what the store already holds for (rule, MMSI) — a replay
//      of the same log, or a restart re-reading a feed — changes nothing (`existing`);
//   2. suppression: a hit covered by an active suppression of (rule, MMSI) is counted on the
//      suppression and not raised (`suppressed`);
//   3. deduplication: one open (not resolved) alert per (rule, MMSI); a further hit updates it
//      (last time/position, repeat_count + 1, severity raised if higher, latest evidence) and
//      journals a `repeated` event (`updated`);
//   4. otherwise a new alert, its `raised` journal event and one outbox row per routed agency
//      that has a webhook (`created`).
// Every change, also each human action (act()), appends to the journal `alert_events`, whose
// sequence number is what the live stream resumes from. Human actions also append to the
// registry's hash-chained audit trail (who, role, when, what, note), in the same transaction.
// Suppression windows are keyed to fix times (the triggering fix), never to the wall clock, so
// replays are deterministic.
//
// Thread-safety: one AlertStore per connection, used from one thread at a time (the tracking
// strand for raise(); the API's connection, under its mutex, for act(); the delivery worker's
// own connection for the outbox).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "registry/outcome.hpp"
#include "server/alerts/alert.hpp"

namespace sahil::store {

/// Filter for AlertStore::list().
struct AlertQuery {
    std::optional<std::string> rule;              ///< exact rule name
    std::optional<alerts::Status> status;         ///< lifecycle status
    std::optional<bool> open;                     ///< true: not resolved; false: resolved
    std::optional<alerts::Severity> min_severity; ///< at least this severity
    std::optional<std::uint32_t> mmsi;            ///< vessel (either of the two vessels)
    std::optional<std::string> agency;            ///< routed to this agency id
    std::optional<UtcTime> since;                 ///< last_time >= since
    std::optional<UtcTime> until;                 ///< fix_time < until
    std::optional<std::int64_t> after_id;         ///< only alerts with id > after_id (oldest first)
    std::size_t limit = 100;                      ///< 1..1000
};

/// What raise() did with a hit.
enum class RaiseKind {
    created,    ///< a new alert (journal `raised`, outbox rows)
    updated,    ///< the open alert of (rule, MMSI) was updated (journal `repeated`)
    existing,   ///< already stored (replayed input): nothing changed, no event
    suppressed, ///< an active suppression covers it: counted on the suppression only
};

/// Stable name of a RaiseKind ("created", "updated", "existing", "suppressed").
std::string_view to_string(RaiseKind k) noexcept;

/// Result of AlertStore::raise().
struct RaiseResult {
    std::int64_t id = 0; ///< id of the alert created/updated/found (0 when suppressed)
    RaiseKind kind = RaiseKind::existing;
    std::int64_t event_seq = 0; ///< journal sequence number of the event written (0 if none)
};

/// One journal entry: what happened to an alert, in commit order.
struct AlertEvent {
    std::int64_t seq = 0; ///< strictly increasing, never reused (SQLite AUTOINCREMENT)
    std::int64_t alert_id = 0;
    std::string kind;  ///< raised, repeated, acknowledged, assigned, noted, resolved, suppressed
    std::string actor; ///< user name for human actions; empty for the rules
    std::string note;  ///< the note, assignee, outcome or suppression reason given
    std::string at;    ///< UTC ISO 8601 wall-clock time of the change
};

/// JSON of an event: {"seq":..,"alert_id":..,"kind":..,"actor":..,"note":..,"at":..}.
nlohmann::ordered_json to_json(const AlertEvent& e);

/// A human action on an alert (HTTP API). Which fields are needed depends on `action`:
///   "acknowledge" (new -> acknowledged), "assign" (`assignee` required; new/acknowledged/
///   assigned -> assigned), "note" (`note` required; any status, also resolved), "resolve"
///   (`outcome` required, not "suppressed"; any open status -> resolved), "suppress" (`note` =
///   mandatory reason, >= 3 characters; `hours` 1..720 for a timed suppression from the
///   triggering fix time, or empty for "this occurrence": further hits each within
///   `occurrence_gap` of the previous one; resolves the alert with outcome "suppressed").
struct AlertAction {
    std::string action{};
    std::string note{};
    std::string assignee{};
    std::optional<alerts::Outcome> outcome{};
    std::optional<int> hours{};
};

/// An outbox row: one webhook delivery of one alert to one agency.
struct Delivery {
    std::int64_t id = 0;
    std::int64_t alert_id = 0;
    std::string agency;               ///< agency id (config [[agencies]] id)
    int attempts = 0;                 ///< delivery attempts made so far
    std::int64_t next_attempt_ms = 0; ///< wall-clock Unix ms of the next attempt
    std::string last_error;           ///< why the last attempt failed; empty if none
};

/// An active or past suppression.
struct Suppression {
    std::int64_t id = 0;
    std::string rule;
    std::uint32_t mmsi = 0;
    std::int64_t alert_id = 0;
    std::string mode;             ///< "occurrence" or "hours"
    UtcTime from;                 ///< triggering fix time
    std::optional<UtcTime> until; ///< end (hours mode)
    int hits = 0;                 ///< hits absorbed
    std::string reason;
    std::string created_by;
    bool active = true;
};

/// Settings of the store.
struct AlertStoreConfig {
    /// Hits further apart than this end an "occurrence" suppression (fix time; 6 h default, the
    /// de-duplication window of anomaly-rules.md §7).
    std::chrono::milliseconds occurrence_gap{std::chrono::hours(6)};
    /// Agencies that have a webhook: raise() writes an outbox row for each routed one.
    std::set<std::string> webhook_agencies;
};

/// Alert persistence; see the file comment.
class AlertStore {
public:
    /// Wall clock for `created_at`/`updated_at`/event times only (rules never read it); returns
    /// ISO 8601 UTC text. Injectable for tests.
    using Clock = std::function<std::string()>;

    /// @param db an open registry database at schema version >= 4.
    explicit AlertStore(registry::Database& db, AlertStoreConfig config = {}, Clock clock = {});

    /// Stores a hit (its id, status, repeat_count, created_at are ignored); see the file comment.
    /// @throws registry::RegistryError on a SQLite failure (disk full, I/O error).
    RaiseResult raise(const alerts::Alert& hit);

    /// Applies a human action (see AlertAction), journals it and audits it as `alert.<action>`.
    /// Errors: not_found (no such alert), wrong_state (e.g. acknowledge a resolved alert),
    /// validation_failed (missing assignee/note/outcome, hours out of range, unknown action).
    /// @throws registry::RegistryError on a SQLite failure.
    registry::Outcome<alerts::Alert> act(std::int64_t id, const AlertAction& action,
                                         const registry::Actor& actor);

    /// Alerts matching `q`, newest first (or oldest first after `after_id`, for resuming).
    [[nodiscard]] std::vector<alerts::Alert> list(const AlertQuery& q) const;

    /// One alert by id.
    [[nodiscard]] std::optional<alerts::Alert> find(std::int64_t id) const;

    /// Journal of one alert, oldest first.
    [[nodiscard]] std::vector<AlertEvent> history(std::int64_t id) const;

    /// Journal entries with seq > after_seq, oldest first, at most `limit` (1..10000).
    [[nodiscard]] std::vector<AlertEvent> events_after(std::int64_t after_seq,
                                                       std::size_t limit) const;

    /// Highest journal seq (0 when empty).
    [[nodiscard]] std::int64_t last_event_seq() const;

    /// Suppressions, newest first (`active_only`: only those still in force).
    [[nodiscard]] std::vector<Suppression> suppressions(bool active_only) const;

    /// Number of stored alerts.
    [[nodiscard]] std::size_t count() const;

    // --- webhook outbox (used by the delivery worker) ---

    /// Pending deliveries due at `now_ms` (wall-clock Unix ms), oldest first, at most `limit`.
    [[nodiscard]] std::vector<Delivery> due_deliveries(std::int64_t now_ms,
                                                       std::size_t limit) const;
    /// Earliest next_attempt_ms of any pending delivery (empty when none is pending).
    [[nodiscard]] std::optional<std::int64_t> next_delivery_ms() const;
    /// Marks a delivery done (it will not be sent again).
    void mark_delivered(std::int64_t delivery_id);
    /// Records a failed attempt: attempts + 1, the error, and when to try next.
    void mark_failed(std::int64_t delivery_id, const std::string& error,
                     std::int64_t next_attempt_ms);
    /// Makes every pending delivery of `agency` due now (after a success ends its back-off, so
    /// the backlog drains at once and in order). Returns the rows changed.
    std::size_t release_backlog(const std::string& agency, std::int64_t now_ms);
    /// Deliveries pending, delivered (counts per agency): {"coast_guard": {"pending":1,...}}.
    [[nodiscard]] nlohmann::ordered_json outbox_counts() const;

private:
    registry::Database& m_db;
    AlertStoreConfig m_config;
    Clock m_clock;
};

} // namespace sahil::store

// Audit trail: the append-only, hash-chained record of every change to the registry, every login
// and every read or export of personal data (table audit_log in registry.db, migration 3).
//
// Each row holds who (actor, role, harbour, source address), when (UTC), what (action, entity,
// entity id, the record before and after as JSON) and why (reason, request id), plus
// `prev_hash` (the previous row's hash; 64 '0' for the first) and `hash` = SHA-256 of the row's
// canonical form (canonical_form()). SQLite triggers refuse UPDATE and DELETE, so a change must go
// through the file itself; `sahil registry verify` (AuditLog::verify) recomputes the chain and
// names the first row that no longer matches. Deleting the newest rows leaves a valid but shorter
// chain: compare the head hash with one printed earlier (shift handover sheet, system journal)
// to detect that (user-expectations.md §4.7).
// Example: `AuditLog audit{db}; audit.append(actor, {.action = "licence.renew", .entity =
// "licence", .entity_id = "17", .before_json = b, .after_json = a, .reason = "fee paid"});`
//
// Thread-safety: uses its Database's connection; one thread at a time. append() must run inside
// the caller's write transaction so that the change and its audit row commit together.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/database.hpp"

namespace sahil::registry {

/// Who is acting, as recorded in the audit trail. Built by the HTTP layer from the session or
/// API token, or by the CLI for a local operator.
struct Actor {
    /// User name ("cli:root" for a local command run without an account).
    std::string user{};
    /// Role name as in users.role ("admin", "clerk", ...).
    std::string role{};
    /// Harbour zone ids the actor may write for, comma-separated ("" = not harbour-scoped).
    std::string harbour{};
    /// Where the request came from: client IP address, or "cli".
    std::string source{};
    /// Request id for correlating with the HTTP log ("" when none).
    std::string request_id{};
};

/// A change to be recorded (the caller-supplied part of an audit row).
struct AuditEvent {
    /// Dotted verb, e.g. "vessel.create", "licence.suspend", "auth.login_failed", "pii.reveal".
    std::string action{};
    /// Table or object kind: "vessel", "licence", "party", "user", "session", "export", ...
    std::string entity{};
    /// Row id or key of the object ("" when none).
    std::string entity_id{};
    /// JSON of the record before the change; std::nullopt for a creation or a non-change event.
    std::optional<std::string> before_json{};
    /// JSON of the record after the change; std::nullopt for an event without a new state.
    std::optional<std::string> after_json{};
    /// Why, in the actor's words (required for corrections, suspensions, PII reveals).
    std::string reason{};
};

/// One stored audit row.
struct AuditEntry {
    std::int64_t seq = 0; ///< 1, 2, 3 ... in order of commit.
    std::string at{};     ///< ISO 8601 UTC, whole seconds: "2026-11-29T20:51:07Z".
    Actor actor{};
    AuditEvent event{};
    std::string prev_hash{}; ///< 64 lower-case hex digits.
    std::string hash{};      ///< 64 lower-case hex digits.
};

/// Result of AuditLog::verify().
struct AuditVerifyReport {
    std::int64_t rows = 0;           ///< Rows examined.
    std::string head_hash{};         ///< Hash of the last row (64 '0' when the log is empty).
    std::vector<std::string> problems{}; ///< One line per broken row, in order; empty = intact.
    std::optional<std::int64_t> first_bad_seq{}; ///< The first row that fails, if any.

    /// True when the chain is intact.
    [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Filter for AuditLog::list(); empty members do not filter.
struct AuditQuery {
    std::string entity{};
    std::string entity_id{};
    std::string actor{};
    std::int64_t after_seq = 0; ///< Only rows with seq > after_seq.
    std::size_t limit = 200;    ///< At most this many rows (capped at 1000), newest first.
};

/// Hash of the row before the first one: 64 '0'.
[[nodiscard]] std::string_view audit_genesis_hash() noexcept;

/// The exact bytes hashed for a row: every field length-prefixed ("<bytes>:<text>"), absent
/// optional fields as "-", joined with '|', in the order seq, at, user, role, harbour, source,
/// request_id, action, entity, entity_id, before_json, after_json, reason, prev_hash. Length
/// prefixes make the encoding unambiguous whatever characters the fields hold.
[[nodiscard]] std::string canonical_form(const AuditEntry& entry);

/// Access to audit_log.
class AuditLog {
public:
    /// Source of "now" (UTC, whole seconds).
    using Clock = std::function<std::chrono::sys_seconds()>;

    /// Uses `database` (must outlive the log); `clock` defaults to the system clock.
    explicit AuditLog(Database& database, Clock clock = {});

    /// Appends one row chained to the current last row and returns it. Call inside the write
    /// transaction of the change it records.
    /// @throws RegistryError on a database failure.
    AuditEntry append(const Actor& actor, const AuditEvent& event);

    /// Recomputes the whole chain: seq contiguous from 1, each prev_hash equal to the previous
    /// row's hash, each hash equal to SHA-256(canonical_form). Never modifies anything.
    /// @throws RegistryError on a database failure.
    [[nodiscard]] AuditVerifyReport verify() const;

    /// Rows matching `query`, newest first. @throws RegistryError on a database failure.
    [[nodiscard]] std::vector<AuditEntry> list(const AuditQuery& query) const;

    /// Number of rows. @throws RegistryError on a database failure.
    [[nodiscard]] std::int64_t count() const;

private:
    Database& m_db;
    Clock m_clock;
};

/// ISO 8601 UTC text for a time, whole seconds: "2026-11-29T20:51:07Z".
[[nodiscard]] std::string format_utc_seconds(std::chrono::sys_seconds time);

} // namespace sahil::registry

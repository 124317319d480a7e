#include "registry/audit.hpp"

#include <algorithm>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "registry/crypto.hpp"
#include "registry/validation.hpp"

namespace sahil::registry {
namespace {

constexpr std::string_view genesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

constexpr std::string_view select_rows =
    "SELECT seq, at, actor, role, harbour, source, request_id, action, entity, entity_id, "
    "before_json, after_json, reason, prev_hash, hash FROM audit_log";

void append_field(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += '|';
}

void append_optional(std::string& out, const std::optional<std::string>& value) {
    if (value) {
        append_field(out, *value);
    } else {
        out += "-|";
    }
}

std::optional<std::string> optional_text(const SQLite::Column& column) {
    if (column.isNull()) {
        return std::nullopt;
    }
    return column.getString();
}

AuditEntry read_entry(const SQLite::Statement& row) {
    AuditEntry e;
    e.seq = row.getColumn(0).getInt64();
    e.at = row.getColumn(1).getString();
    e.actor.user = row.getColumn(2).getString();
    e.actor.role = row.getColumn(3).getString();
    e.actor.harbour = row.getColumn(4).getString();
    e.actor.source = row.getColumn(5).getString();
    e.actor.request_id = row.getColumn(6).getString();
    e.event.action = row.getColumn(7).getString();
    e.event.entity = row.getColumn(8).getString();
    e.event.entity_id = row.getColumn(9).getString();
    e.event.before_json = optional_text(row.getColumn(10));
    e.event.after_json = optional_text(row.getColumn(11));
    e.event.reason = row.getColumn(12).getString();
    e.prev_hash = row.getColumn(13).getString();
    e.hash = row.getColumn(14).getString();
    return e;
}

} // namespace

std::string_view audit_genesis_hash() noexcept {
    return genesis;
}

std::string format_utc_seconds(std::chrono::sys_seconds time) {
    const auto day = std::chrono::floor<std::chrono::days>(time);
    const std::chrono::hh_mm_ss clock{time - day};
    return fmt::format("{}T{:02}:{:02}:{:02}Z", format_iso_date(std::chrono::year_month_day{day}),
                       clock.hours().count(), clock.minutes().count(), clock.seconds().count());
}

std::string canonical_form(const AuditEntry& e) {
    std::string out;
    out.reserve(256 + (e.event.before_json ? e.event.before_json->size() : 0) +
                (e.event.after_json ? e.event.after_json->size() : 0));
    append_field(out, std::to_string(e.seq));
    append_field(out, e.at);
    append_field(out, e.actor.user);
    append_field(out, e.actor.role);
    append_field(out, e.actor.harbour);
    append_field(out, e.actor.source);
    append_field(out, e.actor.request_id);
    append_field(out, e.event.action);
    append_field(out, e.event.entity);
    append_field(out, e.event.entity_id);
    append_optional(out, e.event.before_json);
    append_optional(out, e.event.after_json);
    append_field(out, e.event.reason);
    append_field(out, e.prev_hash);
    return out;
}

AuditLog::AuditLog(Database& database, Clock clock) : m_db(database), m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] {
            return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        };
    }
}

AuditEntry AuditLog::append(const Actor& actor, const AuditEvent& event) {
    try {
        AuditEntry e;
        e.actor = actor;
        e.event = event;
        e.at = format_utc_seconds(m_clock());
        SQLite::Statement last(m_db.handle(),
                               "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        if (last.executeStep()) {
            e.seq = last.getColumn(0).getInt64() + 1;
            e.prev_hash = last.getColumn(1).getString();
        } else {
            e.seq = 1;
            e.prev_hash = std::string(genesis);
        }
        e.hash = sha256_hex(canonical_form(e));
        SQLite::Statement insert(
            m_db.handle(),
            "INSERT INTO audit_log(seq, at, actor, role, harbour, source, request_id, action, "
            "entity, entity_id, before_json, after_json, reason, prev_hash, hash) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        insert.bind(1, e.seq);
        insert.bind(2, e.at);
        insert.bind(3, e.actor.user);
        insert.bind(4, e.actor.role);
        insert.bind(5, e.actor.harbour);
        insert.bind(6, e.actor.source);
        insert.bind(7, e.actor.request_id);
        insert.bind(8, e.event.action);
        insert.bind(9, e.event.entity);
        insert.bind(10, e.event.entity_id);
        if (e.event.before_json) {
            insert.bind(11, *e.event.before_json);
        }
        if (e.event.after_json) {
            insert.bind(12, *e.event.after_json);
        }
        insert.bind(13, e.event.reason);
        insert.bind(14, e.prev_hash);
        insert.bind(15, e.hash);
        insert.exec();
        return e;
    } catch (const SQLite::Exception& ex) {
        throw RegistryError::from_sqlite(
            ex, fmt::format("registry database {}: writing audit record {}", m_db.path(),
                            event.action));
    }
}

AuditVerifyReport AuditLog::verify() const {
    AuditVerifyReport report;
    report.head_hash = std::string(genesis);
    try {
        SQLite::Statement rows(m_db.handle(), fmt::format("{} ORDER BY seq", select_rows));
        std::string expected_prev(genesis);
        std::int64_t expected_seq = 1;
        const auto fail = [&](std::int64_t seq, std::string what) {
            if (!report.first_bad_seq) {
                report.first_bad_seq = seq;
            }
            report.problems.push_back(fmt::format("row {}: {}", seq, what));
        };
        while (rows.executeStep()) {
            const AuditEntry e = read_entry(rows);
            ++report.rows;
            if (e.seq != expected_seq) {
                fail(e.seq, fmt::format("sequence gap: expected row {} (rows deleted?)",
                                        expected_seq));
            }
            if (e.prev_hash != expected_prev) {
                fail(e.seq, "prev_hash does not match the previous row's hash");
            }
            if (sha256_hex(canonical_form(e)) != e.hash) {
                fail(e.seq, fmt::format("contents changed after writing ({} by {} at {})",
                                        e.event.action, e.actor.user, e.at));
            }
            expected_prev = e.hash;
            expected_seq = e.seq + 1;
            report.head_hash = e.hash;
        }
    } catch (const SQLite::Exception& ex) {
        throw RegistryError::from_sqlite(
            ex, fmt::format("registry database {}: verifying the audit trail", m_db.path()));
    }
    return report;
}

std::vector<AuditEntry> AuditLog::list(const AuditQuery& query) const {
    try {
        std::string sql = fmt::format("{} WHERE seq > ?", select_rows);
        if (!query.entity.empty()) {
            sql += " AND entity = ?";
        }
        if (!query.entity_id.empty()) {
            sql += " AND entity_id = ?";
        }
        if (!query.actor.empty()) {
            sql += " AND actor = ?";
        }
        sql += " ORDER BY seq DESC LIMIT ?";
        SQLite::Statement rows(m_db.handle(), sql);
        int i = 1;
        rows.bind(i++, query.after_seq);
        if (!query.entity.empty()) {
            rows.bind(i++, query.entity);
        }
        if (!query.entity_id.empty()) {
            rows.bind(i++, query.entity_id);
        }
        if (!query.actor.empty()) {
            rows.bind(i++, query.actor);
        }
        rows.bind(i, static_cast<std::int64_t>(std::clamp<std::size_t>(query.limit, 1, 1000)));
        std::vector<AuditEntry> out;
        while (rows.executeStep()) {
            out.push_back(read_entry(rows));
        }
        return out;
    } catch (const SQLite::Exception& ex) {
        throw RegistryError::from_sqlite(
            ex, fmt::format("registry database {}: listing the audit trail", m_db.path()));
    }
}

std::int64_t AuditLog::count() const {
    try {
        SQLite::Statement q(m_db.handle(), "SELECT count(*) FROM audit_log");
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const SQLite::Exception& ex) {
        throw RegistryError::from_sqlite(
            ex, fmt::format("registry database {}: counting audit rows", m_db.path()));
    }
}

} // namespace sahil::registry

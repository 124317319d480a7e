#include "server/store/alert_store.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "registry/registry_error.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::store {
namespace {

std::string wall_clock_now() {
    return alerts::iso8601(
        std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

constexpr const char* select_columns =
    "SELECT id, rule, severity, status, mmsi, vessel_name, boat_id, registration_number, "
    "other_mmsi, other_name, zone_id, zone_name, fix_time, lat_deg, lon_deg, last_time, "
    "last_lat_deg, last_lon_deg, sog_knots, cog_deg, repeat_count, agencies, assignee, outcome, "
    "reason, evidence_json, created_at, updated_at FROM alerts";

std::string text_or_empty(const SQLite::Column& c) {
    return c.isNull() ? std::string() : c.getString();
}

std::optional<double> real_or_empty(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<double>(c.getDouble());
}

std::vector<std::string> split_agencies(const std::string& s) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(s);
    while (std::getline(in, item, ',')) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

std::string join_agencies(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& a : v) {
        if (!out.empty()) {
            out += ',';
        }
        out += a;
    }
    return out;
}

alerts::Alert read_row(SQLite::Statement& st) {
    alerts::Alert a;
    int c = 0;
    a.id = st.getColumn(c++).getInt64();
    a.rule = st.getColumn(c++).getString();
    a.severity =
        alerts::parse_severity(st.getColumn(c++).getString()).value_or(alerts::Severity::warning);
    a.status = alerts::parse_status(st.getColumn(c++).getString()).value_or(alerts::Status::new_);
    a.mmsi = static_cast<std::uint32_t>(st.getColumn(c++).getInt64());
    a.vessel_name = text_or_empty(st.getColumn(c++));
    if (!st.getColumn(c).isNull()) {
        a.boat_id = st.getColumn(c).getInt64();
    }
    ++c;
    a.registration_number = text_or_empty(st.getColumn(c++));
    if (!st.getColumn(c).isNull()) {
        a.other_mmsi = static_cast<std::uint32_t>(st.getColumn(c).getInt64());
    }
    ++c;
    a.other_name = text_or_empty(st.getColumn(c++));
    a.zone_id = st.getColumn(c++).getString();
    a.zone_name = st.getColumn(c++).getString();
    a.fix_time = from_unix_millis(st.getColumn(c++).getInt64());
    a.position.lat_deg = st.getColumn(c++).getDouble();
    a.position.lon_deg = st.getColumn(c++).getDouble();
    a.last_time = from_unix_millis(st.getColumn(c++).getInt64());
    a.last_position.lat_deg = st.getColumn(c++).getDouble();
    a.last_position.lon_deg = st.getColumn(c++).getDouble();
    a.sog_knots = real_or_empty(st.getColumn(c++));
    a.cog_deg = real_or_empty(st.getColumn(c++));
    a.repeat_count = st.getColumn(c++).getInt();
    a.agencies = split_agencies(st.getColumn(c++).getString());
    a.assignee = text_or_empty(st.getColumn(c++));
    if (!st.getColumn(c).isNull()) {
        a.outcome = alerts::parse_outcome(st.getColumn(c).getString());
    }
    ++c;
    a.reason = st.getColumn(c++).getString();
    a.evidence = nlohmann::ordered_json::parse(st.getColumn(c++).getString(), nullptr, false);
    if (a.evidence.is_discarded()) {
        a.evidence = nlohmann::ordered_json::object();
    }
    a.created_at = st.getColumn(c++).getString();
    a.updated_at = st.getColumn(c++).getString();
    return a;
}

template <class T> void bind_optional(SQLite::Statement& st, int i, const std::optional<T>& v) {
    if (v) {
        st.bind(i, *v);
    } else {
        st.bind(i);
    }
}

void bind_text_or_null(SQLite::Statement& st, int i, const std::string& v) {
    if (v.empty()) {
        st.bind(i);
    } else {
        st.bind(i, v);
    }
}

std::int64_t journal(SQLite::Database& db, std::int64_t alert_id, std::string_view kind,
                     const std::string& actor, const std::string& note, const std::string& at) {
    SQLite::Statement ev(db, "INSERT INTO alert_events(alert_id, kind, actor, note, at) "
                             "VALUES(?,?,?,?,?)");
    ev.bind(1, alert_id);
    ev.bind(2, std::string(kind));
    ev.bind(3, actor);
    ev.bind(4, note);
    ev.bind(5, at);
    ev.exec();
    return db.getLastInsertRowid();
}

std::optional<alerts::Alert> find_in(SQLite::Database& db, std::int64_t id) {
    SQLite::Statement st(db, std::string(select_columns) + " WHERE id = ?");
    st.bind(1, id);
    if (st.executeStep()) {
        return read_row(st);
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(RaiseKind k) noexcept {
    switch (k) {
    case RaiseKind::created:
        return "created";
    case RaiseKind::updated:
        return "updated";
    case RaiseKind::existing:
        return "existing";
    case RaiseKind::suppressed:
        return "suppressed";
    }
    return "existing";
}

nlohmann::ordered_json to_json(const AlertEvent& e) {
    return {{"seq", e.seq},     {"alert_id", e.alert_id}, {"kind", e.kind},
            {"actor", e.actor}, {"note", e.note},         {"at", e.at}};
}

AlertStore::AlertStore(registry::Database& db, AlertStoreConfig config, Clock clock)
    : m_db(db), m_config(std::move(config)),
      m_clock(clock ? std::move(clock) : Clock(wall_clock_now)) {}

RaiseResult AlertStore::raise(const alerts::Alert& a) {
    try {
        SQLite::Database& db = m_db.handle();
        registry::WriteTransaction tx(m_db);
        const std::int64_t t = unix_millis(a.fix_time);
        const auto mmsi = static_cast<std::int64_t>(a.mmsi);
        RaiseResult r;

        // 1. Idempotence: the newest alert of (rule, MMSI) already covers this fix time.
        {
            SQLite::Statement q(db, "SELECT id, last_time FROM alerts WHERE rule = ? AND mmsi = ? "
                                    "ORDER BY last_time DESC, id DESC LIMIT 1");
            q.bind(1, a.rule);
            q.bind(2, mmsi);
            if (q.executeStep() && t <= q.getColumn(1).getInt64()) {
                r.id = q.getColumn(0).getInt64();
                r.kind = RaiseKind::existing;
                tx.commit();
                return r;
            }
        }
        // 2. Suppression.
        {
            SQLite::Statement q(db, "SELECT id, mode, from_ms, until_ms, last_hit_ms "
                                    "FROM alert_suppressions WHERE rule = ? AND mmsi = ? "
                                    "AND active = 1 ORDER BY id DESC");
            q.bind(1, a.rule);
            q.bind(2, mmsi);
            std::vector<std::int64_t> expired;
            std::optional<std::int64_t> covering;
            while (q.executeStep()) {
                const std::int64_t id = q.getColumn(0).getInt64();
                const std::string mode = q.getColumn(1).getString();
                const std::int64_t from = q.getColumn(2).getInt64();
                if (mode == "hours") {
                    const std::int64_t until = q.getColumn(3).getInt64();
                    if (t >= until) {
                        expired.push_back(id);
                    } else if (t >= from && !covering) {
                        covering = id;
                    }
                } else {
                    const std::int64_t last = q.getColumn(4).getInt64();
                    if (t - last > m_config.occurrence_gap.count()) {
                        expired.push_back(id); // the occurrence is over
                    } else if (!covering) {
                        covering = id;
                    }
                }
            }
            q.reset();
            for (std::int64_t id : expired) {
                SQLite::Statement up(db, "UPDATE alert_suppressions SET active = 0 WHERE id = ?");
                up.bind(1, id);
                up.exec();
            }
            if (covering) {
                SQLite::Statement up(db, "UPDATE alert_suppressions SET hits = hits + 1, "
                                         "last_hit_ms = max(last_hit_ms, ?) WHERE id = ?");
                up.bind(1, t);
                up.bind(2, *covering);
                up.exec();
                r.kind = RaiseKind::suppressed;
                tx.commit();
                return r;
            }
        }
        const std::string now = m_clock();
        // 3. Deduplication: update the open alert of (rule, MMSI).
        {
            SQLite::Statement q(db, "SELECT id, severity, evidence_json FROM alerts "
                                    "WHERE rule = ? AND mmsi = ? AND status <> 'resolved'");
            q.bind(1, a.rule);
            q.bind(2, mmsi);
            if (q.executeStep()) {
                const std::int64_t id = q.getColumn(0).getInt64();
                const auto old_sev = alerts::parse_severity(q.getColumn(1).getString())
                                         .value_or(alerts::Severity::info);
                auto evidence =
                    nlohmann::ordered_json::parse(q.getColumn(2).getString(), nullptr, false);
                if (evidence.is_discarded() || !evidence.is_object()) {
                    evidence = nlohmann::ordered_json::object();
                }
                evidence["latest"] = a.evidence;
                q.reset();
                const auto sev = std::max(old_sev, a.severity);
                SQLite::Statement up(
                    db, "UPDATE alerts SET last_time = ?, last_lat_deg = ?, last_lon_deg = ?, "
                        "sog_knots = ?, cog_deg = ?, repeat_count = repeat_count + 1, "
                        "severity = ?, evidence_json = ?, updated_at = ? WHERE id = ?");
                up.bind(1, t);
                up.bind(2, a.last_position.lat_deg);
                up.bind(3, a.last_position.lon_deg);
                bind_optional(up, 4, a.sog_knots);
                bind_optional(up, 5, a.cog_deg);
                up.bind(6, std::string(alerts::to_string(sev)));
                up.bind(7, evidence.dump());
                up.bind(8, now);
                up.bind(9, id);
                up.exec();
                r.id = id;
                r.kind = RaiseKind::updated;
                r.event_seq = journal(db, id, "repeated", "", a.reason, now);
                tx.commit();
                return r;
            }
        }
        // 4. A new alert.
        SQLite::Statement ins(
            db, "INSERT INTO alerts(rule, severity, status, mmsi, vessel_name, boat_id, "
                "registration_number, other_mmsi, other_name, zone_id, zone_name, fix_time, "
                "lat_deg, lon_deg, last_time, last_lat_deg, last_lon_deg, sog_knots, cog_deg, "
                "repeat_count, agencies, reason, evidence_json, created_at, updated_at) "
                "VALUES(?,?,'new',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?) "
                "ON CONFLICT(rule, mmsi, zone_id, fix_time) DO NOTHING");
        int i = 1;
        ins.bind(i++, a.rule);
        ins.bind(i++, std::string(alerts::to_string(a.severity)));
        ins.bind(i++, mmsi);
        ins.bind(i++, a.vessel_name);
        bind_optional(ins, i++, a.boat_id);
        bind_text_or_null(ins, i++, a.registration_number);
        if (a.other_mmsi) {
            ins.bind(i++, static_cast<std::int64_t>(*a.other_mmsi));
        } else {
            ins.bind(i++);
        }
        bind_text_or_null(ins, i++, a.other_name);
        ins.bind(i++, a.zone_id);
        ins.bind(i++, a.zone_name);
        ins.bind(i++, t);
        ins.bind(i++, a.position.lat_deg);
        ins.bind(i++, a.position.lon_deg);
        // A hit's last time/position is its own fix when the rule did not set them.
        const bool has_last = unix_millis(a.last_time) >= t;
        ins.bind(i++, has_last ? unix_millis(a.last_time) : t);
        ins.bind(i++, has_last ? a.last_position.lat_deg : a.position.lat_deg);
        ins.bind(i++, has_last ? a.last_position.lon_deg : a.position.lon_deg);
        bind_optional(ins, i++, a.sog_knots);
        bind_optional(ins, i++, a.cog_deg);
        ins.bind(i++, join_agencies(a.agencies));
        ins.bind(i++, a.reason);
        ins.bind(i++, a.evidence.dump());
        ins.bind(i++, now);
        ins.bind(i++, now);
        if (ins.exec() != 1) {
            SQLite::Statement q(db, "SELECT id FROM alerts WHERE rule=? AND mmsi=? AND zone_id=? "
                                    "AND fix_time=?");
            q.bind(1, a.rule);
            q.bind(2, mmsi);
            q.bind(3, a.zone_id);
            q.bind(4, t);
            if (q.executeStep()) {
                r.id = q.getColumn(0).getInt64();
            }
            r.kind = RaiseKind::existing;
            tx.commit();
            return r;
        }
        r.id = db.getLastInsertRowid();
        r.kind = RaiseKind::created;
        r.event_seq = journal(db, r.id, "raised", "", "", now);
        const std::int64_t due = wall_clock_ms();
        for (const auto& agency : a.agencies) {
            if (m_config.webhook_agencies.count(agency) == 0) {
                continue;
            }
            SQLite::Statement ob(db, "INSERT OR IGNORE INTO alert_outbox(alert_id, agency, "
                                     "next_attempt_ms, created_at) VALUES(?,?,?,?)");
            ob.bind(1, r.id);
            ob.bind(2, agency);
            ob.bind(3, due);
            ob.bind(4, now);
            ob.exec();
        }
        tx.commit();
        return r;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: storing alert");
    }
}

registry::Outcome<alerts::Alert> AlertStore::act(std::int64_t id, const AlertAction& action,
                                                 const registry::Actor& actor) {
    using registry::ErrorCode;
    using Result = registry::Outcome<alerts::Alert>;
    using alerts::Status;
    try {
        SQLite::Database& db = m_db.handle();
        registry::WriteTransaction tx(m_db);
        const auto before = find_in(db, id);
        if (!before) {
            return Result::failure(ErrorCode::not_found, "id",
                                   "no alert with id " + std::to_string(id));
        }
        const Status st = before->status;
        const bool open = st != Status::resolved;
        const std::string now = m_clock();
        std::string kind;
        std::string note;
        std::string set_sql;
        auto wrong_state = [&](std::string_view what) {
            return Result::failure(ErrorCode::wrong_state, "status",
                                   std::string("cannot ") + std::string(what) +
                                       " an alert that is " + std::string(alerts::to_string(st)));
        };
        if (action.action == "acknowledge") {
            if (st != Status::new_) {
                return wrong_state("acknowledge");
            }
            kind = "acknowledged";
            note = action.note;
            set_sql = "status = 'acknowledged'";
        } else if (action.action == "assign") {
            if (!open) {
                return wrong_state("assign");
            }
            if (action.assignee.empty() || action.assignee.size() > 200) {
                return Result::failure(ErrorCode::validation_failed, "assignee",
                                       "say who takes it (a patrol unit or a person, up to 200 "
                                       "characters)");
            }
            kind = "assigned";
            note = action.assignee;
            if (!action.note.empty()) {
                note += ": " + action.note;
            }
            set_sql = "status = 'assigned', assignee = :assignee";
        } else if (action.action == "note") {
            if (action.note.find_first_not_of(" \t\r\n") == std::string::npos) {
                return Result::failure(ErrorCode::validation_failed, "note",
                                       "a note cannot be empty");
            }
            kind = "noted";
            note = action.note;
        } else if (action.action == "resolve") {
            if (!open) {
                return wrong_state("resolve");
            }
            if (!action.outcome || *action.outcome == alerts::Outcome::suppressed) {
                return Result::failure(
                    ErrorCode::validation_failed, "outcome",
                    "give the outcome: false_alarm, verified_no_action, intercepted, "
                    "referred_msa or referred_coast_guard");
            }
            kind = "resolved";
            note = std::string(alerts::to_string(*action.outcome));
            if (!action.note.empty()) {
                note += ": " + action.note;
            }
            set_sql = "status = 'resolved', outcome = :outcome";
        } else if (action.action == "suppress") {
            if (!open) {
                return wrong_state("suppress");
            }
            const auto first_char = action.note.find_first_not_of(" \t\r\n");
            if (first_char == std::string::npos || action.note.size() - first_char < 3) {
                return Result::failure(ErrorCode::validation_failed, "note",
                                       "a suppression needs a reason (at least 3 characters)");
            }
            if (action.hours && (*action.hours < 1 || *action.hours > 720)) {
                return Result::failure(ErrorCode::validation_failed, "hours",
                                       "hours must be 1 to 720 (30 days), or left out to "
                                       "suppress this occurrence only");
            }
            kind = "suppressed";
            const std::int64_t from = unix_millis(before->last_time);
            SQLite::Statement sup(
                db, "INSERT INTO alert_suppressions(rule, mmsi, alert_id, mode, from_ms, "
                    "until_ms, last_hit_ms, reason, created_by, created_at) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?)");
            sup.bind(1, before->rule);
            sup.bind(2, static_cast<std::int64_t>(before->mmsi));
            sup.bind(3, id);
            sup.bind(4, action.hours ? "hours" : "occurrence");
            sup.bind(5, unix_millis(before->fix_time));
            if (action.hours) {
                sup.bind(6, from + std::int64_t{*action.hours} * 3'600'000);
            } else {
                sup.bind(6);
            }
            sup.bind(7, from);
            sup.bind(8, action.note);
            sup.bind(9, actor.user);
            sup.bind(10, now);
            sup.exec();
            note = (action.hours ? std::to_string(*action.hours) + " h: " : "this occurrence: ") +
                   action.note;
            set_sql = "status = 'resolved', outcome = 'suppressed'";
        } else {
            return Result::failure(ErrorCode::validation_failed, "action",
                                   "unknown action '" + action.action +
                                       "' (acknowledge, assign, note, resolve, suppress)");
        }
        if (!set_sql.empty()) {
            SQLite::Statement up(db, "UPDATE alerts SET " + set_sql +
                                         ", updated_at = :now WHERE id = :id");
            if (set_sql.find(":assignee") != std::string::npos) {
                up.bind(":assignee", action.assignee);
            }
            if (set_sql.find(":outcome") != std::string::npos) {
                up.bind(":outcome", std::string(alerts::to_string(*action.outcome)));
            }
            up.bind(":now", now);
            up.bind(":id", id);
            up.exec();
        }
        journal(db, id, kind, actor.user, note, now);
        const auto after = find_in(db, id);
        registry::AuditLog audit(m_db);
        audit.append(actor,
                     registry::AuditEvent{
                         .action = "alert." + action.action,
                         .entity = "alert",
                         .entity_id = std::to_string(id),
                         .before_json = nlohmann::json{{"status", alerts::to_string(st)},
                                                       {"assignee", before->assignee}}
                                            .dump(),
                         .after_json = nlohmann::json{{"status", alerts::to_string(after->status)},
                                                      {"assignee", after->assignee}}
                                           .dump(),
                         .reason = note,
                     });
        tx.commit();
        return Result::success(*after);
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: acting on alert");
    }
}

std::vector<alerts::Alert> AlertStore::list(const AlertQuery& q) const {
    try {
        std::string sql = select_columns;
        sql += " WHERE 1=1";
        if (q.rule) {
            sql += " AND rule = :rule";
        }
        if (q.status) {
            sql += " AND status = :status";
        }
        if (q.open) {
            sql += *q.open ? " AND status <> 'resolved'" : " AND status = 'resolved'";
        }
        if (q.min_severity) {
            sql += " AND (CASE severity WHEN 'info' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) "
                   ">= :sev";
        }
        if (q.mmsi) {
            sql += " AND (mmsi = :mmsi OR other_mmsi = :mmsi)";
        }
        if (q.agency) {
            sql += " AND (',' || agencies || ',') LIKE :agency ESCAPE '\\'";
        }
        if (q.since) {
            sql += " AND last_time >= :since";
        }
        if (q.until) {
            sql += " AND fix_time < :until";
        }
        if (q.after_id) {
            sql += " AND id > :after ORDER BY id ASC";
        } else {
            sql += " ORDER BY id DESC";
        }
        sql += " LIMIT :limit";
        SQLite::Statement st(m_db.handle(), sql);
        if (q.rule) {
            st.bind(":rule", *q.rule);
        }
        if (q.status) {
            st.bind(":status", std::string(alerts::to_string(*q.status)));
        }
        if (q.min_severity) {
            st.bind(":sev", static_cast<int>(*q.min_severity));
        }
        if (q.mmsi) {
            st.bind(":mmsi", static_cast<std::int64_t>(*q.mmsi));
        }
        if (q.agency) {
            std::string pat = "%,";
            for (char ch : *q.agency) {
                if (ch == '%' || ch == '_' || ch == '\\') {
                    pat += '\\';
                }
                pat += ch;
            }
            pat += ",%";
            st.bind(":agency", pat);
        }
        if (q.since) {
            st.bind(":since", unix_millis(*q.since));
        }
        if (q.until) {
            st.bind(":until", unix_millis(*q.until));
        }
        if (q.after_id) {
            st.bind(":after", *q.after_id);
        }
        st.bind(":limit", static_cast<std::int64_t>(std::clamp<std::size_t>(q.limit, 1, 1000)));
        std::vector<alerts::Alert> out;
        while (st.executeStep()) {
            out.push_back(read_row(st));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: listing alerts");
    }
}

std::optional<alerts::Alert> AlertStore::find(std::int64_t id) const {
    try {
        return find_in(m_db.handle(), id);
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading alert");
    }
}

namespace {
std::vector<AlertEvent> read_events(SQLite::Statement& st) {
    std::vector<AlertEvent> out;
    while (st.executeStep()) {
        AlertEvent e;
        e.seq = st.getColumn(0).getInt64();
        e.alert_id = st.getColumn(1).getInt64();
        e.kind = st.getColumn(2).getString();
        e.actor = st.getColumn(3).getString();
        e.note = st.getColumn(4).getString();
        e.at = st.getColumn(5).getString();
        out.push_back(std::move(e));
    }
    return out;
}
} // namespace

std::vector<AlertEvent> AlertStore::history(std::int64_t id) const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT seq, alert_id, kind, actor, note, at FROM "
                                            "alert_events WHERE alert_id = ? ORDER BY seq");
        st.bind(1, id);
        return read_events(st);
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading alert history");
    }
}

std::vector<AlertEvent> AlertStore::events_after(std::int64_t after_seq, std::size_t limit) const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT seq, alert_id, kind, actor, note, at FROM "
                                            "alert_events WHERE seq > ? ORDER BY seq LIMIT ?");
        st.bind(1, after_seq);
        st.bind(2, static_cast<std::int64_t>(std::clamp<std::size_t>(limit, 1, 10'000)));
        return read_events(st);
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading alert events");
    }
}

std::int64_t AlertStore::last_event_seq() const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT coalesce(max(seq), 0) FROM alert_events");
        st.executeStep();
        return st.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading alert events");
    }
}

std::vector<Suppression> AlertStore::suppressions(bool active_only) const {
    try {
        SQLite::Statement st(
            m_db.handle(),
            std::string("SELECT id, rule, mmsi, alert_id, mode, from_ms, until_ms, hits, reason, "
                        "created_by, active FROM alert_suppressions") +
                (active_only ? " WHERE active = 1" : "") + " ORDER BY id DESC LIMIT 1000");
        std::vector<Suppression> out;
        while (st.executeStep()) {
            Suppression s;
            s.id = st.getColumn(0).getInt64();
            s.rule = st.getColumn(1).getString();
            s.mmsi = static_cast<std::uint32_t>(st.getColumn(2).getInt64());
            s.alert_id = st.getColumn(3).getInt64();
            s.mode = st.getColumn(4).getString();
            s.from = from_unix_millis(st.getColumn(5).getInt64());
            if (!st.getColumn(6).isNull()) {
                s.until = from_unix_millis(st.getColumn(6).getInt64());
            }
            s.hits = st.getColumn(7).getInt();
            s.reason = st.getColumn(8).getString();
            s.created_by = st.getColumn(9).getString();
            s.active = st.getColumn(10).getInt() != 0;
            out.push_back(std::move(s));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading suppressions");
    }
}

std::size_t AlertStore::count() const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT count(*) FROM alerts");
        st.executeStep();
        return static_cast<std::size_t>(st.getColumn(0).getInt64());
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: counting alerts");
    }
}

std::vector<Delivery> AlertStore::due_deliveries(std::int64_t now_ms, std::size_t limit) const {
    try {
        SQLite::Statement st(m_db.handle(),
                             "SELECT id, alert_id, agency, attempts, next_attempt_ms, last_error "
                             "FROM alert_outbox WHERE status = 'pending' AND next_attempt_ms <= ? "
                             "ORDER BY next_attempt_ms, id LIMIT ?");
        st.bind(1, now_ms);
        st.bind(2, static_cast<std::int64_t>(std::clamp<std::size_t>(limit, 1, 1000)));
        std::vector<Delivery> out;
        while (st.executeStep()) {
            Delivery d;
            d.id = st.getColumn(0).getInt64();
            d.alert_id = st.getColumn(1).getInt64();
            d.agency = st.getColumn(2).getString();
            d.attempts = st.getColumn(3).getInt();
            d.next_attempt_ms = st.getColumn(4).getInt64();
            d.last_error = st.getColumn(5).getString();
            out.push_back(std::move(d));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading the outbox");
    }
}

std::optional<std::int64_t> AlertStore::next_delivery_ms() const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT min(next_attempt_ms) FROM alert_outbox "
                                            "WHERE status = 'pending'");
        st.executeStep();
        if (st.getColumn(0).isNull()) {
            return std::nullopt;
        }
        return st.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading the outbox");
    }
}

void AlertStore::mark_delivered(std::int64_t delivery_id) {
    try {
        SQLite::Statement st(m_db.handle(), "UPDATE alert_outbox SET status = 'delivered', "
                                            "attempts = attempts + 1, delivered_at = ?, "
                                            "last_error = '' WHERE id = ?");
        st.bind(1, m_clock());
        st.bind(2, delivery_id);
        st.exec();
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: marking a delivery");
    }
}

void AlertStore::mark_failed(std::int64_t delivery_id, const std::string& error,
                             std::int64_t next_attempt_ms) {
    try {
        SQLite::Statement st(m_db.handle(), "UPDATE alert_outbox SET attempts = attempts + 1, "
                                            "last_error = ?, next_attempt_ms = ? WHERE id = ?");
        st.bind(1, error.substr(0, 500));
        st.bind(2, next_attempt_ms);
        st.bind(3, delivery_id);
        st.exec();
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: marking a delivery");
    }
}

std::size_t AlertStore::release_backlog(const std::string& agency, std::int64_t now_ms) {
    try {
        SQLite::Statement st(m_db.handle(),
                             "UPDATE alert_outbox SET next_attempt_ms = ? WHERE agency = ? AND "
                             "status = 'pending' AND next_attempt_ms > ?");
        st.bind(1, now_ms);
        st.bind(2, agency);
        st.bind(3, now_ms);
        return static_cast<std::size_t>(st.exec());
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: releasing a backlog");
    }
}

nlohmann::ordered_json AlertStore::outbox_counts() const {
    try {
        SQLite::Statement st(m_db.handle(), "SELECT agency, status, count(*), max(attempts) FROM "
                                            "alert_outbox GROUP BY agency, status ORDER BY agency");
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        while (st.executeStep()) {
            auto& a = out[st.getColumn(0).getString()];
            if (a.is_null()) {
                a = {{"pending", 0}, {"delivered", 0}};
            }
            a[st.getColumn(1).getString()] = st.getColumn(2).getInt64();
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading the outbox");
    }
}

} // namespace sahil::store

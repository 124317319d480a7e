#include "server/store/alert_store.hpp"

#include <algorithm>
#include <chrono>

#include <SQLiteCpp/SQLiteCpp.h>

#include "registry/registry_error.hpp"

namespace sahil::store {
namespace {

std::string wall_clock_now() {
    return alerts::iso8601(
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

constexpr const char* select_columns =
    "SELECT id, rule, severity, status, mmsi, vessel_name, boat_id, registration_number, "
    "zone_id, zone_name, fix_time, lat_deg, lon_deg, sog_knots, cog_deg, reason, evidence_json, "
    "created_at FROM alerts";

alerts::Alert read_row(SQLite::Statement& st) {
    alerts::Alert a;
    a.id = st.getColumn(0).getInt64();
    a.rule = st.getColumn(1).getString();
    a.severity =
        alerts::parse_severity(st.getColumn(2).getString()).value_or(alerts::Severity::warning);
    a.status = alerts::parse_status(st.getColumn(3).getString()).value_or(alerts::Status::new_);
    a.mmsi = static_cast<std::uint32_t>(st.getColumn(4).getInt64());
    a.vessel_name = st.getColumn(5).isNull() ? std::string() : st.getColumn(5).getString();
    if (!st.getColumn(6).isNull()) {
        a.boat_id = st.getColumn(6).getInt64();
    }
    a.registration_number = st.getColumn(7).isNull() ? std::string() : st.getColumn(7).getString();
    a.zone_id = st.getColumn(8).getString();
    a.zone_name = st.getColumn(9).getString();
    a.fix_time = from_unix_millis(st.getColumn(10).getInt64());
    a.position = geo::Position{st.getColumn(11).getDouble(), st.getColumn(12).getDouble()};
    if (!st.getColumn(13).isNull()) {
        a.sog_knots = st.getColumn(13).getDouble();
    }
    if (!st.getColumn(14).isNull()) {
        a.cog_deg = st.getColumn(14).getDouble();
    }
    a.reason = st.getColumn(15).getString();
    a.evidence = nlohmann::ordered_json::parse(st.getColumn(16).getString(), nullptr, false);
    if (a.evidence.is_discarded()) {
        a.evidence = nlohmann::ordered_json::object();
    }
    a.created_at = st.getColumn(17).getString();
    return a;
}

} // namespace

AlertStore::AlertStore(registry::Database& db, Clock clock)
    : m_db(db), m_clock(clock ? std::move(clock) : Clock(wall_clock_now)) {}

InsertResult AlertStore::insert(const alerts::Alert& a) {
    try {
        SQLite::Database& db = m_db.handle();
        SQLite::Transaction tx(db);
        SQLite::Statement ins(
            db, "INSERT INTO alerts(rule, severity, status, mmsi, vessel_name, boat_id, "
                "registration_number, zone_id, zone_name, fix_time, lat_deg, lon_deg, sog_knots, "
                "cog_deg, reason, evidence_json, created_at) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT(rule, mmsi, zone_id, fix_time) DO NOTHING");
        int i = 1;
        ins.bind(i++, a.rule);
        ins.bind(i++, std::string(alerts::to_string(a.severity)));
        ins.bind(i++, std::string(alerts::to_string(a.status)));
        ins.bind(i++, static_cast<std::int64_t>(a.mmsi));
        ins.bind(i++, a.vessel_name);
        if (a.boat_id) {
            ins.bind(i++, *a.boat_id);
        } else {
            ins.bind(i++);
        }
        if (a.registration_number.empty()) {
            ins.bind(i++);
        } else {
            ins.bind(i++, a.registration_number);
        }
        ins.bind(i++, a.zone_id);
        ins.bind(i++, a.zone_name);
        ins.bind(i++, static_cast<std::int64_t>(unix_millis(a.fix_time)));
        ins.bind(i++, a.position.lat_deg);
        ins.bind(i++, a.position.lon_deg);
        if (a.sog_knots) {
            ins.bind(i++, *a.sog_knots);
        } else {
            ins.bind(i++);
        }
        if (a.cog_deg) {
            ins.bind(i++, *a.cog_deg);
        } else {
            ins.bind(i++);
        }
        ins.bind(i++, a.reason);
        ins.bind(i++, a.evidence.dump());
        ins.bind(i++, m_clock());
        InsertResult r;
        if (ins.exec() == 1) {
            r.id = db.getLastInsertRowid();
            r.created = true;
        } else {
            SQLite::Statement q(db, "SELECT id FROM alerts WHERE rule=? AND mmsi=? AND zone_id=? "
                                    "AND fix_time=?");
            q.bind(1, a.rule);
            q.bind(2, static_cast<std::int64_t>(a.mmsi));
            q.bind(3, a.zone_id);
            q.bind(4, static_cast<std::int64_t>(unix_millis(a.fix_time)));
            if (q.executeStep()) {
                r.id = q.getColumn(0).getInt64();
            }
        }
        tx.commit();
        return r;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: storing alert");
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
        if (q.mmsi) {
            sql += " AND mmsi = :mmsi";
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
        if (q.mmsi) {
            st.bind(":mmsi", static_cast<std::int64_t>(*q.mmsi));
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
        SQLite::Statement st(m_db.handle(), std::string(select_columns) + " WHERE id = ?");
        st.bind(1, id);
        if (st.executeStep()) {
            return read_row(st);
        }
        return std::nullopt;
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "alert store: reading alert");
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

} // namespace sahil::store

#include "registry/vessel_registry.hpp"

// VesselRegistry: licences, transponders, closed seasons, patrol units.

#include <algorithm>
#include <set>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "registry/crypto.hpp"
#include "registry/detail/vessel_registry_common.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {

// ---- licences ---------------------------------------------------------------------------------

Outcome<std::int64_t> VesselRegistry::issue_licence(const Actor& actor, const Licence& input,
                                                    const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        if (!Impl::load_vessel(m_db, input.vessel_id)) {
            return Outcome<std::int64_t>::failure(
                ErrorCode::not_found, "vessel_id",
                fmt::format("there is no vessel {}", input.vessel_id));
        }
        const auto errors = validate_licence(input, authority_codes());
        if (!errors.empty()) {
            return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, errors);
        }
        Licence l = input;
        l.status = "active";
        l.status_reason.clear();
        l.renewed_from.reset();
        if (auto taken = Impl::licence_number_taken(m_db, l)) {
            return Outcome<std::int64_t>::failure(ErrorCode::duplicate, "licence_no", *taken);
        }
        Impl::insert_licence_row(m_db, l, now_text());
        m_audit.append(actor, {.action = "licence.issue",
                               .entity = "licence",
                               .entity_id = std::to_string(l.id),
                               .after_json = ordered_json(l).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<std::int64_t>::success(l.id);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: issuing a licence");
    }
}

Outcome<std::int64_t> VesselRegistry::renew_licence(const Actor& actor, std::int64_t id,
                                                    const std::string& new_valid_to,
                                                    const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        const auto old = Impl::load_licence(m_db, id);
        if (!old) {
            return Outcome<std::int64_t>::failure(ErrorCode::not_found, "id",
                                                  fmt::format("there is no licence {}", id));
        }
        if (old->status == "revoked") {
            return Outcome<std::int64_t>::failure(ErrorCode::wrong_state, "id",
                                                  "a revoked licence cannot be renewed; issue a "
                                                  "new licence if the authority allows it");
        }
        if (old->status == "suspended") {
            return Outcome<std::int64_t>::failure(ErrorCode::wrong_state, "id",
                                                  "the licence is suspended; a supervisor must "
                                                  "reinstate it before it can be renewed");
        }
        if (old->status == "superseded") {
            return Outcome<std::int64_t>::failure(ErrorCode::wrong_state, "id",
                                                  "this licence was already renewed; renew the "
                                                  "newer licence");
        }
        std::vector<FieldError> errors;
        check_date_field(errors, "", "valid_to", new_valid_to, true);
        if (errors.empty() && new_valid_to <= old->valid_to) {
            errors.push_back({"valid_to", fmt::format("must be after the current end date ({})",
                                                      old->valid_to)});
        }
        if (!errors.empty()) {
            return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, errors);
        }
        const std::string day = today();
        Licence renewed = *old;
        renewed.id = 0;
        renewed.valid_from = std::max(date_plus(old->valid_to, 1), day);
        renewed.valid_to = new_valid_to;
        renewed.status = "active";
        renewed.status_reason.clear();
        renewed.renewed_from = old->id;
        if (renewed.valid_to < renewed.valid_from) {
            return Outcome<std::int64_t>::failure(
                ErrorCode::validation_failed, "valid_to",
                fmt::format("must not be before {} (the renewal starts then)", renewed.valid_from));
        }
        SQLite::Statement sup(m_db.handle(),
                              "UPDATE licences SET status = 'superseded', status_reason = ?, "
                              "updated_at = ? WHERE id = ?");
        const std::string now = now_text();
        sup.bind(1, "renewed");
        sup.bind(2, now);
        sup.bind(3, id);
        sup.exec();
        Impl::insert_licence_row(m_db, renewed, now);
        m_audit.append(actor, {.action = "licence.renew",
                               .entity = "licence",
                               .entity_id = std::to_string(renewed.id),
                               .before_json = ordered_json(*old).dump(),
                               .after_json = ordered_json(renewed).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<std::int64_t>::success(renewed.id);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: renewing a licence");
    }
}

Outcome<Done> VesselRegistry::set_licence_status(const Actor& actor, std::int64_t id,
                                                 const std::string& status,
                                                 const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        const auto before = Impl::load_licence(m_db, id);
        if (!before) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no licence {}", id));
        }
        std::string action;
        bool allowed = false;
        if (status == "suspended") {
            action = "licence.suspend";
            allowed = before->status == "active";
        } else if (status == "active") {
            action = "licence.reinstate";
            allowed = before->status == "suspended";
        } else if (status == "revoked") {
            action = "licence.revoke";
            allowed = before->status == "active" || before->status == "suspended";
        } else {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "status",
                                          "must be suspended, active (reinstate) or revoked");
        }
        if (!allowed) {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "status",
                fmt::format("licence {} is {}; it cannot become {}", id, before->status, status));
        }
        if (reason.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "reason",
                                          "say why (the order or notice number, the finding)");
        }
        SQLite::Statement u(m_db.handle(),
                            "UPDATE licences SET status = ?, status_reason = ?, updated_at = ? "
                            "WHERE id = ?");
        u.bind(1, status);
        u.bind(2, reason);
        u.bind(3, now_text());
        u.bind(4, id);
        u.exec();
        Licence after = *before;
        after.status = status;
        after.status_reason = reason;
        m_audit.append(actor, {.action = action,
                               .entity = "licence",
                               .entity_id = std::to_string(id),
                               .before_json = ordered_json(*before).dump(),
                               .after_json = ordered_json(after).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: changing a licence's status");
    }
}

std::vector<ExpiringLicence> VesselRegistry::expiring_licences(const std::string& harbour,
                                                               std::chrono::sys_days on,
                                                               int days) const {
    try {
        const std::string from = format_iso_date(std::chrono::year_month_day{on});
        const std::string to =
            format_iso_date(std::chrono::year_month_day{on + std::chrono::days{days}});
        SQLite::Statement q(
            m_db.handle(),
            fmt::format("SELECT {}, b.name, b.registration_number, b.home_harbour FROM "
                        "licences l JOIN boats b ON b.id = l.vessel_id WHERE l.status = 'active' "
                        "AND l.valid_to BETWEEN ? AND ? AND (? = '' OR b.home_harbour = ?) "
                        "ORDER BY l.valid_to, l.id",
                        [] {
                            std::string cols;
                            for (std::string_view c :
                                 {"id", "vessel_id", "authority", "licence_no", "kind", "gear",
                                  "zones", "valid_from", "valid_to", "night_fishing",
                                  "foreign_waters", "status", "status_reason", "renewed_from"}) {
                                cols += cols.empty() ? "" : ", ";
                                cols += "l.";
                                cols += c;
                            }
                            return cols;
                        }()));
        q.bind(1, from);
        q.bind(2, to);
        q.bind(3, harbour);
        q.bind(4, harbour);
        std::vector<ExpiringLicence> out;
        while (q.executeStep()) {
            ExpiringLicence e;
            e.licence = read_licence(q);
            e.vessel_name = q.getColumn(14).getString();
            e.registration_number = q.getColumn(15).getString();
            e.home_harbour = q.getColumn(16).getString();
            e.days_left = static_cast<int>(
                (std::chrono::sys_days{*parse_iso_date(e.licence.valid_to)} - on).count());
            out.push_back(std::move(e));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing expiring licences");
    }
}

// ---- transponders, seasons, patrol units ------------------------------------------------------

Outcome<std::int64_t> VesselRegistry::insert_transponder(const Actor& actor, const Transponder& in,
                                                         std::string_view prefix) {
    Transponder t = in;
    if (t.installed_on.empty()) {
        t.installed_on = today();
    }
    t.removed_on.clear();
    std::vector<FieldError> e;
    if (!one_of(transponder_kinds, t.kind)) {
        e.push_back({prefixed(prefix, "kind"),
                     fmt::format("must be one of {}", list_of(transponder_kinds))});
    }
    if (t.mmsi) {
        if (auto why = check_mmsi(*t.mmsi)) {
            e.push_back({prefixed(prefix, "mmsi"), *why});
        }
    }
    check_date_field(e, prefix, "installed_on", t.installed_on, true);
    check_text_field(e, prefix, "serial", t.serial, 64, false);
    check_text_field(e, prefix, "provider", t.provider, 64, false);
    if (!e.empty()) {
        return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, e);
    }
    SQLite::Statement s(m_db.handle(),
                        "INSERT INTO transponders(vessel_id, kind, mmsi, serial, provider, "
                        "installed_on, created_at) VALUES(?,?,?,?,?,?,?)");
    s.bind(1, t.vessel_id);
    s.bind(2, t.kind);
    bind_opt(s, 3, t.mmsi);
    bind_text_or_null(s, 4, t.serial);
    bind_text_or_null(s, 5, t.provider);
    s.bind(6, t.installed_on);
    s.bind(7, now_text());
    s.exec();
    t.id = m_db.handle().getLastInsertRowid();
    m_audit.append(actor, {.action = "transponder.install",
                           .entity = "transponder",
                           .entity_id = std::to_string(t.id),
                           .after_json = ordered_json(t).dump()});
    return Outcome<std::int64_t>::success(t.id);
}

Outcome<std::int64_t> VesselRegistry::add_transponder(const Actor& actor, const Transponder& in) {
    try {
        WriteTransaction tx(m_db);
        if (!Impl::load_vessel(m_db, in.vessel_id)) {
            return Outcome<std::int64_t>::failure(
                ErrorCode::not_found, "vessel_id",
                fmt::format("there is no vessel {}", in.vessel_id));
        }
        auto out = insert_transponder(actor, in, "");
        if (out.ok()) {
            tx.commit();
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: adding a transponder");
    }
}

Outcome<Done> VesselRegistry::remove_transponder(const Actor& actor, std::int64_t id,
                                                 const std::string& removed_on,
                                                 const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM transponders WHERE id = ?",
                                                       transponder_columns));
        q.bind(1, id);
        if (!q.executeStep()) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no transponder {}", id));
        }
        const Transponder before = read_transponder(q);
        if (!before.removed_on.empty()) {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "id",
                fmt::format("transponder {} was removed on {}", id, before.removed_on));
        }
        const std::string day = removed_on.empty() ? today() : removed_on;
        std::vector<FieldError> e;
        check_date_field(e, "", "removed_on", day, true);
        if (e.empty() && day < before.installed_on) {
            e.push_back({"removed_on",
                         fmt::format("must not be before installed_on ({})", before.installed_on)});
        }
        if (reason.empty()) {
            e.push_back({"reason", "say why the transponder was removed"});
        }
        if (!e.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, e);
        }
        SQLite::Statement u(m_db.handle(), "UPDATE transponders SET removed_on = ? WHERE id = ?");
        u.bind(1, day);
        u.bind(2, id);
        u.exec();
        Transponder after = before;
        after.removed_on = day;
        m_audit.append(actor, {.action = "transponder.remove",
                               .entity = "transponder",
                               .entity_id = std::to_string(id),
                               .before_json = ordered_json(before).dump(),
                               .after_json = ordered_json(after).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: removing a transponder");
    }
}

Outcome<std::int64_t> VesselRegistry::add_closed_season(const Actor& actor,
                                                        const ClosedSeason& season) {
    try {
        WriteTransaction tx(m_db);
        std::vector<FieldError> e;
        const auto authorities = authority_codes();
        if (std::find(authorities.begin(), authorities.end(), season.authority) ==
            authorities.end()) {
            e.push_back({"authority", fmt::format("unknown authority '{}'", season.authority)});
        }
        check_text_field(e, "", "name", season.name, 128, true);
        check_date_field(e, "", "starts_on", season.starts_on, true);
        check_date_field(e, "", "ends_on", season.ends_on, true);
        if (valid_date(season.starts_on) && valid_date(season.ends_on) &&
            season.ends_on < season.starts_on) {
            e.push_back({"ends_on", "must not be before starts_on"});
        }
        for (std::size_t i = 0; i < season.gear.size(); ++i) {
            if (!code_like(season.gear[i])) {
                e.push_back({fmt::format("gear[{}]", i), "gear codes are lower-case letters, "
                                                         "digits, '_' or '-'"});
            }
        }
        check_text_field(e, "", "notification_ref", season.notification_ref, 128, false);
        if (!e.empty()) {
            return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, e);
        }
        SQLite::Statement s(m_db.handle(),
                            "INSERT INTO closed_seasons(authority, name, starts_on, ends_on, "
                            "zones, gear, notification_ref, created_at) VALUES(?,?,?,?,?,?,?,?)");
        s.bind(1, season.authority);
        s.bind(2, season.name);
        s.bind(3, season.starts_on);
        s.bind(4, season.ends_on);
        s.bind(5, json_array_text(season.zones));
        s.bind(6, json_array_text(season.gear));
        bind_text_or_null(s, 7, season.notification_ref);
        s.bind(8, now_text());
        s.exec();
        ClosedSeason stored = season;
        stored.id = m_db.handle().getLastInsertRowid();
        m_audit.append(actor, {.action = "closed_season.add",
                               .entity = "closed_season",
                               .entity_id = std::to_string(stored.id),
                               .after_json = ordered_json(stored).dump()});
        tx.commit();
        return Outcome<std::int64_t>::success(stored.id);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: adding a closed season");
    }
}

std::vector<ClosedSeason> VesselRegistry::closed_seasons() const {
    try {
        SQLite::Statement q(m_db.handle(),
                            "SELECT id, authority, name, starts_on, ends_on, zones, gear, "
                            "notification_ref FROM closed_seasons ORDER BY starts_on, id");
        std::vector<ClosedSeason> out;
        while (q.executeStep()) {
            out.push_back(ClosedSeason{
                q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
                q.getColumn(3).getString(), q.getColumn(4).getString(),
                parse_json_array(q.getColumn(5).getString()),
                parse_json_array(q.getColumn(6).getString()), q.getColumn(7).getString()});
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing closed seasons");
    }
}

Outcome<std::int64_t> VesselRegistry::add_patrol_unit(const Actor& actor, const PatrolUnit& unit) {
    try {
        WriteTransaction tx(m_db);
        std::vector<FieldError> e;
        if (unit.unit_id.empty() || unit.unit_id.size() > 32 ||
            !std::all_of(unit.unit_id.begin(), unit.unit_id.end(), [](char c) {
                return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '/' || c == '_';
            })) {
            e.push_back({"unit_id", "required: 1 to 32 letters, digits, '-', '/' or '_', e.g. "
                                    "MSA-P-112"});
        }
        if (!one_of(agencies, unit.agency)) {
            e.push_back({"agency", fmt::format("must be one of {}", list_of(agencies))});
        }
        check_text_field(e, "", "name", unit.name, 64, true);
        if (unit.mmsi) {
            if (auto why = check_mmsi(*unit.mmsi)) {
                e.push_back({"mmsi", *why});
            }
        }
        check_text_field(e, "", "call_sign", unit.call_sign, 7, false);
        check_text_field(e, "", "home_base", unit.home_base, 64, false);
        if (!e.empty()) {
            return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, e);
        }
        SQLite::Statement dup(m_db.handle(),
                              "SELECT unit_id FROM patrol_units WHERE unit_id = ? COLLATE NOCASE "
                              "OR (mmsi IS NOT NULL AND mmsi = ?)");
        dup.bind(1, unit.unit_id);
        bind_opt(dup, 2, unit.mmsi);
        if (dup.executeStep()) {
            return Outcome<std::int64_t>::failure(
                ErrorCode::duplicate, "unit_id",
                fmt::format("unit {} already has this unit id or MMSI",
                            dup.getColumn(0).getString()));
        }
        const std::string now = now_text();
        SQLite::Statement s(m_db.handle(),
                            "INSERT INTO patrol_units(unit_id, agency, name, mmsi, call_sign, "
                            "home_base, active, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)");
        s.bind(1, unit.unit_id);
        s.bind(2, unit.agency);
        s.bind(3, unit.name);
        bind_opt(s, 4, unit.mmsi);
        bind_text_or_null(s, 5, unit.call_sign);
        bind_text_or_null(s, 6, unit.home_base);
        s.bind(7, unit.active ? 1 : 0);
        s.bind(8, now);
        s.bind(9, now);
        s.exec();
        PatrolUnit stored = unit;
        stored.id = m_db.handle().getLastInsertRowid();
        m_audit.append(actor, {.action = "patrol_unit.add",
                               .entity = "patrol_unit",
                               .entity_id = std::to_string(stored.id),
                               .after_json = ordered_json(stored).dump()});
        tx.commit();
        return Outcome<std::int64_t>::success(stored.id);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: adding a patrol unit");
    }
}

std::vector<PatrolUnit> VesselRegistry::patrol_units() const {
    try {
        SQLite::Statement q(m_db.handle(),
                            "SELECT id, unit_id, agency, name, mmsi, call_sign, home_base, active "
                            "FROM patrol_units ORDER BY unit_id");
        std::vector<PatrolUnit> out;
        while (q.executeStep()) {
            out.push_back(PatrolUnit{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                     q.getColumn(2).getString(), q.getColumn(3).getString(),
                                     opt_mmsi(q.getColumn(4)), q.getColumn(5).getString(),
                                     q.getColumn(6).getString(), q.getColumn(7).getInt() != 0});
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing patrol units");
    }
}

} // namespace sahil::registry

#include "registry/vessel_registry.hpp"

// VesselRegistry: identifiers (effective-dated) and identity conflicts.

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

// ---- identifiers ------------------------------------------------------------------------------

Outcome<RegisterResult> VesselRegistry::add_identifier(const Actor& actor, std::int64_t vessel_id,
                                                       const Identifier& id,
                                                       const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        if (!Impl::load_vessel(m_db, vessel_id)) {
            return Outcome<RegisterResult>::failure(
                ErrorCode::not_found, "vessel_id", fmt::format("there is no vessel {}", vessel_id));
        }
        const auto authorities = authority_codes();
        const std::string day = today();
        const std::string now = now_text();
        IdentifierAdder adder{m_db, m_rules, authorities, day, now, actor};
        std::vector<FieldError> errors;
        RegisterResult result;
        result.vessel_id = vessel_id;
        Identifier stored;
        const ErrorCode code = adder.add(vessel_id, id, "", errors, result, stored);
        if (code != ErrorCode::none) {
            return Outcome<RegisterResult>::failure(code, errors);
        }
        m_audit.append(actor, {.action = stored.id != 0 ? "identifier.add" : "conflict.open",
                               .entity = stored.id != 0 ? "identifier" : "identity_conflict",
                               .entity_id = std::to_string(
                                   stored.id != 0 ? stored.id : result.conflicts_opened.back()),
                               .after_json = ordered_json(stored).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<RegisterResult>::success(std::move(result));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: adding an identifier");
    }
}

Outcome<Done> VesselRegistry::end_identifier(const Actor& actor, std::int64_t identifier_id,
                                             const std::string& valid_to,
                                             const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM identifiers WHERE id = ?",
                                                       identifier_columns));
        q.bind(1, identifier_id);
        if (!q.executeStep()) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no identifier {}", identifier_id));
        }
        const Identifier before = read_identifier(q);
        if (!before.valid_to.empty()) {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "id",
                fmt::format("identifier {} already ended on {}", identifier_id, before.valid_to));
        }
        const std::string end = valid_to.empty() ? today() : valid_to;
        std::vector<FieldError> errors;
        check_date_field(errors, "", "valid_to", end, true);
        if (errors.empty() && end < before.valid_from) {
            errors.push_back(
                {"valid_to", fmt::format("must not be before valid_from ({})", before.valid_from)});
        }
        if (reason.empty()) {
            errors.push_back({"reason", "say why the identifier ends"});
        }
        if (!errors.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, errors);
        }
        SQLite::Statement u(m_db.handle(), "UPDATE identifiers SET valid_to = ? WHERE id = ?");
        u.bind(1, end);
        u.bind(2, identifier_id);
        u.exec();
        Identifier after = before;
        after.valid_to = end;
        m_audit.append(actor, {.action = "identifier.end",
                               .entity = "identifier",
                               .entity_id = std::to_string(identifier_id),
                               .before_json = ordered_json(before).dump(),
                               .after_json = ordered_json(after).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: ending an identifier");
    }
}

std::vector<IdentityConflict> VesselRegistry::conflicts(bool open_only) const {
    try {
        SQLite::Statement q(
            m_db.handle(), fmt::format("SELECT {} FROM identity_conflicts {} ORDER BY id",
                                       conflict_columns, open_only ? "WHERE status = 'open'" : ""));
        std::vector<IdentityConflict> out;
        while (q.executeStep()) {
            out.push_back(read_conflict(q));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing identity conflicts");
    }
}

Outcome<Done> VesselRegistry::resolve_conflict(const Actor& actor, std::int64_t id,
                                               const std::string& resolution,
                                               const std::string& note) {
    try {
        WriteTransaction tx(m_db);
        SQLite::Statement q(
            m_db.handle(),
            fmt::format("SELECT {} FROM identity_conflicts WHERE id = ?", conflict_columns));
        q.bind(1, id);
        if (!q.executeStep()) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no identity conflict {}", id));
        }
        const IdentityConflict before = read_conflict(q);
        if (before.status != "open") {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "id",
                fmt::format("conflict {} was already resolved ({})", id, before.resolution));
        }
        if (resolution != "kept_holder" && resolution != "moved_to_claimant") {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "resolution",
                                          "must be kept_holder or moved_to_claimant");
        }
        if (note.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "note",
                                          "say how the conflict was checked");
        }
        const std::string day = today();
        if (resolution == "moved_to_claimant") {
            SQLite::Statement end(m_db.handle(),
                                  "UPDATE identifiers SET valid_to = max(valid_from, ?) WHERE "
                                  "scheme = ? AND value = ? COLLATE NOCASE AND valid_to IS NULL");
            end.bind(1, day);
            end.bind(2, before.scheme);
            end.bind(3, before.value);
            end.exec();
            SQLite::Statement end_claimant(m_db.handle(),
                                           "UPDATE identifiers SET valid_to = max(valid_from, ?) "
                                           "WHERE vessel_id = ? AND scheme = ? AND valid_to IS "
                                           "NULL");
            end_claimant.bind(1, day);
            end_claimant.bind(2, before.claimant_vessel_id);
            end_claimant.bind(3, before.scheme);
            end_claimant.exec();
            SQLite::Statement ins(m_db.handle(),
                                  "INSERT INTO identifiers(vessel_id, scheme, value, authority, "
                                  "valid_from, created_at) VALUES(?,?,?,?,?,?)");
            ins.bind(1, before.claimant_vessel_id);
            ins.bind(2, before.scheme);
            ins.bind(3, before.value);
            ins.bind(4, before.authority);
            ins.bind(5, day);
            ins.bind(6, now_text());
            ins.exec();
        }
        SQLite::Statement u(m_db.handle(),
                            "UPDATE identity_conflicts SET status = 'resolved', resolution = ?, "
                            "resolved_at = ?, resolved_by = ?, resolution_note = ? WHERE id = ?");
        u.bind(1, resolution);
        u.bind(2, now_text());
        u.bind(3, actor.user);
        u.bind(4, note);
        u.bind(5, id);
        u.exec();
        IdentityConflict after = before;
        after.status = "resolved";
        after.resolution = resolution;
        after.resolved_by = actor.user;
        after.resolution_note = note;
        m_audit.append(actor, {.action = "conflict.resolve",
                               .entity = "identity_conflict",
                               .entity_id = std::to_string(id),
                               .before_json = ordered_json(before).dump(),
                               .after_json = ordered_json(after).dump(),
                               .reason = note});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: resolving an identity conflict");
    }
}

} // namespace sahil::registry

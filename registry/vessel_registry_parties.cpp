#include "registry/vessel_registry.hpp"

// VesselRegistry: parties (encrypted CNIC/phone), ownership transfers, operator/skipper roles.

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

// ---- parties ----------------------------------------------------------------------------------

Outcome<std::int64_t> VesselRegistry::insert_party(const Actor& actor, const Party& party,
                                                   std::string_view prefix,
                                                   const std::string& reason) {
    const PartyCheck c = check_party(party, prefix);
    if (!c.errors.empty()) {
        return Outcome<std::int64_t>::failure(ErrorCode::validation_failed, c.errors);
    }
    if ((c.cnic || c.phone) && (m_cipher == nullptr || m_index == nullptr)) {
        return Outcome<std::int64_t>::failure(
            ErrorCode::pii_unavailable, prefixed(prefix, c.cnic ? "cnic" : "phone"),
            "personal data cannot be stored: no encryption key is configured "
            "([registry] pii_key_file)");
    }
    std::optional<std::string> cnic_index;
    if (c.cnic) {
        cnic_index = m_index->compute(*c.cnic, "parties.cnic");
        SQLite::Statement dup(m_db.handle(), "SELECT id, name FROM parties WHERE cnic_index = ?");
        dup.bind(1, *cnic_index);
        if (dup.executeStep()) {
            return Outcome<std::int64_t>::failure(
                ErrorCode::duplicate, prefixed(prefix, "cnic"),
                fmt::format("this CNIC is already on file as party {} ({}); use party_id {}",
                            dup.getColumn(0).getInt64(), dup.getColumn(1).getString(),
                            dup.getColumn(0).getInt64()));
        }
    }
    const std::string now = now_text();
    SQLite::Statement s(m_db.handle(),
                        "INSERT INTO parties(kind, name, name_norm, father_or_husband_name, "
                        "cnic_enc, cnic_index, phone_enc, phone_index, address, district, "
                        "province, company_reg_no, created_at, updated_at) "
                        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    s.bind(1, party.kind);
    s.bind(2, party.name);
    s.bind(3, normalise_vessel_name(party.name));
    bind_text_or_null(s, 4, party.father_or_husband_name);
    if (c.cnic) {
        s.bind(5, m_cipher->encrypt(*c.cnic, "parties.cnic"));
        s.bind(6, *cnic_index);
    }
    if (c.phone) {
        s.bind(7, m_cipher->encrypt(*c.phone, "parties.phone"));
        s.bind(8, m_index->compute(*c.phone, "parties.phone"));
    }
    bind_text_or_null(s, 9, party.address);
    bind_text_or_null(s, 10, party.district);
    bind_text_or_null(s, 11, party.province);
    bind_text_or_null(s, 12, party.company_reg_no);
    s.bind(13, now);
    s.bind(14, now);
    s.exec();
    Party stored = party;
    stored.id = m_db.handle().getLastInsertRowid();
    stored.cnic = c.cnic;
    stored.phone = c.phone;
    m_audit.append(actor, {.action = "party.create",
                           .entity = "party",
                           .entity_id = std::to_string(stored.id),
                           .after_json = party_audit_json(stored).dump(),
                           .reason = reason});
    return Outcome<std::int64_t>::success(stored.id);
}

Outcome<std::int64_t> VesselRegistry::create_party(const Actor& actor, const Party& party) {
    try {
        WriteTransaction tx(m_db);
        auto out = insert_party(actor, party, "", "");
        if (out.ok()) {
            tx.commit();
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: creating a party");
    }
}

std::optional<Party> VesselRegistry::party(std::int64_t id, bool with_pii) const {
    try {
        SQLite::Statement q(
            m_db.handle(), "SELECT id, kind, name, father_or_husband_name, cnic_enc, phone_enc, "
                           "address, district, province, company_reg_no FROM parties WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        Party p;
        p.id = q.getColumn(0).getInt64();
        p.kind = q.getColumn(1).getString();
        p.name = q.getColumn(2).getString();
        p.father_or_husband_name = q.getColumn(3).getString();
        if (with_pii && m_cipher != nullptr) {
            if (!q.getColumn(4).isNull()) {
                p.cnic = m_cipher->decrypt(q.getColumn(4).getString(), "parties.cnic");
            }
            if (!q.getColumn(5).isNull()) {
                p.phone = m_cipher->decrypt(q.getColumn(5).getString(), "parties.phone");
            }
        }
        p.address = q.getColumn(6).getString();
        p.district = q.getColumn(7).getString();
        p.province = q.getColumn(8).getString();
        p.company_reg_no = q.getColumn(9).getString();
        return p;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: reading a party");
    }
}

Outcome<Done> VesselRegistry::update_party(const Actor& actor, std::int64_t id,
                                           const Party& changes, const std::string& reason) {
    try {
        if (reason.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "reason",
                                          "say why the owner's details are being changed");
        }
        WriteTransaction tx(m_db);
        const auto before = party(id, m_cipher != nullptr);
        if (!before) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no party {}", id));
        }
        const PartyCheck c = check_party(changes, "");
        if (!c.errors.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, c.errors);
        }
        if ((c.cnic || c.phone) && (m_cipher == nullptr || m_index == nullptr)) {
            return Outcome<Done>::failure(ErrorCode::pii_unavailable, c.cnic ? "cnic" : "phone",
                                          "personal data cannot be stored: no encryption key "
                                          "is configured ([registry] pii_key_file)");
        }
        std::optional<std::string> cnic_index;
        if (c.cnic) {
            cnic_index = m_index->compute(*c.cnic, "parties.cnic");
            SQLite::Statement dup(m_db.handle(),
                                  "SELECT id FROM parties WHERE cnic_index = ? AND id <> ?");
            dup.bind(1, *cnic_index);
            dup.bind(2, id);
            if (dup.executeStep()) {
                return Outcome<Done>::failure(
                    ErrorCode::duplicate, "cnic",
                    fmt::format("this CNIC is already on file as party {}",
                                dup.getColumn(0).getInt64()));
            }
        }
        SQLite::Statement s(m_db.handle(),
                            "UPDATE parties SET kind=?, name=?, name_norm=?, "
                            "father_or_husband_name=?, cnic_enc=?, cnic_index=?, phone_enc=?, "
                            "phone_index=?, address=?, district=?, province=?, company_reg_no=?, "
                            "updated_at=? WHERE id=?");
        s.bind(1, changes.kind);
        s.bind(2, changes.name);
        s.bind(3, normalise_vessel_name(changes.name));
        bind_text_or_null(s, 4, changes.father_or_husband_name);
        if (c.cnic) {
            s.bind(5, m_cipher->encrypt(*c.cnic, "parties.cnic"));
            s.bind(6, *cnic_index);
        } else {
            s.bind(5);
            s.bind(6);
        }
        if (c.phone) {
            s.bind(7, m_cipher->encrypt(*c.phone, "parties.phone"));
            s.bind(8, m_index->compute(*c.phone, "parties.phone"));
        } else {
            s.bind(7);
            s.bind(8);
        }
        bind_text_or_null(s, 9, changes.address);
        bind_text_or_null(s, 10, changes.district);
        bind_text_or_null(s, 11, changes.province);
        bind_text_or_null(s, 12, changes.company_reg_no);
        s.bind(13, now_text());
        s.bind(14, id);
        s.exec();
        Party after = changes;
        after.id = id;
        after.cnic = c.cnic;
        after.phone = c.phone;
        m_audit.append(actor, {.action = "party.update",
                               .entity = "party",
                               .entity_id = std::to_string(id),
                               .before_json = party_audit_json(*before).dump(),
                               .after_json = party_audit_json(after).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: updating a party");
    }
}

// ---- ownership --------------------------------------------------------------------------------

Outcome<Done> VesselRegistry::transfer_ownership(const Actor& actor, std::int64_t vessel_id,
                                                 const std::vector<OwnerInput>& owners,
                                                 const std::string& date,
                                                 const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        if (!Impl::load_vessel(m_db, vessel_id)) {
            return Outcome<Done>::failure(ErrorCode::not_found, "vessel_id",
                                          fmt::format("there is no vessel {}", vessel_id));
        }
        const std::string day = date.empty() ? today() : date;
        std::vector<FieldError> errors;
        check_date_field(errors, "", "date", day, true);
        if (reason.empty()) {
            errors.push_back({"reason", "say why ownership changes (sale, inheritance ...)"});
        }
        if (owners.empty()) {
            errors.push_back({"owners", "at least one new owner is required"});
        }
        double shares = 0;
        std::set<std::int64_t> seen;
        for (std::size_t i = 0; i < owners.size(); ++i) {
            const std::string p = fmt::format("owners[{}]", i);
            if (!owners[i].party_id || owners[i].party) {
                errors.push_back({p + ".party_id", "give the party_id of an owner on file "
                                                   "(create the party first)"});
                continue;
            }
            if (!Impl::party_exists(m_db, *owners[i].party_id)) {
                errors.push_back(
                    {p + ".party_id", fmt::format("there is no party {}", *owners[i].party_id)});
            } else if (!seen.insert(*owners[i].party_id).second) {
                errors.push_back({p + ".party_id", "the same owner is listed twice"});
            }
            if (!std::isfinite(owners[i].share_pct) || owners[i].share_pct <= 0 ||
                owners[i].share_pct > 100) {
                errors.push_back({p + ".share_pct", "must be more than 0 and at most 100"});
            } else {
                shares += owners[i].share_pct;
            }
        }
        if (errors.empty() && std::abs(shares - 100.0) > 0.01) {
            errors.push_back({"owners", fmt::format("owners' shares must add up to 100 % (they "
                                                    "add up to {:g} %)",
                                                    shares)});
        }
        if (!errors.empty()) {
            return Outcome<Done>::failure(ErrorCode::validation_failed, errors);
        }
        ordered_json before = ordered_json::array();
        {
            SQLite::Statement q(m_db.handle(),
                                "SELECT party_id, share_pct, valid_from FROM vessel_parties WHERE "
                                "vessel_id = ? AND role = 'owner' AND valid_to IS NULL");
            q.bind(1, vessel_id);
            while (q.executeStep()) {
                if (q.getColumn(2).getString() > day) {
                    return Outcome<Done>::failure(
                        ErrorCode::validation_failed, "date",
                        fmt::format("must not be before the current owners' start ({})",
                                    q.getColumn(2).getString()));
                }
                before.push_back({{"party_id", q.getColumn(0).getInt64()},
                                  {"share_pct", q.getColumn(1).getDouble()}});
            }
        }
        SQLite::Statement end(m_db.handle(),
                              "UPDATE vessel_parties SET valid_to = ? WHERE vessel_id = ? AND "
                              "role = 'owner' AND valid_to IS NULL");
        end.bind(1, day);
        end.bind(2, vessel_id);
        end.exec();
        ordered_json after = ordered_json::array();
        for (const OwnerInput& o : owners) {
            SQLite::Statement r(m_db.handle(),
                                "INSERT INTO vessel_parties(vessel_id, party_id, role, share_pct, "
                                "valid_from) VALUES(?,?,'owner',?,?)");
            r.bind(1, vessel_id);
            r.bind(2, *o.party_id);
            r.bind(3, o.share_pct);
            r.bind(4, day);
            r.exec();
            after.push_back({{"party_id", *o.party_id}, {"share_pct", o.share_pct}});
        }
        m_audit.append(actor, {.action = "vessel.transfer",
                               .entity = "vessel",
                               .entity_id = std::to_string(vessel_id),
                               .before_json = before.dump(),
                               .after_json = after.dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: transferring ownership");
    }
}

Outcome<Done> VesselRegistry::set_party_role(const Actor& actor, std::int64_t vessel_id,
                                             const std::string& role, std::int64_t party_id,
                                             const std::string& reason) {
    try {
        if (role != "operator" && role != "skipper" && role != "agent") {
            return Outcome<Done>::failure(ErrorCode::validation_failed, "role",
                                          "must be operator, skipper or agent");
        }
        WriteTransaction tx(m_db);
        if (!Impl::load_vessel(m_db, vessel_id)) {
            return Outcome<Done>::failure(ErrorCode::not_found, "vessel_id",
                                          fmt::format("there is no vessel {}", vessel_id));
        }
        if (!Impl::party_exists(m_db, party_id)) {
            return Outcome<Done>::failure(ErrorCode::not_found, "party_id",
                                          fmt::format("there is no party {}", party_id));
        }
        const std::string day = today();
        SQLite::Statement end(m_db.handle(),
                              "UPDATE vessel_parties SET valid_to = max(valid_from, ?) WHERE "
                              "vessel_id = ? AND role = ? AND valid_to IS NULL");
        end.bind(1, day);
        end.bind(2, vessel_id);
        end.bind(3, role);
        end.exec();
        SQLite::Statement r(m_db.handle(),
                            "INSERT INTO vessel_parties(vessel_id, party_id, role, valid_from) "
                            "VALUES(?,?,?,?)");
        r.bind(1, vessel_id);
        r.bind(2, party_id);
        r.bind(3, role);
        r.bind(4, day);
        r.exec();
        m_audit.append(actor,
                       {.action = "vessel.set_" + role,
                        .entity = "vessel",
                        .entity_id = std::to_string(vessel_id),
                        .after_json = ordered_json{{"role", role}, {"party_id", party_id}}.dump(),
                        .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: setting a vessel role");
    }
}

} // namespace sahil::registry

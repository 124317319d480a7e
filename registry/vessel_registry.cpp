#include "registry/vessel_registry.hpp"

// VesselRegistry: construction, vessel validation, registration, corrections, the record, search.

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

// ---- free validation functions ---------------------------------------------------------------

std::vector<FieldError> validate_vessel(const Vessel& v, int current_year) {
    std::vector<FieldError> e;
    check_text_field(e, "", "name", v.name, 64, true);
    if (!one_of(vessel_types, v.vessel_type)) {
        e.push_back({"vessel_type", fmt::format("must be one of {}", list_of(vessel_types))});
    }
    if (!v.hull_material.empty() && !one_of(hull_materials, v.hull_material)) {
        e.push_back({"hull_material", fmt::format("must be one of {}", list_of(hull_materials))});
    }
    const auto in_range = [&](std::string_view field, const std::optional<double>& x, double lo,
                              double hi, std::string_view unit) {
        if (x && (!std::isfinite(*x) || *x < lo || *x > hi)) {
            e.push_back(
                {std::string(field), fmt::format("must be between {} and {} {}", lo, hi, unit)});
        }
    };
    in_range("loa_m", v.loa_m, 2, 120, "metres");
    in_range("breadth_m", v.breadth_m, 0.3, 40, "metres");
    in_range("depth_m", v.depth_m, 0.2, 30, "metres");
    in_range("gross_tonnage", v.gross_tonnage, 0, 20000, "GT");
    in_range("engine_kw", v.engine_kw, 0.5, 20000, "kW");
    if (v.loa_m && v.breadth_m && *v.breadth_m >= *v.loa_m) {
        e.push_back({"breadth_m", "must be less than the length overall (loa_m)"});
    }
    if (v.engine_count && (*v.engine_count < 0 || *v.engine_count > 8)) {
        e.push_back({"engine_count", "must be between 0 and 8"});
    }
    if (v.max_persons && (*v.max_persons < 1 || *v.max_persons > 200)) {
        e.push_back({"max_persons", "must be between 1 and 200 persons"});
    }
    if (v.build_year && (*v.build_year < 1900 || *v.build_year > current_year)) {
        e.push_back({"build_year", fmt::format("must be between 1900 and {}", current_year)});
    }
    check_text_field(e, "", "home_harbour", v.home_harbour, 64, true);
    check_text_field(e, "", "hull_colour", v.hull_colour, 64, false);
    check_text_field(e, "", "marking_text", v.marking_text, 64, false);
    if (!one_of(vessel_statuses, v.status)) {
        e.push_back({"status", fmt::format("must be one of {}", list_of(vessel_statuses))});
    }
    check_text_field(e, "", "status_reason", v.status_reason, 256, false);
    return e;
}

std::vector<FieldError> validate_licence(const Licence& l,
                                         const std::vector<std::string>& known_authorities) {
    std::vector<FieldError> e;
    if (std::find(known_authorities.begin(), known_authorities.end(), l.authority) ==
        known_authorities.end()) {
        e.push_back({"authority", l.authority.empty()
                                      ? std::string("required (the issuing authority, e.g. "
                                                    "BAL-FISH)")
                                      : fmt::format("unknown authority '{}'", l.authority)});
    }
    if (l.licence_no.empty() || l.licence_no.size() > 32 ||
        !std::all_of(l.licence_no.begin(), l.licence_no.end(),
                     [](char c) { return c > ' ' && c < 0x7f; })) {
        e.push_back({"licence_no", "required: 1 to 32 letters, digits or - / . (no spaces)"});
    }
    if (!one_of(licence_kinds, l.kind)) {
        e.push_back({"kind", fmt::format("must be one of {}", list_of(licence_kinds))});
    }
    for (std::size_t i = 0; i < l.gear.size(); ++i) {
        if (!code_like(l.gear[i])) {
            e.push_back({fmt::format("gear[{}]", i),
                         "gear codes are lower-case letters, digits, '_' or '-', e.g. gillnet"});
        }
    }
    for (std::size_t i = 0; i < l.zones.size(); ++i) {
        if (l.zones[i].empty() || l.zones[i].size() > 32 ||
            !std::all_of(l.zones[i].begin(), l.zones[i].end(),
                         [](char c) { return c > ' ' && c < 0x7f; })) {
            e.push_back({fmt::format("zones[{}]", i), "zone ids are 1 to 32 characters, e.g. "
                                                      "PK-TS-BAL"});
        }
    }
    check_date_field(e, "", "valid_from", l.valid_from, true);
    check_date_field(e, "", "valid_to", l.valid_to, true);
    if (valid_date(l.valid_from) && valid_date(l.valid_to) && l.valid_to < l.valid_from) {
        e.push_back({"valid_to", "must not be before valid_from"});
    }
    return e;
}

// ---- VesselRegistry ---------------------------------------------------------------------------

VesselRegistry::VesselRegistry(Database& database, IdentifierRules rules, const PiiCipher* cipher,
                               const BlindIndex* index, Clock clock)
    : m_db(database), m_rules(std::move(rules)), m_cipher(cipher), m_index(index),
      m_clock(clock ? std::move(clock) : Clock([] {
          return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
      })),
      m_audit(database, m_clock) {}

std::string VesselRegistry::today() const {
    return format_iso_date(
        std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(m_clock())});
}

std::string VesselRegistry::now_text() const {
    return format_utc_seconds(m_clock());
}

std::vector<std::string> VesselRegistry::authority_codes() const {
    try {
        SQLite::Statement q(m_db.handle(), "SELECT code FROM authorities ORDER BY code");
        std::vector<std::string> out;
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString());
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing authorities");
    }
}

std::optional<std::string> VesselRegistry::home_harbour(std::int64_t vessel_id) const {
    try {
        SQLite::Statement q(m_db.handle(), "SELECT home_harbour FROM vessels WHERE id = ?");
        q.bind(1, vessel_id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return q.getColumn(0).getString();
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: reading a vessel's home harbour");
    }
}

// ---- registration -----------------------------------------------------------------------------

Outcome<RegisterResult> VesselRegistry::register_vessel(const Actor& actor,
                                                        const Registration& form) {
    try {
        WriteTransaction tx(m_db);
        const int year = static_cast<int>(
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(m_clock())}.year());
        // Field names as in the Registration form (and its JSON): "vessel.loa_m".
        std::vector<FieldError> errors = validate_vessel(form.vessel, year);
        for (FieldError& fe : errors) {
            fe.field = "vessel." + fe.field;
        }
        if (form.vessel.status != "active") {
            errors.push_back({"vessel.status", "a new registration starts active"});
        }
        if (std::none_of(form.identifiers.begin(), form.identifiers.end(),
                         [](const Identifier& i) { return is_registration_scheme(i.scheme); })) {
            errors.push_back({"identifiers", "give the registration number (scheme "
                                             "provincial_reg or official_number)"});
        }
        if (form.owners.empty()) {
            errors.push_back({"owners", "at least one owner is required"});
        }
        // Owners: validate all before writing anything.
        double shares = 0;
        std::set<std::int64_t> seen_parties;
        for (std::size_t i = 0; i < form.owners.size(); ++i) {
            const OwnerInput& o = form.owners[i];
            const std::string p = fmt::format("owners[{}]", i);
            if (!std::isfinite(o.share_pct) || o.share_pct <= 0 || o.share_pct > 100) {
                errors.push_back({p + ".share_pct", "must be more than 0 and at most 100"});
            } else {
                shares += o.share_pct;
            }
            if (o.party_id.has_value() == o.party.has_value()) {
                errors.push_back({p, "give either party_id (an owner on file) or party (a new "
                                     "owner), not both"});
            } else if (o.party_id) {
                if (!Impl::party_exists(m_db, *o.party_id)) {
                    errors.push_back(
                        {p + ".party_id", fmt::format("there is no party {}", *o.party_id)});
                } else if (!seen_parties.insert(*o.party_id).second) {
                    errors.push_back({p + ".party_id", "the same owner is listed twice"});
                }
            } else {
                for (FieldError& fe : check_party(*o.party, p + ".party").errors) {
                    errors.push_back(std::move(fe));
                }
            }
        }
        if (!form.owners.empty() && std::abs(shares - 100.0) > 0.01 &&
            std::none_of(errors.begin(), errors.end(),
                         [](const FieldError& fe) { return fe.field.ends_with("share_pct"); })) {
            errors.push_back({"owners", fmt::format("owners' shares must add up to 100 % (they "
                                                    "add up to {:g} %)",
                                                    shares)});
        }
        const auto authorities = authority_codes();
        if (form.licence) {
            for (FieldError& fe : validate_licence(*form.licence, authorities)) {
                errors.push_back({"licence." + fe.field, std::move(fe.message)});
            }
        }
        // Identifier formats up front too, so that the clerk sees every problem at once;
        // uniqueness and conflicts are decided when they are inserted below.
        for (std::size_t i = 0; i < form.identifiers.size(); ++i) {
            const Identifier& id = form.identifiers[i];
            const std::string p = fmt::format("identifiers[{}]", i);
            const auto scheme = parse_id_scheme(id.scheme);
            if (!scheme) {
                errors.push_back(
                    {p + ".scheme", fmt::format("unknown identifier scheme '{}'", id.scheme)});
                continue;
            }
            if (std::find(authorities.begin(), authorities.end(), id.authority) ==
                authorities.end()) {
                errors.push_back({p + ".authority",
                                  id.authority.empty()
                                      ? std::string("required (who issued it, e.g. BAL-FISH, PTA)")
                                      : fmt::format("unknown authority '{}'", id.authority)});
                continue;
            }
            for (const FieldError& fe : m_rules.check(*scheme, id.value, id.authority).errors) {
                errors.push_back({p + ".value", fe.message});
            }
        }
        if (!errors.empty()) {
            return Outcome<RegisterResult>::failure(ErrorCode::validation_failed, errors);
        }
        const std::string now = now_text();
        const std::string day = today();
        Vessel v = form.vessel;
        Impl::insert_vessel_row(m_db, v, now);
        RegisterResult result;
        result.vessel_id = v.id;

        // Identifiers.
        IdentifierAdder adder{m_db, m_rules, authorities, day, now, actor};
        ErrorCode code = ErrorCode::none;
        std::vector<Identifier> stored_ids;
        for (std::size_t i = 0; i < form.identifiers.size(); ++i) {
            Identifier stored;
            const ErrorCode c =
                adder.add(v.id, form.identifiers[i], fmt::format("identifiers[{}]", i), errors,
                          result, stored);
            if (c != ErrorCode::none && code == ErrorCode::none) {
                code = c;
            }
            if (stored.id != 0) {
                stored_ids.push_back(stored);
            }
        }
        // Owners.
        std::vector<std::int64_t> owner_ids;
        for (std::size_t i = 0; i < form.owners.size() && code == ErrorCode::none; ++i) {
            const OwnerInput& o = form.owners[i];
            std::int64_t party_id = o.party_id.value_or(0);
            if (o.party) {
                auto created =
                    insert_party(actor, *o.party, fmt::format("owners[{}].party", i), form.reason);
                if (!created.ok()) {
                    errors.insert(errors.end(), created.errors.begin(), created.errors.end());
                    code = created.code;
                    break;
                }
                party_id = *created.value;
            }
            SQLite::Statement r(m_db.handle(),
                                "INSERT INTO vessel_parties(vessel_id, party_id, role, share_pct, "
                                "valid_from) VALUES(?,?,'owner',?,?)");
            r.bind(1, v.id);
            r.bind(2, party_id);
            r.bind(3, o.share_pct);
            r.bind(4, day);
            r.exec();
            owner_ids.push_back(party_id);
        }
        // Licence.
        std::optional<Licence> licence;
        if (form.licence && code == ErrorCode::none) {
            licence = *form.licence;
            licence->vessel_id = v.id;
            licence->status = "active";
            licence->renewed_from.reset();
            if (auto taken = Impl::licence_number_taken(m_db, *licence)) {
                errors.push_back({"licence.licence_no", *taken});
                code = ErrorCode::duplicate;
            } else {
                Impl::insert_licence_row(m_db, *licence, now);
            }
        }
        // Transponders.
        std::vector<Transponder> transponders;
        for (std::size_t i = 0; i < form.transponders.size() && code == ErrorCode::none; ++i) {
            Transponder t = form.transponders[i];
            t.vessel_id = v.id;
            auto added = insert_transponder(actor, t, fmt::format("transponders[{}]", i));
            if (!added.ok()) {
                errors.insert(errors.end(), added.errors.begin(), added.errors.end());
                code = added.code;
                break;
            }
            t.id = *added.value;
            transponders.push_back(t);
        }
        if (code != ErrorCode::none) {
            return Outcome<RegisterResult>::failure(code, errors); // rolls back everything
        }
        ordered_json after = {{"vessel", v},
                              {"identifiers", stored_ids},
                              {"owners", owner_ids},
                              {"licence", licence ? ordered_json(*licence) : ordered_json()},
                              {"transponders", transponders},
                              {"conflicts_opened", result.conflicts_opened}};
        m_audit.append(actor, {.action = "vessel.register",
                               .entity = "vessel",
                               .entity_id = std::to_string(v.id),
                               .after_json = after.dump(),
                               .reason = form.reason});
        tx.commit();
        return Outcome<RegisterResult>::success(std::move(result));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: registering a vessel");
    }
}

Outcome<bool> VesselRegistry::update_vessel(const Actor& actor, std::int64_t id,
                                            const Vessel& changes, const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        const auto before = Impl::load_vessel(m_db, id);
        if (!before) {
            return Outcome<bool>::failure(ErrorCode::not_found, "id",
                                          fmt::format("there is no vessel {}", id));
        }
        const int year = static_cast<int>(
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(m_clock())}.year());
        std::vector<FieldError> errors = validate_vessel(changes, year);
        if (reason.empty()) {
            errors.push_back({"reason", "say why the record is being corrected"});
        }
        if (changes.status != "active" && changes.status != before->status &&
            changes.status_reason.empty()) {
            errors.push_back({"status_reason", "say why the status changes"});
        }
        if (!errors.empty()) {
            return Outcome<bool>::failure(ErrorCode::validation_failed, errors);
        }
        Vessel after = changes;
        after.id = id;
        after.name_norm = normalise_vessel_name(changes.name);
        after.created_at = before->created_at;
        after.updated_at = before->updated_at;
        if (ordered_json(after) == ordered_json(*before)) {
            return Outcome<bool>::success(false); // nothing changed: nothing to write or audit
        }
        after.updated_at = now_text();
        SQLite::Statement s(m_db.handle(),
                            "UPDATE vessels SET name=?, name_norm=?, vessel_type=?, "
                            "hull_material=?, loa_m=?, breadth_m=?, depth_m=?, gross_tonnage=?, "
                            "engine_kw=?, engine_count=?, max_persons=?, build_year=?, "
                            "home_harbour=?, hull_colour=?, marking_text=?, status=?, "
                            "status_reason=?, updated_at=? WHERE id=?");
        Impl::bind_vessel_fields(s, after);
        s.bind(18, after.updated_at);
        s.bind(19, id);
        s.exec();
        m_audit.append(actor, {.action = "vessel.update",
                               .entity = "vessel",
                               .entity_id = std::to_string(id),
                               .before_json = ordered_json(*before).dump(),
                               .after_json = ordered_json(after).dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<bool>::success(true);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: updating a vessel");
    }
}

std::optional<VesselRecord> VesselRegistry::get(std::int64_t id, bool with_pii) const {
    try {
        auto vessel = Impl::load_vessel(m_db, id);
        if (!vessel) {
            return std::nullopt;
        }
        VesselRecord r;
        r.vessel = std::move(*vessel);
        {
            SQLite::Statement q(m_db.handle(),
                                fmt::format("SELECT {} FROM identifiers WHERE vessel_id = ? "
                                            "ORDER BY scheme, valid_to IS NOT NULL, "
                                            "valid_from DESC, id DESC",
                                            identifier_columns));
            q.bind(1, id);
            while (q.executeStep()) {
                r.identifiers.push_back(read_identifier(q));
            }
        }
        {
            SQLite::Statement q(m_db.handle(),
                                "SELECT id, vessel_id, party_id, role, share_pct, valid_from, "
                                "valid_to FROM vessel_parties WHERE vessel_id = ? ORDER BY "
                                "valid_to IS NOT NULL, role, id");
            q.bind(1, id);
            std::set<std::int64_t> party_ids;
            while (q.executeStep()) {
                VesselParty vp{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                               q.getColumn(2).getInt64(), q.getColumn(3).getString(),
                               opt_real(q.getColumn(4)),  q.getColumn(5).getString(),
                               q.getColumn(6).getString()};
                party_ids.insert(vp.party_id);
                r.roles.push_back(std::move(vp));
            }
            for (std::int64_t pid : party_ids) {
                if (auto p = party(pid, with_pii)) {
                    r.parties.push_back(std::move(*p));
                }
            }
        }
        {
            SQLite::Statement q(m_db.handle(),
                                fmt::format("SELECT {} FROM licences WHERE vessel_id = ? ORDER BY "
                                            "valid_to DESC, id DESC",
                                            licence_columns));
            q.bind(1, id);
            while (q.executeStep()) {
                r.licences.push_back(read_licence(q));
            }
        }
        {
            SQLite::Statement q(m_db.handle(),
                                fmt::format("SELECT {} FROM transponders WHERE vessel_id = ? "
                                            "ORDER BY installed_on DESC, id DESC",
                                            transponder_columns));
            q.bind(1, id);
            while (q.executeStep()) {
                r.transponders.push_back(read_transponder(q));
            }
        }
        {
            SQLite::Statement q(m_db.handle(),
                                fmt::format("SELECT {} FROM identity_conflicts WHERE "
                                            "holder_vessel_id = ?1 OR claimant_vessel_id = ?1 "
                                            "ORDER BY id",
                                            conflict_columns));
            q.bind(1, id);
            while (q.executeStep()) {
                r.conflicts.push_back(read_conflict(q));
            }
        }
        return r;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, fmt::format("registry: reading vessel {}", id));
    }
}

// ---- search -----------------------------------------------------------------------------------

std::vector<SearchHit> VesselRegistry::search(std::string_view query, std::size_t limit) const {
    std::string q(query);
    while (!q.empty() && (q.front() == ' ' || q.front() == '\t')) {
        q.erase(q.begin());
    }
    while (!q.empty() && (q.back() == ' ' || q.back() == '\t')) {
        q.pop_back();
    }
    limit = std::clamp<std::size_t>(limit, 1, 100);
    std::vector<SearchHit> hits;
    if (q.size() < 2 || q.size() > 128) {
        return hits;
    }
    std::set<std::int64_t> seen;
    try {
        const auto add_hits = [&](SQLite::Statement& s, std::string_view matched) {
            while (hits.size() < limit && s.executeStep()) {
                const std::int64_t id = s.getColumn(0).getInt64();
                if (!seen.insert(id).second) {
                    continue;
                }
                hits.push_back(SearchHit{id, s.getColumn(1).getString(), s.getColumn(2).getString(),
                                         s.getColumn(3).getString(), s.getColumn(4).getString(),
                                         std::string(matched)});
            }
        };
        constexpr std::string_view hit_columns =
            "b.id, b.name, coalesce(b.registration_number, ''), b.home_harbour, v.status";
        if (q.front() == '#' && q.size() > 1 &&
            std::all_of(q.begin() + 1, q.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            q.size() < 18) {
            SQLite::Statement s(m_db.handle(),
                                fmt::format("SELECT {} FROM boats b JOIN vessels v ON v.id = b.id "
                                            "WHERE b.id = ?",
                                            hit_columns));
            s.bind(1, static_cast<std::int64_t>(std::stoll(q.substr(1))));
            add_hits(s, "id");
        }
        {
            // Exact identifier (registration number, MMSI, call sign, IMO, licence number ...).
            std::string value = q;
            if (value.size() > 3 && (value.starts_with("IMO") || value.starts_with("imo"))) {
                value = value.substr(3);
                while (!value.empty() && value.front() == ' ') {
                    value.erase(value.begin());
                }
            }
            SQLite::Statement s(
                m_db.handle(),
                fmt::format("SELECT {}, i.scheme FROM identifiers i JOIN boats b ON b.id = "
                            "i.vessel_id JOIN vessels v ON v.id = b.id WHERE i.value = ? COLLATE "
                            "NOCASE ORDER BY i.valid_to IS NOT NULL, b.id",
                            hit_columns));
            s.bind(1, value);
            while (hits.size() < limit && s.executeStep()) {
                const std::int64_t id = s.getColumn(0).getInt64();
                if (!seen.insert(id).second) {
                    continue;
                }
                const std::string scheme = s.getColumn(5).getString();
                hits.push_back(SearchHit{id, s.getColumn(1).getString(), s.getColumn(2).getString(),
                                         s.getColumn(3).getString(), s.getColumn(4).getString(),
                                         is_registration_scheme(scheme) ? "registration" : scheme});
            }
            SQLite::Statement lic(
                m_db.handle(),
                fmt::format("SELECT DISTINCT {} FROM licences l JOIN boats b ON b.id = "
                            "l.vessel_id JOIN vessels v ON v.id = b.id WHERE l.licence_no = ? "
                            "COLLATE NOCASE ORDER BY b.id",
                            hit_columns));
            lic.bind(1, value);
            add_hits(lic, "licence");
        }
        const std::string norm = normalise_vessel_name(q);
        if (norm.size() >= 2) {
            const std::string like = escape_like(norm);
            SQLite::Statement prefix(
                m_db.handle(),
                fmt::format("SELECT {} FROM vessels v JOIN boats b ON b.id = v.id WHERE "
                            "v.name_norm LIKE ? ESCAPE '\\' ORDER BY v.name_norm, v.id LIMIT ?",
                            hit_columns));
            prefix.bind(1, like + "%");
            prefix.bind(2, static_cast<std::int64_t>(limit));
            add_hits(prefix, "name");
            SQLite::Statement contains(
                m_db.handle(),
                fmt::format("SELECT {} FROM vessels v JOIN boats b ON b.id = v.id WHERE "
                            "v.name_norm LIKE ? ESCAPE '\\' ORDER BY v.name_norm, v.id LIMIT ?",
                            hit_columns));
            contains.bind(1, "%" + like + "%");
            contains.bind(2, static_cast<std::int64_t>(limit));
            add_hits(contains, "name");
            SQLite::Statement owner(
                m_db.handle(),
                fmt::format("SELECT DISTINCT {} FROM parties p JOIN vessel_parties vp ON "
                            "vp.party_id = p.id JOIN vessels v ON v.id = vp.vessel_id JOIN boats "
                            "b ON b.id = v.id WHERE p.name_norm LIKE ? ESCAPE '\\' ORDER BY "
                            "vp.valid_to IS NOT NULL, v.id LIMIT ?",
                            hit_columns));
            owner.bind(1, "%" + like + "%");
            owner.bind(2, static_cast<std::int64_t>(limit));
            add_hits(owner, "owner");
        }
        return hits;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: searching");
    }
}

Outcome<std::vector<SearchHit>> VesselRegistry::search_by_cnic(std::string_view cnic) const {
    const auto normalised = normalise_cnic(cnic);
    if (!normalised) {
        return Outcome<std::vector<SearchHit>>::failure(
            ErrorCode::validation_failed, "cnic",
            "CNIC must be 13 digits, written 42101-1234567-3 or 4210112345673");
    }
    if (m_index == nullptr) {
        return Outcome<std::vector<SearchHit>>::failure(
            ErrorCode::pii_unavailable, "cnic",
            "CNIC search needs the PII key ([registry] pii_key_file)");
    }
    try {
        SQLite::Statement s(m_db.handle(),
                            "SELECT DISTINCT b.id, b.name, coalesce(b.registration_number, ''), "
                            "b.home_harbour, v.status FROM parties p JOIN vessel_parties vp ON "
                            "vp.party_id = p.id JOIN vessels v ON v.id = vp.vessel_id JOIN boats "
                            "b ON b.id = v.id WHERE p.cnic_index = ? ORDER BY v.id");
        s.bind(1, m_index->compute(*normalised, "parties.cnic"));
        std::vector<SearchHit> hits;
        while (s.executeStep()) {
            hits.push_back(SearchHit{s.getColumn(0).getInt64(), s.getColumn(1).getString(),
                                     s.getColumn(2).getString(), s.getColumn(3).getString(),
                                     s.getColumn(4).getString(), "cnic"});
        }
        return Outcome<std::vector<SearchHit>>::success(std::move(hits));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: searching by CNIC");
    }
}

std::optional<std::int64_t> VesselRegistry::party_id_by_cnic(std::string_view cnic) const {
    const auto normalised = normalise_cnic(cnic);
    if (!normalised || m_index == nullptr) {
        return std::nullopt;
    }
    try {
        SQLite::Statement q(m_db.handle(), "SELECT id FROM parties WHERE cnic_index = ?");
        q.bind(1, m_index->compute(*normalised, "parties.cnic"));
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return q.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: finding a party by CNIC");
    }
}

} // namespace sahil::registry

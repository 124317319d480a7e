// Shared helpers of the VesselRegistry implementation files (vessel_registry*.cpp): allowed
// values, field checks, SQLite row readers and binders, the party check and the identifier
// adder used by both registration and add_identifier. Private to registry/; not part of the
// library's interface.
//
// Thread-safety: pure functions, or functions on the caller's connection.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/identifiers.hpp"
#include "registry/validation.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry::detail {

using nlohmann::ordered_json;

inline constexpr std::array vessel_types{"launch",     "hora",    "yakdar",    "speedboat",
                                         "gillnetter", "trawler", "longliner", "purse_seiner",
                                         "dhow",       "carrier", "other"};
inline constexpr std::array hull_materials{"wood",      "grp",          "steel",
                                           "aluminium", "ferro_cement", "other"};
inline constexpr std::array vessel_statuses{"active", "laid_up", "under_repair",  "suspended",
                                            "seized", "lost",    "decommissioned"};
inline constexpr std::array party_kinds{"person", "company", "cooperative", "government"};
inline constexpr std::array licence_kinds{
    "artisanal", "commercial_territorial", "deep_sea", "tuna_longline", "carrier", "other"};
inline constexpr std::array transponder_kinds{"ais_class_a", "ais_class_b", "vms", "gsm_tracker",
                                              "other"};
inline constexpr std::array agencies{"coast_guards", "msa", "navy", "police", "fisheries"};

template <std::size_t N> bool one_of(const std::array<const char*, N>& values, std::string_view v) {
    return std::any_of(values.begin(), values.end(),
                       [v](const char* allowed) { return v == allowed; });
}

template <std::size_t N> std::string list_of(const std::array<const char*, N>& values) {
    std::string out;
    for (const char* v : values) {
        if (!out.empty()) {
            out += ", ";
        }
        out += v;
    }
    return out;
}

inline std::string prefixed(std::string_view prefix, std::string_view field) {
    return prefix.empty() ? std::string(field) : fmt::format("{}.{}", prefix, field);
}

inline void check_text_field(std::vector<FieldError>& errors, std::string_view prefix,
                             std::string_view field, std::string_view value, std::size_t max,
                             bool required) {
    if (auto problem = check_free_text(value, max, required)) {
        errors.push_back(
            {prefix.empty() ? std::string(field) : prefixed(prefix, field), std::move(*problem)});
    }
}

inline bool valid_date(std::string_view text) {
    return parse_iso_date(text).has_value();
}

inline void check_date_field(std::vector<FieldError>& errors, std::string_view prefix,
                             std::string_view field, std::string_view value, bool required) {
    if (value.empty()) {
        if (required) {
            errors.push_back({prefixed(prefix, field), "required (a date, YYYY-MM-DD)"});
        }
        return;
    }
    if (!valid_date(value)) {
        errors.push_back({prefixed(prefix, field),
                          fmt::format("'{}' is not a date; write it as YYYY-MM-DD, e.g. "
                                      "2026-03-31",
                                      value)});
    }
}

inline std::string date_plus(std::string_view date, int days) {
    const auto d = parse_iso_date(date);
    return format_iso_date(
        std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{days}});
}

inline bool code_like(std::string_view s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

inline std::string json_array_text(const std::vector<std::string>& items) {
    return ordered_json(items).dump();
}

inline std::vector<std::string> parse_json_array(const std::string& text) {
    std::vector<std::string> out;
    const auto j = ordered_json::parse(text, nullptr, false);
    if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

inline std::optional<double> opt_real(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<double>(c.getDouble());
}
inline std::optional<int> opt_int(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<int>(c.getInt());
}
inline std::optional<std::uint32_t> opt_mmsi(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt
                      : std::optional<std::uint32_t>(static_cast<std::uint32_t>(c.getInt64()));
}

template <class T> void bind_opt(SQLite::Statement& s, int i, const std::optional<T>& v) {
    if (v) {
        if constexpr (std::is_same_v<T, std::uint32_t>) {
            s.bind(i, static_cast<std::int64_t>(*v));
        } else {
            s.bind(i, *v);
        }
    } else {
        s.bind(i);
    }
}

inline void bind_text_or_null(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) {
        s.bind(i);
    } else {
        s.bind(i, v);
    }
}

inline constexpr std::string_view vessel_columns =
    "id, name, name_norm, vessel_type, hull_material, loa_m, breadth_m, depth_m, gross_tonnage, "
    "engine_kw, engine_count, max_persons, build_year, home_harbour, hull_colour, marking_text, "
    "status, status_reason, created_at, updated_at";

inline Vessel read_vessel(const SQLite::Statement& r) {
    Vessel v;
    v.id = r.getColumn(0).getInt64();
    v.name = r.getColumn(1).getString();
    v.name_norm = r.getColumn(2).getString();
    v.vessel_type = r.getColumn(3).getString();
    v.hull_material = r.getColumn(4).getString();
    v.loa_m = opt_real(r.getColumn(5));
    v.breadth_m = opt_real(r.getColumn(6));
    v.depth_m = opt_real(r.getColumn(7));
    v.gross_tonnage = opt_real(r.getColumn(8));
    v.engine_kw = opt_real(r.getColumn(9));
    v.engine_count = opt_int(r.getColumn(10));
    v.max_persons = opt_int(r.getColumn(11));
    v.build_year = opt_int(r.getColumn(12));
    v.home_harbour = r.getColumn(13).getString();
    v.hull_colour = r.getColumn(14).getString();
    v.marking_text = r.getColumn(15).getString();
    v.status = r.getColumn(16).getString();
    v.status_reason = r.getColumn(17).getString();
    v.created_at = r.getColumn(18).getString();
    v.updated_at = r.getColumn(19).getString();
    return v;
}

inline constexpr std::string_view identifier_columns =
    "id, vessel_id, scheme, value, authority, valid_from, valid_to";

inline Identifier read_identifier(const SQLite::Statement& r) {
    return Identifier{r.getColumn(0).getInt64(),  r.getColumn(1).getInt64(),
                      r.getColumn(2).getString(), r.getColumn(3).getString(),
                      r.getColumn(4).getString(), r.getColumn(5).getString(),
                      r.getColumn(6).getString()};
}

inline constexpr std::string_view licence_columns =
    "id, vessel_id, authority, licence_no, kind, gear, zones, valid_from, valid_to, "
    "night_fishing, foreign_waters, status, status_reason, renewed_from";

inline Licence read_licence(const SQLite::Statement& r) {
    Licence l;
    l.id = r.getColumn(0).getInt64();
    l.vessel_id = r.getColumn(1).getInt64();
    l.authority = r.getColumn(2).getString();
    l.licence_no = r.getColumn(3).getString();
    l.kind = r.getColumn(4).getString();
    l.gear = parse_json_array(r.getColumn(5).getString());
    l.zones = parse_json_array(r.getColumn(6).getString());
    l.valid_from = r.getColumn(7).getString();
    l.valid_to = r.getColumn(8).getString();
    l.night_fishing = r.getColumn(9).getInt() != 0;
    l.foreign_waters = r.getColumn(10).getInt() != 0;
    l.status = r.getColumn(11).getString();
    l.status_reason = r.getColumn(12).getString();
    if (!r.getColumn(13).isNull()) {
        l.renewed_from = r.getColumn(13).getInt64();
    }
    return l;
}

inline constexpr std::string_view conflict_columns =
    "id, scheme, value, authority, holder_vessel_id, claimant_vessel_id, opened_at, opened_by, "
    "status, resolution, resolved_at, resolved_by, resolution_note";

inline IdentityConflict read_conflict(const SQLite::Statement& r) {
    IdentityConflict c;
    c.id = r.getColumn(0).getInt64();
    c.scheme = r.getColumn(1).getString();
    c.value = r.getColumn(2).getString();
    c.authority = r.getColumn(3).getString();
    c.holder_vessel_id = r.getColumn(4).getInt64();
    c.claimant_vessel_id = r.getColumn(5).getInt64();
    c.opened_at = r.getColumn(6).getString();
    c.opened_by = r.getColumn(7).getString();
    c.status = r.getColumn(8).getString();
    c.resolution = r.getColumn(9).getString();
    c.resolved_at = r.getColumn(10).getString();
    c.resolved_by = r.getColumn(11).getString();
    c.resolution_note = r.getColumn(12).getString();
    return c;
}

inline constexpr std::string_view transponder_columns =
    "id, vessel_id, kind, mmsi, serial, provider, installed_on, removed_on";

inline Transponder read_transponder(const SQLite::Statement& r) {
    Transponder t;
    t.id = r.getColumn(0).getInt64();
    t.vessel_id = r.getColumn(1).getInt64();
    t.kind = r.getColumn(2).getString();
    t.mmsi = opt_mmsi(r.getColumn(3));
    t.serial = r.getColumn(4).getString();
    t.provider = r.getColumn(5).getString();
    t.installed_on = r.getColumn(6).getString();
    t.removed_on = r.getColumn(7).getString();
    return t;
}

/// A party as the audit trail records it: CNIC and phone masked, never in clear.
inline ordered_json party_audit_json(const Party& p) {
    Party masked = p;
    if (masked.cnic) {
        masked.cnic = mask_cnic(*masked.cnic);
    }
    if (masked.phone) {
        masked.phone = mask_phone(*masked.phone);
    }
    // The home address is personal data too (docs/registry.md): the trail notes that it was
    // given or changed, never its text (auditors see the trail).
    if (!masked.address.empty()) {
        masked.address = "(withheld)";
    }
    return ordered_json(masked);
}

inline bool is_registration_scheme(std::string_view scheme) {
    return scheme == "official_number" || scheme == "provincial_reg" ||
           scheme == "fishing_licence_no";
}

inline std::string escape_like(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

inline std::string describe_vessel(const Database& db, std::int64_t id) {
    SQLite::Statement q(db.handle(), "SELECT registration_number, name FROM boats WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
        return fmt::format("vessel {}", id);
    }
    return fmt::format("vessel {} ({} \"{}\")", id, q.getColumn(0).getString(),
                       q.getColumn(1).getString());
}

// ---- parties

struct PartyCheck {
    std::vector<FieldError> errors;
    std::optional<std::string> cnic;  // normalised
    std::optional<std::string> phone; // normalised
};

inline PartyCheck check_party(const Party& p, std::string_view prefix) {
    PartyCheck c;
    if (!one_of(party_kinds, p.kind)) {
        c.errors.push_back(
            {prefixed(prefix, "kind"), fmt::format("must be one of {}", list_of(party_kinds))});
    }
    check_text_field(c.errors, prefix, "name", p.name, 128, true);
    check_text_field(c.errors, prefix, "father_or_husband_name", p.father_or_husband_name, 128,
                     false);
    check_text_field(c.errors, prefix, "address", p.address, 256, false);
    check_text_field(c.errors, prefix, "district", p.district, 64, false);
    check_text_field(c.errors, prefix, "province", p.province, 64, false);
    check_text_field(c.errors, prefix, "company_reg_no", p.company_reg_no, 64, false);
    if (p.cnic && !p.cnic->empty()) {
        c.cnic = normalise_cnic(*p.cnic);
        if (!c.cnic) {
            c.errors.push_back(
                {prefixed(prefix, "cnic"),
                 check_cnic(*p.cnic).value_or("CNIC must be 13 digits, written 42101-1234567-3")});
        }
    }
    if (p.phone && !p.phone->empty()) {
        c.phone = normalise_pk_phone(*p.phone);
        if (!c.phone) {
            c.errors.push_back({prefixed(prefix, "phone"),
                                check_pk_phone(*p.phone).value_or(
                                    "phone must be a Pakistani number, e.g. 0300-1234567")});
        }
    }
    return c;
}

// ---- identifiers

/// Adds one identifier inside the caller's transaction. Returns errors (and the code) or fills
/// `result` (conflicts opened, warnings). `prefix` names the field in errors.
struct IdentifierAdder {
    Database& db;
    const IdentifierRules& rules;
    const std::vector<std::string>& authorities;
    const std::string& today;
    const std::string& now;
    const Actor& actor;

    ErrorCode add(std::int64_t vessel_id, const Identifier& input, std::string_view prefix,
                  std::vector<FieldError>& errors, RegisterResult& result, Identifier& stored) {
        const auto scheme = parse_id_scheme(input.scheme);
        if (!scheme) {
            errors.push_back({prefixed(prefix, "scheme"),
                              fmt::format("unknown identifier scheme '{}'", input.scheme)});
            return ErrorCode::validation_failed;
        }
        if (std::find(authorities.begin(), authorities.end(), input.authority) ==
            authorities.end()) {
            errors.push_back({prefixed(prefix, "authority"),
                              input.authority.empty()
                                  ? std::string("required (who issued it, e.g. BAL-FISH, PTA)")
                                  : fmt::format("unknown authority '{}'", input.authority)});
            return ErrorCode::validation_failed;
        }
        const auto checked = rules.check(*scheme, input.value, input.authority, true);
        for (const FieldError& fe : checked.errors) {
            errors.push_back({prefixed(prefix, "value"), fe.message});
        }
        for (const std::string& w : checked.warnings) {
            result.warnings.push_back({prefixed(prefix, "value"), w});
        }
        const std::string valid_from = input.valid_from.empty() ? today : input.valid_from;
        check_date_field(errors, prefix, "valid_from", valid_from, true);
        if (!errors.empty()) {
            return ErrorCode::validation_failed;
        }
        stored =
            Identifier{0, vessel_id, input.scheme, checked.value, input.authority, valid_from, ""};
        SQLite::Statement holder(db.handle(),
                                 "SELECT id, vessel_id FROM identifiers WHERE scheme = ? AND "
                                 "value = ? COLLATE NOCASE AND valid_to IS NULL");
        holder.bind(1, stored.scheme);
        holder.bind(2, stored.value);
        if (holder.executeStep()) {
            const std::int64_t holder_vessel = holder.getColumn(1).getInt64();
            if (holder_vessel == vessel_id) {
                errors.push_back(
                    {prefixed(prefix, "value"),
                     fmt::format("this vessel already holds {} {}", stored.scheme, stored.value)});
                return ErrorCode::duplicate;
            }
            if (stored.scheme != "mmsi") {
                errors.push_back({prefixed(prefix, "value"),
                                  fmt::format("{} {} is already held by {}", stored.scheme,
                                              stored.value, describe_vessel(db, holder_vessel))});
                return ErrorCode::duplicate;
            }
            // A second claimant of an MMSI: record the claim for a supervisor instead of failing
            // (two boats on one MMSI is itself a finding for the identity rule).
            SQLite::Statement c(db.handle(),
                                "INSERT INTO identity_conflicts(scheme, value, authority, "
                                "holder_vessel_id, claimant_vessel_id, opened_at, opened_by) "
                                "VALUES(?,?,?,?,?,?,?)");
            c.bind(1, stored.scheme);
            c.bind(2, stored.value);
            c.bind(3, stored.authority);
            c.bind(4, holder_vessel);
            c.bind(5, vessel_id);
            c.bind(6, now);
            c.bind(7, actor.user);
            c.exec();
            result.conflicts_opened.push_back(db.handle().getLastInsertRowid());
            result.warnings.push_back(
                {prefixed(prefix, "value"),
                 fmt::format("MMSI {} is already registered to {}; an identity conflict has "
                             "been opened for a supervisor",
                             stored.value, describe_vessel(db, holder_vessel))});
            stored.id = 0;
            return ErrorCode::none;
        }
        // One current identifier per scheme per vessel: the old one ends when the new starts.
        SQLite::Statement end_old(db.handle(),
                                  "UPDATE identifiers SET valid_to = max(valid_from, ?) WHERE "
                                  "vessel_id = ? AND scheme = ? AND valid_to IS NULL");
        end_old.bind(1, stored.valid_from);
        end_old.bind(2, vessel_id);
        end_old.bind(3, stored.scheme);
        end_old.exec();
        SQLite::Statement ins(db.handle(),
                              "INSERT INTO identifiers(vessel_id, scheme, value, authority, "
                              "valid_from, created_at) VALUES(?,?,?,?,?,?)");
        ins.bind(1, vessel_id);
        ins.bind(2, stored.scheme);
        ins.bind(3, stored.value);
        ins.bind(4, stored.authority);
        ins.bind(5, stored.valid_from);
        ins.bind(6, now);
        ins.exec();
        stored.id = db.handle().getLastInsertRowid();
        return ErrorCode::none;
    }
};

} // namespace sahil::registry::detail

namespace sahil::registry {

using namespace detail; // this header is private to vessel_registry*.cpp

/// Private helpers that need the connection.
struct VesselRegistry::Impl {
    static std::optional<Vessel> load_vessel(const Database& db, std::int64_t id) {
        SQLite::Statement q(db.handle(),
                            fmt::format("SELECT {} FROM vessels WHERE id = ?", vessel_columns));
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_vessel(q);
    }

    static std::optional<Licence> load_licence(const Database& db, std::int64_t id) {
        SQLite::Statement q(db.handle(),
                            fmt::format("SELECT {} FROM licences WHERE id = ?", licence_columns));
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_licence(q);
    }

    static bool party_exists(const Database& db, std::int64_t id) {
        SQLite::Statement q(db.handle(), "SELECT 1 FROM parties WHERE id = ?");
        q.bind(1, id);
        return q.executeStep();
    }

    /// Binds parameters 1..17 in the column order name, name_norm, vessel_type, hull_material,
    /// loa_m, breadth_m, depth_m, gross_tonnage, engine_kw, engine_count, max_persons,
    /// build_year, home_harbour, hull_colour, marking_text, status, status_reason (the INSERT
    /// and the UPDATE of a vessel share it).
    static void bind_vessel_fields(SQLite::Statement& s, const Vessel& v) {
        s.bind(1, v.name);
        s.bind(2, v.name_norm);
        s.bind(3, v.vessel_type);
        bind_text_or_null(s, 4, v.hull_material);
        bind_opt(s, 5, v.loa_m);
        bind_opt(s, 6, v.breadth_m);
        bind_opt(s, 7, v.depth_m);
        bind_opt(s, 8, v.gross_tonnage);
        bind_opt(s, 9, v.engine_kw);
        bind_opt(s, 10, v.engine_count);
        bind_opt(s, 11, v.max_persons);
        bind_opt(s, 12, v.build_year);
        s.bind(13, v.home_harbour);
        bind_text_or_null(s, 14, v.hull_colour);
        bind_text_or_null(s, 15, v.marking_text);
        s.bind(16, v.status);
        bind_text_or_null(s, 17, v.status_reason);
    }

    static void insert_vessel_row(Database& db, Vessel& v, const std::string& now) {
        SQLite::Statement s(db.handle(),
                            "INSERT INTO vessels(name, name_norm, vessel_type, hull_material, "
                            "loa_m, breadth_m, depth_m, gross_tonnage, engine_kw, engine_count, "
                            "max_persons, build_year, home_harbour, hull_colour, marking_text, "
                            "status, status_reason, created_at, updated_at) "
                            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        v.name_norm = normalise_vessel_name(v.name);
        v.created_at = now;
        v.updated_at = now;
        bind_vessel_fields(s, v);
        s.bind(18, now);
        s.bind(19, now);
        s.exec();
        v.id = db.handle().getLastInsertRowid();
    }

    static std::int64_t insert_licence_row(Database& db, Licence& l, const std::string& now) {
        SQLite::Statement s(db.handle(),
                            "INSERT INTO licences(vessel_id, authority, licence_no, kind, gear, "
                            "zones, valid_from, valid_to, night_fishing, foreign_waters, status, "
                            "status_reason, renewed_from, created_at, updated_at) "
                            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        s.bind(1, l.vessel_id);
        s.bind(2, l.authority);
        s.bind(3, l.licence_no);
        s.bind(4, l.kind);
        s.bind(5, json_array_text(l.gear));
        s.bind(6, json_array_text(l.zones));
        s.bind(7, l.valid_from);
        s.bind(8, l.valid_to);
        s.bind(9, l.night_fishing ? 1 : 0);
        s.bind(10, l.foreign_waters ? 1 : 0);
        s.bind(11, l.status);
        bind_text_or_null(s, 12, l.status_reason);
        bind_opt(s, 13, l.renewed_from);
        s.bind(14, now);
        s.bind(15, now);
        s.exec();
        l.id = db.handle().getLastInsertRowid();
        return l.id;
    }

    static std::optional<std::string> licence_number_taken(const Database& db, const Licence& l) {
        SQLite::Statement q(db.handle(),
                            "SELECT id, vessel_id FROM licences WHERE authority = ? AND "
                            "licence_no = ? COLLATE NOCASE AND status IN ('active','suspended')");
        q.bind(1, l.authority);
        q.bind(2, l.licence_no);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return fmt::format("{} licence {} is already held by {} (licence {})", l.authority,
                           l.licence_no, describe_vessel(db, q.getColumn(1).getInt64()),
                           q.getColumn(0).getInt64());
    }
};

} // namespace sahil::registry

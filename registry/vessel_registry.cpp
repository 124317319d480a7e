#include "registry/vessel_registry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "registry/crypto.hpp"
#include "registry/validation.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {
namespace {

using nlohmann::ordered_json;

constexpr std::array vessel_types{"launch",     "hora",    "yakdar",    "speedboat",
                                  "gillnetter", "trawler", "longliner", "purse_seiner",
                                  "dhow",       "carrier", "other"};
constexpr std::array hull_materials{"wood", "grp", "steel", "aluminium", "ferro_cement", "other"};
constexpr std::array vessel_statuses{"active", "laid_up", "under_repair",  "suspended",
                                     "seized", "lost",    "decommissioned"};
constexpr std::array party_kinds{"person", "company", "cooperative", "government"};
constexpr std::array licence_kinds{
    "artisanal", "commercial_territorial", "deep_sea", "tuna_longline", "carrier", "other"};
constexpr std::array transponder_kinds{"ais_class_a", "ais_class_b", "vms", "gsm_tracker", "other"};
constexpr std::array agencies{"coast_guards", "msa", "navy", "police", "fisheries"};

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

std::string prefixed(std::string_view prefix, std::string_view field) {
    return prefix.empty() ? std::string(field) : fmt::format("{}.{}", prefix, field);
}

void check_text_field(std::vector<FieldError>& errors, std::string_view prefix,
                      std::string_view field, std::string_view value, std::size_t max,
                      bool required) {
    if (auto problem = check_free_text(value, max, required)) {
        errors.push_back(
            {prefix.empty() ? std::string(field) : prefixed(prefix, field), std::move(*problem)});
    }
}

bool valid_date(std::string_view text) {
    return parse_iso_date(text).has_value();
}

void check_date_field(std::vector<FieldError>& errors, std::string_view prefix,
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

std::string date_plus(std::string_view date, int days) {
    const auto d = parse_iso_date(date);
    return format_iso_date(
        std::chrono::year_month_day{std::chrono::sys_days{*d} + std::chrono::days{days}});
}

bool code_like(std::string_view s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::string json_array_text(const std::vector<std::string>& items) {
    return ordered_json(items).dump();
}

std::vector<std::string> parse_json_array(const std::string& text) {
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

std::optional<double> opt_real(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<double>(c.getDouble());
}
std::optional<int> opt_int(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<int>(c.getInt());
}
std::optional<std::uint32_t> opt_mmsi(const SQLite::Column& c) {
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

void bind_text_or_null(SQLite::Statement& s, int i, const std::string& v) {
    if (v.empty()) {
        s.bind(i);
    } else {
        s.bind(i, v);
    }
}

constexpr std::string_view vessel_columns =
    "id, name, name_norm, vessel_type, hull_material, loa_m, breadth_m, depth_m, gross_tonnage, "
    "engine_kw, engine_count, max_persons, build_year, home_harbour, hull_colour, marking_text, "
    "status, status_reason, created_at, updated_at";

Vessel read_vessel(const SQLite::Statement& r) {
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

constexpr std::string_view identifier_columns =
    "id, vessel_id, scheme, value, authority, valid_from, valid_to";

Identifier read_identifier(const SQLite::Statement& r) {
    return Identifier{r.getColumn(0).getInt64(),  r.getColumn(1).getInt64(),
                      r.getColumn(2).getString(), r.getColumn(3).getString(),
                      r.getColumn(4).getString(), r.getColumn(5).getString(),
                      r.getColumn(6).getString()};
}

constexpr std::string_view licence_columns =
    "id, vessel_id, authority, licence_no, kind, gear, zones, valid_from, valid_to, "
    "night_fishing, foreign_waters, status, status_reason, renewed_from";

Licence read_licence(const SQLite::Statement& r) {
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

constexpr std::string_view conflict_columns =
    "id, scheme, value, authority, holder_vessel_id, claimant_vessel_id, opened_at, opened_by, "
    "status, resolution, resolved_at, resolved_by, resolution_note";

IdentityConflict read_conflict(const SQLite::Statement& r) {
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

constexpr std::string_view transponder_columns =
    "id, vessel_id, kind, mmsi, serial, provider, installed_on, removed_on";

Transponder read_transponder(const SQLite::Statement& r) {
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
ordered_json party_audit_json(const Party& p) {
    Party masked = p;
    if (masked.cnic) {
        masked.cnic = mask_cnic(*masked.cnic);
    }
    if (masked.phone) {
        masked.phone = mask_phone(*masked.phone);
    }
    return ordered_json(masked);
}

bool is_registration_scheme(std::string_view scheme) {
    return scheme == "official_number" || scheme == "provincial_reg" ||
           scheme == "fishing_licence_no";
}

std::string escape_like(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

std::string describe_vessel(const Database& db, std::int64_t id) {
    SQLite::Statement q(db.handle(), "SELECT registration_number, name FROM boats WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) {
        return fmt::format("vessel {}", id);
    }
    return fmt::format("vessel {} ({} \"{}\")", id, q.getColumn(0).getString(),
                       q.getColumn(1).getString());
}

} // namespace

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

// ---- parties ----------------------------------------------------------------------------------

namespace {

struct PartyCheck {
    std::vector<FieldError> errors;
    std::optional<std::string> cnic;  // normalised
    std::optional<std::string> phone; // normalised
};

PartyCheck check_party(const Party& p, std::string_view prefix) {
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
            c.errors.push_back({prefixed(prefix, "cnic"),
                                "CNIC must be 13 digits, written 42101-1234567-3 or "
                                "4210112345673"});
        }
    }
    if (p.phone && !p.phone->empty()) {
        c.phone = normalise_pk_phone(*p.phone);
        if (!c.phone) {
            c.errors.push_back({prefixed(prefix, "phone"),
                                "phone must be a Pakistani number, e.g. 0300-1234567 or "
                                "+92 300 1234567"});
        }
    }
    return c;
}

} // namespace

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

// ---- identifiers ------------------------------------------------------------------------------

namespace {

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

} // namespace

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

// ---- registration -----------------------------------------------------------------------------

Outcome<RegisterResult> VesselRegistry::register_vessel(const Actor& actor,
                                                        const Registration& form) {
    try {
        WriteTransaction tx(m_db);
        const int year = static_cast<int>(
            std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(m_clock())}.year());
        std::vector<FieldError> errors = validate_vessel(form.vessel, year);
        if (form.vessel.status != "active") {
            errors.push_back({"status", "a new registration starts active"});
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

Outcome<Done> VesselRegistry::update_vessel(const Actor& actor, std::int64_t id,
                                            const Vessel& changes, const std::string& reason) {
    try {
        WriteTransaction tx(m_db);
        const auto before = Impl::load_vessel(m_db, id);
        if (!before) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
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
            return Outcome<Done>::failure(ErrorCode::validation_failed, errors);
        }
        Vessel after = changes;
        after.id = id;
        after.name_norm = normalise_vessel_name(changes.name);
        after.created_at = before->created_at;
        after.updated_at = now_text();
        SQLite::Statement s(m_db.handle(),
                            "UPDATE vessels SET name=?, name_norm=?, vessel_type=?, "
                            "hull_material=?, loa_m=?, breadth_m=?, depth_m=?, gross_tonnage=?, "
                            "engine_kw=?, engine_count=?, max_persons=?, build_year=?, "
                            "home_harbour=?, hull_colour=?, marking_text=?, status=?, "
                            "status_reason=?, updated_at=? WHERE id=?");
        s.bind(1, after.name);
        s.bind(2, after.name_norm);
        s.bind(3, after.vessel_type);
        bind_text_or_null(s, 4, after.hull_material);
        bind_opt(s, 5, after.loa_m);
        bind_opt(s, 6, after.breadth_m);
        bind_opt(s, 7, after.depth_m);
        bind_opt(s, 8, after.gross_tonnage);
        bind_opt(s, 9, after.engine_kw);
        bind_opt(s, 10, after.engine_count);
        bind_opt(s, 11, after.max_persons);
        bind_opt(s, 12, after.build_year);
        s.bind(13, after.home_harbour);
        bind_text_or_null(s, 14, after.hull_colour);
        bind_text_or_null(s, 15, after.marking_text);
        s.bind(16, after.status);
        bind_text_or_null(s, 17, after.status_reason);
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
        return Outcome<Done>::success({});
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

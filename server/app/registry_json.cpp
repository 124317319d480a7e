#include "server/app/registry_json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace sahil::app {
namespace {

using nlohmann::json;

std::string at(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

const json* member(const json& j, const std::string& key) {
    if (!j.is_object()) {
        return nullptr;
    }
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::optional<double> number_member(const json& j, const std::string& key, const std::string& path,
                                    JsonErrors& errors) {
    const json* m = member(j, key);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_number()) {
        errors.push_back({at(path, key), "must be a number"});
        return std::nullopt;
    }
    const double v = m->get<double>();
    if (!std::isfinite(v)) {
        errors.push_back({at(path, key), "must be a finite number"});
        return std::nullopt;
    }
    return v;
}

std::optional<std::int64_t> integer_member(const json& j, const std::string& key,
                                           const std::string& path, JsonErrors& errors) {
    const json* m = member(j, key);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_number_integer()) {
        errors.push_back({at(path, key), "must be a whole number"});
        return std::nullopt;
    }
    return m->get<std::int64_t>();
}

std::optional<int> int_member(const json& j, const std::string& key, const std::string& path,
                              JsonErrors& errors) {
    const auto v = integer_member(j, key, path, errors);
    if (!v) {
        return std::nullopt;
    }
    if (*v < std::numeric_limits<int>::min() || *v > std::numeric_limits<int>::max()) {
        errors.push_back({at(path, key), "is out of range"});
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

bool bool_member(const json& j, const std::string& key, const std::string& path, JsonErrors& errors,
                 bool fallback = false) {
    const json* m = member(j, key);
    if (m == nullptr) {
        return fallback;
    }
    if (!m->is_boolean()) {
        errors.push_back({at(path, key), "must be true or false"});
        return fallback;
    }
    return m->get<bool>();
}

std::optional<std::string> optional_string_member(const json& j, const std::string& key,
                                                  const std::string& path, JsonErrors& errors) {
    const json* m = member(j, key);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_string()) {
        errors.push_back({at(path, key), "must be a string (in quotes)"});
        return std::nullopt;
    }
    return m->get<std::string>();
}

std::vector<std::string> string_list_member(const json& j, const std::string& key,
                                            const std::string& path, JsonErrors& errors) {
    std::vector<std::string> out;
    const json* m = member(j, key);
    if (m == nullptr) {
        return out;
    }
    if (!m->is_array() || m->size() > 64) {
        errors.push_back({at(path, key), "must be a list of at most 64 strings"});
        return out;
    }
    for (std::size_t i = 0; i < m->size(); ++i) {
        if (!(*m)[i].is_string()) {
            errors.push_back({fmt::format("{}[{}]", at(path, key), i), "must be a string"});
            continue;
        }
        out.push_back((*m)[i].get<std::string>());
    }
    return out;
}

std::optional<std::uint32_t> mmsi_member(const json& j, const std::string& key,
                                         const std::string& path, JsonErrors& errors) {
    const json* m = member(j, key);
    if (m == nullptr) {
        return std::nullopt;
    }
    std::optional<std::uint32_t> v;
    if (m->is_string()) {
        v = registry::parse_mmsi(m->get<std::string>());
    } else if (m->is_number_unsigned() && m->get<std::uint64_t>() <= 999'999'999) {
        v = static_cast<std::uint32_t>(m->get<std::uint64_t>());
    }
    if (!v) {
        errors.push_back({at(path, key), "must be 9 digits, e.g. 463123456"});
    }
    return v;
}

bool require_object(const json& j, const std::string& path, JsonErrors& errors) {
    if (!j.is_object()) {
        errors.push_back({path.empty() ? "body" : path, "must be a JSON object"});
        return false;
    }
    return true;
}

} // namespace

std::string string_member(const json& j, const std::string& key, const std::string& path,
                          JsonErrors& errors) {
    return optional_string_member(j, key, path, errors).value_or("");
}

void reject_unknown(const json& j, std::initializer_list<const char*> allowed,
                    const std::string& path, JsonErrors& errors) {
    if (!j.is_object()) {
        return;
    }
    for (const auto& [key, value] : j.items()) {
        if (std::none_of(allowed.begin(), allowed.end(),
                         [&key](const char* a) { return key == a; })) {
            errors.push_back({at(path, key), "is not a field of this form"});
        }
    }
}

registry::Vessel read_vessel(const json& j, const std::string& path, bool allow_status,
                             JsonErrors& errors) {
    registry::Vessel v;
    if (!require_object(j, path, errors)) {
        return v;
    }
    if (allow_status) {
        reject_unknown(j,
                       {"name", "vessel_type", "hull_material", "loa_m", "breadth_m", "depth_m",
                        "gross_tonnage", "engine_kw", "engine_count", "max_persons", "build_year",
                        "home_harbour", "hull_colour", "marking_text", "status", "status_reason"},
                       path, errors);
    } else {
        reject_unknown(j,
                       {"name", "vessel_type", "hull_material", "loa_m", "breadth_m", "depth_m",
                        "gross_tonnage", "engine_kw", "engine_count", "max_persons", "build_year",
                        "home_harbour", "hull_colour", "marking_text"},
                       path, errors);
    }
    v.name = string_member(j, "name", path, errors);
    if (auto t = optional_string_member(j, "vessel_type", path, errors)) {
        v.vessel_type = *t;
    }
    v.hull_material = string_member(j, "hull_material", path, errors);
    v.loa_m = number_member(j, "loa_m", path, errors);
    v.breadth_m = number_member(j, "breadth_m", path, errors);
    v.depth_m = number_member(j, "depth_m", path, errors);
    v.gross_tonnage = number_member(j, "gross_tonnage", path, errors);
    v.engine_kw = number_member(j, "engine_kw", path, errors);
    v.engine_count = int_member(j, "engine_count", path, errors);
    v.max_persons = int_member(j, "max_persons", path, errors);
    v.build_year = int_member(j, "build_year", path, errors);
    v.home_harbour = string_member(j, "home_harbour", path, errors);
    v.hull_colour = string_member(j, "hull_colour", path, errors);
    v.marking_text = string_member(j, "marking_text", path, errors);
    if (allow_status) {
        if (auto s = optional_string_member(j, "status", path, errors)) {
            v.status = *s;
        }
        v.status_reason = string_member(j, "status_reason", path, errors);
    }
    return v;
}

registry::Identifier read_identifier(const json& j, const std::string& path, JsonErrors& errors) {
    registry::Identifier id;
    if (!require_object(j, path, errors)) {
        return id;
    }
    reject_unknown(j, {"scheme", "value", "authority", "valid_from"}, path, errors);
    id.scheme = string_member(j, "scheme", path, errors);
    // An MMSI typed as a JSON number is accepted (9 digits cannot start with 0 for ships).
    if (const json* value = member(j, "value"); value != nullptr && value->is_number_unsigned()) {
        id.value = std::to_string(value->get<std::uint64_t>());
    } else {
        id.value = string_member(j, "value", path, errors);
    }
    id.authority = string_member(j, "authority", path, errors);
    id.valid_from = string_member(j, "valid_from", path, errors);
    return id;
}

registry::Party read_party(const json& j, const std::string& path, JsonErrors& errors) {
    registry::Party p;
    if (!require_object(j, path, errors)) {
        return p;
    }
    reject_unknown(j,
                   {"kind", "name", "father_or_husband_name", "cnic", "phone", "address",
                    "district", "province", "company_reg_no"},
                   path, errors);
    if (auto k = optional_string_member(j, "kind", path, errors)) {
        p.kind = *k;
    }
    p.name = string_member(j, "name", path, errors);
    p.father_or_husband_name = string_member(j, "father_or_husband_name", path, errors);
    p.cnic = optional_string_member(j, "cnic", path, errors);
    p.phone = optional_string_member(j, "phone", path, errors);
    p.address = string_member(j, "address", path, errors);
    p.district = string_member(j, "district", path, errors);
    p.province = string_member(j, "province", path, errors);
    p.company_reg_no = string_member(j, "company_reg_no", path, errors);
    return p;
}

registry::Licence read_licence(const json& j, const std::string& path, JsonErrors& errors) {
    registry::Licence l;
    if (!require_object(j, path, errors)) {
        return l;
    }
    reject_unknown(j,
                   {"authority", "licence_no", "kind", "gear", "zones", "valid_from", "valid_to",
                    "night_fishing", "foreign_waters"},
                   path, errors);
    l.authority = string_member(j, "authority", path, errors);
    l.licence_no = string_member(j, "licence_no", path, errors);
    if (auto k = optional_string_member(j, "kind", path, errors)) {
        l.kind = *k;
    }
    l.gear = string_list_member(j, "gear", path, errors);
    for (std::string& g : l.gear) {
        // Gear codes are lower-case with '_' ("Gill Net" -> "gill_net"), as the CSV import does.
        for (char& c : g) {
            c = c == ' ' ? '_' : (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
        }
    }
    l.zones = string_list_member(j, "zones", path, errors);
    l.valid_from = string_member(j, "valid_from", path, errors);
    l.valid_to = string_member(j, "valid_to", path, errors);
    l.night_fishing = bool_member(j, "night_fishing", path, errors);
    l.foreign_waters = bool_member(j, "foreign_waters", path, errors);
    return l;
}

registry::Transponder read_transponder(const json& j, const std::string& path, JsonErrors& errors) {
    registry::Transponder t;
    if (!require_object(j, path, errors)) {
        return t;
    }
    reject_unknown(j, {"kind", "mmsi", "serial", "provider", "installed_on"}, path, errors);
    t.kind = string_member(j, "kind", path, errors);
    t.mmsi = mmsi_member(j, "mmsi", path, errors);
    t.serial = string_member(j, "serial", path, errors);
    t.provider = string_member(j, "provider", path, errors);
    t.installed_on = string_member(j, "installed_on", path, errors);
    return t;
}

registry::ClosedSeason read_closed_season(const json& j, JsonErrors& errors) {
    registry::ClosedSeason s;
    if (!require_object(j, "", errors)) {
        return s;
    }
    reject_unknown(
        j, {"authority", "name", "starts_on", "ends_on", "zones", "gear", "notification_ref"}, "",
        errors);
    s.authority = string_member(j, "authority", "", errors);
    s.name = string_member(j, "name", "", errors);
    s.starts_on = string_member(j, "starts_on", "", errors);
    s.ends_on = string_member(j, "ends_on", "", errors);
    s.zones = string_list_member(j, "zones", "", errors);
    s.gear = string_list_member(j, "gear", "", errors);
    s.notification_ref = string_member(j, "notification_ref", "", errors);
    return s;
}

registry::PatrolUnit read_patrol_unit(const json& j, JsonErrors& errors) {
    registry::PatrolUnit u;
    if (!require_object(j, "", errors)) {
        return u;
    }
    reject_unknown(j, {"unit_id", "agency", "name", "mmsi", "call_sign", "home_base", "active"}, "",
                   errors);
    u.unit_id = string_member(j, "unit_id", "", errors);
    u.agency = string_member(j, "agency", "", errors);
    u.name = string_member(j, "name", "", errors);
    u.mmsi = mmsi_member(j, "mmsi", "", errors);
    u.call_sign = string_member(j, "call_sign", "", errors);
    u.home_base = string_member(j, "home_base", "", errors);
    u.active = bool_member(j, "active", "", errors, true);
    return u;
}

std::vector<registry::OwnerInput> read_owner_ids(const json& j, const std::string& path,
                                                 JsonErrors& errors) {
    std::vector<registry::OwnerInput> out;
    if (!j.is_array() || j.size() > 32) {
        errors.push_back({path, "must be a list of at most 32 owners"});
        return out;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string p = fmt::format("{}[{}]", path, i);
        if (!require_object(j[i], p, errors)) {
            continue;
        }
        reject_unknown(j[i], {"party_id", "share_pct"}, p, errors);
        registry::OwnerInput o;
        o.party_id = integer_member(j[i], "party_id", p, errors);
        o.share_pct = number_member(j[i], "share_pct", p, errors).value_or(0.0);
        out.push_back(o);
    }
    return out;
}

registry::Registration read_registration(const json& body, JsonErrors& errors) {
    registry::Registration r;
    if (!require_object(body, "", errors)) {
        return r;
    }
    reject_unknown(body, {"vessel", "identifiers", "owners", "licence", "transponders", "reason"},
                   "", errors);
    if (const json* v = member(body, "vessel")) {
        r.vessel = read_vessel(*v, "vessel", false, errors);
    } else {
        errors.push_back({"vessel", "required (the boat's particulars)"});
    }
    if (const json* ids = member(body, "identifiers")) {
        if (!ids->is_array() || ids->size() > 16) {
            errors.push_back({"identifiers", "must be a list of at most 16 identifiers"});
        } else {
            for (std::size_t i = 0; i < ids->size(); ++i) {
                r.identifiers.push_back(
                    read_identifier((*ids)[i], fmt::format("identifiers[{}]", i), errors));
            }
        }
    }
    if (const json* owners = member(body, "owners")) {
        if (!owners->is_array() || owners->size() > 32) {
            errors.push_back({"owners", "must be a list of at most 32 owners"});
        } else {
            for (std::size_t i = 0; i < owners->size(); ++i) {
                const std::string p = fmt::format("owners[{}]", i);
                const json& o = (*owners)[i];
                if (!require_object(o, p, errors)) {
                    continue;
                }
                reject_unknown(o, {"party_id", "party", "share_pct"}, p, errors);
                registry::OwnerInput in;
                in.party_id = integer_member(o, "party_id", p, errors);
                if (const json* party = member(o, "party")) {
                    in.party = read_party(*party, p + ".party", errors);
                }
                in.share_pct = number_member(o, "share_pct", p, errors).value_or(100.0);
                r.owners.push_back(std::move(in));
            }
        }
    }
    if (const json* l = member(body, "licence")) {
        r.licence = read_licence(*l, "licence", errors);
    }
    if (const json* ts = member(body, "transponders")) {
        if (!ts->is_array() || ts->size() > 8) {
            errors.push_back({"transponders", "must be a list of at most 8 transponders"});
        } else {
            for (std::size_t i = 0; i < ts->size(); ++i) {
                r.transponders.push_back(
                    read_transponder((*ts)[i], fmt::format("transponders[{}]", i), errors));
            }
        }
    }
    r.reason = string_member(body, "reason", "", errors);
    return r;
}

} // namespace sahil::app

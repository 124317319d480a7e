// Registry JSON input: strict readers that turn API request bodies into registry model values
// (registry/model.hpp), reporting every problem as a FieldError with its JSON path
// ("owners[0].party.cnic: must be a string") instead of throwing.
//
// Strict on purpose (OWASP ASVS 5.0 V15.3.3, mass assignment): a member the form does not have
// ("id", "status" on creation, "name_norm", anything misspelt) is an error naming it, so a client
// cannot set fields it should not and a typo is never silently dropped. Types are checked
// (a number for loa_m, a string for cnic — never a number, which would lose leading digits),
// null means "not given" for optional members.
// Example: `JsonErrors e; Registration r = read_registration(body, e); if (!e.empty()) ...`
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/model.hpp"
#include "registry/validation.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::app {

/// Problems found while reading a body (field path + message).
using JsonErrors = std::vector<registry::FieldError>;

/// `{"vessel": {...}, "identifiers": [...], "owners": [{"party_id": 3, "share_pct": 50} |
/// {"party": {...}, "share_pct": 50}], "licence": {...}|null, "transponders": [...],
/// "reason": "..."}`.
[[nodiscard]] registry::Registration read_registration(const nlohmann::json& body,
                                                       JsonErrors& errors);

/// The editable vessel fields (all of Vessel except id, name_norm, created_at, updated_at);
/// with `allow_status` also status and status_reason. `path` prefixes field names.
[[nodiscard]] registry::Vessel read_vessel(const nlohmann::json& j, const std::string& path,
                                           bool allow_status, JsonErrors& errors);

/// scheme, value, authority, valid_from (optional).
[[nodiscard]] registry::Identifier read_identifier(const nlohmann::json& j, const std::string& path,
                                                   JsonErrors& errors);

/// kind, name, father_or_husband_name, cnic, phone, address, district, province,
/// company_reg_no.
[[nodiscard]] registry::Party read_party(const nlohmann::json& j, const std::string& path,
                                         JsonErrors& errors);

/// authority, licence_no, kind, gear, zones, valid_from, valid_to, night_fishing,
/// foreign_waters.
[[nodiscard]] registry::Licence read_licence(const nlohmann::json& j, const std::string& path,
                                             JsonErrors& errors);

/// kind, mmsi, serial, provider, installed_on.
[[nodiscard]] registry::Transponder read_transponder(const nlohmann::json& j,
                                                     const std::string& path, JsonErrors& errors);

/// authority, name, starts_on, ends_on, zones, gear, notification_ref.
[[nodiscard]] registry::ClosedSeason read_closed_season(const nlohmann::json& j,
                                                        JsonErrors& errors);

/// unit_id, agency, name, mmsi, call_sign, home_base, active.
[[nodiscard]] registry::PatrolUnit read_patrol_unit(const nlohmann::json& j, JsonErrors& errors);

/// `[{"party_id": 3, "share_pct": 60}, ...]` (transfer: existing parties only).
[[nodiscard]] std::vector<registry::OwnerInput>
read_owner_ids(const nlohmann::json& j, const std::string& path, JsonErrors& errors);

/// Reads string member `key` of object `j` ("" when absent or null); a non-string is an error.
[[nodiscard]] std::string string_member(const nlohmann::json& j, const std::string& key,
                                        const std::string& path, JsonErrors& errors);

/// Reports every member of `j` not in `allowed` as "not a field of this form".
void reject_unknown(const nlohmann::json& j, std::initializer_list<const char*> allowed,
                    const std::string& path, JsonErrors& errors);

} // namespace sahil::app

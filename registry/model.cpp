#include "registry/model.hpp"

namespace sahil::registry {
namespace {

using nlohmann::ordered_json;

template <class T> ordered_json opt(const std::optional<T>& v) {
    return v ? ordered_json(*v) : ordered_json();
}

ordered_json text_or_null(const std::string& s) {
    return s.empty() ? ordered_json() : ordered_json(s);
}

} // namespace

void to_json(ordered_json& j, const Vessel& v) {
    j = ordered_json{{"id", v.id},
                     {"name", v.name},
                     {"vessel_type", v.vessel_type},
                     {"hull_material", text_or_null(v.hull_material)},
                     {"loa_m", opt(v.loa_m)},
                     {"breadth_m", opt(v.breadth_m)},
                     {"depth_m", opt(v.depth_m)},
                     {"gross_tonnage", opt(v.gross_tonnage)},
                     {"engine_kw", opt(v.engine_kw)},
                     {"engine_count", opt(v.engine_count)},
                     {"max_persons", opt(v.max_persons)},
                     {"build_year", opt(v.build_year)},
                     {"home_harbour", v.home_harbour},
                     {"hull_colour", text_or_null(v.hull_colour)},
                     {"marking_text", text_or_null(v.marking_text)},
                     {"status", v.status},
                     {"status_reason", text_or_null(v.status_reason)},
                     {"created_at", v.created_at},
                     {"updated_at", v.updated_at}};
}

void to_json(ordered_json& j, const Identifier& v) {
    j = ordered_json{{"id", v.id},
                     {"vessel_id", v.vessel_id},
                     {"scheme", v.scheme},
                     {"value", v.value},
                     {"authority", v.authority},
                     {"valid_from", v.valid_from},
                     {"valid_to", text_or_null(v.valid_to)}};
}

void to_json(ordered_json& j, const Party& v) {
    j = ordered_json{{"id", v.id},
                     {"kind", v.kind},
                     {"name", v.name},
                     {"father_or_husband_name", text_or_null(v.father_or_husband_name)},
                     {"cnic", opt(v.cnic)},
                     {"phone", opt(v.phone)},
                     {"address", text_or_null(v.address)},
                     {"district", text_or_null(v.district)},
                     {"province", text_or_null(v.province)},
                     {"company_reg_no", text_or_null(v.company_reg_no)}};
}

void to_json(ordered_json& j, const VesselParty& v) {
    j = ordered_json{{"id", v.id},
                     {"vessel_id", v.vessel_id},
                     {"party_id", v.party_id},
                     {"role", v.role},
                     {"share_pct", opt(v.share_pct)},
                     {"valid_from", v.valid_from},
                     {"valid_to", text_or_null(v.valid_to)}};
}

void to_json(ordered_json& j, const Licence& v) {
    j = ordered_json{{"id", v.id},
                     {"vessel_id", v.vessel_id},
                     {"authority", v.authority},
                     {"licence_no", v.licence_no},
                     {"kind", v.kind},
                     {"gear", v.gear},
                     {"zones", v.zones},
                     {"valid_from", v.valid_from},
                     {"valid_to", v.valid_to},
                     {"night_fishing", v.night_fishing},
                     {"foreign_waters", v.foreign_waters},
                     {"status", v.status},
                     {"status_reason", text_or_null(v.status_reason)},
                     {"renewed_from", opt(v.renewed_from)}};
}

void to_json(ordered_json& j, const Transponder& v) {
    j = ordered_json{{"id", v.id},
                     {"vessel_id", v.vessel_id},
                     {"kind", v.kind},
                     {"mmsi", opt(v.mmsi)},
                     {"serial", text_or_null(v.serial)},
                     {"provider", text_or_null(v.provider)},
                     {"installed_on", v.installed_on},
                     {"removed_on", text_or_null(v.removed_on)}};
}

void to_json(ordered_json& j, const PatrolUnit& v) {
    j = ordered_json{{"id", v.id},
                     {"unit_id", v.unit_id},
                     {"agency", v.agency},
                     {"name", v.name},
                     {"mmsi", opt(v.mmsi)},
                     {"call_sign", text_or_null(v.call_sign)},
                     {"home_base", text_or_null(v.home_base)},
                     {"active", v.active}};
}

void to_json(ordered_json& j, const ClosedSeason& v) {
    j = ordered_json{{"id", v.id},
                     {"authority", v.authority},
                     {"name", v.name},
                     {"starts_on", v.starts_on},
                     {"ends_on", v.ends_on},
                     {"zones", v.zones},
                     {"gear", v.gear},
                     {"notification_ref", text_or_null(v.notification_ref)}};
}

void to_json(ordered_json& j, const IdentityConflict& v) {
    j = ordered_json{{"id", v.id},
                     {"scheme", v.scheme},
                     {"value", v.value},
                     {"authority", v.authority},
                     {"holder_vessel_id", v.holder_vessel_id},
                     {"claimant_vessel_id", v.claimant_vessel_id},
                     {"opened_at", v.opened_at},
                     {"opened_by", v.opened_by},
                     {"status", v.status},
                     {"resolution", text_or_null(v.resolution)},
                     {"resolved_at", text_or_null(v.resolved_at)},
                     {"resolved_by", text_or_null(v.resolved_by)},
                     {"resolution_note", text_or_null(v.resolution_note)}};
}

} // namespace sahil::registry

#include "server/app/registry_api.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/certificate.hpp"
#include "registry/crypto.hpp"
#include "registry/identifiers.hpp"
#include "registry/registry_csv.hpp"
#include "registry/vessel_photos.hpp"
#include "registry/vessel_registry.hpp"
#include "server/app/registry_json.hpp"

namespace sahil::app {
namespace {

using http::Access;
using http::HarbourScope;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using http::Role;
using http::RoleSet;
using nlohmann::json;
using nlohmann::ordered_json;
using registry::ErrorCode;

// ---- who may do what (docs/api.md "Roles") -----------------------------------------------------

/// Everyone who works with the registry reads it (search-first: clerks see other harbours'
/// boats, masked, so that they do not register a boat twice).
constexpr RoleSet readers = RoleSet::all();
/// Registry writers: administrators and clerks (clerks for their own harbours only).
constexpr RoleSet writers{Role::admin, Role::clerk};

constexpr Access read_all{.roles = readers};
constexpr Access clerk_write_vessel{
    .roles = writers, .state_changing = true, .scope = HarbourScope::vessel_id};
constexpr Access clerk_write_new{
    .roles = writers, .state_changing = true, .scope = HarbourScope::body_harbour};
constexpr Access supervisor_write{.roles = {Role::admin, Role::supervisor}, .state_changing = true};
constexpr Access vessel_correction{.roles = {Role::admin, Role::clerk, Role::supervisor},
                                   .state_changing = true,
                                   .scope = HarbourScope::vessel_id};
constexpr Access clerk_write_licence{
    .roles = writers, .state_changing = true, .scope = HarbourScope::licence_id};
constexpr Access clerk_write_identifier{
    .roles = writers, .state_changing = true, .scope = HarbourScope::identifier_id};
constexpr Access clerk_write_transponder{
    .roles = writers, .state_changing = true, .scope = HarbourScope::transponder_id};
constexpr Access clerk_write_party{
    .roles = writers, .state_changing = true, .scope = HarbourScope::party_id};
/// A new owner record is not tied to a harbour until it is linked to a boat.
constexpr Access clerk_create_party{.roles = writers, .state_changing = true};
/// CNIC lookups: people who register boats or investigate them; audited, POST body only.
constexpr Access cnic_search{.roles = {Role::admin, Role::clerk, Role::supervisor,
                                       Role::cg_watchkeeper, Role::msa_officer, Role::msa_analyst},
                             .state_changing = true,
                             .harbour_scoped = {}};
constexpr Access licence_lists{
    .roles = {Role::admin, Role::clerk, Role::supervisor, Role::auditor}};
constexpr Access conflict_read{.roles = {Role::admin, Role::clerk, Role::supervisor,
                                         Role::cg_watchkeeper, Role::msa_officer, Role::auditor}};
/// Patrol units are operational data: not for clerks or analysts' exports.
constexpr Access patrol_read{.roles = {Role::admin, Role::supervisor, Role::cg_watchkeeper,
                                       Role::msa_officer, Role::auditor}};
constexpr Access admin_write{.roles = {Role::admin}, .state_changing = true};
/// Imports: clerks for their own harbours (checked row by row), administrators for any.
constexpr Access importers{.roles = writers, .state_changing = true};
/// Exports: masked by default; PII only for admin or a clerk exporting her own harbour.
constexpr Access exporters{.roles = {Role::admin, Role::clerk, Role::supervisor, Role::auditor}};
/// A printed certificate is issued by the boat's harbour.
constexpr Access certificate_issue{
    .roles = writers, .state_changing = true, .scope = HarbourScope::vessel_id};

// ---- small helpers ---------------------------------------------------------------------------

Response json_ok(const ordered_json& j, unsigned status = 200) {
    Response r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    return r;
}

std::int64_t path_id(const Request& req) {
    const auto it = req.path_params.find("id");
    if (it == req.path_params.end() || it->second.empty() || it->second.size() > 18) {
        return -1;
    }
    return std::stoll(it->second);
}

template <class T> Response outcome_error(const registry::Outcome<T>& o) {
    return error_response(o.code, o.errors);
}

Response invalid(const JsonErrors& errors) {
    return error_response(ErrorCode::validation_failed, errors);
}

Response not_found(std::string_view what, std::int64_t id) {
    return error_response(ErrorCode::not_found,
                          {{"id", fmt::format("there is no {} {}", what, id)}});
}

std::optional<json> body_or_error(const Request& req, Responder& respond) {
    Response error;
    auto body = json_body(req, error);
    if (!body) {
        respond(std::move(error));
    }
    return body;
}

/// `reason` member of a body ("" when absent); a non-string is an error.
std::string reason_of(const json& body, JsonErrors& errors) {
    return string_member(body, "reason", "", errors);
}

ordered_json warnings_json(const std::vector<registry::FieldError>& warnings) {
    ordered_json out = ordered_json::array();
    for (const auto& w : warnings) {
        out.push_back({{"field", w.field}, {"message", w.message}});
    }
    return out;
}

registry::VesselRegistry& reg(ApiContext& api) {
    return *api.registry;
}

/// A party as the caller may see it: CNIC and phone masked and the address withheld unless
/// `reveal`.
ordered_json party_view(const registry::Party& p, bool reveal) {
    ordered_json j = p;
    if (!reveal) {
        j["cnic"] = p.cnic ? ordered_json(registry::mask_cnic(*p.cnic)) : ordered_json();
        j["phone"] = p.phone ? ordered_json(registry::mask_phone(*p.phone)) : ordered_json();
        j["address"] = p.address.empty() ? ordered_json() : ordered_json("(withheld)");
    } else if (p.cnic) {
        j["cnic"] = registry::format_cnic(*p.cnic);
    }
    j["pii_masked"] = !reveal;
    return j;
}

/// Home harbours of the vessels party `id` has a current role on. Call with the mutex held.
std::vector<std::string> party_harbours(ApiContext& api, std::int64_t id) {
    SQLite::Statement q(api.db.handle(),
                        "SELECT DISTINCT v.home_harbour FROM vessel_parties vp JOIN vessels v ON "
                        "v.id = vp.vessel_id WHERE vp.party_id = ? AND vp.valid_to IS NULL");
    q.bind(1, id);
    std::vector<std::string> out;
    while (q.executeStep()) {
        out.push_back(q.getColumn(0).getString());
    }
    return out;
}

void audit_pii_read(ApiContext& api, const Request& req, const RequestContext& ctx,
                    std::string_view entity, std::int64_t id) {
    // Every view of unmasked personal data is recorded (user-expectations.md §4.7).
    registry::AuditLog(api.db).append(actor_of(req, ctx), {.action = "pii.read",
                                                           .entity = std::string(entity),
                                                           .entity_id = std::to_string(id),
                                                           .reason = ctx.route});
}

ordered_json record_json(ApiContext& api, const registry::VesselRecord& r, const Request& req,
                         const RequestContext& ctx) {
    const bool reveal = ctx.principal && http::may_see_pii(*ctx.principal, {r.vessel.home_harbour});
    ordered_json parties = ordered_json::array();
    for (const auto& p : r.parties) {
        parties.push_back(party_view(p, reveal));
    }
    if (reveal && !r.parties.empty()) {
        audit_pii_read(api, req, ctx, "vessel", r.vessel.id);
    }
    ordered_json j;
    j["vessel"] = r.vessel;
    j["identifiers"] = r.identifiers;
    j["roles"] = r.roles;
    j["parties"] = parties;
    j["licences"] = r.licences;
    // "expired" is derived from the date (nothing needs to set it): an active licence whose
    // last day has passed.
    const std::string today = registry::format_iso_date(std::chrono::year_month_day{
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now())});
    for (auto& l : j["licences"]) {
        if (l["status"] == "active" && l["valid_to"].get<std::string>() < today) {
            l["status"] = "expired";
        }
    }
    j["transponders"] = r.transponders;
    j["conflicts"] = r.conflicts;
    // The same summary the tracking rules use (boats view).
    SQLite::Statement q(api.db.handle(),
                        "SELECT registration_number, mmsi, licence_valid_until, licence_status "
                        "FROM boats WHERE id = ?");
    q.bind(1, r.vessel.id);
    if (q.executeStep()) {
        const auto text = [&](int c) {
            return q.getColumn(c).isNull() ? ordered_json()
                                           : ordered_json(q.getColumn(c).getString());
        };
        j["summary"] = {{"registration_number", text(0)},
                        {"mmsi", q.getColumn(1).isNull() ? ordered_json()
                                                         : ordered_json(q.getColumn(1).getInt64())},
                        {"licence_valid_until", text(2)},
                        {"licence_status", text(3)}};
    }
    return j;
}

ordered_json hits_json(const std::vector<registry::SearchHit>& hits) {
    ordered_json out = ordered_json::array();
    for (const auto& h : hits) {
        out.push_back({{"vessel_id", h.vessel_id},
                       {"name", h.name},
                       {"registration_number", h.registration_number},
                       {"home_harbour", h.home_harbour},
                       {"status", h.status},
                       {"matched", h.matched}});
    }
    return out;
}

// ---- handlers ----------------------------------------------------------------------------------

void search(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    const auto q = req.query.find("q");
    if (q == req.query.end()) {
        respond(invalid({{"q", "give a registration number, name, MMSI, call sign or owner "
                               "name"}}));
        return;
    }
    std::string compact;
    for (char c : q->second) {
        if (c != ' ' && c != '.') {
            compact += c;
        }
    }
    if (registry::normalise_cnic(q->second) || registry::normalise_cnic(compact)) {
        // A CNIC in a URL ends up in logs and browser history (ASVS 5.0 V14.2.1).
        respond(invalid({{"q", "search by CNIC with POST /api/registry/search/cnic, not in "
                               "the address"}}));
        return;
    }
    std::lock_guard lock(api.mutex);
    respond(json_ok({{"hits", hits_json(reg(api).search(q->second, 25))}}));
}

void search_cnic(ApiContext& api, const Request& req, const RequestContext& ctx,
                 Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"cnic", "reason"}, "", errors);
    const std::string cnic = string_member(*body, "cnic", "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).search_by_cnic(cnic);
    if (!out.ok()) {
        respond(outcome_error(out));
        return;
    }
    // Who looked up which person is itself sensitive: record it (the CNIC itself masked).
    registry::AuditLog(api.db).append(
        actor_of(req, ctx),
        {.action = "pii.search",
         .entity = "party",
         .after_json = ordered_json{{"cnic", registry::mask_cnic(*registry::normalise_cnic(cnic))},
                                    {"hits", out.value->size()}}
                           .dump(),
         .reason = string_member(*body, "reason", "", errors)});
    respond(json_ok({{"hits", hits_json(*out.value)}}));
}

void list_vessels(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    std::string harbour;
    std::string status;
    std::int64_t limit = 100;
    std::int64_t offset = 0;
    for (const auto& [k, v] : req.query) {
        if (k == "harbour") {
            harbour = v;
        } else if (k == "status") {
            status = v;
        } else if (k == "limit" || k == "offset") {
            if (v.empty() || v.size() > 9 ||
                v.find_first_not_of("0123456789") != std::string::npos) {
                respond(invalid({{k, "must be a whole number"}}));
                return;
            }
            (k == "limit" ? limit : offset) = std::stoll(v);
        } else {
            respond(invalid({{k, "unknown parameter (harbour, status, limit, offset)"}}));
            return;
        }
    }
    limit = std::clamp<std::int64_t>(limit, 1, 1000);
    std::lock_guard lock(api.mutex);
    SQLite::Statement q(api.db.handle(),
                        "SELECT b.id, b.registration_number, b.name, b.mmsi, b.call_sign, "
                        "b.home_harbour, b.vessel_status, b.licence_status, "
                        "b.licence_valid_until, b.has_transponder, b.identity_conflict FROM boats "
                        "b WHERE (?1 = '' OR b.home_harbour = ?1) AND (?2 = '' OR "
                        "b.vessel_status = ?2) ORDER BY b.registration_number COLLATE NOCASE, "
                        "b.id LIMIT ?3 OFFSET ?4");
    q.bind(1, harbour);
    q.bind(2, status);
    q.bind(3, limit);
    q.bind(4, offset);
    ordered_json rows = ordered_json::array();
    const auto text = [&](int c) {
        return q.getColumn(c).isNull() ? ordered_json() : ordered_json(q.getColumn(c).getString());
    };
    while (q.executeStep()) {
        rows.push_back({{"id", q.getColumn(0).getInt64()},
                        {"registration_number", text(1)},
                        {"name", text(2)},
                        {"mmsi", q.getColumn(3).isNull() ? ordered_json()
                                                         : ordered_json(q.getColumn(3).getInt64())},
                        {"call_sign", text(4)},
                        {"home_harbour", text(5)},
                        {"status", text(6)},
                        {"licence_status", text(7)},
                        {"licence_valid_until", text(8)},
                        {"has_transponder", q.getColumn(9).getInt() != 0},
                        {"identity_conflict", q.getColumn(10).getInt() != 0}});
    }
    respond(json_ok({{"vessels", rows}, {"limit", limit}, {"offset", offset}}));
}

void get_vessel(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const std::int64_t id = path_id(req);
    std::lock_guard lock(api.mutex);
    const auto record = reg(api).get(id, api.pii != nullptr);
    if (!record) {
        respond(not_found("vessel", id));
        return;
    }
    respond(json_ok(record_json(api, *record, req, ctx)));
}

void register_vessel(ApiContext& api, const Request& req, const RequestContext& ctx,
                     Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    const registry::Registration form = read_registration(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    // The router let a body without a harbour through so that its problems could be named;
    // the harbour stored must be one of a clerk's own (HarbourScope::body_harbour).
    if (ctx.principal && ctx.principal->role == Role::clerk &&
        std::find(ctx.principal->harbours.begin(), ctx.principal->harbours.end(),
                  form.vessel.home_harbour) == ctx.principal->harbours.end() &&
        !form.vessel.home_harbour.empty()) {
        respond(error_response(
            ErrorCode::forbidden,
            {{"vessel.home_harbour", "a clerk registers boats only for her own harbours"}}));
        return;
    }
    std::lock_guard lock(api.mutex);
    if (!api.harbour_known(form.vessel.home_harbour)) {
        respond(invalid({{"vessel.home_harbour",
                          form.vessel.home_harbour.empty()
                              ? std::string("required: the boat's home harbour id, e.g. "
                                            "PK-HBR-05 for Pasni")
                              : fmt::format("'{}' is not a harbour id (e.g. PK-HBR-05 for Pasni)",
                                            form.vessel.home_harbour)}}));
        return;
    }
    const auto out = reg(api).register_vessel(actor_of(req, ctx), form);
    if (!out.ok()) {
        respond(outcome_error(out));
        return;
    }
    respond(json_ok({{"vessel_id", out.value->vessel_id},
                     {"conflicts_opened", out.value->conflicts_opened},
                     {"warnings", warnings_json(out.value->warnings)}},
                    201));
}

void update_vessel(ApiContext& api, const Request& req, const RequestContext& ctx,
                   Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"vessel", "reason"}, "", errors);
    registry::Vessel changes;
    if (body->contains("vessel")) {
        changes = read_vessel((*body)["vessel"], "vessel", true, errors);
    } else {
        errors.push_back({"vessel", "required (the corrected particulars)"});
    }
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    const std::int64_t id = path_id(req);
    std::lock_guard lock(api.mutex);
    const auto before = reg(api).get(id, false);
    if (!before) {
        respond(not_found("vessel", id));
        return;
    }
    if (!api.harbour_known(changes.home_harbour)) {
        respond(invalid({{"vessel.home_harbour",
                          fmt::format("'{}' is not a harbour id", changes.home_harbour)}}));
        return;
    }
    // A clerk may not move a boat to another harbour's register, nor change its status (that
    // is a supervisor's decision).
    if (ctx.principal && ctx.principal->role == Role::clerk) {
        const auto& mine = ctx.principal->harbours;
        if (std::find(mine.begin(), mine.end(), changes.home_harbour) == mine.end()) {
            respond(error_response(
                ErrorCode::forbidden,
                {{"vessel.home_harbour", "a clerk can only keep a boat in one of her own harbours; "
                                         "ask the other harbour's clerk or an administrator"}}));
            return;
        }
        if (changes.status != before->vessel.status) {
            respond(error_response(ErrorCode::forbidden,
                                   {{"vessel.status", "a supervisor changes a boat's status"}}));
            return;
        }
    }
    const auto out = reg(api).update_vessel(actor_of(req, ctx), id, changes, reason);
    if (!out.ok()) {
        respond(outcome_error(out));
        return;
    }
    respond(json_ok({{"vessel_id", id}, {"updated", *out.value}}));
}

void add_identifier(ApiContext& api, const Request& req, const RequestContext& ctx,
                    Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    json copy = *body;
    std::string reason;
    if (copy.is_object() && copy.contains("reason")) {
        reason = string_member(copy, "reason", "", errors);
        copy.erase("reason");
    }
    const registry::Identifier id = read_identifier(copy, "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).add_identifier(actor_of(req, ctx), path_id(req), id, reason);
    if (!out.ok()) {
        respond(outcome_error(out));
        return;
    }
    respond(json_ok({{"vessel_id", out.value->vessel_id},
                     {"conflicts_opened", out.value->conflicts_opened},
                     {"warnings", warnings_json(out.value->warnings)}},
                    201));
}

void end_identifier(ApiContext& api, const Request& req, const RequestContext& ctx,
                    Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"valid_to", "reason"}, "", errors);
    const std::string valid_to = string_member(*body, "valid_to", "", errors);
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).end_identifier(actor_of(req, ctx), path_id(req), valid_to, reason);
    respond(out.ok() ? json_ok({{"ended", true}}) : outcome_error(out));
}

void create_party(ApiContext& api, const Request& req, const RequestContext& ctx,
                  Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    const registry::Party p = read_party(*body, "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).create_party(actor_of(req, ctx), p);
    respond(out.ok() ? json_ok({{"party_id", *out.value}}, 201) : outcome_error(out));
}

void get_party(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const std::int64_t id = path_id(req);
    std::lock_guard lock(api.mutex);
    const auto p = reg(api).party(id, api.pii != nullptr);
    if (!p) {
        respond(not_found("party", id));
        return;
    }
    const bool reveal = ctx.principal && http::may_see_pii(*ctx.principal, party_harbours(api, id));
    if (reveal && (p->cnic || p->phone)) {
        audit_pii_read(api, req, ctx, "party", id);
    }
    respond(json_ok(party_view(*p, reveal)));
}

void update_party(ApiContext& api, const Request& req, const RequestContext& ctx,
                  Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"party", "reason"}, "", errors);
    registry::Party p;
    if (body->contains("party")) {
        p = read_party((*body)["party"], "party", errors);
    } else {
        errors.push_back({"party", "required"});
    }
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).update_party(actor_of(req, ctx), path_id(req), p, reason);
    respond(out.ok() ? json_ok({{"updated", true}}) : outcome_error(out));
}

void transfer(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"owners", "date", "reason"}, "", errors);
    std::vector<registry::OwnerInput> owners;
    if (body->contains("owners")) {
        owners = read_owner_ids((*body)["owners"], "owners", errors);
    } else {
        errors.push_back({"owners", "required: the new owners with their shares"});
    }
    const std::string date = string_member(*body, "date", "", errors);
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out =
        reg(api).transfer_ownership(actor_of(req, ctx), path_id(req), owners, date, reason);
    respond(out.ok() ? json_ok({{"transferred", true}}) : outcome_error(out));
}

void set_role(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"role", "party_id", "reason"}, "", errors);
    const std::string role = string_member(*body, "role", "", errors);
    std::int64_t party_id = 0;
    if (!body->contains("party_id") || !(*body)["party_id"].is_number_integer()) {
        errors.push_back({"party_id", "required: the id of a party on file"});
    } else {
        party_id = (*body)["party_id"].get<std::int64_t>();
    }
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out =
        reg(api).set_party_role(actor_of(req, ctx), path_id(req), role, party_id, reason);
    respond(out.ok() ? json_ok({{"updated", true}}) : outcome_error(out));
}

void issue_licence(ApiContext& api, const Request& req, const RequestContext& ctx,
                   Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    json copy = *body;
    std::string reason;
    if (copy.is_object() && copy.contains("reason")) {
        reason = string_member(copy, "reason", "", errors);
        copy.erase("reason");
    }
    registry::Licence l = read_licence(copy, "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    l.vessel_id = path_id(req);
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).issue_licence(actor_of(req, ctx), l, reason);
    respond(out.ok() ? json_ok({{"licence_id", *out.value}}, 201) : outcome_error(out));
}

void renew_licence(ApiContext& api, const Request& req, const RequestContext& ctx,
                   Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"valid_to", "reason"}, "", errors);
    const std::string valid_to = string_member(*body, "valid_to", "", errors);
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).renew_licence(actor_of(req, ctx), path_id(req), valid_to, reason);
    respond(out.ok() ? json_ok({{"licence_id", *out.value}}, 201) : outcome_error(out));
}

void licence_status(ApiContext& api, const Request& req, const RequestContext& ctx,
                    Responder respond, const std::string& status) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"reason"}, "", errors);
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).set_licence_status(actor_of(req, ctx), path_id(req), status, reason);
    respond(out.ok() ? json_ok({{"licence_id", path_id(req)}, {"status", status}})
                     : outcome_error(out));
}

void expiring(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    std::string harbour;
    int days = 30;
    for (const auto& [k, v] : req.query) {
        if (k == "harbour") {
            harbour = v;
        } else if (k == "days") {
            if (v.empty() || v.size() > 3 ||
                v.find_first_not_of("0123456789") != std::string::npos) {
                respond(invalid({{"days", "must be a whole number of days, 0..365"}}));
                return;
            }
            days = std::min(365, std::stoi(v));
        } else {
            respond(invalid({{k, "unknown parameter (harbour, days)"}}));
            return;
        }
    }
    // A clerk's call list is her own harbours' unless she names one.
    std::vector<std::string> harbours{harbour};
    if (harbour.empty() && ctx.principal && ctx.principal->role == Role::clerk) {
        harbours = ctx.principal->harbours;
    }
    const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    std::lock_guard lock(api.mutex);
    ordered_json rows = ordered_json::array();
    for (const std::string& h : harbours) {
        for (const auto& e : reg(api).expiring_licences(h, today, days)) {
            rows.push_back({{"licence", e.licence},
                            {"vessel_name", e.vessel_name},
                            {"registration_number", e.registration_number},
                            {"home_harbour", e.home_harbour},
                            {"days_left", e.days_left}});
        }
    }
    respond(json_ok({{"days", days}, {"licences", rows}}));
}

void add_transponder(ApiContext& api, const Request& req, const RequestContext& ctx,
                     Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    registry::Transponder t = read_transponder(*body, "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    t.vessel_id = path_id(req);
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).add_transponder(actor_of(req, ctx), t);
    respond(out.ok() ? json_ok({{"transponder_id", *out.value}}, 201) : outcome_error(out));
}

void remove_transponder(ApiContext& api, const Request& req, const RequestContext& ctx,
                        Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"removed_on", "reason"}, "", errors);
    const std::string on = string_member(*body, "removed_on", "", errors);
    const std::string reason = reason_of(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).remove_transponder(actor_of(req, ctx), path_id(req), on, reason);
    respond(out.ok() ? json_ok({{"removed", true}}) : outcome_error(out));
}

void list_conflicts(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    const auto all = req.query.find("all");
    std::lock_guard lock(api.mutex);
    respond(
        json_ok({{"conflicts", reg(api).conflicts(all == req.query.end() || all->second != "1")}}));
}

void resolve_conflict(ApiContext& api, const Request& req, const RequestContext& ctx,
                      Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    reject_unknown(*body, {"resolution", "note"}, "", errors);
    const std::string resolution = string_member(*body, "resolution", "", errors);
    const std::string note = string_member(*body, "note", "", errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).resolve_conflict(actor_of(req, ctx), path_id(req), resolution, note);
    respond(out.ok() ? json_ok({{"resolved", true}}) : outcome_error(out));
}

void list_seasons(ApiContext& api, const Request&, const RequestContext&, Responder respond) {
    std::lock_guard lock(api.mutex);
    respond(json_ok({{"closed_seasons", reg(api).closed_seasons()}}));
}

void add_season(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    const auto season = read_closed_season(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).add_closed_season(actor_of(req, ctx), season);
    respond(out.ok() ? json_ok({{"closed_season_id", *out.value}}, 201) : outcome_error(out));
}

void list_patrol_units(ApiContext& api, const Request&, const RequestContext&, Responder respond) {
    std::lock_guard lock(api.mutex);
    respond(json_ok({{"patrol_units", reg(api).patrol_units()}}));
}

void add_patrol_unit(ApiContext& api, const Request& req, const RequestContext& ctx,
                     Responder respond) {
    auto body = body_or_error(req, respond);
    if (!body) {
        return;
    }
    JsonErrors errors;
    const auto unit = read_patrol_unit(*body, errors);
    if (!errors.empty()) {
        respond(invalid(errors));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out = reg(api).add_patrol_unit(actor_of(req, ctx), unit);
    respond(out.ok() ? json_ok({{"patrol_unit_id", *out.value}}, 201) : outcome_error(out));
}

void list_authorities(ApiContext& api, const Request&, const RequestContext&, Responder respond) {
    std::lock_guard lock(api.mutex);
    SQLite::Statement q(api.db.handle(),
                        "SELECT code, name, level, kind FROM authorities ORDER BY code");
    ordered_json rows = ordered_json::array();
    while (q.executeStep()) {
        rows.push_back({{"code", q.getColumn(0).getString()},
                        {"name", q.getColumn(1).getString()},
                        {"level", q.getColumn(2).getString()},
                        {"kind", q.getColumn(3).getString()}});
    }
    respond(json_ok({{"authorities", rows}}));
}

/// Largest CSV file accepted by the import (the HTTP body limit applies first).
constexpr std::size_t max_import_bytes = 8u << 20;

void import_csv(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const auto type = req.header("Content-Type");
    if (!type || type->substr(0, type->find(';')) != "text/csv") {
        respond(http::json_error(415, "unsupported_media_type",
                                 "send the file as Content-Type: text/csv"));
        return;
    }
    bool apply = false;
    std::string reason;
    for (const auto& [k, v] : req.query) {
        if (k == "dry_run") {
            if (v != "0" && v != "1") {
                respond(invalid({{"dry_run", "must be 1 (check only, the default) or 0 (apply)"}}));
                return;
            }
            apply = v == "0";
        } else if (k == "reason") {
            reason = v;
        } else {
            respond(invalid({{k, "unknown parameter (dry_run, reason)"}}));
            return;
        }
    }
    if (req.body.size() > max_import_bytes) {
        respond(http::json_error(413, "payload_too_large", "the file is larger than 8 MiB"));
        return;
    }
    registry::ImportOptions options;
    options.apply = apply;
    options.reason = reason.empty() ? "CSV import" : reason;
    if (ctx.principal && ctx.principal->role == Role::clerk) {
        options.allowed_harbours = ctx.principal->harbours;
    }
    std::istringstream in(req.body);
    std::lock_guard lock(api.mutex);
    const registry::ImportPlan plan =
        registry::plan_import(reg(api), in, actor_of(req, ctx), options);
    const auto issues = [](const std::vector<registry::ImportIssue>& list) {
        ordered_json out = ordered_json::array();
        for (const auto& i : list) {
            out.push_back({{"line", i.line}, {"column", i.column}, {"message", i.message}});
        }
        return out;
    };
    respond(json_ok({{"dry_run", !apply},
                     {"applied", plan.applied},
                     {"rows_read", plan.rows_read},
                     {"rows_valid", plan.rows_valid},
                     {"rows_with_errors", plan.rows_with_errors},
                     {"owners_reused", plan.owners_reused},
                     {"error_count", plan.error_count},
                     {"errors", issues(plan.errors)},
                     {"warning_count", plan.warning_count},
                     {"warnings", issues(plan.warnings)},
                     {"file_sha256", plan.file_sha256}},
                    apply && !plan.applied ? 422 : 200));
}

void export_csv(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    registry::ExportOptions options;
    std::string reason;
    for (const auto& [k, v] : req.query) {
        if (k == "harbour") {
            options.harbour = v;
        } else if (k == "pii") {
            options.include_pii = v == "1";
        } else if (k == "bom") {
            options.byte_order_mark = v == "1";
        } else if (k == "reason") {
            reason = v;
        } else {
            respond(invalid({{k, "unknown parameter (harbour, pii, bom, reason)"}}));
            return;
        }
    }
    if (options.include_pii) {
        // A PII export is explicit, allowed to the roles that may see the data, and audited.
        const bool allowed =
            ctx.principal && (ctx.principal->role == Role::admin ||
                              (ctx.principal->role == Role::clerk && !options.harbour.empty() &&
                               http::may_see_pii(*ctx.principal, {options.harbour})));
        if (!allowed) {
            respond(error_response(ErrorCode::forbidden,
                                   {{"pii", "only an administrator, or a clerk for her own "
                                            "harbour (harbour=...), may export CNIC and phone "
                                            "numbers"}}));
            return;
        }
        if (reason.empty()) {
            respond(invalid({{"reason", "a PII export needs a reason (case or letter number)"}}));
            return;
        }
    }
    std::ostringstream out;
    std::lock_guard lock(api.mutex);
    const registry::ExportReport report = registry::export_csv(reg(api), out, options);
    const std::string bytes = out.str();
    registry::AuditLog(api.db).append(
        actor_of(req, ctx),
        {.action = options.include_pii ? "registry.export_pii" : "registry.export",
         .entity = "export",
         .after_json = ordered_json{{"harbour", options.harbour},
                                    {"rows", report.rows},
                                    {"pii", options.include_pii},
                                    {"sha256", registry::sha256_hex(bytes)}}
                           .dump(),
         .reason = reason});
    Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = bytes;
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"sahil-registry" +
                               (options.harbour.empty() ? std::string() : "-" + options.harbour) +
                               ".csv\"");
    respond(std::move(r));
}

void issue_certificate(ApiContext& api, const Request& req, const RequestContext& ctx,
                       Responder respond) {
    registry::CertificateOptions options;
    options.issued_by_name = ctx.principal ? ctx.principal->display_name : std::string();
    options.verify_base_url = api.config.registry.certificate_base_url;
    std::lock_guard lock(api.mutex);
    const auto out =
        registry::issue_certificate(reg(api), actor_of(req, ctx), path_id(req), options);
    if (!out.ok()) {
        respond(outcome_error(out));
        return;
    }
    // The page itself, ready to print (A4, English and Urdu); the code is in X-Verification-Code.
    Response r;
    r.status = 201;
    r.content_type = "text/html; charset=utf-8";
    r.body = out.value->html;
    r.headers.emplace_back("X-Verification-Code", out.value->code);
    respond(std::move(r));
}

void verify_code(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    const std::string& code = req.path_params.at("code");
    std::lock_guard lock(api.mutex);
    const auto check = registry::verify_certificate(api.db, code);
    if (!check) {
        respond(error_response(ErrorCode::not_found,
                               {{"code", "no certificate has this verification code; check "
                                         "the code on the paper (8 letters and digits)"}}));
        return;
    }
    respond(json_ok({{"code", registry::format_verification_code(check->code)},
                     {"valid", check->valid()},
                     {"vessel_id", check->vessel_id},
                     {"vessel_name", check->vessel_name},
                     {"registration_number", check->registration_number},
                     {"home_harbour", check->home_harbour},
                     {"vessel_status", check->vessel_status},
                     {"licence_no", check->licence_no},
                     {"licence_status", check->licence_status},
                     {"licence_valid_to", check->licence_valid_to},
                     {"issued_at", check->issued_at},
                     {"issued_by", check->issued_by},
                     {"withdrawn", check->withdrawn}}));
}

ordered_json photo_json(const registry::VesselPhoto& p) {
    return {{"id", p.id},
            {"vessel_id", p.vessel_id},
            {"view", p.view},
            {"media_type", p.media_type},
            {"sha256", p.sha256},
            {"bytes", p.bytes},
            {"url", fmt::format("/api/registry/photos/{}", p.id)},
            {"created_at", p.created_at},
            {"created_by", p.created_by}};
}

void add_photo(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    const auto type = req.header("Content-Type");
    const std::string media_type = type ? std::string(type->substr(0, type->find(';'))) : "";
    if (media_type != "image/jpeg" && media_type != "image/png") {
        respond(http::json_error(415, "unsupported_media_type",
                                 "send the photo as Content-Type: image/jpeg or image/png"));
        return;
    }
    const auto view = req.query.find("view");
    if (view == req.query.end()) {
        respond(invalid({{"view", "say which view: port, starboard, bow, stern, deck, markings "
                                  "or engine_plate (?view=port)"}}));
        return;
    }
    std::lock_guard lock(api.mutex);
    const auto out =
        registry::add_vessel_photo(reg(api), actor_of(req, ctx), path_id(req), view->second,
                                   media_type, req.body, api.config.registry.photo_dir);
    respond(out.ok() ? json_ok(photo_json(*out.value), 201) : outcome_error(out));
}

void list_photos(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    std::lock_guard lock(api.mutex);
    ordered_json rows = ordered_json::array();
    for (const auto& p : registry::list_vessel_photos(api.db, path_id(req))) {
        rows.push_back(photo_json(p));
    }
    respond(json_ok({{"photos", rows}}));
}

void get_photo(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    std::optional<registry::VesselPhoto> p;
    {
        std::lock_guard lock(api.mutex);
        p = registry::find_vessel_photo(api.db, path_id(req));
    }
    if (!p) {
        respond(not_found("photo", path_id(req)));
        return;
    }
    // The stored name is Sahil's own (content hash + extension), never the client's.
    std::ifstream in(api.config.registry.photo_dir / p->stored_name, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && bytes.str().empty()) {
        respond(http::json_error(404, "not_found",
                                 "the photo file is missing from the photo "
                                 "folder"));
        return;
    }
    Response r;
    r.content_type = p->media_type;
    r.body = bytes.str();
    r.headers.emplace_back("Content-Disposition",
                           fmt::format("inline; filename=\"vessel-{}-{}.{}\"", p->vessel_id,
                                       p->view, p->media_type == "image/png" ? "png" : "jpg"));
    respond(std::move(r));
}

} // namespace

void add_registry_routes(http::Router& router, ApiContext& api) {
    const auto bind = [&api](auto fn) {
        return [&api, fn](const Request& req, const RequestContext& ctx, Responder respond) {
            fn(api, req, ctx, std::move(respond));
        };
    };
    router.add("GET", "/api/registry/search", read_all, bind(search));
    router.add("POST", "/api/registry/search/cnic", cnic_search, bind(search_cnic));
    router.add("GET", "/api/registry/authorities", read_all, bind(list_authorities));

    router.add("GET", "/api/registry/vessels", read_all, bind(list_vessels));
    router.add("POST", "/api/registry/vessels", clerk_write_new, bind(register_vessel));
    router.add("GET", "/api/registry/vessels/{id}", read_all, bind(get_vessel));
    router.add("PUT", "/api/registry/vessels/{id}", vessel_correction, bind(update_vessel));
    router.add("POST", "/api/registry/vessels/{id}/identifiers", clerk_write_vessel,
               bind(add_identifier));
    router.add("POST", "/api/registry/vessels/{id}/transfer", clerk_write_vessel, bind(transfer));
    router.add("POST", "/api/registry/vessels/{id}/roles", clerk_write_vessel, bind(set_role));
    router.add("POST", "/api/registry/vessels/{id}/licences", clerk_write_vessel,
               bind(issue_licence));
    router.add("POST", "/api/registry/vessels/{id}/transponders", clerk_write_vessel,
               bind(add_transponder));
    router.add("POST", "/api/registry/identifiers/{id}/end", clerk_write_identifier,
               bind(end_identifier));

    router.add("POST", "/api/registry/parties", clerk_create_party, bind(create_party));
    router.add("GET", "/api/registry/parties/{id}", read_all, bind(get_party));
    router.add("PUT", "/api/registry/parties/{id}", clerk_write_party, bind(update_party));

    router.add("GET", "/api/registry/licences/expiring", licence_lists, bind(expiring));
    router.add("POST", "/api/registry/licences/{id}/renew", clerk_write_licence,
               bind(renew_licence));
    for (const auto& [action, status] :
         {std::pair{"suspend", "suspended"}, std::pair{"reinstate", "active"},
          std::pair{"revoke", "revoked"}}) {
        const std::string target = status;
        router.add(
            "POST", fmt::format("/api/registry/licences/{{id}}/{}", action), supervisor_write,
            [&api, target](const Request& req, const RequestContext& ctx, Responder respond) {
                licence_status(api, req, ctx, std::move(respond), target);
            });
    }
    router.add("POST", "/api/registry/transponders/{id}/remove", clerk_write_transponder,
               bind(remove_transponder));

    router.add("GET", "/api/registry/conflicts", conflict_read, bind(list_conflicts));
    router.add("POST", "/api/registry/conflicts/{id}/resolve", supervisor_write,
               bind(resolve_conflict));
    router.add("GET", "/api/registry/closed-seasons", read_all, bind(list_seasons));
    router.add("POST", "/api/registry/closed-seasons", supervisor_write, bind(add_season));
    router.add("POST", "/api/registry/import", importers, bind(import_csv));
    router.add("GET", "/api/registry/export.csv", exporters, bind(export_csv));
    router.add("POST", "/api/registry/vessels/{id}/certificate", certificate_issue,
               bind(issue_certificate));
    router.add("GET", "/api/registry/certificates/{code}", read_all, bind(verify_code));
    router.add("POST", "/api/registry/vessels/{id}/photos", clerk_write_vessel, bind(add_photo));
    router.add("GET", "/api/registry/vessels/{id}/photos", read_all, bind(list_photos));
    router.add("GET", "/api/registry/photos/{id}", read_all, bind(get_photo));
    router.add("GET", "/api/registry/patrol-units", patrol_read, bind(list_patrol_units));
    router.add("POST", "/api/registry/patrol-units", admin_write, bind(add_patrol_unit));
}

} // namespace sahil::app

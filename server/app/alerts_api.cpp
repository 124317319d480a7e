#include "server/app/alerts_api.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "server/alerts/atom.hpp"
#include "server/app/registry_json.hpp"
#include "server/store/alert_store.hpp"

namespace sahil::app {
namespace {

using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Response;
using http::Role;
using nlohmann::json;
using nlohmann::ordered_json;
using registry::ErrorCode;

// ---- who may do what (docs/api.md "Alerts") ---------------------------------------------------

/// Reading alerts: the operations rooms, analysts, supervisors and auditors; not the harbour
/// clerks (alerts name vessels under investigation).
constexpr Access alert_readers{.roles = {Role::admin, Role::supervisor, Role::cg_watchkeeper,
                                         Role::msa_officer, Role::msa_analyst, Role::auditor}};
/// Acting on alerts: the watch officers of both agencies and administrators.
constexpr Access alert_actors{.roles = {Role::admin, Role::cg_watchkeeper, Role::msa_officer},
                              .state_changing = true};

/// Longest note, reason or assignee accepted, in bytes.
constexpr std::size_t max_text_bytes = 2000;

/// The routes' shared state: the API's connection (through `api`), a store on it, and who
/// publishes the CAP and Atom documents.
struct AlertRoutes {
    explicit AlertRoutes(ApiContext& context)
        : api(context), store(context.db), source(feed_source(context.config)) {}
    ApiContext& api;
    store::AlertStore store; // used under api.mutex only
    alerts::FeedSource source;
};

Response json_ok(const ordered_json& j, unsigned status = 200) {
    Response r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    return r;
}

Response bad_parameter(const std::string& param, const std::string& message) {
    return json_ok(
        {{"error", "bad_request"}, {"parameter", param}, {"message", param + ": " + message}}, 400);
}

/// An XML response; the session adds CSP only to JSON, so it is set here (a browser opening
/// the document must not run anything in it).
Response xml_ok(std::string body, std::string_view media_type) {
    Response r;
    r.content_type = std::string(media_type) + "; charset=utf-8";
    r.body = std::move(body);
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
    return r;
}

std::int64_t path_id(const Request& req) {
    const auto it = req.path_params.find("id");
    if (it == req.path_params.end() || it->second.empty() || it->second.size() > 18) {
        return -1; // the router matches digits only; 19+ digits may overflow int64
    }
    return std::stoll(it->second);
}

Response no_such_alert(std::int64_t id) {
    if (id < 0) { // more digits than any alert id can have
        return error_response(ErrorCode::not_found, {{"id", "there is no such alert"}});
    }
    return error_response(ErrorCode::not_found, {{"id", fmt::format("there is no alert {}", id)}});
}

/// A whole number of at most 18 digits.
std::optional<std::int64_t> parse_count(const std::string& s) {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::stoll(s);
}

bool valid_agency_id(const std::string& s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string percent_encode(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", u);
        }
    }
    return out;
}

/// The query of a validated request in canonical form: keys sorted (std::map), values encoded.
std::string canonical_query(const Request& req) {
    std::string out;
    for (const auto& [k, v] : req.query) {
        out += (out.empty() ? "" : "&") + percent_encode(k) + "=" + percent_encode(v);
    }
    return out;
}

/// The AlertQuery of the list and feed routes, or the 400 to send.
std::variant<store::AlertQuery, Response> read_query(const Request& req) {
    store::AlertQuery q;
    for (const auto& [k, v] : req.query) {
        if (k == "rule") {
            const auto& names = alerts::all_rule_names();
            if (std::find(names.begin(), names.end(), v) == names.end()) {
                return bad_parameter(k, "must be a rule name such as unregistered_departure "
                                        "(docs/rules.md)");
            }
            q.rule = v;
        } else if (k == "status") {
            q.status = alerts::parse_status(v);
            if (!q.status) {
                return bad_parameter(k, "must be new, acknowledged, assigned or resolved");
            }
        } else if (k == "open") {
            if (v != "1" && v != "0") {
                return bad_parameter(k, "must be 1 (not resolved) or 0 (resolved)");
            }
            q.open = v == "1";
        } else if (k == "min_severity") {
            q.min_severity = alerts::parse_severity(v);
            if (!q.min_severity) {
                return bad_parameter(k, "must be info, warning or critical");
            }
        } else if (k == "mmsi") {
            const auto n = parse_count(v);
            if (!n || v.size() > 9 || *n == 0) {
                return bad_parameter(k, "must be an MMSI (up to 9 digits)");
            }
            q.mmsi = static_cast<std::uint32_t>(*n);
        } else if (k == "agency") {
            if (!valid_agency_id(v)) {
                return bad_parameter(k, "must be an agency id such as coast_guard or msa "
                                        "(config [[agencies]])");
            }
            q.agency = v;
        } else if (k == "since" || k == "until") {
            const auto t = alerts::parse_utc_time(v);
            if (!t) {
                return bad_parameter(k, "must be an ISO 8601 UTC time such as "
                                        "2026-03-14T17:42:10Z");
            }
            (k == "since" ? q.since : q.until) = *t;
        } else if (k == "after_id") {
            const auto n = parse_count(v);
            if (!n) {
                return bad_parameter(k, "must be a whole number >= 0");
            }
            q.after_id = *n;
        } else if (k == "limit") {
            const auto n = parse_count(v);
            if (!n || *n < 1 || *n > 1000) {
                return bad_parameter(k, "must be 1..1000");
            }
            q.limit = static_cast<std::size_t>(*n);
        } else {
            return bad_parameter(k, "unknown parameter (rule, status, open, min_severity, mmsi, "
                                    "agency, since, until, after_id, limit)");
        }
    }
    if (q.since && q.until && *q.until <= *q.since) {
        return bad_parameter("until", "must be later than since");
    }
    return q;
}

ordered_json suppression_json(const store::Suppression& s) {
    return {{"id", s.id},
            {"rule", s.rule},
            {"mmsi", s.mmsi},
            {"alert_id", s.alert_id},
            {"mode", s.mode},
            {"from", alerts::iso8601(s.from)},
            {"until", s.until ? ordered_json(alerts::iso8601(*s.until)) : ordered_json()},
            {"hits", s.hits},
            {"reason", s.reason},
            {"created_by", s.created_by},
            {"active", s.active}};
}

/// `{"alert": {...}, "history": [...], "suppression": {...}|null}`. Call with the mutex held.
ordered_json alert_detail(const AlertRoutes& r, const alerts::Alert& a) {
    ordered_json history = ordered_json::array();
    for (const auto& e : r.store.history(a.id)) {
        history.push_back(store::to_json(e));
    }
    ordered_json suppression;
    if (a.outcome == alerts::Outcome::suppressed) {
        for (const auto& s : r.store.suppressions(false)) {
            if (s.alert_id == a.id) {
                suppression = suppression_json(s);
                break;
            }
        }
    }
    return {{"alert", alerts::to_json(a)}, {"history", history}, {"suppression", suppression}};
}

// ---- handlers ----------------------------------------------------------------------------------

void list_alerts(AlertRoutes& r, const Request& req, Responder respond) {
    auto q = read_query(req);
    if (auto* error = std::get_if<Response>(&q)) {
        respond(std::move(*error));
        return;
    }
    ordered_json arr = ordered_json::array();
    {
        const std::lock_guard lock(r.api.mutex);
        for (const auto& a : r.store.list(std::get<store::AlertQuery>(q))) {
            arr.push_back(alerts::to_json(a));
        }
    }
    respond(json_ok({{"alerts", arr}, {"count", arr.size()}}));
}

void get_alert(AlertRoutes& r, const Request& req, Responder respond) {
    const std::int64_t id = path_id(req);
    std::optional<ordered_json> detail;
    {
        const std::lock_guard lock(r.api.mutex);
        if (const auto a = r.store.find(id)) {
            detail = alert_detail(r, *a);
        }
    }
    respond(detail ? json_ok(*detail) : no_such_alert(id));
}

void list_suppressions(AlertRoutes& r, const Request& req, Responder respond) {
    bool active_only = false;
    for (const auto& [k, v] : req.query) {
        if (k != "active") {
            respond(bad_parameter(k, "unknown parameter (active)"));
            return;
        }
        if (v != "1" && v != "0") {
            respond(bad_parameter(k, "must be 1 (only those in force) or 0 (all)"));
            return;
        }
        active_only = v == "1";
    }
    ordered_json arr = ordered_json::array();
    {
        const std::lock_guard lock(r.api.mutex);
        for (const auto& s : r.store.suppressions(active_only)) {
            arr.push_back(suppression_json(s));
        }
    }
    respond(json_ok({{"suppressions", arr}, {"count", arr.size()}}));
}

void cap_document(AlertRoutes& r, const Request& req, Responder respond) {
    const std::int64_t id = path_id(req);
    std::optional<std::string> xml;
    {
        const std::lock_guard lock(r.api.mutex);
        if (const auto a = r.store.find(id)) {
            const auto history = r.store.history(id);
            alerts::CapRevision revision;
            if (!history.empty() && history.back().kind != "raised") {
                revision = {history.back().seq, history.back().kind, history.back().at};
            }
            xml = alerts::to_cap_xml(*a, r.source, revision);
        }
    }
    respond(xml ? xml_ok(std::move(*xml), alerts::cap_media_type) : no_such_alert(id));
}

void atom_feed(AlertRoutes& r, const Request& req, Responder respond) {
    auto q = read_query(req);
    if (auto* error = std::get_if<Response>(&q)) {
        respond(std::move(*error));
        return;
    }
    alerts::AtomFeedInfo info;
    info.filter = canonical_query(req);
    info.self_path = "/api/alerts/feed.atom" + (info.filter.empty() ? "" : "?" + info.filter);
    info.updated_when_empty =
        alerts::iso8601(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
    std::vector<alerts::Alert> list;
    {
        const std::lock_guard lock(r.api.mutex);
        list = r.store.list(std::get<store::AlertQuery>(q));
    }
    respond(xml_ok(alerts::to_atom_feed(list, r.source, info), alerts::atom_media_type));
}

/// Reads the body of an action into `action`; false (after responding) when it is not valid.
/// Members: acknowledge {note?}, assign {assignee, note?}, note {note}, resolve {outcome,
/// note?}, suppress {reason, hours?}.
bool read_action(const Request& req, const std::string& name, store::AlertAction& action,
                 Responder& respond) {
    Response error;
    const auto body = json_body(req, error, name == "acknowledge");
    if (!body) {
        respond(std::move(error));
        return false;
    }
    JsonErrors errors;
    action.action = name;
    const auto text = [&](const char* key) {
        // Leading and trailing blanks are dropped: "   " is no reason at all.
        std::string v = string_member(*body, key, "", errors);
        const auto first = v.find_first_not_of(" \t\r\n");
        v = first == std::string::npos ? std::string()
                                       : v.substr(first, v.find_last_not_of(" \t\r\n") - first + 1);
        if (v.size() > max_text_bytes) {
            errors.push_back({key, fmt::format("at most {} characters", max_text_bytes)});
        }
        return v;
    };
    if (name == "acknowledge" || name == "note") {
        reject_unknown(*body, {"note"}, "", errors);
        action.note = text("note");
    } else if (name == "assign") {
        reject_unknown(*body, {"assignee", "note"}, "", errors);
        action.assignee = text("assignee");
        action.note = text("note");
    } else if (name == "resolve") {
        reject_unknown(*body, {"outcome", "note"}, "", errors);
        const std::string outcome = text("outcome");
        action.note = text("note");
        if (!outcome.empty()) {
            action.outcome = alerts::parse_outcome(outcome);
            if (!action.outcome || *action.outcome == alerts::Outcome::suppressed) {
                errors.push_back({"outcome", "must be false_alarm, verified_no_action, "
                                             "intercepted, referred_msa or "
                                             "referred_coast_guard"});
            }
        }
    } else if (name == "suppress") {
        reject_unknown(*body, {"reason", "hours"}, "", errors);
        action.note = text("reason");
        if (body->contains("hours") && !(*body)["hours"].is_null()) {
            const json& h = (*body)["hours"];
            if (!h.is_number_integer() || h.get<std::int64_t>() < 1 ||
                h.get<std::int64_t>() > 720) {
                errors.push_back({"hours", "must be a whole number of hours, 1 to 720 (30 "
                                           "days), or left out to suppress this occurrence "
                                           "only"});
            } else {
                action.hours = h.get<int>();
            }
        }
    }
    if (!errors.empty()) {
        respond(error_response(ErrorCode::validation_failed, errors));
        return false;
    }
    return true;
}

void act(AlertRoutes& r, const std::string& name, const Request& req, const RequestContext& ctx,
         Responder respond) {
    store::AlertAction action;
    if (!read_action(req, name, action, respond)) {
        return;
    }
    const std::int64_t id = path_id(req);
    const registry::Actor actor = actor_of(req, ctx);
    std::optional<Response> answer;
    bool changed = false;
    {
        const std::lock_guard lock(r.api.mutex);
        auto out = r.store.act(id, action, actor); // "assign" journals "assignee: note"
        changed = out.ok();
        if (!out.ok()) {
            auto errors = out.errors;
            for (auto& e : errors) {
                if (name == "suppress" && e.field == "note") {
                    e.field = "reason"; // the store calls the suppression reason its note
                }
            }
            answer = error_response(out.code, errors);
        } else {
            answer = json_ok(alert_detail(r, *out.value));
        }
    }
    // Tell the live stream at once (not under the API mutex); its 2 s poll is the safety net.
    if (changed && r.api.on_alerts_changed) {
        r.api.on_alerts_changed();
    }
    respond(std::move(*answer));
}

/// "sahil.fisheries.gob.pk" from "https://sahil.fisheries.gob.pk:8443/x"; "" when none.
std::string host_of(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) {
        return {};
    }
    std::string host = url.substr(scheme + 3);
    host = host.substr(0, host.find_first_of("/:?#"));
    std::transform(host.begin(), host.end(), host.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    const bool clean = std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
    return clean ? host : std::string();
}

} // namespace

alerts::FeedSource feed_source(const Config& config) {
    alerts::FeedSource s;
    const std::string& url = config.registry.certificate_base_url;
    if (const std::string host = host_of(url); !host.empty()) {
        s.installation = host;
        s.authority = host;
        s.base_url = url.ends_with('/') ? url.substr(0, url.size() - 1) : url;
    }
    return s;
}

void add_alert_routes(http::Router& router, ApiContext& api) {
    const auto routes = std::make_shared<AlertRoutes>(api);
    const auto reader = [routes](void (*fn)(AlertRoutes&, const Request&, Responder)) {
        return [routes, fn](const Request& req, const RequestContext&, Responder respond) {
            fn(*routes, req, std::move(respond));
        };
    };
    router.add("GET", "/api/alerts", alert_readers, reader(list_alerts));
    router.add("GET", "/api/alerts/feed.atom", alert_readers, reader(atom_feed));
    router.add("GET", "/api/alerts/suppressions", alert_readers, reader(list_suppressions));
    router.add("GET", "/api/alerts/{id}", alert_readers, reader(get_alert));
    router.add("GET", "/api/alerts/{id}/cap.xml", alert_readers, reader(cap_document));
    for (const char* name : {"acknowledge", "assign", "note", "resolve", "suppress"}) {
        const std::string action = name;
        router.add(
            "POST", "/api/alerts/{id}/" + action, alert_actors,
            [routes, action](const Request& req, const RequestContext& ctx, Responder respond) {
                act(*routes, action, req, ctx, std::move(respond));
            });
    }
}

} // namespace sahil::app

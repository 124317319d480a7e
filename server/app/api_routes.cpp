#include "server/app/api_routes.hpp"

#include <string>

#include <fmt/format.h>

#include "server/app/alert_stream.hpp"
#include "server/app/alerts_api.hpp"
#include "server/app/auth_api.hpp"
#include "server/app/log.hpp"
#include "server/app/registry_api.hpp"
#include "server/app/tracks_api.hpp"

namespace sahil::app {
namespace {

using http::Access;
using http::Request;
using http::RequestContext;
using http::Responder;
using http::Role;
using nlohmann::ordered_json;

/// Monitoring endpoints tell an attacker a lot (feeds, versions, load): operators only.
constexpr Access monitoring_access{
    .roles = {Role::admin, Role::cg_watchkeeper, Role::msa_officer, Role::auditor}};
/// Live picture (vessels): every role reads it. Alerts have their own roles (alerts_api.hpp).
constexpr Access picture_access{.roles = http::RoleSet::all()};

http::Response json_ok(const ordered_json& j, unsigned status = 200) {
    http::Response r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    return r;
}

/// Text from a request made safe for one log line (ASVS 16.4.1): control characters and
/// non-ASCII bytes as \xNN, at most 200 bytes.
std::string loggable(std::string_view s) {
    std::string out;
    for (const char c : s.substr(0, 200)) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7f || c == '\\') {
            out += fmt::format("\\x{:02x}", u);
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

void add_monitoring_routes(http::Router& router, MonitoringSource& monitoring) {
    router.add(
        "GET", "/api/health", Access{.public_route = true},
        [&monitoring](const Request&, const RequestContext&, Responder respond) {
            respond(json_ok(
                {{"status", "ok"}, {"service", "sahild"}, {"uptime_s", monitoring.uptime_s()}}));
        });
    router.add("GET", "/api/vessels", picture_access,
               [&monitoring](const Request&, const RequestContext&, Responder respond) {
                   monitoring.vessels(
                       [respond = std::move(respond)](ordered_json j) { respond(json_ok(j)); });
               });
    router.add("GET", "/api/feeds", monitoring_access,
               [&monitoring](const Request&, const RequestContext&, Responder respond) {
                   respond(json_ok(monitoring.feeds()));
               });
    router.add("GET", "/api/stats", monitoring_access,
               [&monitoring](const Request&, const RequestContext&, Responder respond) {
                   monitoring.stats(
                       [respond = std::move(respond)](ordered_json j) { respond(json_ok(j)); });
               });
}

http::Router make_api_router(ApiContext& api, MonitoringSource& monitoring, AlertStream* stream) {
    http::Router router;
    router.set_authenticator([&api](const Request& r) { return api.authenticate(r); });
    router.set_harbour_resolver([&api](http::HarbourScope scope, const Request& r) {
        return api.resolve_harbours(scope, r);
    });
    router.on_exception = [](const Request& r, const std::string& what) {
        log::error("http", "{} {} failed: {}", loggable(r.method), loggable(r.path),
                   loggable(what));
    };
    router.on_denied = [&api](const Request& r, const RequestContext& ctx, http::Denial d) {
        const std::string code(http::to_string(d));
        if (!ctx.principal) {
            // Anonymous 401s are counted (GET /api/stats) and logged at debug level only: an
            // unauthenticated client must not be able to flood the log or the audit trail.
            log::debug("http", "denied {} {} {} source={} request={}", code, loggable(r.method),
                       loggable(r.path), loggable(r.remote_address), ctx.request_id);
            return;
        }
        log::warn("http", "denied {} user={} role={} {} {} source={} request={}", code,
                  ctx.principal->username, http::to_string(ctx.principal->role), loggable(r.method),
                  loggable(ctx.route), loggable(r.remote_address), ctx.request_id);
        api.audit_event(actor_of(r, ctx), {.action = "auth.denied",
                                           .entity = "route",
                                           .entity_id = r.method + " " + ctx.route,
                                           .reason = code});
    };
    add_monitoring_routes(router, monitoring);
    add_auth_routes(router, api);
    add_registry_routes(router, api);
    // The alerts routes (list, detail, actions, suppressions, CAP, Atom) read and act on the
    // alert store through the API's own connection (alerts_api.hpp); GET /api/alerts is no
    // longer a monitoring route.
    add_alert_routes(router, api);
    add_alert_stream_route(router, stream); // WebSocket GET /api/alerts/stream
    // Track history for analysts and OGC API – Features (tracks_api.hpp): api.tracks and the
    // zone snapshot are read per request, so the daemon may set them after this call.
    add_track_routes(router, api);
    add_ogc_routes(router, api);
    // Registry routes (the lead's VesselRegistry in ApiContext) are registered here, each with
    // its Access; add their lines to tests/http/route_matrix_test.cpp's expected table.
    return router;
}

} // namespace sahil::app

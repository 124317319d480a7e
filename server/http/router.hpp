// Maps (method, path pattern) to a Handler and is the API's one authorisation choke point
// (OWASP ASVS 5.0 V8.3.1; the lesson of Traccar GHSA-33v4-5x2g-7mjm: one check for all routes).
//
// `router.add("GET", "/api/registry/vessels/{id}",
//             Access{.roles = {Role::admin, Role::clerk}, .scope = HarbourScope::vessel_id},
//             [&](const Request& req, const RequestContext& ctx, Responder respond) {
//                 respond(json_response(vessel_json(req.path_params.at("id"))));
//             });`
// Patterns: segments are exact text or `{name}` (one whole path segment; names ending in "id"
// match ASCII digits only, other values are percent-decoded). Exact segments win over
// parameters ("/a/new" beats "/a/{name}"). Before a handler runs, dispatch():
//  1. authenticates through the Authenticator (session cookie or `Authorization: Bearer`);
//  2. for a state-changing route: refuses an `Origin` header that does not match `Host`, and
//     for a cookie session a missing or wrong `X-CSRF-Token` (403 `csrf_failed`);
//  3. refuses a principal who must change their password first on any other route than those
//     marked Access::allowed_before_password_change (403 `password_change_required`);
//  4. asks the HarbourResolver for the harbours of the object (harbour-scoped roles only);
//  5. calls authorize(): 401 `unauthenticated` (with `WWW-Authenticate: Bearer`) or 403
//     `forbidden`.
// Upgrade routes (add_upgrade(), e.g. the WebSocket GET /api/alerts/stream) go through the same
// steps, and in step 2 every request to them must pass the Origin check (browsers cannot send
// the CSRF header on a WebSocket handshake; the session cookie is SameSite=Strict); the handler
// then takes the connection over, or answers over HTTP. A plain GET there -> 426.
// Each denial is counted (denials()) and reported to on_denied. Unknown path -> 404
// `not_found`; known path, other method -> 405 `method_not_allowed` with an Allow header; a
// handler, authenticator or resolver that throws -> 500 `internal` (the text goes to
// on_exception, never to the client). HEAD is answered by the GET route when there is no HEAD
// route (the session drops the body). Every response carries X-Request-Id.
// Data path: HttpSession -> Router::dispatch -> Handler.
//
// Thread-safety: add() and the set_/on_ members before the server starts; dispatch(), routes()
// and denials() are const and may run concurrently (the callbacks must allow that too).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/access.hpp"
#include "server/http/message.hpp"

namespace sahil::http {

/// Who sent a request, as found by the Authenticator.
struct Authentication {
    Principal principal{}; ///< via_api_token says whether a token or a cookie session was used.
    /// Cookie sessions: the request's X-CSRF-Token header matched the session's CSRF token
    /// (the authenticator compares in constant time). Not used for API tokens.
    bool csrf_ok = false;
};

/// Finds the caller of a request from its credentials (`Authorization: Bearer <token>` or the
/// session cookie); std::nullopt when there are none or they are invalid, expired or belong to a
/// disabled user. May throw on a resource failure (the request then gets 500).
using Authenticator = std::function<std::optional<Authentication>(const Request&)>;

/// The harbour zone ids of the object a request acts on (e.g. the home harbour of vessel
/// {id}), for harbour-scoped roles; empty when the object does not exist. Called only when
/// the route's scope is not none and the principal's role is harbour-scoped there. May throw
/// (the request then gets 500).
using HarbourResolver =
    std::function<std::vector<std::string>(HarbourScope scope, const Request& request)>;

/// The connection of an upgrade request (Beast types: server/http/websocket_session.hpp).
struct UpgradedConnection;

/// Hands over the connection of a request that asks for a WebSocket upgrade (RFC 6455 §4.1),
/// detaching it from the HTTP session: call at most once, on the handler's thread before the
/// handler returns; later calls return nullptr. Empty for every other request.
using ConnectionTaker = std::function<std::unique_ptr<UpgradedConnection>()>;

/// Handles an authorised upgrade request: either calls `take` and speaks the new protocol on
/// the connection (the Responder is then ignored), or answers over HTTP through `respond`
/// (e.g. 400 for a bad query parameter). An exception before `take` becomes a 500.
using UpgradeHandler =
    std::function<void(const Request&, const RequestContext&, Responder, ConnectionTaker)>;

/// One registered route, as listed by Router::routes().
struct RouteInfo {
    std::string method;  ///< "GET", "POST", "DELETE" ...
    std::string pattern; ///< as registered, e.g. "/api/admin/users/{id}/disable"
    Access access;       ///< who may call it
};

/// Why the Router refused a request before its handler ran.
enum class Denial {
    unauthenticated,          ///< 401: no valid session or token on a non-public route.
    forbidden,                ///< 403: role, or harbour, not allowed.
    csrf_failed,              ///< 403: cross-origin request or missing/wrong CSRF token.
    password_change_required, ///< 403: the user must change their one-time password first.
};

/// Stable machine name of a denial (the `error` of the JSON response): "unauthenticated",
/// "forbidden", "csrf_failed", "password_change_required".
[[nodiscard]] std::string_view to_string(Denial denial) noexcept;

/// Number of denials by reason since the Router was built (shared by its copies).
struct DenialCounts {
    std::uint64_t unauthenticated = 0;
    std::uint64_t forbidden = 0;
    std::uint64_t csrf_failed = 0;
    std::uint64_t password_change_required = 0;
};

/// Pattern router with authentication and authorisation.
class Router {
public:
    Router();

    /// Registers a route.
    /// @param method e.g. "GET" (case-sensitive)
    /// @param pattern path starting with '/', segments exact or `{name}` (name: lower-case
    ///        letters, digits and '_', starting with a letter), e.g. "/api/admin/users/{id}"
    /// @param access who may call it; a route with a vessel/licence/transponder/identifier/party
    ///        scope must have an `{id}` segment
    /// @throws std::invalid_argument for an empty method or handler, a bad pattern, a scope that
    ///         needs `{id}` on a pattern without it, or a (method, pattern) pair that matches the
    ///         same paths as one registered before (also with other parameter names).
    void add(std::string method, std::string pattern, Access access, Handler handler);

    /// Registers a GET route whose requests switch protocols (WebSocket): authenticated and
    /// authorised like add(), plus the Origin check on every request (see the file comment).
    /// A request with a ConnectionTaker goes to `handler`; a GET without one (no `Upgrade:
    /// websocket`) gets 426 `upgrade_required` with `Upgrade: websocket`.
    /// @throws std::invalid_argument as add().
    void add_upgrade(std::string pattern, Access access, UpgradeHandler handler);

    /// Routes one request; `respond` is called exactly once (possibly later, by the handler).
    /// Never throws: exceptions of the handler and the callbacks become 500.
    void dispatch(Request request, Responder respond) const;
    /// As above for a request that asks for a WebSocket upgrade; `take` (from the HttpSession)
    /// reaches the handler of an upgrade route, which may then never call `respond`.
    void dispatch(Request request, Responder respond, ConnectionTaker take) const;

    /// Methods allowed on a path, e.g. "GET, POST, HEAD"; empty when no pattern matches.
    [[nodiscard]] std::string allowed_methods(std::string_view path) const;

    /// Every route in the order registered (for the route matrix test and docs).
    [[nodiscard]] std::vector<RouteInfo> routes() const;

    /// Sets how requests are authenticated. Without one, every request is anonymous.
    void set_authenticator(Authenticator authenticator);
    /// Sets how object harbours are found. Without one, harbour-scoped roles are refused on
    /// every route with a scope (fail closed).
    void set_harbour_resolver(HarbourResolver resolver);

    /// Denials so far, by reason.
    [[nodiscard]] DenialCounts denials() const noexcept;

    /// Told about each exception a handler or callback threw (for the log); may be empty.
    /// Must not throw.
    std::function<void(const Request& request, const std::string& what)> on_exception;

    /// Told about each denial after it is counted (for the log and the audit trail); may be
    /// empty. `context.principal` is set when the caller was authenticated. Must not throw.
    std::function<void(const Request& request, const RequestContext& context, Denial denial)>
        on_denied;

private:
    struct Route;
    struct Counters;
    void add_route(std::string method, std::string pattern, Access access, Handler handler,
                   UpgradeHandler upgrade);
    /// The route to run for (path, method): nullptr and `path_known` false for 404, nullptr
    /// and `path_known` true for 405.
    const Route* find(const Request& request, bool& path_known,
                      std::map<std::string, std::string>& params) const;
    /// The most specific pattern matching `path` (nullptr when none) and its parameters.
    const Route* best_match(std::string_view path,
                            std::map<std::string, std::string>* params) const;
    /// 401/403 response for a denial, after counting and reporting it.
    Response deny(const Request& request, const RequestContext& context, Denial denial) const;
    void report_exception(const Request& request, const std::string& what) const;

    std::vector<std::shared_ptr<const Route>> m_routes;
    std::shared_ptr<Counters> m_counters;
    Authenticator m_authenticator;
    HarbourResolver m_resolver;
};

/// Whether a state-changing request may come from its origin: true without an Origin header
/// (non-browser clients, RFC 6454 §7.3), otherwise only when Origin is "http://" or "https://"
/// followed by exactly the Host header (ASCII case ignored). "null", another host or port, a
/// missing Host header -> false.
[[nodiscard]] bool same_origin(const Request& request) noexcept;

} // namespace sahil::http

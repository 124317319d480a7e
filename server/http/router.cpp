#include "server/http/router.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <random>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "server/http/target.hpp"

namespace sahil::http {

/// One segment of a pattern.
struct Segment {
    std::string text; ///< exact text, or the parameter name
    bool param = false;
    bool digits = false; ///< parameter whose name ends in "id": ASCII digits only
};

struct Router::Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Access access;
    Handler handler;
    UpgradeHandler upgrade; ///< set by add_upgrade(); `handler` then answers 426
};

struct Router::Counters {
    std::atomic<std::uint64_t> unauthenticated{0};
    std::atomic<std::uint64_t> forbidden{0};
    std::atomic<std::uint64_t> csrf_failed{0};
    std::atomic<std::uint64_t> password_change_required{0};
};

namespace {

/// Path segments after the leading '/': "/a/b" -> {"a", "b"}, "/" -> {""}, "/a/" -> {"a", ""}.
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) {
            return out;
        }
        path.remove_prefix(slash + 1);
    }
}

bool valid_param_name(std::string_view name) {
    if (name.empty() || name.front() < 'a' || name.front() > 'z') {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::vector<Segment> parse_pattern(const std::string& pattern) {
    std::vector<Segment> out;
    std::set<std::string, std::less<>> names;
    for (const std::string_view s : split_path(pattern)) {
        Segment seg;
        if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
            seg.text = std::string(s.substr(1, s.size() - 2));
            seg.param = true;
            seg.digits = seg.text.ends_with("id");
            if (!valid_param_name(seg.text) || !names.insert(seg.text).second) {
                throw std::invalid_argument("Router::add: bad or repeated parameter {" + seg.text +
                                            "} in " + pattern);
            }
        } else if (s.find_first_of("{}") != std::string_view::npos) {
            throw std::invalid_argument("Router::add: a parameter must be a whole segment in " +
                                        pattern);
        } else {
            seg.text = std::string(s);
        }
        out.push_back(std::move(seg));
    }
    return out;
}

/// The pattern with parameter names replaced, so that equivalent patterns compare equal.
std::string shape(const std::vector<Segment>& segments) {
    std::string out;
    for (const auto& s : segments) {
        out += '/';
        out += s.param ? (s.digits ? "{#}" : "{*}") : s.text;
    }
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool scope_needs_id(HarbourScope scope) {
    return scope != HarbourScope::none && scope != HarbourScope::body_harbour;
}

/// Matches `path` against a route; fills `params` (when not null) on success.
bool match(const std::vector<Segment>& pattern, const std::vector<std::string_view>& path,
           std::map<std::string, std::string>* params) {
    if (pattern.size() != path.size()) {
        return false;
    }
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const Segment& seg = pattern[i];
        if (!seg.param) {
            if (seg.text != path[i]) {
                return false;
            }
            continue;
        }
        if (seg.digits) {
            if (!all_digits(path[i])) {
                return false;
            }
            found.emplace(seg.text, std::string(path[i]));
            continue;
        }
        auto decoded = percent_decode(path[i], false);
        if (!decoded || decoded->empty() || decoded->find('/') != std::string::npos) {
            return false;
        }
        found.emplace(seg.text, std::move(*decoded));
    }
    if (params != nullptr) {
        *params = std::move(found);
    }
    return true;
}

/// True when `a` is more specific than `b` (both match the same path): at the first segment
/// where one is exact and the other a parameter, the exact one wins.
bool more_specific(const std::vector<Segment>& a, const std::vector<Segment>& b) {
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        if (a[i].param != b[i].param) {
            return !a[i].param;
        }
        if (a[i].param && a[i].digits != b[i].digits) {
            return a[i].digits; // digits-only is narrower than any text
        }
    }
    return false;
}

/// "r<4 random hex>-<counter>": unique within a process, distinct across restarts.
std::string next_request_id() {
    static const unsigned prefix = [] {
        std::random_device rd;
        return rd() & 0xffffU;
    }();
    static std::atomic<std::uint64_t> counter{0};
    return fmt::format("r{:04x}-{:06}", prefix, counter.fetch_add(1) + 1);
}

bool iequals_ascii(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string_view to_string(Denial denial) noexcept {
    switch (denial) {
    case Denial::unauthenticated:
        return "unauthenticated";
    case Denial::forbidden:
        return "forbidden";
    case Denial::csrf_failed:
        return "csrf_failed";
    case Denial::password_change_required:
        return "password_change_required";
    }
    return "forbidden";
}

bool same_origin(const Request& request) noexcept {
    const auto origin = request.header("Origin");
    if (!origin) {
        return true;
    }
    const auto host = request.header("Host");
    if (!host || host->empty()) {
        return false;
    }
    std::string_view o = *origin;
    if (o.starts_with("https://")) {
        o.remove_prefix(8);
    } else if (o.starts_with("http://")) {
        o.remove_prefix(7);
    } else {
        return false; // "null" (sandboxed frames, file: pages) or anything odd
    }
    return iequals_ascii(o, *host);
}

Router::Router() : m_counters(std::make_shared<Counters>()) {}

void Router::add(std::string method, std::string pattern, Access access, Handler handler) {
    add_route(std::move(method), std::move(pattern), access, std::move(handler), {});
}

void Router::add_route(std::string method, std::string pattern, Access access, Handler handler,
                       UpgradeHandler upgrade) {
    if (method.empty() || pattern.empty() || pattern.front() != '/' || !handler) {
        throw std::invalid_argument("Router::add: need a method, a pattern starting with '/' "
                                    "and a handler (got \"" +
                                    method + " " + pattern + "\")");
    }
    auto route = std::make_shared<Route>();
    route->segments = parse_pattern(pattern);
    if (scope_needs_id(access.scope) &&
        std::none_of(route->segments.begin(), route->segments.end(),
                     [](const Segment& s) { return s.param && s.text == "id"; })) {
        throw std::invalid_argument("Router::add: " + method + " " + pattern +
                                    ": its harbour scope needs an {id} segment");
    }
    const std::string route_shape = shape(route->segments);
    for (const auto& r : m_routes) {
        if (r->method == method && shape(r->segments) == route_shape) {
            throw std::invalid_argument("Router::add: " + method + " " + pattern +
                                        " registered twice (as " + r->pattern + ")");
        }
    }
    route->method = std::move(method);
    route->pattern = std::move(pattern);
    route->access = access;
    route->handler = std::move(handler);
    route->upgrade = std::move(upgrade);
    m_routes.push_back(std::move(route));
}

void Router::add_upgrade(std::string pattern, Access access, UpgradeHandler handler) {
    if (!handler) {
        throw std::invalid_argument("Router::add_upgrade: need a handler for " + pattern);
    }
    const std::string path = pattern;
    add_route(
        "GET", std::move(pattern), access,
        [path](const Request&, const RequestContext&, Responder respond) {
            Response r = json_error(426, "upgrade_required",
                                    "GET " + path +
                                        " is a WebSocket: send Connection: Upgrade "
                                        "and Upgrade: websocket (docs/api.md)");
            r.headers.emplace_back("Upgrade", "websocket");
            respond(std::move(r));
        },
        std::move(handler));
}

void Router::set_authenticator(Authenticator authenticator) {
    m_authenticator = std::move(authenticator);
}

void Router::set_harbour_resolver(HarbourResolver resolver) {
    m_resolver = std::move(resolver);
}

std::vector<RouteInfo> Router::routes() const {
    std::vector<RouteInfo> out;
    out.reserve(m_routes.size());
    for (const auto& r : m_routes) {
        out.push_back({r->method, r->pattern, r->access});
    }
    return out;
}

DenialCounts Router::denials() const noexcept {
    return {m_counters->unauthenticated.load(), m_counters->forbidden.load(),
            m_counters->csrf_failed.load(), m_counters->password_change_required.load()};
}

const Router::Route* Router::best_match(std::string_view path,
                                        std::map<std::string, std::string>* params) const {
    if (path.empty() || path.front() != '/') {
        return nullptr;
    }
    const auto segments = split_path(path);
    const Route* best = nullptr;
    for (const auto& r : m_routes) {
        if (match(r->segments, segments, nullptr) &&
            (best == nullptr || more_specific(r->segments, best->segments))) {
            best = r.get();
        }
    }
    if (best != nullptr && params != nullptr) {
        match(best->segments, segments, params);
    }
    return best;
}

std::string Router::allowed_methods(std::string_view path) const {
    const Route* best = best_match(path, nullptr);
    if (best == nullptr) {
        return {};
    }
    const std::string best_shape = shape(best->segments);
    std::set<std::string> methods;
    for (const auto& r : m_routes) {
        if (shape(r->segments) == best_shape) {
            methods.insert(r->method);
        }
    }
    const bool has_get = methods.contains("GET");
    std::string out;
    for (const auto& m : methods) {
        if (m == "HEAD" && has_get) {
            continue; // listed once, below
        }
        out += (out.empty() ? "" : ", ") + m;
    }
    if (has_get) {
        out += ", HEAD";
    }
    return out;
}

const Router::Route* Router::find(const Request& request, bool& path_known,
                                  std::map<std::string, std::string>& params) const {
    const Route* best = best_match(request.path, &params);
    path_known = best != nullptr;
    if (best == nullptr) {
        return nullptr;
    }
    const std::string best_shape = shape(best->segments);
    const Route* get = nullptr;
    for (const auto& r : m_routes) {
        if (shape(r->segments) != best_shape) {
            continue;
        }
        if (r->method == request.method) {
            return r.get();
        }
        if (r->method == "GET") {
            get = r.get();
        }
    }
    return request.method == "HEAD" ? get : nullptr;
}

void Router::report_exception(const Request& request, const std::string& what) const {
    if (on_exception) {
        try {
            on_exception(request, what);
        } catch (...) { // NOLINT(bugprone-empty-catch): the reporter must not break the reply
        }
    }
}

Response Router::deny(const Request& request, const RequestContext& context, Denial denial) const {
    Response r;
    switch (denial) {
    case Denial::unauthenticated:
        m_counters->unauthenticated.fetch_add(1);
        r = json_error(401, "unauthenticated",
                       "Sign in first: this needs a valid session or API token.");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        break;
    case Denial::forbidden:
        m_counters->forbidden.fetch_add(1);
        r = json_error(403, "forbidden", "Your role or harbour does not allow this.");
        break;
    case Denial::csrf_failed:
        m_counters->csrf_failed.fetch_add(1);
        r = json_error(403, "csrf_failed",
                       "Request refused: it came from another site, or lacks the X-CSRF-Token "
                       "header of your session. Reload the page and try again.");
        break;
    case Denial::password_change_required:
        m_counters->password_change_required.fetch_add(1);
        r = json_error(403, "password_change_required",
                       "Change your one-time password first (POST /api/auth/password).");
        break;
    }
    if (on_denied) {
        try {
            on_denied(request, context, denial);
        } catch (...) { // NOLINT(bugprone-empty-catch): reporting must not break the reply
        }
    }
    return r;
}

void Router::dispatch(Request request, Responder respond) const {
    dispatch(std::move(request), std::move(respond), {});
}

void Router::dispatch(Request request, Responder respond, ConnectionTaker take) const {
    RequestContext context;
    context.request_id = next_request_id();
    // The handler may respond and then throw; the client must get exactly one response.
    auto once = std::make_shared<std::atomic<bool>>(false);
    Responder guarded = [once, respond, id = context.request_id](Response r) {
        if (!once->exchange(true)) {
            r.headers.emplace_back("X-Request-Id", id);
            respond(std::move(r));
        }
    };
    bool path_known = false;
    const Route* route = find(request, path_known, request.path_params);
    if (route == nullptr) {
        if (!path_known) {
            guarded(json_error(404, "not_found", "no resource at " + request.path));
            return;
        }
        Response r = json_error(405, "method_not_allowed",
                                request.method + " is not allowed on " + request.path);
        r.headers.emplace_back("Allow", allowed_methods(request.path));
        guarded(std::move(r));
        return;
    }
    context.route = route->pattern;
    const Access& access = route->access;
    std::string what;
    try {
        std::optional<Authentication> auth;
        if (m_authenticator) {
            auth = m_authenticator(request);
        }
        if (auth) {
            context.principal = auth->principal;
        }
        if (access.state_changing || route->upgrade) {
            // A browser sends Origin on cross-site POSTs; a cookie session must also prove it
            // read the CSRF token (ASVS 5.0 3.5.1-3.5.3). API tokens are never sent implicitly.
            // A public route (login) does not act on the session's authority: Origin only.
            // A WebSocket handshake cannot carry the CSRF header but browsers always send
            // Origin on it (RFC 6455 §4.1): Origin only, against cross-site WebSocket hijacking.
            const bool needs_token = access.state_changing && auth &&
                                     !auth->principal.via_api_token && !access.public_route;
            if (!same_origin(request) || (needs_token && !auth->csrf_ok)) {
                guarded(deny(request, context, Denial::csrf_failed));
                return;
            }
        }
        if (!access.public_route && context.principal && context.principal->must_change_password &&
            !access.allowed_before_password_change) {
            guarded(deny(request, context, Denial::password_change_required));
            return;
        }
        std::vector<std::string> harbours;
        if (context.principal && access.scope != HarbourScope::none &&
            access.harbour_scoped.contains(context.principal->role) && m_resolver) {
            harbours = m_resolver(access.scope, request);
        }
        switch (authorize(access, context.principal, harbours)) {
        case Decision::allow:
            break;
        case Decision::unauthenticated:
            guarded(deny(request, context, Denial::unauthenticated));
            return;
        case Decision::forbidden:
            guarded(deny(request, context, Denial::forbidden));
            return;
        }
        if (route->upgrade && take && request.method == "GET") {
            route->upgrade(request, context, guarded, std::move(take));
        } else {
            route->handler(request, context, guarded);
        }
        return;
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
        what = "unknown exception";
    }
    report_exception(request, what);
    guarded(json_error(500, "internal", "internal server error"));
}

} // namespace sahil::http

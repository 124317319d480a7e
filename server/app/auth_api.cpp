#include "server/app/auth_api.hpp"

#include <chrono>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/audit.hpp"
#include "server/app/log.hpp"

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

/// Any signed-in user, reading.
constexpr Access any_user_read{.roles = RoleSet::all()};
/// Any signed-in user, changing something (CSRF token needed with a cookie session).
constexpr Access any_user_write{.roles = RoleSet::all(), .state_changing = true};
constexpr Access admin_read{.roles = {Role::admin}};
constexpr Access admin_write{.roles = {Role::admin}, .state_changing = true};
constexpr Access audit_read{.roles = {Role::admin, Role::auditor}};

/// Longest API token lifetime an API client may ask for, in days (2 years).
constexpr int max_token_days = 730;
/// Default API token lifetime in days.
constexpr int default_token_days = 90;

ordered_json optional_text(const std::optional<std::string>& s) {
    return s ? ordered_json(*s) : ordered_json(nullptr);
}

ordered_json user_json(const registry::UserInfo& u) {
    return {{"id", u.id},
            {"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"harbours", u.harbours},
            {"must_change_password", u.must_change_password},
            {"disabled", u.disabled},
            {"locked_until", u.locked_until
                                 ? ordered_json(registry::format_utc_seconds(*u.locked_until))
                                 : ordered_json(nullptr)},
            {"created_at", u.created_at},
            {"last_login_at", optional_text(u.last_login_at)}};
}

ordered_json token_json(const registry::ApiTokenInfo& t) {
    return {{"id", t.id},
            {"user_id", t.user_id},
            {"username", t.username},
            {"name", t.name},
            {"created_at", t.created_at},
            {"expires_at", optional_text(t.expires_at)},
            {"last_used_at", optional_text(t.last_used_at)},
            {"revoked_at", optional_text(t.revoked_at)}};
}

/// A stored JSON text as JSON (audit before/after); the text itself if it does not parse.
ordered_json stored_json(const std::optional<std::string>& text) {
    if (!text) {
        return nullptr;
    }
    auto j = ordered_json::parse(*text, nullptr, false);
    return j.is_discarded() ? ordered_json(*text) : j;
}

ordered_json audit_json(const registry::AuditEntry& e) {
    return {{"seq", e.seq},
            {"at", e.at},
            {"actor",
             {{"user", e.actor.user},
              {"role", e.actor.role},
              {"harbour", e.actor.harbour},
              {"source", e.actor.source},
              {"request_id", e.actor.request_id}}},
            {"action", e.event.action},
            {"entity", e.event.entity},
            {"entity_id", e.event.entity_id},
            {"before", stored_json(e.event.before_json)},
            {"after", stored_json(e.event.after_json)},
            {"reason", e.event.reason},
            {"prev_hash", e.prev_hash},
            {"hash", e.hash}};
}

Response json_ok(const ordered_json& j, unsigned status = 200) {
    Response r;
    r.status = status;
    r.body = j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    return r;
}

Response bad_parameter(const std::string& name, const std::string& message) {
    return http::json_response(
        {{"error", "bad_request"}, {"parameter", name}, {"message", name + ": " + message}}, 400);
}

Response invalid(const std::string& field, const std::string& message) {
    return error_response(registry::ErrorCode::validation_failed, {{field, message}});
}

std::optional<std::int64_t> parse_id(const std::string& s) {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::stoll(s);
}

/// Reads a string member of a JSON body: absent -> `fallback`, wrong type -> the error.
std::optional<std::string> text_field(const json& body, const char* name, Response& error,
                                      bool required, std::string fallback = {}) {
    if (!body.contains(name) || body[name].is_null()) {
        if (required) {
            error = invalid(name, "is required");
            return std::nullopt;
        }
        return fallback;
    }
    if (!body[name].is_string()) {
        error = invalid(name, "must be text");
        return std::nullopt;
    }
    return body[name].get<std::string>();
}

/// The path parameter {id} as a number (the router matched digits only).
std::int64_t path_id(const Request& req) {
    return parse_id(req.path_params.at("id")).value_or(-1);
}

std::string cookie_attributes(bool secure) {
    return std::string("; Path=/; HttpOnly; SameSite=Strict") + (secure ? "; Secure" : "");
}

// ---- handlers -----------------------------------------------------------------------------

void login(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    Response error;
    const auto body = json_body(req, error);
    if (!body) {
        return respond(std::move(error));
    }
    const auto username = text_field(*body, "username", error, true);
    const auto password = username ? text_field(*body, "password", error, true) : std::nullopt;
    if (!username || !password) {
        return respond(std::move(error));
    }
    registry::LoginResult r;
    {
        const std::lock_guard lock(api.mutex);
        r = api.accounts.login(*username, *password, req.remote_address, ctx.request_id);
    }
    if (r.status == registry::LoginStatus::rate_limited) {
        log::warn("auth", "login refused: too many failures source={} request={}",
                  req.remote_address, ctx.request_id);
        Response resp = http::json_error(429, "too_many_attempts", r.message);
        resp.headers.emplace_back("Retry-After", std::to_string(r.retry_after.count()));
        return respond(std::move(resp));
    }
    if (r.status != registry::LoginStatus::ok) {
        log::info("auth", "login failed source={} request={}", req.remote_address, ctx.request_id);
        return respond(http::json_error(401, "login_failed", r.message));
    }
    log::info("auth", "login user={} role={} source={} request={}", r.user->username, r.user->role,
              req.remote_address, ctx.request_id);
    Response resp = json_ok({{"user", user_json(*r.user)},
                             {"role", r.user->role},
                             {"harbours", r.user->harbours},
                             {"csrf_token", r.csrf_token},
                             {"must_change_password", r.user->must_change_password},
                             {"session_expires_at", registry::format_utc_seconds(r.expires_at)},
                             {"session_idle_minutes", api.auth.session_idle_minutes}});
    resp.headers.emplace_back("Set-Cookie",
                              session_cookie(r.session_token, api.auth.cookie_secure));
    respond(std::move(resp));
}

void logout(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    if (ctx.principal->via_api_token) {
        return respond(error_response(
            registry::ErrorCode::wrong_state,
            {{"", "an API token is not a session; revoke it with DELETE /api/auth/tokens/{id}"}}));
    }
    bool ended = false;
    if (const auto token = req.cookie(session_cookie_name)) {
        const std::lock_guard lock(api.mutex);
        ended = api.accounts.logout(actor_of(req, ctx), *token);
    }
    log::info("auth", "logout user={} request={}", ctx.principal->username, ctx.request_id);
    Response resp = json_ok({{"logged_out", ended}});
    resp.headers.emplace_back("Set-Cookie", std::string(session_cookie_name) + "=; Max-Age=0" +
                                                cookie_attributes(api.auth.cookie_secure));
    respond(std::move(resp));
}

void me(ApiContext& api, const Request&, const RequestContext& ctx, Responder respond) {
    std::optional<registry::UserInfo> u;
    {
        const std::lock_guard lock(api.mutex);
        u = api.accounts.user(ctx.principal->user_id);
    }
    if (!u) {
        return respond(http::json_error(401, "unauthenticated", "your account no longer exists"));
    }
    respond(json_ok({{"user", user_json(*u)},
                     {"role", u->role},
                     {"harbours", u->harbours},
                     {"must_change_password", ctx.principal->must_change_password},
                     {"via_api_token", ctx.principal->via_api_token}}));
}

void change_password(ApiContext& api, const Request& req, const RequestContext& ctx,
                     Responder respond) {
    if (ctx.principal->via_api_token) {
        return respond(error_response(
            registry::ErrorCode::wrong_state,
            {{"", "sign in with your password to change it (not with an API token)"}}));
    }
    Response error;
    const auto body = json_body(req, error);
    if (!body) {
        return respond(std::move(error));
    }
    const auto current = text_field(*body, "current_password", error, true);
    const auto next = current ? text_field(*body, "new_password", error, true) : std::nullopt;
    if (!current || !next) {
        return respond(std::move(error));
    }
    const auto keep = req.cookie(session_cookie_name).value_or(std::string_view{});
    registry::Outcome<registry::Done> r;
    {
        const std::lock_guard lock(api.mutex);
        r = api.accounts.change_password(actor_of(req, ctx), ctx.principal->user_id, *current,
                                         *next, keep);
    }
    if (!r.ok()) {
        return respond(error_response(r.code, r.errors));
    }
    log::info("auth", "password changed user={} request={}", ctx.principal->username,
              ctx.request_id);
    respond(json_ok({{"changed", true}, {"must_change_password", false}}));
}

void list_tokens(ApiContext& api, const Request& req, const RequestContext& ctx,
                 Responder respond) {
    const bool admin = ctx.principal->role == Role::admin;
    std::optional<std::int64_t> user_id = ctx.principal->user_id;
    for (const auto& [k, v] : req.query) {
        if (k == "user_id" && admin) {
            user_id = parse_id(v);
            if (!user_id) {
                return respond(bad_parameter(k, "must be a user id"));
            }
        } else if (k == "all" && admin && v == "1") {
            user_id.reset();
        } else {
            return respond(bad_parameter(k, admin ? "unknown parameter (user_id, all=1)"
                                                  : "unknown parameter"));
        }
    }
    ordered_json arr = ordered_json::array();
    {
        const std::lock_guard lock(api.mutex);
        for (const auto& t : api.accounts.api_tokens(user_id)) {
            arr.push_back(token_json(t));
        }
    }
    respond(json_ok({{"tokens", arr}, {"count", arr.size()}}));
}

void create_token(ApiContext& api, const Request& req, const RequestContext& ctx,
                  Responder respond) {
    Response error;
    const auto body = json_body(req, error);
    if (!body) {
        return respond(std::move(error));
    }
    const auto name = text_field(*body, "name", error, true);
    if (!name) {
        return respond(std::move(error));
    }
    int days = default_token_days;
    if (body->contains("expires_in_days")) {
        const auto& d = (*body)["expires_in_days"];
        if (!d.is_number_integer() || d.get<long long>() < 1 ||
            d.get<long long>() > max_token_days) {
            return respond(
                invalid("expires_in_days",
                        fmt::format("must be a whole number of days, 1..{}", max_token_days)));
        }
        days = d.get<int>();
    }
    std::int64_t user_id = ctx.principal->user_id;
    if (body->contains("user_id")) {
        const auto& u = (*body)["user_id"];
        if (!u.is_number_integer()) {
            return respond(invalid("user_id", "must be a user id"));
        }
        if (u.get<std::int64_t>() != user_id && ctx.principal->role != Role::admin) {
            return respond(http::json_error(403, "forbidden",
                                            "only an administrator may create a token for "
                                            "another user"));
        }
        user_id = u.get<std::int64_t>();
    }
    registry::Outcome<registry::CreatedToken> r;
    {
        const std::lock_guard lock(api.mutex);
        r = api.accounts.create_api_token(actor_of(req, ctx), user_id, *name,
                                          api.accounts.now() + std::chrono::days(days));
    }
    if (!r.ok()) {
        return respond(error_response(r.code, r.errors));
    }
    log::info("auth", "api token created id={} for user={} by={} request={}", r.value->info.id,
              r.value->info.username, ctx.principal->username, ctx.request_id);
    ordered_json j = token_json(r.value->info);
    j["token"] = r.value->token;
    j["note"] = "The token is shown only now; store it safely. Send it as "
                "'Authorization: Bearer <token>'.";
    respond(json_ok(j, 201));
}

void revoke_token(ApiContext& api, const Request& req, const RequestContext& ctx,
                  Responder respond) {
    const std::int64_t id = path_id(req);
    registry::Outcome<registry::Done> r;
    {
        const std::lock_guard lock(api.mutex);
        const auto info = api.accounts.api_token(id);
        // Someone else's token answers as a missing one: ids of others' tokens are not told.
        if (!info ||
            (info->user_id != ctx.principal->user_id && ctx.principal->role != Role::admin)) {
            return respond(error_response(registry::ErrorCode::not_found,
                                          {{"id", fmt::format("no API token with id {}", id)}}));
        }
        r = api.accounts.revoke_api_token(actor_of(req, ctx), id);
    }
    if (!r.ok()) {
        return respond(error_response(r.code, r.errors));
    }
    log::info("auth", "api token revoked id={} by={} request={}", id, ctx.principal->username,
              ctx.request_id);
    respond(json_ok({{"revoked", true}, {"id", id}}));
}

void list_users(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    if (!req.query.empty()) {
        return respond(bad_parameter(req.query.begin()->first, "unknown parameter"));
    }
    ordered_json arr = ordered_json::array();
    {
        const std::lock_guard lock(api.mutex);
        for (const auto& u : api.accounts.list_users()) {
            arr.push_back(user_json(u));
        }
    }
    respond(json_ok({{"users", arr}, {"count", arr.size()}}));
}

void add_user(ApiContext& api, const Request& req, const RequestContext& ctx, Responder respond) {
    Response error;
    const auto body = json_body(req, error);
    if (!body) {
        return respond(std::move(error));
    }
    for (const auto& [k, v] : body->items()) {
        if (k != "username" && k != "display_name" && k != "role" && k != "harbours") {
            return respond(invalid(k, "unknown field (username, display_name, role, harbours)"));
        }
    }
    registry::NewUser nu;
    const auto username = text_field(*body, "username", error, true);
    const auto role = username ? text_field(*body, "role", error, true) : std::nullopt;
    const auto display = role ? text_field(*body, "display_name", error, false) : std::nullopt;
    if (!username || !role || !display) {
        return respond(std::move(error));
    }
    nu.username = *username;
    nu.role = *role;
    nu.display_name = *display;
    if (body->contains("harbours")) {
        const auto& h = (*body)["harbours"];
        if (!h.is_array()) {
            return respond(invalid("harbours", "must be a list of harbour ids"));
        }
        for (const auto& e : h) {
            if (!e.is_string()) {
                return respond(invalid("harbours", "must be a list of harbour ids"));
            }
            nu.harbours.push_back(e.get<std::string>());
        }
    }
    registry::Outcome<registry::CreatedUser> r;
    {
        const std::lock_guard lock(api.mutex);
        r = api.accounts.add_user(actor_of(req, ctx), nu);
    }
    if (!r.ok()) {
        return respond(error_response(r.code, r.errors));
    }
    log::info("auth", "user added user={} role={} by={} request={}", r.value->user.username,
              r.value->user.role, ctx.principal->username, ctx.request_id);
    respond(json_ok({{"user", user_json(r.value->user)},
                     {"one_time_password", r.value->one_time_password},
                     {"note", "Hand the one-time password to the user once; they must change it "
                              "at their first sign-in."}},
                    201));
}

/// POST /api/admin/users/{id}/<action>.
void user_action(ApiContext& api, const std::string& action, const Request& req,
                 const RequestContext& ctx, Responder respond) {
    Response error;
    const auto body = json_body(req, error, true);
    if (!body) {
        return respond(std::move(error));
    }
    const auto reason = text_field(*body, "reason", error, false);
    if (!reason) {
        return respond(std::move(error));
    }
    const std::int64_t id = path_id(req);
    const registry::Actor actor = actor_of(req, ctx);
    ordered_json out{{"id", id}};
    registry::ErrorCode code = registry::ErrorCode::none;
    std::vector<registry::FieldError> errors;
    {
        const std::lock_guard lock(api.mutex);
        if (action == "disable") {
            const auto r = api.accounts.disable_user(actor, id, *reason);
            code = r.code;
            errors = r.errors;
            out["disabled"] = true;
        } else if (action == "enable") {
            const auto r = api.accounts.enable_user(actor, id);
            code = r.code;
            errors = r.errors;
            out["disabled"] = false;
        } else if (action == "reset-password") {
            const auto r = api.accounts.reset_password(actor, id);
            code = r.code;
            errors = r.errors;
            if (r.ok()) {
                out["one_time_password"] = *r.value;
                out["must_change_password"] = true;
            }
        } else {
            const auto r = api.accounts.end_sessions(actor, id);
            code = r.code;
            errors = r.errors;
            if (r.ok()) {
                out["sessions_ended"] = *r.value;
            }
        }
    }
    if (code != registry::ErrorCode::none) {
        return respond(error_response(code, errors));
    }
    log::info("auth", "user {} id={} by={} request={}", action, id, ctx.principal->username,
              ctx.request_id);
    respond(json_ok(out));
}

void audit_list(ApiContext& api, const Request& req, const RequestContext&, Responder respond) {
    registry::AuditQuery q;
    for (const auto& [k, v] : req.query) {
        if (k == "entity") {
            q.entity = v;
        } else if (k == "entity_id") {
            q.entity_id = v;
        } else if (k == "actor") {
            q.actor = v;
        } else if (k == "after_seq") {
            const auto n = parse_id(v);
            if (!n) {
                return respond(bad_parameter(k, "must be a whole number >= 0"));
            }
            q.after_seq = *n;
        } else if (k == "limit") {
            const auto n = parse_id(v);
            if (!n || *n < 1 || *n > 1000) {
                return respond(bad_parameter(k, "must be 1..1000"));
            }
            q.limit = static_cast<std::size_t>(*n);
        } else {
            return respond(
                bad_parameter(k, "unknown parameter (entity, entity_id, actor, after_seq, limit)"));
        }
    }
    ordered_json arr = ordered_json::array();
    {
        const std::lock_guard lock(api.mutex);
        for (const auto& e : api.audit.list(q)) {
            arr.push_back(audit_json(e));
        }
    }
    respond(json_ok({{"entries", arr}, {"count", arr.size()}}));
}

void audit_verify(ApiContext& api, const Request&, const RequestContext&, Responder respond) {
    registry::AuditVerifyReport r;
    {
        const std::lock_guard lock(api.mutex);
        r = api.audit.verify();
    }
    respond(json_ok({{"ok", r.ok()},
                     {"rows", r.rows},
                     {"head_hash", r.head_hash},
                     {"first_bad_seq",
                      r.first_bad_seq ? ordered_json(*r.first_bad_seq) : ordered_json(nullptr)},
                     {"problems", r.problems}}));
}

} // namespace

std::string session_cookie(std::string_view token, bool secure) {
    return std::string(session_cookie_name) + "=" + std::string(token) + cookie_attributes(secure);
}

void add_auth_routes(http::Router& router, ApiContext& api) {
    const auto bind = [&api](auto fn) {
        return [&api, fn](const Request& req, const RequestContext& ctx, Responder respond) {
            fn(api, req, ctx, std::move(respond));
        };
    };
    Access login_access{.public_route = true, .state_changing = true};
    router.add("POST", "/api/auth/login", login_access, bind(login));

    Access session_write = any_user_write;
    session_write.allowed_before_password_change = true;
    Access session_read = any_user_read;
    session_read.allowed_before_password_change = true;
    router.add("POST", "/api/auth/logout", session_write, bind(logout));
    router.add("GET", "/api/auth/me", session_read, bind(me));
    router.add("POST", "/api/auth/password", session_write, bind(change_password));

    router.add("GET", "/api/auth/tokens", any_user_read, bind(list_tokens));
    router.add("POST", "/api/auth/tokens", any_user_write, bind(create_token));
    router.add("DELETE", "/api/auth/tokens/{id}", any_user_write, bind(revoke_token));

    router.add("GET", "/api/admin/users", admin_read, bind(list_users));
    router.add("POST", "/api/admin/users", admin_write, bind(add_user));
    for (const char* action : {"disable", "enable", "reset-password", "end-sessions"}) {
        router.add("POST", fmt::format("/api/admin/users/{{id}}/{}", action), admin_write,
                   [&api, action = std::string(action)](
                       const Request& req, const RequestContext& ctx, Responder respond) {
                       user_action(api, action, req, ctx, std::move(respond));
                   });
    }
    router.add("GET", "/api/admin/audit", audit_read, bind(audit_list));
    router.add("GET", "/api/admin/audit/verify", audit_read, bind(audit_verify));
}

} // namespace sahil::app

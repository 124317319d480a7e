// Router: the steps before a handler runs (router.hpp) — authentication, Origin and CSRF checks
// on state-changing routes, the one-time-password restriction, harbour resolution and the 401/
// 403 answers — with a fake authenticator and resolver, without a network.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/http/router.hpp"

namespace sahil::http {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

Principal principal(Role role, std::vector<std::string> harbours = {}) {
    Principal p;
    p.user_id = 1;
    p.username = std::string(to_string(role));
    p.role = role;
    p.harbours = std::move(harbours);
    return p;
}

/// A router with a few routes of each kind and fake credentials:
///   Authorization: Bearer token-admin          admin by API token
///   Cookie: sahil_session=s-admin / s-clerk     admin / clerk of PK-HBR-05 by session, CSRF
///                                               token "csrf-ok"
///   Cookie: sahil_session=s-new                 auditor who must change their password
/// Vessel 5 is in PK-HBR-05, vessel 2 in PK-HBR-02; vessel 666 makes the resolver throw.
struct Fixture {
    Router router;
    int handler_runs = 0;
    int resolver_calls = 0;
    std::vector<std::pair<Denial, std::optional<Principal>>> denied;
    std::string exception;

    Fixture() {
        const auto ok = [this](const Request&, const RequestContext& ctx, Responder respond) {
            ++handler_runs;
            respond(json_response(
                {{"user", ctx.principal ? ctx.principal->username : std::string("-")}}));
        };
        router.add("GET", "/api/public", Access{.public_route = true}, ok);
        router.add("POST", "/api/login", Access{.public_route = true, .state_changing = true}, ok);
        router.add("GET", "/api/read", Access{.roles = RoleSet::all()}, ok);
        router.add("POST", "/api/write", Access{.roles = RoleSet::all(), .state_changing = true},
                   ok);
        router.add("GET", "/api/me",
                   Access{.roles = RoleSet::all(), .allowed_before_password_change = true}, ok);
        router.add("GET", "/api/admin", Access{.roles = {Role::admin}}, ok);
        router.add("POST", "/api/vessels/{id}/edit",
                   Access{.roles = {Role::admin, Role::clerk},
                          .state_changing = true,
                          .scope = HarbourScope::vessel_id},
                   ok);
        router.set_authenticator([](const Request& r) -> std::optional<Authentication> {
            if (r.header("X-Explode")) {
                throw std::runtime_error("database is locked");
            }
            const bool csrf =
                r.header("X-CSRF-Token") == std::optional<std::string_view>("csrf-ok");
            if (const auto a = r.header("Authorization")) {
                if (*a == "Bearer token-admin") {
                    Principal p = principal(Role::admin);
                    p.via_api_token = true;
                    return Authentication{p, false};
                }
                return std::nullopt;
            }
            const auto s = r.cookie("sahil_session");
            if (s == std::optional<std::string_view>("s-admin")) {
                return Authentication{principal(Role::admin), csrf};
            }
            if (s == std::optional<std::string_view>("s-clerk")) {
                return Authentication{principal(Role::clerk, {"PK-HBR-05"}), csrf};
            }
            if (s == std::optional<std::string_view>("s-new")) {
                Principal p = principal(Role::auditor);
                p.must_change_password = true;
                return Authentication{p, csrf};
            }
            return std::nullopt;
        });
        router.set_harbour_resolver([this](HarbourScope scope, const Request& r) {
            ++resolver_calls;
            EXPECT_EQ(scope, HarbourScope::vessel_id);
            const std::string& id = r.path_params.at("id");
            if (id == "666") {
                throw std::runtime_error("resolver failed");
            }
            if (id == "5") {
                return std::vector<std::string>{"PK-HBR-05"};
            }
            if (id == "2") {
                return std::vector<std::string>{"PK-HBR-02"};
            }
            return std::vector<std::string>{};
        });
        router.on_denied = [this](const Request&, const RequestContext& ctx, Denial d) {
            denied.emplace_back(d, ctx.principal);
        };
        router.on_exception = [this](const Request&, const std::string& what) { exception = what; };
    }

    Response send(const std::string& method, const std::string& path, Headers headers = {}) {
        Request r;
        r.method = method;
        r.target = path;
        r.path = path;
        r.headers = std::move(headers);
        r.headers.emplace_back("Host", "sahil.example:8617");
        std::optional<Response> out;
        router.dispatch(std::move(r), [&](Response resp) { out = std::move(resp); });
        EXPECT_TRUE(out.has_value());
        return out.value_or(Response{});
    }
};

std::string error_of(const Response& r) {
    return nlohmann::json::parse(r.body).value("error", "");
}

std::string header_of(const Response& r, std::string_view name) {
    for (const auto& [n, v] : r.headers) {
        if (n == name) {
            return v;
        }
    }
    return {};
}

const std::pair<std::string, std::string> admin_cookie{"Cookie",
                                                       "theme=dark; sahil_session=s-admin"};
const std::pair<std::string, std::string> clerk_cookie{"Cookie", "sahil_session=s-clerk"};
const std::pair<std::string, std::string> csrf{"X-CSRF-Token", "csrf-ok"};
const std::pair<std::string, std::string> token{"Authorization", "Bearer token-admin"};

TEST(RouterAuth, answers_401_with_a_bearer_challenge_when_nobody_is_signed_in) {
    Fixture f;
    const Response r = f.send("GET", "/api/read");
    EXPECT_EQ(r.status, 401U);
    EXPECT_EQ(error_of(r), "unauthenticated");
    EXPECT_EQ(header_of(r, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(f.handler_runs, 0);
    ASSERT_EQ(f.denied.size(), 1U);
    EXPECT_EQ(f.denied[0].first, Denial::unauthenticated);
    EXPECT_FALSE(f.denied[0].second.has_value());
    EXPECT_EQ(f.router.denials().unauthenticated, 1U);
    // A credential that does not check out is the same as none.
    EXPECT_EQ(f.send("GET", "/api/read", {{"Authorization", "Bearer forged"}}).status, 401U);
    EXPECT_EQ(f.send("GET", "/api/read", {{"Cookie", "sahil_session=forged"}}).status, 401U);
    EXPECT_EQ(f.send("GET", "/api/public").status, 200U);
}

TEST(RouterAuth, gives_the_handler_the_principal) {
    Fixture f;
    const Response r = f.send("GET", "/api/read", {admin_cookie});
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(nlohmann::json::parse(r.body)["user"], "admin");
    EXPECT_EQ(nlohmann::json::parse(f.send("GET", "/api/public", {admin_cookie}).body)["user"],
              "admin");
}

TEST(RouterAuth, refuses_a_role_the_route_does_not_allow) {
    Fixture f;
    const Response r = f.send("GET", "/api/admin", {clerk_cookie});
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(error_of(r), "forbidden");
    ASSERT_EQ(f.denied.size(), 1U);
    ASSERT_TRUE(f.denied[0].second.has_value());
    EXPECT_EQ(f.denied[0].second->role, Role::clerk);
    EXPECT_EQ(f.handler_runs, 0);
}

TEST(RouterAuth, needs_the_csrf_token_for_a_cookie_session_that_changes_state) {
    Fixture f;
    Response r = f.send("POST", "/api/write", {admin_cookie});
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(error_of(r), "csrf_failed");
    EXPECT_EQ(f.send("POST", "/api/write", {admin_cookie, {"X-CSRF-Token", "csrf-no"}}).status,
              403U);
    EXPECT_EQ(f.handler_runs, 0);
    EXPECT_EQ(f.router.denials().csrf_failed, 2U);
    EXPECT_EQ(f.send("POST", "/api/write", {admin_cookie, csrf}).status, 200U);
    // Reading needs no CSRF token.
    EXPECT_EQ(f.send("GET", "/api/read", {admin_cookie}).status, 200U);
}

TEST(RouterAuth, accepts_an_api_token_without_csrf_token) {
    Fixture f;
    EXPECT_EQ(f.send("POST", "/api/write", {token}).status, 200U);
    EXPECT_EQ(f.send("POST", "/api/vessels/2/edit", {token}).status, 200U);
}

TEST(RouterAuth, refuses_a_cross_origin_state_change_even_with_the_csrf_token) {
    Fixture f;
    for (const char* origin : {"https://evil.example", "http://sahil.example:8618",
                               "http://sahil.example", "null", "sahil.example:8617"}) {
        const Response r = f.send("POST", "/api/write", {admin_cookie, csrf, {"Origin", origin}});
        EXPECT_EQ(r.status, 403U) << origin;
        EXPECT_EQ(error_of(r), "csrf_failed") << origin;
    }
    EXPECT_EQ(f.send("POST", "/api/write", {token, {"Origin", "https://evil.example"}}).status,
              403U);
    EXPECT_EQ(f.send("POST", "/api/login", {{"Origin", "https://evil.example"}}).status, 403U);
    EXPECT_EQ(f.handler_runs, 0);
    // The same origin, any case, is fine; GET is not checked.
    EXPECT_EQ(
        f.send("POST", "/api/write", {admin_cookie, csrf, {"Origin", "http://SAHIL.example:8617"}})
            .status,
        200U);
    EXPECT_EQ(f.send("GET", "/api/read", {admin_cookie, {"Origin", "https://evil.example"}}).status,
              200U);
}

TEST(RouterAuth, lets_a_stale_session_sign_in_again_without_csrf_token) {
    Fixture f;
    EXPECT_EQ(f.send("POST", "/api/login", {admin_cookie}).status, 200U);
    EXPECT_EQ(f.send("POST", "/api/login", {{"Cookie", "sahil_session=expired"}}).status, 200U);
}

TEST(RouterAuth, keeps_a_user_on_a_one_time_password_to_the_password_routes) {
    Fixture f;
    const std::pair<std::string, std::string> cookie{"Cookie", "sahil_session=s-new"};
    const Response r = f.send("GET", "/api/read", {cookie});
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(error_of(r), "password_change_required");
    EXPECT_EQ(f.router.denials().password_change_required, 1U);
    EXPECT_EQ(f.send("GET", "/api/me", {cookie}).status, 200U);
    EXPECT_EQ(f.send("GET", "/api/public", {cookie}).status, 200U);
}

TEST(RouterAuth, limits_clerks_to_objects_of_their_harbours) {
    Fixture f;
    EXPECT_EQ(f.send("POST", "/api/vessels/5/edit", {clerk_cookie, csrf}).status, 200U);
    const Response other = f.send("POST", "/api/vessels/2/edit", {clerk_cookie, csrf});
    EXPECT_EQ(other.status, 403U);
    EXPECT_EQ(error_of(other), "forbidden");
    // A vessel that does not exist is refused too, so a clerk cannot probe other ids.
    EXPECT_EQ(f.send("POST", "/api/vessels/9/edit", {clerk_cookie, csrf}).status, 403U);
    EXPECT_EQ(f.resolver_calls, 3);
    // The resolver is asked only for harbour-scoped roles.
    EXPECT_EQ(f.send("POST", "/api/vessels/9/edit", {admin_cookie, csrf}).status, 200U);
    EXPECT_EQ(f.resolver_calls, 3);
    EXPECT_EQ(f.handler_runs, 2);
}

TEST(RouterAuth, answers_500_when_a_callback_throws_and_runs_no_handler) {
    Fixture f;
    Response r = f.send("POST", "/api/vessels/666/edit", {clerk_cookie, csrf});
    EXPECT_EQ(r.status, 500U);
    EXPECT_EQ(error_of(r), "internal");
    EXPECT_EQ(f.exception, "resolver failed");
    r = f.send("GET", "/api/read", {admin_cookie, {"X-Explode", "1"}});
    EXPECT_EQ(r.status, 500U);
    EXPECT_EQ(r.body.find("locked"), std::string::npos);
    EXPECT_EQ(f.handler_runs, 0);
}

TEST(RouterAuth, checks_route_and_method_before_credentials) {
    Fixture f;
    EXPECT_EQ(f.send("GET", "/api/nothing").status, 404U);
    EXPECT_EQ(f.send("DELETE", "/api/read").status, 405U);
    EXPECT_TRUE(f.denied.empty());
}

TEST(SameOrigin, compares_origin_with_host) {
    const auto check = [](std::optional<std::string> origin, std::optional<std::string> host) {
        Request r;
        if (origin) {
            r.headers.emplace_back("origin", *origin);
        }
        if (host) {
            r.headers.emplace_back("HOST", *host);
        }
        return same_origin(r);
    };
    EXPECT_TRUE(check(std::nullopt, "a.example"));
    EXPECT_TRUE(check(std::nullopt, std::nullopt));
    EXPECT_TRUE(check("http://a.example", "a.example"));
    EXPECT_TRUE(check("https://127.0.0.1:8617", "127.0.0.1:8617"));
    EXPECT_TRUE(check("http://[::1]:8617", "[::1]:8617"));
    EXPECT_FALSE(check("http://a.example", std::nullopt));
    EXPECT_FALSE(check("http://a.example.evil", "a.example"));
    EXPECT_FALSE(check("http://a.example/", "a.example"));
    EXPECT_FALSE(check("ftp://a.example", "a.example"));
    EXPECT_FALSE(check("null", "a.example"));
}

TEST(RequestHeaders, are_found_ignoring_case_and_cookies_by_exact_name) {
    Request r;
    r.headers = {{"Content-Type", "application/json"},
                 {"cookie", "a=1; sahil_session=\"tok\" ;SAHIL_SESSION=upper"},
                 {"Cookie", "b=2"}};
    EXPECT_EQ(r.header("content-type"), std::optional<std::string_view>("application/json"));
    EXPECT_FALSE(r.header("Content").has_value());
    EXPECT_EQ(r.cookie("sahil_session"), std::optional<std::string_view>("tok"));
    EXPECT_EQ(r.cookie("SAHIL_SESSION"), std::optional<std::string_view>("upper"));
    EXPECT_EQ(r.cookie("b"), std::optional<std::string_view>("2"));
    EXPECT_FALSE(r.cookie("c").has_value());
}

} // namespace
} // namespace sahil::http

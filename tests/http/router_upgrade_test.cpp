// Router::add_upgrade (router.hpp): an upgrade route is a GET route in the table, refused with
// 401/403 before its handler like any other, Origin-checked on every request (the WebSocket
// handshake cannot carry the CSRF header), 426 without an upgrade, and only a request that
// comes with a ConnectionTaker reaches the UpgradeHandler. No network.
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/http/router.hpp"
#include "server/http/websocket_session.hpp"

namespace sahil::http {
namespace {

/// `Bearer token-admin`: admin by API token; cookie `sahil_session=s-auditor`: auditor by
/// browser session (no CSRF token); `Bearer token-clerk`: clerk.
struct Fixture {
    Router router;
    int upgrades = 0;
    int takes = 0;

    Fixture() {
        router.set_authenticator([](const Request& r) -> std::optional<Authentication> {
            Principal p;
            p.username = "u";
            if (r.header("Authorization") == "Bearer token-admin") {
                p.role = Role::admin;
                p.via_api_token = true;
            } else if (r.header("Authorization") == "Bearer token-clerk") {
                p.role = Role::clerk;
                p.via_api_token = true;
            } else if (r.cookie("sahil_session") == "s-auditor") {
                p.role = Role::auditor;
            } else {
                return std::nullopt;
            }
            return Authentication{p, false};
        });
        router.add_upgrade(
            "/api/stream", Access{.roles = {Role::admin, Role::auditor}},
            [this](const Request&, const RequestContext& ctx, Responder, ConnectionTaker take) {
                ++upgrades;
                EXPECT_TRUE(ctx.principal.has_value());
                EXPECT_EQ(take(), nullptr); // the fake taker has no socket
            });
    }

    /// Dispatches GET /api/stream; `upgrade` adds a ConnectionTaker as the HttpSession does
    /// for `Upgrade: websocket`.
    std::optional<Response> get(std::vector<std::pair<std::string, std::string>> headers,
                                bool upgrade, std::string method = "GET") {
        Request req;
        req.method = std::move(method);
        req.path = "/api/stream";
        req.target = req.path;
        req.headers = std::move(headers);
        req.headers.emplace_back("Host", "sahil.local:8617");
        std::optional<Response> out;
        ConnectionTaker take;
        if (upgrade) {
            take = [this]() -> std::unique_ptr<UpgradedConnection> {
                ++takes;
                return nullptr;
            };
        }
        router.dispatch(
            req, [&out](Response r) { out = std::move(r); }, std::move(take));
        return out;
    }
};

std::string error_of(const Response& r) {
    return nlohmann::json::parse(r.body)["error"];
}

TEST(RouterUpgrade, is_a_get_route_in_the_table) {
    Fixture f;
    const auto routes = f.router.routes();
    ASSERT_EQ(routes.size(), 1U);
    EXPECT_EQ(routes[0].method, "GET");
    EXPECT_EQ(routes[0].pattern, "/api/stream");
    EXPECT_FALSE(routes[0].access.state_changing);
}

TEST(RouterUpgrade, refuses_before_the_handler_like_any_route) {
    Fixture f;
    const auto anonymous = f.get({}, true);
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401U);
    const auto clerk = f.get({{"Authorization", "Bearer token-clerk"}}, true);
    ASSERT_TRUE(clerk);
    EXPECT_EQ(clerk->status, 403U);
    EXPECT_EQ(error_of(*clerk), "forbidden");
    EXPECT_EQ(f.upgrades, 0);
    EXPECT_EQ(f.takes, 0);
}

TEST(RouterUpgrade, answers_426_to_a_request_without_an_upgrade) {
    Fixture f;
    for (const char* method : {"GET", "HEAD"}) {
        const auto r = f.get({{"Authorization", "Bearer token-admin"}}, false, method);
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 426U) << method;
        EXPECT_EQ(error_of(*r), "upgrade_required");
        bool has_upgrade = false;
        for (const auto& [name, value] : r->headers) {
            has_upgrade = has_upgrade || (name == "Upgrade" && value == "websocket");
        }
        EXPECT_TRUE(has_upgrade);
    }
    EXPECT_EQ(f.upgrades, 0);
}

TEST(RouterUpgrade, hands_an_authorised_upgrade_to_the_handler) {
    Fixture f;
    const auto r = f.get({{"Authorization", "Bearer token-admin"}}, true);
    EXPECT_EQ(f.upgrades, 1);
    EXPECT_EQ(f.takes, 1);
    EXPECT_FALSE(r); // the handler took the connection (or tried): no HTTP answer
}

TEST(RouterUpgrade, checks_origin_on_every_handshake_also_for_cookie_sessions) {
    Fixture f;
    const auto cross =
        f.get({{"Cookie", "sahil_session=s-auditor"}, {"Origin", "https://evil.example"}}, true);
    ASSERT_TRUE(cross);
    EXPECT_EQ(cross->status, 403U);
    EXPECT_EQ(error_of(*cross), "csrf_failed");
    const auto token_cross =
        f.get({{"Authorization", "Bearer token-admin"}, {"Origin", "http://other:8617"}}, true);
    ASSERT_TRUE(token_cross);
    EXPECT_EQ(error_of(*token_cross), "csrf_failed");
    EXPECT_EQ(f.upgrades, 0);
    // Same origin: no CSRF header is needed (a browser cannot send one on a WebSocket).
    f.get({{"Cookie", "sahil_session=s-auditor"}, {"Origin", "http://sahil.local:8617"}}, true);
    EXPECT_EQ(f.upgrades, 1);
    // No Origin at all: a non-browser client.
    f.get({{"Cookie", "sahil_session=s-auditor"}}, true);
    EXPECT_EQ(f.upgrades, 2);
}

TEST(RouterUpgrade, rejects_an_empty_handler) {
    Router r;
    EXPECT_THROW(r.add_upgrade("/api/x", Access{.roles = RoleSet::all()}, {}),
                 std::invalid_argument);
}

} // namespace
} // namespace sahil::http

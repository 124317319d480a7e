// The route matrix: every route of sahild's real router (make_api_router) x every role x {own
// harbour, other harbour}, plus an anonymous caller, against the EXPECTED table below, which is
// written out by hand from the roles in docs/api.md and the registry issue (not derived from
// the code). A route missing from the table, or a table line without a route, fails the test,
// so nobody can add a route without deciding who may call it (Traccar GHSA-33v4-5x2g-7mjm).
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "tests/app/api_test_support.hpp"
#include "tests/app/app_test_support.hpp"

namespace sahil {
namespace {

using http::Decision;
using http::Role;
using test::NoMonitoring;

/// One line of the expected table.
struct Expected {
    /// "public", "*" (every signed-in role) or the allowed role names separated by spaces.
    const char* roles;
    /// Clerks may call it only for objects of their own harbours.
    bool clerk_scoped = false;
    /// Open to a user who still has to change a one-time password.
    bool before_password_change = false;
};

// clang-format off
const std::map<std::string, Expected> expected_table = {
    // monitoring and the live picture
    {"GET /api/health",                          {"public"}},
    {"GET /api/vessels",                         {"*"}},
    {"GET /api/feeds",                           {"admin cg_watchkeeper msa_officer auditor"}},
    {"GET /api/stats",                           {"admin cg_watchkeeper msa_officer auditor"}},
    // alerts (docs/api.md "Alerts"): read by the operations rooms, analysts, supervisors and
    // auditors (not clerks); acted on by the watch officers and administrators
    {"GET /api/alerts",                          {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/alerts/feed.atom",                {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/alerts/stream",                   {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/alerts/suppressions",             {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/alerts/{id}",                     {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/alerts/{id}/cap.xml",             {"admin supervisor cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"POST /api/alerts/{id}/acknowledge",        {"admin cg_watchkeeper msa_officer"}},
    {"POST /api/alerts/{id}/assign",             {"admin cg_watchkeeper msa_officer"}},
    {"POST /api/alerts/{id}/note",               {"admin cg_watchkeeper msa_officer"}},
    {"POST /api/alerts/{id}/resolve",            {"admin cg_watchkeeper msa_officer"}},
    {"POST /api/alerts/{id}/suppress",           {"admin cg_watchkeeper msa_officer"}},
    // sign-in and own account
    {"POST /api/auth/login",                     {"public"}},
    {"POST /api/auth/logout",                    {"*", false, true}},
    {"GET /api/auth/me",                         {"*", false, true}},
    {"POST /api/auth/password",                  {"*", false, true}},
    {"GET /api/auth/tokens",                     {"*"}},
    {"POST /api/auth/tokens",                    {"*"}},
    {"DELETE /api/auth/tokens/{id}",             {"*"}},
    // administration
    {"GET /api/admin/users",                     {"admin"}},
    {"POST /api/admin/users",                    {"admin"}},
    {"POST /api/admin/users/{id}/disable",       {"admin"}},
    {"POST /api/admin/users/{id}/enable",        {"admin"}},
    {"POST /api/admin/users/{id}/reset-password",{"admin"}},
    {"POST /api/admin/users/{id}/end-sessions",  {"admin"}},
    {"GET /api/admin/audit",                     {"admin auditor"}},
    {"GET /api/admin/audit/verify",              {"admin auditor"}},
    // the registry (docs/api.md "Registry": clerks write only for their own harbours)
    {"GET /api/registry/search",                      {"*"}},
    {"POST /api/registry/search/cnic",                {"admin clerk supervisor cg_watchkeeper msa_officer msa_analyst"}},
    {"GET /api/registry/authorities",                 {"*"}},
    {"GET /api/registry/vessels",                     {"*"}},
    {"POST /api/registry/vessels",                    {"admin clerk", true}},
    {"GET /api/registry/vessels/{id}",                {"*"}},
    {"PUT /api/registry/vessels/{id}",                {"admin clerk supervisor", true}},
    {"POST /api/registry/vessels/{id}/identifiers",   {"admin clerk", true}},
    {"POST /api/registry/vessels/{id}/transfer",      {"admin clerk", true}},
    {"POST /api/registry/vessels/{id}/roles",         {"admin clerk", true}},
    {"POST /api/registry/vessels/{id}/licences",      {"admin clerk", true}},
    {"POST /api/registry/vessels/{id}/transponders",  {"admin clerk", true}},
    {"POST /api/registry/identifiers/{id}/end",       {"admin clerk", true}},
    {"POST /api/registry/parties",                    {"admin clerk"}},
    {"GET /api/registry/parties/{id}",                {"*"}},
    {"PUT /api/registry/parties/{id}",                {"admin clerk", true}},
    {"GET /api/registry/licences/expiring",           {"admin clerk supervisor auditor"}},
    {"POST /api/registry/licences/{id}/renew",        {"admin clerk", true}},
    {"POST /api/registry/licences/{id}/suspend",      {"admin supervisor"}},
    {"POST /api/registry/licences/{id}/reinstate",    {"admin supervisor"}},
    {"POST /api/registry/licences/{id}/revoke",       {"admin supervisor"}},
    {"POST /api/registry/transponders/{id}/remove",   {"admin clerk", true}},
    {"GET /api/registry/conflicts",                   {"admin clerk supervisor cg_watchkeeper msa_officer auditor"}},
    {"POST /api/registry/conflicts/{id}/resolve",     {"admin supervisor"}},
    {"GET /api/registry/closed-seasons",              {"*"}},
    {"POST /api/registry/closed-seasons",             {"admin supervisor"}},
    {"GET /api/registry/patrol-units",                {"admin supervisor cg_watchkeeper msa_officer auditor"}},
    {"POST /api/registry/patrol-units",               {"admin"}},
    {"POST /api/registry/import",                     {"admin clerk"}},
    {"GET /api/registry/export.csv",                  {"admin clerk supervisor auditor"}},
    {"POST /api/registry/vessels/{id}/certificate",   {"admin clerk", true}},
    {"GET /api/registry/certificates/{code}",         {"*"}},
    {"POST /api/registry/vessels/{id}/photos",        {"admin clerk", true}},
    {"GET /api/registry/vessels/{id}/photos",         {"*"}},
    {"GET /api/registry/photos/{id}",                 {"*"}},
    // track history (docs/api.md "Track history"): read by the operations rooms, the analysts,
    // administrators and auditors; exported by analysts and administrators only; nothing for
    // clerks and supervisors. POST /api/tracks/area only reads but is a POST (CSRF).
    {"GET /api/tracks/search",                        {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/tracks/area",                          {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"POST /api/tracks/area",                         {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"POST /api/tracks/export",                       {"admin msa_analyst"}},
    {"GET /api/tracks/vessels/{mmsi}",                {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/tracks/vessels/{mmsi}/stats",          {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/tracks/vessels/{mmsi}/events",         {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /api/tracks/vessels/{mmsi}/near",           {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    // OGC API - Features over the same data (docs/api.md "OGC API - Features"): track readers
    {"GET /ogc",                                      {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /ogc/conformance",                          {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /ogc/collections",                          {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /ogc/collections/{collection}",             {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /ogc/collections/{collection}/items",       {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
    {"GET /ogc/collections/{collection}/items/{feature}", {"admin cg_watchkeeper msa_officer msa_analyst auditor"}},
};
// clang-format on

const std::vector<std::string> own_harbour{"PK-HBR-05"};
const std::vector<std::string> other_harbour{"PK-HBR-02"};

/// The decision the table asks for.
Decision expected_decision(const Expected& e, std::optional<Role> role, bool own) {
    const std::string roles = e.roles;
    if (roles == "public") {
        return Decision::allow;
    }
    if (!role) {
        return Decision::unauthenticated;
    }
    std::set<std::string> names;
    std::istringstream in(roles);
    for (std::string n; in >> n;) {
        names.insert(n);
    }
    const std::string name(http::to_string(*role));
    if (roles != "*" && !names.contains(name)) {
        return Decision::forbidden;
    }
    if (*role == Role::clerk && e.clerk_scoped && !own) {
        return Decision::forbidden;
    }
    return Decision::allow;
}

http::Principal principal_for(Role role) {
    http::Principal p;
    p.user_id = 1;
    p.username = "matrix-" + std::string(http::to_string(role));
    p.role = role;
    if (role == Role::clerk) {
        p.harbours = own_harbour;
    }
    p.via_api_token = true; // no CSRF step: the matrix is about roles
    return p;
}

std::string decision_name(Decision d) {
    switch (d) {
    case Decision::allow:
        return "allow";
    case Decision::unauthenticated:
        return "unauthenticated";
    case Decision::forbidden:
        return "forbidden";
    }
    return "?";
}

/// The daemon's router over a temporary registry.db.
class RouteMatrix : public ::testing::Test {
protected:
    RouteMatrix()
        : config(test::config_from("[paths]\nregistry_db = \"" +
                                       (tmp.path() / "registry.db").string() + "\"\n",
                                   tmp.path())),
          api(config, {"PK-HBR-02", "PK-HBR-05"}, registry::PasswordParams::fast_for_tests()),
          router(app::make_api_router(api, monitoring)) {}

    test::TempDir tmp;
    app::Config config;
    app::ApiContext api;
    NoMonitoring monitoring;
    http::Router router;
};

TEST_F(RouteMatrix, every_route_is_in_the_expected_table_and_every_line_is_a_route) {
    std::set<std::string> registered;
    for (const auto& r : router.routes()) {
        const std::string key = r.method + " " + r.pattern;
        registered.insert(key);
        EXPECT_TRUE(expected_table.contains(key))
            << key << " has no line in expected_table: decide who may call it and add one";
    }
    for (const auto& [key, e] : expected_table) {
        EXPECT_TRUE(registered.contains(key)) << key << " is in expected_table but not a route";
    }
}

TEST_F(RouteMatrix, every_route_times_every_role_and_harbour_gives_the_expected_decision) {
    std::size_t cells = 0;
    std::size_t allowed = 0;
    for (const auto& r : router.routes()) {
        const std::string key = r.method + " " + r.pattern;
        const auto it = expected_table.find(key);
        if (it == expected_table.end()) {
            continue; // reported by the test above
        }
        const Expected& e = it->second;
        // Anonymous.
        ++cells;
        const Decision anon = http::authorize(r.access, std::nullopt, own_harbour);
        EXPECT_EQ(decision_name(anon), decision_name(expected_decision(e, std::nullopt, true)))
            << key << " anonymous";
        allowed += anon == Decision::allow ? 1 : 0;
        for (const Role role : http::all_roles) {
            for (const bool own : {true, false}) {
                ++cells;
                const Decision got = http::authorize(r.access, principal_for(role),
                                                     own ? own_harbour : other_harbour);
                const Decision want = expected_decision(e, role, own);
                EXPECT_EQ(decision_name(got), decision_name(want))
                    << key << " role " << http::to_string(role)
                    << (own ? " own harbour" : " other harbour");
                allowed += got == Decision::allow ? 1 : 0;
            }
        }
    }
    EXPECT_EQ(cells, expected_table.size() * (1 + 2 * std::size(http::all_roles)));
    std::printf("route matrix: %zu routes x (%zu roles x 2 harbours + anonymous) = %zu decisions "
                "(%zu allow, %zu deny)\n",
                expected_table.size(), std::size(http::all_roles), cells, allowed, cells - allowed);
    RecordProperty("matrix_cells", static_cast<int>(cells));
}

TEST_F(RouteMatrix, the_router_enforces_every_denial_before_the_handler) {
    // Replace only the credentials: each request is made by the principal under test, and the
    // object belongs to the harbour under test. Only denied cells are sent (allowed handlers
    // would change the database); each must come back 401/403 from the Router itself.
    std::optional<http::Principal> caller;
    std::vector<std::string> object_harbours;
    router.set_authenticator([&](const http::Request&) -> std::optional<http::Authentication> {
        if (!caller) {
            return std::nullopt;
        }
        return http::Authentication{*caller, false};
    });
    router.set_harbour_resolver(
        [&](http::HarbourScope, const http::Request&) { return object_harbours; });
    std::size_t sent = 0;
    for (const auto& r : router.routes()) {
        const auto it = expected_table.find(r.method + " " + r.pattern);
        if (it == expected_table.end()) {
            continue;
        }
        std::string path = r.pattern;
        if (const auto p = path.find("{id}"); p != std::string::npos) {
            path.replace(p, 4, "17");
        }
        std::vector<std::optional<Role>> callers{std::nullopt};
        callers.insert(callers.end(), std::begin(http::all_roles), std::end(http::all_roles));
        for (const auto& role : callers) {
            for (const bool own : {true, false}) {
                const Decision want = expected_decision(it->second, role, own);
                if (want == Decision::allow) {
                    continue;
                }
                caller = role ? std::optional(principal_for(*role)) : std::nullopt;
                object_harbours = own ? own_harbour : other_harbour;
                http::Request req;
                req.method = r.method;
                req.path = path;
                req.target = path;
                std::optional<http::Response> resp;
                router.dispatch(req, [&](http::Response x) { resp = std::move(x); });
                ++sent;
                ASSERT_TRUE(resp.has_value());
                EXPECT_EQ(resp->status, want == Decision::unauthenticated ? 401U : 403U)
                    << r.method << " " << path;
                EXPECT_EQ(nlohmann::json::parse(resp->body)["error"],
                          want == Decision::unauthenticated ? "unauthenticated" : "forbidden")
                    << r.method << " " << path;
            }
        }
    }
    EXPECT_GT(sent, 100U);
}

TEST_F(RouteMatrix, only_the_password_routes_are_open_before_a_password_change) {
    for (const auto& r : router.routes()) {
        const std::string key = r.method + " " + r.pattern;
        const auto it = expected_table.find(key);
        ASSERT_NE(it, expected_table.end()) << key;
        EXPECT_EQ(r.access.allowed_before_password_change, it->second.before_password_change)
            << key;
    }
}

TEST_F(RouteMatrix, only_get_routes_are_free_of_the_csrf_check) {
    // ASVS 5.0 3.5.3: no state change on GET; everything else needs the CSRF token.
    for (const auto& r : router.routes()) {
        EXPECT_EQ(r.access.state_changing, r.method != "GET") << r.method << " " << r.pattern;
    }
}

TEST(RoleNames, match_the_account_store_and_the_schema) {
    EXPECT_EQ(std::size(http::all_roles), registry::account_roles.size());
    for (const Role r : http::all_roles) {
        EXPECT_TRUE(registry::is_account_role(http::to_string(r))) << http::to_string(r);
    }
}

} // namespace
} // namespace sahil

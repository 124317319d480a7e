// The account API (server/app/auth_api.hpp) through sahild's real router (make_api_router) and
// ApiContext: in memory with an injected clock for lockout and session lifetimes, and once end to
// end over loopback HTTP against the running daemon (login -> cookie -> CSRF -> logout), with
// the log output and the database checked for passwords and tokens.
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "registry/accounts.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "tests/app/api_test_support.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/app/daemon_test_support.hpp"

namespace sahil {
namespace {

using namespace std::chrono_literals;
using test::NoMonitoring;
using Reply = test::ApiReply;
using ::testing::HasSubstr;
using ::testing::Not;
using Headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* first_password = "Pasni-harbour-first-2026";
constexpr const char* new_password = "Ormara-tide-table-0545";

/// A signed-in browser: its cookie header and CSRF token.
struct Browser {
    std::string cookie;
    std::string csrf;
    nlohmann::json login;
};

/// The daemon's router over a temporary registry.db, with a clock the test moves.
class AuthApi : public ::testing::Test {
protected:
    explicit AuthApi(const std::string& auth_toml = "")
        : config(test::config_from("[paths]\nregistry_db = \"" +
                                       (tmp.path() / "registry.db").string() + "\"\n" + auth_toml,
                                   tmp.path())),
          api(config, {"PK-HBR-02", "PK-HBR-05"}, registry::PasswordParams::fast_for_tests(),
              [this] { return now; }),
          router(app::make_api_router(api, monitoring)) {
        admin_id = add_user("root", "admin");
        clerk_id = add_user("amina", "clerk", {"PK-HBR-05"});
        auditor_id = add_user("audit1", "auditor");
    }

    /// Adds a user whose password is first_password (a one-time password to change).
    std::int64_t add_user(const std::string& name, const std::string& role,
                          std::vector<std::string> harbours = {}) {
        const auto r = api.accounts.add_user({"test", "admin", "", "test", ""},
                                             {.username = name,
                                              .role = role,
                                              .harbours = std::move(harbours),
                                              .password = first_password});
        EXPECT_TRUE(r.ok());
        return r.value->user.id;
    }

    Reply send(const std::string& method, const std::string& path, const std::string& body = {},
               Headers headers = {}, const std::string& source = "192.0.2.10") {
        http::Request r;
        r.method = method;
        const auto q = path.find('?');
        r.path = path.substr(0, q);
        r.target = path;
        if (q != std::string::npos) {
            std::istringstream in(path.substr(q + 1));
            for (std::string kv; std::getline(in, kv, '&');) {
                const auto eq = kv.find('=');
                r.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
            }
        }
        r.body = body;
        r.remote_address = source;
        r.headers = std::move(headers);
        r.headers.emplace_back("Host", "sahil.local:8617");
        if (!body.empty()) {
            r.headers.emplace_back("Content-Type", "application/json");
        }
        std::optional<http::Response> out;
        router.dispatch(std::move(r), [&](http::Response resp) { out = std::move(resp); });
        EXPECT_TRUE(out.has_value());
        Reply reply;
        reply.status = out->status;
        reply.body = nlohmann::json::parse(out->body, nullptr, false);
        reply.headers = out->headers;
        return reply;
    }

    Reply login_reply(const std::string& user, const std::string& password,
                      const std::string& source = "192.0.2.10") {
        return send("POST", "/api/auth/login",
                    nlohmann::json{{"username", user}, {"password", password}}.dump(), {}, source);
    }

    /// Signs in (changing the one-time password first when asked) and returns the browser.
    Browser sign_in(const std::string& user, bool change_password = true) {
        Reply r = login_reply(user, first_password);
        if (r.status != 200) {
            r = login_reply(user, new_password);
        }
        EXPECT_EQ(r.status, 200U) << r.body.dump();
        Browser b;
        const std::string set_cookie = r.header("Set-Cookie");
        b.cookie = set_cookie.substr(0, set_cookie.find(';'));
        b.csrf = r.body.value("csrf_token", "");
        b.login = r.body;
        if (change_password && r.body.value("must_change_password", false)) {
            const Reply c = send(
                "POST", "/api/auth/password",
                nlohmann::json{{"current_password", first_password}, {"new_password", new_password}}
                    .dump(),
                with(b, true));
            EXPECT_EQ(c.status, 200U) << c.body.dump();
        }
        return b;
    }

    static Headers with(const Browser& b, bool csrf) {
        Headers h{{"Cookie", b.cookie}};
        if (csrf) {
            h.emplace_back("X-CSRF-Token", b.csrf);
        }
        return h;
    }

    static Headers bearer(const std::string& token) {
        return {{"Authorization", "Bearer " + token}};
    }

    test::TempDir tmp;
    std::chrono::sys_seconds now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 8h;
    app::Config config;
    app::ApiContext api;
    NoMonitoring monitoring;
    http::Router router;
    std::int64_t admin_id = 0;
    std::int64_t clerk_id = 0;
    std::int64_t auditor_id = 0;
};

TEST_F(AuthApi, login_sets_a_strict_http_only_session_cookie_and_returns_the_csrf_token) {
    const Reply r = login_reply("amina", first_password);
    ASSERT_EQ(r.status, 200U) << r.body.dump();
    const std::string cookie = r.header("Set-Cookie");
    EXPECT_THAT(cookie, ::testing::StartsWith("sahil_session="));
    EXPECT_THAT(cookie, HasSubstr("; HttpOnly"));
    EXPECT_THAT(cookie, HasSubstr("; SameSite=Strict"));
    EXPECT_THAT(cookie, HasSubstr("; Path=/"));
    EXPECT_THAT(cookie, Not(HasSubstr("Secure"))); // [auth] cookie_secure defaults to false
    EXPECT_EQ(r.body["role"], "clerk");
    EXPECT_EQ(r.body["harbours"], nlohmann::json::array({"PK-HBR-05"}));
    EXPECT_EQ(r.body["must_change_password"], true);
    EXPECT_EQ(r.body["csrf_token"].get<std::string>().size(), 43U);
    EXPECT_EQ(r.body["user"]["username"], "amina");
    EXPECT_FALSE(r.body["user"].contains("password_hash"));
    EXPECT_FALSE(r.header("X-Request-Id").empty());
}

class AuthApiSecureCookie : public AuthApi {
protected:
    AuthApiSecureCookie() : AuthApi("[auth]\ncookie_secure = true\n") {}
};

TEST_F(AuthApiSecureCookie, marks_the_cookie_secure_when_configured) {
    const Reply r = login_reply("amina", first_password);
    EXPECT_THAT(r.header("Set-Cookie"), HasSubstr("; Secure"));
}

TEST_F(AuthApi, refuses_wrong_passwords_with_one_message_and_locks_after_five) {
    const Reply unknown = login_reply("nobody", "whatever-whatever");
    const Reply wrong = login_reply("amina", "whatever-whatever");
    EXPECT_EQ(unknown.status, 401U);
    EXPECT_EQ(unknown.error(), "login_failed");
    EXPECT_EQ(unknown.body["message"], wrong.body["message"]);
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(login_reply("amina", "whatever-whatever").status, 401U);
    }
    EXPECT_EQ(login_reply("amina", first_password).status, 401U); // locked
    now += 15min;
    EXPECT_EQ(login_reply("amina", first_password).status, 200U);
}

TEST_F(AuthApi, answers_429_with_retry_after_to_an_address_that_keeps_failing) {
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(login_reply("guess" + std::to_string(i), "x", "198.51.100.7").status, 401U);
    }
    const Reply r = login_reply("amina", first_password, "198.51.100.7");
    EXPECT_EQ(r.status, 429U);
    EXPECT_EQ(r.error(), "too_many_attempts");
    EXPECT_EQ(r.header("Retry-After"), "900");
    EXPECT_EQ(login_reply("amina", first_password, "198.51.100.8").status, 200U);
}

TEST_F(AuthApi, a_one_time_password_opens_only_the_password_routes_until_changed) {
    const Browser b = sign_in("amina", false);
    EXPECT_EQ(b.login["must_change_password"], true);
    Reply r = send("GET", "/api/vessels", {}, with(b, false));
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(r.error(), "password_change_required");
    r = send("GET", "/api/auth/me", {}, with(b, false));
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body["must_change_password"], true);
    const std::string change =
        nlohmann::json{{"current_password", first_password}, {"new_password", new_password}}.dump();
    r = send("POST", "/api/auth/password", change, with(b, false));
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(r.error(), "csrf_failed");
    r = send("POST", "/api/auth/password",
             nlohmann::json{{"current_password", first_password}, {"new_password", "short"}}.dump(),
             with(b, true));
    EXPECT_EQ(r.status, 422U);
    EXPECT_EQ(r.error(), "validation_failed");
    EXPECT_EQ(r.body["errors"][0]["field"], "new_password");
    r = send("POST", "/api/auth/password", change, with(b, true));
    EXPECT_EQ(r.status, 200U) << r.body.dump();
    EXPECT_EQ(send("GET", "/api/vessels", {}, with(b, false)).status, 200U); // same session
    EXPECT_EQ(send("GET", "/api/auth/me", {}, with(b, false)).body["must_change_password"], false);
}

TEST_F(AuthApi, an_idle_session_answers_401) {
    const Browser b = sign_in("amina");
    now += 29min;
    EXPECT_EQ(send("GET", "/api/auth/me", {}, with(b, false)).status, 200U);
    now += 30min;
    const Reply r = send("GET", "/api/auth/me", {}, with(b, false));
    EXPECT_EQ(r.status, 401U);
    EXPECT_EQ(r.error(), "unauthenticated");
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
}

TEST_F(AuthApi, a_session_answers_401_twelve_hours_after_sign_in) {
    const Browser b = sign_in("amina");
    for (int i = 0; i < 47; ++i) { // busy all day: a request every 15 minutes
        now += 15min;
        ASSERT_EQ(send("GET", "/api/vessels", {}, with(b, false)).status, 200U) << i;
    }
    now += 15min;
    EXPECT_EQ(send("GET", "/api/vessels", {}, with(b, false)).status, 401U);
}

TEST_F(AuthApi, logout_ends_the_session_and_clears_the_cookie) {
    const Browser b = sign_in("amina");
    EXPECT_EQ(send("POST", "/api/auth/logout", {}, with(b, false)).error(), "csrf_failed");
    const Reply r = send("POST", "/api/auth/logout", {}, with(b, true));
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body["logged_out"], true);
    EXPECT_THAT(r.header("Set-Cookie"), HasSubstr("sahil_session=; Max-Age=0"));
    EXPECT_EQ(send("GET", "/api/auth/me", {}, with(b, false)).status, 401U);
}

TEST_F(AuthApi, a_cookie_session_needs_the_csrf_token_and_the_same_origin_to_change_state) {
    const Browser b = sign_in("root");
    const std::string body = nlohmann::json{{"username", "bilal"}, {"role", "auditor"}}.dump();
    Reply r = send("POST", "/api/admin/users", body, with(b, false));
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(r.error(), "csrf_failed");
    Headers cross = with(b, true);
    cross.emplace_back("Origin", "https://attacker.example");
    r = send("POST", "/api/admin/users", body, cross);
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(r.error(), "csrf_failed");
    Headers same = with(b, true);
    same.emplace_back("Origin", "http://sahil.local:8617");
    r = send("POST", "/api/admin/users", body, same);
    EXPECT_EQ(r.status, 201U) << r.body.dump();
    EXPECT_FALSE(api.accounts.user_by_name("bilal") == std::nullopt);
    // Another session's CSRF token does not fit this one.
    const Browser other = sign_in("audit1");
    Headers mixed{{"Cookie", b.cookie}, {"X-CSRF-Token", other.csrf}};
    EXPECT_EQ(send("POST", "/api/auth/logout", {}, mixed).error(), "csrf_failed");
}

TEST_F(AuthApi, api_tokens_work_without_csrf_and_stop_when_revoked) {
    const Browser b = sign_in("amina");
    Reply r = send("POST", "/api/auth/tokens",
                   nlohmann::json{{"name", "harbour script"}, {"expires_in_days", 30}}.dump(),
                   with(b, true));
    ASSERT_EQ(r.status, 201U) << r.body.dump();
    const std::string token = r.body["token"];
    const std::int64_t id = r.body["id"];
    EXPECT_THAT(token, ::testing::StartsWith("sahil_"));
    EXPECT_EQ(r.body["expires_at"], "2026-12-29T08:00:00Z");
    EXPECT_EQ(send("GET", "/api/vessels", {}, bearer(token)).status, 200U);
    // State changes with a token need no CSRF token.
    r = send("POST", "/api/auth/tokens", nlohmann::json{{"name", "second"}}.dump(), bearer(token));
    EXPECT_EQ(r.status, 201U);
    // A bad token is not rescued by a good cookie.
    Headers both = bearer("sahil_forged");
    both.emplace_back("Cookie", b.cookie);
    EXPECT_EQ(send("GET", "/api/vessels", {}, both).status, 401U);
    // Listing shows records, never tokens.
    r = send("GET", "/api/auth/tokens", {}, bearer(token));
    EXPECT_EQ(r.body["count"], 2);
    EXPECT_THAT(r.body.dump(), Not(HasSubstr(token)));
    // Logout is for sessions.
    EXPECT_EQ(send("POST", "/api/auth/logout", {}, bearer(token)).status, 409U);
    r = send("DELETE", "/api/auth/tokens/" + std::to_string(id), {}, bearer(token));
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(send("GET", "/api/vessels", {}, bearer(token)).status, 401U);
}

TEST_F(AuthApi, users_manage_only_their_own_tokens_and_admins_anyone_s) {
    const Browser clerk = sign_in("amina");
    const Browser admin = sign_in("root");
    Reply r = send("POST", "/api/auth/tokens",
                   nlohmann::json{{"name", "ops display"}, {"user_id", auditor_id}}.dump(),
                   with(clerk, true));
    EXPECT_EQ(r.status, 403U);
    r = send("POST", "/api/auth/tokens",
             nlohmann::json{{"name", "ops display"}, {"user_id", auditor_id}}.dump(),
             with(admin, true));
    ASSERT_EQ(r.status, 201U);
    EXPECT_EQ(r.body["username"], "audit1");
    const std::string path = "/api/auth/tokens/" + std::to_string(r.body["id"].get<int>());
    // The machine account never signed in with its password: the token works anyway.
    EXPECT_EQ(send("GET", "/api/vessels", {}, bearer(r.body["token"])).status, 200U);
    EXPECT_EQ(send("DELETE", path, {}, with(clerk, true)).status, 404U);
    EXPECT_EQ(send("DELETE", path, {}, with(admin, true)).status, 200U);
    EXPECT_EQ(send("DELETE", path, {}, with(admin, true)).status, 409U); // already revoked
    r = send("POST", "/api/auth/tokens",
             nlohmann::json{{"name", "x"}, {"expires_in_days", 0}}.dump(), with(clerk, true));
    EXPECT_EQ(r.status, 422U);
    EXPECT_EQ(r.body["errors"][0]["field"], "expires_in_days");
}

TEST_F(AuthApi, administrators_add_disable_enable_and_reset_users) {
    const Browser admin = sign_in("root");
    const Browser clerk = sign_in("amina");
    Reply r = send("POST", "/api/admin/users",
                   nlohmann::json{{"username", "sana"},
                                  {"display_name", "Sana Jamali"},
                                  {"role", "clerk"},
                                  {"harbours", {"PK-HBR-02"}}}
                       .dump(),
                   with(admin, true));
    ASSERT_EQ(r.status, 201U) << r.body.dump();
    EXPECT_EQ(r.body["one_time_password"].get<std::string>().size(), 17U);
    EXPECT_EQ(r.body["user"]["must_change_password"], true);
    // Bad input names the field; a taken name is a conflict.
    r = send("POST", "/api/admin/users",
             nlohmann::json{{"username", "s2"}, {"role", "clerk"}}.dump(), with(admin, true));
    EXPECT_EQ(r.status, 422U);
    EXPECT_EQ(r.body["errors"][0]["field"], "harbours");
    r = send("POST", "/api/admin/users",
             nlohmann::json{{"username", "SANA"}, {"role", "auditor"}}.dump(), with(admin, true));
    EXPECT_EQ(r.status, 409U);
    EXPECT_EQ(r.error(), "duplicate");
    r = send("POST", "/api/admin/users",
             nlohmann::json{{"username", "x1"}, {"role", "admin"}, {"password", "chosen!"}}.dump(),
             with(admin, true));
    EXPECT_EQ(r.status, 422U); // no mass assignment: the password is always generated
    // Disable: the clerk's session ends at once.
    const std::string base = "/api/admin/users/" + std::to_string(clerk_id);
    r = send("POST", base + "/disable", nlohmann::json{{"reason", "transferred"}}.dump(),
             with(admin, true));
    EXPECT_EQ(r.status, 200U) << r.body.dump();
    EXPECT_EQ(send("GET", "/api/vessels", {}, with(clerk, false)).status, 401U);
    EXPECT_EQ(login_reply("amina", new_password).status, 401U);
    EXPECT_EQ(send("POST", base + "/disable", {}, with(admin, true)).status, 409U);
    EXPECT_EQ(send("POST", base + "/enable", {}, with(admin, true)).status, 200U);
    EXPECT_EQ(login_reply("amina", new_password).status, 200U);
    r = send("POST", base + "/reset-password", {}, with(admin, true));
    EXPECT_EQ(r.status, 200U);
    const std::string otp = r.body["one_time_password"];
    EXPECT_EQ(login_reply("amina", otp).body["must_change_password"], true);
    r = send("POST", base + "/end-sessions", {}, with(admin, true));
    EXPECT_EQ(r.status, 200U);
    EXPECT_GE(r.body["sessions_ended"].get<int>(), 1);
    EXPECT_EQ(send("POST", "/api/admin/users/999/enable", {}, with(admin, true)).status, 404U);
    r = send("GET", "/api/admin/users", {}, with(admin, false));
    EXPECT_EQ(r.body["count"], 4);
    // The last administrator cannot be disabled.
    r = send("POST", "/api/admin/users/" + std::to_string(admin_id) + "/disable", {},
             with(admin, true));
    EXPECT_EQ(r.status, 409U);
    EXPECT_EQ(r.error(), "wrong_state");
}

TEST_F(AuthApi, the_audit_trail_is_for_admins_and_auditors_and_records_refusals) {
    const Browser clerk = sign_in("amina");
    const Browser auditor = sign_in("audit1");
    EXPECT_EQ(send("GET", "/api/admin/users", {}, with(clerk, false)).status, 403U);
    EXPECT_EQ(send("GET", "/api/admin/audit", {}, with(clerk, false)).status, 403U);
    Reply r = send("GET", "/api/admin/audit?entity=route&limit=10", {}, with(auditor, false));
    ASSERT_EQ(r.status, 200U) << r.body.dump();
    ASSERT_EQ(r.body["count"], 2);
    EXPECT_EQ(r.body["entries"][0]["action"], "auth.denied");
    EXPECT_EQ(r.body["entries"][0]["entity_id"], "GET /api/admin/audit");
    EXPECT_EQ(r.body["entries"][0]["actor"]["user"], "amina");
    EXPECT_EQ(r.body["entries"][0]["actor"]["source"], "192.0.2.10");
    EXPECT_EQ(r.body["entries"][0]["reason"], "forbidden");
    r = send("GET", "/api/admin/audit?actor=amina", {}, with(auditor, false));
    std::set<std::string> actions;
    for (const auto& e : r.body["entries"]) {
        actions.insert(e["action"]);
    }
    EXPECT_TRUE(actions.contains("auth.login"));
    EXPECT_TRUE(actions.contains("user.change_password"));
    EXPECT_EQ(send("GET", "/api/admin/audit?limit=0", {}, with(auditor, false)).status, 400U);
    EXPECT_EQ(send("GET", "/api/admin/audit?sort=x", {}, with(auditor, false)).status, 400U);
    r = send("GET", "/api/admin/audit/verify", {}, with(auditor, false));
    EXPECT_EQ(r.status, 200U);
    EXPECT_EQ(r.body["ok"], true);
    EXPECT_GT(r.body["rows"].get<int>(), 5);
    // Anonymous refusals are counted, not audited.
    EXPECT_EQ(send("GET", "/api/admin/audit").status, 401U);
    EXPECT_EQ(router.denials().unauthenticated, 1U);
}

TEST_F(AuthApi, login_needs_a_json_body_from_this_origin) {
    Reply r = send("POST", "/api/auth/login", "username=amina&password=x",
                   {{"Content-Type", "application/x-www-form-urlencoded"}});
    // (send adds application/json after the form type; the first Content-Type wins)
    EXPECT_EQ(r.status, 415U);
    EXPECT_EQ(r.error(), "unsupported_media_type");
    r = send("POST", "/api/auth/login", "{not json");
    EXPECT_EQ(r.status, 400U);
    r = send("POST", "/api/auth/login", R"({"username":"amina"})");
    EXPECT_EQ(r.status, 422U);
    EXPECT_EQ(r.body["errors"][0]["field"], "password");
    r = send("POST", "/api/auth/login",
             nlohmann::json{{"username", "amina"}, {"password", first_password}}.dump(),
             {{"Origin", "https://attacker.example"}});
    EXPECT_EQ(r.status, 403U);
    EXPECT_EQ(r.error(), "csrf_failed");
}

TEST_F(AuthApi, monitoring_is_for_operators_and_health_for_everyone) {
    const Browser clerk = sign_in("amina");
    const Browser auditor = sign_in("audit1");
    EXPECT_EQ(send("GET", "/api/health").status, 200U);
    EXPECT_EQ(send("GET", "/api/feeds").status, 401U);
    EXPECT_EQ(send("GET", "/api/feeds", {}, with(clerk, false)).status, 403U);
    EXPECT_EQ(send("GET", "/api/stats", {}, with(clerk, false)).status, 403U);
    EXPECT_EQ(send("GET", "/api/feeds", {}, with(auditor, false)).status, 200U);
    EXPECT_EQ(send("GET", "/api/vessels", {}, with(clerk, false)).status, 200U);
}

// ---- end to end over loopback -----------------------------------------------------------------

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(AuthApiEndToEnd, login_cookie_csrf_token_and_logout_over_http) {
    test::TempDir tmp;
    const auto db_path = tmp.path() / "registry.db";
    const app::Config cfg =
        test::config_from("[paths]\nregistry_db = \"" + db_path.string() + "\"\nharbours = \"" +
                              (test::source_dir() / "config/geo/harbours.geojson").string() +
                              "\"\n[log]\nlevel = \"debug\"\n[http]\nport = 0\n",
                          tmp.path());
    std::string otp;
    {
        registry::Database db(db_path.string());
        registry::AccountOptions o;
        o.password_params = registry::PasswordParams::fast_for_tests();
        registry::AccountStore store(db, o);
        const auto r =
            store.add_user({"cli:test", "admin", "", "cli", ""},
                           {.username = "amina", .role = "clerk", .harbours = {"PK-HBR-05"}});
        ASSERT_TRUE(r.ok());
        otp = r.value->one_time_password;
    }
    test::LogCapture logs;
    std::vector<std::string> secrets{otp, new_password};
    {
        test::RunningDaemon running(cfg);
        const std::uint16_t port = running.http_port();
        ASSERT_NE(port, 0);
        secrets.push_back(running.token());
        const auto call = [port](const std::string& method, const std::string& target,
                                 const std::string& body = {}, const test::HeaderList& h = {}) {
            return test::http_call(port, method, target, body, h);
        };

        // Anonymous: health only.
        EXPECT_EQ(call("GET", "/api/health").status, 200U);
        auto r = call("GET", "/api/vessels");
        EXPECT_EQ(r.status, 401U);
        EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
        EXPECT_EQ(r.header("Cache-Control"), "no-store");

        // Sign in: cookie and CSRF token.
        r = call("POST", "/api/auth/login",
                 nlohmann::json{{"username", "amina"}, {"password", otp}}.dump());
        ASSERT_EQ(r.status, 200U) << r.body;
        const std::string set_cookie = r.header("Set-Cookie");
        EXPECT_THAT(set_cookie, HasSubstr("HttpOnly"));
        EXPECT_THAT(set_cookie, HasSubstr("SameSite=Strict"));
        const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
        const std::string csrf = r.json()["csrf_token"];
        secrets.push_back(cookie.substr(cookie.find('=') + 1));
        secrets.push_back(csrf);
        EXPECT_EQ(r.json()["must_change_password"], true);
        EXPECT_EQ(call("GET", "/api/vessels", {}, {{"Cookie", cookie}}).json()["error"],
                  "password_change_required");

        // Change the one-time password: without the CSRF header refused, with it done.
        const std::string change =
            nlohmann::json{{"current_password", otp}, {"new_password", new_password}}.dump();
        r = call("POST", "/api/auth/password", change, {{"Cookie", cookie}});
        EXPECT_EQ(r.status, 403U);
        EXPECT_EQ(r.json()["error"], "csrf_failed");
        r = call("POST", "/api/auth/password", change,
                 {{"Cookie", cookie}, {"X-CSRF-Token", csrf}, {"Origin", "https://evil.example"}});
        EXPECT_EQ(r.status, 403U);
        r = call("POST", "/api/auth/password", change,
                 {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
        EXPECT_EQ(r.status, 200U) << r.body;

        // The cookie now reads the picture; a token made in the session works without CSRF.
        EXPECT_EQ(call("GET", "/api/vessels", {}, {{"Cookie", cookie}}).status, 200U);
        EXPECT_EQ(call("GET", "/api/feeds", {}, {{"Cookie", cookie}}).status, 403U); // clerk
        r = call("POST", "/api/auth/tokens", nlohmann::json{{"name", "e2e"}}.dump(),
                 {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
        ASSERT_EQ(r.status, 201U) << r.body;
        const std::string token = r.json()["token"];
        secrets.push_back(token);
        EXPECT_EQ(call("GET", "/api/auth/me", {}, {{"Authorization", "Bearer " + token}})
                      .json()["via_api_token"],
                  true);

        // Logout ends the session on the server: the old cookie is refused afterwards.
        r = call("POST", "/api/auth/logout", {}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
        EXPECT_EQ(r.status, 200U);
        EXPECT_EQ(call("GET", "/api/vessels", {}, {{"Cookie", cookie}}).status, 401U);

        // A wrong password is refused and counted.
        r = call(
            "POST", "/api/auth/login",
            nlohmann::json{{"username", "amina"}, {"password", "not-" + std::string(new_password)}}
                .dump());
        EXPECT_EQ(r.status, 401U);
        const auto stats = nlohmann::json::parse(running.get("/api/stats").second);
        EXPECT_GE(stats["http_denied"]["unauthenticated"].get<int>(), 2);
        EXPECT_GE(stats["http_denied"]["csrf_failed"].get<int>(), 2);
        EXPECT_GE(stats["http_denied"]["password_change_required"].get<int>(), 1);
    }
    // Nothing secret in the log, the audit trail or the database files.
    const std::string log = logs.text();
    EXPECT_THAT(log, HasSubstr("login user=amina"));
    EXPECT_THAT(log, HasSubstr("logout user=amina"));
    registry::Database db(db_path.string(), registry::OpenMode::read_only);
    std::string audit;
    for (const auto& e : registry::AuditLog(db).list({.limit = 1000})) {
        audit += registry::canonical_form(e) + "\n";
    }
    EXPECT_THAT(audit, HasSubstr("auth.login"));
    EXPECT_THAT(audit, HasSubstr("auth.logout"));
    EXPECT_THAT(audit, HasSubstr("127.0.0.1"));
    const std::string files = file_bytes(db_path) + file_bytes(tmp.path() / "registry.db-wal");
    for (const auto& s : secrets) {
        ASSERT_FALSE(s.empty());
        EXPECT_THAT(log, Not(HasSubstr(s)));
        EXPECT_THAT(audit, Not(HasSubstr(s)));
        EXPECT_THAT(files, Not(HasSubstr(s)));
    }
}

} // namespace
} // namespace sahil

// AccountStore (registry/accounts.hpp): users, sign-in with lockout and per-source limits,
// sessions with idle and absolute lifetimes, logout, disabling, password reset and change, API
// tokens, and the audit rows of each — with an injected clock and fast Argon2id parameters.
// What is stored is checked with a raw sqlite3 connection, not through the code under test.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/accounts.hpp"
#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "tests/registry/registry_test_support.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view good_password = "tide-over-Ormara-2026";

class AccountStoreTest : public ::testing::Test {
protected:
    AccountStoreTest()
        : db(tmp.file("registry.db")), store(db, options(), [this] { return now; }) {}

    static AccountOptions options() {
        AccountOptions o;
        o.password_params = PasswordParams::fast_for_tests();
        o.harbour_known = [](std::string_view h) {
            return h == "PK-HBR-02" || h == "PK-HBR-05" || h == "PK-HBR-06";
        };
        return o;
    }

    /// Adds a user with `good_password`, already changed (must_change_password cleared).
    UserInfo add(const std::string& username, const std::string& role,
                 std::vector<std::string> harbours = {}) {
        const auto r = store.add_user(cli, {.username = username,
                                            .role = role,
                                            .harbours = std::move(harbours),
                                            .password = std::string(good_password)});
        EXPECT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].message);
        raw().exec("UPDATE users SET must_change_password = 0 WHERE username = '" + username + "'");
        return *store.user(r.value->user.id);
    }

    LoginResult login(std::string_view user, std::string_view password,
                      const std::string& source = "10.0.0.1") {
        return store.login(user, password, source, "req-1");
    }

    test::RawDb& raw() {
        if (!m_raw) {
            m_raw = std::make_unique<test::RawDb>(tmp.file("registry.db"));
        }
        return *m_raw;
    }

    /// Every text of every audit row, concatenated.
    std::string audit_text() {
        std::string out;
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(raw().handle(), "SELECT * FROM audit_log", -1, &s, nullptr);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(s); ++i) {
                const unsigned char* t = sqlite3_column_text(s, i);
                out += t != nullptr ? reinterpret_cast<const char*>(t) : "";
                out += '|';
            }
            out += '\n';
        }
        sqlite3_finalize(s);
        return out;
    }

    std::vector<std::string> audit_actions() {
        std::vector<std::string> out;
        for (const auto& e : AuditLog(db).list({.limit = 1000})) {
            out.insert(out.begin(), e.event.action); // list is newest first
        }
        return out;
    }

    test::TempDir tmp;
    std::chrono::sys_seconds now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 29} + 8h;
    Database db;
    AccountStore store;
    const Actor cli{"cli:test", "admin", "", "cli", ""};

private:
    std::unique_ptr<test::RawDb> m_raw;
};

// ---- users ------------------------------------------------------------------------------------

TEST_F(AccountStoreTest, adds_a_user_with_a_random_one_time_password_stored_only_as_a_hash) {
    const auto r = store.add_user(cli, {.username = "amina",
                                        .display_name = "Amina Baloch",
                                        .role = "clerk",
                                        .harbours = {"PK-HBR-05"}});
    ASSERT_TRUE(r.ok());
    const std::string otp = r.value->one_time_password;
    EXPECT_EQ(otp.size(), 17U); // two Crockford groups of 8 and a dash
    EXPECT_EQ(check_password_policy(otp, "amina"), std::nullopt);
    EXPECT_TRUE(r.value->user.must_change_password);
    EXPECT_EQ(raw().text("SELECT harbours FROM users WHERE username = 'amina'"),
              R"(["PK-HBR-05"])");
    const std::string stored = raw().text("SELECT password_hash FROM users");
    EXPECT_THAT(stored, ::testing::StartsWith("$argon2id$"));
    EXPECT_THAT(stored, Not(HasSubstr(otp)));
    EXPECT_TRUE(verify_password(stored, otp));
    // Another user gets another password.
    const auto second = store.add_user(cli, {.username = "bilal", .role = "auditor"});
    ASSERT_TRUE(second.ok());
    EXPECT_NE(second.value->one_time_password, otp);
}

TEST_F(AccountStoreTest, refuses_bad_usernames_roles_harbours_and_weak_passwords) {
    const auto fields_of = [](const Outcome<CreatedUser>& r) {
        std::set<std::string> f;
        for (const auto& e : r.errors) {
            f.insert(e.field);
        }
        return f;
    };
    auto r = store.add_user(cli, {.username = "x", .role = "boss"});
    EXPECT_EQ(r.code, ErrorCode::validation_failed);
    EXPECT_EQ(fields_of(r), (std::set<std::string>{"username", "role"}));
    for (const char* bad : {"1amina", "amina baloch", "cli:root", "am\xC3\xAFna", "a'; DROP"}) {
        EXPECT_EQ(store.add_user(cli, {.username = bad, .role = "auditor"}).code,
                  ErrorCode::validation_failed)
            << bad;
    }
    r = store.add_user(cli, {.username = "clerk1", .role = "clerk"});
    EXPECT_EQ(fields_of(r), std::set<std::string>{"harbours"});
    r = store.add_user(cli, {.username = "clerk1", .role = "clerk", .harbours = {"PK-HBR-99"}});
    EXPECT_EQ(fields_of(r), std::set<std::string>{"harbours[0]"});
    EXPECT_THAT(r.errors[0].message, HasSubstr("not a harbour"));
    r = store.add_user(cli, {.username = "clerk1", .role = "clerk", .harbours = {"pk-hbr-05"}});
    EXPECT_EQ(fields_of(r), std::set<std::string>{"harbours[0]"});
    r = store.add_user(cli,
                       {.username = "watch1", .role = "cg_watchkeeper", .harbours = {"PK-HBR-05"}});
    EXPECT_EQ(fields_of(r), std::set<std::string>{"harbours"});
    r = store.add_user(cli, {.username = "weak", .role = "auditor", .password = "short"});
    EXPECT_EQ(fields_of(r), std::set<std::string>{"password"});
    EXPECT_EQ(raw().integer("SELECT count(*) FROM users"), 0);
}

TEST_F(AccountStoreTest, refuses_a_username_taken_in_another_case) {
    add("Amina", "auditor");
    const auto r = store.add_user(cli, {.username = "amina", .role = "auditor"});
    EXPECT_EQ(r.code, ErrorCode::duplicate);
    EXPECT_EQ(r.errors[0].field, "username");
}

TEST_F(AccountStoreTest, keeps_at_least_one_enabled_administrator) {
    const auto root = add("root1", "admin");
    EXPECT_EQ(store.disable_user(cli, root.id).code, ErrorCode::wrong_state);
    const auto other = add("root2", "admin");
    EXPECT_TRUE(store.disable_user(cli, root.id).ok());
    EXPECT_EQ(store.disable_user(cli, other.id).code, ErrorCode::wrong_state);
    EXPECT_EQ(store.disable_user(cli, 999).code, ErrorCode::not_found);
}

// ---- sign-in ----------------------------------------------------------------------------------

TEST_F(AccountStoreTest, signs_in_with_a_new_session_each_time_and_stores_only_hashes) {
    const auto u = add("amina", "clerk", {"PK-HBR-05"});
    const auto a = login("amina", good_password);
    ASSERT_EQ(a.status, LoginStatus::ok);
    EXPECT_EQ(a.user->id, u.id);
    EXPECT_EQ(a.session_token.size(), 43U);
    EXPECT_EQ(a.csrf_token.size(), 43U);
    EXPECT_EQ(a.expires_at, now + 12h);
    const auto b = login("AMINA", good_password); // usernames ignore case
    ASSERT_EQ(b.status, LoginStatus::ok);
    EXPECT_NE(a.session_token, b.session_token); // ASVS 7.2.4
    EXPECT_EQ(raw().integer("SELECT count(*) FROM sessions"), 2);
    EXPECT_EQ(raw().text("SELECT token_hash FROM sessions ORDER BY created_at, rowid LIMIT 1"),
              token_hash(a.session_token));
    EXPECT_EQ(raw().integer("SELECT count(*) FROM sessions WHERE token_hash = '" + a.session_token +
                            "' OR csrf_hash = '" + a.csrf_token + "'"),
              0);
    EXPECT_EQ(raw().text("SELECT last_login_at FROM users"), "2026-11-29T08:00:00Z");
    const auto s = store.session(a.session_token, a.csrf_token);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->user.username, "amina");
    EXPECT_TRUE(s->csrf_ok);
    EXPECT_FALSE(store.session(a.session_token, b.csrf_token)->csrf_ok);
    EXPECT_FALSE(store.session(a.session_token, std::nullopt)->csrf_ok);
    EXPECT_FALSE(store.session("not-a-token", a.csrf_token));
}

TEST_F(AccountStoreTest, counts_wrong_passwords_and_locks_after_five) {
    const auto u = add("amina", "clerk", {"PK-HBR-05"});
    for (int i = 1; i <= 4; ++i) {
        const auto r = login("amina", "wrong-password-123");
        EXPECT_EQ(r.status, LoginStatus::failed);
        EXPECT_EQ(raw().integer("SELECT failed_logins FROM users"), i);
    }
    // A success resets the count.
    ASSERT_EQ(login("amina", good_password).status, LoginStatus::ok);
    EXPECT_EQ(raw().integer("SELECT failed_logins FROM users"), 0);
    for (int i = 1; i <= 5; ++i) {
        EXPECT_EQ(login("amina", "wrong-password-123").status, LoginStatus::failed);
    }
    EXPECT_EQ(raw().integer("SELECT locked_until FROM users"),
              (now + 15min).time_since_epoch().count());
    EXPECT_TRUE(store.user(u.id)->locked_until.has_value());
    const auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login_failed"), 9);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.locked"), 1);
}

TEST_F(AccountStoreTest, a_locked_account_refuses_the_right_password_until_the_lock_expires) {
    add("amina", "clerk", {"PK-HBR-05"});
    for (int i = 0; i < 5; ++i) {
        (void)login("amina", "wrong-password-123");
    }
    const auto locked = login("amina", good_password);
    EXPECT_EQ(locked.status, LoginStatus::failed);
    EXPECT_TRUE(locked.session_token.empty());
    // The message does not say why (same as a wrong password).
    EXPECT_EQ(locked.message, login("amina", "wrong-password-123").message);
    now += 14min + 59s;
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::failed);
    now += 1s;
    const auto ok = login("amina", good_password);
    EXPECT_EQ(ok.status, LoginStatus::ok);
    EXPECT_EQ(raw().integer("SELECT failed_logins FROM users"), 0);
    EXPECT_EQ(raw().text("SELECT locked_until FROM users"), "<null>");
}

TEST_F(AccountStoreTest, an_administrator_can_unlock_an_account) {
    const auto u = add("amina", "clerk", {"PK-HBR-05"});
    for (int i = 0; i < 5; ++i) {
        (void)login("amina", "wrong-password-123");
    }
    EXPECT_TRUE(store.enable_user(cli, u.id).ok());
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::ok);
    EXPECT_EQ(store.enable_user(cli, u.id).code, ErrorCode::wrong_state);
}

TEST_F(AccountStoreTest, unknown_users_fail_like_wrong_passwords_and_are_not_named_in_the_audit) {
    add("amina", "clerk", {"PK-HBR-05"});
    const auto unknown = login("nobody-here", "wrong-password-123");
    const auto wrong = login("amina", "wrong-password-123");
    EXPECT_EQ(unknown.status, LoginStatus::failed);
    EXPECT_EQ(unknown.message, wrong.message);
    // A password typed into the username field must not land in the trail.
    (void)login("my-secret-pass-typed-here", "x");
    const std::string audit = audit_text();
    EXPECT_THAT(audit, Not(HasSubstr("nobody-here")));
    EXPECT_THAT(audit, Not(HasSubstr("my-secret-pass-typed-here")));
    EXPECT_THAT(audit, HasSubstr("unknown username"));
}

TEST_F(AccountStoreTest, limits_failures_per_source_address_across_usernames) {
    add("amina", "clerk", {"PK-HBR-05"});
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(login("user" + std::to_string(i), "guess-guess-guess", "203.0.113.9").status,
                  LoginStatus::failed);
    }
    const auto limited = login("amina", good_password, "203.0.113.9");
    EXPECT_EQ(limited.status, LoginStatus::rate_limited);
    EXPECT_EQ(limited.retry_after, 15min);
    EXPECT_TRUE(limited.session_token.empty());
    // Another address is not affected; the limited one waits out the window.
    EXPECT_EQ(login("amina", good_password, "10.0.0.2").status, LoginStatus::ok);
    now += 10min;
    EXPECT_EQ(login("amina", good_password, "203.0.113.9").retry_after, 5min);
    now += 5min;
    EXPECT_EQ(login("amina", good_password, "203.0.113.9").status, LoginStatus::ok);
    const auto actions = audit_actions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.rate_limited"), 1);
}

TEST_F(AccountStoreTest, rehashes_a_password_stored_with_other_parameters) {
    add("amina", "auditor");
    raw().exec("UPDATE users SET password_hash = '" +
               hash_password(good_password, {.opslimit = 2, .memlimit = 8 * 1024 * 1024}) + "'");
    ASSERT_EQ(login("amina", good_password).status, LoginStatus::ok);
    const std::string h = raw().text("SELECT password_hash FROM users");
    EXPECT_FALSE(password_needs_rehash(h, PasswordParams::fast_for_tests()));
    EXPECT_TRUE(verify_password(h, good_password));
}

// ---- sessions ---------------------------------------------------------------------------------

TEST_F(AccountStoreTest, a_session_ends_after_30_idle_minutes) {
    add("amina", "auditor");
    const auto a = login("amina", good_password);
    now += 29min;
    EXPECT_TRUE(store.session(a.session_token, std::nullopt));
    now += 29min; // 29 minutes after the last request
    EXPECT_TRUE(store.session(a.session_token, std::nullopt));
    now += 30min;
    EXPECT_FALSE(store.session(a.session_token, std::nullopt));
    EXPECT_EQ(raw().integer("SELECT count(*) FROM sessions"), 0); // removed, not just refused
}

TEST_F(AccountStoreTest, a_session_ends_12_hours_after_sign_in_however_busy) {
    add("amina", "auditor");
    const auto a = login("amina", good_password);
    for (int i = 0; i < 71; ++i) { // a request every 10 minutes for 11 h 50 min
        now += 10min;
        ASSERT_TRUE(store.session(a.session_token, std::nullopt)) << i;
    }
    now += 10min;
    EXPECT_FALSE(store.session(a.session_token, std::nullopt));
}

TEST_F(AccountStoreTest, updates_last_seen_at_most_once_a_minute) {
    add("amina", "auditor");
    const auto a = login("amina", good_password);
    const auto t0 = now.time_since_epoch().count();
    now += 59s;
    ASSERT_TRUE(store.session(a.session_token, std::nullopt));
    EXPECT_EQ(raw().integer("SELECT last_seen FROM sessions"), t0);
    now += 1s;
    ASSERT_TRUE(store.session(a.session_token, std::nullopt));
    EXPECT_EQ(raw().integer("SELECT last_seen FROM sessions"), t0 + 60);
}

TEST_F(AccountStoreTest, logout_ends_the_session_on_the_server) {
    const auto u = add("amina", "auditor");
    const auto a = login("amina", good_password);
    const auto b = login("amina", good_password);
    EXPECT_TRUE(store.logout(actor_of(u, "10.0.0.1"), a.session_token));
    EXPECT_FALSE(store.session(a.session_token, std::nullopt));
    EXPECT_TRUE(store.session(b.session_token, std::nullopt)); // other browser stays
    EXPECT_FALSE(store.logout(actor_of(u, "10.0.0.1"), a.session_token));
    EXPECT_EQ(audit_actions().back(), "auth.logout");
}

TEST_F(AccountStoreTest, disabling_a_user_ends_their_sessions_and_tokens_and_refuses_login) {
    add("root1", "admin");
    const auto u = add("amina", "clerk", {"PK-HBR-05"});
    const auto a = login("amina", good_password);
    const auto t = store.create_api_token(cli, u.id, "script", std::nullopt);
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE(store.disable_user(cli, u.id, "left the department").ok());
    EXPECT_FALSE(store.session(a.session_token, std::nullopt));
    EXPECT_EQ(raw().integer("SELECT count(*) FROM sessions"), 0);
    EXPECT_FALSE(store.authenticate_token(t.value->token));
    EXPECT_NE(raw().text("SELECT revoked_at FROM api_tokens"), "<null>");
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::failed);
    // Enabled again: the password works, the revoked token stays revoked.
    ASSERT_TRUE(store.enable_user(cli, u.id).ok());
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::ok);
    EXPECT_FALSE(store.authenticate_token(t.value->token));
    const auto entries = AuditLog(db).list({.entity = "user", .entity_id = std::to_string(u.id)});
    const auto disable = std::find_if(entries.begin(), entries.end(), [](const AuditEntry& e) {
        return e.event.action == "user.disable";
    });
    ASSERT_NE(disable, entries.end());
    EXPECT_EQ(disable->event.reason, "left the department");
    EXPECT_THAT(*disable->event.after_json, HasSubstr(R"("sessions_ended":1)"));
}

TEST_F(AccountStoreTest, purges_expired_sessions) {
    add("amina", "auditor");
    (void)login("amina", good_password);
    (void)login("amina", good_password);
    now += 31min;
    EXPECT_EQ(store.purge_expired_sessions(), 2U);
}

// ---- passwords --------------------------------------------------------------------------------

TEST_F(AccountStoreTest, a_reset_gives_a_new_one_time_password_and_ends_sessions) {
    const auto u = add("amina", "auditor");
    const auto a = login("amina", good_password);
    const auto r = store.reset_password(cli, u.id);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(store.session(a.session_token, std::nullopt));
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::failed);
    const auto b = login("amina", *r.value);
    ASSERT_EQ(b.status, LoginStatus::ok);
    EXPECT_TRUE(b.user->must_change_password);
    EXPECT_EQ(store.reset_password(cli, 999).code, ErrorCode::not_found);
}

TEST_F(AccountStoreTest, changing_the_password_checks_the_old_one_and_the_policy) {
    const auto created = store.add_user(cli, {.username = "amina", .role = "auditor"});
    const auto u = created.value->user;
    const std::string otp = created.value->one_time_password;
    const auto first = login("amina", otp);
    const auto other = login("amina", otp, "10.0.0.7");
    ASSERT_TRUE(first.user->must_change_password);
    const Actor self = actor_of(u, "10.0.0.1");
    auto r = store.change_password(self, u.id, "not-the-password", "new-Password-for-Pasni");
    EXPECT_EQ(r.code, ErrorCode::validation_failed);
    EXPECT_EQ(r.errors[0].field, "current_password");
    EXPECT_EQ(raw().integer("SELECT failed_logins FROM users"), 1); // counts as a failure
    r = store.change_password(self, u.id, otp, "amina");
    EXPECT_EQ(r.errors[0].field, "new_password");
    r = store.change_password(self, u.id, otp, otp);
    EXPECT_EQ(r.errors[0].field, "new_password");
    r = store.change_password(self, u.id, otp, "new-Password-for-Pasni", first.session_token);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(store.user(u.id)->must_change_password);
    EXPECT_TRUE(store.session(first.session_token, std::nullopt));  // this browser stays
    EXPECT_FALSE(store.session(other.session_token, std::nullopt)); // others end
    EXPECT_EQ(login("amina", otp).status, LoginStatus::failed);
    EXPECT_EQ(login("amina", "new-Password-for-Pasni").status, LoginStatus::ok);
}

TEST_F(AccountStoreTest, guessing_the_current_password_locks_the_account_too) {
    const auto u = add("amina", "auditor");
    const Actor self = actor_of(u, "10.0.0.1");
    for (int i = 0; i < 5; ++i) {
        (void)store.change_password(self, u.id, "guess-number-" + std::to_string(i),
                                    "new-Password-for-Pasni");
    }
    const auto r = store.change_password(self, u.id, good_password, "new-Password-for-Pasni");
    EXPECT_EQ(r.code, ErrorCode::wrong_state);
    EXPECT_EQ(login("amina", good_password).status, LoginStatus::failed);
}

// ---- API tokens -------------------------------------------------------------------------------

TEST_F(AccountStoreTest, api_tokens_authenticate_until_revoked_or_expired) {
    const auto u = add("ops-display", "cg_watchkeeper");
    const auto a = store.create_api_token(cli, u.id, "ops room Gwadar", now + 24h);
    ASSERT_TRUE(a.ok());
    const std::string token = a.value->token;
    EXPECT_THAT(token, ::testing::StartsWith("sahil_"));
    EXPECT_EQ(raw().text("SELECT token_hash FROM api_tokens"), token_hash(token));
    const auto found = store.authenticate_token(token);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user.username, "ops-display");
    EXPECT_EQ(found->token_id, a.value->info.id);
    EXPECT_EQ(raw().text("SELECT last_used_at FROM api_tokens"), "2026-11-29T08:00:00Z");
    EXPECT_FALSE(store.authenticate_token(token + "x"));
    EXPECT_FALSE(store.authenticate_token(token.substr(6))); // without the prefix
    // Expiry.
    now += 24h;
    EXPECT_FALSE(store.authenticate_token(token));
    // Revocation.
    now -= 1h;
    EXPECT_TRUE(store.authenticate_token(token));
    ASSERT_TRUE(store.revoke_api_token(cli, a.value->info.id).ok());
    EXPECT_FALSE(store.authenticate_token(token));
    EXPECT_EQ(store.revoke_api_token(cli, a.value->info.id).code, ErrorCode::wrong_state);
    EXPECT_EQ(store.revoke_api_token(cli, 999).code, ErrorCode::not_found);
}

TEST_F(AccountStoreTest, refuses_bad_token_requests) {
    const auto u = add("ops-display", "cg_watchkeeper");
    EXPECT_EQ(store.create_api_token(cli, u.id, "", std::nullopt).code,
              ErrorCode::validation_failed);
    EXPECT_EQ(store.create_api_token(cli, u.id, "old", now - 1s).code,
              ErrorCode::validation_failed);
    EXPECT_EQ(store.create_api_token(cli, 999, "x", std::nullopt).code, ErrorCode::not_found);
    EXPECT_EQ(store.api_tokens(std::nullopt).size(), 0U);
}

// ---- audit ------------------------------------------------------------------------------------

TEST_F(AccountStoreTest, every_account_event_is_audited_without_passwords_or_tokens) {
    const auto created = store.add_user(cli, {.username = "amina", .role = "auditor"});
    const auto u = created.value->user;
    const std::string otp = created.value->one_time_password;
    (void)login("amina", "wrong-password-123");
    const auto s = login("amina", otp);
    ASSERT_TRUE(store
                    .change_password(actor_of(u, "10.0.0.1"), u.id, otp, "new-Password-for-Pasni",
                                     s.session_token)
                    .ok());
    const auto t = store.create_api_token(cli, u.id, "script", std::nullopt);
    ASSERT_TRUE(store.revoke_api_token(cli, t.value->info.id).ok());
    const auto reset = store.reset_password(cli, u.id);
    ASSERT_TRUE(store.logout(actor_of(u, "10.0.0.1"), s.session_token) == false); // reset ended it
    const auto s2 = login("amina", *reset.value);
    ASSERT_TRUE(store.logout(actor_of(u, "10.0.0.1"), s2.session_token));
    add("root1", "admin");
    ASSERT_TRUE(store.disable_user(cli, u.id).ok());
    ASSERT_TRUE(store.end_sessions(cli, u.id).ok());

    EXPECT_EQ(audit_actions(),
              (std::vector<std::string>{"user.add", "auth.login_failed", "auth.login",
                                        "user.change_password", "token.create", "token.revoke",
                                        "user.reset_password", "auth.login", "auth.logout",
                                        "user.add", "user.disable", "user.end_sessions"}));
    const std::string audit = audit_text();
    for (const std::string& secret :
         {otp, std::string("new-Password-for-Pasni"), std::string("wrong-password-123"),
          *reset.value, s.session_token, s.csrf_token, s2.session_token, s2.csrf_token,
          t.value->token, t.value->token.substr(6)}) {
        EXPECT_THAT(audit, Not(HasSubstr(secret)));
    }
    EXPECT_THAT(audit, HasSubstr("10.0.0.1")); // where from
    EXPECT_TRUE(AuditLog(db).verify().ok());

    // Nor anywhere in the database file.
    std::ifstream f(tmp.file("registry.db"), std::ios::binary);
    std::stringstream bytes;
    bytes << f.rdbuf();
    std::ifstream wal(tmp.file("registry.db-wal"), std::ios::binary);
    bytes << wal.rdbuf();
    for (const std::string& secret : {otp, std::string("new-Password-for-Pasni"), s.session_token,
                                      s.csrf_token, t.value->token}) {
        EXPECT_THAT(bytes.str(), Not(HasSubstr(secret)));
    }
}

TEST(LoginLimiter, forgets_the_stalest_address_when_full) {
    LoginLimiter limiter(2, std::chrono::minutes(15), 3);
    const std::chrono::sys_seconds t0{std::chrono::seconds{1'000'000}};
    // "b" failed last at t0+1s, "a" at t0+2s, "c" at t0+3s: "b" is the stalest.
    for (const auto& [source, last] :
         {std::pair{"a", 2s}, std::pair{"b", 1s}, std::pair{"c", 3s}}) {
        limiter.record_failure(source, t0);
        limiter.record_failure(source, t0 + last);
    }
    EXPECT_GT(limiter.retry_after("a", t0 + 2s).count(), 0);
    limiter.record_failure("d", t0 + 4s);
    EXPECT_EQ(limiter.sources(), 3U);
    EXPECT_EQ(limiter.retry_after("b", t0 + 5s).count(), 0); // forgotten
    EXPECT_GT(limiter.retry_after("a", t0 + 5s).count(), 0);
    EXPECT_GT(limiter.retry_after("c", t0 + 5s).count(), 0);
    // A window later everyone may try again.
    EXPECT_EQ(limiter.retry_after("c", t0 + 3s + std::chrono::minutes(15)).count(), 0);
}

} // namespace
} // namespace sahil::registry

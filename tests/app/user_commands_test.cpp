// `sahil user ...` as an administrator at the server's shell uses it: one-time passwords printed
// once, clear errors with exit codes, the harbour check against the shipped geofences, and the
// audit actor of a local command.
#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "registry/accounts.hpp"
#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "server/app/commands.hpp"
#include "server/app/user_commands.hpp"
#include "tests/app/app_test_support.hpp"

namespace {

using namespace sahil;
using ::testing::HasSubstr;

app::Config temp_config(const test::TempDir& tmp) {
    // Relative to config/: the shipped harbour geofences (PK-HBR-01 .. PK-HBR-15).
    return test::config_from("[paths]\nregistry_db = \"" +
                                 (tmp.path() / "var/registry.db").string() + "\"\n",
                             test::source_dir() / "config");
}

/// The one-time password printed by add / reset-password.
std::string printed_password(const std::string& out) {
    std::smatch m;
    const std::regex re("password[^:]*: ([0-9A-Z]{8}-[0-9A-Z]{8})\n");
    return std::regex_search(out, m, re) ? m[1].str() : std::string();
}

TEST(UserCommands, add_prints_a_one_time_password_that_signs_in_once_changed) {
    test::TempDir tmp;
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    app::AddUserForm form{"amina", "clerk", {"PK-HBR-05"}, "Amina Baloch"};
    ASSERT_EQ(app::cmd_user_add(cfg, form, out, err), app::exit_ok) << err.str();
    EXPECT_THAT(out.str(), HasSubstr("added user amina (id 1, role clerk, harbours PK-HBR-05)"));
    const std::string otp = printed_password(out.str());
    ASSERT_FALSE(otp.empty()) << out.str();

    registry::Database db(cfg.paths.registry_db.string());
    registry::AccountStore store(db);
    const auto login = store.login("amina", otp, "10.0.0.1");
    ASSERT_EQ(login.status, registry::LoginStatus::ok);
    EXPECT_TRUE(login.user->must_change_password);
    EXPECT_EQ(login.user->display_name, "Amina Baloch");
    const auto entries = registry::AuditLog(db).list({.entity = "user"});
    ASSERT_FALSE(entries.empty());
    const auto& added = entries.back();
    EXPECT_EQ(added.event.action, "user.add");
    EXPECT_THAT(added.actor.user, ::testing::StartsWith("cli:"));
    EXPECT_EQ(added.actor.role, "admin");
    EXPECT_EQ(added.actor.source, "cli");
    EXPECT_THAT(*added.event.after_json, ::testing::Not(HasSubstr(otp)));
}

TEST(UserCommands, add_refuses_unknown_harbours_and_roles_with_exit_code_1) {
    test::TempDir tmp;
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(app::cmd_user_add(cfg, {"amina", "clerk", {"PK-HBR-99"}, ""}, out, err),
              app::exit_bad_input);
    EXPECT_THAT(err.str(), HasSubstr("harbours[0]: \"PK-HBR-99\" is not a harbour"));
    EXPECT_THAT(err.str(), HasSubstr("PK-HBR-05 (Pasni Fish Harbour)")); // what is allowed
    err.str("");
    EXPECT_EQ(app::cmd_user_add(cfg, {"amina", "clerk", {}, ""}, out, err), app::exit_bad_input);
    EXPECT_THAT(err.str(), HasSubstr("harbours: a clerk needs at least one harbour"));
    err.str("");
    EXPECT_EQ(app::cmd_user_add(cfg, {"amina", "captain", {}, ""}, out, err), app::exit_bad_input);
    EXPECT_THAT(err.str(), HasSubstr("role: must be one of admin, clerk, supervisor"));
    EXPECT_TRUE(out.str().empty()) << out.str();
}

TEST(UserCommands, disable_enable_reset_and_list_work_on_usernames) {
    test::TempDir tmp;
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_user_add(cfg, {"root", "admin", {}, ""}, out, err), app::exit_ok);
    ASSERT_EQ(app::cmd_user_add(cfg, {"watch1", "cg_watchkeeper", {}, ""}, out, err), app::exit_ok);
    err.str("");
    EXPECT_EQ(app::cmd_user_disable(cfg, "root", "", out, err), app::exit_bad_input);
    EXPECT_THAT(err.str(), HasSubstr("last enabled administrator"));
    EXPECT_EQ(app::cmd_user_disable(cfg, "nobody", "", out, err), app::exit_bad_input);
    EXPECT_THAT(err.str(), HasSubstr("no user named \"nobody\""));
    out.str("");
    EXPECT_EQ(app::cmd_user_disable(cfg, "watch1", "left", out, err), app::exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("disabled watch1"));
    EXPECT_EQ(app::cmd_user_disable(cfg, "WATCH1", "", out, err), app::exit_bad_input);

    out.str("");
    EXPECT_EQ(app::cmd_user_list(cfg, false, out, err), app::exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("USERNAME"));
    EXPECT_THAT(out.str(), ::testing::ContainsRegex("watch1 +cg_watchkeeper +- +yes"));
    EXPECT_THAT(out.str(), HasSubstr("2 user(s)"));
    out.str("");
    EXPECT_EQ(app::cmd_user_list(cfg, true, out, err), app::exit_ok);
    const auto lines = test::json_lines(out.str());
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[1]["username"], "watch1");
    EXPECT_EQ(lines[1]["disabled"], true);

    EXPECT_EQ(app::cmd_user_enable(cfg, "watch1", out, err), app::exit_ok);
    out.str("");
    EXPECT_EQ(app::cmd_user_reset_password(cfg, "watch1", out, err), app::exit_ok);
    const std::string otp = printed_password(out.str());
    ASSERT_FALSE(otp.empty()) << out.str();
    registry::Database db(cfg.paths.registry_db.string());
    registry::AccountStore store(db);
    EXPECT_EQ(store.login("watch1", otp, "10.0.0.1").status, registry::LoginStatus::ok);
}

TEST(UserCommands, the_cli_actor_names_the_login_user_or_the_uid) {
    const char* saved = std::getenv("USER");
    const std::string saved_value = saved != nullptr ? saved : "";
    ::setenv("USER", "ops.admin", 1);
    EXPECT_EQ(app::cli_actor().user, "cli:ops.admin");
    EXPECT_EQ(app::cli_actor().role, "admin");
    EXPECT_EQ(app::cli_actor().source, "cli");
    ::setenv("USER", "x;rm -rf", 1); // not a login name: the uid instead
    EXPECT_THAT(app::cli_actor().user, ::testing::MatchesRegex("cli:uid[0-9]+"));
    ::unsetenv("USER");
    EXPECT_THAT(app::cli_actor().user, ::testing::MatchesRegex("cli:uid[0-9]+"));
    if (saved != nullptr) {
        ::setenv("USER", saved_value.c_str(), 1);
    }
}

} // namespace

namespace {

TEST(UserCommands, token_prints_only_the_token_on_stdout_and_it_authenticates) {
    test::TempDir tmp;
    const auto cfg = temp_config(tmp);
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_user_add(cfg, {"display", "cg_watchkeeper", {}, "Ops room"}, out, err),
              app::exit_ok);
    out.str("");
    ASSERT_EQ(app::cmd_user_token(cfg, "display", "ops-room-display", 30, out, err), app::exit_ok)
        << err.str();
    std::string token = out.str();
    ASSERT_FALSE(token.empty());
    ASSERT_EQ(token.back(), '\n');
    token.pop_back();
    EXPECT_THAT(token, ::testing::StartsWith("sahil_"));
    EXPECT_THAT(err.str(), HasSubstr("ops-room-display"));
    registry::Database db(cfg.paths.registry_db.string());
    registry::AccountStore store(db);
    const auto auth = store.authenticate_token(token);
    ASSERT_TRUE(auth.has_value());
    EXPECT_EQ(auth->user.username, "display");
    // Out of range, unknown user: exit 1 and nothing on stdout.
    out.str("");
    EXPECT_EQ(app::cmd_user_token(cfg, "display", "x", 0, out, err), app::exit_bad_input);
    EXPECT_EQ(app::cmd_user_token(cfg, "nobody", "x", 30, out, err), app::exit_bad_input);
    EXPECT_TRUE(out.str().empty());
}

} // namespace

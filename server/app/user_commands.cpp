#include "server/app/user_commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ostream>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "geo/geo_error.hpp"
#include "geo/zone_index.hpp"
#include "registry/accounts.hpp"
#include "registry/database.hpp"
#include "registry/registry_error.hpp"
#include "server/app/commands.hpp"
#include "server/app/engine.hpp"

namespace sahil::app {
namespace {

/// Runs `body`, mapping resource exceptions to exit_resource with a clear message.
template <class F> int guarded(std::ostream& err, F&& body) {
    try {
        return body();
    } catch (const registry::RegistryError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const registry::CryptoError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const geo::GeoError& e) {
        fmt::print(err, "error: {}\n", e.what());
    } catch (const std::filesystem::filesystem_error& e) {
        fmt::print(err, "error: {}\n", e.what());
    }
    return exit_resource;
}

registry::AccountOptions options_of(const Config& config) {
    registry::AccountOptions o;
    o.session_idle = std::chrono::minutes(config.auth.session_idle_minutes);
    o.session_max = std::chrono::hours(config.auth.session_max_hours);
    o.lock_after_failures = config.auth.login_lock_failures;
    o.lock_duration = std::chrono::minutes(config.auth.login_lock_minutes);
    return o;
}

/// Opens registry.db and the account store on it.
struct Accounts {
    explicit Accounts(const Config& config, registry::AccountOptions options)
        : db((ensure_parent_dir(config.paths.registry_db), config.paths.registry_db.string())),
          store(db, std::move(options)) {}
    registry::Database db;
    registry::AccountStore store;
};

void print_errors(std::ostream& err, const std::vector<registry::FieldError>& errors) {
    for (const auto& e : errors) {
        // "id" names the API's path parameter; on the command line the user was named.
        const bool show_field = !e.field.empty() && e.field != "id";
        fmt::print(err, "{}{}{}\n", show_field ? e.field : "", show_field ? ": " : "", e.message);
    }
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : std::string(sep)) + s;
    }
    return out;
}

/// Runs `action` on the user named `username`; prints "no user named X" when there is none.
template <class F>
int with_user(const Config& config, const std::string& username, std::ostream& err, F&& action) {
    return guarded(err, [&] {
        Accounts a(config, options_of(config));
        const auto u = a.store.user_by_name(username);
        if (!u) {
            fmt::print(err, "no user named \"{}\" (see `sahil user list`)\n", username);
            return int{exit_bad_input};
        }
        return action(a.store, *u);
    });
}

} // namespace

registry::Actor cli_actor() {
    const char* env = std::getenv("USER");
    std::string name = env != nullptr ? env : "";
    const bool safe =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
        });
    if (!safe) {
        name = fmt::format("uid{}", ::getuid());
    }
    return registry::Actor{"cli:" + name, "admin", "", "cli", ""};
}

int cmd_user_add(const Config& config, const AddUserForm& form, std::ostream& out,
                 std::ostream& err) {
    return guarded(err, [&] {
        registry::AccountOptions options = options_of(config);
        std::shared_ptr<geo::ZoneIndex> zones;
        if (!form.harbours.empty()) {
            try {
                zones = std::make_shared<geo::ZoneIndex>(
                    geo::ZoneIndex::load(config.paths.harbours, "harbours"));
            } catch (const geo::GeoError& e) {
                fmt::print(err,
                           "error: cannot check the harbours against {}: {}\n(fix [paths] "
                           "harbours in the config, then try again)\n",
                           config.paths.harbours.string(), e.what());
                return int{exit_resource};
            }
            options.harbour_known = [zones](std::string_view id) {
                return zones->find(id) != nullptr;
            };
        }
        Accounts a(config, std::move(options));
        registry::NewUser nu;
        nu.username = form.username;
        nu.role = form.role;
        nu.harbours = form.harbours;
        nu.display_name = form.display_name;
        const auto r = a.store.add_user(cli_actor(), nu);
        if (!r.ok()) {
            print_errors(err, r.errors);
            if (zones && std::any_of(r.errors.begin(), r.errors.end(), [](const auto& e) {
                    return e.field.starts_with("harbours");
                })) {
                std::vector<std::string> ids;
                for (const auto& z : zones->zones()) {
                    ids.push_back(z.id + " (" + z.name + ")");
                }
                fmt::print(err, "harbours in {}: {}\n", config.paths.harbours.string(),
                           join(ids, ", "));
            }
            return int{exit_bad_input};
        }
        const auto& u = r.value->user;
        fmt::print(out, "added user {} (id {}, role {}{}{})\n", u.username, u.id, u.role,
                   u.harbours.empty() ? "" : ", harbours ", join(u.harbours, " "));
        fmt::print(out, "one-time password: {}\n", r.value->one_time_password);
        fmt::print(out,
                   "Hand it to {} once: it is not stored and cannot be shown again. It must "
                   "be changed at the first sign-in.\n",
                   u.username);
        return int{exit_ok};
    });
}

int cmd_user_disable(const Config& config, const std::string& username, const std::string& reason,
                     std::ostream& out, std::ostream& err) {
    return with_user(
        config, username, err, [&](registry::AccountStore& store, const registry::UserInfo& u) {
            const auto r = store.disable_user(cli_actor(), u.id, reason);
            if (!r.ok()) {
                print_errors(err, r.errors);
                return int{exit_bad_input};
            }
            fmt::print(out, "disabled {}: sessions ended, API tokens revoked\n", u.username);
            return int{exit_ok};
        });
}

int cmd_user_enable(const Config& config, const std::string& username, std::ostream& out,
                    std::ostream& err) {
    return with_user(config, username, err,
                     [&](registry::AccountStore& store, const registry::UserInfo& u) {
                         const auto r = store.enable_user(cli_actor(), u.id);
                         if (!r.ok()) {
                             print_errors(err, r.errors);
                             return int{exit_bad_input};
                         }
                         fmt::print(out, "enabled {}\n", u.username);
                         return int{exit_ok};
                     });
}

int cmd_user_reset_password(const Config& config, const std::string& username, std::ostream& out,
                            std::ostream& err) {
    return with_user(
        config, username, err, [&](registry::AccountStore& store, const registry::UserInfo& u) {
            const auto r = store.reset_password(cli_actor(), u.id);
            if (!r.ok()) {
                print_errors(err, r.errors);
                return int{exit_bad_input};
            }
            fmt::print(out, "new one-time password for {}: {}\n", u.username, *r.value);
            fmt::print(out, "Their sessions have ended; they must change it at "
                            "the next sign-in.\n");
            return int{exit_ok};
        });
}

int cmd_user_token(const Config& config, const std::string& username, const std::string& name,
                   int days, std::ostream& out, std::ostream& err) {
    if (days < 1 || days > 730) {
        fmt::print(err, "error: --days must be 1..730\n");
        return exit_bad_input;
    }
    return with_user(
        config, username, err, [&](registry::AccountStore& store, const registry::UserInfo& u) {
            const auto expires =
                std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
                std::chrono::days{days};
            const auto r = store.create_api_token(cli_actor(), u.id, name, expires);
            if (!r.ok()) {
                print_errors(err, r.errors);
                return int{exit_bad_input};
            }
            // The token alone on stdout, so that scripts can capture it; the rest on stderr.
            fmt::print(err, "API token \"{}\" for {} (role {}), valid {} days; shown once:\n", name,
                       u.username, u.role, days);
            fmt::print(out, "{}\n", r.value->token);
            return int{exit_ok};
        });
}

int cmd_user_list(const Config& config, bool json, std::ostream& out, std::ostream& err) {
    return guarded(err, [&] {
        Accounts a(config, options_of(config));
        const auto users = a.store.list_users();
        if (json) {
            for (const auto& u : users) {
                nlohmann::ordered_json j;
                j["id"] = u.id;
                j["username"] = u.username;
                j["display_name"] = u.display_name;
                j["role"] = u.role;
                j["harbours"] = u.harbours;
                j["disabled"] = u.disabled;
                j["locked"] = u.locked_until.has_value();
                j["must_change_password"] = u.must_change_password;
                j["last_login_at"] = u.last_login_at ? nlohmann::ordered_json(*u.last_login_at)
                                                     : nlohmann::ordered_json(nullptr);
                out << j.dump() << '\n';
            }
            return int{exit_ok};
        }
        fmt::print(out, "{:<20} {:<15} {:<22} {:<9} {}\n", "USERNAME", "ROLE", "HARBOURS",
                   "DISABLED", "LAST LOGIN");
        for (const auto& u : users) {
            std::string state = u.disabled ? "yes" : "no";
            if (u.locked_until) {
                state += " (locked)";
            }
            fmt::print(out, "{:<20} {:<15} {:<22} {:<9} {}\n", u.username, u.role,
                       u.harbours.empty() ? "-" : join(u.harbours, ","), state,
                       u.last_login_at
                           ? *u.last_login_at
                           : (u.must_change_password ? "never (one-time password)" : "never"));
        }
        fmt::print(out, "{} user(s)\n", users.size());
        return int{exit_ok};
    });
}

} // namespace sahil::app

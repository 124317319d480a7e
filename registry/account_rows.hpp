// Row helpers shared by the AccountStore's source files (accounts.cpp, account_sessions.cpp,
// api_tokens.cpp): the users columns and their reading, time conversions, error wrapping.
// Internal to registry/.
//
// Thread-safety: pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "registry/registry_error.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry::detail {

/// All-or-nothing write that nests inside a caller's transaction (write_transaction.hpp).
using Tx = WriteTransaction;

/// Columns read_user() expects, in order.
inline constexpr std::string_view user_columns =
    "u.id, u.username, u.display_name, u.role, u.harbours, u.must_change_password, u.disabled, "
    "u.locked_until, u.created_at, u.last_login_at, u.password_hash";

/// Longest token accepted for a lookup (ours are 43 or 49 characters); longer is garbage.
inline constexpr std::size_t max_token_length = 128;

struct UserRow {
    UserInfo info;
    std::string password_hash;
};

inline std::int64_t unix_s(std::chrono::sys_seconds t) {
    return t.time_since_epoch().count();
}

inline std::chrono::sys_seconds from_unix(std::int64_t s) {
    return std::chrono::sys_seconds{std::chrono::seconds{s}};
}

inline std::optional<std::string> opt_text(const SQLite::Column& c) {
    return c.isNull() ? std::nullopt : std::optional<std::string>(c.getString());
}

inline std::vector<std::string> parse_harbours(const std::string& text) {
    std::vector<std::string> out;
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_array()) {
        for (const auto& e : j) {
            if (e.is_string()) {
                out.push_back(e.get<std::string>());
            }
        }
    }
    return out;
}

/// Reads the user_columns starting at column `first`.
inline UserRow read_user(const SQLite::Statement& q, int first, std::chrono::sys_seconds now) {
    UserRow r;
    UserInfo& u = r.info;
    u.id = q.getColumn(first).getInt64();
    u.username = q.getColumn(first + 1).getString();
    u.display_name = q.getColumn(first + 2).getString();
    u.role = q.getColumn(first + 3).getString();
    u.harbours = parse_harbours(q.getColumn(first + 4).getString());
    u.must_change_password = q.getColumn(first + 5).getInt() != 0;
    u.disabled = q.getColumn(first + 6).getInt() != 0;
    if (!q.getColumn(first + 7).isNull()) {
        const auto until = from_unix(q.getColumn(first + 7).getInt64());
        if (until > now) {
            u.locked_until = until;
        }
    }
    u.created_at = q.getColumn(first + 8).getString();
    u.last_login_at = opt_text(q.getColumn(first + 9));
    r.password_hash = q.getColumn(first + 10).getString();
    return r;
}

inline std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

/// A RegistryError for a failed SQLite call, naming what the store was doing.
inline RegistryError db_error(const SQLite::Exception& e, std::string_view what) {
    return RegistryError::from_sqlite(e, fmt::format("accounts: {}", what));
}

/// The system clock in whole seconds (the default Clock).
inline std::function<std::chrono::sys_seconds()> system_clock_seconds() {
    return
        [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); };
}

} // namespace sahil::registry::detail

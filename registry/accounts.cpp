#include "registry/accounts.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "registry/account_rows.hpp"
#include "registry/validation.hpp"

namespace sahil::registry {
namespace {

using detail::db_error;
using detail::join;
using detail::read_user;
using detail::Tx;
using detail::user_columns;
using detail::UserRow;
using nlohmann::json;

std::string role_list() {
    std::string out;
    for (const auto r : account_roles) {
        out += (out.empty() ? "" : ", ") + std::string(r);
    }
    return out;
}

bool ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ascii_digit(char c) {
    return c >= '0' && c <= '9';
}

std::optional<std::string> check_username(std::string_view u) {
    if (u.size() < 2 || u.size() > 64) {
        return fmt::format("must be 2 to 64 characters (it has {})", u.size());
    }
    if (!ascii_letter(u.front())) {
        return std::string("must start with a letter A-Z");
    }
    const bool ok = std::all_of(u.begin(), u.end(), [](char c) {
        return ascii_letter(c) || ascii_digit(c) || c == '.' || c == '_' || c == '-';
    });
    if (!ok) {
        return std::string("may hold only letters A-Z, digits 0-9, '.', '_' and '-'");
    }
    return std::nullopt;
}

bool harbour_form(std::string_view h) {
    return h.size() >= 2 && h.size() <= 32 && std::all_of(h.begin(), h.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || ascii_digit(c) || c == '-';
           });
}

std::string one_time_password() {
    // 2 x 8 Crockford base32 characters = 80 random bits, easy to read out and type.
    return random_verification_code() + "-" + random_verification_code();
}

json user_json(const UserInfo& u) {
    return {{"username", u.username},
            {"display_name", u.display_name},
            {"role", u.role},
            {"harbours", u.harbours},
            {"must_change_password", u.must_change_password},
            {"disabled", u.disabled}};
}

template <class T> Outcome<T> no_user(std::int64_t id) {
    return Outcome<T>::failure(ErrorCode::not_found, "id", fmt::format("no user with id {}", id));
}

} // namespace

bool is_account_role(std::string_view role) noexcept {
    return std::find(account_roles.begin(), account_roles.end(), role) != account_roles.end();
}

Actor actor_of(const UserInfo& user, const std::string& source, const std::string& request_id) {
    return Actor{user.username, user.role, join(user.harbours), source, request_id};
}

AccountStore::AccountStore(Database& database, AccountOptions options, Clock clock)
    : m_db(database), m_options(std::move(options)),
      m_clock(clock ? std::move(clock) : detail::system_clock_seconds()),
      m_audit(database, m_clock), m_limiter(m_options.source_max_failures, m_options.source_window,
                                            m_options.source_table_max) {
    if (m_options.session_idle.count() <= 0 || m_options.session_max.count() <= 0 ||
        m_options.lock_duration.count() <= 0 || m_options.lock_after_failures < 1) {
        throw std::invalid_argument("AccountStore: durations and counts must be positive");
    }
}

std::string AccountStore::login_failed_message() const {
    return fmt::format("Wrong username or password, or the account is locked or disabled. After "
                       "{} failed attempts an account locks for {} minutes; ask an "
                       "administrator if you cannot sign in.",
                       m_options.lock_after_failures,
                       std::chrono::ceil<std::chrono::minutes>(m_options.lock_duration).count());
}

const std::string& AccountStore::dummy_hash() {
    if (m_dummy_hash.empty()) {
        m_dummy_hash = hash_password(random_token(), m_options.password_params);
    }
    return m_dummy_hash;
}

// ---- users ----------------------------------------------------------------------------------

std::vector<UserInfo> AccountStore::list_users() const {
    try {
        SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM users u ORDER BY "
                                                       "u.username COLLATE NOCASE",
                                                       user_columns));
        std::vector<UserInfo> out;
        const auto t = now();
        while (q.executeStep()) {
            out.push_back(read_user(q, 0, t).info);
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "listing users");
    }
}

std::optional<UserInfo> AccountStore::user(std::int64_t id) const {
    try {
        SQLite::Statement q(m_db.handle(),
                            fmt::format("SELECT {} FROM users u WHERE u.id = ?", user_columns));
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_user(q, 0, now()).info;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "reading a user");
    }
}

std::optional<UserInfo> AccountStore::user_by_name(std::string_view username) const {
    try {
        SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM users u WHERE u.username "
                                                       "= ?",
                                                       user_columns));
        q.bind(1, std::string(username));
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_user(q, 0, now()).info;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "reading a user");
    }
}

Outcome<CreatedUser> AccountStore::add_user(const Actor& actor, const NewUser& in) {
    std::vector<FieldError> errors;
    if (auto e = check_username(in.username)) {
        errors.push_back({"username", *e});
    }
    if (auto e = check_free_text(in.display_name, 128, false)) {
        errors.push_back({"display_name", *e});
    }
    if (!is_account_role(in.role)) {
        errors.push_back({"role", "must be one of " + role_list()});
    }
    std::vector<std::string> harbours;
    for (std::size_t i = 0; i < in.harbours.size(); ++i) {
        const std::string& h = in.harbours[i];
        const std::string field = fmt::format("harbours[{}]", i);
        if (!harbour_form(h)) {
            errors.push_back({field, fmt::format("\"{}\" is not a harbour id (upper-case, like "
                                                 "PK-HBR-05 for Pasni)",
                                                 h)});
        } else if (m_options.harbour_known && !m_options.harbour_known(h)) {
            errors.push_back(
                {field, fmt::format("\"{}\" is not a harbour in the harbour geofences", h)});
        } else if (std::find(harbours.begin(), harbours.end(), h) == harbours.end()) {
            harbours.push_back(h);
        }
    }
    if (in.role == "clerk" && in.harbours.empty()) {
        errors.push_back({"harbours", "a clerk needs at least one harbour, e.g. PK-HBR-05"});
    } else if (in.role != "clerk" && !in.harbours.empty() && is_account_role(in.role)) {
        errors.push_back({"harbours", fmt::format("only clerks are limited to harbours; leave "
                                                  "them out for role {}",
                                                  in.role)});
    }
    if (in.password) {
        if (auto e = check_password_policy(*in.password, in.username)) {
            errors.push_back({"password", *e});
        }
    }
    if (!errors.empty()) {
        return Outcome<CreatedUser>::failure(ErrorCode::validation_failed, std::move(errors));
    }
    const std::string password = in.password ? *in.password : one_time_password();
    const std::string hash = hash_password(password, m_options.password_params);
    try {
        Tx tx(m_db);
        SQLite::Statement dup(m_db.handle(), "SELECT username FROM users WHERE username = ?");
        dup.bind(1, in.username);
        if (dup.executeStep()) {
            return Outcome<CreatedUser>::failure(ErrorCode::duplicate, "username",
                                                 fmt::format("\"{}\" is already taken (by \"{}\")",
                                                             in.username,
                                                             dup.getColumn(0).getString()));
        }
        const std::string at = format_utc_seconds(now());
        SQLite::Statement ins(m_db.handle(),
                              "INSERT INTO users(username, display_name, role, harbours, "
                              "password_hash, must_change_password, created_at, updated_at) "
                              "VALUES(?,?,?,?,?,1,?,?)");
        ins.bind(1, in.username);
        ins.bind(2, in.display_name.empty() ? in.username : in.display_name);
        ins.bind(3, in.role);
        ins.bind(4, json(harbours).dump());
        ins.bind(5, hash);
        ins.bind(6, at);
        ins.bind(7, at);
        ins.exec();
        CreatedUser out;
        out.user.id = m_db.handle().getLastInsertRowid();
        out.user.username = in.username;
        out.user.display_name = in.display_name.empty() ? in.username : in.display_name;
        out.user.role = in.role;
        out.user.harbours = harbours;
        out.user.must_change_password = true;
        out.user.created_at = at;
        m_audit.append(actor, {.action = "user.add",
                               .entity = "user",
                               .entity_id = std::to_string(out.user.id),
                               .after_json = user_json(out.user).dump()});
        tx.commit();
        out.one_time_password = password;
        return Outcome<CreatedUser>::success(std::move(out));
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "adding a user");
    }
}

Outcome<Done> AccountStore::disable_user(const Actor& actor, std::int64_t user_id,
                                         const std::string& reason) {
    try {
        Tx tx(m_db);
        const auto u = user(user_id);
        if (!u) {
            return no_user<Done>(user_id);
        }
        if (u->disabled) {
            return Outcome<Done>::failure(ErrorCode::wrong_state, "id",
                                          fmt::format("{} is already disabled", u->username));
        }
        if (u->role == "admin") {
            SQLite::Statement admins(
                m_db.handle(), "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0");
            admins.executeStep();
            if (admins.getColumn(0).getInt64() <= 1) {
                return Outcome<Done>::failure(
                    ErrorCode::wrong_state, "id",
                    fmt::format("{} is the last enabled administrator; add or enable another "
                                "administrator first",
                                u->username));
            }
        }
        const auto t = now();
        SQLite::Statement upd(m_db.handle(),
                              "UPDATE users SET disabled = 1, updated_at = ? WHERE id = ?");
        upd.bind(1, format_utc_seconds(t));
        upd.bind(2, user_id);
        upd.exec();
        SQLite::Statement del(m_db.handle(), "DELETE FROM sessions WHERE user_id = ?");
        del.bind(1, user_id);
        const int sessions = del.exec();
        SQLite::Statement rev(m_db.handle(), "UPDATE api_tokens SET revoked_at = ? WHERE "
                                             "user_id = ? AND revoked_at IS NULL");
        rev.bind(1, format_utc_seconds(t));
        rev.bind(2, user_id);
        const int tokens = rev.exec();
        m_audit.append(actor, {.action = "user.disable",
                               .entity = "user",
                               .entity_id = std::to_string(user_id),
                               .before_json = json{{"disabled", false}}.dump(),
                               .after_json = json{{"disabled", true},
                                                  {"sessions_ended", sessions},
                                                  {"tokens_revoked", tokens}}
                                                 .dump(),
                               .reason = reason});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "disabling a user");
    }
}

Outcome<Done> AccountStore::enable_user(const Actor& actor, std::int64_t user_id) {
    try {
        Tx tx(m_db);
        const auto u = user(user_id);
        if (!u) {
            return no_user<Done>(user_id);
        }
        if (!u->disabled && !u->locked_until) {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "id",
                fmt::format("{} is neither disabled nor locked", u->username));
        }
        SQLite::Statement upd(m_db.handle(),
                              "UPDATE users SET disabled = 0, failed_logins = 0, locked_until = "
                              "NULL, updated_at = ? WHERE id = ?");
        upd.bind(1, format_utc_seconds(now()));
        upd.bind(2, user_id);
        upd.exec();
        m_audit.append(
            actor,
            {.action = "user.enable",
             .entity = "user",
             .entity_id = std::to_string(user_id),
             .before_json =
                 json{{"disabled", u->disabled}, {"locked", u->locked_until.has_value()}}.dump(),
             .after_json = json{{"disabled", false}, {"locked", false}}.dump()});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "enabling a user");
    }
}

Outcome<std::string> AccountStore::reset_password(const Actor& actor, std::int64_t user_id) {
    if (!user(user_id)) {
        return no_user<std::string>(user_id);
    }
    std::string password = one_time_password();
    const std::string hash = hash_password(password, m_options.password_params);
    try {
        Tx tx(m_db);
        SQLite::Statement upd(
            m_db.handle(), "UPDATE users SET password_hash = ?, must_change_password = 1, "
                           "failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?");
        upd.bind(1, hash);
        upd.bind(2, format_utc_seconds(now()));
        upd.bind(3, user_id);
        if (upd.exec() == 0) {
            return no_user<std::string>(user_id);
        }
        SQLite::Statement del(m_db.handle(), "DELETE FROM sessions WHERE user_id = ?");
        del.bind(1, user_id);
        const int sessions = del.exec();
        m_audit.append(
            actor, {.action = "user.reset_password",
                    .entity = "user",
                    .entity_id = std::to_string(user_id),
                    .after_json =
                        json{{"must_change_password", true}, {"sessions_ended", sessions}}.dump()});
        tx.commit();
        return Outcome<std::string>::success(std::move(password));
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "resetting a password");
    }
}

Outcome<Done> AccountStore::change_password(const Actor& actor, std::int64_t user_id,
                                            std::string_view current, std::string_view next,
                                            std::string_view keep_session_token) {
    std::optional<UserRow> row;
    try {
        SQLite::Statement q(m_db.handle(),
                            fmt::format("SELECT {} FROM users u WHERE u.id = ?", user_columns));
        q.bind(1, user_id);
        if (q.executeStep()) {
            row = read_user(q, 0, now());
        }
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "reading a user");
    }
    if (!row) {
        return no_user<Done>(user_id);
    }
    const UserInfo& u = row->info;
    if (u.disabled) {
        return Outcome<Done>::failure(ErrorCode::wrong_state, "id", "this account is disabled");
    }
    if (u.locked_until) {
        return Outcome<Done>::failure(
            ErrorCode::wrong_state, "current_password",
            fmt::format("the account is locked after failed attempts until {}; try again then",
                        format_utc_seconds(*u.locked_until)));
    }
    if (!verify_password(row->password_hash, current)) {
        record_failure(u, actor.source, actor.request_id, "wrong current password");
        return Outcome<Done>::failure(ErrorCode::validation_failed, "current_password",
                                      "is not your current password");
    }
    if (auto e = check_password_policy(next, u.username)) {
        return Outcome<Done>::failure(ErrorCode::validation_failed, "new_password", *e);
    }
    if (next == current) {
        return Outcome<Done>::failure(ErrorCode::validation_failed, "new_password",
                                      "must differ from the current password");
    }
    const std::string hash = hash_password(next, m_options.password_params);
    try {
        Tx tx(m_db);
        SQLite::Statement upd(m_db.handle(),
                              "UPDATE users SET password_hash = ?, must_change_password = 0, "
                              "failed_logins = 0, updated_at = ? WHERE id = ?");
        upd.bind(1, hash);
        upd.bind(2, format_utc_seconds(now()));
        upd.bind(3, user_id);
        upd.exec();
        SQLite::Statement del(m_db.handle(),
                              "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?");
        del.bind(1, user_id);
        del.bind(2, keep_session_token.empty() ? std::string() : token_hash(keep_session_token));
        const int ended = del.exec();
        m_audit.append(
            actor,
            {.action = "user.change_password",
             .entity = "user",
             .entity_id = std::to_string(user_id),
             .after_json =
                 json{{"must_change_password", false}, {"other_sessions_ended", ended}}.dump()});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "changing a password");
    }
}

Outcome<int> AccountStore::end_sessions(const Actor& actor, std::int64_t user_id) {
    try {
        Tx tx(m_db);
        if (!user(user_id)) {
            return no_user<int>(user_id);
        }
        SQLite::Statement del(m_db.handle(), "DELETE FROM sessions WHERE user_id = ?");
        del.bind(1, user_id);
        const int ended = del.exec();
        m_audit.append(actor, {.action = "user.end_sessions",
                               .entity = "user",
                               .entity_id = std::to_string(user_id),
                               .after_json = json{{"sessions_ended", ended}}.dump()});
        tx.commit();
        return Outcome<int>::success(ended);
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "ending sessions");
    }
}

} // namespace sahil::registry

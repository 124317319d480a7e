// AccountStore: sign-in, sessions and sign-out (users and passwords are accounts.cpp, API
// tokens api_tokens.cpp).
#include <utility>

#include "registry/account_rows.hpp"
#include "registry/accounts.hpp"

namespace sahil::registry {
namespace {

using detail::db_error;
using detail::from_unix;
using detail::max_token_length;
using detail::read_user;
using detail::Tx;
using detail::unix_s;
using detail::user_columns;
using detail::UserRow;
using nlohmann::json;

} // namespace

// ---- sign-in --------------------------------------------------------------------------------

void AccountStore::record_failure(const UserInfo& u, const std::string& source,
                                  const std::string& request_id, const std::string& why) {
    const auto t = now();
    try {
        Tx tx(m_db);
        SQLite::Statement q(m_db.handle(), "SELECT failed_logins FROM users WHERE id = ?");
        q.bind(1, u.id);
        const int failures = q.executeStep() ? q.getColumn(0).getInt() + 1 : 1;
        const bool lock = failures >= m_options.lock_after_failures;
        SQLite::Statement upd(m_db.handle(),
                              "UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?");
        upd.bind(1, lock ? 0 : failures);
        if (lock) {
            upd.bind(2, unix_s(t + m_options.lock_duration));
        } else {
            upd.bind(2); // NULL
        }
        upd.bind(3, u.id);
        upd.exec();
        const Actor actor = actor_of(u, source, request_id);
        m_audit.append(actor, {.action = "auth.login_failed",
                               .entity = "user",
                               .entity_id = std::to_string(u.id),
                               .after_json = json{{"failed_logins", failures}}.dump(),
                               .reason = why});
        if (lock) {
            m_audit.append(
                actor,
                {.action = "auth.locked",
                 .entity = "user",
                 .entity_id = std::to_string(u.id),
                 .after_json =
                     json{{"locked_until", format_utc_seconds(t + m_options.lock_duration)}}.dump(),
                 .reason = fmt::format("{} consecutive failed logins", failures)});
        }
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "recording a failed login");
    }
}

LoginResult AccountStore::login(std::string_view username, std::string_view password,
                                const std::string& source, const std::string& request_id) {
    const auto t = now();
    LoginResult result;
    result.message = login_failed_message();
    if (const auto wait = m_limiter.retry_after(source, t); wait.count() > 0) {
        result.status = LoginStatus::rate_limited;
        result.retry_after = wait;
        result.message = fmt::format("Too many failed sign-ins from your address. Try again in "
                                     "{} minute(s).",
                                     std::chrono::ceil<std::chrono::minutes>(wait).count());
        return result;
    }
    std::optional<UserRow> row;
    if (!username.empty() && username.size() <= 64) {
        try {
            SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM users u WHERE "
                                                           "u.username = ?",
                                                           user_columns));
            q.bind(1, std::string(username));
            if (q.executeStep()) {
                row = read_user(q, 0, t);
            }
        } catch (const SQLite::Exception& e) {
            throw db_error(e, "reading a user");
        }
    }
    // Always one Argon2id verification, so that response time does not tell whether the
    // username exists (ASVS 6.3.x; OWASP Authentication Cheat Sheet).
    const bool password_ok =
        row ? verify_password(row->password_hash, password)
            : (static_cast<void>(verify_password(dummy_hash(), password)), false);
    if (row && password_ok && !row->info.disabled && !row->info.locked_until) {
        return start_session(row->info, password, row->password_hash, source, request_id);
    }
    m_limiter.record_failure(source, t);
    if (!row) {
        try {
            Tx tx(m_db);
            m_audit.append(
                Actor{"(unknown)", "none", "", source, request_id},
                {.action = "auth.login_failed", .entity = "user", .reason = "unknown username"});
            tx.commit();
        } catch (const SQLite::Exception& e) {
            throw db_error(e, "recording a failed login");
        }
    } else if (row->info.disabled || row->info.locked_until) {
        try {
            Tx tx(m_db);
            m_audit.append(actor_of(row->info, source, request_id),
                           {.action = "auth.login_failed",
                            .entity = "user",
                            .entity_id = std::to_string(row->info.id),
                            .reason = row->info.disabled ? "account disabled" : "account locked"});
            tx.commit();
        } catch (const SQLite::Exception& e) {
            throw db_error(e, "recording a failed login");
        }
    } else {
        record_failure(row->info, source, request_id, "wrong password");
    }
    if (m_limiter.retry_after(source, t).count() > 0) {
        try {
            Tx tx(m_db);
            m_audit.append(
                Actor{"(unknown)", "none", "", source, request_id},
                {.action = "auth.rate_limited",
                 .entity = "source",
                 .entity_id = source,
                 .reason = fmt::format(
                     "{} failed logins within {} minutes", m_options.source_max_failures,
                     std::chrono::ceil<std::chrono::minutes>(m_options.source_window).count())});
            tx.commit();
        } catch (const SQLite::Exception& e) {
            throw db_error(e, "recording a rate limit");
        }
    }
    return result;
}

LoginResult AccountStore::start_session(const UserInfo& u, std::string_view password,
                                        const std::string& stored_hash, const std::string& source,
                                        const std::string& request_id) {
    purge_expired_sessions();
    std::optional<std::string> rehash;
    if (password_needs_rehash(stored_hash, m_options.password_params)) {
        rehash = hash_password(password, m_options.password_params);
    }
    const auto t = now();
    LoginResult r;
    r.status = LoginStatus::ok;
    r.session_token = random_token();
    r.csrf_token = random_token();
    r.expires_at = t + m_options.session_max;
    r.user = u;
    r.user->last_login_at = format_utc_seconds(t);
    try {
        Tx tx(m_db);
        SQLite::Statement ins(m_db.handle(),
                              "INSERT INTO sessions(token_hash, user_id, csrf_hash, created_at, "
                              "last_seen, expires_at, source) VALUES(?,?,?,?,?,?,?)");
        ins.bind(1, token_hash(r.session_token));
        ins.bind(2, u.id);
        ins.bind(3, token_hash(r.csrf_token));
        ins.bind(4, unix_s(t));
        ins.bind(5, unix_s(t));
        ins.bind(6, unix_s(r.expires_at));
        ins.bind(7, source);
        ins.exec();
        SQLite::Statement upd(m_db.handle(),
                              "UPDATE users SET failed_logins = 0, locked_until = NULL, "
                              "last_login_at = ?, password_hash = coalesce(?, password_hash) "
                              "WHERE id = ?");
        upd.bind(1, *r.user->last_login_at);
        if (rehash) {
            upd.bind(2, *rehash);
        } else {
            upd.bind(2);
        }
        upd.bind(3, u.id);
        upd.exec();
        m_audit.append(actor_of(u, source, request_id),
                       {.action = "auth.login",
                        .entity = "user",
                        .entity_id = std::to_string(u.id),
                        .after_json = json{{"session_expires_at", format_utc_seconds(r.expires_at)},
                                           {"must_change_password", u.must_change_password},
                                           {"password_rehashed", rehash.has_value()}}
                                          .dump()});
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "starting a session");
    }
    r.message = "signed in";
    return r;
}

std::optional<SessionInfo> AccountStore::session(std::string_view token,
                                                 std::optional<std::string_view> csrf_token) {
    if (token.empty() || token.size() > max_token_length) {
        return std::nullopt;
    }
    const std::string hash = token_hash(token);
    const auto t = now();
    try {
        SQLite::Statement q(m_db.handle(),
                            fmt::format("SELECT s.csrf_hash, s.last_seen, s.expires_at, {} FROM "
                                        "sessions s JOIN users u ON u.id = s.user_id WHERE "
                                        "s.token_hash = ?",
                                        user_columns));
        q.bind(1, hash);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        const std::string csrf_hash = q.getColumn(0).getString();
        const auto last_seen = from_unix(q.getColumn(1).getInt64());
        const auto expires_at = from_unix(q.getColumn(2).getInt64());
        UserRow row = read_user(q, 3, t);
        q.reset();
        if (t >= expires_at || t - last_seen >= m_options.session_idle || row.info.disabled) {
            SQLite::Statement del(m_db.handle(), "DELETE FROM sessions WHERE token_hash = ?");
            del.bind(1, hash);
            del.exec();
            return std::nullopt;
        }
        if (t - last_seen >= std::chrono::minutes(1)) {
            SQLite::Statement upd(m_db.handle(),
                                  "UPDATE sessions SET last_seen = ? WHERE token_hash = ?");
            upd.bind(1, unix_s(t));
            upd.bind(2, hash);
            upd.exec();
        }
        SessionInfo s;
        s.user = std::move(row.info);
        s.expires_at = expires_at;
        s.csrf_ok = csrf_token && csrf_token->size() <= max_token_length &&
                    constant_time_equal(token_hash(*csrf_token), csrf_hash);
        return s;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "reading a session");
    }
}

bool AccountStore::logout(const Actor& actor, std::string_view token) {
    if (token.empty() || token.size() > max_token_length) {
        return false;
    }
    try {
        const std::string hash = token_hash(token);
        Tx tx(m_db);
        SQLite::Statement q(m_db.handle(), "SELECT user_id FROM sessions WHERE token_hash = ?");
        q.bind(1, hash);
        if (!q.executeStep()) {
            return false;
        }
        const std::int64_t user_id = q.getColumn(0).getInt64();
        SQLite::Statement del(m_db.handle(), "DELETE FROM sessions WHERE token_hash = ?");
        del.bind(1, hash);
        del.exec();
        m_audit.append(
            actor,
            {.action = "auth.logout", .entity = "user", .entity_id = std::to_string(user_id)});
        tx.commit();
        return true;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "ending a session");
    }
}

std::size_t AccountStore::purge_expired_sessions() {
    const auto t = now();
    try {
        SQLite::Statement del(m_db.handle(),
                              "DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?");
        del.bind(1, unix_s(t));
        del.bind(2, unix_s(t - m_options.session_idle));
        return static_cast<std::size_t>(del.exec());
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "removing expired sessions");
    }
}

} // namespace sahil::registry

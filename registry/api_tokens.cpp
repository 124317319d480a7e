// AccountStore: API tokens (the users, sessions and sign-in part is accounts.cpp).
#include <utility>

#include "registry/account_rows.hpp"
#include "registry/accounts.hpp"
#include "registry/validation.hpp"

namespace sahil::registry {
namespace {

using detail::db_error;
using detail::max_token_length;
using detail::opt_text;
using detail::read_user;
using detail::Tx;
using detail::user_columns;
using nlohmann::json;

constexpr std::string_view token_columns =
    "t.id, t.user_id, u.username, t.name, t.created_at, t.expires_at, t.last_used_at, "
    "t.revoked_at";

ApiTokenInfo read_token(const SQLite::Statement& q) {
    ApiTokenInfo t;
    t.id = q.getColumn(0).getInt64();
    t.user_id = q.getColumn(1).getInt64();
    t.username = q.getColumn(2).getString();
    t.name = q.getColumn(3).getString();
    t.created_at = q.getColumn(4).getString();
    t.expires_at = opt_text(q.getColumn(5));
    t.last_used_at = opt_text(q.getColumn(6));
    t.revoked_at = opt_text(q.getColumn(7));
    return t;
}

} // namespace

Outcome<CreatedToken>
AccountStore::create_api_token(const Actor& actor, std::int64_t user_id, const std::string& name,
                               std::optional<std::chrono::sys_seconds> expires_at) {
    std::vector<FieldError> errors;
    if (auto e = check_free_text(name, 64, true)) {
        errors.push_back({"name", *e});
    }
    const auto t = now();
    if (expires_at && *expires_at <= t) {
        errors.push_back({"expires_at", "must be in the future"});
    }
    if (!errors.empty()) {
        return Outcome<CreatedToken>::failure(ErrorCode::validation_failed, std::move(errors));
    }
    try {
        Tx tx(m_db);
        const auto u = user(user_id);
        if (!u) {
            return Outcome<CreatedToken>::failure(ErrorCode::not_found, "user_id",
                                                  fmt::format("no user with id {}", user_id));
        }
        if (u->disabled) {
            return Outcome<CreatedToken>::failure(
                ErrorCode::wrong_state, "user_id",
                fmt::format("{} is disabled; enable the account first", u->username));
        }
        CreatedToken out;
        out.token = std::string(api_token_prefix) + random_token();
        out.info.user_id = user_id;
        out.info.username = u->username;
        out.info.name = name;
        out.info.created_at = format_utc_seconds(t);
        if (expires_at) {
            out.info.expires_at = format_utc_seconds(*expires_at);
        }
        SQLite::Statement ins(m_db.handle(), "INSERT INTO api_tokens(user_id, name, token_hash, "
                                             "created_at, expires_at) VALUES(?,?,?,?,?)");
        ins.bind(1, user_id);
        ins.bind(2, name);
        ins.bind(3, token_hash(out.token));
        ins.bind(4, out.info.created_at);
        if (out.info.expires_at) {
            ins.bind(5, *out.info.expires_at);
        } else {
            ins.bind(5);
        }
        ins.exec();
        out.info.id = m_db.handle().getLastInsertRowid();
        m_audit.append(actor, {.action = "token.create",
                               .entity = "api_token",
                               .entity_id = std::to_string(out.info.id),
                               .after_json = json{{"user_id", user_id},
                                                  {"username", u->username},
                                                  {"name", name},
                                                  {"expires_at", out.info.expires_at
                                                                     ? json(*out.info.expires_at)
                                                                     : json(nullptr)}}
                                                 .dump()});
        tx.commit();
        return Outcome<CreatedToken>::success(std::move(out));
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "creating an API token");
    }
}

Outcome<Done> AccountStore::revoke_api_token(const Actor& actor, std::int64_t token_id) {
    try {
        Tx tx(m_db);
        const auto info = api_token(token_id);
        if (!info) {
            return Outcome<Done>::failure(ErrorCode::not_found, "id",
                                          fmt::format("no API token with id {}", token_id));
        }
        if (info->revoked_at) {
            return Outcome<Done>::failure(
                ErrorCode::wrong_state, "id",
                fmt::format("API token {} was already revoked at {}", token_id, *info->revoked_at));
        }
        SQLite::Statement upd(m_db.handle(), "UPDATE api_tokens SET revoked_at = ? WHERE id = ?");
        upd.bind(1, format_utc_seconds(now()));
        upd.bind(2, token_id);
        upd.exec();
        m_audit.append(actor, {.action = "token.revoke",
                               .entity = "api_token",
                               .entity_id = std::to_string(token_id),
                               .before_json = json{{"user_id", info->user_id},
                                                   {"username", info->username},
                                                   {"name", info->name}}
                                                  .dump()});
        tx.commit();
        return Outcome<Done>::success({});
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "revoking an API token");
    }
}

std::vector<ApiTokenInfo> AccountStore::api_tokens(std::optional<std::int64_t> user_id) const {
    try {
        SQLite::Statement q(m_db.handle(),
                            fmt::format("SELECT {} FROM api_tokens t JOIN users u ON u.id = "
                                        "t.user_id WHERE ? IS NULL OR t.user_id = ? ORDER BY "
                                        "t.id DESC",
                                        token_columns));
        if (user_id) {
            q.bind(1, *user_id);
            q.bind(2, *user_id);
        }
        std::vector<ApiTokenInfo> out;
        while (q.executeStep()) {
            out.push_back(read_token(q));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "listing API tokens");
    }
}

std::optional<ApiTokenInfo> AccountStore::api_token(std::int64_t token_id) const {
    try {
        SQLite::Statement q(m_db.handle(), fmt::format("SELECT {} FROM api_tokens t JOIN users u "
                                                       "ON u.id = t.user_id WHERE t.id = ?",
                                                       token_columns));
        q.bind(1, token_id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_token(q);
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "reading an API token");
    }
}

std::optional<TokenAuthentication> AccountStore::authenticate_token(std::string_view token) {
    if (!token.starts_with(api_token_prefix) || token.size() > max_token_length) {
        return std::nullopt;
    }
    const auto t = now();
    const std::string now_text = format_utc_seconds(t);
    try {
        SQLite::Statement q(m_db.handle(),
                            fmt::format("SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at, "
                                        "{} FROM api_tokens t JOIN users u ON u.id = t.user_id "
                                        "WHERE t.token_hash = ?",
                                        user_columns));
        q.bind(1, token_hash(token));
        if (!q.executeStep()) {
            return std::nullopt;
        }
        TokenAuthentication out;
        out.token_id = q.getColumn(0).getInt64();
        const auto expires_at = opt_text(q.getColumn(1));
        const bool revoked = !q.getColumn(2).isNull();
        const auto last_used = opt_text(q.getColumn(3));
        out.user = read_user(q, 4, t).info;
        q.reset();
        // ISO 8601 UTC text of one fixed format sorts like the times it names.
        if (revoked || (expires_at && *expires_at <= now_text) || out.user.disabled) {
            return std::nullopt;
        }
        if (!last_used || *last_used <= format_utc_seconds(t - std::chrono::minutes(1))) {
            SQLite::Statement upd(m_db.handle(),
                                  "UPDATE api_tokens SET last_used_at = ? WHERE id = ?");
            upd.bind(1, now_text);
            upd.bind(2, out.token_id);
            upd.exec();
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw db_error(e, "checking an API token");
    }
}

} // namespace sahil::registry

// Accounts: Sahil's users, their browser sessions and API tokens, kept in registry.db (tables
// users, sessions and api_tokens of migration 3), with every account event in the audit trail.
//
// Example: an administrator runs `sahil user add amina --role clerk --harbour PK-HBR-05`
// (add_user: prints a one-time password "7KQ3M9XD-4HJ2PQRS"); Amina signs in (login(): a
// session token for the HttpOnly cookie and a CSRF token for the X-CSRF-Token header), must
// change the password first (change_password()), and every later request finds her through
// session(). A machine client (an ops-room display) gets an API token (create_api_token()) and
// sends `Authorization: Bearer sahil_...` (authenticate_token()).
// Where it sits: the HTTP layer (server/app/auth_api.cpp and the Router's authenticator) and
// the `sahil user` commands call it; authorisation by role is server/http/access.hpp's job.
//
// Security rules followed (OWASP ASVS 5.0, user-expectations.md §4.4):
//  * passwords: Argon2id (crypto.hpp), policy check_password_policy(), rehashed at login when
//    the parameters changed; initial and reset passwords are random one-time passwords that must
//    be changed at the first login (6.4.1);
//  * only hashes are stored: token_hash() of session, CSRF and API tokens, so a copy of the
//    database holds no usable credential (7.2.3); a new session token at every login (7.2.4);
//  * sessions end after `session_idle` without a request and `session_max` after login
//    (7.3.1, 7.3.2); logout, disabling a user and password resets end them on the server
//    (7.4.1, 7.4.2, 7.4.5);
//  * brute force (6.3.1): an account locks for `lock_duration` after `lock_after_failures`
//    consecutive failures (the right password is refused while locked); a source address is
//    refused after `source_max_failures` failures within `source_window` (LoginLimiter); one
//    generic failure message whatever went wrong, and an unknown username costs the same
//    Argon2id verification as a known one (no user enumeration);
//  * audit (16.3.1): login, failure, lock, refusal, logout, user add/disable/enable/reset,
//    password change, session ends, token create/revoke are appended to audit_log in the same
//    transaction as the change. Passwords and tokens are never audited; the username typed at
//    a failed login is recorded only when it names an existing account (a password typed into
//    the username field must not end up in the trail).
//
// Errors: bad input (usernames, roles, harbours, passwords) comes back as Outcome values naming
// the field; database failures throw RegistryError; login failures are LoginResult values.
// Times: sessions and locks in Unix seconds (INTEGER columns), other times ISO 8601 UTC text.
//
// Thread-safety: uses its Database's connection and an in-memory limiter; one thread at a time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/audit.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/login_limiter.hpp"
#include "registry/outcome.hpp"

namespace sahil::registry {

/// Role names accepted in users.role (the schema's CHECK; server/http/access.hpp Role).
inline constexpr std::array<std::string_view, 7> account_roles{
    "admin", "clerk", "supervisor", "cg_watchkeeper", "msa_officer", "msa_analyst", "auditor"};

/// Settings of an AccountStore (`[auth]` in the config supplies most of them).
struct AccountOptions {
    /// Argon2id cost of new hashes; stored hashes with other parameters are rehashed at login.
    PasswordParams password_params = PasswordParams::standard();
    /// A session ends this long after its last request (ASVS 7.3.1). Default 30 min.
    std::chrono::seconds session_idle{std::chrono::minutes(30)};
    /// A session ends this long after login whatever happens (ASVS 7.3.2). Default 12 h.
    std::chrono::seconds session_max{std::chrono::hours(12)};
    /// Consecutive failed logins that lock an account (>= 1). Default 5.
    int lock_after_failures = 5;
    /// How long a locked account refuses every password. Default 15 min.
    std::chrono::seconds lock_duration{std::chrono::minutes(15)};
    /// Failed logins from one source address allowed within source_window. Default 20.
    int source_max_failures = 20;
    /// Window of the per-source limiter. Default 15 min.
    std::chrono::seconds source_window{std::chrono::minutes(15)};
    /// Most source addresses the limiter remembers. Default 10,000.
    std::size_t source_table_max = 10'000;
    /// Whether a harbour zone id exists (e.g. looked up in the harbour geofences); empty = any
    /// id of the right form ("PK-HBR-05": 2..32 upper-case letters, digits and '-').
    std::function<bool(std::string_view harbour)> harbour_known{};
};

/// One user as stored (never with the password hash).
struct UserInfo {
    std::int64_t id = 0;
    std::string username{};              ///< as registered; unique ignoring ASCII case
    std::string display_name{};          ///< the username when none was given
    std::string role{};                  ///< one of account_roles
    std::vector<std::string> harbours{}; ///< harbour zone ids (clerks); empty otherwise
    bool must_change_password = false;   ///< still on a one-time password
    bool disabled = false;
    std::optional<std::chrono::sys_seconds> locked_until{}; ///< set while locked
    std::string created_at{};                               ///< ISO 8601 UTC
    std::optional<std::string> last_login_at{};             ///< ISO 8601 UTC
};

/// What an administrator enters to add a user.
struct NewUser {
    std::string username{};     ///< 2..64: letters, digits, '.', '_', '-'; starts with a letter
    std::string display_name{}; ///< free text up to 128 characters; "" = the username
    std::string role{};         ///< one of account_roles
    std::vector<std::string> harbours{}; ///< clerks: at least one; other roles: none
    /// The first password (must pass check_password_policy); std::nullopt = generate one.
    /// Either way the user must change it at the first login.
    std::optional<std::string> password{};
};

/// Result of add_user().
struct CreatedUser {
    UserInfo user{};
    /// The one-time password to hand over once (it is stored only as a hash).
    std::string one_time_password{};
};

/// How a login attempt ended.
enum class LoginStatus {
    ok,           ///< signed in: the session and CSRF tokens are set
    failed,       ///< wrong username or password, account locked or disabled (not said which)
    rate_limited, ///< too many failures from this source address recently; see retry_after
};

/// Result of login().
struct LoginResult {
    LoginStatus status = LoginStatus::failed;
    std::string session_token{};    ///< ok: 43 characters for the session cookie (shown once)
    std::string csrf_token{};       ///< ok: 43 characters for the X-CSRF-Token header
    std::optional<UserInfo> user{}; ///< ok: who signed in
    std::chrono::sys_seconds expires_at{}; ///< ok: the session's absolute end
    std::chrono::seconds retry_after{0};   ///< rate_limited: wait this long
    std::string message{};                 ///< for people; generic on failure
};

/// A live session found by session().
struct SessionInfo {
    UserInfo user{};
    /// The X-CSRF-Token given matched the session's (compared in constant time).
    bool csrf_ok = false;
    std::chrono::sys_seconds expires_at{}; ///< absolute end
};

/// One API token as stored (never the token itself).
struct ApiTokenInfo {
    std::int64_t id = 0;
    std::int64_t user_id = 0;
    std::string username{};
    std::string name{};                        ///< what it is for, e.g. "ops-room display Gwadar"
    std::string created_at{};                  ///< ISO 8601 UTC
    std::optional<std::string> expires_at{};   ///< ISO 8601 UTC; std::nullopt = no expiry
    std::optional<std::string> last_used_at{}; ///< ISO 8601 UTC, updated at most once a minute
    std::optional<std::string> revoked_at{};   ///< ISO 8601 UTC
};

/// Result of create_api_token().
struct CreatedToken {
    ApiTokenInfo info{};
    std::string token{}; ///< "sahil_" + 43 characters; shown once, stored only as a hash
};

/// A request authenticated by API token.
struct TokenAuthentication {
    UserInfo user{};
    std::int64_t token_id = 0;
};

/// Accounts, sessions and API tokens on registry.db.
class AccountStore {
public:
    /// Source of "now" (UTC, whole seconds); tests inject one.
    using Clock = std::function<std::chrono::sys_seconds()>;

    /// Prefix of every API token (lets secret scanners and people recognise one).
    static constexpr std::string_view api_token_prefix = "sahil_";

    /// Uses `database` (must outlive the store). @throws std::invalid_argument for options
    /// out of range (non-positive durations or counts).
    explicit AccountStore(Database& database, AccountOptions options = {}, Clock clock = {});

    // ---- users (administrators and the CLI) --------------------------------------------------

    /// Adds a user with a one-time password (given or generated: two 8-character Crockford
    /// base32 groups, 80 random bits). Errors: validation_failed (username, display_name, role,
    /// harbours, password), duplicate (username taken, ignoring case). Audit: "user.add".
    Outcome<CreatedUser> add_user(const Actor& actor, const NewUser& user);

    /// Disables a user, ends all their sessions and revokes their API tokens. Refuses the last
    /// enabled administrator (wrong_state). not_found for an unknown id. Audit: "user.disable".
    Outcome<Done> disable_user(const Actor& actor, std::int64_t user_id,
                               const std::string& reason = {});

    /// Enables a user again and clears a lock; revoked tokens stay revoked. Audit:
    /// "user.enable".
    Outcome<Done> enable_user(const Actor& actor, std::int64_t user_id);

    /// Gives the user a new random one-time password (returned, to hand over once), requires a
    /// change at the next login, clears a lock and ends all sessions. Audit:
    /// "user.reset_password".
    Outcome<std::string> reset_password(const Actor& actor, std::int64_t user_id);

    /// The user changes their own password: `current` must be right (a wrong one counts as a
    /// failed login and can lock the account), `next` must pass the policy and differ from
    /// `current`. Clears must_change_password and ends the user's other sessions (the one
    /// whose token is `keep_session_token`, if any, stays). Errors: validation_failed on
    /// "current_password" or "new_password"; wrong_state when the account is locked or
    /// disabled. Audit: "user.change_password" (and "auth.login_failed" for a wrong current
    /// password).
    Outcome<Done> change_password(const Actor& actor, std::int64_t user_id,
                                  std::string_view current, std::string_view next,
                                  std::string_view keep_session_token = {});

    /// Ends every session of a user (ASVS 7.4.5). Audit: "user.end_sessions" with the count.
    Outcome<int> end_sessions(const Actor& actor, std::int64_t user_id);

    /// All users by username.
    [[nodiscard]] std::vector<UserInfo> list_users() const;
    /// The user with this id, if any.
    [[nodiscard]] std::optional<UserInfo> user(std::int64_t id) const;
    /// The user with this username (ASCII case ignored), if any.
    [[nodiscard]] std::optional<UserInfo> user_by_name(std::string_view username) const;

    // ---- sign-in -----------------------------------------------------------------------------

    /// Signs in with username and password from `source` (client address; "" when unknown).
    /// Success creates a new session (only hashes stored), resets the failure count and records
    /// last_login_at; a user on a one-time password may sign in (UserInfo::
    /// must_change_password tells the caller to allow only a password change). Every failure
    /// gives the same message. Audit: "auth.login", "auth.login_failed", "auth.locked",
    /// "auth.rate_limited" (once per source when the limit is reached).
    /// @throws RegistryError on a database failure.
    LoginResult login(std::string_view username, std::string_view password,
                      const std::string& source, const std::string& request_id = {});

    /// The live session of a session token, or std::nullopt when the token is unknown, idle
    /// for session_idle or older than session_max (the row is then deleted), or its user is
    /// disabled. `csrf_token` is compared with the session's in constant time (SessionInfo::
    /// csrf_ok). Updates last_seen at most once a minute, so the idle limit holds to within a
    /// minute. Not audited (every request calls it).
    [[nodiscard]] std::optional<SessionInfo> session(std::string_view token,
                                                     std::optional<std::string_view> csrf_token);

    /// Ends the session of `token`. False when there was none. Audit: "auth.logout".
    bool logout(const Actor& actor, std::string_view token);

    /// Deletes every expired session row; returns how many. Called at each login.
    std::size_t purge_expired_sessions();

    // ---- API tokens --------------------------------------------------------------------------

    /// Creates an API token for `user_id` named `name` (1..64 characters), valid until
    /// `expires_at` (must be in the future; std::nullopt = no expiry). The token is returned
    /// once. Errors: not_found, validation_failed (name, expires_at), wrong_state (user
    /// disabled). Audit: "token.create".
    Outcome<CreatedToken> create_api_token(const Actor& actor, std::int64_t user_id,
                                           const std::string& name,
                                           std::optional<std::chrono::sys_seconds> expires_at);

    /// Revokes token `token_id` (idempotent for an already revoked one: wrong_state).
    /// Audit: "token.revoke".
    Outcome<Done> revoke_api_token(const Actor& actor, std::int64_t token_id);

    /// Tokens of one user (or of everyone), newest first.
    [[nodiscard]] std::vector<ApiTokenInfo> api_tokens(std::optional<std::int64_t> user_id) const;
    /// One token's record, if it exists.
    [[nodiscard]] std::optional<ApiTokenInfo> api_token(std::int64_t token_id) const;

    /// The user of a live API token: std::nullopt when unknown, revoked, expired, or the user
    /// is disabled. Updates last_used_at at most once a minute. Not audited.
    [[nodiscard]] std::optional<TokenAuthentication> authenticate_token(std::string_view token);

    /// The one message of every failed login (names the lock settings, never the cause).
    [[nodiscard]] std::string login_failed_message() const;

    /// "Now" as this store sees it (its Clock), e.g. to compute a token's expiry.
    [[nodiscard]] std::chrono::sys_seconds now() const { return m_clock(); }

private:
    const std::string& dummy_hash();
    void record_failure(const UserInfo& user, const std::string& source,
                        const std::string& request_id, const std::string& why);
    LoginResult start_session(const UserInfo& user, std::string_view password,
                              const std::string& stored_hash, const std::string& source,
                              const std::string& request_id);

    Database& m_db;
    AccountOptions m_options;
    Clock m_clock;
    AuditLog m_audit;
    LoginLimiter m_limiter;
    std::string m_dummy_hash; ///< hash of a random password, made on first need
};

/// Whether `role` is one of account_roles.
[[nodiscard]] bool is_account_role(std::string_view role) noexcept;

/// The audit actor for a user acting for themselves (login, password change).
[[nodiscard]] Actor actor_of(const UserInfo& user, const std::string& source,
                             const std::string& request_id = {});

} // namespace sahil::registry

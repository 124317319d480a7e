// The HTTP API's own state: a read-write connection to registry.db (besides the tracking
// engine's), the mutex that serialises it, the account store, and the config values the API
// needs; plus the two callbacks the Router asks before every handler (who is calling, and
// which harbours the object belongs to) and the error mapping shared by the API's handlers.
//
// Example: `ApiContext api{config, harbour_ids};  router.set_authenticator([&](auto& r) {
// return api.authenticate(r); });` and in a handler
// `std::lock_guard lock(api.mutex); api.accounts.list_users();`.
// Where it sits: daemon.cpp builds one and hands it to make_api_router (api_routes.hpp); the
// route handlers (auth_api.cpp, later the registry routes) use it on the io threads.
//
// Thread-safety: `mutex` guards db, audit, accounts, the registry stores and the harbour list;
// every use of them locks it (authenticate() and resolve_harbours() do so themselves). Handlers
// run on several io threads, so the lock is what makes the one SQLite connection safe.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "registry/outcome.hpp"
#include "registry/pii_vault.hpp"
#include "registry/vessel_registry.hpp"
#include "server/app/config.hpp"
#include "server/http/router.hpp"

namespace sahil::store {
class TrackStore; // server/store/track_store.hpp
} // namespace sahil::store

namespace sahil::app {

struct TrackZones; // tracks_api.hpp

/// Name of the session cookie (HttpOnly, SameSite=Strict, Path=/; Secure when configured).
inline constexpr std::string_view session_cookie_name = "sahil_session";

/// State of the HTTP API. Not copyable or movable (handlers hold references to it).
struct ApiContext {
    /// Opens the API's connection to `config.paths.registry_db` (creating and migrating it if
    /// needed) and the account store with `[auth]` settings.
    /// @param harbour_ids ids of the harbour geofences, for validating clerks' harbours
    /// @param password_params Argon2id cost (tests pass PasswordParams::fast_for_tests())
    /// @param clock source of "now" for sessions, locks and audit times (tests inject one)
    /// @throws registry::RegistryError when the database cannot be opened or migrated,
    ///         registry::CryptoError when the PII key file is unusable or missing while
    ///         encrypted data depends on it (registry/pii_vault.hpp).
    ApiContext(const Config& config, std::vector<std::string> harbour_ids,
               registry::PasswordParams password_params = registry::PasswordParams::standard(),
               registry::AccountStore::Clock clock = {});
    ApiContext(const ApiContext&) = delete;
    ApiContext& operator=(const ApiContext&) = delete;

    const AuthConfig auth; ///< `[auth]`
    const Config& config;  ///< the whole configuration (outlives the context)
    std::mutex mutex;      ///< guards everything below
    registry::Database db; ///< the API's read-write connection to registry.db
    registry::AuditLog audit;
    registry::AccountStore accounts;

    // ---- registry -------------------------------------------------------------------------
    /// Owners' personal-data key ([registry] pii_key_file); null when none is configured
    /// (personal data then cannot be stored: pii_unavailable).
    std::unique_ptr<registry::PiiVault> pii;
    /// The registry service (registry_api.cpp routes), on `db`, with `pii` and the
    /// [[registry.patterns]] identifier rules.
    std::unique_ptr<registry::VesselRegistry> registry;
    /// Set when a new PII key file was created at start (for the log); "" otherwise.
    std::string pii_note;

    /// Call after every change journaled through AlertStore::act on `db` (after the commit,
    /// without `mutex` held): tells the live alert stream (app/alert_stream.hpp
    /// AlertStream::notify) to push it now instead of at its next 2 s poll. Set by the daemon
    /// before the server starts; may be empty (tests); cheap, any thread, never throws.
    std::function<void()> on_alerts_changed;

    // ---- track history (tracks_api.hpp) ---------------------------------------------------
    /// The track history store (Engine::tracks()), set by the daemon before the server starts;
    /// null when `[tracks] enabled = false` (the track and OGC routes then answer 503). Not
    /// guarded by `mutex`: the store is thread-safe.
    store::TrackStore* tracks = nullptr;
    /// Most fixes one POST /api/tracks/export may write (docs/api.md "Track history"); larger
    /// exports are refused before any file is written. Tests lower it.
    std::size_t track_export_max_fixes = 2'000'000;
    /// Runs a slow track-history request (store scans, exports) off the io threads, which also
    /// run the tracking strand: the daemon posts the job to a small pool of its own. Empty =
    /// run it on the calling thread (tests). Jobs catch their own exceptions.
    std::function<void(std::function<void()>)> run_track_job;
    /// Replaces the zone layers of the track routes (at start and after a SIGHUP reload).
    /// Any thread; does not lock `mutex`.
    void set_track_zones(std::shared_ptr<const TrackZones> zones);
    /// The current zone layers (null until set). Any thread; does not lock `mutex`.
    [[nodiscard]] std::shared_ptr<const TrackZones> track_zones() const;

    /// Replaces the known harbour ids (after a SIGHUP reload of the geofences). Locks `mutex`.
    void set_harbour_ids(const std::vector<std::string>& ids);
    /// Whether `id` is a known harbour. Call with `mutex` held.
    [[nodiscard]] bool harbour_known(std::string_view id) const;

    /// The Router's Authenticator: `Authorization: Bearer <token>` (an API token; another
    /// scheme or a bad token -> std::nullopt, never a fallback to the cookie), else the
    /// session cookie with the X-CSRF-Token header. Locks `mutex`.
    /// @throws registry::RegistryError on a database failure.
    [[nodiscard]] std::optional<http::Authentication> authenticate(const http::Request& request);

    /// The Router's HarbourResolver: the home harbours of the vessel behind path parameter
    /// {id} (a vessel, licence, transponder or identifier id; a party's current vessels), or
    /// the harbour named in the JSON body ("vessel.home_harbour", else "home_harbour") for
    /// body_harbour. Empty when the object does not exist or the body is not JSON. Locks
    /// `mutex` for database scopes. @throws registry::RegistryError on a database failure.
    [[nodiscard]] std::vector<std::string> resolve_harbours(http::HarbourScope scope,
                                                            const http::Request& request);

    /// Appends one audit row in its own transaction (for events that change nothing else,
    /// such as a refused request). Locks `mutex`. @throws registry::RegistryError.
    void audit_event(const registry::Actor& actor, const registry::AuditEvent& event);

private:
    std::set<std::string, std::less<>> m_harbour_ids; // guarded by mutex
    mutable std::mutex m_zones_mutex;                 // guards m_track_zones only
    std::shared_ptr<const TrackZones> m_track_zones;
};

/// The audit actor of an API request: the principal's username, role and harbours, the
/// client address and the request id ("(anonymous)" when nobody is signed in).
[[nodiscard]] registry::Actor actor_of(const http::Request& request,
                                       const http::RequestContext& context);

/// The principal of a stored user. std::nullopt if the stored role is not a Role (the schema
/// prevents it).
[[nodiscard]] std::optional<http::Principal> principal_of(const registry::UserInfo& user,
                                                          bool via_api_token);

/// HTTP status of a registry error code (docs/api.md "Errors"): validation_failed 422,
/// not_found 404, duplicate 409, wrong_state 409, forbidden 403, pii_unavailable 503.
[[nodiscard]] unsigned http_status(registry::ErrorCode code) noexcept;

/// The error response of a failed registry outcome: `{"error": code, "message": first
/// problem as "field: message", "errors": [{"field", "message"}...]}` with http_status(code).
[[nodiscard]] http::Response error_response(registry::ErrorCode code,
                                            const std::vector<registry::FieldError>& errors);

/// The body of a JSON request as an object, or the error response to send: 415
/// `unsupported_media_type` unless Content-Type is application/json (a browser form cannot
/// send that cross-site without a CORS preflight), 400 `bad_request` for malformed JSON or a
/// body that is not an object. An empty body is an empty object when `allow_empty`.
[[nodiscard]] std::optional<nlohmann::json>
json_body(const http::Request& request, http::Response& error, bool allow_empty = false);

} // namespace sahil::app

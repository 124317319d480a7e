// Sahil's configuration: one TOML file (config/sahil.toml documents every key).
//
// `load_config("config/sahil.toml")` -> Config with typed per-module structs and defaults, or the
// complete list of problems, each with its path (`feeds[2].port: must be 1..65535`). Unknown
// keys are errors (a misspelt key must never be silently ignored). Relative paths in the file
// resolve against the folder of the config file.
// Data path: main() -> load_config -> each module gets its struct; no module reads the file.
//
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "server/http/http_server.hpp"
#include "server/net/feed.hpp"
#include "server/net/feed_manager.hpp"
#include "server/alerts/routing.hpp"
#include "server/app/webhook_delivery.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "server/tracking/pipeline.hpp"

namespace sahil::app {

/// `[paths]`
struct PathsConfig {
    std::filesystem::path registry_db; ///< registry + alerts database (SQLite, WAL)
    std::filesystem::path harbours;    ///< harbour geofences (any OGR vector format)
    /// Pakistan's maritime zones (territorial sea, contiguous zone, EEZ); "" = not used.
    std::filesystem::path sea_zones;
    /// Land polygons (distance to shore); "" = not used.
    std::filesystem::path land;
    /// Maritime boundary lines (Iran, Oman, India, 200 nm limit); "" = not used.
    std::filesystem::path boundaries;
    /// Per-harbour exception areas of the boundary rules; "" = none.
    std::filesystem::path exception_areas;
};

/// `[log]`
struct LogConfig {
    std::string level = "info";         ///< trace, debug, info, warn, error, critical, off
    std::filesystem::path alerts_jsonl; ///< also append alerts as JSON lines here (empty = no)
};

/// `[ais]`
struct AisConfig {
    double fragment_timeout_s = 10.0;  ///< seconds a multi-sentence message may wait (0.1..600)
    std::size_t max_line_bytes = 1024; ///< longest accepted line in bytes (82..65536)
    double dedup_window_s = 10.0; ///< repeat of a transmission by another station (0..600; 0 = off)
};

/// `[auth]`: sign-in, sessions and login lockout (registry/accounts.hpp, docs/api.md
/// "Authentication").
struct AuthConfig {
    /// A session ends after this many minutes without a request (ASVS 7.3.1), 1..1440.
    int session_idle_minutes = 30;
    /// A session ends this many hours after sign-in whatever happens (ASVS 7.3.2), 1..168.
    int session_max_hours = 12;
    /// Mark the session cookie `Secure` (sent over HTTPS only). Sahil serves plain HTTP, so
    /// this stays false unless a TLS-terminating reverse proxy is in front; then set it true.
    bool cookie_secure = false;
    /// Consecutive failed sign-ins that lock an account, 1..100.
    int login_lock_failures = 5;
    /// Minutes a locked account refuses every password, 1..1440.
    int login_lock_minutes = 15;
};

/// `[[registry.patterns]]`: one per-authority identifier pattern (registry/identifiers.hpp).
struct IdentifierPatternConfig {
    std::string authority; ///< authority code, e.g. "BAL-FISH"
    std::string scheme;    ///< identifier scheme, e.g. "provincial_reg"
    std::string pattern;   ///< ECMAScript regex the whole normalised value must match
    std::string example;   ///< a value that matches, quoted in error messages
};

/// `[registry]`: personal-data key and identifier rules (docs/registry.md).
struct RegistryConfig {
    /// Key file for CNIC/phone encryption and the blind index (registry/crypto.hpp MasterKey):
    /// 64 hex characters, mode 0600. Empty = personal data cannot be stored.
    std::filesystem::path pii_key_file;
    /// Create the key file at start when it is missing AND no encrypted value is stored yet
    /// (first start of a new installation). Never replaces a key that data depends on.
    bool create_pii_key = true;
    /// Printed before /api/registry/certificates/<code> on certificates and in their QR code,
    /// e.g. "https://sahil.fisheries.gob.pk" (no trailing slash); "" = the path alone.
    std::string certificate_base_url;
    /// Folder for vessel photos (registry/vessel_photos.hpp), stored by content hash.
    std::filesystem::path photo_dir;
    /// Per-authority identifier patterns.
    std::vector<IdentifierPatternConfig> patterns;
};

/// The whole configuration.
struct Config {
    std::filesystem::path file; ///< the file it was read from
    PathsConfig paths;
    LogConfig log;
    AisConfig ais;
    bool http_enabled = true; ///< `[http] enabled`
    http::HttpConfig http;
    AuthConfig auth;
    RegistryConfig registry;
    tracking::PipelineConfig tracking;
    /// `[tracking] max_queue`: decoded messages waiting for the tracking strand
    /// (1,000..10,000,000). Beyond it new messages are dropped and counted (`queue_overflow` in
    /// /api/stats), so a flood cannot exhaust memory.
    std::size_t tracking_max_queue = 250'000;
    std::vector<net::FeedConfig> feeds;
    /// `[[agencies]]`: who receives which alerts (server/alerts/routing.hpp). Default when the
    /// file lists none: Coast Guards {harbour, territorial_sea} and MSA {contiguous_zone, eez,
    /// boundary_area, outside_eez}, both without webhooks.
    std::vector<alerts::Agency> agencies;
    /// `[alerts] webhook_timeout_s`, `webhook_backoff_min_s`, `webhook_backoff_max_s`: webhook
    /// delivery to the agencies (server/app/webhook_delivery.hpp, docs/alerts-delivery.md).
    WebhookConfig webhooks;
    /// `[tracks] enabled`: keep every accepted fix in the track history store.
    bool tracks_enabled = true;
    /// `[tracks]`: the track history store (server/store/sqlite_track_store.hpp, docs/tracks.md);
    /// `path` defaults to var/tracks.db beside var/registry.db.
    store::TrackStoreConfig tracks;
};

/// The agencies used when a config lists none (see Config::agencies).
[[nodiscard]] std::vector<alerts::Agency> default_agencies();

/// One problem found in a config file.
struct ConfigError {
    std::string path;    ///< TOML path, e.g. "feeds[1].port" (or the file for syntax errors)
    std::string message; ///< what is wrong and what is allowed
};

/// Outcome of load_config(): `errors` empty means `config` is complete and valid.
struct ConfigResult {
    Config config;
    std::vector<ConfigError> errors;
    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

/// Reads and checks a config file. Never throws for bad content; an unreadable file or a TOML
/// syntax error is reported as an error with the line and column.
ConfigResult load_config(const std::filesystem::path& file);

/// Same, from text (tests); relative paths resolve against `base_dir`.
ConfigResult parse_config(std::string_view text, const std::filesystem::path& base_dir,
                          const std::string& source_name);

/// "path: message" lines.
std::string format_errors(const std::vector<ConfigError>& errors);

} // namespace sahil::app

// The processing core shared by `sahild` and `sahil replay`: registry and alert store on
// registry.db, harbour geofences, and the tracking pipeline, wired from a Config.
//
// Data path: feed messages -> Engine::pipeline() -> alerts (stored, then sinks).
// Thread-safety: not thread-safe; the daemon uses it only from its tracking strand.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "geo/zone_index.hpp"
#include "registry/boat_index.hpp"
#include "registry/boat_store.hpp"
#include "registry/database.hpp"
#include "server/app/config.hpp"
#include "server/store/alert_store.hpp"
#include "server/store/sqlite_track_store.hpp"
#include "server/tracking/pipeline.hpp"

namespace sahil::app {

/// Writes each new alert as one JSON line (stable key order) to a stream.
class JsonLinesAlertSink : public tracking::AlertSink {
public:
    /// @param include_existing also print alerts the store already had (replays).
    explicit JsonLinesAlertSink(std::ostream& out, bool include_existing = false)
        : m_out(out), m_include_existing(include_existing) {}
    void on_alert(const alerts::Alert& alert, bool created) override;

private:
    std::ostream& m_out;
    bool m_include_existing;
};

/// Owns the registry database, stores, zones and pipeline.
class Engine {
public:
    /// Opens (and migrates) the registry database and loads the harbour zones.
    /// @param store_alerts false: alerts are announced but not stored (dry-run replays).
    /// @throws registry::RegistryError, geo::GeoError with file names on failure.
    Engine(const Config& config, bool store_alerts = true);

    tracking::Pipeline& pipeline() noexcept { return *m_pipeline; }

    /// Reloads the harbour geofences from `file` and the rules' sea zones, land, boundary lines
    /// and exception areas (SIGHUP). On failure the old layers stay in use and the GeoError
    /// propagates. Vessels whose harbour disappeared simply lose that state.
    /// Call on the tracking strand only (the pipeline reads the zones there).
    void reload_harbours(const std::filesystem::path& file);
    registry::BoatStore& boats() noexcept { return *m_boats; }
    /// The track history store (`[tracks]`), null when disabled or when alerts are not stored.
    store::TrackStore* tracks() noexcept { return m_tracks.get(); }
    const geo::ZoneIndex& harbours() const noexcept { return m_harbours; }

private:
    registry::Database m_db;
    geo::ZoneIndex m_harbours;
    std::unique_ptr<registry::BoatStore> m_boats;
    std::unique_ptr<registry::BoatIndex> m_boat_index;
    std::unique_ptr<store::AlertStore> m_alerts;
    rules::GeographyFiles m_geography_files;
    std::unique_ptr<rules::Geography> m_geography;
    std::unique_ptr<store::SqliteTrackStore> m_tracks; // outlives the pipeline that feeds it
    std::unique_ptr<tracking::Pipeline> m_pipeline;
};

/// Creates the parent folder of a database path when missing.
void ensure_parent_dir(const std::filesystem::path& file);

} // namespace sahil::app

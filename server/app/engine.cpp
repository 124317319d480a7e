#include "server/app/engine.hpp"

#include <filesystem>

namespace sahil::app {

void JsonLinesAlertSink::on_alert(const alerts::Alert& alert, bool created) {
    if (created || m_include_existing) {
        m_out << alerts::to_json(alert).dump() << '\n';
        m_out.flush();
    }
}

void ensure_parent_dir(const std::filesystem::path& file) {
    const auto parent = file.parent_path();
    if (!parent.empty()) {
        std::filesystem::create_directories(parent);
    }
}

namespace {
std::string prepared_db_path(const std::filesystem::path& p) {
    ensure_parent_dir(p);
    return p.string();
}
} // namespace

Engine::Engine(const Config& config, bool store_alerts)
    : m_db(prepared_db_path(config.paths.registry_db)),
      m_harbours(geo::ZoneIndex::load(config.paths.harbours, "harbours")) {
    m_boats = std::make_unique<registry::BoatStore>(m_db);
    m_boat_index = std::make_unique<registry::BoatIndex>(m_db);
    if (store_alerts) {
        // Outbox rows only for agencies that have a webhook (server/app/webhook_delivery.hpp).
        store::AlertStoreConfig alert_config;
        alert_config.webhook_agencies = webhook_agency_ids(config.agencies);
        m_alerts = std::make_unique<store::AlertStore>(m_db, alert_config);
    }
    m_geography_files =
        rules::GeographyFiles{config.paths.sea_zones, config.paths.land, config.paths.boundaries,
                              config.paths.exception_areas};
    m_geography =
        std::make_unique<rules::Geography>(rules::Geography::load(m_harbours, m_geography_files));
    tracking::PipelineConfig pipeline_config = config.tracking;
    pipeline_config.agencies = config.agencies;
    m_pipeline = std::make_unique<tracking::Pipeline>(
        pipeline_config, m_harbours, m_boat_index.get(), m_alerts.get(), m_geography.get());
    m_pipeline->closed_seasons = [this] { return rules::load_closed_seasons(m_db); };
    if (store_alerts && config.tracks_enabled) {
        ensure_parent_dir(config.tracks.path);
        m_tracks =
            std::make_unique<store::SqliteTrackStore>(config.tracks, store::TrackStoreMode::writer);
        m_pipeline->set_track_store(m_tracks.get());
    }
}

void Engine::reload_harbours(const std::filesystem::path& file) {
    geo::ZoneIndex fresh = geo::ZoneIndex::load(file, "harbours"); // throws: old zones kept
    rules::Geography geography = rules::Geography::load(m_harbours, m_geography_files);
    m_harbours = std::move(fresh);
    *m_geography = std::move(geography); // same object: the rules keep their reference
}

} // namespace sahil::app

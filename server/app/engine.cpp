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
        m_alerts = std::make_unique<store::AlertStore>(m_db);
    }
    m_pipeline = std::make_unique<tracking::Pipeline>(config.tracking, m_harbours,
                                                      m_boat_index.get(),
                                                      m_alerts.get());
}

void Engine::reload_harbours(const std::filesystem::path& file) {
    geo::ZoneIndex fresh = geo::ZoneIndex::load(file, "harbours"); // throws: old zones kept
    m_harbours = std::move(fresh);
}

} // namespace sahil::app

// Helpers for sahil_app tests: temporary folders and configs pointing at shipped data.
#pragma once

#include <memory>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/app/config.hpp"

namespace sahil::test {

inline std::filesystem::path source_dir() {
    return SAHIL_SOURCE_DIR;
}

/// A fresh temporary folder, removed when the object goes out of scope.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        m_path = std::filesystem::temp_directory_path() /
                 ("sahil_test_" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// Parses TOML text into a Config (relative paths against `base`); fails the test on errors.
inline app::Config config_from(const std::string& toml, const std::filesystem::path& base) {
    const auto r = app::parse_config(toml, base, "test.toml");
    if (!r.ok()) {
        throw std::runtime_error("test config invalid: " + app::format_errors(r.errors));
    }
    return r.config;
}

/// JSON lines of a text.
inline std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(nlohmann::json::parse(line));
        }
    }
    return out;
}

/// JSON lines of a file.
inline std::vector<nlohmann::json> json_lines_of(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return json_lines(ss.str());
}

/// Captures everything logged (debug and up) while alive.
class LogCapture {
public:
    LogCapture()
        : m_previous(spdlog::default_logger()),
          m_sink(std::make_shared<spdlog::sinks::ostream_sink_mt>(m_out)) {
        auto logger = std::make_shared<spdlog::logger>("capture", m_sink);
        logger->set_level(spdlog::level::debug);
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(m_previous); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    [[nodiscard]] std::string text() {
        m_sink->flush();
        return m_out.str();
    }

private:
    std::shared_ptr<spdlog::logger> m_previous;
    std::ostringstream m_out;
    std::shared_ptr<spdlog::sinks::ostream_sink_mt> m_sink;
};

} // namespace sahil::test

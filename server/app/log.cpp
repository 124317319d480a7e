#include "server/app/log.hpp"

#include <stdexcept>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace sahil::app::log {

void setup(const std::string& level) {
    const auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") {
        throw std::invalid_argument("unknown log level: " + level);
    }
    auto logger = spdlog::stderr_color_mt("sahil");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    logger->set_level(lvl);
    spdlog::set_default_logger(logger);
}

} // namespace sahil::app::log

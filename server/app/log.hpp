// Logging facade over spdlog: level, component, key=value text. Only server/ logs; libraries
// report through return values. Bad-input warnings are rate-limited by the callers (feeds count,
// the daemon logs totals periodically) so the hot path never logs per message.
//
// Thread-safety: spdlog's default logger is thread-safe.
#pragma once

#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace sahil::app::log {

/// Configures the default logger: stderr, UTC timestamps, `level` as in config `[log] level`.
/// @throws std::invalid_argument for an unknown level name.
void setup(const std::string& level);

/// Logs `message` at `level` with the component tag, e.g. `[feed] id=gwadar state=connected`.
template <class... Args>
void info(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
    spdlog::info("[{}] {}", component, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void warn(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
    spdlog::warn("[{}] {}", component, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void error(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
    spdlog::error("[{}] {}", component, fmt::format(f, std::forward<Args>(args)...));
}
template <class... Args>
void debug(std::string_view component, fmt::format_string<Args...> f, Args&&... args) {
    spdlog::debug("[{}] {}", component, fmt::format(f, std::forward<Args>(args)...));
}

} // namespace sahil::app::log

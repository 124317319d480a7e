#include "registry/login_limiter.hpp"

#include <algorithm>
#include <stdexcept>

namespace sahil::registry {

LoginLimiter::LoginLimiter(int max_failures, std::chrono::seconds window, std::size_t max_sources)
    : m_max_failures(static_cast<std::size_t>(std::max(1, max_failures))), m_window(window),
      m_max_sources(std::max<std::size_t>(1, max_sources)) {
    if (max_failures < 1 || window.count() <= 0) {
        throw std::invalid_argument("LoginLimiter: need max_failures >= 1 and a positive window");
    }
}

void LoginLimiter::prune(std::deque<std::chrono::sys_seconds>& times,
                         std::chrono::sys_seconds now) const {
    while (!times.empty() && times.front() + m_window <= now) {
        times.pop_front();
    }
}

std::chrono::seconds LoginLimiter::retry_after(std::string_view source,
                                               std::chrono::sys_seconds now) {
    const auto it = m_failures.find(source);
    if (it == m_failures.end()) {
        return std::chrono::seconds{0};
    }
    prune(it->second, now);
    if (it->second.empty()) {
        m_failures.erase(it);
        return std::chrono::seconds{0};
    }
    if (it->second.size() < m_max_failures) {
        return std::chrono::seconds{0};
    }
    // Allowed again when enough of the window's failures have aged out.
    const auto oldest_that_must_expire = it->second[it->second.size() - m_max_failures];
    return std::max(std::chrono::seconds{1}, oldest_that_must_expire + m_window - now);
}

void LoginLimiter::make_room(std::chrono::sys_seconds now) {
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        prune(it->second, now);
        it = it->second.empty() ? m_failures.erase(it) : std::next(it);
    }
    while (m_failures.size() >= m_max_sources) {
        auto stalest = std::min_element(
            m_failures.begin(), m_failures.end(),
            [](const auto& a, const auto& b) { return a.second.back() < b.second.back(); });
        m_failures.erase(stalest);
    }
}

void LoginLimiter::record_failure(std::string_view source, std::chrono::sys_seconds now) {
    auto it = m_failures.find(source);
    if (it == m_failures.end()) {
        if (m_failures.size() >= m_max_sources) {
            make_room(now);
        }
        it = m_failures.emplace(std::string(source), std::deque<std::chrono::sys_seconds>{}).first;
    }
    auto& times = it->second;
    prune(times, now);
    times.push_back(now);
    // Only the newest max_failures matter for retry_after; older ones need no memory.
    while (times.size() > m_max_failures) {
        times.pop_front();
    }
}

} // namespace sahil::registry

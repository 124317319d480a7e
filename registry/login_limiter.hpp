// Login limiter: counts failed sign-ins per source address in memory and refuses a source that
// failed too often recently (OWASP ASVS 5.0 6.3.1 and 2.4.1: brute force and credential
// stuffing across many accounts from one address). The per-account lock is AccountStore's
// (users.locked_until); this one protects accounts that do not exist and spreads of guesses
// over many usernames.
//
// Example: 20 failures from "10.1.2.3" within 15 minutes -> allowed("10.1.2.3", now) returns
// the seconds until the oldest of them is 15 minutes old; other addresses are not affected.
// State is lost on restart (acceptable: the per-account lock is durable).
//
// Thread-safety: not thread-safe; AccountStore uses it under its caller's serialisation.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>

namespace sahil::registry {

/// Sliding-window counter of failed logins per source address.
class LoginLimiter {
public:
    /// @param max_failures failures allowed within `window` (>= 1); the next attempt is refused
    /// @param window length of the sliding window (> 0 s)
    /// @param max_sources most addresses remembered; beyond it the least recently failing
    ///        address is forgotten (bounds memory under a flood from many addresses)
    LoginLimiter(int max_failures, std::chrono::seconds window, std::size_t max_sources);

    /// 0 s when `source` may try now, otherwise how long it must wait.
    [[nodiscard]] std::chrono::seconds retry_after(std::string_view source,
                                                   std::chrono::sys_seconds now);

    /// Records one failed attempt from `source` at `now`.
    void record_failure(std::string_view source, std::chrono::sys_seconds now);

    /// Number of addresses currently remembered.
    [[nodiscard]] std::size_t sources() const noexcept { return m_failures.size(); }

private:
    void prune(std::deque<std::chrono::sys_seconds>& times, std::chrono::sys_seconds now) const;
    void make_room(std::chrono::sys_seconds now);

    std::size_t m_max_failures;
    std::chrono::seconds m_window;
    std::size_t m_max_sources;
    std::map<std::string, std::deque<std::chrono::sys_seconds>, std::less<>> m_failures;
};

} // namespace sahil::registry

// Time points used across the AIS layer and above.
//
// All times are UTC. Fix times come from the message or its tag block; receive times from the
// feed (or a $PGHP header / trailing receiver field in recorded logs). Never the wall clock in
// rules, so a replay is deterministic.
#pragma once

#include <chrono>
#include <cstdint>

namespace sahil {

/// A UTC instant with millisecond resolution (Unix epoch, leap seconds not counted).
using UtcTime = std::chrono::sys_time<std::chrono::milliseconds>;

/// Converts Unix seconds to UtcTime.
constexpr UtcTime from_unix_seconds(std::int64_t s) {
    return UtcTime(std::chrono::milliseconds(s * 1000));
}

/// Converts Unix milliseconds to UtcTime.
constexpr UtcTime from_unix_millis(std::int64_t ms) {
    return UtcTime(std::chrono::milliseconds(ms));
}

/// Unix milliseconds of a UtcTime.
constexpr std::int64_t unix_millis(UtcTime t) {
    return t.time_since_epoch().count();
}

/// Unix seconds of a UtcTime (rounded down).
constexpr std::int64_t unix_seconds(UtcTime t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

} // namespace sahil

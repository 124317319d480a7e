#include "server/net/feed.hpp"

#include <string>

#include "ais/error.hpp"

namespace sahil::net {

std::string_view to_string(FeedKind kind) noexcept {
    switch (kind) {
    case FeedKind::tcp_client:
        return "tcp_client";
    case FeedKind::tcp_listener:
        return "tcp_listener";
    case FeedKind::udp:
        return "udp";
    case FeedKind::file:
        return "file";
    }
    return "unknown";
}

nlohmann::json to_json(const ais::FeedCounters& c) {
    nlohmann::json errors = nlohmann::json::object();
    for (std::size_t i = 0; i < c.errors.size(); ++i) {
        if (c.errors[i] != 0) {
            errors[std::string(ais::to_string(static_cast<ais::errc>(i)))] = c.errors[i];
        }
    }
    nlohmann::json by_type = nlohmann::json::object();
    for (std::size_t i = 0; i < c.by_type.size(); ++i) {
        if (c.by_type[i] != 0) {
            by_type[std::to_string(i)] = c.by_type[i];
        }
    }
    return {{"bytes", c.bytes},
            {"lines", c.lines},
            {"sentences", c.sentences},
            {"messages", c.messages},
            {"other_nmea", c.other_nmea},
            {"time_markers", c.time_markers},
            {"length_mismatch", c.length_mismatch},
            {"error_total", c.error_total()},
            {"errors", std::move(errors)},
            {"by_type", std::move(by_type)}};
}

nlohmann::json to_json(const FeedStatus& s) {
    return {{"id", s.id},
            {"kind", std::string(to_string(s.kind))},
            {"state", s.state},
            {"connections", s.connections},
            {"reconnects", s.reconnects},
            {"bound_port", s.bound_port},
            {"last_error", s.last_error},
            {"counters", to_json(s.counters)}};
}

} // namespace sahil::net

// AIS feed configuration and status: what a feed is, and what it reports.
//
// A feed is one source of AIS bytes: an outbound TCP connection to a receiver or aggregator
// (`tcp_client`), a TCP port receivers connect to (`tcp_listener`), a UDP port receiving
// datagrams of NMEA lines (`udp`), or a recorded log replayed from disk (`file`), e.g.
// `FeedConfig{.id = "gwadar-shore", .kind = FeedKind::tcp_client, .host = "10.0.4.2",
// .port = 5631}`.
// Data path: config -> FeedConfig -> FeedManager (server/net) -> StreamDecoder -> MessageHandler
// -> tracking; FeedStatus -> `/api/feeds` (to_json).
//
// Thread-safety: plain values; to_json and to_string are pure.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ais/stream_decoder.hpp"

namespace sahil::net {

/// How a feed gets its bytes.
enum class FeedKind {
    tcp_client,   ///< connects out to host:port and reconnects with backoff
    tcp_listener, ///< accepts receivers on host:port, one decoder per connection
    udp,          ///< receives datagrams on host:port, each holding one or more lines
    file          ///< replays a recorded log from `path`
};

/// Stable name of a kind: "tcp_client", "tcp_listener", "udp", "file" (config and JSON).
std::string_view to_string(FeedKind kind) noexcept;

/// One feed's settings (config file `[[feeds]]`).
struct FeedConfig {
    std::string id; ///< unique short name, e.g. "gwadar-shore"
    FeedKind kind = FeedKind::tcp_client;
    std::string host = "127.0.0.1"; ///< client: remote host or address; listener/udp: bind address
    std::uint16_t port = 0;         ///< client: remote port (1..65535); listener/udp: 0 = ephemeral
    std::filesystem::path path;     ///< file: the log to replay
    double speed = 0; ///< file: 0 = as fast as possible, N = N× real time by fix times
    std::chrono::milliseconds reconnect_min{1000};  ///< client: first reconnect delay (> 0)
    std::chrono::milliseconds reconnect_max{60000}; ///< client: backoff cap (>= reconnect_min)
    std::size_t max_line_bytes = 1024; ///< longest accepted line, bytes (see ais::LineFramer)
    std::chrono::milliseconds fragment_timeout{10000}; ///< multi-sentence message completion limit
    std::size_t max_connections = 16; ///< listener: simultaneous clients; more are refused
};

/// Receives each decoded message with the id of its feed. Called on the feed's strand (for a
/// listener: the connection's strand), so calls for one feed may come from several threads but
/// never overlap for one connection. The handler should post onward to its own strand and
/// return quickly; an exception it throws is caught, logged (rate-limited) and dropped.
using MessageHandler =
    std::function<void(ais::DecodedMessage&& message, const std::string& feed_id)>;

/// Receives feed events ("connected to 10.0.4.2:5631", "connection closed: end of file"),
/// one line each, never per message. Called from any feed strand: must be thread-safe.
using FeedLogHandler = std::function<void(const std::string& feed_id, const std::string& event)>;

/// A snapshot of one feed's state.
struct FeedStatus {
    std::string id;
    FeedKind kind = FeedKind::tcp_client;
    /// "connecting", "connected", "reconnecting", "listening", "replaying", "finished",
    /// "failed", "stopped" (after FeedManager::stop, unless finished/failed), "idle" before
    /// start.
    std::string state = "idle";
    std::size_t connections = 0;  ///< open TCP connections (client: 0 or 1)
    std::uint64_t reconnects = 0; ///< client: reconnect attempts since start
    std::uint16_t bound_port =
        0;                  ///< listener/udp: the port actually bound (config port 0 → ephemeral)
    std::string last_error; ///< last connection-level error, empty when none
    ais::FeedCounters counters; ///< input accounting, summed over all connections since start
};

/// JSON of a status: `{"id","kind","state","connections","reconnects","bound_port",
/// "last_error","counters":{"bytes","lines","sentences","messages","other_nmea","time_markers",
/// "length_mismatch","error_total","errors":{"bad_checksum":3,...},"by_type":{"1":812,...}}}`.
/// `errors` (keyed by ais::to_string) and `by_type` list non-zero entries only.
nlohmann::json to_json(const FeedStatus& status);

/// JSON of counters alone (same shape as `counters` above).
nlohmann::json to_json(const ais::FeedCounters& counters);

} // namespace sahil::net

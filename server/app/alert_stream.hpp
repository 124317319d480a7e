// The live alert stream: `GET /api/alerts/stream?since=<seq>` upgraded to a WebSocket pushes
// every entry of the alert journal (store::AlertEvent: raised, repeated, acknowledged, assigned,
// noted, resolved, suppressed) with the alert's current state, and resumes from the last journal
// sequence number a console saw, so that a reconnecting console misses nothing
// (docs/api.md "Live alert stream").
//
// `{"type":"hello","last_seq":41}` then, per journal entry in seq order,
// `{"type":"event","seq":42,"event":{"seq":42,"alert_id":7,"kind":"acknowledged",...},
//   "alert":{"id":7,"rule":"unregistered_departure","status":"acknowledged",...}}`
//
// Design: the store is the one source of truth, and journal seq order is commit order (SQLite
// has one writer at a time). The hub holds a cursor into the journal; notify() (from the
// pipeline's sink after AlertStore::raise, and from the API after AlertStore::act; any thread)
// and a poll timer (journal entries written by another process, e.g. `sahil replay` into the
// same file) make it read the entries after its cursor once, render each message once and post
// the batch to every connection's strand. A connection subscribes first, then reads its backlog
// (entries after `since`) from the store itself, a page at a time as its send queue drains, and
// discards live batches until a backlog read comes back short: that read and the switch to live
// run in one strand handler, so every entry it did not see reaches it live (the hub read it
// after the subscription); entries with seq <= the last one sent are dropped. A consumer that
// cannot keep up with the live rate overflows its bounded queue and is closed with 1013 and
// "too slow; reconnect with since=<seq>": it resumes from the store, nothing is lost.
// Data path: Pipeline sink / API actions -> notify() -> hub strand -> AlertStore (read-only
// connection) -> connection strands -> http::WebSocketSession -> consoles.
//
// Thread-safety: notify() from any thread; the other members from any thread too (the route
// handler runs on io threads). One read-only SQLite connection, serialised by a mutex, serves
// the hub and the backlogs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "server/net/asio.hpp"

#include "server/http/router.hpp"
#include "server/http/websocket_session.hpp"
#include "server/tracking/pipeline.hpp"

namespace sahil::app {

/// Settings of the live alert stream (not in the TOML file: fixed by the protocol).
struct AlertStreamConfig {
    std::filesystem::path registry_db; ///< the alert store's file, opened read-only
    /// Per connection: send queue bound (messages), ping interval, handshake timeout.
    http::WebSocketConfig websocket{};
    /// Safety net besides notify(): journal entries written by another process appear within
    /// this time.
    std::chrono::milliseconds poll_interval{2000};
    /// Journal entries read per store query (backlog pages and live batches); at most
    /// websocket.max_queued_messages.
    std::size_t page_size = 500;
    /// Streams open at once; further upgrade requests get 503.
    std::size_t max_connections = 256;
};

/// Counters since start.
struct AlertStreamCounters {
    std::uint64_t opened = 0;      ///< upgrade requests taken over
    std::uint64_t open = 0;        ///< of those, not yet ended
    std::uint64_t too_slow = 0;    ///< streams closed because their queue overflowed
    std::uint64_t events_sent = 0; ///< event messages queued to consoles, backlog and live
    std::uint64_t read_errors = 0; ///< store reads that failed (logged)
};

/// The hub and its connections; see the file comment. Not copyable.
class AlertStream {
public:
    /// Opens the read-only store connection; does not read yet.
    /// @throws registry::RegistryError when the database cannot be opened.
    AlertStream(boost::asio::io_context& ioc, AlertStreamConfig config);
    /// stop().
    ~AlertStream();
    AlertStream(const AlertStream&) = delete;
    AlertStream& operator=(const AlertStream&) = delete;

    /// Starts polling (posts to the hub strand).
    void start();
    /// Something was journaled: the hub reads the new entries soon. Any thread; cheap (calls
    /// while a read is pending are merged); never throws.
    void notify() noexcept;
    /// Closes every stream (1001 going away), refuses new ones (503) and stops polling.
    /// Idempotent.
    void stop();

    /// The UpgradeHandler of GET /api/alerts/stream: validates `since` (400 `bad_request`),
    /// refuses when stopped or full (503 `unavailable`), else takes the connection over.
    void accept(const http::Request& request, const http::RequestContext& context,
                http::Responder respond, http::ConnectionTaker take);

    [[nodiscard]] AlertStreamCounters counters() const;

    struct State; ///< shared with the connections and pending handlers

private:
    std::shared_ptr<State> m_state;
};

/// The pipeline sink that tells the stream about each alert stored by the tracking strand.
class AlertStreamSink : public tracking::AlertSink {
public:
    explicit AlertStreamSink(AlertStream& stream) : m_stream(stream) {}
    void on_alert(const alerts::Alert&, bool) override { m_stream.notify(); }

private:
    AlertStream& m_stream;
};

/// Registers GET /api/alerts/stream (a WebSocket; roles admin, supervisor, cg_watchkeeper,
/// msa_officer, msa_analyst, auditor) on `router`. `stream` may be null (a router without a
/// running stream, e.g. in the route matrix test): the route then answers 503 `unavailable`.
/// `stream` must outlive the router.
void add_alert_stream_route(http::Router& router, AlertStream* stream);

} // namespace sahil::app

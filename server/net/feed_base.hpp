// What every feed kind shares: a strand, its published status, its message sink and the one
// error-reporting helper of async completion handlers.
//
// Data path: socket/file bytes -> (subclass) -> ais::StreamDecoder -> HandlerSink ->
// MessageHandler. Counters of each StreamDecoder are published into the feed's status after
// every chunk (`publish_counters`) and folded into a running total when the decoder goes away
// (`retire_counters`), so status() sums closed and live connections without touching a decoder
// from another thread.
//
// Thread-safety: status(), stop() and the status setters are thread-safe (one mutex per feed);
// everything else runs on the feed's strand (or a session's strand for listener connections).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed.hpp"

namespace sahil::net::detail {

/// Strand type used by all feed and session objects.
using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

/// Callbacks shared by all feeds of one FeedManager (outlive the manager while handlers run).
struct FeedCallbacks {
    MessageHandler on_message;
    FeedLogHandler log;
    std::function<void(const std::string& feed_id)> on_file_finished;
};

/// Wall clock as UtcTime (receive time of live bytes).
UtcTime wall_clock_now() noexcept;

/// Calls the log callback; never throws (a throwing logger is ignored).
void log_event(const FeedCallbacks& callbacks, const std::string& feed_id,
               const std::string& event) noexcept;

/// MessageSink that hands each message (copied) to the MessageHandler and catches what it
/// throws. One per StreamDecoder; must outlive it.
class HandlerSink final : public ais::MessageSink {
public:
    HandlerSink(std::shared_ptr<const FeedCallbacks> callbacks, std::string feed_id)
        : m_callbacks(std::move(callbacks)), m_feed_id(std::move(feed_id)) {}
    /// Copies the message and calls deliver().
    void on_message(const ais::DecodedMessage& message) override;
    /// Hands a message to the MessageHandler; what it throws is caught and logged
    /// (rate-limited: 1st, 2nd, 4th, 8th ... failure).
    void deliver(ais::DecodedMessage&& message) noexcept;

private:
    std::shared_ptr<const FeedCallbacks> m_callbacks;
    std::string m_feed_id;
    std::uint64_t m_handler_errors = 0;
};

/// Base of the four feed kinds.
class FeedBase : public std::enable_shared_from_this<FeedBase> {
public:
    FeedBase(boost::asio::io_context& ioc, FeedConfig config,
             std::shared_ptr<const FeedCallbacks> callbacks);
    virtual ~FeedBase() = default;
    FeedBase(const FeedBase&) = delete;
    FeedBase& operator=(const FeedBase&) = delete;

    /// Starts the feed (bind synchronously where there is something to bind, then post the
    /// first async operation). Called once, from any thread. Never throws for I/O errors: they
    /// set state "failed" and last_error.
    virtual void start() = 0;
    /// Closes sockets, cancels timers, sets state "stopped" (a file feed that already ended
    /// keeps "finished"/"failed"). Idempotent; any thread.
    void stop();
    /// Thread-safe snapshot with counters summed over retired and live decoders.
    [[nodiscard]] FeedStatus status() const;
    [[nodiscard]] const FeedConfig& config() const noexcept { return m_config; }

    /// Publishes the current counters of one live decoder (`source` identifies it). Any thread.
    void publish_counters(std::uint64_t source, const ais::FeedCounters& counters);
    /// Adds a finished decoder's counters to the running total and forgets `source`. Any thread.
    void retire_counters(std::uint64_t source, const ais::FeedCounters& counters);
    /// Sets the state string; any thread.
    void set_state(std::string_view state);
    /// Sets last_error and logs it; any thread.
    void set_error(const std::string& message);
    /// Adjusts the open-connection count; any thread.
    void add_connections(int delta);
    /// Counts one reconnect attempt; any thread.
    void add_reconnect();
    /// Logs an event for this feed; never throws.
    void log(const std::string& event) const noexcept;
    /// The async error helper: ignores operation_aborted (our own cancel/close) and returns
    /// false for it; otherwise records "`what`: message" as last_error, logs it, returns true.
    bool fail(const boost::system::error_code& ec, std::string_view what);
    /// Runs `fn` and turns any exception into last_error (completion handlers wrap their body
    /// in it so nothing escapes into the io_context).
    template <class Fn> void guarded(std::string_view what, Fn&& fn) noexcept {
        try {
            fn();
        } catch (const std::exception& e) {
            note_exception(what, e.what());
        } catch (...) {
            note_exception(what, "unknown exception");
        }
    }

    [[nodiscard]] bool stopped() const noexcept { return m_stopped.load(); }
    [[nodiscard]] const std::shared_ptr<const FeedCallbacks>& callbacks() const noexcept {
        return m_callbacks;
    }
    [[nodiscard]] boost::asio::io_context& io_context() noexcept { return m_ioc; }
    /// StreamDecoder config from the feed config (line limit, fragment timeout).
    [[nodiscard]] ais::StreamDecoder::Config decoder_config() const;

protected:
    /// Subclass part of stop(); runs on the feed strand.
    virtual void do_stop() = 0;
    void set_bound_port(std::uint16_t port);
    /// A process-unique id for publish_counters.
    static std::uint64_t next_source_id() noexcept;

    boost::asio::io_context& m_ioc;
    Strand m_strand;
    const FeedConfig m_config;

private:
    void note_exception(std::string_view what, const char* message) noexcept;

    std::shared_ptr<const FeedCallbacks> m_callbacks;
    std::atomic<bool> m_stopped{false};
    mutable std::mutex m_mutex;
    FeedStatus m_status;                               // guarded; counters = retired total
    std::map<std::uint64_t, ais::FeedCounters> m_live; // guarded
};

} // namespace sahil::net::detail

#include "server/net/feed_base.hpp"

#include <bit>
#include <exception>
#include <utility>

namespace sahil::net::detail {

UtcTime wall_clock_now() noexcept {
    return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

void log_event(const FeedCallbacks& callbacks, const std::string& feed_id,
               const std::string& event) noexcept {
    if (!callbacks.log) {
        return;
    }
    try {
        callbacks.log(feed_id, event);
    } catch (...) { // NOLINT(bugprone-empty-catch): a broken logger must not stop a feed
    }
}

void HandlerSink::on_message(const ais::DecodedMessage& message) {
    if (m_callbacks->on_message) {
        deliver(ais::DecodedMessage(message));
    }
}

void HandlerSink::deliver(ais::DecodedMessage&& message) noexcept {
    if (!m_callbacks->on_message) {
        return;
    }
    try {
        m_callbacks->on_message(std::move(message), m_feed_id);
    } catch (const std::exception& e) {
        // Rate-limited: the 1st, 2nd, 4th, 8th ... failure is logged with the running total.
        ++m_handler_errors;
        if (std::has_single_bit(m_handler_errors)) {
            try {
                log_event(*m_callbacks, m_feed_id,
                          "message handler threw (" + std::to_string(m_handler_errors) +
                              " so far): " + e.what());
            } catch (...) { // NOLINT(bugprone-empty-catch): out of memory while reporting
            }
        }
    } catch (...) {
        ++m_handler_errors;
    }
}

FeedBase::FeedBase(boost::asio::io_context& ioc, FeedConfig config,
                   std::shared_ptr<const FeedCallbacks> callbacks)
    : m_ioc(ioc), m_strand(boost::asio::make_strand(ioc)), m_config(std::move(config)),
      m_callbacks(std::move(callbacks)) {
    m_status.id = m_config.id;
    m_status.kind = m_config.kind;
}

void FeedBase::stop() {
    if (m_stopped.exchange(true)) {
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        // A replay that ended keeps its outcome; everything else reports that it was stopped.
        if (m_status.state != "finished" && m_status.state != "failed") {
            m_status.state = "stopped";
        }
    }
    boost::asio::post(
        m_strand, [self = shared_from_this()] { self->guarded("stop", [&] { self->do_stop(); }); });
}

FeedStatus FeedBase::status() const {
    const std::lock_guard lock(m_mutex);
    FeedStatus s = m_status;
    for (const auto& [source, counters] : m_live) {
        s.counters += counters;
    }
    return s;
}

void FeedBase::publish_counters(std::uint64_t source, const ais::FeedCounters& counters) {
    const std::lock_guard lock(m_mutex);
    m_live[source] = counters;
}

void FeedBase::retire_counters(std::uint64_t source, const ais::FeedCounters& counters) {
    const std::lock_guard lock(m_mutex);
    m_live.erase(source);
    m_status.counters += counters;
}

void FeedBase::set_state(std::string_view state) {
    const std::lock_guard lock(m_mutex);
    if (!m_stopped.load()) {
        m_status.state = state;
    }
}

void FeedBase::set_error(const std::string& message) {
    {
        const std::lock_guard lock(m_mutex);
        m_status.last_error = message;
    }
    log(message);
}

void FeedBase::add_connections(int delta) {
    const std::lock_guard lock(m_mutex);
    if (delta < 0 && m_status.connections < static_cast<std::size_t>(-delta)) {
        m_status.connections = 0;
    } else {
        m_status.connections =
            static_cast<std::size_t>(static_cast<long long>(m_status.connections) + delta);
    }
}

void FeedBase::add_reconnect() {
    const std::lock_guard lock(m_mutex);
    ++m_status.reconnects;
}

void FeedBase::set_bound_port(std::uint16_t port) {
    const std::lock_guard lock(m_mutex);
    m_status.bound_port = port;
}

void FeedBase::log(const std::string& event) const noexcept {
    log_event(*m_callbacks, m_config.id, event);
}

bool FeedBase::fail(const boost::system::error_code& ec, std::string_view what) {
    if (ec == boost::asio::error::operation_aborted) {
        return false;
    }
    set_error(std::string(what) + ": " + ec.message());
    return true;
}

void FeedBase::note_exception(std::string_view what, const char* message) noexcept {
    try {
        set_error(std::string(what) + ": unexpected exception: " + message);
    } catch (...) { // NOLINT(bugprone-empty-catch): out of memory while reporting; nothing left
    }
}

ais::StreamDecoder::Config FeedBase::decoder_config() const {
    ais::StreamDecoder::Config c;
    c.max_line_bytes = m_config.max_line_bytes;
    c.assembler.timeout = m_config.fragment_timeout;
    return c;
}

std::uint64_t FeedBase::next_source_id() noexcept {
    static std::atomic<std::uint64_t> next{1};
    return next.fetch_add(1);
}

} // namespace sahil::net::detail

#include "server/app/alert_stream.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/database.hpp"
#include "server/alerts/alert.hpp"
#include "server/app/log.hpp"
#include "server/store/alert_store.hpp"

namespace sahil::app {

namespace asio = boost::asio;
using nlohmann::ordered_json;

namespace {

/// One rendered message of the stream and the journal seq it brings the console to.
struct Message {
    std::int64_t seq = 0;
    std::shared_ptr<const std::string> text;
};
using Batch = std::vector<Message>;

/// Who may watch the stream: everyone who reads alerts except the fisheries clerks.
constexpr http::Access stream_access{.roles = {http::Role::admin, http::Role::supervisor,
                                               http::Role::cg_watchkeeper, http::Role::msa_officer,
                                               http::Role::msa_analyst, http::Role::auditor}};

std::string dump(const ordered_json& j) {
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

http::Response bad_request(const std::string& param, const std::string& message) {
    return http::json_response(
        {{"error", "bad_request"}, {"parameter", param}, {"message", message}}, 400);
}

/// "since" as a journal seq: ASCII digits only, at most 18 of them (fits std::int64_t).
std::optional<std::int64_t> parse_seq(const std::string& s) {
    if (s.empty() || s.size() > 18) {
        return std::nullopt;
    }
    std::int64_t v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

class StreamConnection;

struct AlertStream::State : std::enable_shared_from_this<State> {
    State(asio::io_context& ioc, AlertStreamConfig c)
        : config(std::move(c)), strand(asio::make_strand(ioc)), timer(strand),
          db(config.registry_db.string(), registry::OpenMode::read_only), store(db),
          cursor(store.last_event_seq()) {}

    /// Journal entries after `after` (at most `limit`) rendered as event messages, oldest
    /// first. Any thread. @throws registry::RegistryError.
    Batch read_page(std::int64_t after, std::size_t limit);
    /// The highest journal seq. Any thread. @throws registry::RegistryError.
    std::int64_t head();
    /// Reads what is new after `cursor` and hands it to every connection. Hub strand.
    void pump();
    void notify() noexcept;
    void schedule_poll();
    void remove(std::uint64_t id);
    /// Logs a failed store read, at most once a minute (the poll would repeat it every 2 s).
    void report_read_error(const std::string& what);

    const AlertStreamConfig config;
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer timer; ///< poll; on `strand`

    std::mutex reader_mutex; ///< guards db and store
    registry::Database db;   ///< read-only
    store::AlertStore store;

    mutable std::mutex mutex; ///< guards the members below up to last_error_log
    std::map<std::uint64_t, std::shared_ptr<StreamConnection>> subscribers;
    std::size_t open_connections = 0; ///< taken over and not yet ended (also after stop())
    std::uint64_t next_id = 1;
    bool stopped = false;
    std::uint64_t opened = 0;
    std::chrono::steady_clock::time_point last_error_log{};

    std::atomic<std::uint64_t> too_slow{0};
    std::atomic<std::uint64_t> events_sent{0};
    std::atomic<std::uint64_t> read_errors{0};

    std::int64_t cursor; ///< hub strand only: the last journal seq handed to the connections
    std::atomic<bool> pump_pending{false};
};

/// One console's stream; everything runs on its WebSocketSession's strand.
class StreamConnection : public std::enable_shared_from_this<StreamConnection> {
public:
    StreamConnection(std::shared_ptr<AlertStream::State> state,
                     std::shared_ptr<http::WebSocketSession> ws, std::uint64_t id,
                     std::optional<std::int64_t> since, std::string who)
        : m_state(std::move(state)), m_ws(std::move(ws)), m_executor(m_ws->executor()), m_id(id),
          m_since(since), m_who(std::move(who)) {}

    void start() {
        const std::weak_ptr<StreamConnection> weak = weak_from_this();
        m_ws->start({.on_open =
                         [weak] {
                             if (auto self = weak.lock()) {
                                 self->on_open();
                             }
                         },
                     .on_written =
                         [weak](std::int64_t) {
                             if (auto self = weak.lock()) {
                                 self->on_written();
                             }
                         },
                     .on_closed =
                         [weak, state = m_state, id = m_id] {
                             state->remove(id);
                             if (auto self = weak.lock()) {
                                 self->on_closed();
                             }
                         }});
    }

    /// The connection's strand (any thread: a copy taken before any I/O).
    [[nodiscard]] const http::WebSocketSession::Executor& executor() const { return m_executor; }

    /// A live batch from the hub (strand). Ignored until the backlog has caught up.
    void deliver(const Batch& batch) {
        if (!m_live || !m_ws->is_open()) {
            return;
        }
        for (const Message& m : batch) {
            if (m.seq > m_last_queued && !queue(m)) {
                return;
            }
        }
    }

    /// The daemon is stopping (strand).
    void close_going_away() {
        m_ws->close(boost::beast::websocket::close_code::going_away, "server shutting down");
    }

private:
    void on_open() {
        try {
            const std::int64_t head = m_state->head();
            m_last_queued = m_since.value_or(head);
            m_start = m_last_queued;
            const ordered_json hello{{"type", "hello"}, {"last_seq", head}};
            (void)m_ws->send(std::make_shared<const std::string>(dump(hello)), m_last_queued);
            log::info("stream", "open id={} {} since={} last_seq={}", m_id, m_who, m_start, head);
            read_backlog();
        } catch (const std::exception& e) {
            fail(e.what());
        }
    }

    void on_written() {
        if (!m_live) {
            try {
                read_backlog();
            } catch (const std::exception& e) {
                fail(e.what());
            }
        }
    }

    void on_closed() {
        log::info("stream", "closed id={} {} queued_up_to={}", m_id, m_who, m_last_queued);
    }

    /// Store pages after m_last_queued while fewer than a page are queued (so the backlog,
    /// however long, never overflows the queue). A short page means caught up: from here on
    /// live batches are taken (see the file comment of the header).
    void read_backlog() {
        const std::size_t page = m_state->config.page_size;
        const std::size_t max = m_state->config.websocket.max_queued_messages;
        while (!m_live && m_ws->is_open() && m_ws->queued() < page) {
            const std::size_t limit = std::min(page, max - m_ws->queued());
            const Batch batch = m_state->read_page(m_last_queued, limit);
            for (const Message& m : batch) {
                if (!queue(m)) {
                    return;
                }
            }
            if (batch.size() < limit) {
                m_live = true;
            }
        }
    }

    bool queue(const Message& m) {
        switch (m_ws->send(m.text, m.seq)) {
        case http::SendResult::queued:
            m_last_queued = m.seq;
            m_state->events_sent.fetch_add(1, std::memory_order_relaxed);
            return true;
        case http::SendResult::queue_full:
            too_slow();
            return false;
        case http::SendResult::closed:
            return false;
        }
        return false;
    }

    void too_slow() {
        const std::int64_t resume = m_ws->delivered_tag().value_or(m_start);
        m_state->too_slow.fetch_add(1, std::memory_order_relaxed);
        log::warn("stream", "id={} {} too slow: {} messages queued, closing (resume since={})",
                  m_id, m_who, m_ws->queued(), resume);
        m_ws->close(boost::beast::websocket::close_code::try_again_later,
                    "too slow; reconnect with since=" + std::to_string(resume));
    }

    void fail(const std::string& what) {
        m_state->report_read_error(what);
        m_ws->close(boost::beast::websocket::close_code::internal_error,
                    "cannot read the alert journal; reconnect later");
    }

    std::shared_ptr<AlertStream::State> m_state;
    std::shared_ptr<http::WebSocketSession> m_ws;
    const http::WebSocketSession::Executor m_executor;
    std::uint64_t m_id;
    std::optional<std::int64_t> m_since;
    std::string m_who;        ///< "user=... request=..." for the log
    std::int64_t m_start = 0; ///< the seq the stream started after
    std::int64_t m_last_queued = 0;
    bool m_live = false; ///< backlog caught up: live batches are taken
};

Batch AlertStream::State::read_page(std::int64_t after, std::size_t limit) {
    std::vector<store::AlertEvent> events;
    std::map<std::int64_t, std::optional<alerts::Alert>> alerts;
    {
        const std::lock_guard lock(reader_mutex);
        events = store.events_after(after, limit);
        for (const auto& e : events) {
            if (!alerts.contains(e.alert_id)) {
                alerts.emplace(e.alert_id, store.find(e.alert_id));
            }
        }
    }
    Batch out;
    out.reserve(events.size());
    for (const auto& e : events) {
        const auto& a = alerts.at(e.alert_id);
        const ordered_json j{{"type", "event"},
                             {"seq", e.seq},
                             {"event", store::to_json(e)},
                             {"alert", a ? alerts::to_json(*a) : ordered_json()}};
        out.push_back({e.seq, std::make_shared<const std::string>(dump(j))});
    }
    return out;
}

std::int64_t AlertStream::State::head() {
    const std::lock_guard lock(reader_mutex);
    return store.last_event_seq();
}

void AlertStream::State::pump() {
    pump_pending.store(false);
    try {
        while (true) {
            {
                const std::lock_guard lock(mutex);
                if (stopped) {
                    return;
                }
                if (subscribers.empty()) {
                    // Nobody to tell: skip ahead. Under `mutex`, so that a connection arriving
                    // now reads everything up to here from the store itself.
                    cursor = head();
                    return;
                }
            }
            const auto batch = std::make_shared<const Batch>(read_page(cursor, config.page_size));
            if (batch->empty()) {
                return;
            }
            cursor = batch->back().seq;
            std::vector<std::shared_ptr<StreamConnection>> targets;
            {
                const std::lock_guard lock(mutex);
                for (const auto& [id, c] : subscribers) {
                    targets.push_back(c);
                }
            }
            for (auto& t : targets) {
                auto executor = t->executor();
                asio::post(executor, [t = std::move(t), batch] { t->deliver(*batch); });
            }
            if (batch->size() < config.page_size) {
                return;
            }
        }
    } catch (const std::exception& e) {
        report_read_error(e.what()); // the next notify() or poll tries again
    }
}

void AlertStream::State::notify() noexcept {
    if (pump_pending.exchange(true)) {
        return; // a pump is queued and will see this entry too
    }
    try {
        asio::post(strand, [self = shared_from_this()] { self->pump(); });
    } catch (...) {
        pump_pending.store(false); // out of memory: the poll catches up
    }
}

void AlertStream::State::schedule_poll() {
    timer.expires_after(config.poll_interval);
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (ec || !self) {
            return;
        }
        {
            const std::lock_guard lock(self->mutex);
            if (self->stopped) {
                return;
            }
        }
        self->notify();
        self->schedule_poll();
    });
}

void AlertStream::State::remove(std::uint64_t id) {
    const std::lock_guard lock(mutex);
    subscribers.erase(id);
    --open_connections;
}

void AlertStream::State::report_read_error(const std::string& what) {
    const auto now = std::chrono::steady_clock::now();
    bool log_it = false;
    const std::uint64_t total = read_errors.fetch_add(1) + 1;
    {
        const std::lock_guard lock(mutex);
        if (now - last_error_log >= std::chrono::minutes(1) ||
            last_error_log == std::chrono::steady_clock::time_point{}) {
            last_error_log = now;
            log_it = true;
        }
    }
    if (log_it) {
        log::error("stream", "reading the alert journal failed ({} so far): {}", total, what);
    }
}

AlertStream::AlertStream(asio::io_context& ioc, AlertStreamConfig config) {
    config.page_size =
        std::clamp<std::size_t>(config.page_size, 1, config.websocket.max_queued_messages);
    m_state = std::make_shared<State>(ioc, std::move(config));
}

AlertStream::~AlertStream() {
    stop();
}

void AlertStream::start() {
    asio::post(m_state->strand, [state = m_state] { state->schedule_poll(); });
}

void AlertStream::notify() noexcept {
    m_state->notify();
}

void AlertStream::stop() {
    std::map<std::uint64_t, std::shared_ptr<StreamConnection>> subscribers;
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->stopped) {
            return;
        }
        m_state->stopped = true;
        subscribers.swap(m_state->subscribers); // also breaks the State <-> connection cycle
    }
    try {
        for (auto& [id, c] : subscribers) {
            auto executor = c->executor();
            asio::post(executor, [c = std::move(c)] { c->close_going_away(); });
        }
        asio::post(m_state->strand, [state = m_state] { state->timer.cancel(); });
    } catch (...) { // NOLINT(bugprone-empty-catch): out of memory; the io_context's end closes
    }
}

void AlertStream::accept(const http::Request& request, const http::RequestContext& context,
                         http::Responder respond, http::ConnectionTaker take) {
    std::optional<std::int64_t> since;
    for (const auto& [key, value] : request.query) {
        if (key != "since") {
            respond(bad_request(key, "unknown parameter (since)"));
            return;
        }
        since = parse_seq(value);
        if (!since) {
            respond(bad_request(key, "must be a journal sequence number (a whole number >= 0)"));
            return;
        }
    }
    std::shared_ptr<StreamConnection> connection;
    {
        const std::lock_guard lock(m_state->mutex);
        if (m_state->stopped || m_state->open_connections >= m_state->config.max_connections) {
            respond(http::json_error(503, "unavailable",
                                     m_state->stopped
                                         ? "the live alert stream is not running"
                                         : "too many live alert streams open; try again later"));
            return;
        }
        auto upgraded = take();
        if (!upgraded) {
            respond(http::json_error(500, "internal", "the connection could not be upgraded"));
            return;
        }
        const std::uint64_t id = m_state->next_id++;
        const std::string who =
            "user=" + (context.principal ? context.principal->username : std::string("?")) +
            " request=" + context.request_id;
        auto ws = std::make_shared<http::WebSocketSession>(std::move(*upgraded),
                                                           m_state->config.websocket);
        connection = std::make_shared<StreamConnection>(m_state, std::move(ws), id, since, who);
        // Subscribed before the handshake, so before the first backlog read.
        m_state->subscribers.emplace(id, connection);
        ++m_state->open_connections;
        ++m_state->opened;
    }
    connection->start();
}

AlertStreamCounters AlertStream::counters() const {
    AlertStreamCounters c;
    {
        const std::lock_guard lock(m_state->mutex);
        c.opened = m_state->opened;
        c.open = m_state->open_connections;
    }
    c.too_slow = m_state->too_slow.load();
    c.events_sent = m_state->events_sent.load();
    c.read_errors = m_state->read_errors.load();
    return c;
}

void add_alert_stream_route(http::Router& router, AlertStream* stream) {
    router.add_upgrade("/api/alerts/stream", stream_access,
                       [stream](const http::Request& request, const http::RequestContext& context,
                                http::Responder respond, http::ConnectionTaker take) {
                           if (stream == nullptr) {
                               respond(http::json_error(503, "unavailable",
                                                        "the live alert stream is not running"));
                               return;
                           }
                           stream->accept(request, context, std::move(respond), std::move(take));
                       });
}

} // namespace sahil::app

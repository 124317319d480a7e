// The live alert stream (server/app/alert_stream.hpp) over loopback with a Beast WebSocket
// client: authentication and Origin before the upgrade, hello, backlog and live events in seq
// order, resume after a reconnect, paging through a small queue, a writer racing the
// backlog/live switch, the slow-consumer close, polling, pings, shutdown; and sahild end to end.
#include "server/net/asio.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/database.hpp"
#include "server/app/alert_stream.hpp"
#include "server/app/commands.hpp"
#include "server/http/http_server.hpp"
#include "server/store/alert_store.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/app/daemon_test_support.hpp"

namespace sahil {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace websocket = boost::beast::websocket;
using asio::ip::tcp;
using nlohmann::json;

constexpr std::chrono::seconds deadline{10};

/// A WebSocket client on its own io_context; every operation has a deadline.
class WsClient {
public:
    /// Connects to ws://127.0.0.1:port`target` and upgrades. `receive_buffer` > 0 shrinks the
    /// socket's receive buffer (a console that reads slowly fills the server's queue sooner).
    WsClient(std::uint16_t port, const std::string& target, const test::HeaderList& headers = {},
             int receive_buffer = 0)
        : m_ws(m_ioc) {
        auto& layer = beast::get_lowest_layer(m_ws);
        layer.socket().open(tcp::v4());
        if (receive_buffer > 0) {
            layer.socket().set_option(asio::socket_base::receive_buffer_size(receive_buffer));
        }
        layer.socket().connect({asio::ip::make_address("127.0.0.1"), port});
        m_ws.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
            for (const auto& [name, value] : headers) {
                req.set(name, value);
            }
        }));
        m_ws.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::ping) {
                ++m_pings;
            }
        });
        layer.expires_after(deadline);
        beast::error_code result = asio::error::timed_out;
        m_ws.async_handshake(m_response, "127.0.0.1:" + std::to_string(port), target,
                             [&](const beast::error_code& ec) { result = ec; });
        run();
        layer.expires_never();
        m_ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        m_open = !result;
    }

    /// The upgrade succeeded.
    [[nodiscard]] bool open() const { return m_open; }
    /// The server's answer to the upgrade request (101, or e.g. 401 with its JSON body).
    [[nodiscard]] const websocket::response_type& response() const { return m_response; }

    /// The next message as JSON; std::nullopt when the connection ended (see close_code())
    /// or nothing came within the deadline (the test then fails).
    std::optional<json> next() {
        if (!m_open) {
            return std::nullopt;
        }
        beast::flat_buffer buffer;
        std::optional<beast::error_code> result;
        m_ws.async_read(buffer, [&](const beast::error_code& ec, std::size_t) { result = ec; });
        run(&result);
        if (!result) {
            ADD_FAILURE() << "no message within " << deadline.count() << " s";
            beast::get_lowest_layer(m_ws).close();
            run();
            m_open = false;
            return std::nullopt;
        }
        if (*result) {
            m_open = false;
            return std::nullopt;
        }
        return json::parse(beast::buffers_to_string(buffer.data()));
    }

    /// Reads messages until a ping has arrived (true) or the deadline passed.
    bool wait_for_ping() {
        const auto until = std::chrono::steady_clock::now() + deadline;
        beast::flat_buffer buffer;
        bool done = false;
        std::function<void()> read = [&] {
            m_ws.async_read(buffer, [&](const beast::error_code& ec, std::size_t) {
                done = ec || m_pings > 0;
                if (!done) {
                    buffer.clear();
                    read();
                }
            });
        };
        read();
        m_ioc.restart();
        while (!done && m_pings == 0 && std::chrono::steady_clock::now() < until) {
            m_ioc.run_one_for(std::chrono::milliseconds(100));
        }
        const bool got = m_pings > 0;
        beast::get_lowest_layer(m_ws).close();
        m_ioc.restart();
        m_ioc.run_for(deadline);
        m_open = false;
        return got;
    }

    /// The close frame the server sent (code 0 when none).
    [[nodiscard]] websocket::close_reason close_reason() const { return m_ws.reason(); }

    /// Sends a close frame and waits for the server's.
    void close() {
        if (!m_open) {
            return;
        }
        std::optional<beast::error_code> result;
        m_ws.async_close(websocket::close_code::normal,
                         [&](const beast::error_code& ec) { result = ec; });
        run(&result);
        m_open = false;
    }

private:
    void run(const std::optional<beast::error_code>* result = nullptr) {
        m_ioc.restart();
        if (result == nullptr) {
            m_ioc.run_for(deadline);
            return;
        }
        const auto until = std::chrono::steady_clock::now() + deadline;
        while (!result->has_value() && std::chrono::steady_clock::now() < until) {
            m_ioc.run_one_for(std::chrono::milliseconds(100));
        }
    }

    asio::io_context m_ioc;
    websocket::stream<beast::tcp_stream> m_ws;
    websocket::response_type m_response;
    int m_pings = 0;
    bool m_open = false;
};

/// A departure alert for vessel `mmsi`; `evidence_bytes` pads the evidence (big messages).
alerts::Alert hit(std::uint32_t mmsi, std::size_t evidence_bytes = 0) {
    alerts::Alert a;
    a.rule = std::string(alerts::rule_names::unregistered_departure);
    a.severity = alerts::Severity::critical;
    a.mmsi = mmsi;
    a.vessel_name = "SEA HAWK";
    a.zone_id = "PK-HBR-05";
    a.zone_name = "Pasni Fish Harbour";
    a.fix_time = from_unix_seconds(1'773'509'400);
    a.last_time = a.fix_time;
    a.position = {25.23, 63.47};
    a.last_position = a.position;
    a.reason = "test";
    a.evidence["padding"] = std::string(evidence_bytes, 'x');
    return a;
}

/// first, first + 1, ..., last.
std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
    std::vector<std::int64_t> out;
    for (std::int64_t s = first; s <= last; ++s) {
        out.push_back(s);
    }
    return out;
}

/// Runs an io_context on two threads until destroyed.
class IoRunner {
public:
    IoRunner() : m_guard(asio::make_work_guard(ioc)) {
        for (int i = 0; i < 2; ++i) {
            m_threads.emplace_back([this] { ioc.run(); });
        }
    }
    ~IoRunner() {
        m_guard.reset();
        ioc.stop();
        for (auto& t : m_threads) {
            t.join();
        }
    }
    IoRunner(const IoRunner&) = delete;
    IoRunner& operator=(const IoRunner&) = delete;
    asio::io_context ioc;

private:
    asio::executor_work_guard<asio::io_context::executor_type> m_guard;
    std::vector<std::thread> m_threads;
};

/// An AlertStream behind a real Router and HttpServer on loopback, over a temporary
/// registry.db that the test writes through its own AlertStore (as the tracking strand would).
/// Credentials: `Bearer admin-token` (admin), `Bearer clerk-token` (clerk), cookie
/// `sahil_session=admin-cookie` (admin, browser session).
class AlertStreamTest : public ::testing::Test {
protected:
    AlertStreamTest() : m_db(db_path().string()), m_writer(m_db) {}
    ~AlertStreamTest() override {
        if (m_server) {
            m_server->stop();
        }
        if (m_stream) {
            m_stream->stop();
        }
    }

    [[nodiscard]] std::filesystem::path db_path() const { return m_tmp.path() / "registry.db"; }

    /// Starts the stream and the server. The poll is an hour unless given: tests call notify().
    void start(app::AlertStreamConfig config = {}) {
        config.registry_db = db_path();
        if (config.poll_interval == app::AlertStreamConfig{}.poll_interval) {
            config.poll_interval = std::chrono::hours(1);
        }
        m_stream = std::make_unique<app::AlertStream>(m_io.ioc, config);
        http::Router router;
        router.set_authenticator([](const http::Request& r) -> std::optional<http::Authentication> {
            http::Principal p;
            p.username = "tester";
            if (r.header("Authorization") == "Bearer admin-token") {
                p.role = http::Role::admin;
                p.via_api_token = true;
            } else if (r.header("Authorization") == "Bearer clerk-token") {
                p.role = http::Role::clerk;
                p.via_api_token = true;
            } else if (r.cookie("sahil_session") == "admin-cookie") {
                p.role = http::Role::admin;
            } else {
                return std::nullopt;
            }
            return http::Authentication{p, false};
        });
        app::add_alert_stream_route(router, m_stream.get());
        m_server = std::make_unique<http::HttpServer>(
            m_io.ioc, http::HttpConfig{.bind = "127.0.0.1", .port = 0}, std::move(router));
        m_server->start();
        m_stream->start();
    }

    [[nodiscard]] std::uint16_t port() const { return m_server->port(); }

    /// A client with the administrator's token.
    std::unique_ptr<WsClient> connect(const std::string& query = "", int receive_buffer = 0) {
        return std::make_unique<WsClient>(port(), "/api/alerts/stream" + query,
                                          test::HeaderList{{"Authorization", "Bearer admin-token"}},
                                          receive_buffer);
    }

    /// Stores a new alert for `mmsi` and returns its journal seq (no notify()).
    std::int64_t raise(std::uint32_t mmsi, std::size_t evidence_bytes = 0) {
        const auto r = m_writer.raise(hit(mmsi, evidence_bytes));
        EXPECT_EQ(r.kind, store::RaiseKind::created);
        return r.event_seq;
    }

    /// Acknowledges alert `id` as a watch officer; returns the journal seq.
    std::int64_t acknowledge(std::int64_t id) {
        const registry::Actor officer{"amina", "cg_watchkeeper", "", "test", ""};
        const auto r = m_writer.act(id, {.action = "acknowledge"}, officer);
        EXPECT_TRUE(r.ok());
        return m_writer.last_event_seq();
    }

    /// Reads `n` event messages and returns their seqs.
    static std::vector<std::int64_t> seqs(WsClient& c, std::size_t n) {
        std::vector<std::int64_t> out;
        for (std::size_t i = 0; i < n; ++i) {
            const auto m = c.next();
            if (!m) {
                ADD_FAILURE() << "stream ended after " << out.size() << " of " << n << " events";
                break;
            }
            EXPECT_EQ((*m)["type"], "event") << m->dump();
            out.push_back((*m)["seq"].get<std::int64_t>());
        }
        return out;
    }

    test::TempDir m_tmp;
    registry::Database m_db;
    store::AlertStore m_writer;
    IoRunner m_io;
    std::unique_ptr<app::AlertStream> m_stream;
    std::unique_ptr<http::HttpServer> m_server;
};

TEST_F(AlertStreamTest, refuses_before_the_upgrade_without_credentials_role_or_upgrade) {
    start();
    WsClient anonymous(port(), "/api/alerts/stream");
    EXPECT_FALSE(anonymous.open());
    EXPECT_EQ(anonymous.response().result_int(), 401U);
    EXPECT_EQ(anonymous.response()[bhttp::field::www_authenticate], "Bearer");
    EXPECT_EQ(json::parse(anonymous.response().body())["error"], "unauthenticated");

    WsClient clerk(port(), "/api/alerts/stream", {{"Authorization", "Bearer clerk-token"}});
    EXPECT_FALSE(clerk.open());
    EXPECT_EQ(clerk.response().result_int(), 403U);
    EXPECT_EQ(json::parse(clerk.response().body())["error"], "forbidden");

    WsClient bad_since(port(), "/api/alerts/stream?since=-1",
                       {{"Authorization", "Bearer admin-token"}});
    EXPECT_EQ(bad_since.response().result_int(), 400U);
    EXPECT_EQ(json::parse(bad_since.response().body())["parameter"], "since");
    WsClient unknown(port(), "/api/alerts/stream?after=1",
                     {{"Authorization", "Bearer admin-token"}});
    EXPECT_EQ(unknown.response().result_int(), 400U);

    const auto plain = test::http_call(port(), "GET", "/api/alerts/stream", {},
                                       {{"Authorization", "Bearer admin-token"}});
    EXPECT_EQ(plain.status, 426U);
    EXPECT_EQ(plain.header("Upgrade"), "websocket");
    EXPECT_EQ(plain.json()["error"], "upgrade_required");
    // Without credentials the plain GET is refused as an upgrade would be.
    EXPECT_EQ(test::http_call(port(), "GET", "/api/alerts/stream").status, 401U);
    EXPECT_EQ(m_stream->counters().opened, 0U);
}

TEST_F(AlertStreamTest, browser_session_cookie_needs_a_same_origin_handshake) {
    start();
    const std::string cookie = "sahil_session=admin-cookie";
    WsClient hijack(port(), "/api/alerts/stream",
                    {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
    EXPECT_FALSE(hijack.open());
    EXPECT_EQ(hijack.response().result_int(), 403U);
    EXPECT_EQ(json::parse(hijack.response().body())["error"], "csrf_failed");

    WsClient console(
        port(), "/api/alerts/stream",
        {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(port())}});
    ASSERT_TRUE(console.open());
    EXPECT_EQ(console.response()[bhttp::field::server], "sahil");
    const auto hello = console.next();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)["type"], "hello");
}

TEST_F(AlertStreamTest, sends_hello_then_backlog_then_live_events_with_the_alert_state) {
    const std::int64_t first = raise(463100001);
    raise(463100002);
    raise(463100003);
    start();
    auto c = connect("?since=0");
    ASSERT_TRUE(c->open());
    const auto hello = c->next();
    ASSERT_TRUE(hello);
    EXPECT_EQ(*hello, json({{"type", "hello"}, {"last_seq", first + 2}}));
    const auto e1 = c->next();
    ASSERT_TRUE(e1);
    EXPECT_EQ((*e1)["seq"], first);
    EXPECT_EQ((*e1)["event"]["seq"], first);
    EXPECT_EQ((*e1)["event"]["kind"], "raised");
    EXPECT_EQ((*e1)["alert"]["mmsi"], 463100001);
    EXPECT_EQ((*e1)["alert"]["id"], (*e1)["event"]["alert_id"]);
    EXPECT_EQ(seqs(*c, 2), range(first + 1, first + 2));

    // Live: a new alert, then a watch officer's action on the first one.
    const std::int64_t fourth = raise(463100004);
    m_stream->notify();
    EXPECT_EQ(seqs(*c, 1), std::vector<std::int64_t>{fourth});
    const std::int64_t ack = acknowledge((*e1)["alert"]["id"].get<std::int64_t>());
    m_stream->notify();
    const auto a = c->next();
    ASSERT_TRUE(a);
    EXPECT_EQ((*a)["seq"], ack);
    EXPECT_EQ((*a)["event"]["kind"], "acknowledged");
    EXPECT_EQ((*a)["event"]["actor"], "amina");
    EXPECT_EQ((*a)["alert"]["status"], "acknowledged");
}

TEST_F(AlertStreamTest, without_since_sends_only_what_is_new) {
    raise(463100001);
    const std::int64_t head = raise(463100002);
    start();
    auto c = connect();
    const auto hello = c->next();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)["last_seq"], head);
    const std::int64_t next = raise(463100003);
    m_stream->notify();
    EXPECT_EQ(seqs(*c, 1), std::vector<std::int64_t>{next});
}

TEST_F(AlertStreamTest, a_console_that_reconnects_with_since_gets_exactly_what_it_missed) {
    start();
    auto c = connect("?since=0");
    ASSERT_TRUE(c->next()); // hello
    const std::int64_t s1 = raise(463100001);
    const std::int64_t s2 = raise(463100002);
    m_stream->notify();
    EXPECT_EQ(seqs(*c, 2), (std::vector<std::int64_t>{s1, s2}));
    c->close();

    std::vector<std::int64_t> missed;
    for (std::uint32_t m = 463100003; m < 463100008; ++m) {
        missed.push_back(raise(m));
    }
    m_stream->notify();
    auto again = connect("?since=" + std::to_string(s2));
    const auto hello = again->next();
    ASSERT_TRUE(hello);
    EXPECT_EQ((*hello)["last_seq"], missed.back());
    EXPECT_EQ(seqs(*again, missed.size()), missed);
    // Nothing is sent twice: the next message is the next new event.
    const std::int64_t later = raise(463100009);
    m_stream->notify();
    EXPECT_EQ(seqs(*again, 1), std::vector<std::int64_t>{later});
}

TEST_F(AlertStreamTest, a_long_backlog_is_paged_through_a_small_queue_without_overflow) {
    for (std::uint32_t m = 0; m < 120; ++m) {
        raise(463200000 + m);
    }
    app::AlertStreamConfig config;
    config.websocket.max_queued_messages = 20;
    config.page_size = 7;
    start(config);
    auto c = connect("?since=0");
    ASSERT_TRUE(c->next()); // hello
    EXPECT_EQ(seqs(*c, 120), range(1, 120));
    EXPECT_EQ(m_stream->counters().too_slow, 0U);
}

TEST_F(AlertStreamTest, events_written_while_the_backlog_is_read_arrive_once_in_order) {
    app::AlertStreamConfig config;
    config.page_size = 5; // many backlog pages, so the switch to live races the writer
    start(config);
    constexpr std::uint32_t total = 300;
    std::atomic<std::uint32_t> written{0};
    std::thread writer([&] {
        // The stream's own connection reads; this one writes, as the tracking strand does.
        registry::Database db(db_path().string());
        store::AlertStore s(db);
        for (std::uint32_t m = 0; m < total; ++m) {
            s.raise(hit(463300000 + m));
            written = m + 1;
            m_stream->notify();
        }
    });
    while (written < total / 3) {
        std::this_thread::yield(); // connect while the writer is busy
    }
    auto c = connect("?since=0");
    ASSERT_TRUE(c->next()); // hello
    const auto got = seqs(*c, total);
    writer.join();
    EXPECT_EQ(got, range(1, total));
}

TEST_F(AlertStreamTest, a_slow_console_is_closed_with_a_resume_point_and_loses_nothing) {
    app::AlertStreamConfig config;
    config.websocket.max_queued_messages = 20;
    config.websocket.handshake_timeout = std::chrono::seconds(10);
    config.page_size = 10;
    start(config);
    auto slow = connect("", 4096);
    const auto hello = slow->next();
    ASSERT_TRUE(hello);
    const std::int64_t start_seq = (*hello)["last_seq"];
    // Up to 400 events of ~32 KiB: far more than the socket buffers and the queue of 20 hold.
    constexpr std::uint32_t total = 400;
    for (std::uint32_t m = 0; m < total; ++m) {
        raise(463400000 + m, 32 * 1024);
        m_stream->notify();
        if (m_stream->counters().too_slow > 0) {
            break;
        }
    }
    const std::int64_t last = m_writer.last_event_seq();
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (m_stream->counters().too_slow == 0 && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling a counter
    }
    ASSERT_EQ(m_stream->counters().too_slow, 1U);

    std::int64_t received = start_seq;
    while (const auto m = slow->next()) {
        EXPECT_EQ((*m)["seq"], received + 1);
        received = (*m)["seq"];
    }
    EXPECT_EQ(slow->close_reason().code, websocket::close_code::try_again_later);
    const auto& reason = slow->close_reason().reason;
    EXPECT_EQ(std::string(reason.data(), reason.size()),
              "too slow; reconnect with since=" + std::to_string(received));
    EXPECT_LT(received, last);

    auto resumed = connect("?since=" + std::to_string(received));
    ASSERT_TRUE(resumed->next()); // hello
    EXPECT_EQ(seqs(*resumed, static_cast<std::size_t>(last - received)), range(received + 1, last));
}

TEST_F(AlertStreamTest, polls_for_events_journaled_by_another_process) {
    app::AlertStreamConfig config;
    config.poll_interval = std::chrono::milliseconds(100);
    start(config);
    auto c = connect();
    ASSERT_TRUE(c->next());                  // hello
    const std::int64_t s = raise(463100001); // and no notify()
    EXPECT_EQ(seqs(*c, 1), std::vector<std::int64_t>{s});
}

TEST_F(AlertStreamTest, pings_an_idle_console) {
    app::AlertStreamConfig config;
    config.websocket.ping_interval = std::chrono::seconds(1);
    start(config);
    auto c = connect();
    ASSERT_TRUE(c->next()); // hello
    EXPECT_TRUE(c->wait_for_ping());
}

TEST_F(AlertStreamTest, stop_closes_every_stream_with_going_away_and_refuses_new_ones) {
    start();
    auto c = connect();
    ASSERT_TRUE(c->next()); // hello
    m_stream->stop();
    EXPECT_FALSE(c->next());
    EXPECT_EQ(c->close_reason().code, websocket::close_code::going_away);
    WsClient late(port(), "/api/alerts/stream", {{"Authorization", "Bearer admin-token"}});
    EXPECT_EQ(late.response().result_int(), 503U);
}

// ---- sahild end to end ------------------------------------------------------------------------

/// A free TCP port on loopback (bound, read, released).
std::uint16_t free_port() {
    asio::io_context ioc;
    tcp::acceptor a(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

TEST(DaemonAlertStream, pushes_the_makran_alerts_live_and_resumes_after_a_reconnect) {
    test::TempDir tmp;
    const auto src = test::source_dir();
    const auto feed = tmp.path() / "makran.nmea";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_simulate(src / "config/scenarios/makran.toml", feed, out, err),
              app::exit_ok);
    const std::uint16_t feed_port = free_port();
    const auto db_path = tmp.path() / "registry.db";
    const app::Config cfg = test::config_from(
        "[paths]\nregistry_db = \"" + db_path.string() + "\"\nharbours = \"" +
            (src / "config/geo/harbours.geojson").string() +
            "\"\nsea_zones = \"\"\nland = \"\"\nboundaries = \"\"\nexception_areas = \"\"\n"
            "[log]\nlevel = \"warn\"\n[http]\nport = 0\n[[feeds]]\nid = \"shore\"\n"
            "kind = \"tcp_listener\"\nhost = \"127.0.0.1\"\nport = " +
            std::to_string(feed_port) + "\n",
        tmp.path());
    ASSERT_EQ(app::cmd_registry_import(cfg, src / "config/scenarios/makran-registry.csv", out, err),
              app::exit_ok);
    const std::string clerk = test::make_api_token(db_path, "clerk1", "clerk", {"PK-HBR-05"});

    test::RunningDaemon running(cfg);
    const std::uint16_t port = running.http_port();
    ASSERT_NE(port, 0);
    const test::HeaderList admin{{"Authorization", "Bearer " + running.token()}};

    // Refused before any upgrade; a plain GET is told to upgrade.
    EXPECT_EQ(WsClient(port, "/api/alerts/stream").response().result_int(), 401U);
    EXPECT_EQ(WsClient(port, "/api/alerts/stream", {{"Authorization", "Bearer " + clerk}})
                  .response()
                  .result_int(),
              403U);
    EXPECT_EQ(test::http_call(port, "GET", "/api/alerts/stream", {}, admin).status, 426U);

    // A console watches from an empty journal; then the receiver sends the night's sentences.
    WsClient console(port, "/api/alerts/stream?since=0", admin);
    ASSERT_TRUE(console.open());
    const auto hello = console.next();
    ASSERT_TRUE(hello);
    EXPECT_EQ(*hello, json({{"type", "hello"}, {"last_seq", 0}}));
    {
        std::ifstream in(feed, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        asio::io_context ioc;
        tcp::socket s(ioc);
        s.connect({asio::ip::make_address("127.0.0.1"), feed_port});
        asio::write(s, asio::buffer(ss.str()));
    }
    // The departures of config/scenarios/makran.expected.jsonl (other rules may add more).
    const std::set<std::pair<std::uint32_t, std::string>> want = {
        {463103318, "licence_invalid_departure"},
        {463105127, "licence_invalid_departure"},
        {463108742, "unregistered_departure"},
        {463109906, "unregistered_departure"}};
    std::set<std::pair<std::uint32_t, std::string>> raised;
    std::vector<std::int64_t> got;
    while (!std::includes(raised.begin(), raised.end(), want.begin(), want.end())) {
        const auto m = console.next();
        ASSERT_TRUE(m) << "stream ended after " << got.size() << " events";
        got.push_back((*m)["seq"]);
        if ((*m)["event"]["kind"] == "raised") {
            raised.emplace((*m)["alert"]["mmsi"], (*m)["alert"]["rule"]);
        }
    }
    EXPECT_EQ(got, range(1, static_cast<std::int64_t>(got.size())));
    console.close();

    // A console resuming after the first two events gets the rest; then another process
    // journals an alert (nobody calls notify() for it: the 2 s poll, or the hub's next read
    // for a pipeline alert, finds it) and it arrives once, in order.
    WsClient resumed(port, "/api/alerts/stream?since=2", admin);
    ASSERT_TRUE(resumed.next()); // hello: the backlog was read, the stream is live
    const std::int64_t outside = [&] {
        registry::Database db(db_path.string());
        store::AlertStore s(db);
        return s.raise(hit(463199999)).event_seq;
    }();
    std::vector<std::int64_t> after;
    while (after.empty() || after.back() < outside) {
        const auto m = resumed.next();
        ASSERT_TRUE(m);
        after.push_back((*m)["seq"]);
    }
    EXPECT_EQ(after, range(3, outside));
}

} // namespace
} // namespace sahil

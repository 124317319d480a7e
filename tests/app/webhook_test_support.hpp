// Helpers for the webhook delivery tests: a scriptable HTTP receiver on loopback (Beast, its own
// io_context and thread) that records every request, and sahild run in-process on an existing
// registry.db (restartable, unlike RunningDaemon, which adds its administrator each time).
#pragma once

#include "server/net/asio.hpp"

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server/app/commands.hpp"
#include "server/app/daemon.hpp"
#include "tests/app/daemon_test_support.hpp"

namespace sahil::test {

/// One request as the receiver got it.
struct ReceivedRequest {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers; ///< names lower-cased
    std::string body;
    std::chrono::steady_clock::time_point at; ///< when it was read completely

    /// Header value by lower-case name, "" when absent.
    [[nodiscard]] std::string header(const std::string& lower_name) const {
        const auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
    [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// A webhook receiver on 127.0.0.1. Constructed stopped: its port is reserved but refuses
/// connections until start(). Answers 200 unless scripted otherwise (answer_next()).
class WebhookReceiver {
public:
    /// How to treat one request.
    enum class Answer { ok, server_error, hang };

    WebhookReceiver() {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
        m_port = probe.local_endpoint().port();
        // Closed again: connections are refused until start() listens on the same port.
    }
    ~WebhookReceiver() { stop(); }
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    [[nodiscard]] std::uint16_t port() const { return m_port; }
    /// "http://127.0.0.1:PORT" + path.
    [[nodiscard]] std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + path;
    }

    /// Scripts the next answers (then 200 again); `server_error` answers 500 with `body`.
    void answer_next(std::vector<Answer> answers, std::string body = "receiver failing") {
        const std::lock_guard lock(m_mutex);
        m_script.assign(answers.begin(), answers.end());
        m_error_body = std::move(body);
    }

    /// Listens on the reserved port.
    void start() {
        if (m_running) {
            return;
        }
        m_ioc = std::make_unique<boost::asio::io_context>();
        m_acceptor = std::make_unique<boost::asio::ip::tcp::acceptor>(*m_ioc);
        const boost::asio::ip::tcp::endpoint ep{boost::asio::ip::make_address("127.0.0.1"), m_port};
        m_acceptor->open(ep.protocol());
        m_acceptor->set_option(boost::asio::socket_base::reuse_address(true));
        m_acceptor->bind(ep);
        m_acceptor->listen();
        accept();
        m_running = true;
        m_thread = std::thread([this] { m_ioc->run(); });
    }

    /// Closes the listener and every connection (also hung ones); refuses connections again.
    void stop() {
        if (!m_running) {
            return;
        }
        boost::asio::post(*m_ioc, [this] {
            boost::system::error_code ignored;
            m_acceptor->close(ignored);
            for (auto& s : m_held) {
                s->close(ignored);
            }
            m_held.clear();
            m_ioc->stop();
        });
        m_thread.join();
        m_acceptor.reset();
        m_ioc.reset();
        m_running = false;
    }

    /// Every request so far, in arrival order.
    [[nodiscard]] std::vector<ReceivedRequest> requests() const {
        const std::lock_guard lock(m_mutex);
        return m_requests;
    }

    /// Waits until at least `n` requests arrived; false at the deadline.
    bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, timeout, [&] { return m_requests.size() >= n; });
    }

private:
    using Socket = boost::asio::ip::tcp::socket;

    struct Session {
        explicit Session(Socket s) : socket(std::move(s)) {}
        Socket socket;
        boost::beast::flat_buffer buffer;
        boost::beast::http::request<boost::beast::http::string_body> request;
        boost::beast::http::response<boost::beast::http::string_body> response;
    };

    void accept() {
        m_acceptor->async_accept([this](const boost::system::error_code& ec, Socket socket) {
            if (ec) {
                return; // closed by stop()
            }
            auto session = std::make_shared<Session>(std::move(socket));
            boost::beast::http::async_read(
                session->socket, session->buffer, session->request,
                [this, session](const boost::system::error_code& rec, std::size_t) {
                    if (!rec) {
                        on_request(session);
                    }
                });
            accept();
        });
    }

    void on_request(const std::shared_ptr<Session>& session) {
        ReceivedRequest r;
        r.method = std::string(session->request.method_string());
        r.target = std::string(session->request.target());
        for (const auto& f : session->request) {
            std::string name(f.name_string());
            for (auto& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            r.headers[name] = std::string(f.value());
        }
        r.body = session->request.body();
        r.at = std::chrono::steady_clock::now();
        Answer answer = Answer::ok;
        std::string error_body;
        {
            const std::lock_guard lock(m_mutex);
            if (!m_script.empty()) {
                answer = m_script.front();
                m_script.pop_front();
            }
            error_body = m_error_body;
            m_requests.push_back(std::move(r));
        }
        m_arrived.notify_all();
        if (answer == Answer::hang) {
            m_held.push_back(std::make_shared<Socket>(std::move(session->socket)));
            return;
        }
        namespace bhttp = boost::beast::http;
        auto& res = session->response;
        res.version(11);
        res.result(answer == Answer::ok ? bhttp::status::ok : bhttp::status::internal_server_error);
        res.set(bhttp::field::content_type, "text/plain");
        res.body() = answer == Answer::ok ? "ok" : error_body;
        res.keep_alive(false);
        res.prepare_payload();
        bhttp::async_write(session->socket, res,
                           [session](const boost::system::error_code&, std::size_t) {
                               boost::system::error_code ignored;
                               session->socket.shutdown(Socket::shutdown_both, ignored);
                               session->socket.close(ignored);
                           });
    }

    std::uint16_t m_port = 0;
    bool m_running = false;
    std::unique_ptr<boost::asio::io_context> m_ioc;
    std::unique_ptr<boost::asio::ip::tcp::acceptor> m_acceptor;
    std::thread m_thread;
    std::vector<std::shared_ptr<Socket>> m_held; // receiver thread only
    mutable std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::vector<ReceivedRequest> m_requests;
    std::deque<Answer> m_script;
    std::string m_error_body;
};

/// Polls `condition` every 10 ms until it holds or `timeout` passes (for state that has no event
/// to wait on, such as the outbox after a response was marked). Returns the last result.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

/// sahild in-process on its own thread with an existing API token (so that it can be started
/// again on the same registry.db); stopped as by SIGTERM and joined on scope exit.
class DaemonRun {
public:
    DaemonRun(const app::Config& cfg, std::string token) : m_token(std::move(token)) {
        m_options.stop = std::make_shared<std::function<void()>>();
        m_options.on_exit = [this](const nlohmann::ordered_json& s) { m_exit_stats = s; };
        std::promise<std::uint16_t> started;
        auto port = started.get_future();
        m_options.on_started = [&started](std::uint16_t p) { started.set_value(p); };
        m_thread = std::thread([this, cfg] { m_rc = app::run_daemon(cfg, m_options); });
        if (port.wait_for(std::chrono::seconds(30)) == std::future_status::ready) {
            m_http_port = port.get();
        }
    }
    ~DaemonRun() { stop(); }
    DaemonRun(const DaemonRun&) = delete;
    DaemonRun& operator=(const DaemonRun&) = delete;

    /// Stops and joins; returns the exit statistics (also "webhooks").
    const nlohmann::ordered_json& stop() {
        if (m_thread.joinable()) {
            if (*m_options.stop) {
                (*m_options.stop)();
            }
            m_thread.join();
            EXPECT_EQ(m_rc, app::exit_ok);
        }
        return m_exit_stats;
    }

    [[nodiscard]] std::uint16_t http_port() const { return m_http_port; }

    /// GET /api/stats as the administrator, parsed.
    [[nodiscard]] nlohmann::json stats() const {
        const HttpReply r = http_call(m_http_port, "GET", "/api/stats", {},
                                      {{"Authorization", "Bearer " + m_token}});
        EXPECT_EQ(r.status, 200U) << r.body;
        return r.json();
    }

private:
    std::string m_token;
    app::DaemonOptions m_options;
    std::thread m_thread;
    std::uint16_t m_http_port = 0;
    int m_rc = -1;
    nlohmann::ordered_json m_exit_stats;
};

} // namespace sahil::test

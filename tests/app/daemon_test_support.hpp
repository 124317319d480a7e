// Helpers for tests that run sahild in-process: the daemon on its own thread, an API token to
// call it with, and a small blocking HTTP/1.1 client for loopback.
#pragma once

#include "server/net/asio.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "registry/database.hpp"
#include "server/app/commands.hpp"
#include "server/app/daemon.hpp"
#include "server/app/engine.hpp"

namespace sahil::test {

/// One HTTP response as the client saw it.
struct HttpReply {
    unsigned status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; ///< as received

    /// The first header named `name` (ASCII case ignored), "" when absent.
    [[nodiscard]] std::string header(std::string_view name) const {
        for (const auto& [n, v] : headers) {
            if (boost::beast::iequals(n, boost::beast::string_view(name.data(), name.size()))) {
                return v;
            }
        }
        return {};
    }
    /// The body as JSON (a parse error fails the test).
    [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// Sends one request to http://127.0.0.1:port (Host "127.0.0.1:port") on a new connection and
/// reads the response.
inline HttpReply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                           const std::string& body = {}, const HeaderList& headers = {}) {
    namespace bhttp = boost::beast::http;
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [name, value] : headers) {
        req.insert(name, value);
    }
    if (!body.empty()) {
        req.body() = body;
        if (req.find(bhttp::field::content_type) == req.end()) {
            req.set(bhttp::field::content_type, "application/json");
        }
    }
    req.prepare_payload();
    bhttp::write(socket, req);
    boost::beast::flat_buffer buffer;
    bhttp::response<bhttp::string_body> res;
    bhttp::read(socket, buffer, res);
    HttpReply out;
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res) {
        out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    }
    return out;
}

/// Adds an account with an API token to the registry database at `db_path` (before the daemon
/// opens it) and returns the token. Fast Argon2id parameters: test accounts only.
inline std::string make_api_token(const std::filesystem::path& db_path, const std::string& username,
                                  const std::string& role,
                                  const std::vector<std::string>& harbours = {}) {
    app::ensure_parent_dir(db_path);
    registry::Database db(db_path.string());
    registry::AccountOptions o;
    o.password_params = registry::PasswordParams::fast_for_tests();
    registry::AccountStore store(db, o);
    const registry::Actor actor{"test-setup", "admin", "", "test", ""};
    const auto user =
        store.add_user(actor, {.username = username, .role = role, .harbours = harbours});
    if (!user.ok()) {
        throw std::runtime_error("make_api_token: " + user.errors.at(0).message);
    }
    const auto token = store.create_api_token(actor, user.value->user.id, "tests", std::nullopt);
    if (!token.ok()) {
        throw std::runtime_error("make_api_token: " + token.errors.at(0).message);
    }
    return token.value->token;
}

/// sahild running in-process on its own thread; stopped (as by SIGTERM) and joined on scope
/// exit. Before it starts, an administrator "test-admin" with an API token is added, so that
/// get() can read every monitoring route.
class RunningDaemon {
public:
    explicit RunningDaemon(const app::Config& cfg)
        : m_token(make_api_token(cfg.paths.registry_db, "test-admin", "admin")) {
        m_options.stop = std::make_shared<std::function<void()>>();
        std::promise<std::uint16_t> started;
        auto port = started.get_future();
        m_options.on_started = [&started](std::uint16_t p) { started.set_value(p); };
        m_thread = std::thread([this, cfg] { m_rc = app::run_daemon(cfg, m_options); });
        if (port.wait_for(std::chrono::seconds(30)) == std::future_status::ready) {
            m_http_port = port.get();
        }
    }
    ~RunningDaemon() {
        if (*m_options.stop) {
            (*m_options.stop)();
        }
        m_thread.join();
        EXPECT_EQ(m_rc, app::exit_ok);
    }
    RunningDaemon(const RunningDaemon&) = delete;
    RunningDaemon& operator=(const RunningDaemon&) = delete;

    /// The API's bound port; 0 when the daemon did not start within 30 s.
    [[nodiscard]] std::uint16_t http_port() const { return m_http_port; }
    /// The administrator's API token.
    [[nodiscard]] const std::string& token() const { return m_token; }

    /// GET `target` as the administrator (API token) -> (status, body).
    [[nodiscard]] std::pair<unsigned, std::string> get(const std::string& target) const {
        const HttpReply r =
            http_call(m_http_port, "GET", target, {}, {{"Authorization", "Bearer " + m_token}});
        return {r.status, r.body};
    }

private:
    std::string m_token;
    app::DaemonOptions m_options;
    std::thread m_thread;
    std::uint16_t m_http_port = 0;
    int m_rc = -1;
};

} // namespace sahil::test

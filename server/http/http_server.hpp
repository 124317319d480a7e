// Sahil's HTTP server: HTTP/1.1 with keep-alive on Boost.Beast 1.74. The Router decides what
// each method and path does and who may call it (router.hpp); the server fills Request with
// the headers, body and peer address.
//
// `HttpServer server(ioc, HttpConfig{.bind = "127.0.0.1", .port = 8617}, std::move(router));
//  server.start();   // throws std::system_error when the port is taken`
// Every response carries `Server: sahil`, `Cache-Control: no-store`,
// `X-Content-Type-Options: nosniff`, and for JSON `Content-Security-Policy: default-src 'none'`.
// Data path: browser/API client -> HttpServer -> HttpSession (one strand each) -> Router ->
// handlers (which post to the app's strands and respond later).
//
// Thread-safety: start/stop/port from any thread (start once). Lifetime: the io_context must
// outlive the server; sessions and the accept loop keep shared state alive until they finish.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "server/net/asio.hpp"

#include "server/http/router.hpp"

namespace sahil::http {

/// `[http]` settings.
struct HttpConfig {
    std::string bind = "127.0.0.1"; ///< listen address (IPv4 or IPv6 literal)
    std::uint16_t port = 8617;      ///< listen port; 0 = ephemeral (tests)
    /// Larger request bodies get 413. 6 MiB: a vessel photo (at most 5 MiB) or a registry CSV
    /// file fits; JSON forms are far smaller.
    std::size_t max_body_bytes = 6u << 20;
    std::chrono::seconds idle_timeout{30}; ///< a connection idle (or stalled) this long closes
};

namespace detail {
struct ServerContext;
class HttpListener;
} // namespace detail

/// Listens and runs one HttpSession per connection.
class HttpServer {
public:
    /// Does not open anything yet.
    HttpServer(boost::asio::io_context& ioc, HttpConfig config, Router router);
    /// Stops the server (see stop()).
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and listens synchronously, then accepts on the io_context.
    /// @throws std::system_error ("http: cannot listen on 127.0.0.1:8617: Address already in
    ///         use") when the address is invalid or the port taken; std::logic_error when
    ///         called twice.
    void start();
    /// Stops accepting and closes every open HTTP connection. Idempotent; does not wait.
    /// Connections taken over by an upgrade route (WebSocket, router.hpp add_upgrade) belong to
    /// their new owner, which closes them (e.g. app::AlertStream::stop()).
    void stop();
    /// The bound port (the ephemeral one when config port is 0); 0 before start().
    [[nodiscard]] std::uint16_t port() const noexcept { return m_port; }

private:
    boost::asio::io_context& m_ioc;
    std::shared_ptr<detail::ServerContext> m_context;
    std::shared_ptr<detail::HttpListener> m_listener;
    std::atomic<std::uint16_t> m_port{0};
};

} // namespace sahil::http

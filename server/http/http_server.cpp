#include "server/http/http_server.hpp"

#include <stdexcept>
#include <system_error>
#include <vector>

#include "server/http/http_session.hpp"

namespace sahil::http {

namespace detail {

/// The accept loop; shared so a pending accept outlives the HttpServer object safely.
class HttpListener : public std::enable_shared_from_this<HttpListener> {
public:
    HttpListener(boost::asio::io_context& ioc, std::shared_ptr<ServerContext> context)
        : m_ioc(ioc), m_strand(boost::asio::make_strand(ioc)), m_acceptor(m_strand),
          m_context(std::move(context)) {}

    /// Binds and listens; throws std::system_error. Returns the bound port.
    std::uint16_t listen(const std::string& bind, std::uint16_t port);
    /// Posts the first accept to the listener strand.
    void start_accepting() {
        boost::asio::post(m_strand, [self = shared_from_this()] { self->accept(); });
    }
    void accept();
    void stop();

private:
    using tcp = boost::asio::ip::tcp;
    void on_accept(const boost::system::error_code& ec, tcp::socket socket);

    boost::asio::io_context& m_ioc;
    boost::asio::strand<boost::asio::io_context::executor_type> m_strand;
    tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry_timer{m_strand};
    std::shared_ptr<ServerContext> m_context;
};

namespace {
[[noreturn]] void throw_listen_error(const boost::system::error_code& ec, const std::string& bind,
                                     std::uint16_t port) {
    throw std::system_error(std::error_code(ec),
                            "http: cannot listen on " + bind + ":" + std::to_string(port));
}
} // namespace

std::uint16_t HttpListener::listen(const std::string& bind, std::uint16_t port) {
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(bind, ec);
    if (ec) {
        throw_listen_error(ec, bind, port);
    }
    const tcp::endpoint endpoint(address, port);
    if (m_acceptor.open(endpoint.protocol(), ec) ||
        m_acceptor.set_option(tcp::acceptor::reuse_address(true), ec) ||
        m_acceptor.bind(endpoint, ec) ||
        m_acceptor.listen(boost::asio::socket_base::max_listen_connections, ec)) {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        throw_listen_error(ec, bind, port);
    }
    const auto local = m_acceptor.local_endpoint(ec);
    if (ec) {
        throw_listen_error(ec, bind, port);
    }
    return local.port();
}

void HttpListener::accept() {
    m_acceptor.async_accept(
        boost::asio::make_strand(m_ioc),
        [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
            try {
                self->on_accept(ec, std::move(socket));
            } catch (...) { // NOLINT(bugprone-empty-catch)
                // Out of memory creating a session: drop this connection,
                // keep listening.
                self->accept();
            }
        });
}

void HttpListener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !m_acceptor.is_open()) {
        return;
    }
    if (ec) {
        // e.g. EMFILE: pause so a persistent error does not spin, then accept again.
        m_retry_timer.expires_after(std::chrono::milliseconds(200));
        m_retry_timer.async_wait([self = shared_from_this()](const boost::system::error_code& w) {
            if (!w) {
                self->accept();
            }
        });
        return;
    }
    std::shared_ptr<HttpSession> session;
    {
        const std::lock_guard lock(m_context->mutex);
        if (!m_context->stopped) {
            const std::uint64_t id = m_context->next_id++;
            session = std::make_shared<HttpSession>(std::move(socket), m_context, id);
            m_context->sessions.emplace(id, session);
        }
    }
    if (session) {
        session->start();
    }
    accept();
}

void HttpListener::stop() {
    boost::asio::post(m_strand, [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->m_acceptor.close(ignored);
        self->m_retry_timer.cancel(ignored);
    });
}

} // namespace detail

HttpServer::HttpServer(boost::asio::io_context& ioc, HttpConfig config, Router router)
    : m_ioc(ioc),
      m_context(std::make_shared<detail::ServerContext>(std::move(config), std::move(router))) {}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    if (m_listener) {
        throw std::logic_error("HttpServer::start called twice");
    }
    auto listener = std::make_shared<detail::HttpListener>(m_ioc, m_context);
    m_port = listener->listen(m_context->config.bind, m_context->config.port);
    m_listener = std::move(listener);
    m_listener->start_accepting();
}

void HttpServer::stop() {
    std::vector<std::shared_ptr<detail::HttpSession>> sessions;
    {
        const std::lock_guard lock(m_context->mutex);
        if (m_context->stopped) {
            return;
        }
        m_context->stopped = true;
        for (const auto& [id, weak] : m_context->sessions) {
            if (auto s = weak.lock()) {
                sessions.push_back(std::move(s));
            }
        }
    }
    if (m_listener) {
        m_listener->stop();
    }
    for (const auto& s : sessions) {
        s->stop();
    }
}

} // namespace sahil::http

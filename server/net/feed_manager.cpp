#include "server/net/feed_manager.hpp"

#include <set>
#include <stdexcept>

#include "server/net/feed_base.hpp"
#include "server/net/file_replay_feed.hpp"
#include "server/net/tcp_client_feed.hpp"
#include "server/net/tcp_listener_feed.hpp"
#include "server/net/udp_feed.hpp"

namespace sahil::net {

namespace {

void check_config(const FeedConfig& f) {
    const std::string where = "feed \"" + f.id + "\": ";
    if (f.id.empty()) {
        throw std::invalid_argument("feed id must not be empty");
    }
    if (f.kind == FeedKind::tcp_client && (f.host.empty() || f.port == 0)) {
        throw std::invalid_argument(where + "tcp_client needs host and port 1..65535");
    }
    if (f.kind == FeedKind::file && f.path.empty()) {
        throw std::invalid_argument(where + "file feed needs a path");
    }
    if (!(f.speed >= 0)) {
        throw std::invalid_argument(where + "speed must be >= 0");
    }
    if (f.reconnect_min.count() <= 0 || f.reconnect_max < f.reconnect_min) {
        throw std::invalid_argument(where + "need 0 < reconnect_min <= reconnect_max");
    }
    if (f.max_line_bytes == 0 || f.max_connections == 0) {
        throw std::invalid_argument(where + "max_line_bytes and max_connections must be > 0");
    }
}

std::shared_ptr<detail::FeedBase> make_feed(boost::asio::io_context& ioc, FeedConfig config,
                                            std::shared_ptr<const detail::FeedCallbacks> cb) {
    switch (config.kind) {
    case FeedKind::tcp_client:
        return std::make_shared<detail::TcpClientFeed>(ioc, std::move(config), std::move(cb));
    case FeedKind::tcp_listener:
        return std::make_shared<detail::TcpListenerFeed>(ioc, std::move(config), std::move(cb));
    case FeedKind::udp:
        return std::make_shared<detail::UdpFeed>(ioc, std::move(config), std::move(cb));
    case FeedKind::file:
        return std::make_shared<detail::FileReplayFeed>(ioc, std::move(config), std::move(cb));
    }
    throw std::invalid_argument("feed \"" + config.id + "\": unknown kind");
}

} // namespace

FeedManager::FeedManager(boost::asio::io_context& ioc, std::vector<FeedConfig> feeds,
                         MessageHandler handler, FeedLogHandler log)
    : m_callbacks(std::make_shared<detail::FeedCallbacks>()) {
    m_callbacks->on_message = std::move(handler);
    m_callbacks->log = std::move(log);
    std::set<std::string> ids;
    for (const auto& f : feeds) {
        check_config(f);
        if (!ids.insert(f.id).second) {
            throw std::invalid_argument("duplicate feed id \"" + f.id + "\"");
        }
    }
    m_feeds.reserve(feeds.size());
    for (auto& f : feeds) {
        m_feeds.push_back(make_feed(ioc, std::move(f), m_callbacks));
    }
}

FeedManager::~FeedManager() {
    stop();
}

void FeedManager::start() {
    if (m_started) {
        return;
    }
    m_started = true;
    // The feeds hold the callbacks through a shared pointer; no handler runs before start(), so
    // this write is not racy.
    m_callbacks->on_file_finished = on_file_finished;
    for (const auto& f : m_feeds) {
        f->start();
    }
}

void FeedManager::stop() {
    for (const auto& f : m_feeds) {
        f->stop();
    }
}

std::vector<FeedStatus> FeedManager::status() const {
    std::vector<FeedStatus> out;
    out.reserve(m_feeds.size());
    for (const auto& f : m_feeds) {
        out.push_back(f->status());
    }
    return out;
}

std::uint16_t FeedManager::bound_port(const std::string& feed_id) const {
    for (const auto& f : m_feeds) {
        if (f->config().id == feed_id) {
            return f->status().bound_port;
        }
    }
    return 0;
}

} // namespace sahil::net

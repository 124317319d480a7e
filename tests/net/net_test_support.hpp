// Helpers for the sahil_net tests: an io_context on background threads, a thread-safe
// collector of feed output that tests wait on with a deadline, and test-data paths.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/net/asio.hpp"

#include "ais/stream_decoder.hpp"
#include "server/net/feed.hpp"

namespace sahil::test {

/// Default deadline for waiting on an event that should take milliseconds.
inline constexpr std::chrono::milliseconds deadline{10'000};

/// tests/data/<relative>.
inline std::filesystem::path data_path(const std::string& relative) {
    return std::filesystem::path(SAHIL_SOURCE_DIR) / "tests" / "data" / relative;
}

/// First `n` lines of a file, each with "\r\n".
inline std::string first_lines(const std::filesystem::path& p, std::size_t n) {
    std::ifstream in(p, std::ios::binary);
    std::string line;
    std::string out;
    for (std::size_t i = 0; i < n && std::getline(in, line); ++i) {
        out += line + "\r\n";
    }
    return out;
}

/// Runs an io_context on `threads` threads until destroyed.
class IoThreads {
public:
    explicit IoThreads(unsigned threads = 2) : m_guard(boost::asio::make_work_guard(ioc)) {
        for (unsigned i = 0; i < threads; ++i) {
            m_threads.emplace_back([this] { ioc.run(); });
        }
    }
    ~IoThreads() {
        m_guard.reset();
        ioc.stop();
        for (auto& t : m_threads) {
            t.join();
        }
    }
    IoThreads(const IoThreads&) = delete;
    IoThreads& operator=(const IoThreads&) = delete;

    boost::asio::io_context ioc;

private:
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
    std::vector<std::thread> m_threads;
};

/// Collects what feeds report; tests wait for a condition with a deadline.
class Collector {
public:
    /// A MessageHandler that records into this collector.
    net::MessageHandler handler() {
        return [this](ais::DecodedMessage&& m, const std::string& feed) {
            const std::lock_guard lock(m_mutex);
            mmsis.push_back(ais::message_mmsi(m.message));
            feeds.push_back(feed);
            messages.push_back(std::move(m));
            m_cv.notify_all();
        };
    }
    /// A log callback that records "feed: event".
    net::FeedLogHandler logger() {
        return [this](const std::string& feed, const std::string& event) {
            const std::lock_guard lock(m_mutex);
            events.push_back(feed + ": " + event);
            m_cv.notify_all();
        };
    }
    /// Records a finished file feed.
    std::function<void(const std::string&)> finished_handler() {
        return [this](const std::string& feed) {
            const std::lock_guard lock(m_mutex);
            finished.insert(feed);
            m_cv.notify_all();
        };
    }
    /// Waits until `pred()` (called under the lock) holds or the deadline passes. State that is
    /// not reported through this collector (FeedStatus) is re-checked every few milliseconds.
    template <class Pred> bool wait(Pred pred, std::chrono::milliseconds timeout = deadline) {
        std::unique_lock lock(m_mutex);
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (!pred()) {
            if (std::chrono::steady_clock::now() >= until) {
                return false;
            }
            m_cv.wait_for(lock, std::chrono::milliseconds(5));
        }
        return true;
    }
    std::size_t count() {
        const std::lock_guard lock(m_mutex);
        return messages.size();
    }

    // Read under wait() or after the producers are done.
    std::vector<ais::DecodedMessage> messages;
    std::vector<std::uint32_t> mmsis;
    std::vector<std::string> feeds;
    std::vector<std::string> events;
    std::set<std::string> finished;

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
};

/// What a fresh StreamDecoder makes of `bytes` in one piece: the reference a feed must match
/// however the bytes are cut into reads.
struct Reference {
    std::vector<std::uint32_t> mmsis;
    ais::FeedCounters counters;
};

inline Reference reference_decode(const std::string& bytes) {
    struct Sink : ais::MessageSink {
        std::vector<std::uint32_t> mmsis;
        void on_message(const ais::DecodedMessage& m) override {
            mmsis.push_back(ais::message_mmsi(m.message));
        }
    } sink;
    ais::StreamDecoder decoder(sink);
    decoder.feed(bytes, UtcTime{});
    decoder.finish(UtcTime{});
    return {sink.mmsis, decoder.counters()};
}

} // namespace sahil::test

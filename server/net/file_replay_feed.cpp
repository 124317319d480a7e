#include "server/net/file_replay_feed.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace sahil::net::detail {

namespace {
constexpr std::size_t chunk_bytes = 64 * 1024;
/// Paced mode: messages delivered per step before yielding to the io_context.
constexpr std::size_t max_batch = 1024;
/// A forward jump in fix time beyond this is a discontinuity, not a wait.
constexpr std::chrono::hours max_paced_gap{1};
} // namespace

FileReplayFeed::FileReplayFeed(boost::asio::io_context& ioc, FeedConfig config,
                               std::shared_ptr<const FeedCallbacks> callbacks)
    : FeedBase(ioc, std::move(config), std::move(callbacks)), m_timer(m_strand),
      m_sink(this->callbacks(), m_config.id), m_source(next_source_id()), m_buffer(chunk_bytes) {}

std::shared_ptr<FileReplayFeed> FileReplayFeed::self() {
    return std::static_pointer_cast<FileReplayFeed>(shared_from_this());
}

void FileReplayFeed::start() {
    set_state("replaying");
    boost::asio::post(m_strand, [self = self()] { self->guarded("open", [&] { self->open(); }); });
}

void FileReplayFeed::post_pump() {
    boost::asio::post(m_strand, [self = self()] {
        self->guarded("replay", [&] {
            try {
                self->pump();
            } catch (...) {
                // Keep the contract: the feed ends (failed) instead of stalling silently.
                self->end(true, "replay of " + self->m_config.path.string() +
                                    " stopped by an unexpected error");
                throw;
            }
        });
    });
}

void FileReplayFeed::open() {
    if (stopped()) {
        return;
    }
    const std::string path = m_config.path.string();
    std::error_code ec;
    const auto st = std::filesystem::status(m_config.path, ec);
    if (ec || !std::filesystem::exists(st)) {
        const std::string why = ec ? ec.message() : "No such file or directory";
        end(true, "cannot open replay file " + path + ": " + why);
        return;
    }
    if (std::filesystem::is_directory(st)) {
        end(true, "cannot open replay file " + path + ": is a directory");
        return;
    }
    m_file.open(m_config.path, std::ios::binary);
    if (!m_file) {
        end(true, "cannot open replay file " + path + ": " + std::strerror(errno));
        return;
    }
    ais::StreamDecoder::Config c = decoder_config();
    c.hold_until_time_marker = true;
    m_decoder.emplace(m_queue, c);
    log("replaying " + path +
        (m_config.speed > 0 ? " at " + std::to_string(m_config.speed) + "x"
                            : std::string(" as fast as possible")));
    post_pump();
}

void FileReplayFeed::pump() {
    if (stopped() || m_ended) {
        return;
    }
    auto& q = m_queue.queue;
    if (m_config.speed <= 0) {
        while (!q.empty()) {
            m_sink.deliver(std::move(q.front()));
            q.pop_front();
        }
    } else {
        for (std::size_t n = 0; !q.empty(); ++n) {
            const Clock::time_point due = due_time(q.front().fix_time);
            if (due > Clock::now()) {
                m_timer.expires_at(due);
                m_timer.async_wait([self = self()](const boost::system::error_code& ec) {
                    if (!ec) {
                        self->post_pump();
                    }
                });
                return;
            }
            if (n == max_batch) {
                post_pump();
                return;
            }
            m_last_fix = std::max(m_last_fix, q.front().fix_time);
            m_sink.deliver(std::move(q.front()));
            q.pop_front();
        }
    }
    if (m_at_end) {
        end(false, {});
        return;
    }
    read_chunk();
    post_pump();
}

void FileReplayFeed::read_chunk() {
    m_file.read(m_buffer.data(), static_cast<std::streamsize>(m_buffer.size()));
    const auto n = static_cast<std::size_t>(m_file.gcount());
    if (n > 0) {
        // Before the first time marker the decoder holds messages; this clock is used only for
        // a log that has no time at all.
        m_decoder->feed(std::string_view(m_buffer.data(), n), wall_clock_now());
    }
    if (m_file.bad()) {
        publish_counters(m_source, m_decoder->counters());
        end(true, "read error in replay file " + m_config.path.string());
        return;
    }
    if (m_file.eof()) {
        m_decoder->finish(wall_clock_now());
        m_at_end = true;
    }
    publish_counters(m_source, m_decoder->counters());
}

FileReplayFeed::Clock::time_point FileReplayFeed::due_time(UtcTime fix_time) {
    if (!m_anchor_steady || fix_time > m_last_fix + max_paced_gap) {
        m_anchor_steady = Clock::now();
        m_anchor_fix = fix_time;
        m_last_fix = fix_time;
    }
    const auto log_delta = fix_time - m_anchor_fix;
    if (log_delta.count() <= 0) {
        return *m_anchor_steady;
    }
    const std::chrono::duration<double, std::milli> scaled =
        std::chrono::duration<double, std::milli>(log_delta) / m_config.speed;
    return *m_anchor_steady + std::chrono::duration_cast<Clock::duration>(scaled);
}

void FileReplayFeed::end(bool failed, const std::string& error) {
    if (m_ended) {
        return;
    }
    m_ended = true;
    m_file.close();
    m_queue.queue.clear();
    if (m_decoder) {
        retire_counters(m_source, m_decoder->counters());
        m_decoder.reset();
    }
    if (failed) {
        set_state("failed");
        set_error(error);
    } else {
        const FeedStatus s = status();
        set_state("finished");
        log("replay finished: " + std::to_string(s.counters.lines) + " lines, " +
            std::to_string(s.counters.messages) + " messages, " +
            std::to_string(s.counters.error_total()) + " rejected");
    }
    const auto& cb = callbacks()->on_file_finished;
    if (cb) {
        try {
            cb(m_config.id);
        } catch (const std::exception& e) {
            log(std::string("on_file_finished threw: ") + e.what());
        } catch (...) {
            log("on_file_finished threw");
        }
    }
}

void FileReplayFeed::do_stop() {
    boost::system::error_code ignored;
    m_timer.cancel(ignored);
    if (!m_ended) {
        m_ended = true;
        m_file.close();
        m_queue.queue.clear();
        if (m_decoder) {
            retire_counters(m_source, m_decoder->counters());
            m_decoder.reset();
        }
    }
}

} // namespace sahil::net::detail

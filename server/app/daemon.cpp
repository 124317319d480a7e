#include "server/app/daemon.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "server/net/asio.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "geo/geo_error.hpp"
#include "registry/registry_error.hpp"
#include "server/app/alert_stream.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "server/app/commands.hpp"
#include "server/app/engine.hpp"
#include "server/app/log.hpp"
#include "server/app/tracks_api.hpp"
#include "server/app/webhook_delivery.hpp"
#include "server/http/http_server.hpp"
#include "server/net/feed.hpp"
#include "server/net/feed_manager.hpp"

namespace sahil::app {
namespace {

namespace asio = boost::asio;
using nlohmann::ordered_json;

/// Messages handed from feeds to the tracking strand and not yet processed; also the failed
/// zone reloads (daemon-level counters shown in /api/stats).
struct QueueCounters {
    std::atomic<std::size_t> in_flight{0};
    std::atomic<std::uint64_t> overflow{0};
    std::size_t max = 0;
    std::atomic<std::uint64_t> zone_reload_errors{0}; ///< failed SIGHUP reloads (old zones kept)
};

/// Logs each new alert (one line, key=value) besides the JSON line on stdout.
class LogAlertSink : public tracking::AlertSink {
public:
    void on_alert(const alerts::Alert& a, bool created) override {
        if (!created) {
            return;
        }
        // Log level follows the alert: info notices at info, warnings at warn, critical at error.
        const auto time = alerts::iso8601(a.fix_time);
        const auto severity = alerts::to_string(a.severity);
        switch (a.severity) {
        case alerts::Severity::info:
            log::info("alert", "id={} rule={} severity={} mmsi={} zone={} time={}", a.id, a.rule,
                      severity, a.mmsi, a.zone_id, time);
            break;
        case alerts::Severity::warning:
            log::warn("alert", "id={} rule={} severity={} mmsi={} zone={} time={}", a.id, a.rule,
                      severity, a.mmsi, a.zone_id, time);
            break;
        default:
            log::error("alert", "id={} rule={} severity={} mmsi={} zone={} time={}", a.id, a.rule,
                       severity, a.mmsi, a.zone_id, time);
            break;
        }
    }
};

/// Appends alerts as JSON lines to a file ([log] alerts_jsonl).
class FileAlertSink : public tracking::AlertSink {
public:
    explicit FileAlertSink(const std::filesystem::path& p) : m_out(p, std::ios::app) {
        if (!m_out) {
            throw std::runtime_error("cannot open " + p.string() + " for appending alerts");
        }
    }
    void on_alert(const alerts::Alert& a, bool created) override {
        if (created) {
            m_out << alerts::to_json(a).dump() << '\n';
            m_out.flush();
        }
    }

private:
    std::ofstream m_out;
};

ordered_json vessel_json(const tracking::VesselState& v) {
    ordered_json j;
    j["mmsi"] = v.mmsi;
    j["name"] = v.static_data.name;
    j["call_sign"] = v.static_data.call_sign;
    j["ship_type"] = v.static_data.ship_type;
    if (v.registry_match) {
        const auto& b = *v.registry_match;
        j["registry"] = {{"boat_id", b.id},
                         {"registration_number", b.registration_number},
                         {"name", b.name},
                         {"home_harbour", b.home_harbour},
                         {"status", std::string(registry::to_string(b.status))}};
    } else {
        j["registry"] = nullptr;
    }
    if (v.last_fix) {
        const auto& f = *v.last_fix;
        if (v.registry_match) {
            j["registry"]["licence_state"] =
                std::string(registry::to_string(registry::licence_state(
                    *v.registry_match, std::chrono::floor<std::chrono::days>(f.time))));
        }
        j["last_fix"] = {
            {"time", alerts::iso8601(f.time)},
            {"lat", f.position.lat_deg},
            {"lon", f.position.lon_deg},
            {"sog_knots", f.sog_knots ? ordered_json(*f.sog_knots) : ordered_json()},
            {"cog_deg", f.cog_deg ? ordered_json(*f.cog_deg) : ordered_json()},
            {"heading_deg", f.heading_deg ? ordered_json(*f.heading_deg) : ordered_json()},
            {"feed", f.feed}};
    } else {
        j["last_fix"] = nullptr;
    }
    j["zone_id"] = v.zone_id ? ordered_json(*v.zone_id) : ordered_json();
    j["fixes"] = v.fixes;
    return j;
}

/// Per-station coverage: messages heard, delivered first, and repeats of another station's.
ordered_json stations_json(const ais::StationDeduplicator& d) {
    ordered_json out = ordered_json::object();
    for (const auto& [name, c] : d.stations()) {
        out[name] = {{"heard", c.heard},
                     {"first", c.first},
                     {"duplicates", c.duplicates},
                     {"last_heard", alerts::iso8601(c.last_heard)}};
    }
    return out;
}

ordered_json tracking_json(const tracking::TrackingCounters& t, std::size_t vessels) {
    return {{"vessels", vessels},
            {"messages", t.messages},
            {"duplicates", t.duplicates},
            {"fixes", t.fixes},
            {"no_position", t.no_position},
            {"null_island", t.null_island},
            {"bad_mmsi", t.bad_mmsi},
            {"stale_fixes", t.stale_fixes},
            {"static_reports", t.static_reports},
            {"table_full", t.table_full},
            {"departures", t.departures},
            {"alerts", t.alerts},
            {"alerts_existing", t.alerts_existing},
            {"alerts_updated", t.alerts_updated},
            {"alerts_suppressed", t.alerts_suppressed},
            {"implausible_fixes", t.implausible_fixes},
            {"rule_errors", t.rule_errors}};
}

/// Counters of the track history store (null = disabled): queue, writes, refusals.
ordered_json track_store_json(const store::TrackStore* tracks) {
    if (tracks == nullptr) {
        return {{"enabled", false}};
    }
    const auto c = tracks->counters();
    return {{"enabled", true},
            {"appended", c.appended},
            {"written", c.written},
            {"queued", c.queued},
            {"open_fixes", c.open_fixes},
            {"queue_full", c.queue_full},
            {"invalid", c.invalid},
            {"stale", c.stale},
            {"write_errors", c.write_errors},
            {"flushes", c.flushes},
            {"segments", c.segments},
            {"checkpoints", c.checkpoints},
            {"statics", c.statics},
            {"downsampled", c.downsampled},
            {"expired", c.expired}};
}

/// Read side of the alert store: its own read-only connection, serialised by a mutex (API
/// handlers run on any io thread).
class AlertReader {
public:
    explicit AlertReader(const std::filesystem::path& db)
        : m_db(db.string(), registry::OpenMode::read_only), m_store(m_db) {}
    std::vector<alerts::Alert> list(const store::AlertQuery& q) {
        const std::lock_guard lock(m_mutex);
        return m_store.list(q);
    }

private:
    std::mutex m_mutex;
    registry::Database m_db;
    store::AlertStore m_store;
};

/// The monitoring routes' view of the running daemon (api_routes.hpp).
class DaemonMonitoring : public MonitoringSource {
public:
    DaemonMonitoring(asio::strand<asio::io_context::executor_type>& tracking, Engine& engine,
                     AlertReader& alerts, net::FeedManager& feeds, const QueueCounters& queue,
                     std::chrono::steady_clock::time_point started)
        : m_tracking(tracking), m_engine(engine), m_alerts(alerts), m_feeds(feeds), m_queue(queue),
          m_started(started) {}

    /// Set once the router exists: its denial counters, shown in /api/stats.
    std::function<http::DenialCounts()> denials;
    /// Set once the webhook worker exists: its counters per agency, shown in /api/stats.
    std::function<ordered_json()> webhooks;

    std::int64_t uptime_s() const override {
        return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                m_started)
            .count();
    }

    std::vector<alerts::Alert> alerts(const store::AlertQuery& q) override {
        return m_alerts.list(q);
    }

    void vessels(std::function<void(ordered_json)> done) override {
        asio::post(m_tracking, [this, done = std::move(done)] {
            ordered_json arr = ordered_json::array();
            for (const auto& [mmsi, v] : m_engine.pipeline().vessels()) {
                arr.push_back(vessel_json(v));
            }
            done({{"vessels", arr}, {"count", arr.size()}});
        });
    }

    ordered_json feeds() override {
        ordered_json arr = ordered_json::array();
        for (const auto& s : m_feeds.status()) {
            arr.push_back(ordered_json(net::to_json(s)));
        }
        return {{"feeds", arr}};
    }

    void stats(std::function<void(ordered_json)> done) override {
        asio::post(m_tracking, [this, done = std::move(done)] {
            ais::FeedCounters total;
            for (const auto& s : m_feeds.status()) {
                total += s.counters;
            }
            ordered_json errors = ordered_json::object();
            for (std::size_t i = 1; i < ais::errc_count; ++i) {
                if (total.errors[i] != 0) {
                    errors[std::string(ais::to_string(static_cast<ais::errc>(i)))] =
                        total.errors[i];
                }
            }
            const http::DenialCounts d = denials ? denials() : http::DenialCounts{};
            done({{"ingest",
                   {{"lines", total.lines}, {"messages", total.messages}, {"errors", errors}}},
                  {"queue",
                   {{"in_flight", m_queue.in_flight.load()},
                    {"max", m_queue.max},
                    {"overflow", m_queue.overflow.load()}}},
                  {"tracking", tracking_json(m_engine.pipeline().counters(),
                                             m_engine.pipeline().vessels().size())},
                  {"stations", stations_json(m_engine.pipeline().stations())},
                  {"track_store", track_store_json(m_engine.tracks())},
                  {"harbour_zones", m_engine.harbours().size()},
                  {"zone_reload_errors", m_queue.zone_reload_errors.load()},
                  {"http_denied",
                   {{"unauthenticated", d.unauthenticated},
                    {"forbidden", d.forbidden},
                    {"csrf_failed", d.csrf_failed},
                    {"password_change_required", d.password_change_required}}},
                  {"webhooks", webhooks ? webhooks() : ordered_json::object()}});
        });
    }

private:
    asio::strand<asio::io_context::executor_type>& m_tracking;
    Engine& m_engine;
    AlertReader& m_alerts;
    net::FeedManager& m_feeds;
    const QueueCounters& m_queue;
    std::chrono::steady_clock::time_point m_started;
};

/// Ids of the harbour zones (for validating clerks' harbours).
std::vector<std::string> harbour_ids(const geo::ZoneIndex& zones) {
    std::vector<std::string> ids;
    for (const auto& z : zones.zones()) {
        ids.push_back(z.id);
    }
    return ids;
}

} // namespace

int run_daemon(const Config& config, const DaemonOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    asio::io_context ioc;
    auto tracking = asio::make_strand(ioc);
    asio::steady_timer report_timer(ioc); // periodic bad-input totals (see below)

    std::unique_ptr<Engine> engine;
    std::unique_ptr<AlertReader> reader;
    std::unique_ptr<WebhookDelivery> webhooks;
    std::unique_ptr<ApiContext> api;
    std::unique_ptr<AlertStream> stream; // WebSocket /api/alerts/stream (alert_stream.hpp)
    try {
        engine = std::make_unique<Engine>(config);
        reader = std::make_unique<AlertReader>(config.paths.registry_db);
        webhooks = std::make_unique<WebhookDelivery>(ioc, config.paths.registry_db, config.agencies,
                                                     config.webhooks);
        api = std::make_unique<ApiContext>(config, harbour_ids(engine->harbours()));
        // The track routes read the engine's store (thread-safe) and their own zone snapshot.
        api->tracks = engine->tracks();
        api->set_track_zones(TrackZones::load(config.paths));
        stream = std::make_unique<AlertStream>(
            ioc, AlertStreamConfig{.registry_db = config.paths.registry_db});
    } catch (const registry::RegistryError& e) {
        log::error("main", "registry: {}", e.what());
        return exit_resource;
    } catch (const geo::GeoError& e) {
        log::error("main", "zones: {}", e.what());
        return exit_resource;
    } catch (const registry::CryptoError& e) {
        log::error("main", "personal-data key: {}", e.what());
        return exit_resource;
    }
    // Track-history requests (store scans, exports) run on two threads of their own, never on
    // the io threads that also carry the tracking strand (tracks_api.hpp). Declared after
    // `engine` and `api`, so it is joined before they go.
    asio::thread_pool track_jobs(2);
    api->run_track_job = [&track_jobs](std::function<void()> job) {
        asio::post(track_jobs, std::move(job));
    };
    if (!api->pii_note.empty()) {
        log::warn("registry", "{}", api->pii_note);
    }
    if (api->pii == nullptr) {
        log::warn("registry", "no [registry] pii_key_file: owners' CNIC and phone numbers cannot "
                              "be stored");
    }
    log::info("main", "harbours={} zones from {} registry={}", engine->harbours().size(),
              config.paths.harbours.string(), config.paths.registry_db.string());

    JsonLinesAlertSink stdout_sink(std::cout);
    LogAlertSink log_sink;
    engine->pipeline().add_sink(stdout_sink);
    engine->pipeline().add_sink(log_sink);
    engine->pipeline().add_sink(*webhooks); // wakes the webhook worker for each new alert
    AlertStreamSink stream_sink(*stream);   // pushes each stored alert to the live stream
    engine->pipeline().add_sink(stream_sink);
    api->on_alerts_changed = [&s = *stream] { s.notify(); }; // after each AlertStore::act
    std::unique_ptr<FileAlertSink> file_sink;
    if (!config.log.alerts_jsonl.empty()) {
        try {
            ensure_parent_dir(config.log.alerts_jsonl);
            file_sink = std::make_unique<FileAlertSink>(config.log.alerts_jsonl);
            engine->pipeline().add_sink(*file_sink);
        } catch (const std::exception& e) {
            log::error("main", "{}", e.what());
            return exit_resource;
        }
    }
    engine->pipeline().on_error = [](const std::string& e) { log::error("tracking", "{}", e); };

    Engine& eng = *engine;
    std::vector<net::FeedConfig> feed_configs = config.feeds;
    for (auto& f : feed_configs) {
        f.fragment_timeout =
            std::chrono::milliseconds(static_cast<long>(config.ais.fragment_timeout_s * 1000));
    }
    // Bounded hand-over from the feed strands to the tracking strand.
    QueueCounters queue;
    queue.max = config.tracking_max_queue;
    net::FeedManager feeds(
        ioc, feed_configs,
        [&tracking, &eng, &queue](ais::DecodedMessage&& m, const std::string& feed_id) {
            if (queue.in_flight.load(std::memory_order_relaxed) >= queue.max) {
                queue.overflow.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            queue.in_flight.fetch_add(1, std::memory_order_relaxed);
            asio::post(tracking, [&eng, &queue, m = std::move(m), feed_id] {
                queue.in_flight.fetch_sub(1, std::memory_order_relaxed);
                eng.pipeline().on_message(m, feed_id);
            });
        },
        [](const std::string& id, const std::string& event) {
            log::info("feed", "id={} {}", id, event);
        });

    std::size_t files = 0;
    for (const auto& f : config.feeds) {
        files += f.kind == net::FeedKind::file ? 1 : 0;
    }
    auto shutdown = std::make_shared<std::function<void()>>();
    std::atomic<std::size_t> files_done{0};
    feeds.on_file_finished = [&, shutdown](const std::string& id) {
        // Post through the tracking strand so every message of the file is processed first.
        asio::post(tracking, [&, shutdown, id] {
            const auto& t = eng.pipeline().counters();
            log::info("feed",
                      "id={} replay finished: fixes={} departures={} alerts: {} new, {} repeats "
                      "merged into open alerts, {} rule hits matching alerts stored by an earlier "
                      "run (all: GET /api/alerts or `sahil alerts`)",
                      id, t.fixes, t.departures, t.alerts, t.alerts_updated, t.alerts_existing);
            if (options.once && ++files_done == files) {
                (*shutdown)();
            }
        });
    };

    DaemonMonitoring monitoring(tracking, eng, *reader, feeds, queue, started);
    http::Router router = make_api_router(*api, monitoring, stream.get());
    monitoring.denials = [counters = router] { return counters.denials(); };
    monitoring.webhooks = [&w = *webhooks]() -> ordered_json {
        try {
            return w.stats();
        } catch (const std::exception& e) {
            return {{"error", e.what()}};
        }
    };
    std::unique_ptr<http::HttpServer> server;
    if (config.http_enabled) {
        server = std::make_unique<http::HttpServer>(ioc, config.http, std::move(router));
        try {
            server->start();
        } catch (const std::exception& e) {
            log::error("http", "{}", e.what()); // says "cannot listen on ADDRESS:PORT: reason"
            return exit_resource;
        }
        log::info("http", "listening on http://{}:{}/api/alerts", config.http.bind, server->port());
        stream->start(); // also polls the journal every 2 s (entries from other processes)
    }

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    asio::signal_set hangup(ioc, SIGHUP); // zone reload, see below
    *shutdown = [&] {
        log::info("main", "shutting down");
        signals.cancel();
        hangup.cancel();
        report_timer.cancel();
        feeds.stop();
        webhooks->stop(); // a request in flight stays pending (redelivered after a restart)
        stream->stop();   // WebSocket streams are not HTTP sessions: server->stop() misses them
        if (server) {
            server->stop();
        }
        ioc.stop();
    };
    signals.async_wait([shutdown](const boost::system::error_code& ec, int sig) {
        if (!ec) {
            log::info("main", "signal {} received", sig);
            (*shutdown)();
        }
    });

    // SIGHUP: reload the harbour geofences (DESIGN.md: zones are data), on the tracking strand.
    std::function<void()> wait_hangup = [&] {
        hangup.async_wait([&](const boost::system::error_code& ec, int) {
            if (ec) {
                return;
            }
            asio::post(tracking, [&] {
                try {
                    eng.reload_harbours(config.paths.harbours);
                    api->set_harbour_ids(harbour_ids(eng.harbours()));
                    api->set_track_zones(TrackZones::load(config.paths));
                    log::info("zones", "reloaded {} harbour zones from {}", eng.harbours().size(),
                              config.paths.harbours.string());
                } catch (const std::exception& e) {
                    queue.zone_reload_errors.fetch_add(1);
                    log::error("zones", "reload failed, keeping the old zones: {}", e.what());
                }
            });
            wait_hangup();
        });
    };
    wait_hangup();

    // Bad input is never logged per line: every minute, each feed whose error counters grew
    // gets one line with the increase by reason (CONVENTIONS.md: rate-limited, periodic totals).
    std::map<std::string, ais::FeedCounters> reported;
    std::uint64_t reported_overflow = 0;
    std::uint64_t reported_denials = 0;
    std::function<void()> schedule_report = [&] {
        report_timer.expires_after(std::chrono::seconds(60));
        report_timer.async_wait([&](const boost::system::error_code& ec) {
            if (ec) {
                return;
            }
            for (const auto& st : feeds.status()) {
                auto& last = reported[st.id];
                if (st.counters.error_total() > last.error_total()) {
                    std::string by_reason;
                    for (std::size_t i = 1; i < ais::errc_count; ++i) {
                        if (st.counters.errors[i] > last.errors[i]) {
                            by_reason +=
                                fmt::format(" {}={}", ais::to_string(static_cast<ais::errc>(i)),
                                            st.counters.errors[i] - last.errors[i]);
                        }
                    }
                    log::warn("feed", "id={} rejected input in the last minute:{}", st.id,
                              by_reason);
                }
                last = st.counters;
            }
            // Refused requests, also the anonymous ones that are only logged at debug level.
            if (monitoring.denials) {
                const auto d = monitoring.denials();
                const auto total =
                    d.unauthenticated + d.forbidden + d.csrf_failed + d.password_change_required;
                if (total > reported_denials) {
                    log::warn("http",
                              "{} request(s) refused in the last minute (totals: "
                              "unauthenticated={} forbidden={} csrf_failed={} "
                              "password_change_required={})",
                              total - reported_denials, d.unauthenticated, d.forbidden,
                              d.csrf_failed, d.password_change_required);
                    reported_denials = total;
                }
            }
            const auto overflow = queue.overflow.load();
            if (overflow > reported_overflow) {
                log::warn("tracking",
                          "queue full: {} messages dropped in the last minute (max_queue={})",
                          overflow - reported_overflow, queue.max);
                reported_overflow = overflow;
            }
            schedule_report();
        });
    };
    schedule_report();

    feeds.start();
    webhooks->start();
    // The stop handle may be called from any thread, also while or after the daemon returns:
    // posting and destroying the io_context must not overlap, so both happen under one mutex.
    struct StopGate {
        std::mutex mutex;
        bool open = true;
    };
    auto gate = std::make_shared<StopGate>();
    if (options.stop) {
        *options.stop = [&ioc, shutdown, gate] {
            const std::lock_guard lock(gate->mutex);
            if (gate->open) {
                asio::post(ioc, [shutdown] { (*shutdown)(); });
            }
        };
    }
    if (options.on_started) {
        options.on_started(server ? server->port() : 0);
    }
    if (options.once && files == 0) {
        log::warn("main", "--once given but no file feeds are configured; running until a signal");
    }

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < std::max(1U, options.threads); ++i) {
        pool.emplace_back([&ioc] { ioc.run(); });
    }
    ioc.run();
    for (auto& t : pool) {
        t.join();
    }
    {
        const std::lock_guard lock(gate->mutex);
        gate->open = false; // from here on the stop handle does nothing
    }
    if (auto* tracks = eng.tracks()) {
        // Commit the last fixes before the counters are reported (the store's destructor would
        // too, but after them).
        try {
            tracks->flush();
        } catch (const std::exception& e) {
            log::error("tracks", "final flush failed: {}", e.what());
        }
    }
    const auto& t = eng.pipeline().counters();
    ordered_json stats;
    stats["feeds"] = ordered_json::array();
    for (const auto& s : feeds.status()) {
        stats["feeds"].push_back(ordered_json(net::to_json(s)));
        log::info("main", "feed {}: {}", s.id, net::to_json(s).dump());
    }
    stats["tracking"] = tracking_json(t, eng.pipeline().vessels().size());
    stats["queue_overflow"] = queue.overflow.load();
    stats["webhooks"] = monitoring.webhooks();
    stats["track_store"] = track_store_json(eng.tracks());
    log::info("main", "stopped: {} track store: {}", stats["tracking"].dump(),
              stats["track_store"].dump());
    if (options.on_exit) {
        options.on_exit(stats);
    }
    return exit_ok;
}

} // namespace sahil::app

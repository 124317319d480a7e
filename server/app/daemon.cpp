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
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "geo/geo_error.hpp"
#include "registry/registry_error.hpp"
#include "server/app/commands.hpp"
#include "server/app/engine.hpp"
#include "server/app/log.hpp"
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
        if (created) {
            log::warn("alert", "id={} rule={} severity={} mmsi={} zone={} time={}", a.id, a.rule,
                      alerts::to_string(a.severity), a.mmsi, a.zone_id,
                      alerts::iso8601(a.fix_time));
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

http::Response json_response(const ordered_json& j, unsigned status = 200) {
    http::Response r;
    r.status = status;
    r.body = j.dump();
    return r;
}

http::Response bad_request(const std::string& param, const std::string& message) {
    return json_response({{"error", "bad_request"}, {"parameter", param}, {"message", message}},
                         400);
}

std::optional<std::int64_t> parse_int(const std::string& s) {
    try {
        std::size_t pos = 0;
        const long long v = std::stoll(s, &pos);
        if (pos != s.size()) {
            return std::nullopt;
        }
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

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
            {"rule_errors", t.rule_errors}};
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

void add_routes(http::Router& router, asio::strand<asio::io_context::executor_type>& tracking,
                Engine& engine, AlertReader& alerts_reader, net::FeedManager& feeds,
                const QueueCounters& queue, std::chrono::steady_clock::time_point started) {
    router.add("GET", "/api/health", [started](const http::Request&, http::Responder respond) {
        const auto up = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::steady_clock::now() - started)
                            .count();
        respond(json_response({{"status", "ok"}, {"service", "sahild"}, {"uptime_s", up}}));
    });

    router.add(
        "GET", "/api/alerts", [&alerts_reader](const http::Request& req, http::Responder respond) {
            store::AlertQuery q;
            for (const auto& [k, v] : req.query) {
                if (k == "rule") {
                    if (v != alerts::rule_names::unregistered_departure &&
                        v != alerts::rule_names::licence_invalid_departure) {
                        return respond(bad_request(
                            k, "must be unregistered_departure or licence_invalid_departure"));
                    }
                    q.rule = v;
                } else if (k == "status") {
                    q.status = alerts::parse_status(v);
                    if (!q.status) {
                        return respond(bad_request(k, "must be new, acknowledged or resolved"));
                    }
                } else if (k == "mmsi") {
                    const auto n = parse_int(v);
                    if (!n || *n <= 0 || *n > 999'999'999) {
                        return respond(bad_request(k, "must be a 9-digit MMSI"));
                    }
                    q.mmsi = static_cast<std::uint32_t>(*n);
                } else if (k == "after_id") {
                    const auto n = parse_int(v);
                    if (!n || *n < 0) {
                        return respond(bad_request(k, "must be a whole number >= 0"));
                    }
                    q.after_id = *n;
                } else if (k == "limit") {
                    const auto n = parse_int(v);
                    if (!n || *n < 1 || *n > 1000) {
                        return respond(bad_request(k, "must be 1..1000"));
                    }
                    q.limit = static_cast<std::size_t>(*n);
                } else {
                    return respond(
                        bad_request(k, "unknown parameter (rule, status, mmsi, after_id, limit)"));
                }
            }
            ordered_json arr = ordered_json::array();
            for (const auto& a : alerts_reader.list(q)) {
                arr.push_back(alerts::to_json(a));
            }
            respond(json_response({{"alerts", arr}, {"count", arr.size()}}));
        });

    router.add("GET", "/api/vessels",
               [&tracking, &engine](const http::Request&, http::Responder respond) {
                   asio::post(tracking, [&engine, respond = std::move(respond)] {
                       ordered_json arr = ordered_json::array();
                       for (const auto& [mmsi, v] : engine.pipeline().vessels()) {
                           arr.push_back(vessel_json(v));
                       }
                       respond(json_response({{"vessels", arr}, {"count", arr.size()}}));
                   });
               });

    router.add("GET", "/api/feeds", [&feeds](const http::Request&, http::Responder respond) {
        ordered_json arr = ordered_json::array();
        for (const auto& s : feeds.status()) {
            arr.push_back(ordered_json(net::to_json(s)));
        }
        respond(json_response({{"feeds", arr}}));
    });

    router.add(
        "GET", "/api/stats",
        [&tracking, &engine, &feeds, &queue](const http::Request&, http::Responder respond) {
            asio::post(tracking, [&engine, &feeds, &queue, respond = std::move(respond)] {
                ais::FeedCounters total;
                for (const auto& s : feeds.status()) {
                    total += s.counters;
                }
                ordered_json errors = ordered_json::object();
                for (std::size_t i = 1; i < ais::errc_count; ++i) {
                    if (total.errors[i] != 0) {
                        errors[std::string(ais::to_string(static_cast<ais::errc>(i)))] =
                            total.errors[i];
                    }
                }
                respond(json_response(
                    {{"ingest",
                      {{"lines", total.lines}, {"messages", total.messages}, {"errors", errors}}},
                     {"queue",
                      {{"in_flight", queue.in_flight.load()},
                       {"max", queue.max},
                       {"overflow", queue.overflow.load()}}},
                     {"tracking", tracking_json(engine.pipeline().counters(),
                                                engine.pipeline().vessels().size())},
                     {"stations", stations_json(engine.pipeline().stations())},
                     {"harbour_zones", engine.harbours().size()},
                     {"zone_reload_errors", queue.zone_reload_errors.load()}}));
            });
        });
}

} // namespace

int run_daemon(const Config& config, const DaemonOptions& options) {
    const auto started = std::chrono::steady_clock::now();
    asio::io_context ioc;
    auto tracking = asio::make_strand(ioc);
    asio::steady_timer report_timer(ioc); // periodic bad-input totals (see below)

    std::unique_ptr<Engine> engine;
    std::unique_ptr<AlertReader> reader;
    try {
        engine = std::make_unique<Engine>(config);
        reader = std::make_unique<AlertReader>(config.paths.registry_db);
    } catch (const registry::RegistryError& e) {
        log::error("main", "registry: {}", e.what());
        return exit_resource;
    } catch (const geo::GeoError& e) {
        log::error("main", "zones: {}", e.what());
        return exit_resource;
    }
    log::info("main", "harbours={} zones from {} registry={}", engine->harbours().size(),
              config.paths.harbours.string(), config.paths.registry_db.string());

    JsonLinesAlertSink stdout_sink(std::cout);
    LogAlertSink log_sink;
    engine->pipeline().add_sink(stdout_sink);
    engine->pipeline().add_sink(log_sink);
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
                      "id={} replay finished: fixes={} departures={} alerts: {} new, {} already "
                      "stored (all: GET /api/alerts or `sahil alerts`)",
                      id, t.fixes, t.departures, t.alerts, t.alerts_existing);
            if (options.once && ++files_done == files) {
                (*shutdown)();
            }
        });
    };

    http::Router router;
    add_routes(router, tracking, eng, *reader, feeds, queue, started);
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
    }

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    asio::signal_set hangup(ioc, SIGHUP); // zone reload, see below
    *shutdown = [&] {
        log::info("main", "shutting down");
        signals.cancel();
        hangup.cancel();
        report_timer.cancel();
        feeds.stop();
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
    const auto& t = eng.pipeline().counters();
    ordered_json stats;
    stats["feeds"] = ordered_json::array();
    for (const auto& s : feeds.status()) {
        stats["feeds"].push_back(ordered_json(net::to_json(s)));
        log::info("main", "feed {}: {}", s.id, net::to_json(s).dump());
    }
    stats["tracking"] = tracking_json(t, eng.pipeline().vessels().size());
    stats["queue_overflow"] = queue.overflow.load();
    log::info("main", "stopped: {}", stats["tracking"].dump());
    if (options.on_exit) {
        options.on_exit(stats);
    }
    return exit_ok;
}

} // namespace sahil::app

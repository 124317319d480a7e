// sahild in-process: real feeds, the tracking strand, the alert store and the HTTP API together.
#include "server/net/asio.hpp"

#include <chrono>
#include <csignal>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "ais/stream_decoder.hpp"
#include "server/app/commands.hpp"
#include "server/app/daemon.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/app/daemon_test_support.hpp"

namespace {

using namespace sahil;
using test::RunningDaemon;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

app::Config daemon_config(const test::TempDir& tmp, const std::filesystem::path& feed) {
    return test::config_from("[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() +
                                 "\"\nharbours = \"" +
                                 (test::source_dir() / "config/geo/harbours.geojson").string() +
                                 "\"\n[log]\nlevel = \"warn\"\n[http]\nport = 0\n"
                                 "[[feeds]]\nid = \"replay\"\nkind = \"file\"\npath = \"" +
                                 feed.string() + "\"\n",
                             tmp.path());
}

TEST(Daemon, malformed_input_is_counted_by_reason_and_never_crashes_the_daemon) {
    test::TempDir tmp;
    const auto feed = test::source_dir() / "tests/data/ais/malformed.nmea";
    app::DaemonOptions opt;
    opt.once = true;
    nlohmann::ordered_json stats;
    opt.on_exit = [&](const nlohmann::ordered_json& s) { stats = s; };
    ASSERT_EQ(app::run_daemon(daemon_config(tmp, feed), opt), app::exit_ok);
    ASSERT_EQ(stats["feeds"].size(), 1U);
    const auto& feed_stats = stats["feeds"][0];
    EXPECT_EQ(feed_stats["state"], "finished");
    const auto counters = nlohmann::json::parse(feed_stats["counters"].dump());

    // The same bytes through the library (whose per-line behaviour malformed_test.cpp checks
    // against malformed.notes.jsonl): the daemon must count exactly the same, reason by reason.
    struct Null : ais::MessageSink {
        void on_message(const ais::DecodedMessage&) override {}
    } sink;
    ais::StreamDecoder::Config dc;
    dc.hold_until_time_marker = true;
    ais::StreamDecoder dec(sink, dc);
    std::ifstream in(feed, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    dec.feed(ss.str(), UtcTime{});
    dec.finish(UtcTime{});
    const auto& c = dec.counters();
    EXPECT_EQ(counters["lines"], c.lines);
    EXPECT_EQ(counters["messages"], c.messages);
    for (std::size_t i = 1; i < ais::errc_count; ++i) {
        const std::string name(ais::to_string(static_cast<ais::errc>(i)));
        const std::uint64_t got =
            counters["errors"].contains(name) ? counters["errors"][name].get<std::uint64_t>() : 0;
        EXPECT_EQ(got, c.errors[i]) << name;
    }
    // Every kind of fault in the file shows up under its own reason.
    for (const char* reason :
         {"bad_checksum", "missing_checksum", "bad_fill_bits", "bad_armour_character",
          "empty_payload", "line_too_long", "not_nmea", "bad_address", "bad_field_count",
          "bad_fragment_count", "bad_fragment_number", "too_short", "fragment_missing",
          "duplicate_fragment", "bad_character", "bad_tag_block"}) {
        EXPECT_TRUE(counters["errors"].contains(reason))
            << reason << " not counted: " << counters.dump();
    }
    EXPECT_GT(stats["tracking"]["fixes"].get<int>(), 0);
    // Every accepted fix reached the track history store and was committed at shutdown.
    ASSERT_TRUE(stats.contains("track_store")) << stats.dump();
    EXPECT_EQ(stats["track_store"]["enabled"], true);
    EXPECT_EQ(stats["track_store"]["appended"], stats["tracking"]["fixes"]);
    EXPECT_EQ(stats["track_store"]["written"], stats["track_store"]["appended"]);
    EXPECT_EQ(stats["track_store"]["queue_full"], 0);
}

TEST(Daemon, serves_alerts_vessels_and_feed_counters_while_replaying_the_makran_scenario) {
    test::TempDir tmp;
    const auto src = test::source_dir();
    const auto feed = tmp.path() / "makran.nmea";
    std::ostringstream out;
    std::ostringstream err;
    const app::Config cfg = daemon_config(tmp, feed);
    ASSERT_EQ(app::cmd_simulate(src / "config/scenarios/makran.toml", feed, out, err),
              app::exit_ok);
    ASSERT_EQ(app::cmd_registry_import(cfg, src / "config/scenarios/makran-registry.csv", out, err),
              app::exit_ok)
        << err.str();
    const auto expected = test::json_lines_of(src / "config/scenarios/makran.expected.jsonl");

    RunningDaemon running(cfg);
    const std::uint16_t port = running.http_port();
    ASSERT_NE(port, 0);

    // Wait (with a deadline) until the feed has been replayed and the alerts are stored.
    nlohmann::json alerts;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto [status, body] = running.get("/api/feeds");
        ASSERT_EQ(status, 200U);
        if (nlohmann::json::parse(body)["feeds"][0]["state"] == "finished") {
            const auto r = running.get("/api/alerts");
            alerts = nlohmann::json::parse(r.second);
            if (alerts["count"] == expected.size()) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // polling an HTTP API
    }
    ASSERT_EQ(alerts["count"], expected.size()) << alerts.dump();
    for (const auto& a : alerts["alerts"]) {
        EXPECT_TRUE(a["id"].is_number());
        EXPECT_TRUE(a["reason"].is_string());
    }
    const auto [vs, vbody] = running.get("/api/vessels");
    EXPECT_EQ(vs, 200U);
    const auto vessels = nlohmann::json::parse(vbody);
    EXPECT_GE(vessels["count"].get<int>(), 20);
    const auto filtered =
        nlohmann::json::parse(running.get("/api/alerts?rule=unregistered_departure").second);
    EXPECT_EQ(filtered["count"], 2);
    EXPECT_EQ(running.get("/api/alerts?limit=0").first, 400U);
    EXPECT_EQ(running.get("/api/alerts?rule=nope").first, 400U);
    EXPECT_EQ(running.get("/api/alerts?colour=red").first, 400U);
    EXPECT_EQ(running.get("/api/nothing").first, 404U);
    EXPECT_EQ(running.get("/api/health").first, 200U);
    // Without credentials only the health check answers (docs/api.md "Roles").
    EXPECT_EQ(test::http_call(port, "GET", "/api/health").status, 200U);
    for (const char* target : {"/api/alerts", "/api/vessels", "/api/feeds", "/api/stats"}) {
        EXPECT_EQ(test::http_call(port, "GET", target).status, 401U) << target;
    }
}

TEST(Daemon, sighup_reloads_harbour_zones_and_keeps_the_old_ones_on_a_bad_file) {
    test::TempDir tmp;
    const auto zones = tmp.path() / "harbours.geojson";
    std::filesystem::copy_file(test::source_dir() / "config/geo/harbours.geojson", zones);
    const app::Config cfg = test::config_from(
        "[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() + "\"\nharbours = \"" +
            zones.string() + "\"\nboundaries = \"" +
            (test::source_dir() / "config/geo/pak_maritime_boundaries_approx.geojson").string() +
            "\"\nsea_zones = \"\"\nland = \"\"\nexception_areas = \"\"\n[log]\nlevel = "
            "\"warn\"\n[http]\nport = 0\n",
        tmp.path());
    RunningDaemon running(cfg);
    const std::uint16_t port = running.http_port();
    ASSERT_NE(port, 0);
    auto zone_count = [&] {
        return nlohmann::json::parse(running.get("/api/stats").second)["harbour_zones"].get<int>();
    };
    auto wait_for_count = [&](int n) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (zone_count() != n && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return zone_count();
    };
    EXPECT_EQ(zone_count(), 15);

    // Keep only the first two harbours, then SIGHUP.
    auto doc = nlohmann::json::parse(std::ifstream(zones));
    doc["features"] = nlohmann::json::array({doc["features"][0], doc["features"][1]});
    std::ofstream(zones, std::ios::trunc) << doc.dump();
    std::raise(SIGHUP);
    EXPECT_EQ(wait_for_count(2), 2);

    // A broken file: the reload fails, the two zones stay, the daemon keeps serving.
    std::ofstream(zones, std::ios::trunc) << "{ not json";
    std::raise(SIGHUP);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    nlohmann::json stats;
    do {
        stats = nlohmann::json::parse(running.get("/api/stats").second);
    } while (stats["zone_reload_errors"] != 1 && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(stats["zone_reload_errors"], 1);
    EXPECT_EQ(stats["harbour_zones"], 2);
    EXPECT_EQ(running.get("/api/health").first, 200U);
}

/// A free TCP port on loopback (bound, read, released).
std::uint16_t free_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

TEST(Daemon, receiver_connecting_over_tcp_gets_the_makran_departures_alerted) {
    test::TempDir tmp;
    const auto src = test::source_dir();
    const auto feed = tmp.path() / "makran.nmea";
    std::ostringstream out;
    std::ostringstream err;
    ASSERT_EQ(app::cmd_simulate(src / "config/scenarios/makran.toml", feed, out, err),
              app::exit_ok);
    const std::uint16_t feed_port = free_port();
    const app::Config cfg = test::config_from(
        "[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() + "\"\nharbours = \"" +
            (src / "config/geo/harbours.geojson").string() +
            "\"\n[log]\nlevel = \"warn\"\n[http]\nport = 0\n[[feeds]]\nid = \"shore\"\n"
            "kind = \"tcp_listener\"\nhost = \"127.0.0.1\"\nport = " +
            std::to_string(feed_port) + "\n",
        tmp.path());
    ASSERT_EQ(app::cmd_registry_import(cfg, src / "config/scenarios/makran-registry.csv", out, err),
              app::exit_ok);

    RunningDaemon running(cfg);
    const std::uint16_t http_port = running.http_port();
    ASSERT_NE(http_port, 0);

    // A receiver connects and streams the night's sentences in odd-sized writes.
    {
        std::ifstream in(feed, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string bytes = ss.str();
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        s.connect({boost::asio::ip::make_address("127.0.0.1"), feed_port});
        for (std::size_t i = 0, n = 1; i < bytes.size(); i += n, n = n % 4093 + 517) {
            boost::asio::write(
                s, boost::asio::buffer(bytes.data() + i, std::min(n, bytes.size() - i)));
        }
    }
    // The departure rule's four alerts (the scenario's other alerts: makran.expected.jsonl).
    std::set<std::pair<std::uint32_t, std::string>> got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    do {
        got.clear();
        const auto alerts = nlohmann::json::parse(running.get("/api/alerts?limit=1000").second);
        for (const auto& a : alerts["alerts"]) {
            if (a["rule"] == "unregistered_departure" || a["rule"] == "licence_invalid_departure") {
                got.emplace(a["mmsi"], a["rule"]);
            }
        }
    } while (got.size() != 4 && std::chrono::steady_clock::now() < deadline);
    const std::set<std::pair<std::uint32_t, std::string>> want = {
        {463103318, "licence_invalid_departure"},
        {463105127, "licence_invalid_departure"},
        {463108742, "unregistered_departure"},
        {463109906, "unregistered_departure"}};
    EXPECT_EQ(got, want); // config/scenarios/makran.expected.jsonl
    // Every line the receiver sent is accounted for, none rejected.
    std::size_t sent_lines = 0;
    {
        std::ifstream in(feed);
        for (std::string l; std::getline(in, l);) {
            ++sent_lines;
        }
    }
    nlohmann::json counters;
    do {
        counters = nlohmann::json::parse(running.get("/api/feeds").second)["feeds"][0]["counters"];
    } while (counters["lines"] != sent_lines && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(counters["lines"], sent_lines);
    EXPECT_EQ(counters["error_total"], 0);
}

} // namespace

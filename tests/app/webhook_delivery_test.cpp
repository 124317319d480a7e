// Webhook delivery from the outbox: URL parsing, the back-off schedule, one POST per alert and
// agency with the documented headers and body, retries, timeouts, stop with a request in flight,
// the token kept out of the log, the [alerts] keys, and the acceptance test of issue 5: restart
// sahild while the receiver is down -> every alert delivered exactly once per agency.
#include "server/net/asio.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/database.hpp"
#include "server/app/config.hpp"
#include "server/app/webhook_delivery.hpp"
#include "server/store/alert_store.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/app/webhook_test_support.hpp"

namespace {

using namespace sahil;
using namespace std::chrono_literals;
using test::WebhookReceiver;
using Answer = WebhookReceiver::Answer;

alerts::Agency agency(const std::string& id, const std::string& url,
                      const std::string& token = {}) {
    alerts::Agency a;
    a.id = id;
    a.name = id;
    a.areas = {"harbour"};
    a.webhook_url = url;
    a.webhook_token = token;
    return a;
}

/// Fast settings for tests: 50 ms first back-off, 400 ms cap, 2 s per attempt.
app::WebhookConfig fast() {
    app::WebhookConfig c;
    c.timeout = 2s;
    c.backoff_min = 50ms;
    c.backoff_max = 400ms;
    return c;
}

/// Stores `n` new alerts routed to `routed` (as the rule engine would) with outbox rows for the
/// agencies of `agencies` that have a webhook, exactly as the Engine configures its store.
std::vector<std::int64_t> raise_alerts(const std::filesystem::path& db_path,
                                       const std::vector<alerts::Agency>& agencies,
                                       const std::vector<std::string>& routed, int n,
                                       std::uint32_t first_mmsi) {
    registry::Database db(db_path.string());
    store::AlertStoreConfig sc;
    sc.webhook_agencies = app::webhook_agency_ids(agencies);
    store::AlertStore s(db, sc);
    std::vector<std::int64_t> ids;
    for (int i = 0; i < n; ++i) {
        alerts::Alert a;
        a.rule = "unregistered_departure";
        a.severity = alerts::Severity::critical;
        a.mmsi = first_mmsi + static_cast<std::uint32_t>(i);
        a.vessel_name = "SEA HAWK";
        a.zone_id = "PK-HBR-05";
        a.zone_name = "Pasni Fish Harbour";
        a.fix_time = from_unix_seconds(1'773'509'400 + i * 60);
        a.position = {25.23, 63.47};
        a.agencies = routed;
        a.reason = "left Pasni without registration";
        const auto r = s.raise(a);
        EXPECT_EQ(r.kind, store::RaiseKind::created);
        ids.push_back(r.id);
    }
    return ids;
}

/// Outbox counts read through a connection of its own.
nlohmann::json outbox(const std::filesystem::path& db_path) {
    registry::Database db(db_path.string());
    store::AlertStore s(db);
    return nlohmann::json::parse(s.outbox_counts().dump());
}

/// A WebhookDelivery on its own io_context thread.
class Worker {
public:
    Worker(const std::filesystem::path& db, const std::vector<alerts::Agency>& agencies,
           app::WebhookConfig config = fast())
        : m_delivery(std::make_unique<app::WebhookDelivery>(m_ioc, db, agencies, config)) {
        m_delivery->start();
        m_thread = std::thread([this] {
            auto guard = boost::asio::make_work_guard(m_ioc);
            m_ioc.run();
        });
    }
    ~Worker() { stop(); }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    app::WebhookDelivery& delivery() { return *m_delivery; }
    [[nodiscard]] nlohmann::json stats() const {
        return nlohmann::json::parse(m_delivery->stats().dump());
    }

    /// stop() as the daemon does it, then the io_context; joins.
    void stop() {
        if (!m_thread.joinable()) {
            return;
        }
        m_delivery->stop();
        boost::asio::post(m_ioc, [this] { m_ioc.stop(); });
        m_thread.join();
    }

private:
    boost::asio::io_context m_ioc;
    std::unique_ptr<app::WebhookDelivery> m_delivery;
    std::thread m_thread;
};

// --- URL and back-off --------------------------------------------------------------------------

TEST(WebhookUrl, takes_apart_host_port_and_target) {
    auto u = app::parse_webhook_url("http://10.0.0.5:8080/sahil/alerts?desk=1");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "10.0.0.5");
    EXPECT_EQ(u->port, "8080");
    EXPECT_EQ(u->target, "/sahil/alerts?desk=1");
    EXPECT_EQ(u->host_header, "10.0.0.5:8080");
    u = app::parse_webhook_url("http://ops.msa.example");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->port, "80");
    EXPECT_EQ(u->target, "/");
    EXPECT_EQ(u->host_header, "ops.msa.example");
    u = app::parse_webhook_url("HTTP://[fd00::5]:9000/hook");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->host, "fd00::5");
    EXPECT_EQ(u->host_header, "[fd00::5]:9000");
}

TEST(WebhookUrl, refuses_https_credentials_bad_ports_and_junk) {
    std::string why;
    EXPECT_FALSE(app::parse_webhook_url("https://ops.example/hook", &why));
    EXPECT_NE(why.find("https is not supported"), std::string::npos) << why;
    EXPECT_FALSE(app::parse_webhook_url("http://user:pw@ops.example/", &why));
    EXPECT_NE(why.find("webhook_token"), std::string::npos) << why;
    for (const char* bad : {"http://ops.example:0/", "http://ops.example:65536/",
                            "http://ops.example:80x/", "http:///path", "http://a b/",
                            "http://fd00::5/", "http://ops.example/#frag", "ftp://x/"}) {
        EXPECT_FALSE(app::parse_webhook_url(bad)) << bad;
    }
}

TEST(WebhookBackoff, doubles_from_min_up_to_the_cap_with_at_most_20_percent_jitter) {
    const app::WebhookConfig d; // defaults: 1 s .. 300 s
    EXPECT_EQ(app::backoff_delay(d, 1, 0.0), 1000ms);
    EXPECT_EQ(app::backoff_delay(d, 2, 0.0), 2000ms);
    EXPECT_EQ(app::backoff_delay(d, 3, 0.0), 4000ms);
    EXPECT_EQ(app::backoff_delay(d, 9, 0.0), 256'000ms);
    EXPECT_EQ(app::backoff_delay(d, 10, 0.0), 300'000ms);
    EXPECT_EQ(app::backoff_delay(d, 1000, 0.0), 300'000ms);
    EXPECT_EQ(app::backoff_delay(d, 1, 0.999), 800ms);
    // Even with the most jitter on the longer delay and none on the shorter, it grows.
    for (int n = 1; n < 9; ++n) {
        EXPECT_GT(app::backoff_delay(d, n + 1, 0.999), app::backoff_delay(d, n, 0.0)) << n;
    }
}

// --- delivery ---------------------------------------------------------------------------------

TEST(WebhookDelivery, posts_each_alert_once_per_agency_with_headers_and_body) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.start();
    const std::vector<alerts::Agency> agencies = {
        agency("coast_guard", receiver.url("/cg"), "cg-token-1"),
        agency("msa", receiver.url("/msa/alerts"))};
    const auto ids = raise_alerts(db, agencies, {"coast_guard", "msa"}, 2, 463100001);

    Worker worker(db, agencies);
    ASSERT_TRUE(receiver.wait_for_requests(4, 30s));
    ASSERT_TRUE(test::eventually([&] {
        return outbox(db)["msa"]["delivered"] == 2 && outbox(db)["coast_guard"]["delivered"] == 2;
    })) << outbox(db).dump();
    worker.stop();

    const auto got = receiver.requests();
    ASSERT_EQ(got.size(), 4U);
    std::set<std::string> keys;
    for (const auto& r : got) {
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.header("content-type"), "application/json");
        const auto body = r.json();
        const std::string agency_id = body["agency"];
        const std::int64_t alert_id = body["alert"]["id"];
        EXPECT_TRUE(body["delivery_id"].is_number_integer());
        EXPECT_EQ(body["alert"]["rule"], "unregistered_departure");
        EXPECT_EQ(body["alert"]["mmsi"].get<std::uint32_t>() - 463100001U,
                  static_cast<std::uint32_t>(alert_id - ids[0]));
        EXPECT_EQ(r.header("idempotency-key"),
                  "sahil-alert-" + std::to_string(alert_id) + "-" + agency_id);
        keys.insert(r.header("idempotency-key"));
        if (agency_id == "coast_guard") {
            EXPECT_EQ(r.target, "/cg");
            EXPECT_EQ(r.header("authorization"), "Bearer cg-token-1");
        } else {
            EXPECT_EQ(agency_id, "msa");
            EXPECT_EQ(r.target, "/msa/alerts");
            EXPECT_EQ(r.header("authorization"), ""); // no token configured: none sent
        }
        EXPECT_EQ(r.header("host"), "127.0.0.1:" + std::to_string(receiver.port()));
    }
    EXPECT_EQ(keys.size(), 4U);
    const auto counts = outbox(db);
    EXPECT_EQ(counts["coast_guard"]["pending"], 0);
    EXPECT_EQ(counts["msa"]["pending"], 0);
}

TEST(WebhookDelivery, retries_after_http_500_with_increasing_backoff_and_delivers_on_the_third) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.answer_next({Answer::server_error, Answer::server_error});
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("msa", receiver.url("/hook"))};
    raise_alerts(db, agencies, {"msa"}, 1, 463100001);
    app::WebhookConfig cfg = fast();
    cfg.backoff_min = 200ms;
    cfg.backoff_max = 5s;

    Worker worker(db, agencies, cfg);
    ASSERT_TRUE(receiver.wait_for_requests(3, 30s));
    ASSERT_TRUE(test::eventually([&] { return outbox(db)["msa"]["delivered"] == 1; }));
    const auto stats = worker.stats();
    worker.stop();

    const auto got = receiver.requests();
    ASSERT_EQ(got.size(), 3U); // 500, 500, 200: nothing after the success
    const auto first_wait = got[1].at - got[0].at;
    const auto second_wait = got[2].at - got[1].at;
    EXPECT_GE(first_wait, 160ms);  // 200 ms less at most 20 % jitter
    EXPECT_GE(second_wait, 320ms); // 400 ms less at most 20 % jitter
    EXPECT_GT(second_wait, first_wait);
    for (const auto& r : got) { // the same delivery each time
        EXPECT_EQ(r.header("idempotency-key"), got[0].header("idempotency-key"));
        EXPECT_EQ(r.json()["delivery_id"], got[0].json()["delivery_id"]);
    }
    EXPECT_EQ(stats["msa"]["failed_attempts"], 2);
    EXPECT_EQ(stats["msa"]["consecutive_failures"], 0);
    EXPECT_EQ(stats["msa"]["delivered"], 1);
    EXPECT_EQ(stats["msa"]["pending"], 0);
    EXPECT_NE(stats["msa"]["last_error"].get<std::string>().find("HTTP 500"), std::string::npos)
        << stats.dump();
}

TEST(WebhookDelivery, gives_up_on_a_receiver_that_never_answers_and_tries_again) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.answer_next({Answer::hang});
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("coast_guard", receiver.url("/"))};
    raise_alerts(db, agencies, {"coast_guard"}, 1, 463100001);
    app::WebhookConfig cfg = fast();
    cfg.timeout = 300ms;

    Worker worker(db, agencies, cfg);
    ASSERT_TRUE(receiver.wait_for_requests(2, 30s));
    ASSERT_TRUE(test::eventually([&] { return outbox(db)["coast_guard"]["delivered"] == 1; }));
    const auto stats = worker.stats();
    worker.stop();
    const auto got = receiver.requests();
    ASSERT_EQ(got.size(), 2U);
    EXPECT_GE(got[1].at - got[0].at, 300ms); // the timeout, then the back-off
    EXPECT_EQ(stats["coast_guard"]["failed_attempts"], 1);
    EXPECT_NE(stats["coast_guard"]["last_error"].get<std::string>().find("no answer within"),
              std::string::npos)
        << stats.dump();
}

TEST(WebhookDelivery, refused_connections_are_retried_until_the_receiver_is_up) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver; // not started: connections are refused
    const std::vector<alerts::Agency> agencies = {agency("msa", receiver.url("/"))};
    raise_alerts(db, agencies, {"msa"}, 3, 463100001);

    Worker worker(db, agencies);
    ASSERT_TRUE(test::eventually([&] { return worker.stats()["msa"]["failed_attempts"] >= 3; }));
    const auto down = worker.stats();
    EXPECT_EQ(down["msa"]["pending"], 3);
    EXPECT_NE(down["msa"]["last_error"].get<std::string>().find("connect 127.0.0.1:"),
              std::string::npos)
        << down.dump();
    receiver.start();
    ASSERT_TRUE(test::eventually([&] { return outbox(db)["msa"]["delivered"] == 3; }));
    worker.stop();
    EXPECT_EQ(receiver.requests().size(), 3U);
    EXPECT_EQ(outbox(db)["msa"]["pending"], 0);
}

TEST(WebhookDelivery,
     after_the_receiver_recovers_the_backlog_drains_at_once_not_at_each_rows_backoff) {
    // Regression (issue-5 trial): a row pushed far into its back-off before a restart kept that
    // time after the receiver came back, so a critical alert waited up to backoff_max while a
    // newer one went first. The first success now makes the agency's whole backlog due.
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("msa", receiver.url("/"))};
    const auto old_ids = raise_alerts(db, agencies, {"msa"}, 2, 463100001);
    {
        // As the previous run left them: five failures each, next attempt in 10 minutes.
        registry::Database conn(db.string());
        store::AlertStore s(conn);
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        for (const auto& d : s.due_deliveries(now + 1000, 10)) {
            for (int i = 0; i < 5; ++i) {
                s.mark_failed(d.id, "connect refused", now + 600'000);
            }
        }
    }
    raise_alerts(db, agencies, {"msa"}, 1, 463100050); // new since: due now
    Worker worker(db, agencies);
    ASSERT_TRUE(receiver.wait_for_requests(1, 10s));
    EXPECT_TRUE(receiver.wait_for_requests(3, 3s)) << receiver.requests().size();
    EXPECT_TRUE(test::eventually([&] { return outbox(db)["msa"]["delivered"] == 3; }, 3s));
    worker.stop();
    EXPECT_EQ(outbox(db)["msa"]["pending"], 0);
    EXPECT_EQ(old_ids.size(), 2U);
}

TEST(WebhookDelivery, a_new_alert_is_sent_at_once_on_notify) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("msa", receiver.url("/"))};
    raise_alerts(db, agencies, {"msa"}, 1, 463100001);
    Worker worker(db, agencies);
    ASSERT_TRUE(receiver.wait_for_requests(1, 30s));
    ASSERT_TRUE(test::eventually([&] { return outbox(db)["msa"]["delivered"] == 1; }));

    // The worker now sleeps (nothing pending; the idle re-check is a minute away). A new alert
    // committed by the tracking strand is announced through the sink: it goes out at once.
    raise_alerts(db, agencies, {"msa"}, 1, 463100050);
    alerts::Alert stored;
    worker.delivery().on_alert(stored, true);
    EXPECT_TRUE(receiver.wait_for_requests(2, 10s));
    worker.stop();
    EXPECT_EQ(receiver.requests().size(), 2U);
}

TEST(WebhookDelivery, stop_abandons_the_request_in_flight_which_stays_pending_for_the_next_run) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.answer_next({Answer::hang});
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("msa", receiver.url("/"))};
    raise_alerts(db, agencies, {"msa"}, 1, 463100001);
    {
        Worker worker(db, agencies); // timeout 2 s: still in flight when stopped
        ASSERT_TRUE(receiver.wait_for_requests(1, 30s));
        worker.stop();
        const auto s = worker.stats();
        EXPECT_EQ(s["msa"]["failed_attempts"], 0); // abandoned, not counted as failed
        EXPECT_EQ(s["msa"]["pending"], 1);
    }
    {
        Worker worker(db, agencies);
        ASSERT_TRUE(receiver.wait_for_requests(2, 30s));
        ASSERT_TRUE(test::eventually([&] { return outbox(db)["msa"]["delivered"] == 1; }));
    }
    // The receiver saw it twice (the first one was perhaps processed): the same key both times,
    // so that it can drop the repeat.
    const auto got = receiver.requests();
    ASSERT_EQ(got.size(), 2U);
    EXPECT_EQ(got[0].header("idempotency-key"), got[1].header("idempotency-key"));
}

TEST(WebhookDelivery, agency_without_webhook_gets_no_outbox_rows_and_no_request) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver;
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("coast_guard", receiver.url("/cg")),
                                                  agency("fisheries", "")};
    EXPECT_EQ(app::webhook_agency_ids(agencies), std::set<std::string>{"coast_guard"});
    raise_alerts(db, agencies, {"coast_guard", "fisheries"}, 2, 463100001);
    const auto before = outbox(db);
    EXPECT_TRUE(before.contains("coast_guard"));
    EXPECT_FALSE(before.contains("fisheries")) << before.dump();

    Worker worker(db, agencies);
    ASSERT_TRUE(receiver.wait_for_requests(2, 30s));
    ASSERT_TRUE(test::eventually([&] { return outbox(db)["coast_guard"]["delivered"] == 2; }));
    const auto stats = worker.stats();
    worker.stop();
    EXPECT_FALSE(stats.contains("fisheries")) << stats.dump();
    for (const auto& r : receiver.requests()) {
        EXPECT_EQ(r.json()["agency"], "coast_guard");
    }
    EXPECT_EQ(receiver.requests().size(), 2U);
}

TEST(WebhookDelivery, sends_the_token_and_never_logs_it) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    const std::string token = "s3cret-webhook-token-9f2c";
    WebhookReceiver receiver;
    // A receiver that echoes the request in its error page must not leak the token either.
    receiver.answer_next({Answer::server_error}, "bad request from Bearer " + token);
    receiver.start();
    const std::vector<alerts::Agency> agencies = {agency("coast_guard", receiver.url("/"), token)};
    raise_alerts(db, agencies, {"coast_guard"}, 1, 463100001);
    std::string logged;
    nlohmann::json stats;
    {
        test::LogCapture capture; // debug and up
        Worker worker(db, agencies);
        ASSERT_TRUE(receiver.wait_for_requests(2, 30s));
        ASSERT_TRUE(test::eventually([&] { return outbox(db)["coast_guard"]["delivered"] == 1; }));
        stats = worker.stats();
        worker.stop();
        logged = capture.text();
    }
    for (const auto& r : receiver.requests()) {
        EXPECT_EQ(r.header("authorization"), "Bearer " + token);
    }
    EXPECT_NE(logged.find("agency=coast_guard"), std::string::npos) << logged;
    EXPECT_NE(logged.find("HTTP 500"), std::string::npos) << logged;  // the failure, at warn
    EXPECT_NE(logged.find("delivered"), std::string::npos) << logged; // the success, at debug
    EXPECT_EQ(logged.find(token), std::string::npos) << logged;
    EXPECT_EQ(logged.find("s3cret"), std::string::npos) << logged;
    EXPECT_EQ(stats.dump().find("s3cret"), std::string::npos) << stats.dump();
}

// --- configuration ----------------------------------------------------------------------------

TEST(WebhookConfig, alerts_section_has_defaults_ranges_and_https_is_a_config_error) {
    test::TempDir tmp;
    auto r = app::parse_config("", tmp.path(), "t.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    EXPECT_EQ(r.config.webhooks.timeout, 10s);
    EXPECT_EQ(r.config.webhooks.backoff_min, 1s);
    EXPECT_EQ(r.config.webhooks.backoff_max, 300s);

    r = app::parse_config("[alerts]\nwebhook_timeout_s = 2.5\nwebhook_backoff_min_s = 0.5\n"
                          "webhook_backoff_max_s = 60\n",
                          tmp.path(), "t.toml");
    ASSERT_TRUE(r.ok()) << app::format_errors(r.errors);
    EXPECT_EQ(r.config.webhooks.timeout, 2500ms);
    EXPECT_EQ(r.config.webhooks.backoff_min, 500ms);
    EXPECT_EQ(r.config.webhooks.backoff_max, 60s);

    r = app::parse_config("[alerts]\nwebhook_timeout_s = 0\nwebhook_backoff_min_s = 10\n"
                          "webhook_backoff_max_s = 5\nwebhook_retries = 3\n"
                          "[[agencies]]\nid = \"msa\"\nareas = [\"eez\"]\n"
                          "webhook_url = \"https://ops.example/hook\"\n",
                          tmp.path(), "t.toml");
    const std::string errors = app::format_errors(r.errors);
    EXPECT_NE(errors.find("alerts.webhook_timeout_s: must be 0.1..300 s"), std::string::npos)
        << errors;
    EXPECT_NE(errors.find("alerts.webhook_backoff_max_s: must be >= webhook_backoff_min_s"),
              std::string::npos)
        << errors;
    EXPECT_NE(errors.find("alerts.webhook_retries: unknown key"), std::string::npos) << errors;
    EXPECT_NE(errors.find("agencies[0].webhook_url: https is not supported"), std::string::npos)
        << errors;
}

// --- acceptance (issue 5) ---------------------------------------------------------------------

// Restart the daemon while the webhook receiver is down: after restart and recovery, every
// alert is delivered exactly once per agency.
TEST(WebhookDeliveryDaemon, restart_while_receiver_down_delivers_every_alert_once_per_agency) {
    test::TempDir tmp;
    const auto db = tmp.path() / "registry.db";
    WebhookReceiver receiver; // down: refuses connections
    const std::string cfg_text =
        "[paths]\nregistry_db = \"" + db.string() + "\"\nharbours = \"" +
        (test::source_dir() / "config/geo/harbours.geojson").string() +
        "\"\n"
        // The sea areas and lines do not matter here: the alerts are stored directly.
        "sea_zones = \"\"\nland = \"\"\nboundaries = \"\"\nexception_areas = \"\"\n"
        "[log]\nlevel = \"error\"\n[http]\nport = 0\n"
        "[alerts]\nwebhook_timeout_s = 2\nwebhook_backoff_min_s = 0.05\n"
        "webhook_backoff_max_s = 0.2\n"
        "[[agencies]]\nid = \"coast_guard\"\nareas = [\"harbour\", \"territorial_sea\"]\n"
        "webhook_url = \"" +
        receiver.url("/cg") +
        "\"\nwebhook_token = \"cg-secret\"\n"
        "[[agencies]]\nid = \"msa\"\nareas = [\"eez\", \"boundary_area\"]\n"
        "webhook_url = \"" +
        receiver.url("/msa") +
        "\"\n"
        "[[agencies]]\nid = \"fisheries\"\nareas = [\"harbour\"]\n";
    const app::Config cfg = test::config_from(cfg_text, tmp.path());
    const std::vector<std::string> all = {"coast_guard", "msa", "fisheries"};
    const std::string token = test::make_api_token(db, "hook-admin", "admin");

    // Alerts stored before the first run (e.g. raised by a replay or the previous run).
    auto ids = raise_alerts(db, cfg.agencies, all, 4, 463100001);
    {
        test::DaemonRun first(cfg, token);
        ASSERT_NE(first.http_port(), 0);
        // Both agencies tried and failed at least twice (receiver down, back-off running).
        ASSERT_TRUE(test::eventually([&] {
            const auto w = first.stats()["webhooks"];
            return w["coast_guard"]["failed_attempts"] >= 2 && w["msa"]["failed_attempts"] >= 2;
        })) << first.stats()["webhooks"].dump();
        // An alert committed while the daemon runs and the receiver is still down.
        const auto more = raise_alerts(db, cfg.agencies, all, 1, 463100100);
        ids.insert(ids.end(), more.begin(), more.end());
        ASSERT_TRUE(
            test::eventually([&] { return first.stats()["webhooks"]["msa"]["pending"] == 5; }));
        const auto exit_stats = first.stop(); // stopped with every delivery pending
        EXPECT_EQ(exit_stats["webhooks"]["coast_guard"]["pending"], 5) << exit_stats.dump();
    }
    // And one raised while the daemon is down.
    const auto late = raise_alerts(db, cfg.agencies, all, 1, 463100200);
    ids.insert(ids.end(), late.begin(), late.end());
    const auto pending = outbox(db);
    EXPECT_EQ(pending["coast_guard"]["pending"], 6);
    EXPECT_EQ(pending["msa"]["pending"], 6);
    EXPECT_EQ(pending["coast_guard"]["delivered"], 0);
    EXPECT_FALSE(pending.contains("fisheries")); // no webhook: no outbox rows
    EXPECT_TRUE(receiver.requests().empty());

    receiver.start(); // recovery
    {
        test::DaemonRun second(cfg, token);
        ASSERT_NE(second.http_port(), 0);
        ASSERT_TRUE(test::eventually([&] {
            const auto w = second.stats()["webhooks"];
            return w["coast_guard"]["pending"] == 0 && w["msa"]["pending"] == 0;
        })) << second.stats()["webhooks"].dump();
    }
    {
        // A further restart sends nothing again.
        test::DaemonRun third(cfg, token);
        ASSERT_NE(third.http_port(), 0);
        const auto w = third.stats()["webhooks"];
        EXPECT_EQ(w["coast_guard"]["delivered"], 6) << w.dump();
        EXPECT_EQ(w["msa"]["delivered"], 6) << w.dump();
    }

    const auto got = receiver.requests();
    std::map<std::string, int> by_key;
    std::map<std::string, std::multiset<std::int64_t>> alerts_by_agency;
    for (const auto& r : got) {
        ++by_key[r.header("idempotency-key")];
        const auto body = r.json();
        alerts_by_agency[body["agency"]].insert(body["alert"]["id"].get<std::int64_t>());
        EXPECT_EQ(r.target, body["agency"] == "coast_guard" ? "/cg" : "/msa");
        EXPECT_EQ(r.header("authorization"),
                  body["agency"] == "coast_guard" ? "Bearer cg-secret" : "");
    }
    EXPECT_EQ(got.size(), 12U); // 6 alerts x 2 agencies with a webhook
    EXPECT_EQ(by_key.size(), 12U);
    for (const auto& [key, n] : by_key) {
        EXPECT_EQ(n, 1) << key;
    }
    const std::multiset<std::int64_t> expected(ids.begin(), ids.end());
    EXPECT_EQ(alerts_by_agency["coast_guard"], expected);
    EXPECT_EQ(alerts_by_agency["msa"], expected);
    EXPECT_FALSE(alerts_by_agency.contains("fisheries"));
    const auto done = outbox(db);
    EXPECT_EQ(done["coast_guard"]["pending"], 0);
    EXPECT_EQ(done["msa"]["pending"], 0);
    EXPECT_EQ(done["coast_guard"]["delivered"], 6);
    EXPECT_EQ(done["msa"]["delivered"], 6);
}

} // namespace

// Webhook delivery: POSTs each alert to every routed agency's webhook, from the durable outbox
// (`alert_outbox` in registry.db, store/alert_store.hpp), with retries and back-off, surviving
// restarts.
//
// Example request (docs/alerts-delivery.md has the whole contract):
//   POST /sahil/alerts HTTP/1.1            (webhook_url = "http://10.0.0.5:8080/sahil/alerts")
//   Content-Type: application/json
//   Authorization: Bearer <webhook_token>  (only when a token is configured)
//   Idempotency-Key: sahil-alert-7-msa
//   {"delivery_id":12,"agency":"msa","alert":{"id":7,"rule":"boundary_crossing",...}}
// A 2xx answer marks the delivery done; anything else (refused, timeout, 3xx/4xx/5xx) is a
// failed attempt, retried after an exponential back-off with jitter (backoff_delay()). Delivery
// is at-least-once: a response lost after the receiver acted on the request, or a request in
// flight when the daemon stops, is sent again; the Idempotency-Key (stable per alert and agency)
// lets the receiver drop the repeat, which makes it effectively exactly-once.
//
// Data path: Pipeline::raise -> AlertStore::raise (alert + outbox rows, one transaction) ->
// sinks -> WebhookDelivery::on_alert/notify() -> outbox -> HTTP POST -> mark_delivered /
// mark_failed. Each agency has its own lane (one request in flight per agency, its own back-off),
// so that an agency whose receiver is down or slow never delays another agency's alerts.
//
// Thread-safety: construct, start() and destroy on one thread; notify(), on_alert(), stop() and
// stats() from any thread. All delivery work runs on the worker's own strand and its own
// read-write connection to registry.db. Lifetime: the io_context must outlive the object; pending
// handlers keep the worker's state alive until they run or the io_context is destroyed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/net/asio.hpp"

#include <nlohmann/json.hpp>

#include "server/alerts/routing.hpp"
#include "server/tracking/pipeline.hpp"

namespace sahil::app {

/// `[alerts] webhook_*` settings (config/sahil.toml documents the keys).
struct WebhookConfig {
    /// Whole exchange of one attempt: resolve, connect, send, read the response
    /// (`webhook_timeout_s`, 0.1..300 s).
    std::chrono::milliseconds timeout{10'000};
    /// Back-off after the first failed attempt of an agency (`webhook_backoff_min_s`).
    std::chrono::milliseconds backoff_min{1'000};
    /// Longest back-off (`webhook_backoff_max_s`), >= backoff_min.
    std::chrono::milliseconds backoff_max{300'000};
};

/// A webhook URL taken apart: `http://host[:port][/path][?query]`.
struct WebhookUrl {
    std::string host;        ///< name or address to connect to (IPv6 without brackets)
    std::string port = "80"; ///< decimal, 1..65535
    std::string target;      ///< request-target: path and query, at least "/"
    std::string host_header; ///< Host header value: host, [v6], with ":port" unless 80
};

/// Parses a webhook URL. Only plain `http://` (no TLS: put a TLS-terminating proxy in front);
/// no user name or password in the URL (use webhook_token); no fragment; no spaces or control
/// characters. @returns the parts, or std::nullopt with the reason in `error`.
[[nodiscard]] std::optional<WebhookUrl> parse_webhook_url(std::string_view url,
                                                          std::string* error = nullptr);

/// Delay before the next attempt after `failures` (>= 1) consecutive failed attempts:
/// min(backoff_max, backoff_min * 2^(failures-1)) shortened by up to 20 % of jitter
/// (`jitter` in [0, 1): 0 = the full delay). With the defaults: ~1, 2, 4, 8 ... 256, 300, 300 s.
/// The jitter spreads the retries of many alerts and daemons so that a receiver coming back is
/// not hit by all of them at once; at most 20 % keeps consecutive delays increasing.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const WebhookConfig& config, int failures,
                                                      double jitter);

/// Ids of the agencies that have a webhook_url: the AlertStore writes outbox rows for these only
/// (AlertStoreConfig::webhook_agencies).
[[nodiscard]] std::set<std::string> webhook_agency_ids(const std::vector<alerts::Agency>& agencies);

namespace detail {
class WebhookWorker;
} // namespace detail

/// The delivery worker; see the file comment.
class WebhookDelivery : public tracking::AlertSink {
public:
    /// Opens its own read-write connection to `registry_db` (migrated by whoever opened it
    /// first) and prepares one lane per agency with a webhook_url. Does not send anything yet.
    /// @throws registry::RegistryError when the database cannot be opened;
    ///         std::invalid_argument for a webhook_url that parse_webhook_url() refuses (the
    ///         config loader has already reported it).
    WebhookDelivery(boost::asio::io_context& ioc, const std::filesystem::path& registry_db,
                    const std::vector<alerts::Agency>& agencies, WebhookConfig config = {});
    /// Calls stop().
    ~WebhookDelivery() override;
    WebhookDelivery(const WebhookDelivery&) = delete;
    WebhookDelivery& operator=(const WebhookDelivery&) = delete;

    /// Starts delivering: whatever the outbox holds pending (also from before a restart) is
    /// sent when due. Call once.
    void start();

    /// Something new may be in the outbox (a new alert was committed): look now instead of at
    /// the next scheduled time. Cheap; any thread; does nothing after stop().
    void notify();

    /// tracking::AlertSink: notify() for each newly created alert.
    void on_alert(const alerts::Alert& alert, bool created) override;

    /// Stops: no new attempts; a request in flight is abandoned without being marked, so it
    /// stays pending and is sent again after a restart (the Idempotency-Key covers the repeat).
    /// Idempotent, any thread, does not wait.
    void stop();

    /// Counters per agency with a webhook, also agencies with outbox rows but no webhook:
    /// {"msa": {"pending": 2, "delivered": 40, "failed_attempts": 3,
    ///          "consecutive_failures": 1, "last_error": "connect 10.0.0.5:8080: ..."}}.
    /// `pending`/`delivered` are the outbox totals (all time); `failed_attempts` and
    /// `last_error` count since start. Any thread (a short database read).
    /// @throws registry::RegistryError on a database failure.
    [[nodiscard]] nlohmann::ordered_json stats() const;

private:
    std::shared_ptr<detail::WebhookWorker> m_worker;
};

} // namespace sahil::app

#include "server/app/webhook_delivery.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "registry/database.hpp"
#include "server/app/log.hpp"
#include "server/store/alert_store.hpp"

namespace sahil::app {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::io_context::executor_type>;
using std::chrono::milliseconds;

/// Largest response body read from a receiver; the rest is not needed (only the status counts).
constexpr std::size_t max_response_body_bytes = 64 * 1024;
/// Most outbox rows looked at per pass (AlertStore::due_deliveries caps at 1000).
constexpr std::size_t due_batch = 1000;
/// With nothing due, the outbox is still re-read this often: rows written by another process
/// (e.g. `sahil replay` on the same registry.db) announce nothing to this one.
constexpr milliseconds idle_recheck{60'000};

std::int64_t wall_clock_ms() {
    return std::chrono::duration_cast<milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const char c = s[i] >= 'A' && s[i] <= 'Z' ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
        if (c != prefix[i]) {
            return false;
        }
    }
    return true;
}

bool host_chars_ok(std::string_view host, bool bracketed) {
    return std::all_of(host.begin(), host.end(), [bracketed](char c) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        return alnum || c == '.' || c == '-' || c == '_' || (bracketed && (c == ':' || c == '%'));
    });
}

/// Untrusted receiver text made safe for one log line.
std::string printable_excerpt(std::string_view s, std::size_t max_bytes) {
    std::string out;
    for (const char c : s.substr(0, max_bytes)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u >= 0x7f) ? ' ' : c;
    }
    if (s.size() > max_bytes) {
        out += "...";
    }
    return out;
}

std::string seconds_text(milliseconds d) {
    if (d < milliseconds(1000)) {
        return fmt::format("{} ms", d.count());
    }
    return fmt::format("{:.1f} s", static_cast<double>(d.count()) / 1000.0);
}

/// The outcome of one attempt.
struct AttemptResult {
    bool ok = false;     ///< a 2xx answer
    unsigned status = 0; ///< HTTP status when an answer came, else 0
    std::string error;   ///< why it failed; empty when ok
    std::string body;    ///< the answer's body when not 2xx (untrusted, at most 64 KiB)

    static AttemptResult failure(std::string why, unsigned status = 0, std::string body = {}) {
        AttemptResult r;
        r.status = status;
        r.error = std::move(why);
        r.body = std::move(body);
        return r;
    }
};

/// `text` with every occurrence of `secret` replaced by "[token]".
std::string scrubbed(std::string text, const std::string& secret) {
    if (secret.empty()) {
        return text;
    }
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
        text.replace(pos, secret.size(), "[token]");
    }
    return text;
}

/// One HTTP exchange: resolve, connect, POST, read the answer; all within one deadline. Every
/// handler runs on the worker's strand. The completion callback runs exactly once, unless the
/// attempt is abandoned (then never).
class Attempt : public std::enable_shared_from_this<Attempt> {
public:
    using Done = std::function<void(const AttemptResult&)>;

    Attempt(const Strand& strand, WebhookUrl url, bhttp::request<bhttp::string_body> request,
            milliseconds timeout, Done done)
        : m_url(std::move(url)), m_resolver(strand), m_socket(strand), m_deadline(strand),
          m_request(std::move(request)), m_timeout(timeout), m_done(std::move(done)) {
        m_parser.body_limit(max_response_body_bytes);
    }

    void run() {
        m_deadline.expires_after(m_timeout);
        m_deadline.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) {
                self->finish(AttemptResult::failure(fmt::format(
                    "no answer within {} ({})", seconds_text(self->m_timeout), self->m_stage)));
            }
        });
        m_stage = "resolving " + m_url.host;
        m_resolver.async_resolve(
            m_url.host, m_url.port,
            [self = shared_from_this()](const boost::system::error_code& ec,
                                        const tcp::resolver::results_type& results) {
                self->on_resolve(ec, results);
            });
    }

    /// Drops the attempt: the callback will not run; connections are closed.
    void abandon() {
        m_done = nullptr;
        finish({});
    }

private:
    [[nodiscard]] std::string endpoint() const { return m_url.host + ":" + m_url.port; }

    void on_resolve(const boost::system::error_code& ec,
                    const tcp::resolver::results_type& results) {
        if (m_finished) {
            return;
        }
        if (ec) {
            finish(AttemptResult::failure(fmt::format("resolve {}: {}", m_url.host, ec.message())));
            return;
        }
        m_stage = "connecting to " + endpoint();
        asio::async_connect(
            m_socket, results,
            [self = shared_from_this()](const boost::system::error_code& cec,
                                        const tcp::endpoint&) { self->on_connect(cec); });
    }

    void on_connect(const boost::system::error_code& ec) {
        if (m_finished) {
            return;
        }
        if (ec) {
            finish(AttemptResult::failure(fmt::format("connect {}: {}", endpoint(), ec.message())));
            return;
        }
        m_stage = "sending to " + endpoint();
        bhttp::async_write(m_socket, m_request,
                           [self = shared_from_this()](const boost::system::error_code& wec,
                                                       std::size_t) { self->on_write(wec); });
    }

    void on_write(const boost::system::error_code& ec) {
        if (m_finished) {
            return;
        }
        if (ec) {
            finish(AttemptResult::failure(fmt::format("send to {}: {}", endpoint(), ec.message())));
            return;
        }
        m_stage = "waiting for the answer of " + endpoint();
        bhttp::async_read(m_socket, m_buffer, m_parser,
                          [self = shared_from_this()](const boost::system::error_code& rec,
                                                      std::size_t) { self->on_read(rec); });
    }

    void on_read(const boost::system::error_code& ec) {
        if (m_finished) {
            return;
        }
        if (ec) {
            finish(AttemptResult::failure(
                fmt::format("read answer of {}: {}", endpoint(), ec.message())));
            return;
        }
        const auto& res = m_parser.get();
        const unsigned status = res.result_int();
        if (status >= 200 && status < 300) {
            AttemptResult ok;
            ok.ok = true;
            ok.status = status;
            finish(ok);
            return;
        }
        finish(AttemptResult::failure(fmt::format("HTTP {} {}", status, std::string(res.reason())),
                                      status, res.body()));
    }

    void finish(const AttemptResult& result) {
        if (m_finished) {
            return;
        }
        m_finished = true;
        boost::system::error_code ignored;
        m_deadline.cancel();
        m_resolver.cancel();
        m_socket.shutdown(tcp::socket::shutdown_both, ignored);
        m_socket.close(ignored);
        if (m_done) {
            auto done = std::move(m_done);
            m_done = nullptr;
            done(result);
        }
    }

    WebhookUrl m_url;
    tcp::resolver m_resolver;
    tcp::socket m_socket;
    asio::steady_timer m_deadline;
    bhttp::request<bhttp::string_body> m_request;
    boost::beast::flat_buffer m_buffer;
    bhttp::response_parser<bhttp::string_body> m_parser;
    milliseconds m_timeout;
    Done m_done;
    std::string m_stage;
    bool m_finished = false;
};

} // namespace

std::optional<WebhookUrl> parse_webhook_url(std::string_view url, std::string* error) {
    auto fail = [error](std::string why) -> std::optional<WebhookUrl> {
        if (error != nullptr) {
            *error = std::move(why);
        }
        return std::nullopt;
    };
    constexpr std::string_view scheme = "http://";
    if (starts_with_ci(url, "https://")) {
        return fail("https is not supported: Sahil posts plain HTTP; point webhook_url at an "
                    "http:// TLS-terminating proxy on a trusted network");
    }
    if (!starts_with_ci(url, scheme)) {
        return fail("must be an http:// URL, e.g. \"http://10.0.0.5:8080/sahil/alerts\"");
    }
    for (const char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            return fail("must not contain spaces or control characters");
        }
    }
    if (url.find('#') != std::string_view::npos) {
        return fail("must not contain a fragment (#...)");
    }
    const std::string_view rest = url.substr(scheme.size());
    const auto authority_end = rest.find_first_of("/?");
    const std::string_view authority = rest.substr(0, authority_end);
    const std::string_view target =
        authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
    if (authority.find('@') != std::string_view::npos) {
        return fail("must not contain a user name or password (use webhook_token)");
    }
    std::string_view host;
    std::string_view port;
    bool has_port = false;
    const bool bracketed = authority.starts_with('[');
    if (bracketed) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return fail("has an unterminated [IPv6 address]");
        }
        host = authority.substr(1, close - 1);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return fail("expects :port after the ]");
            }
            has_port = true;
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        if (colon != authority.rfind(':')) {
            return fail("needs brackets around an IPv6 address, e.g. http://[fd00::5]:8080/");
        }
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            has_port = true;
            port = authority.substr(colon + 1);
        }
    }
    if (host.empty() || !host_chars_ok(host, bracketed)) {
        return fail("needs a host name or address after http://");
    }
    WebhookUrl u;
    u.host = std::string(host);
    if (has_port) {
        int value = 0;
        const bool digits =
            !port.empty() && port.size() <= 5 &&
            std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) {
            value = std::stoi(std::string(port));
        }
        if (!digits || value < 1 || value > 65535) {
            return fail("has a port that is not 1..65535");
        }
        u.port = std::to_string(value);
    }
    if (target.empty()) {
        u.target = "/";
    } else if (target.front() == '?') {
        u.target = "/" + std::string(target);
    } else {
        u.target = std::string(target);
    }
    u.host_header = bracketed ? "[" + u.host + "]" : u.host;
    if (u.port != "80") {
        u.host_header += ":" + u.port;
    }
    return u;
}

milliseconds backoff_delay(const WebhookConfig& config, int failures, double jitter) {
    const double min_ms =
        static_cast<double>(std::max<milliseconds::rep>(config.backoff_min.count(), 1));
    const double max_ms = std::max(static_cast<double>(config.backoff_max.count()), min_ms);
    const int n = std::clamp(failures, 1, 63);
    const double base = std::min(min_ms * std::ldexp(1.0, n - 1), max_ms);
    const double j = std::clamp(jitter, 0.0, 1.0);
    return milliseconds(std::max<long long>(1, std::llround(base * (1.0 - 0.2 * j))));
}

std::set<std::string> webhook_agency_ids(const std::vector<alerts::Agency>& agencies) {
    std::set<std::string> ids;
    for (const auto& a : agencies) {
        if (!a.webhook_url.empty()) {
            ids.insert(a.id);
        }
    }
    return ids;
}

namespace detail {

/// The state behind WebhookDelivery, shared with its pending handlers. Everything but the
/// atomics, stats() and the members marked "m_mutex" runs on m_strand.
class WebhookWorker : public std::enable_shared_from_this<WebhookWorker> {
public:
    WebhookWorker(asio::io_context& ioc, const std::filesystem::path& registry_db,
                  const std::vector<alerts::Agency>& agencies, WebhookConfig config)
        : m_strand(asio::make_strand(ioc)), m_config(config), m_db(registry_db.string()),
          m_store(m_db), m_wake(m_strand), m_rng(std::random_device{}()) {
        for (const auto& a : agencies) {
            if (a.webhook_url.empty()) {
                continue;
            }
            std::string why;
            auto url = parse_webhook_url(a.webhook_url, &why);
            if (!url) {
                throw std::invalid_argument("agency " + a.id + ": webhook_url " + why);
            }
            Lane lane;
            lane.agency = a;
            lane.url = std::move(*url);
            m_lanes.emplace(a.id, std::move(lane));
        }
    }

    void start() {
        for (const auto& [id, lane] : m_lanes) {
            log::info("webhook", "agency={} delivers to {}:{}{}", id, lane.url.host, lane.url.port,
                      lane.agency.webhook_token.empty() ? "" : " with a token");
        }
        asio::post(m_strand, [self = shared_from_this()] { self->dispatch(); });
    }

    void notify() {
        if (m_stop_requested.load() || m_notify_posted.exchange(true)) {
            return;
        }
        asio::post(m_strand, [self = shared_from_this()] {
            self->m_notify_posted.store(false);
            self->dispatch();
        });
    }

    void stop() {
        if (m_stop_requested.exchange(true)) {
            return;
        }
        asio::post(m_strand, [self = shared_from_this()] { self->halt(); });
    }

    nlohmann::ordered_json stats() const {
        const std::lock_guard lock(m_mutex);
        const auto counts = m_store.outbox_counts();
        nlohmann::ordered_json out = nlohmann::ordered_json::object();
        auto count_of = [&counts](const std::string& agency, const char* status) {
            return counts.contains(agency) && counts[agency].contains(status)
                       ? counts[agency][status].get<std::int64_t>()
                       : std::int64_t{0};
        };
        for (const auto& [id, lane] : m_lanes) {
            out[id] = {{"pending", count_of(id, "pending")},
                       {"delivered", count_of(id, "delivered")},
                       {"failed_attempts", lane.failed_attempts},
                       {"consecutive_failures", lane.consecutive_failures},
                       {"last_error", lane.last_error}};
        }
        for (const auto& [agency, c] : counts.items()) {
            if (!m_lanes.contains(agency)) {
                out[agency] = {{"pending", count_of(agency, "pending")},
                               {"delivered", count_of(agency, "delivered")},
                               {"failed_attempts", 0},
                               {"consecutive_failures", 0},
                               {"last_error", "no webhook_url configured for this agency"}};
            }
        }
        return out;
    }

private:
    /// One agency: at most one request in flight, its own back-off.
    struct Lane {
        alerts::Agency agency;
        WebhookUrl url;
        std::shared_ptr<Attempt> attempt;  ///< the request in flight, if any
        std::int64_t hold_until_ms = 0;    ///< backing off: no attempt before (wall clock)
        int consecutive_failures = 0;      ///< m_mutex; 0 after a success
        std::uint64_t failed_attempts = 0; ///< m_mutex; since start
        std::string last_error;            ///< m_mutex; since start
    };

    /// Starts every due delivery whose lane is free, then sleeps until the next one is due.
    void dispatch() {
        if (m_stop_requested.load()) {
            return;
        }
        try {
            const std::int64_t now = wall_clock_ms();
            std::vector<store::Delivery> due;
            {
                const std::lock_guard lock(m_mutex);
                due = m_store.due_deliveries(now, due_batch);
            }
            for (const auto& d : due) {
                const auto it = m_lanes.find(d.agency);
                if (it == m_lanes.end()) {
                    park_orphan(d, now);
                    continue;
                }
                Lane& lane = it->second;
                if (!lane.attempt && lane.hold_until_ms <= now) {
                    send(lane, d);
                }
            }
            schedule(now);
        } catch (const std::exception& e) {
            // A database failure (disk full, I/O error): nothing is lost, the rows stay pending.
            log::error("webhook", "outbox: {}; trying again in {}", e.what(),
                       seconds_text(m_config.backoff_max));
            wake_after(m_config.backoff_max);
        }
    }

    void schedule(std::int64_t now) {
        std::optional<std::int64_t> next;
        {
            const std::lock_guard lock(m_mutex);
            next = m_store.next_delivery_ms();
        }
        milliseconds wait = idle_recheck;
        if (next && *next > now) {
            wait = std::min(wait, milliseconds(*next - now));
        } else if (next) {
            // Due rows whose lane is busy (its completion dispatches again) or backing off: look
            // again soon, also for rows of other lanes that fall due meanwhile.
            wait = std::min(wait,
                            std::clamp(m_config.backoff_min, milliseconds(10), milliseconds(1000)));
        }
        wake_after(wait);
    }

    void wake_after(milliseconds wait) {
        m_wake.expires_after(wait);
        m_wake.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
            if (!ec) {
                self->dispatch();
            }
        });
    }

    void send(Lane& lane, const store::Delivery& d) {
        std::optional<alerts::Alert> alert;
        {
            const std::lock_guard lock(m_mutex);
            alert = m_store.find(d.alert_id);
        }
        if (!alert) {
            record_failure(lane, d, "alert " + std::to_string(d.alert_id) + " not in the store");
            return;
        }
        const nlohmann::ordered_json body = {
            {"delivery_id", d.id}, {"agency", lane.agency.id}, {"alert", alerts::to_json(*alert)}};
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, lane.url.target, 11};
        req.set(bhttp::field::host, lane.url.host_header);
        req.set(bhttp::field::user_agent, "sahil-webhook");
        req.set(bhttp::field::content_type, "application/json");
        if (!lane.agency.webhook_token.empty()) {
            req.set(bhttp::field::authorization, "Bearer " + lane.agency.webhook_token);
        }
        req.set("Idempotency-Key",
                "sahil-alert-" + std::to_string(d.alert_id) + "-" + lane.agency.id);
        req.keep_alive(false);
        req.body() = body.dump();
        req.prepare_payload();
        std::weak_ptr<WebhookWorker> weak = weak_from_this();
        lane.attempt =
            std::make_shared<Attempt>(m_strand, lane.url, std::move(req), m_config.timeout,
                                      [weak, agency = lane.agency.id, d](const AttemptResult& r) {
                                          if (auto self = weak.lock()) {
                                              self->on_done(agency, d, r);
                                          }
                                      });
        lane.attempt->run();
    }

    void on_done(const std::string& agency, const store::Delivery& d, const AttemptResult& r) {
        Lane& lane = m_lanes.at(agency);
        lane.attempt.reset();
        try {
            if (r.ok) {
                {
                    const std::lock_guard lock(m_mutex);
                    m_store.mark_delivered(d.id);
                    // The receiver answers: rows pushed into a back-off (in this run or before
                    // a restart) are due now, so the backlog drains at once, oldest first.
                    m_store.release_backlog(agency, wall_clock_ms());
                    lane.consecutive_failures = 0;
                }
                lane.hold_until_ms = 0;
                log::debug("webhook",
                           "agency={} delivery={} alert={} delivered: HTTP {} (attempt {})", agency,
                           d.id, d.alert_id, r.status, d.attempts + 1);
            } else {
                std::string error = r.error;
                if (!r.body.empty()) {
                    // Scrubbed before it is cut, so that no part of the token survives.
                    error +=
                        ": " + printable_excerpt(scrubbed(r.body, lane.agency.webhook_token), 160);
                }
                record_failure(lane, d, std::move(error));
            }
        } catch (const std::exception& e) {
            // Not marked: it is sent again later (the Idempotency-Key covers the repeat).
            log::error("webhook", "agency={} delivery={}: recording the outcome failed: {}", agency,
                       d.id, e.what());
        }
        dispatch();
    }

    /// Counts a failed attempt and backs the lane off; the row is retried when the lane is free.
    void record_failure(Lane& lane, const store::Delivery& d, std::string error) {
        // A receiver may echo the request in its error page: the token never reaches the log
        // or the outbox.
        error = scrubbed(std::move(error), lane.agency.webhook_token);
        const std::int64_t now = wall_clock_ms();
        std::uniform_real_distribution<double> jitter(0.0, 1.0);
        const int failures = std::max(lane.consecutive_failures, d.attempts) + 1;
        const milliseconds delay = backoff_delay(m_config, failures, jitter(m_rng));
        {
            const std::lock_guard lock(m_mutex);
            m_store.mark_failed(d.id, error, now + delay.count());
            lane.consecutive_failures = failures;
            ++lane.failed_attempts;
            lane.last_error = error;
        }
        lane.hold_until_ms = now + delay.count();
        log::warn(
            "webhook",
            "agency={} delivery={} alert={} attempt {} of this alert failed ({} failures in a "
            "row for the agency): {}; next attempt in {}",
            lane.agency.id, d.id, d.alert_id, d.attempts + 1, failures, error, seconds_text(delay));
    }

    /// A pending row for an agency that has no webhook (any more): it stays pending, looked at
    /// again every backoff_max, and the operator is told once per agency.
    void park_orphan(const store::Delivery& d, std::int64_t now) {
        {
            const std::lock_guard lock(m_mutex);
            m_store.mark_failed(d.id, "no webhook_url configured for agency " + d.agency,
                                now + m_config.backoff_max.count());
        }
        if (m_warned_orphans.insert(d.agency).second) {
            log::warn("webhook",
                      "agency={} has pending deliveries but no webhook_url in [[agencies]]; they "
                      "stay pending and are looked at every {}",
                      d.agency, seconds_text(m_config.backoff_max));
        }
    }

    void halt() {
        m_wake.cancel();
        for (auto& [id, lane] : m_lanes) {
            if (lane.attempt) {
                lane.attempt->abandon();
                lane.attempt.reset();
                log::info("webhook", "agency={} stopping: the delivery in flight stays pending",
                          id);
            }
        }
    }

    Strand m_strand;
    WebhookConfig m_config;
    mutable std::mutex m_mutex; ///< guards m_db/m_store and the lanes' counters
    registry::Database m_db;
    store::AlertStore m_store;
    std::map<std::string, Lane> m_lanes;
    asio::steady_timer m_wake;
    std::mt19937_64 m_rng;
    std::set<std::string> m_warned_orphans;
    std::atomic<bool> m_stop_requested{false};
    std::atomic<bool> m_notify_posted{false};
};

} // namespace detail

WebhookDelivery::WebhookDelivery(boost::asio::io_context& ioc,
                                 const std::filesystem::path& registry_db,
                                 const std::vector<alerts::Agency>& agencies, WebhookConfig config)
    : m_worker(std::make_shared<detail::WebhookWorker>(ioc, registry_db, agencies, config)) {}

WebhookDelivery::~WebhookDelivery() {
    m_worker->stop();
}

void WebhookDelivery::start() {
    m_worker->start();
}

void WebhookDelivery::notify() {
    m_worker->notify();
}

void WebhookDelivery::on_alert(const alerts::Alert& /*alert*/, bool created) {
    if (created) {
        m_worker->notify();
    }
}

void WebhookDelivery::stop() {
    m_worker->stop();
}

nlohmann::ordered_json WebhookDelivery::stats() const {
    return m_worker->stats();
}

} // namespace sahil::app

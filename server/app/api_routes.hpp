// The daemon's route table: every HTTP route of sahild with the roles that may call it, and the
// Router's authentication, harbour resolution, denial reporting and error logging.
//
// `http::Router router = make_api_router(api, monitoring);` -> GET /api/health (public),
// GET /api/vessels (every role), GET /api/feeds and /api/stats (admin, cg_watchkeeper,
// msa_officer, auditor: monitoring is not public, ASVS 13.4.5), the alert routes of
// alerts_api.hpp (read: every role but clerk; act: admin, cg_watchkeeper, msa_officer) and the
// WebSocket stream, the registry routes, the account routes of auth_api.hpp, and the track
// history and OGC API – Features routes of tracks_api.hpp (read: admin, cg_watchkeeper,
// msa_officer, msa_analyst, auditor; export: admin, msa_analyst).
// tests/http/route_matrix_test.cpp builds this same router (with a test double of the
// MonitoringSource) and checks every route x role x harbour against its own expected table, so
// a route added here without a line in that table fails the test.
// Data path: HttpServer -> Router (this table) -> handlers -> MonitoringSource / ApiContext.
//
// Thread-safety: handlers run on any io thread; MonitoringSource implementations and
// ApiContext must allow that.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/alerts/alert.hpp"
#include "server/app/api_context.hpp"
#include "server/http/router.hpp"
#include "server/store/alert_store.hpp"

namespace sahil::app {

/// What the monitoring routes read: implemented by the daemon over the engine, the feeds and
/// the alert store, and by a stub in tests. Methods may be called from any io thread.
class MonitoringSource {
public:
    virtual ~MonitoringSource() = default;
    /// Seconds since the daemon started.
    [[nodiscard]] virtual std::int64_t uptime_s() const = 0;
    /// Stored alerts matching `query`, newest first. @throws on a database failure.
    [[nodiscard]] virtual std::vector<alerts::Alert> alerts(const store::AlertQuery& query) = 0;
    /// Calls `done` once, now or later from another thread, with
    /// `{"vessels": [...], "count": n}` (the live vessel table).
    virtual void vessels(std::function<void(nlohmann::ordered_json)> done) = 0;
    /// `{"feeds": [...]}`: the state and counters of every feed.
    [[nodiscard]] virtual nlohmann::ordered_json feeds() = 0;
    /// Calls `done` once, now or later from another thread, with the /api/stats object.
    virtual void stats(std::function<void(nlohmann::ordered_json)> done) = 0;
};

class AlertStream; // alert_stream.hpp

/// Registers GET /api/health, /api/vessels, /api/feeds and /api/stats (the alert routes are
/// alerts_api.hpp's; MonitoringSource::alerts() remains for tests and tools).
void add_monitoring_routes(http::Router& router, MonitoringSource& monitoring);

/// The whole API router of sahild: monitoring and account routes (and, later, the registry
/// routes), with ApiContext as authenticator and harbour resolver, denials logged (401 at debug
/// level, 403 as warnings) and 403s of signed-in users appended to the audit trail
/// ("auth.denied", ASVS 16.3.2), handler exceptions logged. `api` and `monitoring` must
/// outlive the router. `stream` serves the WebSocket GET /api/alerts/stream (alert_stream.hpp;
/// null: the route answers 503) and must outlive the router too.
[[nodiscard]] http::Router make_api_router(ApiContext& api, MonitoringSource& monitoring,
                                           AlertStream* stream = nullptr);

} // namespace sahil::app

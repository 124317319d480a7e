// `sahild`: the daemon. Wires feeds (server/net) -> tracking strand (Engine pipeline) -> alerts
// (stored, printed as JSON lines on stdout, logged) and serves the HTTP API (server/http) whose
// route table, with the roles of every route, is make_api_router (api_routes.hpp): health,
// alerts, vessels, feeds, stats, sign-in, accounts and the audit trail (docs/api.md).
//
// Concurrency (DESIGN.md): one io_context run by a few threads; each feed session on its own
// strand; all tracking, rules and alert writes on one tracking strand, so vessel state needs no
// locks and each vessel's fixes stay in order. API reads of vessel state are posted to the
// tracking strand; alert reads use their own read-only SQLite connection; accounts (and the
// registry) use the API's own read-write connection, serialised by ApiContext::mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "server/app/config.hpp"

namespace sahil::app {

/// Options from sahild's command line.
struct DaemonOptions {
    bool once = false;    ///< exit when every file feed has been replayed (demos, tests)
    unsigned threads = 2; ///< io_context threads (≥ 2: tracking and I/O overlap)
    /// Called once listening, with the HTTP port actually bound (0 when HTTP is off). Tests.
    std::function<void(std::uint16_t http_port)> on_started;
    /// Called at exit with the final counters: {"feeds": [...], "tracking": {...}}. Tests.
    std::function<void(const nlohmann::ordered_json& stats)> on_exit;
    /// Filled by run_daemon: calling it stops the daemon as SIGTERM would (from any thread).
    std::shared_ptr<std::function<void()>> stop;
};

/// Runs the daemon until SIGINT/SIGTERM (or, with `once`, until file feeds finish).
/// @returns a process exit code (see ExitCode in commands.hpp).
int run_daemon(const Config& config, const DaemonOptions& options);

} // namespace sahil::app

// Alerts HTTP API (issue 5; docs/api.md "Alerts"): the watch officers' routes under /api/alerts.
//
//   GET  /api/alerts                     list with filters -> {"alerts": [...], "count": n}
//   GET  /api/alerts/{id}                one alert with its journal and suppression
//   POST /api/alerts/{id}/acknowledge    {"note"?}
//   POST /api/alerts/{id}/assign         {"assignee", "note"?}
//   POST /api/alerts/{id}/note           {"note"}
//   POST /api/alerts/{id}/resolve        {"outcome", "note"?}
//   POST /api/alerts/{id}/suppress       {"reason", "hours"?}
//   GET  /api/alerts/suppressions        ?active=1
//   GET  /api/alerts/{id}/cap.xml        CAP 1.2 (server/alerts/cap.hpp)
//   GET  /api/alerts/feed.atom           Atom 1.0 (server/alerts/atom.hpp), list filters
// Readers: admin, supervisor, cg_watchkeeper, msa_officer, msa_analyst, auditor (not clerks).
// Actors: admin, cg_watchkeeper, msa_officer (supervisors are fisheries supervisors and do not
// act on security alerts). Nobody is limited to their agency's alerts: routing decides who is
// notified, not who may look; a console filters with ?agency=.
//
// Actions go through store::AlertStore::act on ApiContext's read-write connection under its
// mutex, with the signed-in user as actor, so each is journaled and audited (`alert.<action>`)
// in one transaction. Bodies are read strictly (unknown members are 422); store outcomes map to
// the error table (not_found 404, wrong_state 409, validation_failed 422). Bad query parameters
// are 400 `bad_request` naming the `parameter`, as on the other monitoring routes.
// Data path: HttpSession -> Router (auth, CSRF) -> handler -> AlertStore -> registry.db.
//
// Thread-safety: handlers run on any io thread; the store is used under ApiContext::mutex.
#pragma once

#include "server/alerts/cap.hpp"
#include "server/app/api_context.hpp"
#include "server/app/config.hpp"
#include "server/http/router.hpp"

namespace sahil::app {

/// Who publishes CAP and Atom documents, from the config: the host of `[registry]
/// certificate_base_url` (this installation's public address) names the installation and is
/// the tag: authority, and the URL makes links absolute; without it "local"/"localhost" and
/// relative links.
[[nodiscard]] alerts::FeedSource feed_source(const Config& config);

/// Registers every /api/alerts route (see the file comment) on `router`. `api` must outlive it.
void add_alert_routes(http::Router& router, ApiContext& api);

} // namespace sahil::app

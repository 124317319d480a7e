// Registry HTTP API: the fisheries clerks' and supervisors' routes under /api/registry
// (docs/api.md "Registry"): search, vessel records, registration, corrections, identifiers,
// owners, licences (issue, renew, suspend, reinstate, revoke), transponders, identity conflicts,
// closed seasons, patrol units, CSV import/export and certificates.
//
// Each route declares its roles and harbour scope (server/http/access.hpp); the Router enforces
// them before a handler runs. Handlers lock ApiContext::mutex around every registry call, turn
// registry Outcomes into the error table of docs/api.md (error_response), and mask personal data
// (CNIC, phone, address) unless http::may_see_pii() allows the caller to see it, in which case
// the read is recorded in the audit trail ("pii.read"). Request bodies are read strictly
// (registry_json.hpp: unknown members are errors). CNIC searches go in a POST body, never in a
// URL (ASVS 5.0 V14.2.1).
// Data path: HttpSession -> Router (auth) -> handler -> VesselRegistry -> registry.db.
//
// Thread-safety: handlers run on any io thread; the registry is used under ApiContext::mutex.
#pragma once

#include "server/app/api_context.hpp"
#include "server/http/router.hpp"

namespace sahil::app {

/// Registers every /api/registry route on `router`. `api.registry` must be set.
void add_registry_routes(http::Router& router, ApiContext& api);

} // namespace sahil::app

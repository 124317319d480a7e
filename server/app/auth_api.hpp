// The API's account routes: sign-in and sign-out, "who am I", password change, API tokens, and
// the administrators' user management and audit trail (docs/api.md "Authentication", "Admin").
//
// `POST /api/auth/login {"username":"amina","password":"..."}` -> 200 with
// `Set-Cookie: sahil_session=...; Path=/; HttpOnly; SameSite=Strict` and
// `{"user":{...},"role":"clerk","harbours":["PK-HBR-05"],"csrf_token":"...",
//   "must_change_password":true,...}`; later state-changing requests send the cookie and
// `X-CSRF-Token`. Machine clients send `Authorization: Bearer sahil_...` instead.
// Routes (Access in auth_api.cpp; tests/http/route_matrix_test.cpp holds the expected table):
//   POST   /api/auth/login                      public
//   POST   /api/auth/logout                     any signed-in user
//   GET    /api/auth/me                         any signed-in user
//   POST   /api/auth/password                   any signed-in user (own password)
//   GET    /api/auth/tokens                     any signed-in user (own; admin: all)
//   POST   /api/auth/tokens                     any signed-in user (own; admin: any user)
//   DELETE /api/auth/tokens/{id}                any signed-in user (own; admin: any)
//   GET    /api/admin/users                     admin
//   POST   /api/admin/users                     admin
//   POST   /api/admin/users/{id}/disable        admin
//   POST   /api/admin/users/{id}/enable         admin
//   POST   /api/admin/users/{id}/reset-password admin
//   POST   /api/admin/users/{id}/end-sessions   admin
//   GET    /api/admin/audit                     admin, auditor
//   GET    /api/admin/audit/verify              admin, auditor
//
// Thread-safety: handlers run on any io thread and lock ApiContext::mutex around the stores.
#pragma once

#include <string>
#include <string_view>

#include "server/app/api_context.hpp"
#include "server/http/router.hpp"

namespace sahil::app {

/// Registers the account routes above on `router`; `api` must outlive it.
void add_auth_routes(http::Router& router, ApiContext& api);

/// The Set-Cookie value that stores `token` in the session cookie: "sahil_session=<token>;
/// Path=/; HttpOnly; SameSite=Strict" and "; Secure" when `secure`. No Max-Age: the browser
/// forgets it when closed; the server ends it after the idle or absolute limit anyway.
[[nodiscard]] std::string session_cookie(std::string_view token, bool secure);

} // namespace sahil::app

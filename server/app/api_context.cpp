#include "server/app/api_context.hpp"

#include <chrono>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "registry/registry_error.hpp"
#include "registry/validation.hpp"
#include "registry/write_transaction.hpp"
#include "server/app/engine.hpp"

namespace sahil::app {
namespace {

registry::AccountOptions account_options(const AuthConfig& auth, registry::PasswordParams params) {
    registry::AccountOptions o;
    o.password_params = params;
    o.session_idle = std::chrono::minutes(auth.session_idle_minutes);
    o.session_max = std::chrono::hours(auth.session_max_hours);
    o.lock_after_failures = auth.login_lock_failures;
    o.lock_duration = std::chrono::minutes(auth.login_lock_minutes);
    return o;
}

const std::string& ensure_dir(const Config& config) {
    if (config.paths.registry_db.string() != ":memory:") {
        ensure_parent_dir(config.paths.registry_db);
    }
    return config.paths.registry_db.native();
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) {
        out += (out.empty() ? "" : ",") + s;
    }
    return out;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(text[i]) != lower(prefix[i])) {
            return false;
        }
    }
    return true;
}

/// The query that finds the harbour(s) of the object for a database scope.
const char* harbour_query(http::HarbourScope scope) {
    switch (scope) {
    case http::HarbourScope::vessel_id:
        return "SELECT home_harbour FROM vessels WHERE id = ?1";
    case http::HarbourScope::licence_id:
        return "SELECT v.home_harbour FROM licences l JOIN vessels v ON v.id = l.vessel_id "
               "WHERE l.id = ?1";
    case http::HarbourScope::transponder_id:
        return "SELECT v.home_harbour FROM transponders t JOIN vessels v ON v.id = t.vessel_id "
               "WHERE t.id = ?1";
    case http::HarbourScope::identifier_id:
        return "SELECT v.home_harbour FROM identifiers i JOIN vessels v ON v.id = i.vessel_id "
               "WHERE i.id = ?1";
    case http::HarbourScope::party_id:
        // Harbours of the vessels the party has a current role on (owner, operator ...).
        return "SELECT DISTINCT v.home_harbour FROM vessel_parties vp JOIN vessels v ON v.id = "
               "vp.vessel_id WHERE vp.party_id = ?1 AND vp.valid_from <= ?2 AND (vp.valid_to "
               "IS NULL OR vp.valid_to >= ?2)";
    case http::HarbourScope::none:
    case http::HarbourScope::body_harbour:
        break;
    }
    return nullptr;
}

} // namespace

ApiContext::ApiContext(const Config& cfg, std::vector<std::string> harbour_ids,
                       registry::PasswordParams password_params,
                       registry::AccountStore::Clock clock)
    : auth(cfg.auth), config(cfg), db(ensure_dir(cfg)), audit(db, clock),
      accounts(
          db,
          [&] {
              auto o = account_options(cfg.auth, password_params);
              o.harbour_known = [this](std::string_view id) { return harbour_known(id); };
              return o;
          }(),
          clock),
      m_harbour_ids(harbour_ids.begin(), harbour_ids.end()) {
    pii = registry::PiiVault::open(cfg.registry.pii_key_file, cfg.registry.create_pii_key, db,
                                   pii_note);
    std::vector<registry::AuthorityPattern> patterns;
    for (const auto& p : cfg.registry.patterns) {
        // load_config() has checked scheme and pattern already.
        patterns.push_back(
            {p.authority, *registry::parse_id_scheme(p.scheme), p.pattern, p.example});
    }
    registry = std::make_unique<registry::VesselRegistry>(
        db, registry::IdentifierRules(std::move(patterns)), pii ? &pii->cipher() : nullptr,
        pii ? &pii->index() : nullptr, registry::VesselRegistry::Clock(clock));
}

void ApiContext::set_harbour_ids(const std::vector<std::string>& ids) {
    const std::lock_guard lock(mutex);
    m_harbour_ids = std::set<std::string, std::less<>>(ids.begin(), ids.end());
}

bool ApiContext::harbour_known(std::string_view id) const {
    return m_harbour_ids.find(id) != m_harbour_ids.end();
}

std::optional<http::Authentication> ApiContext::authenticate(const http::Request& request) {
    if (const auto authorization = request.header("Authorization")) {
        if (!iequals_prefix(*authorization, "bearer ")) {
            return std::nullopt;
        }
        std::string_view token = authorization->substr(7);
        while (!token.empty() && token.front() == ' ') {
            token.remove_prefix(1);
        }
        const std::lock_guard lock(mutex);
        const auto found = accounts.authenticate_token(token);
        if (!found) {
            return std::nullopt;
        }
        auto principal = principal_of(found->user, true);
        if (!principal) {
            return std::nullopt;
        }
        return http::Authentication{std::move(*principal), false};
    }
    const auto cookie = request.cookie(session_cookie_name);
    if (!cookie) {
        return std::nullopt;
    }
    const std::lock_guard lock(mutex);
    const auto session = accounts.session(*cookie, request.header("X-CSRF-Token"));
    if (!session) {
        return std::nullopt;
    }
    auto principal = principal_of(session->user, false);
    if (!principal) {
        return std::nullopt;
    }
    return http::Authentication{std::move(*principal), session->csrf_ok};
}

std::vector<std::string> ApiContext::resolve_harbours(http::HarbourScope scope,
                                                      const http::Request& request) {
    std::vector<std::string> out;
    if (scope == http::HarbourScope::none) {
        return out;
    }
    if (scope == http::HarbourScope::body_harbour) {
        const auto body = nlohmann::json::parse(request.body, nullptr, false);
        const nlohmann::json* h = nullptr;
        if (body.is_object() && body.contains("vessel") && body["vessel"].is_object() &&
            body["vessel"].contains("home_harbour")) {
            h = &body["vessel"]["home_harbour"];
        } else if (body.is_object() && body.contains("home_harbour")) {
            h = &body["home_harbour"];
        }
        if (h != nullptr && h->is_string()) {
            out.push_back(h->get<std::string>());
        }
        return out;
    }
    const auto it = request.path_params.find("id");
    if (it == request.path_params.end() || it->second.empty() || it->second.size() > 18) {
        return out; // the router only matches digits; 19+ digits may overflow int64
    }
    const std::int64_t id = std::stoll(it->second);
    const auto today = std::chrono::floor<std::chrono::days>(accounts.now());
    const std::lock_guard lock(mutex);
    try {
        SQLite::Statement q(db.handle(), harbour_query(scope));
        q.bind(1, id);
        if (scope == http::HarbourScope::party_id) {
            q.bind(2, registry::format_iso_date(std::chrono::year_month_day{today}));
        }
        while (q.executeStep()) {
            out.push_back(q.getColumn(0).getString());
        }
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "api: finding the harbour of an object");
    }
    return out;
}

void ApiContext::set_track_zones(std::shared_ptr<const TrackZones> zones) {
    const std::lock_guard lock(m_zones_mutex);
    m_track_zones = std::move(zones);
}

std::shared_ptr<const TrackZones> ApiContext::track_zones() const {
    const std::lock_guard lock(m_zones_mutex);
    return m_track_zones;
}

void ApiContext::audit_event(const registry::Actor& actor, const registry::AuditEvent& event) {
    const std::lock_guard lock(mutex);
    try {
        registry::WriteTransaction tx(db);
        audit.append(actor, event);
        tx.commit();
    } catch (const SQLite::Exception& e) {
        throw registry::RegistryError::from_sqlite(e, "api: writing an audit row");
    }
}

registry::Actor actor_of(const http::Request& request, const http::RequestContext& context) {
    registry::Actor a;
    if (context.principal) {
        a.user = context.principal->username;
        a.role = std::string(http::to_string(context.principal->role));
        a.harbour = join(context.principal->harbours);
    } else {
        a.user = "(anonymous)";
        a.role = "none";
    }
    a.source = request.remote_address;
    a.request_id = context.request_id;
    return a;
}

std::optional<http::Principal> principal_of(const registry::UserInfo& user, bool via_api_token) {
    const auto role = http::parse_role(user.role);
    if (!role) {
        return std::nullopt;
    }
    http::Principal p;
    p.user_id = user.id;
    p.username = user.username;
    p.display_name = user.display_name;
    p.role = *role;
    p.harbours = user.harbours;
    p.via_api_token = via_api_token;
    // A one-time password restricts password sign-ins only; a token is its own credential.
    p.must_change_password = !via_api_token && user.must_change_password;
    return p;
}

unsigned http_status(registry::ErrorCode code) noexcept {
    switch (code) {
    case registry::ErrorCode::none:
        return 200;
    case registry::ErrorCode::validation_failed:
        return 422;
    case registry::ErrorCode::not_found:
        return 404;
    case registry::ErrorCode::duplicate:
    case registry::ErrorCode::wrong_state:
        return 409;
    case registry::ErrorCode::forbidden:
        return 403;
    case registry::ErrorCode::pii_unavailable:
        return 503;
    }
    return 500;
}

http::Response error_response(registry::ErrorCode code,
                              const std::vector<registry::FieldError>& errors) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : errors) {
        list.push_back({{"field", e.field}, {"message", e.message}});
    }
    const std::string message =
        errors.empty()
            ? std::string(registry::to_string(code))
            : (errors.front().field.empty() ? errors.front().message
                                            : errors.front().field + ": " + errors.front().message);
    return http::json_response(
        {{"error", registry::to_string(code)}, {"message", message}, {"errors", list}},
        http_status(code));
}

std::optional<nlohmann::json> json_body(const http::Request& request, http::Response& error,
                                        bool allow_empty) {
    if (request.body.empty() && allow_empty) {
        return nlohmann::json::object();
    }
    const auto type = request.header("Content-Type");
    const bool is_json = type && iequals_prefix(*type, "application/json") &&
                         (type->size() == 16 || (*type)[16] == ';' || (*type)[16] == ' ');
    if (!is_json) {
        error = http::json_error(415, "unsupported_media_type",
                                 "send the body as JSON with Content-Type: application/json");
        return std::nullopt;
    }
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        error = http::json_error(400, "bad_request", "the body must be one JSON object");
        return std::nullopt;
    }
    return body;
}

} // namespace sahil::app

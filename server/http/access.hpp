// Access control for the HTTP API: roles, the principal of a request, and the one decision
// function every route goes through (OWASP ASVS 5.0 V8: one authorisation choke point).
//
// Every route declares an Access when it is added to the Router: the roles that may call it,
// whether it changes state (then a browser session must send the CSRF token), and how the
// harbour of the object it touches is found (for clerks, who write only for their harbours).
// The Router authenticates the request (session cookie or API token), resolves the object's
// harbour through a HarbourResolver, calls authorize(), and only then runs the handler, which
// receives the principal in its RequestContext. tests/http/route_matrix_test.cpp checks every
// route × role × {own harbour, other harbour} against an independent expected table.
//
// Roles (registry issue; docs/api.md "Roles"):
//   admin          everything, accounts
//   clerk          fisheries clerk, scoped to harbours: reads the registry, writes only for
//                  vessels whose home harbour is one of theirs; sees PII of those owners
//   supervisor     suspends/reinstates/revokes licences, resolves identity conflicts, reads all
//   cg_watchkeeper Coast Guard operations room: vessels, alerts, registry read (PII masked)
//   msa_officer    MSA watch officer: as cg_watchkeeper
//   msa_analyst    MSA analyst: registry read, tracks and exports (later issue)
//   auditor        read-only everything including the audit trail (PII masked)
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahil::http {

/// A user's role. Stored lower-case in users.role.
enum class Role { admin, clerk, supervisor, cg_watchkeeper, msa_officer, msa_analyst, auditor };

/// All roles, in declaration order (for matrices and listings).
inline constexpr Role all_roles[] = {Role::admin,          Role::clerk,       Role::supervisor,
                                     Role::cg_watchkeeper, Role::msa_officer, Role::msa_analyst,
                                     Role::auditor};

/// "admin", "clerk", "supervisor", "cg_watchkeeper", "msa_officer", "msa_analyst", "auditor".
[[nodiscard]] std::string_view to_string(Role role) noexcept;
/// Inverse of to_string (exact, lower-case); std::nullopt for anything else.
[[nodiscard]] std::optional<Role> parse_role(std::string_view text) noexcept;

/// A set of roles (bit per Role).
class RoleSet {
public:
    constexpr RoleSet() = default;
    constexpr RoleSet(std::initializer_list<Role> roles) {
        for (Role r : roles) {
            m_bits |= bit(r);
        }
    }
    /// Every role.
    static constexpr RoleSet all() {
        RoleSet s;
        for (Role r : all_roles) {
            s.m_bits |= bit(r);
        }
        return s;
    }
    [[nodiscard]] constexpr bool contains(Role r) const noexcept { return (m_bits & bit(r)) != 0; }
    [[nodiscard]] constexpr bool empty() const noexcept { return m_bits == 0; }

private:
    static constexpr unsigned bit(Role r) { return 1u << static_cast<unsigned>(r); }
    unsigned m_bits = 0;
};

/// How a route finds the harbour of the object it acts on, for harbour-scoped roles (clerk).
enum class HarbourScope {
    none,           ///< Not harbour-scoped: the role list alone decides.
    vessel_id,      ///< Path parameter {id} is a vessel id; its home harbour decides.
    licence_id,     ///< Path parameter {id} is a licence id; its vessel's home harbour decides.
    transponder_id, ///< Path parameter {id} is a transponder id; its vessel's harbour decides.
    identifier_id,  ///< Path parameter {id} is an identifier id; its vessel's harbour decides.
    party_id,       ///< Path parameter {id} is a party id; the harbours of the vessels it has
                    ///< a current role on decide (any one of them that is the clerk's).
    body_harbour,   ///< The JSON body names the harbour ("vessel.home_harbour" or
                    ///< "home_harbour"); used when creating. A body that names none (not
                    ///< JSON, member missing) passes authorize() so that the handler can say
                    ///< what is wrong with it; such handlers must re-check the harbour of what
                    ///< they store against the principal's (register_vessel does).
};

/// What a route allows. `roles` empty and `public_route` false = nobody (a mistake the route
/// matrix test catches).
struct Access {
    RoleSet roles{};                         ///< Roles that may call the route at all.
    bool public_route = false;               ///< No authentication needed (health, login).
    bool state_changing = false;             ///< Needs the CSRF token for cookie sessions.
    HarbourScope scope = HarbourScope::none; ///< For harbour-scoped roles (clerk).
    RoleSet harbour_scoped{Role::clerk};     ///< Roles limited to their own harbours here.
    /// Reachable by a principal whose password must be changed first (Principal::
    /// must_change_password): only "who am I", change password and logout set this. Every
    /// other route answers 403 `password_change_required` to such a principal.
    bool allowed_before_password_change = false;
};

/// The authenticated caller of a request.
struct Principal {
    std::int64_t user_id = 0;
    std::string username{};
    Role role = Role::auditor;
    std::vector<std::string> harbours{}; ///< Harbour zone ids (clerks); empty otherwise.
    bool via_api_token = false;          ///< Authenticated by API token (no CSRF needed).
    /// The user still has a one-time password (new account, or reset by an administrator) and
    /// signed in with it: only routes with Access::allowed_before_password_change are open.
    /// Always false for API tokens (a token is its own credential, issued deliberately).
    bool must_change_password = false;
    std::string display_name{}; ///< For the UI ("Amina Baloch"); the username when unset.
};

/// Whether `principal` may act on an object whose harbour(s) are `object_harbours`.
enum class Decision {
    allow,
    unauthenticated, ///< 401: no or invalid session/token on a non-public route.
    forbidden,       ///< 403: role not allowed, or a harbour-scoped role on another harbour.
};

/// The decision for one request. `principal` empty = not authenticated. For a harbour-scoped
/// role on a route with a scope other than none, the request is allowed only when one of
/// `object_harbours` is among the principal's harbours (an object that does not exist has no
/// harbours: forbidden for scoped roles, so that a clerk cannot probe other harbours' ids; the
/// handler answers 404 to the others). Exception: body_harbour with no harbour (see there).
[[nodiscard]] Decision authorize(const Access& access, const std::optional<Principal>& principal,
                                 const std::vector<std::string>& object_harbours);

/// Whether `principal` may see the personal data (CNIC, phone, address) of an owner whose
/// vessels have `owner_harbours` as home harbours: admin always; clerk when one of them is
/// theirs; nobody else (they see masked values).
[[nodiscard]] bool may_see_pii(const Principal& principal,
                               const std::vector<std::string>& owner_harbours);

} // namespace sahil::http

#include "server/http/access.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace sahil::http {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 7> role_names{{
    {Role::admin, "admin"},
    {Role::clerk, "clerk"},
    {Role::supervisor, "supervisor"},
    {Role::cg_watchkeeper, "cg_watchkeeper"},
    {Role::msa_officer, "msa_officer"},
    {Role::msa_analyst, "msa_analyst"},
    {Role::auditor, "auditor"},
}};
static_assert(role_names.size() == std::size(all_roles), "one name per Role");

bool shares_a_harbour(const std::vector<std::string>& mine,
                      const std::vector<std::string>& object_harbours) {
    return std::any_of(object_harbours.begin(), object_harbours.end(), [&](const std::string& h) {
        return !h.empty() && std::find(mine.begin(), mine.end(), h) != mine.end();
    });
}

} // namespace

std::string_view to_string(Role role) noexcept {
    for (const auto& [r, name] : role_names) {
        if (r == role) {
            return name;
        }
    }
    return "unknown";
}

std::optional<Role> parse_role(std::string_view text) noexcept {
    for (const auto& [r, name] : role_names) {
        if (name == text) {
            return r;
        }
    }
    return std::nullopt;
}

Decision authorize(const Access& access, const std::optional<Principal>& principal,
                   const std::vector<std::string>& object_harbours) {
    if (access.public_route) {
        return Decision::allow;
    }
    if (!principal) {
        return Decision::unauthenticated;
    }
    if (!access.roles.contains(principal->role)) {
        return Decision::forbidden;
    }
    if (access.scope == HarbourScope::body_harbour && object_harbours.empty()) {
        // The body names no harbour (malformed, not JSON, member missing): the handler refuses
        // it as invalid (400/415/422) instead of a misleading 403, and re-checks the harbour it
        // stores (see HarbourScope::body_harbour).
        return Decision::allow;
    }
    if (access.scope != HarbourScope::none && access.harbour_scoped.contains(principal->role) &&
        !shares_a_harbour(principal->harbours, object_harbours)) {
        // Fail closed: an object without harbours (missing, or not resolvable) is not theirs.
        return Decision::forbidden;
    }
    return Decision::allow;
}

bool may_see_pii(const Principal& principal, const std::vector<std::string>& owner_harbours) {
    switch (principal.role) {
    case Role::admin:
        return true;
    case Role::clerk:
        return shares_a_harbour(principal.harbours, owner_harbours);
    default:
        return false;
    }
}

} // namespace sahil::http

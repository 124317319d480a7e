#include "registry/boat.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace sahil::registry {
namespace {

constexpr std::array boat_status_names{
    std::pair{BoatStatus::active, std::string_view{"active"}},
    std::pair{BoatStatus::suspended, std::string_view{"suspended"}},
    std::pair{BoatStatus::decommissioned, std::string_view{"decommissioned"}},
};

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
    const auto lower = [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
    };
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                              [&](char x, char y) { return lower(x) == lower(y); });
}

} // namespace

std::string_view to_string(BoatStatus status) noexcept {
    for (const auto& [value, name] : boat_status_names) {
        if (value == status) {
            return name;
        }
    }
    return "unknown";
}

std::optional<BoatStatus> parse_boat_status(std::string_view text) noexcept {
    for (const auto& [value, name] : boat_status_names) {
        if (equals_ignoring_ascii_case(text, name)) {
            return value;
        }
    }
    return std::nullopt;
}

LicenceState licence_state(const Boat& boat, std::chrono::sys_days on_date) noexcept {
    switch (boat.status) {
    case BoatStatus::suspended:
        return LicenceState::suspended;
    case BoatStatus::decommissioned:
        return LicenceState::decommissioned;
    case BoatStatus::active:
        break;
    }
    if (boat.status != BoatStatus::active) {
        return LicenceState::suspended; // a value outside the enum: fail safe, never "valid"
    }
    if (!boat.licence_valid_until) {
        return LicenceState::no_licence;
    }
    if (boat.licence_status == "suspended") {
        return LicenceState::suspended;
    }
    if (boat.licence_status == "revoked") {
        return LicenceState::revoked;
    }
    return on_date <= std::chrono::sys_days{*boat.licence_valid_until} ? LicenceState::valid
                                                                       : LicenceState::expired;
}

std::string_view to_string(LicenceState state) noexcept {
    switch (state) {
    case LicenceState::valid:
        return "valid";
    case LicenceState::expired:
        return "expired";
    case LicenceState::no_licence:
        return "no_licence";
    case LicenceState::suspended:
        return "suspended";
    case LicenceState::decommissioned:
        return "decommissioned";
    case LicenceState::revoked:
        return "revoked";
    }
    return "unknown";
}

} // namespace sahil::registry

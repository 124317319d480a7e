// Boat: one fishing boat as the registry records it, and its licence state on a given day.
//
// This is the minimal first record (registration number, name, MMSI, call sign, home harbour,
// licence expiry, status). It grows into the full model of registry-model.md §3 (vessel +
// identifiers + parties + licences); code that only needs "is this boat allowed out today?"
// should go through licence_state() so that it keeps working when licences become their own
// table. Example: `GWD-1234 "Al-Madina" MMSI 463123456 AP4521 PK-HBR-02 licence to 2025-12-31`.
//
// Thread-safety: plain values and pure functions; safe to use from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sahil::registry {

/// Registry status of a boat. Rows are never deleted: a boat that leaves service is
/// decommissioned.
enum class BoatStatus {
    active,         ///< In service; its licence decides whether it may fish.
    suspended,      ///< Registration or licence suspended by the authority; may not go to sea.
    decommissioned, ///< Out of service (scrapped, lost, sold away); kept for history.
};

/// Lower-case name as stored in the database and CSV files ("active", "suspended",
/// "decommissioned"); "unknown" for a value outside the enum.
[[nodiscard]] std::string_view to_string(BoatStatus status) noexcept;

/// Parses a status name, ASCII case-insensitively ("Active" is accepted); no surrounding spaces.
/// Returns std::nullopt for anything else.
[[nodiscard]] std::optional<BoatStatus> parse_boat_status(std::string_view text) noexcept;

/// A registered boat. Plain value; validate() says whether it may be stored. Every member has a
/// default, so designated initializers may name only the fields they need.
struct Boat {
    /// Database row id; 0 until stored.
    std::int64_t id = 0;
    /// Registration number as issued (e.g. "GWD-1234", "PSN/0456"); unique, case-insensitive.
    std::string registration_number{};
    /// Boat name as painted/registered, UTF-8 (Latin or Urdu script), at most 64 characters.
    std::string name{};
    /// 9-digit ITU MMSI of the boat's AIS transponder, if it has one (ITU-R M.585).
    std::optional<std::uint32_t> mmsi{};
    /// ITU radio call sign (e.g. "AP4521"); empty when none.
    std::string call_sign{};
    /// Home harbour: a zone id from config/geo/harbours.geojson (e.g. "PK-HBR-05" Pasni Fish
    /// Harbour) or a harbour name, stored as given.
    std::string home_harbour{};
    /// Last day (UTC) on which the fishing licence is valid; std::nullopt = no licence.
    std::optional<std::chrono::year_month_day> licence_valid_until{};
    /// Registry status.
    BoatStatus status = BoatStatus::active;

    // ---- read from the full model (schema 3); add() ignores them ----------------------------
    /// Vessel status in the full model (active, laid_up, under_repair, suspended, seized, lost,
    /// decommissioned); `status` above folds it into three values. "" when not read from the db.
    std::string vessel_status{};
    /// Status of the current licence (the non-superseded one ending last): "active",
    /// "suspended", "revoked", "expired"; "" when the boat has no licence.
    std::string licence_status{};
    /// First valid day of the current licence, if any.
    std::optional<std::chrono::year_month_day> licence_valid_from{};
    /// The current licence allows leaving harbour at night.
    bool night_fishing = false;
    /// The current licence allows fishing outside Pakistan's EEZ.
    bool foreign_waters = false;
    /// Zone ids the current licence names (empty = not restricted).
    std::vector<std::string> licence_zones{};
    /// A transponder (AIS, VMS, GSM tracker) is recorded as fitted now.
    bool has_transponder = false;
    /// An open identity conflict involves this boat (another boat claims its MMSI, or it claims
    /// another's).
    bool identity_conflict = false;

    friend bool operator==(const Boat&, const Boat&) = default;
};

/// Whether a boat may fish on a given day, as the departure rules see it.
enum class LicenceState {
    valid,          ///< Active and licensed through that day.
    expired,        ///< Active, but the licence ended before that day.
    no_licence,     ///< Active, never licensed (licence_valid_until empty).
    suspended,      ///< Boat or current licence suspended (regardless of the licence date).
    decommissioned, ///< Status decommissioned (regardless of the licence date).
    revoked,        ///< Current licence revoked by the authority.
};

/// Licence state of `boat` on the UTC day `on_date`. A licence is valid through the whole of
/// its valid_until day: valid when on_date <= licence_valid_until, expired from the next day.
/// Precedence: boat status suspended/decommissioned; no licence; licence_status "suspended" or
/// "revoked"; then the end date. The start date is not checked: a renewal starts the day after
/// the licence it supersedes ends, and v1 records (BoatStore::add, old CSV files) never knew it. For a fix time `t`
/// pass `std::chrono::floor<std::chrono::days>(t)`.
[[nodiscard]] LicenceState licence_state(const Boat& boat, std::chrono::sys_days on_date) noexcept;

/// Lower-case name ("valid", "expired", "no_licence", "suspended", "decommissioned",
/// "revoked").
[[nodiscard]] std::string_view to_string(LicenceState state) noexcept;

} // namespace sahil::registry

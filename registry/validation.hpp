// Boat validation: the field rules a boat must pass before it is stored, and strict parsers for
// the text forms of its fields (CSV cells, form inputs).
//
// Everything here takes untrusted input and never throws: problems come back as FieldError
// values naming the field (the same names as the database columns and CSV headers) with a
// message for the clerk, e.g. `{"mmsi", "must be 9 digits"}`.
//
// MMSI rules follow Recommendation ITU-R M.585-9 (05/2022), "Assignment and use of identities in
// the maritime mobile service": a ship station is `MIDXXXXXX`, 9 digits, whose Maritime
// Identification Digits are 201..775 (Annex 1 §1; Pakistan's MID is 463); numbers starting 0
// (group, coast station), 111 (SAR aircraft), 98/99 (craft of a parent ship, AtoN) and 970/972/
// 974 (AIS-SART, MOB, EPIRB-AIS; Annex 2) are not ship stations. Not every MID in 201..775 is
// allocated; the full ITU MID table is the identity rules' business, not the registry's.
//
// Thread-safety: pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/boat.hpp"

namespace sahil::registry {

/// One problem with one field: `field` is the column/CSV name ("mmsi"), `message` says what is
/// wrong in words a clerk can act on ("must be 9 digits").
struct FieldError {
    std::string field{};
    std::string message{};

    friend bool operator==(const FieldError&, const FieldError&) = default;
};

/// Longest registration number accepted, in characters (all ASCII).
inline constexpr std::size_t max_registration_number_length = 32;
/// Longest boat name accepted, in Unicode code points (Urdu names are 2 bytes per letter).
inline constexpr std::size_t max_boat_name_length = 64;
/// Longest call sign accepted (ITU call signs are at most 7 characters).
inline constexpr std::size_t max_call_sign_length = 7;
/// Longest home harbour (zone id or name) accepted, in code points.
inline constexpr std::size_t max_home_harbour_length = 64;

/// Checks every field of `boat` and returns all problems (at most one per field), in field order;
/// an empty vector means the boat may be stored. Uniqueness against other boats is BoatStore's
/// check, not this one. Rules:
///  * registration_number: required, no surrounding spaces, at most 32 characters, ASCII letters,
///    digits, '-' and '/' only;
///  * name: required, no surrounding spaces, valid UTF-8, no control characters (C0, DEL, C1,
///    U+2028/2029, bidirectional overrides, U+FEFF), at most 64 code points;
///  * mmsi: if present, see check_mmsi();
///  * call_sign: empty, or at most 7 upper-case letters A-Z and digits;
///  * home_harbour: required, same text rules as name;
///  * licence_valid_until: if present, a real calendar date;
///  * status: one of the BoatStatus values.
[[nodiscard]] std::vector<FieldError> validate(const Boat& boat);

/// Whether `mmsi` can identify a registered boat (ITU-R M.585): 100000000..999999999 (9 digits,
/// no leading 0), not an AIS-SART/MOB/EPIRB identity (970/972/974 prefix), MID (first 3 digits)
/// in 201..775, and not a placeholder with all nine digits equal. Returns std::nullopt when
/// acceptable, otherwise the reason ("MID 123 is not a ship-station MID (201..775)").
[[nodiscard]] std::optional<std::string> check_mmsi(std::uint32_t mmsi);

/// Parses exactly 9 ASCII digits (no sign, spaces or separators) into a number. Leading zeros
/// are accepted here (group/coast-station MMSIs have them) and rejected by check_mmsi().
/// Returns std::nullopt for anything else.
[[nodiscard]] std::optional<std::uint32_t> parse_mmsi(std::string_view text) noexcept;

/// Parses a strict ISO 8601 calendar date `YYYY-MM-DD` (exactly 10 characters, 4-digit year)
/// that exists in the proleptic Gregorian calendar ("2024-02-29" yes, "2025-02-29" no).
/// Returns std::nullopt for anything else, including times, week dates and spaces.
[[nodiscard]] std::optional<std::chrono::year_month_day>
parse_iso_date(std::string_view text) noexcept;

/// Rules for free text typed by a clerk (names, harbour, address): valid UTF-8, no control or
/// bidirectional-override characters, no surrounding spaces, at most `max_code_points` code
/// points; empty text is "required" when `required`, otherwise accepted. Returns the problem in
/// words ("must be at most 64 characters (has 70)") or std::nullopt.
[[nodiscard]] std::optional<std::string>
check_free_text(std::string_view text, std::size_t max_code_points, bool required);

/// Formats a date as `YYYY-MM-DD` (the inverse of parse_iso_date for years 0..9999).
[[nodiscard]] std::string format_iso_date(std::chrono::year_month_day date);

} // namespace sahil::registry

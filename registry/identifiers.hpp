// Identifiers: normalisation and validation of the numbers a boat is known by (official number,
// provincial registration, licence numbers, MMSI, call sign, IMO number, VMS id…) and of the
// person fields the registry keeps for owners and skippers (CNIC, phone), plus the matching key
// of a vessel name. Example: `check(IdScheme::imo, "IMO 9074729", "BAL-FISH")` gives
// `{"9074729", {}, {}}`; `check(IdScheme::mmsi, "419 123 456", "BAL-FISH")` gives
// `{"419123456", {}, {"MID 419 is India; Pakistani boats use 463"}}`.
//
// Where it sits: between the forms/CSV import (untrusted text) and the registry tables; the
// normalised value is what is stored and compared. Nothing here throws on bad input: problems
// come back as FieldError values (field "value") or std::nullopt, with messages a fisheries
// clerk can act on. Only IdentifierRules' constructor throws, for a bad configuration.
//
// Specifications followed (cited again on each function):
//  * MMSI: Recommendation ITU-R M.585-9 (05/2022), "Assignment and use of identities in the
//    maritime mobile service"; MIDs from the ITU Table of Maritime Identification Digits (ITU-R
//    MARS database, https://www.itu.int/en/ITU-R/terrestrial/fmd/Pages/mid.aspx).
//  * IMO ship identification number: IMO Resolution A.1078(28) and SOLAS chapter XI-1 reg. 3.
//  * Call signs: ITU Radio Regulations Appendix 42 (Table of allocation of international call
//    sign series): Pakistan holds AP–AS and 6P–6S.
//  * CNIC: NADRA's 13-digit Computerised National Identity Card number, written 5-7-1.
//  * Phone: ITU-T E.164 with Pakistan's numbering plan (country code 92, mobile 3XX XXXXXXX).
//
// Thread-safety: free functions are pure; an IdentifierRules is immutable after construction
// and check() may be called from any number of threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/validation.hpp"

namespace sahil::registry {

/// The identifier schemes a boat can carry. Stored by their to_string() names.
enum class IdScheme {
    official_number,    ///< Federal official number (Mercantile Marine Department register).
    provincial_reg,     ///< Provincial fisheries registration (e.g. Balochistan "BAL-GWD-1234").
    fishing_licence_no, ///< Provincial fishing licence number.
    mfd_licence,        ///< Marine Fisheries Department (federal, EEZ) licence number.
    mmsi,               ///< 9-digit ITU Maritime Mobile Service Identity (ITU-R M.585-9).
    call_sign,          ///< ITU radio call sign (RR Appendix 42), at most 7 characters.
    imo,                ///< 7-digit IMO ship identification number with check digit.
    vms_id,             ///< Vessel-monitoring-system terminal id as issued by the VMS provider.
    cooperative_no,     ///< Fishermen's cooperative society membership number.
    other,              ///< Any other number; free-form within the common character rules.
};

/// Name as stored in the database and CSV files: "official_number", "provincial_reg",
/// "fishing_licence_no", "mfd_licence", "mmsi", "call_sign", "imo", "vms_id",
/// "cooperative_no", "other"; "unknown" for a value outside the enum.
[[nodiscard]] std::string_view to_string(IdScheme scheme) noexcept;

/// Parses a scheme name (the to_string() names), ASCII case-insensitively ("IMO" is accepted);
/// no surrounding spaces. Returns std::nullopt for anything else.
[[nodiscard]] std::optional<IdScheme> parse_id_scheme(std::string_view text) noexcept;

/// Longest free-form identifier (official number, registration, licence, VMS, cooperative and
/// other numbers) accepted, in characters after normalisation (all ASCII).
inline constexpr std::size_t max_identifier_length = 32;
/// Longest authority pattern accepted, in characters (bounds the regex compile cost).
inline constexpr std::size_t max_authority_pattern_length = 200;

/// One configured rule: values of `scheme` issued by `authority` must match `pattern` in full.
struct AuthorityPattern {
    /// Authority code as used in the registry and config, e.g. "BAL-FISH"; compared exactly.
    std::string authority{};
    /// Scheme the pattern applies to.
    IdScheme scheme = IdScheme::other;
    /// ECMAScript regular expression (std::regex) the whole *normalised* value must match, so it
    /// is written in upper case: e.g. "BAL-[A-Z]{3}-[0-9]{1,6}". At most 200 characters.
    std::string pattern{};
    /// A value that matches, shown to the clerk in the error message ("BAL-GWD-1234"); may be
    /// empty. When given, it must itself match `pattern`.
    std::string example{};
};

/// Normalises and checks identifiers, with optional per-authority patterns from the config.
/// Immutable after construction; check() is safe to call concurrently.
class IdentifierRules {
public:
    /// Outcome of check(): the normalised value (stored as is), the errors that make it
    /// unacceptable (field "value"; empty = acceptable) and warnings the clerk should see but
    /// that do not block saving.
    struct Checked {
        std::string value{};
        std::vector<FieldError> errors{};
        std::vector<std::string> warnings{};
    };

    /// Rules without any authority pattern: only the built-in scheme rules apply.
    IdentifierRules() = default;

    /// Rules with authority patterns (usually from the config).
    /// @throws std::invalid_argument naming the authority and scheme when a pattern is empty,
    ///         longer than 200 characters or does not compile as an ECMAScript regex, when its
    ///         example does not match it, or when (authority, scheme) is given twice.
    /// Patterns come from the operator's config, not from clerks: a pattern prone to
    /// catastrophic backtracking (e.g. "(A+)+B") is the operator's responsibility; values are
    /// only matched after passing the built-in rules, so they are at most 32 characters.
    explicit IdentifierRules(std::vector<AuthorityPattern> patterns);

    /// Normalises `value` for `scheme`, then validates it:
    ///  * every scheme: surrounding ASCII whitespace removed; an empty value is an error;
    ///  * mmsi: spaces, '-' and '.' between digits removed (digits kept); 9 digits whose MID
    ///    (first 3 digits) is an allocated ship-station MID (see check_mmsi_text());
    ///    for `pakistani_flag` boats a MID other than 463 is a warning, not an error;
    ///  * imo: an "IMO" prefix (any case) and all spaces removed; 7 digits with a valid check
    ///    digit (imo_check_digit_ok());
    ///  * call_sign: upper-cased; 3–7 letters A-Z and digits; for `pakistani_flag` boats in the
    ///    Pakistan series AP–AS / 6P–6S (check_call_sign_pk());
    ///  * all other schemes: upper-cased, runs of inner spaces collapsed to one; 1–32 of A-Z,
    ///    0-9, '-', '/', '.' and ' '.
    /// Then, if the built-in rules passed and a pattern is configured for (`authority`,
    /// `scheme`), the normalised value must match it in full, else the error reads "does not
    /// match the BAL-FISH pattern for provincial_reg, e.g. BAL-GWD-1234". At most one error.
    [[nodiscard]] Checked check(IdScheme scheme, std::string_view value, std::string_view authority,
                                bool pakistani_flag = true) const;

private:
    struct CompiledPattern; // AuthorityPattern + its std::regex (kept out of this header)
    const CompiledPattern* find(std::string_view authority, IdScheme scheme) const noexcept;

    // Shared and immutable: copies of the rules share the compiled patterns.
    std::vector<std::shared_ptr<const CompiledPattern>> m_patterns;
};

/// Whether `seven_digits` is exactly 7 ASCII digits whose last digit is the IMO check digit:
/// (d1·7 + d2·6 + d3·5 + d4·4 + d5·3 + d6·2) mod 10 == d7 (IMO Res. A.1078(28), SOLAS XI-1/3).
/// E.g. "9074729": 63+0+35+16+21+4 = 139 → 9, valid; "9074728" invalid. No prefix or spaces.
[[nodiscard]] bool imo_check_digit_ok(std::string_view seven_digits) noexcept;

/// Checks a normalised (upper-case, trimmed) call sign against the Pakistan series of ITU RR
/// Appendix 42 (AP–AS and 6P–6S): `^(A[P-S]|6[P-S])[A-Z0-9]{1,5}$`, i.e. 3–7 characters.
/// Returns std::nullopt when it fits, otherwise the reason for the clerk.
[[nodiscard]] std::optional<std::string> check_call_sign_pk(std::string_view call_sign);

/// Checks a 9-digit MMSI written as text (digits only, already normalised) as a ship-station
/// identity (ITU-R M.585-9): not a placeholder (all digits equal, 123456789), not a group or
/// coast station (leading 0), SAR aircraft (111), handheld (8), AIS-SART/MOB/EPIRB-AIS
/// (970/972/974), parent-ship craft or aid to navigation (98/99), and a MID allocated in the ITU
/// MID table. Returns std::nullopt when acceptable, otherwise the reason. The flag-state warning
/// is IdentifierRules::check()'s business.
[[nodiscard]] std::optional<std::string> check_mmsi_text(std::string_view nine_digits);

/// Whether `mid` (the first 3 digits of a ship MMSI, 201..775) is allocated to a country or
/// area in the ITU Table of Maritime Identification Digits (about 290 entries, compiled in).
[[nodiscard]] bool is_allocated_mid(unsigned mid) noexcept;

/// Country or geographical area of an allocated MID ("Pakistan" for 463, "India" for 419);
/// "" when `mid` is not allocated.
[[nodiscard]] std::string_view mid_country(unsigned mid) noexcept;

/// Normalises a CNIC (Computerised National Identity Card number, NADRA) to its 13 digits.
/// Accepts 13 digits ("4210112345673") or the 5-7-1 dashed form ("42101-1234567-3"), with
/// surrounding ASCII whitespace; the first digit must be 1–9 (no CNIC starts with 0; there is
/// no public checksum, so nothing else is checked). Returns std::nullopt for anything else.
[[nodiscard]] std::optional<std::string> normalise_cnic(std::string_view input);

/// Why `input` is not a CNIC normalise_cnic() accepts ("CNIC must be 13 digits, e.g.
/// 42101-1234567-3 (has 12)"), or std::nullopt when it is one.
[[nodiscard]] std::optional<std::string> check_cnic(std::string_view input);

/// Formats a CNIC (13 digits or already dashed) as "42101-1234567-3". Input that is not a CNIC
/// (see normalise_cnic()) is returned unchanged.
[[nodiscard]] std::string format_cnic(std::string_view thirteen_digits);

/// Masks a CNIC (13 digits or dashed) for display to people who may not see it whole:
/// "42101-*******-3" (locality code and last digit kept). Input that is not a CNIC comes back
/// as "*****-*******-*" so that nothing of it leaks.
[[nodiscard]] std::string mask_cnic(std::string_view thirteen_digits);

/// Normalises a Pakistani phone number to E.164 ("+923001234567"). Spaces, '-', '.', '(' and
/// ')' are ignored; the number may start with "+92", "0092", "92" (11–12 digits in all), the
/// trunk prefix "0" ("0300-1234567", "021 12345678"), or be a bare 10-digit mobile number
/// ("3001234567"). What follows 92 must be a mobile number (10 digits starting 3: 3XX
/// XXXXXXX) or a landline (area code + subscriber, 9–10 digits, starting 2 and 4–9).
/// Returns std::nullopt for anything else, including non-Pakistani numbers.
[[nodiscard]] std::optional<std::string> normalise_pk_phone(std::string_view input);

/// Why `input` is not a phone number normalise_pk_phone() accepts, or std::nullopt when it is.
[[nodiscard]] std::optional<std::string> check_pk_phone(std::string_view input);

/// Masks a phone number (E.164 or any form normalise_pk_phone() accepts) for display: keeps the
/// country code, the first digit after it and the last 3 digits: mobile "+92 3** ****567",
/// landline "+92 2******678". Input that is not a Pakistani number comes back as
/// "+** *** *******" so that nothing of it leaks.
[[nodiscard]] std::string mask_phone(std::string_view e164);

/// Matching key of a vessel name (for finding duplicates, not for display): ASCII letters
/// upper-cased; Latin-1 and Latin Extended-A letters folded to their base letters ("é"→"E",
/// "ß"→"SS", "Œ"→"OE") and combining marks U+0300–U+036F dropped; apostrophes dropped
/// ("Noor's"→"NOORS"); other punctuation, symbols and Unicode spaces become a space; runs of
/// spaces collapsed and the ends trimmed. So a leading "Al-"/"Al " becomes "AL ": "Al-Madina "
/// and "AL MADINA" both give "AL MADINA". Arabic-script letters and marks are kept as they are
/// (no NFC), except tatweel U+0640 and ZWNJ/ZWJ, which are dropped, and Arabic-Indic digits,
/// which become ASCII digits. Other scripts are kept; bytes that are not valid UTF-8 are dropped.
[[nodiscard]] std::string normalise_vessel_name(std::string_view utf8);

} // namespace sahil::registry

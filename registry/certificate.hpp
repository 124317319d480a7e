// Registration certificate: the one-page, bilingual (English and Urdu) paper a fisheries clerk
// prints for a boat owner, and the check a patrol officer makes of such a paper.
//
// issue_certificate() renders the boat's current record as a self-contained HTML5 page (inline
// CSS, no scripts, no external resources; `@page { size: A4; margin: 15mm }`, printed through
// the browser), records it in the `certificates` table (migration 3) under a random 8-character
// verification code (crypto.hpp random_verification_code(), Crockford base32, printed as
// "7KQ3-M9XD") with the SHA-256 of the page, and appends a "certificate.issue" audit row, all in
// one transaction. A new certificate withdraws the boat's earlier ones: only the newest paper
// verifies as current. verify_certificate() looks a code up (as typed from the paper or read
// from its QR code) and returns what the registry says about the boat now.
// Example: `auto c = issue_certificate(registry, clerk, 42, {.verify_base_url =
// "https://sahil.example.gov.pk"});  // c.value->code == "7KQ3M9XD"`
//
// Personal data: the page shows owners' CNICs masked ("54101-*******-3"), never in full, and no
// phone numbers. Every value is HTML-escaped (names come from clerks and AIS).
// Urdu: labels are in `lang="ur" dir="rtl"` elements with a Nastaliq font stack ('Noto Nastaliq
// Urdu' from Debian's fonts-noto-core, 'Jameel Noori Nastaleeq', Nafees, Awami Nastaliq); Urdu
// text in values (boat and owner names) uses the same fonts through a unicode-range face.
// Shaping is the browser's (HarfBuzz in Chromium).
// QR code: an inline SVG of the verification URL when the build found libqrencode
// (certificate_qr_available()); without it the page carries the code and path only.
//
// Errors: an unknown vessel is an Outcome (not_found); database failures throw RegistryError.
// Thread-safety: uses the registry's connection; one thread at a time. Rendering is pure.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "registry/model.hpp"
#include "registry/outcome.hpp"

namespace sahil::registry {

class VesselRegistry;

/// What the page needs besides the vessel record.
struct CertificateInfo {
    std::string code{};      ///< Verification code, 8 characters (random_verification_code()).
    std::string issued_at{}; ///< ISO 8601 UTC ("2026-03-10T09:15:00Z"); shown as dd-mm-yyyy.
    std::string issued_by{}; ///< Issuing clerk as printed (user name or full name).
    /// Base URL of the server that answers /api/registry/certificates/<code>, e.g.
    /// "https://sahil.example.gov.pk" (no trailing slash; [registry] certificate_base_url);
    /// "" prints (and encodes in the QR code) the path alone.
    std::string verify_base_url{};
    /// Name of the authority that issued the registration number, e.g. "Fisheries and Coastal
    /// Development Department, Balochistan"; "" leaves the line out.
    std::string authority_name{};
    /// Display name of the home harbour, e.g. "Gwadar"; "" prints the zone id.
    std::string harbour_name{};
};

/// Options of issue_certificate().
struct CertificateOptions {
    std::string verify_base_url{}; ///< As CertificateInfo::verify_base_url.
    std::string harbour_name{};    ///< As CertificateInfo::harbour_name.
    std::string issued_by_name{};  ///< Printed clerk name; "" = the actor's user name.
};

/// An issued certificate.
struct Certificate {
    std::string code{}; ///< 8 characters, no dash ("7KQ3M9XD").
    std::int64_t vessel_id = 0;
    std::string issued_at{};      ///< ISO 8601 UTC.
    std::string html{};           ///< The page, UTF-8.
    std::string content_sha256{}; ///< SHA-256 of `html`, as stored.
};

/// What a verification returns: the registry's current view of the boat, no personal data.
struct CertificateCheck {
    std::string code{};
    std::int64_t vessel_id = 0;
    std::string vessel_name{};
    std::string registration_number{}; ///< Current registration identifier ("" = none).
    std::string home_harbour{};
    std::string vessel_status{}; ///< vessels.status (active, suspended, seized, ...).
    std::string licence_no{};    ///< Current licence ("" = none on file).
    /// active, suspended, revoked, expired (also when an "active" licence ended before
    /// `today`), or "none".
    std::string licence_status{};
    std::string licence_valid_to{}; ///< Date; "" = no licence.
    std::string issued_at{};
    std::string issued_by{};
    bool withdrawn = false;       ///< Replaced by a newer certificate (or withdrawn by a clerk).
    std::string content_sha256{}; ///< Of the page as issued.

    /// True when the paper is the current one and the boat may fish: certificate not
    /// withdrawn, vessel active, licence active and not expired.
    [[nodiscard]] bool valid() const noexcept {
        return !withdrawn && vessel_status == "active" && licence_status == "active";
    }
};

/// Issues a certificate for vessel `vessel_id` as `actor` (see the file comment): renders the
/// page from the current record, stores code and page hash, withdraws earlier certificates of
/// the vessel, audits "certificate.issue". not_found when there is no such vessel.
/// @throws RegistryError on a database failure; CryptoError when an owner's CNIC fails to
///         decrypt.
[[nodiscard]] Outcome<Certificate> issue_certificate(VesselRegistry& registry, const Actor& actor,
                                                     std::int64_t vessel_id,
                                                     const CertificateOptions& options = {});

/// Looks up a verification code as a person types it: ASCII case, spaces and dashes are
/// ignored, and Crockford's look-alikes are read as digits (O as 0, I and L as 1).
/// std::nullopt when the code is malformed or unknown. `today` decides whether a licence has
/// expired. @throws RegistryError on a database failure.
[[nodiscard]] std::optional<CertificateCheck>
verify_certificate(const Database& database, std::string_view code, std::chrono::sys_days today);

/// As above with today's UTC date.
[[nodiscard]] std::optional<CertificateCheck> verify_certificate(const Database& database,
                                                                 std::string_view code);

/// The 8-character stored form of a typed code (see verify_certificate), or std::nullopt.
[[nodiscard]] std::optional<std::string> normalise_verification_code(std::string_view typed);

/// The printed form of a code: "7KQ3M9XD" -> "7KQ3-M9XD" (other input unchanged).
[[nodiscard]] std::string format_verification_code(std::string_view code);

/// The certificate page for `record` (see the file comment). Owners: the current owner roles
/// with their parties from `record` (CNIC masked here whatever `record` holds). Licence: the
/// newest one that is not superseded. Pure; never throws except std::bad_alloc.
[[nodiscard]] std::string render_certificate_html(const VesselRecord& record,
                                                  const CertificateInfo& info);

/// Whether this build draws QR codes (libqrencode was found at configure time).
[[nodiscard]] bool certificate_qr_available() noexcept;

/// Text with &, <, >, " and ' replaced by character references, for HTML text and attributes.
[[nodiscard]] std::string html_escape(std::string_view text);

} // namespace sahil::registry

// Vessel registry: the operations fisheries clerks and supervisors perform on the full model
// (model.hpp) — register a boat with its identifiers, owners and licence; correct data; add and
// end identifiers; transfer ownership; issue, renew, suspend, reinstate and revoke licences;
// fit and remove transponders; keep closed seasons and patrol units; open and resolve identity
// conflicts; search. Every change runs in one IMMEDIATE transaction together with its audit row
// (audit.hpp), so a change without its audit record cannot exist. Called inside a transaction the
// caller opened (a WriteTransaction on the same Database, write_transaction.hpp), each operation
// runs as a SAVEPOINT instead: still all-or-nothing by itself, kept or dropped with the caller's
// transaction (the CSV import validates a whole file that way and rolls it back for a dry run).
//
// Input is untrusted: problems come back as Outcome values naming the field
// ("owners[0].cnic: CNIC must be 13 digits, e.g. 42101-1234567-3"), never as exceptions.
// Database failures throw RegistryError. Authorisation (which role and harbour may call what) is
// the HTTP layer's job (server/http/access.hpp); this layer records the actor it is given.
//
// Personal data (CNIC, phone) is encrypted with the PiiCipher and found through the BlindIndex
// given at construction; without them (no key file configured) an operation that carries PII
// fails with pii_unavailable and nothing is stored in clear.
//
// Thread-safety: uses its Database's connection; one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "registry/identifiers.hpp"
#include "registry/model.hpp"
#include "registry/outcome.hpp"

namespace sahil::registry {

class PiiCipher;
class BlindIndex;

/// One owner in a registration or transfer: an existing party (party_id) or a new one (party).
struct OwnerInput {
    std::optional<std::int64_t> party_id{};
    std::optional<Party> party{};
    double share_pct = 100.0; ///< 0 < share <= 100; all owners together 100 (±0.01).
};

/// Everything a clerk enters to register a boat (the registration wizard).
struct Registration {
    Vessel vessel{};                       ///< id, name_norm, created/updated are ignored.
    std::vector<Identifier> identifiers{}; ///< At least one registration-type identifier
                                           ///< (official_number, provincial_reg,
                                           ///< fishing_licence_no); valid_from "" = today.
    std::vector<OwnerInput> owners{};      ///< At least one.
    std::optional<Licence> licence{};      ///< Optional first licence.
    std::vector<Transponder> transponders{};
    std::string reason{}; ///< Optional note for the audit trail.
};

/// Result of registering a vessel or adding an identifier.
struct RegisterResult {
    std::int64_t vessel_id = 0;
    /// Identity conflicts opened because another vessel already holds an MMSI given here.
    std::vector<std::int64_t> conflicts_opened{};
    /// Warnings that did not stop the operation (e.g. "MMSI MID 419 is India").
    std::vector<FieldError> warnings{};
};

/// A row of a search result.
struct SearchHit {
    std::int64_t vessel_id = 0;
    std::string name{};
    std::string registration_number{}; ///< Current registration-type identifier, "" if none.
    std::string home_harbour{};
    std::string status{};
    std::string matched{}; ///< What matched: "registration", "name", "mmsi", "call_sign",
                           ///< "owner", "cnic", "id".
};

/// A licence that ends within a window, for a harbour's call list.
struct ExpiringLicence {
    Licence licence{};
    std::string vessel_name{};
    std::string registration_number{};
    std::string home_harbour{};
    int days_left = 0; ///< valid_to minus the reference day (0 = ends today).
};

/// Access to the full registry model.
class VesselRegistry {
public:
    /// Source of "now" (UTC, whole seconds); tests inject a fixed clock.
    using Clock = std::function<std::chrono::sys_seconds()>;

    /// `cipher` and `index` may be null (no PII key configured): then PII cannot be stored or
    /// searched. All referenced objects must outlive the registry.
    VesselRegistry(Database& database, IdentifierRules rules, const PiiCipher* cipher,
                   const BlindIndex* index, Clock clock = {});

    // ---- vessels ----------------------------------------------------------------------------

    /// Registers a vessel with its identifiers, owners (new or existing parties), optional
    /// licence and transponders, all or nothing. An MMSI already held by another vessel opens an
    /// identity conflict (RegisterResult::conflicts_opened) instead of failing; any other
    /// identifier already current elsewhere fails with duplicate. Audit: "vessel.register".
    Outcome<RegisterResult> register_vessel(const Actor& actor, const Registration& form);

    /// Replaces the editable fields of vessel `id` with those of `changes` (name, type, hull,
    /// dimensions, engine, persons, build year, home harbour, colour, marking, status and
    /// status_reason); `reason` is required (a correction must say why). Audit:
    /// "vessel.update" with before/after. The value says whether anything changed: a form equal
    /// to the stored record writes nothing and no audit row.
    Outcome<bool> update_vessel(const Actor& actor, std::int64_t id, const Vessel& changes,
                                const std::string& reason);

    /// The whole record of a vessel; PII decrypted when `with_pii` (the caller masks it for
    /// roles that may not see it), otherwise left empty. std::nullopt when there is no such
    /// vessel. @throws RegistryError, CryptoError (a stored value fails authentication).
    [[nodiscard]] std::optional<VesselRecord> get(std::int64_t id, bool with_pii) const;

    /// The home harbour of vessel `id`, for harbour-scoped authorisation; std::nullopt when the
    /// vessel does not exist.
    [[nodiscard]] std::optional<std::string> home_harbour(std::int64_t vessel_id) const;

    /// Search-first lookup by registration number or any current identifier (exact,
    /// case-insensitive), MMSI, call sign, vessel name (normalised, prefix and contains), owner
    /// name (normalised contains) or "#<id>". At most `limit` (<= 100) hits, exact identifier
    /// matches first. An empty or 1-character query returns nothing.
    [[nodiscard]] std::vector<SearchHit> search(std::string_view query,
                                                std::size_t limit = 25) const;

    /// Vessels owned (currently or formerly) by the person with this CNIC (any format accepted
    /// by normalise_cnic), found through the blind index. Fails with validation_failed for a
    /// malformed CNIC and pii_unavailable without keys.
    Outcome<std::vector<SearchHit>> search_by_cnic(std::string_view cnic) const;

    // ---- identifiers ------------------------------------------------------------------------

    /// Adds identifier `id` (scheme, value, authority, valid_from "" = today) to vessel
    /// `vessel_id`. A current identifier of the same scheme on that vessel is ended the day
    /// before (an MMSI or call sign changes, it is not doubled). An MMSI held elsewhere opens a
    /// conflict. Audit: "identifier.add".
    Outcome<RegisterResult> add_identifier(const Actor& actor, std::int64_t vessel_id,
                                           const Identifier& id, const std::string& reason);

    /// Ends identifier `identifier_id` on `valid_to` ("" = today). Audit: "identifier.end".
    Outcome<Done> end_identifier(const Actor& actor, std::int64_t identifier_id,
                                 const std::string& valid_to, const std::string& reason);

    /// Open (or all) identity conflicts, oldest first.
    [[nodiscard]] std::vector<IdentityConflict> conflicts(bool open_only) const;

    /// Resolves conflict `id`: "kept_holder" (the claim is rejected) or "moved_to_claimant" (the
    /// holder's identifier ends today, the claimant's starts today). `note` is required.
    /// Audit: "conflict.resolve".
    Outcome<Done> resolve_conflict(const Actor& actor, std::int64_t id,
                                   const std::string& resolution, const std::string& note);

    // ---- parties and ownership --------------------------------------------------------------

    /// Creates a party (CNIC/phone encrypted, blind-indexed). A CNIC already on file fails with
    /// duplicate naming the existing party id. Audit: "party.create" (PII masked in the audit).
    Outcome<std::int64_t> create_party(const Actor& actor, const Party& party);

    /// Replaces the fields of party `id`; `reason` required. Audit: "party.update" (masked).
    Outcome<Done> update_party(const Actor& actor, std::int64_t id, const Party& changes,
                               const std::string& reason);

    /// The party, PII decrypted when `with_pii`. @throws as get().
    [[nodiscard]] std::optional<Party> party(std::int64_t id, bool with_pii) const;

    /// Transfers ownership of `vessel_id` on `date` ("" = today): current owner rows end the
    /// day before, the new owners start on `date`; shares must sum to 100. Audit:
    /// "vessel.transfer".
    Outcome<Done> transfer_ownership(const Actor& actor, std::int64_t vessel_id,
                                     const std::vector<OwnerInput>& owners, const std::string& date,
                                     const std::string& reason);

    /// Sets the current operator or skipper (role "operator"/"skipper") to party `party_id`,
    /// ending the previous one. Audit: "vessel.set_<role>".
    Outcome<Done> set_party_role(const Actor& actor, std::int64_t vessel_id,
                                 const std::string& role, std::int64_t party_id,
                                 const std::string& reason);

    // ---- licences ---------------------------------------------------------------------------

    /// Issues a licence to a vessel. Audit: "licence.issue".
    Outcome<std::int64_t> issue_licence(const Actor& actor, const Licence& licence,
                                        const std::string& reason);

    /// Renews licence `id` until `new_valid_to` (after the old valid_to): a new row with the same
    /// number, authority, kind, gear, zones and permissions, valid from the day after the old
    /// one ends (or today, if the old one has lapsed), and the old row becomes "superseded".
    /// Revoked licences cannot be renewed (wrong_state). Audit: "licence.renew".
    Outcome<std::int64_t> renew_licence(const Actor& actor, std::int64_t id,
                                        const std::string& new_valid_to, const std::string& reason);

    /// Changes the status of licence `id`: "suspended" (from active), "active" = reinstate (from
    /// suspended), "revoked" (from active or suspended; final). `reason` required.
    /// Audit: "licence.suspend" / "licence.reinstate" / "licence.revoke".
    Outcome<Done> set_licence_status(const Actor& actor, std::int64_t id, const std::string& status,
                                     const std::string& reason);

    /// Active licences of vessels with home harbour `harbour` ("" = all harbours) whose
    /// valid_to falls within [`on`, `on` + days], soonest first.
    [[nodiscard]] std::vector<ExpiringLicence>
    expiring_licences(const std::string& harbour, std::chrono::sys_days on, int days) const;

    // ---- transponders, closed seasons, patrol units -----------------------------------------

    /// Records a transponder fitted to a vessel. Audit: "transponder.install".
    Outcome<std::int64_t> add_transponder(const Actor& actor, const Transponder& t);
    /// Records its removal on `removed_on` ("" = today). Audit: "transponder.remove".
    Outcome<Done> remove_transponder(const Actor& actor, std::int64_t id,
                                     const std::string& removed_on, const std::string& reason);

    /// Adds a closed season. Audit: "closed_season.add".
    Outcome<std::int64_t> add_closed_season(const Actor& actor, const ClosedSeason& season);
    /// All closed seasons, by start date.
    [[nodiscard]] std::vector<ClosedSeason> closed_seasons() const;

    /// Adds a patrol unit. Audit: "patrol_unit.add".
    Outcome<std::int64_t> add_patrol_unit(const Actor& actor, const PatrolUnit& unit);
    /// All patrol units, by unit id.
    [[nodiscard]] std::vector<PatrolUnit> patrol_units() const;

    /// Authority codes known to the registry (authorities table).
    [[nodiscard]] std::vector<std::string> authority_codes() const;

    // ---- for companion modules (CSV import/export, certificates) -----------------------------

    /// The party whose CNIC (any form normalise_cnic() accepts) is `cnic`, found through the
    /// blind index; std::nullopt when none, when `cnic` is not a CNIC, or without a PII key.
    [[nodiscard]] std::optional<std::int64_t> party_id_by_cnic(std::string_view cnic) const;

    /// The connection this registry works on: for a WriteTransaction grouping several
    /// operations, and for modules that keep their own tables beside the registry's.
    [[nodiscard]] Database& database() noexcept { return m_db; }
    /// The registry's source of "now" (the injected clock in tests).
    [[nodiscard]] const Clock& clock() const noexcept { return m_clock; }

    struct Impl; ///< Private helpers (defined in vessel_registry.cpp).

private:
    Outcome<std::int64_t> insert_party(const Actor& actor, const Party& party,
                                       std::string_view prefix, const std::string& reason);
    Outcome<std::int64_t> insert_transponder(const Actor& actor, const Transponder& t,
                                             std::string_view prefix);
    [[nodiscard]] std::string today() const;
    [[nodiscard]] std::string now_text() const;

    Database& m_db;
    IdentifierRules m_rules;
    const PiiCipher* m_cipher;
    const BlindIndex* m_index;
    Clock m_clock;
    mutable AuditLog m_audit;
};

/// Validation of a vessel's own fields (no database access); field names as in model.hpp.
[[nodiscard]] std::vector<FieldError> validate_vessel(const Vessel& v, int current_year);
/// Validation of a licence's own fields, with `known_authorities` the authority codes.
[[nodiscard]] std::vector<FieldError>
validate_licence(const Licence& l, const std::vector<std::string>& known_authorities);

} // namespace sahil::registry

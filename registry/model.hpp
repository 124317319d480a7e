// Registry model: the records a fisheries department keeps about a boat, as plain values
// (registry-model.md §3, simplified where a field has no user yet). Tables: migration 3.
//
//   Vessel ──< Identifier      (registration no., MMSI, call sign, IMO ... effective-dated)
//     │ ├──< VesselParty >── Party   (owners with shares, operator, skipper; effective-dated)
//     │ ├──< Licence               (authority, number, gear, zones, validity, permissions, status)
//     │ └──< Transponder           (AIS A/B, VMS, GSM tracker; installed/removed)
//   ClosedSeason, PatrolUnit, IdentityConflict stand alone.
//
// Enumerated fields are lower-case text with the allowed values listed on each member (the same
// values as the schema's CHECK constraints and the JSON API); validate_*() in
// vessel_registry.hpp check them. Dates are `YYYY-MM-DD` (UTC days), times ISO 8601 UTC
// ("2026-11-29T20:51:07Z"). Lengths are metres, power kilowatts.
// Example: `Vessel{.name = "AL-MADINA", .vessel_type = "launch", .loa_m = 14.5,
// .home_harbour = "PK-HBR-05"}`.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sahil::registry {

/// One hull. Never deleted; status changes instead.
struct Vessel {
    std::int64_t id = 0;
    /// Name as painted/registered, UTF-8, 1..64 code points.
    std::string name{};
    /// Matching key (normalise_vessel_name); computed by the store.
    std::string name_norm{};
    /// launch, hora, yakdar, speedboat, gillnetter, trawler, longliner, purse_seiner, dhow,
    /// carrier, other.
    std::string vessel_type = "other";
    /// wood, grp, steel, aluminium, ferro_cement, other; "" = not recorded.
    std::string hull_material{};
    std::optional<double> loa_m{};         ///< Length overall, metres, 2..120.
    std::optional<double> breadth_m{};     ///< Metres, > 0 and < LOA.
    std::optional<double> depth_m{};       ///< Moulded depth, metres, > 0.
    std::optional<double> gross_tonnage{}; ///< GT, >= 0.
    std::optional<double> engine_kw{};     ///< Total main engine power, kW, > 0 (1 hp = 0.7457 kW).
    std::optional<int> engine_count{};     ///< 0..8.
    std::optional<int> max_persons{};      ///< Persons on board allowed by survey/licence, 1..200.
    std::optional<int> build_year{};       ///< 1900..this year.
    /// Home harbour zone id from config/geo/harbours.geojson, e.g. "PK-HBR-05".
    std::string home_harbour{};
    std::string hull_colour{};  ///< As painted, for patrol identification; "" = not recorded.
    std::string marking_text{}; ///< Hull marking as painted; "" = not recorded.
    /// active, laid_up, under_repair, suspended, seized, lost, decommissioned.
    std::string status = "active";
    std::string status_reason{}; ///< Why the status was last changed ("" for active).
    std::string created_at{};
    std::string updated_at{};
};

/// An identifier held by a vessel from valid_from until valid_to (empty = current).
struct Identifier {
    std::int64_t id = 0;
    std::int64_t vessel_id = 0;
    /// official_number, provincial_reg, fishing_licence_no, mfd_licence, mmsi, call_sign, imo,
    /// vms_id, cooperative_no, other (identifiers.hpp IdScheme).
    std::string scheme{};
    std::string value{};     ///< Normalised (upper-case, digits only for MMSI/IMO).
    std::string authority{}; ///< Issuing authority code (authorities table), e.g. "BAL-FISH".
    std::string valid_from{}; ///< Date.
    std::string valid_to{};   ///< Date; "" = current.
};

/// A person, company, cooperative or government body.
struct Party {
    std::int64_t id = 0;
    std::string kind = "person"; ///< person, company, cooperative, government.
    std::string name{};          ///< Full name, UTF-8, 1..128 code points.
    std::string father_or_husband_name{}; ///< As on the CNIC (S/O, D/O, W/O); "" = none.
    /// CNIC, 13 digits without dashes, plaintext only in memory (encrypted at rest); empty when
    /// none or not revealed.
    std::optional<std::string> cnic{};
    /// Phone, E.164 (+923001234567), plaintext only in memory; empty when none or not revealed.
    std::optional<std::string> phone{};
    std::string address{};
    std::string district{};
    std::string province{};
    std::string company_reg_no{}; ///< SECP/NTN or society registration for non-persons.
};

/// A party's role on a vessel from valid_from until valid_to (empty = current).
struct VesselParty {
    std::int64_t id = 0;
    std::int64_t vessel_id = 0;
    std::int64_t party_id = 0;
    std::string role{};                ///< owner, operator, skipper, agent.
    std::optional<double> share_pct{}; ///< Owners only: 0 < share <= 100; current owners sum to 100.
    std::string valid_from{};
    std::string valid_to{};
};

/// A fishing licence (or other authorisation) of a vessel.
struct Licence {
    std::int64_t id = 0;
    std::int64_t vessel_id = 0;
    std::string authority{};  ///< Issuing authority code, e.g. "BAL-FISH", "MFD".
    std::string licence_no{}; ///< As issued, 1..32 characters.
    /// artisanal, commercial_territorial, deep_sea, tuna_longline, carrier, other.
    std::string kind = "artisanal";
    std::vector<std::string> gear{};  ///< Gear codes, e.g. "gillnet", "longline".
    std::vector<std::string> zones{}; ///< Zone ids where fishing is allowed ("" = any).
    std::string valid_from{};         ///< Date, first valid day.
    std::string valid_to{};           ///< Date, last valid day (inclusive).
    bool night_fishing = false;       ///< May leave harbour at night.
    bool foreign_waters = false;      ///< May fish outside Pakistan's EEZ.
    /// active, suspended, revoked, expired, superseded (replaced by a renewal).
    std::string status = "active";
    std::string status_reason{};
    std::optional<std::int64_t> renewed_from{}; ///< Licence this one renews.
};

/// A position-reporting device carried by a vessel.
struct Transponder {
    std::int64_t id = 0;
    std::int64_t vessel_id = 0;
    std::string kind{}; ///< ais_class_a, ais_class_b, vms, gsm_tracker, other.
    std::optional<std::uint32_t> mmsi{};
    std::string serial{};
    std::string provider{};
    std::string installed_on{}; ///< Date.
    std::string removed_on{};   ///< Date; "" = still fitted.
};

/// A Coast Guards / MSA (or other) patrol unit, for the patrol-boat feeds.
struct PatrolUnit {
    std::int64_t id = 0;
    std::string unit_id{}; ///< Agency's unit id, e.g. "MSA-P-112"; unique.
    std::string agency{};  ///< coast_guards, msa, navy, police, fisheries.
    std::string name{};
    std::optional<std::uint32_t> mmsi{};
    std::string call_sign{};
    std::string home_base{};
    bool active = true;
};

/// A period when fishing is closed for an authority's zones (and gear).
struct ClosedSeason {
    std::int64_t id = 0;
    std::string authority{};
    std::string name{};      ///< e.g. "Balochistan monsoon ban 2025".
    std::string starts_on{}; ///< Date, first closed day.
    std::string ends_on{};   ///< Date, last closed day.
    std::vector<std::string> zones{}; ///< Zone ids; empty = the authority's whole jurisdiction.
    std::vector<std::string> gear{};  ///< Gear codes; empty = all gear.
    std::string notification_ref{};   ///< Gazette notification.
};

/// Two vessels claiming one identifier (an MMSI, usually); opened instead of refusing the
/// second claimant, resolved by a supervisor.
struct IdentityConflict {
    std::int64_t id = 0;
    std::string scheme{};
    std::string value{};
    std::string authority{};
    std::int64_t holder_vessel_id = 0;   ///< Vessel whose identifier row is current.
    std::int64_t claimant_vessel_id = 0; ///< Vessel that also claims it.
    std::string opened_at{};
    std::string opened_by{};
    std::string status = "open"; ///< open, resolved.
    std::string resolution{};    ///< kept_holder, moved_to_claimant; "" while open.
    std::string resolved_at{};
    std::string resolved_by{};
    std::string resolution_note{};
};

/// Everything about one vessel, as the record page shows it.
struct VesselRecord {
    Vessel vessel{};
    std::vector<Identifier> identifiers{}; ///< Current and past, newest first per scheme.
    std::vector<VesselParty> roles{};      ///< Current and past.
    std::vector<Party> parties{};          ///< The parties named in roles (PII as loaded).
    std::vector<Licence> licences{};       ///< Newest first.
    std::vector<Transponder> transponders{};
    std::vector<IdentityConflict> conflicts{}; ///< Open and resolved, involving this vessel.
};

/// JSON forms (member names as the fields above; absent optionals as null). Party PII members
/// are written as given: mask or drop them before serialising for a role that may not see them.
void to_json(nlohmann::ordered_json& j, const Vessel& v);
void to_json(nlohmann::ordered_json& j, const Identifier& v);
void to_json(nlohmann::ordered_json& j, const Party& v);
void to_json(nlohmann::ordered_json& j, const VesselParty& v);
void to_json(nlohmann::ordered_json& j, const Licence& v);
void to_json(nlohmann::ordered_json& j, const Transponder& v);
void to_json(nlohmann::ordered_json& j, const PatrolUnit& v);
void to_json(nlohmann::ordered_json& j, const ClosedSeason& v);
void to_json(nlohmann::ordered_json& j, const IdentityConflict& v);

} // namespace sahil::registry

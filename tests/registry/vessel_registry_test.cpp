// VesselRegistry: the full registry model on :memory: — registration, identifiers and identity
// conflicts, ownership, licences, transponders, closed seasons, patrol units, search, audit.
// Expected values are worked out from the rules (registry-model.md §3, the issue text), not
// from the code's output.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include "registry/audit.hpp"
#include "registry/boat_store.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono;
using testing::HasSubstr;

constexpr auto fixed_now = sys_days{year{2026} / 3 / 10} + hours{9} + minutes{15};

const Actor clerk_gwadar{"sadia.baloch", "clerk", "PK-HBR-02", "10.0.0.7", "req-1"};
const Actor supervisor{"imran.s", "supervisor", "", "10.0.0.9", "req-2"};

bool has_error(const std::vector<FieldError>& errors, std::string_view field,
               std::string_view text = "") {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
        return e.field == field && e.message.find(text) != std::string::npos;
    });
}

std::string dump(const std::vector<FieldError>& errors) {
    std::string out;
    for (const auto& e : errors) {
        out += e.field + ": " + e.message + "\n";
    }
    return out;
}

class VesselRegistryTest : public testing::Test {
protected:
    VesselRegistryTest()
        : m_key(MasterKey::generate()), m_cipher(m_key), m_index(m_key),
          m_registry(m_db, IdentifierRules{}, &m_cipher, &m_index, [this] { return m_now; }) {}

    static Registration al_madina() {
        Registration r;
        r.vessel = Vessel{.name = "Al-Madina",
                          .vessel_type = "launch",
                          .hull_material = "wood",
                          .loa_m = 14.5,
                          .breadth_m = 4.2,
                          .engine_kw = 90,
                          .max_persons = 12,
                          .build_year = 2016,
                          .home_harbour = "PK-HBR-02",
                          .hull_colour = "blue and white",
                          .marking_text = "GWD-1234"};
        r.identifiers = {
            Identifier{.scheme = "provincial_reg", .value = "gwd-1234", .authority = "BAL-FISH"},
            Identifier{.scheme = "mmsi", .value = "463 123 456", .authority = "PTA"},
            Identifier{.scheme = "call_sign", .value = "ap4521", .authority = "PTA"}};
        Party owner{.kind = "person",
                    .name = "Abdul Ghani",
                    .father_or_husband_name = "Muhammad Bakhsh",
                    .cnic = "54101-1234567-3",
                    .phone = "0300-1234567",
                    .address = "Mulla Band, Gwadar",
                    .district = "Gwadar",
                    .province = "Balochistan"};
        r.owners = {OwnerInput{.party = owner, .share_pct = 100}};
        r.licence = Licence{.authority = "BAL-FISH",
                            .licence_no = "BAL-GWD-L-0091",
                            .kind = "artisanal",
                            .gear = {"gillnet"},
                            .zones = {"PK-TS-BAL"},
                            .valid_from = "2026-01-01",
                            .valid_to = "2026-12-31"};
        r.transponders = {
            Transponder{.kind = "ais_class_b", .mmsi = 463123456u, .installed_on = "2025-11-20"}};
        return r;
    }

    std::int64_t register_ok(const Registration& r) {
        auto out = m_registry.register_vessel(clerk_gwadar, r);
        EXPECT_TRUE(out.ok()) << dump(out.errors);
        return out.ok() ? out.value->vessel_id : 0;
    }

    std::string file_bytes() {
        // The whole database image, as it would be on disk.
        m_db.handle().exec("VACUUM INTO '" + m_tmp + "'");
        std::ifstream in(m_tmp, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        std::remove(m_tmp.c_str());
        return s.str();
    }

    sys_seconds m_now{fixed_now};
    Database m_db{":memory:"};
    MasterKey m_key;
    PiiCipher m_cipher;
    BlindIndex m_index;
    VesselRegistry m_registry;
    std::string m_tmp = testing::TempDir() + "/vessel-registry-image.db";
};

TEST_F(VesselRegistryTest, registers_a_boat_with_owner_licence_and_transponder) {
    const std::int64_t id = register_ok(al_madina());
    const auto record = m_registry.get(id, true);
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->vessel.name, "Al-Madina");
    EXPECT_EQ(record->vessel.name_norm, "AL MADINA");
    EXPECT_EQ(record->vessel.created_at, "2026-03-10T09:15:00Z");
    ASSERT_EQ(record->identifiers.size(), 3u);
    // Normalised: upper-case registration number and call sign, MMSI digits only.
    std::vector<std::string> values;
    for (const auto& i : record->identifiers) {
        values.push_back(i.scheme + "=" + i.value + "@" + i.authority + " from " + i.valid_from);
    }
    EXPECT_THAT(values,
                testing::UnorderedElementsAre("provincial_reg=GWD-1234@BAL-FISH from 2026-03-10",
                                              "mmsi=463123456@PTA from 2026-03-10",
                                              "call_sign=AP4521@PTA from 2026-03-10"));
    ASSERT_EQ(record->parties.size(), 1u);
    EXPECT_EQ(record->parties[0].cnic, "5410112345673");
    EXPECT_EQ(record->parties[0].phone, "+923001234567");
    ASSERT_EQ(record->roles.size(), 1u);
    EXPECT_EQ(record->roles[0].role, "owner");
    EXPECT_EQ(record->roles[0].share_pct, 100.0);
    ASSERT_EQ(record->licences.size(), 1u);
    EXPECT_EQ(record->licences[0].status, "active");
    EXPECT_EQ(record->licences[0].gear, std::vector<std::string>{"gillnet"});
    ASSERT_EQ(record->transponders.size(), 1u);
    EXPECT_EQ(record->transponders[0].mmsi, 463123456u);

    // The tracking pipeline's view of the same boat (boats view, BoatStore).
    BoatStore boats(m_db);
    const auto boat = boats.find_by_mmsi(463123456);
    ASSERT_TRUE(boat.has_value());
    EXPECT_EQ(boat->registration_number, "GWD-1234");
    EXPECT_EQ(boat->call_sign, "AP4521");
    EXPECT_EQ(boat->licence_valid_until, year_month_day{year{2026} / 12 / 31});
    EXPECT_EQ(licence_state(*boat, sys_days{year{2026} / 6 / 1}), LicenceState::valid);
}

TEST_F(VesselRegistryTest, without_pii_the_record_has_no_cnic_or_phone) {
    const std::int64_t id = register_ok(al_madina());
    const auto record = m_registry.get(id, false);
    ASSERT_TRUE(record.has_value());
    ASSERT_EQ(record->parties.size(), 1u);
    EXPECT_FALSE(record->parties[0].cnic.has_value());
    EXPECT_FALSE(record->parties[0].phone.has_value());
    EXPECT_EQ(record->parties[0].name, "Abdul Ghani");
}

TEST_F(VesselRegistryTest, cnic_and_phone_are_never_stored_in_clear) {
    register_ok(al_madina());
    const std::string image = file_bytes();
    ASSERT_GT(image.size(), 4096u);
    for (const char* secret :
         {"5410112345673", "54101-1234567-3", "923001234567", "03001234567", "3001234567"}) {
        EXPECT_EQ(image.find(secret), std::string::npos) << secret << " found in the database";
    }
    // The audit trail holds the masked forms only.
    const auto rows = AuditLog(m_db).list({});
    std::string all;
    for (const auto& r : rows) {
        all += r.event.after_json.value_or("") + r.event.before_json.value_or("");
    }
    EXPECT_THAT(all, HasSubstr("54101-*******-3"));
    EXPECT_EQ(all.find("1234567"), std::string::npos);
}

TEST_F(VesselRegistryTest, registration_without_pii_key_fails_before_storing_anything) {
    VesselRegistry no_keys(m_db, IdentifierRules{}, nullptr, nullptr, [this] { return m_now; });
    const auto out = no_keys.register_vessel(clerk_gwadar, al_madina());
    EXPECT_EQ(out.code, ErrorCode::pii_unavailable);
    EXPECT_EQ(BoatStore(m_db).count(), 0u);
    EXPECT_EQ(AuditLog(m_db).count(), 0);
}

TEST_F(VesselRegistryTest, every_invalid_field_is_reported_with_its_name) {
    Registration r = al_madina();
    r.vessel.name = " ";
    r.vessel.vessel_type = "submarine";
    r.vessel.loa_m = 1.0;
    r.vessel.breadth_m = 5.0;
    r.vessel.max_persons = 0;
    r.vessel.build_year = 2031;
    r.owners[0].party->cnic = "54101-123456-3";
    r.owners[0].party->phone = "12345";
    r.owners[0].share_pct = 60;
    r.licence->valid_to = "2025-12-31"; // before valid_from
    const auto out = m_registry.register_vessel(clerk_gwadar, r);
    ASSERT_EQ(out.code, ErrorCode::validation_failed);
    EXPECT_TRUE(has_error(out.errors, "vessel.name", "required")) << dump(out.errors);
    EXPECT_TRUE(has_error(out.errors, "vessel.vessel_type", "launch"));
    EXPECT_TRUE(has_error(out.errors, "vessel.loa_m", "between 2 and 120"));
    EXPECT_TRUE(has_error(out.errors, "vessel.max_persons"));
    EXPECT_TRUE(has_error(out.errors, "vessel.build_year", "2026"));
    EXPECT_TRUE(has_error(out.errors, "owners[0].party.cnic", "13 digits"));
    EXPECT_TRUE(has_error(out.errors, "owners[0].party.phone", "must start with 0 or +92"));
    EXPECT_TRUE(has_error(out.errors, "owners", "add up to 100"));
    EXPECT_TRUE(has_error(out.errors, "licence.valid_to", "before valid_from"));
    EXPECT_EQ(BoatStore(m_db).count(), 0u);
}

TEST_F(VesselRegistryTest, co_owners_shares_must_sum_to_one_hundred) {
    Registration r = al_madina();
    r.owners[0].share_pct = 50;
    Party brother{.name = "Karim Bakhsh", .cnic = "54101-7654321-1"};
    r.owners.push_back(OwnerInput{.party = brother, .share_pct = 25});
    EXPECT_TRUE(has_error(m_registry.register_vessel(clerk_gwadar, r).errors, "owners",
                          "they add up to 75 %"));
    r.owners[1].share_pct = 50;
    const std::int64_t id = register_ok(r);
    EXPECT_EQ(m_registry.get(id, false)->roles.size(), 2u);
}

TEST_F(VesselRegistryTest, registration_number_is_required_and_unique) {
    Registration r = al_madina();
    r.identifiers.erase(r.identifiers.begin());
    EXPECT_TRUE(has_error(m_registry.register_vessel(clerk_gwadar, r).errors, "identifiers",
                          "registration number"));
    register_ok(al_madina());
    Registration second = al_madina();
    second.vessel.name = "Noor";
    second.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "GWD-1234", .authority = "BAL-FISH"}};
    second.owners[0].party->cnic = "54101-0000001-1";
    second.licence.reset();
    const auto out = m_registry.register_vessel(clerk_gwadar, second);
    EXPECT_EQ(out.code, ErrorCode::duplicate);
    EXPECT_TRUE(has_error(out.errors, "identifiers[0].value", "already held by vessel 1"))
        << dump(out.errors);
    EXPECT_EQ(BoatStore(m_db).count(), 1u); // nothing of the second boat was kept
}

TEST_F(VesselRegistryTest, second_claimant_of_an_mmsi_opens_an_identity_conflict) {
    const std::int64_t first = register_ok(al_madina());
    Registration other = al_madina();
    other.vessel.name = "Sea Star";
    other.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "PSN-0456", .authority = "BAL-FISH"},
        Identifier{.scheme = "mmsi", .value = "463123456", .authority = "PTA"}};
    other.owners = {OwnerInput{.party = Party{.name = "Rashid Ali"}, .share_pct = 100}};
    other.licence.reset();
    other.transponders.clear();
    const auto out = m_registry.register_vessel(clerk_gwadar, other);
    ASSERT_TRUE(out.ok()) << dump(out.errors);
    ASSERT_EQ(out.value->conflicts_opened.size(), 1u);
    EXPECT_TRUE(has_error(out.value->warnings, "identifiers[1].value", "identity conflict"));
    const auto open = m_registry.conflicts(true);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].holder_vessel_id, first);
    EXPECT_EQ(open[0].claimant_vessel_id, out.value->vessel_id);
    // The pipeline still finds the holder by MMSI and sees the conflict flag on both boats.
    SQLite::Statement flags(m_db.handle(), "SELECT id, identity_conflict FROM boats ORDER BY id");
    std::vector<int> seen;
    while (flags.executeStep()) {
        seen.push_back(flags.getColumn(1).getInt());
    }
    EXPECT_EQ(seen, (std::vector<int>{1, 1}));

    // A supervisor moves the MMSI to the claimant.
    EXPECT_EQ(m_registry.resolve_conflict(supervisor, open[0].id, "moved_to_claimant", "").code,
              ErrorCode::validation_failed);
    ASSERT_TRUE(m_registry
                    .resolve_conflict(supervisor, open[0].id, "moved_to_claimant",
                                      "transponder inspected at Pasni: serial matches Sea Star")
                    .ok());
    EXPECT_EQ(BoatStore(m_db).find_by_mmsi(463123456)->id, out.value->vessel_id);
    EXPECT_TRUE(m_registry.conflicts(true).empty());
    EXPECT_EQ(m_registry.resolve_conflict(supervisor, open[0].id, "kept_holder", "again").code,
              ErrorCode::wrong_state);
}

TEST_F(VesselRegistryTest, a_new_mmsi_replaces_the_old_one_and_keeps_history) {
    const std::int64_t id = register_ok(al_madina());
    m_now += days{30};
    const auto out = m_registry.add_identifier(
        clerk_gwadar, id, Identifier{.scheme = "mmsi", .value = "463123999", .authority = "PTA"},
        "new AIS set fitted");
    ASSERT_TRUE(out.ok()) << dump(out.errors);
    const auto record = m_registry.get(id, false);
    int current = 0;
    int ended = 0;
    for (const auto& i : record->identifiers) {
        if (i.scheme == "mmsi") {
            (i.valid_to.empty() ? current : ended) += 1;
            if (!i.valid_to.empty()) {
                EXPECT_EQ(i.valid_to, "2026-04-09");
            }
        }
    }
    EXPECT_EQ(current, 1);
    EXPECT_EQ(ended, 1);
    EXPECT_FALSE(BoatStore(m_db).find_by_mmsi(463123456).has_value());
    EXPECT_EQ(BoatStore(m_db).find_by_mmsi(463123999)->id, id);
}

TEST_F(VesselRegistryTest, identifier_rules_apply_per_scheme) {
    const std::int64_t id = register_ok(al_madina());
    const auto bad = [&](std::string scheme, std::string value, std::string authority = "PTA") {
        return m_registry.add_identifier(clerk_gwadar, id,
                                         Identifier{.scheme = std::move(scheme),
                                                    .value = std::move(value),
                                                    .authority = std::move(authority)},
                                         "test");
    };
    EXPECT_EQ(bad("mmsi", "970123456").code, ErrorCode::validation_failed);     // AIS-SART
    EXPECT_EQ(bad("mmsi", "46312345").code, ErrorCode::validation_failed);      // 8 digits
    EXPECT_EQ(bad("imo", "9074728", "MMD").code, ErrorCode::validation_failed); // check digit
    EXPECT_TRUE(bad("imo", "IMO 9074729", "MMD").ok());
    EXPECT_EQ(bad("call_sign", "VT123").code, ErrorCode::validation_failed); // Indian series
    EXPECT_EQ(bad("provincial_reg", "X", "NO-SUCH").code, ErrorCode::validation_failed);
    EXPECT_EQ(bad("passport", "X").code, ErrorCode::validation_failed);
    // An Indian MID is accepted with a warning for the clerk.
    const auto warned = bad("mmsi", "419000123");
    ASSERT_TRUE(warned.ok()) << dump(warned.errors);
    EXPECT_FALSE(warned.value->warnings.empty());
}

TEST_F(VesselRegistryTest, authority_patterns_from_config_are_enforced) {
    VesselRegistry strict(
        m_db,
        IdentifierRules({AuthorityPattern{"BAL-FISH", IdScheme::provincial_reg,
                                          "(GWD|PSN|ORM|JWN)-[0-9]{4}", "GWD-1234"}}),
        &m_cipher, &m_index, [this] { return m_now; });
    Registration r = al_madina();
    r.identifiers[0].value = "GWADAR-12";
    const auto out = strict.register_vessel(clerk_gwadar, r);
    EXPECT_TRUE(has_error(out.errors, "identifiers[0].value", "GWD-1234")) << dump(out.errors);
    r.identifiers[0].value = "gwd-1234";
    EXPECT_TRUE(strict.register_vessel(clerk_gwadar, r).ok());
}

TEST_F(VesselRegistryTest, renewal_supersedes_the_old_licence_and_starts_the_next_day) {
    const std::int64_t id = register_ok(al_madina());
    const auto licence_id = m_registry.get(id, false)->licences[0].id;
    EXPECT_TRUE(
        has_error(m_registry.renew_licence(clerk_gwadar, licence_id, "2026-06-30", "").errors,
                  "valid_to", "after the current end date"));
    const auto renewed =
        m_registry.renew_licence(clerk_gwadar, licence_id, "2027-12-31", "fee receipt 4471");
    ASSERT_TRUE(renewed.ok()) << dump(renewed.errors);
    const auto record = m_registry.get(id, false);
    ASSERT_EQ(record->licences.size(), 2u);
    EXPECT_EQ(record->licences[0].valid_from, "2027-01-01");
    EXPECT_EQ(record->licences[0].valid_to, "2027-12-31");
    EXPECT_EQ(record->licences[0].renewed_from, licence_id);
    EXPECT_EQ(record->licences[1].status, "superseded");
    EXPECT_EQ(BoatStore(m_db).find(id)->licence_valid_until, year_month_day{year{2027} / 12 / 31});
    EXPECT_EQ(m_registry.renew_licence(clerk_gwadar, licence_id, "2028-12-31", "again").code,
              ErrorCode::wrong_state);
}

TEST_F(VesselRegistryTest, lapsed_licence_renewal_starts_today) {
    Registration r = al_madina();
    r.licence->valid_from = "2025-01-01";
    r.licence->valid_to = "2025-12-31";
    const std::int64_t id = register_ok(r);
    const auto old = m_registry.get(id, false)->licences[0].id;
    const auto renewed = m_registry.renew_licence(clerk_gwadar, old, "2026-12-31", "late fee");
    ASSERT_TRUE(renewed.ok());
    EXPECT_EQ(m_registry.get(id, false)->licences[0].valid_from, "2026-03-10");
}

TEST_F(VesselRegistryTest, suspend_reinstate_revoke_follow_the_allowed_transitions) {
    const std::int64_t id = register_ok(al_madina());
    const auto lic = m_registry.get(id, false)->licences[0].id;
    EXPECT_EQ(m_registry.set_licence_status(supervisor, lic, "active", "x").code,
              ErrorCode::wrong_state); // already active
    EXPECT_EQ(m_registry.set_licence_status(supervisor, lic, "suspended", "").code,
              ErrorCode::validation_failed); // reason required
    ASSERT_TRUE(m_registry
                    .set_licence_status(supervisor, lic, "suspended",
                                        "Fisheries order 12/2026: banned net on board")
                    .ok());
    EXPECT_EQ(licence_state(*BoatStore(m_db).find(id), sys_days{year{2026} / 6 / 1}),
              LicenceState::suspended);
    EXPECT_EQ(m_registry.renew_licence(clerk_gwadar, lic, "2027-12-31", "fee").code,
              ErrorCode::wrong_state);
    ASSERT_TRUE(m_registry.set_licence_status(supervisor, lic, "active", "order withdrawn").ok());
    EXPECT_EQ(licence_state(*BoatStore(m_db).find(id), sys_days{year{2026} / 6 / 1}),
              LicenceState::valid);
    ASSERT_TRUE(m_registry.set_licence_status(supervisor, lic, "revoked", "court order").ok());
    EXPECT_EQ(m_registry.set_licence_status(supervisor, lic, "active", "x").code,
              ErrorCode::wrong_state);
    EXPECT_EQ(m_registry.set_licence_status(supervisor, lic, "expired", "x").code,
              ErrorCode::validation_failed);
}

TEST_F(VesselRegistryTest, expiring_licences_per_harbour_soonest_first) {
    Registration a = al_madina();
    a.licence->valid_to = "2026-03-25";
    register_ok(a);
    Registration b = al_madina();
    b.vessel.name = "Pasni Star";
    b.vessel.home_harbour = "PK-HBR-05";
    b.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "PSN-0001", .authority = "BAL-FISH"}};
    b.owners = {OwnerInput{.party = Party{.name = "Nasir"}, .share_pct = 100}};
    b.licence->licence_no = "BAL-PSN-L-1";
    b.licence->valid_to = "2026-03-12";
    b.transponders.clear();
    register_ok(b);
    const auto all = m_registry.expiring_licences("", sys_days{year{2026} / 3 / 10}, 30);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].registration_number, "PSN-0001");
    EXPECT_EQ(all[0].days_left, 2);
    EXPECT_EQ(all[1].days_left, 15);
    const auto gwadar =
        m_registry.expiring_licences("PK-HBR-02", sys_days{year{2026} / 3 / 10}, 30);
    ASSERT_EQ(gwadar.size(), 1u);
    EXPECT_EQ(gwadar[0].vessel_name, "Al-Madina");
    EXPECT_TRUE(m_registry.expiring_licences("", sys_days{year{2026} / 3 / 10}, 1).empty());
}

TEST_F(VesselRegistryTest, ownership_transfer_ends_old_owners_and_needs_a_reason) {
    const std::int64_t id = register_ok(al_madina());
    const auto buyer = m_registry.create_party(
        clerk_gwadar, Party{.name = "Haji Dost Muhammad", .cnic = "5410198765431"});
    ASSERT_TRUE(buyer.ok()) << dump(buyer.errors);
    EXPECT_EQ(m_registry
                  .transfer_ownership(clerk_gwadar, id,
                                      {OwnerInput{.party_id = *buyer.value, .share_pct = 100}},
                                      "2026-03-10", "")
                  .code,
              ErrorCode::validation_failed);
    ASSERT_TRUE(m_registry
                    .transfer_ownership(clerk_gwadar, id,
                                        {OwnerInput{.party_id = *buyer.value, .share_pct = 100}},
                                        "2026-03-10", "sale deed 22/2026")
                    .ok());
    const auto record = m_registry.get(id, false);
    int current = 0;
    for (const auto& role : record->roles) {
        if (role.role == "owner" && role.valid_to.empty()) {
            ++current;
            EXPECT_EQ(role.party_id, *buyer.value);
        }
    }
    EXPECT_EQ(current, 1);
    // The same CNIC cannot be filed twice.
    const auto dup = m_registry.create_party(
        clerk_gwadar, Party{.name = "H. D. Muhammad", .cnic = "54101-9876543-1"});
    EXPECT_EQ(dup.code, ErrorCode::duplicate);
}

TEST_F(VesselRegistryTest, search_finds_by_number_name_mmsi_call_sign_owner_and_cnic) {
    const std::int64_t id = register_ok(al_madina());
    const auto first = [&](std::string_view q) {
        const auto hits = m_registry.search(q);
        return hits.empty() ? std::string("none")
                            : hits[0].matched + ":" + std::to_string(hits[0].vessel_id);
    };
    const std::string want = std::to_string(id);
    EXPECT_EQ(first("gwd-1234"), "registration:" + want);
    EXPECT_EQ(first("463123456"), "mmsi:" + want);
    EXPECT_EQ(first("AP4521"), "call_sign:" + want);
    EXPECT_EQ(first("al madina"), "name:" + want);
    EXPECT_EQ(first("madina"), "name:" + want);
    EXPECT_EQ(first("ghani"), "owner:" + want);
    EXPECT_EQ(first("BAL-GWD-L-0091"), "licence:" + want);
    EXPECT_EQ(first("#" + want), "id:" + want);
    EXPECT_EQ(first("%"), "none"); // LIKE wildcards are literal
    EXPECT_EQ(first("a"), "none"); // too short
    const auto by_cnic = m_registry.search_by_cnic("5410112345673");
    ASSERT_TRUE(by_cnic.ok());
    ASSERT_EQ(by_cnic.value->size(), 1u);
    EXPECT_EQ((*by_cnic.value)[0].vessel_id, id);
    EXPECT_TRUE(m_registry.search_by_cnic("54101-1234567-4").value->empty());
    EXPECT_EQ(m_registry.search_by_cnic("5410").code, ErrorCode::validation_failed);
}

TEST_F(VesselRegistryTest, transponder_removal_changes_the_pipeline_flag) {
    const std::int64_t id = register_ok(al_madina());
    SQLite::Statement flag(m_db.handle(), "SELECT has_transponder FROM boats WHERE id = 1");
    ASSERT_TRUE(flag.executeStep());
    EXPECT_EQ(flag.getColumn(0).getInt(), 1);
    const auto tid = m_registry.get(id, false)->transponders[0].id;
    EXPECT_EQ(m_registry.remove_transponder(clerk_gwadar, tid, "2025-01-01", "x").code,
              ErrorCode::validation_failed); // before installation
    ASSERT_TRUE(m_registry.remove_transponder(clerk_gwadar, tid, "", "set broken").ok());
    SQLite::Statement again(m_db.handle(), "SELECT has_transponder FROM boats WHERE id = 1");
    ASSERT_TRUE(again.executeStep());
    EXPECT_EQ(again.getColumn(0).getInt(), 0);
}

TEST_F(VesselRegistryTest, closed_seasons_and_patrol_units) {
    ASSERT_TRUE(m_registry
                    .add_closed_season(supervisor, ClosedSeason{.authority = "BAL-FISH",
                                                                .name = "Monsoon ban 2026",
                                                                .starts_on = "2026-06-01",
                                                                .ends_on = "2026-07-31"})
                    .ok());
    EXPECT_EQ(m_registry
                  .add_closed_season(supervisor, ClosedSeason{.authority = "BAL-FISH",
                                                              .name = "bad",
                                                              .starts_on = "2026-08-01",
                                                              .ends_on = "2026-07-31"})
                  .code,
              ErrorCode::validation_failed);
    ASSERT_EQ(m_registry.closed_seasons().size(), 1u);
    ASSERT_TRUE(m_registry
                    .add_patrol_unit(supervisor, PatrolUnit{.unit_id = "MSA-P-112",
                                                            .agency = "msa",
                                                            .name = "PMSS Basol",
                                                            .mmsi = 463800112u})
                    .ok());
    EXPECT_EQ(
        m_registry
            .add_patrol_unit(supervisor,
                             PatrolUnit{.unit_id = "msa-p-112", .agency = "msa", .name = "again"})
            .code,
        ErrorCode::duplicate);
    EXPECT_EQ(m_registry
                  .add_patrol_unit(supervisor,
                                   PatrolUnit{.unit_id = "CG 1", .agency = "army", .name = "x"})
                  .code,
              ErrorCode::validation_failed);
}

TEST_F(VesselRegistryTest, corrections_need_a_reason_and_are_audited_with_before_and_after) {
    const std::int64_t id = register_ok(al_madina());
    Vessel changed = m_registry.get(id, false)->vessel;
    changed.loa_m = 15.2;
    EXPECT_EQ(m_registry.update_vessel(clerk_gwadar, id, changed, "").code,
              ErrorCode::validation_failed);
    const auto count_before = AuditLog(m_db).count();
    const auto unchanged =
        m_registry.update_vessel(clerk_gwadar, id, m_registry.get(id, false)->vessel, "no-op");
    ASSERT_TRUE(unchanged.ok());
    EXPECT_FALSE(*unchanged.value); // nothing changed: no write, no audit row
    EXPECT_EQ(AuditLog(m_db).count(), count_before);
    const auto updated =
        m_registry.update_vessel(clerk_gwadar, id, changed, "re-measured at slipway");
    ASSERT_TRUE(updated.ok());
    EXPECT_TRUE(*updated.value);
    const auto rows = AuditLog(m_db).list({.entity = "vessel", .entity_id = std::to_string(id)});
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].event.action, "vessel.update");
    EXPECT_EQ(rows[0].actor.user, "sadia.baloch");
    EXPECT_EQ(rows[0].actor.source, "10.0.0.7");
    EXPECT_EQ(rows[0].event.reason, "re-measured at slipway");
    EXPECT_THAT(*rows[0].event.before_json, HasSubstr("\"loa_m\":14.5"));
    EXPECT_THAT(*rows[0].event.after_json, HasSubstr("\"loa_m\":15.2"));
    EXPECT_TRUE(AuditLog(m_db).verify().ok());
}

TEST_F(VesselRegistryTest, not_found_is_reported_as_such) {
    EXPECT_EQ(m_registry.update_vessel(clerk_gwadar, 42, Vessel{}, "x").code, ErrorCode::not_found);
    EXPECT_EQ(m_registry.renew_licence(clerk_gwadar, 42, "2027-01-01", "x").code,
              ErrorCode::not_found);
    EXPECT_EQ(m_registry.set_licence_status(supervisor, 42, "suspended", "x").code,
              ErrorCode::not_found);
    EXPECT_EQ(m_registry.end_identifier(clerk_gwadar, 42, "", "x").code, ErrorCode::not_found);
    EXPECT_FALSE(m_registry.get(42, true).has_value());
    EXPECT_FALSE(m_registry.home_harbour(42).has_value());
}

} // namespace
} // namespace sahil::registry

// BoatIndex: O(1) MMSI lookups for the pipeline that follow registry changes made through
// another connection (the HTTP API) within the check interval.
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "registry/boat_index.hpp"
#include "registry/boat_store.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono;

class BoatIndexTest : public testing::Test {
protected:
    BoatIndexTest() {
        m_dir = std::filesystem::path(testing::TempDir()) /
                ("boat-index-" + std::to_string(::getpid()) + "-" +
                 testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        m_path = (m_dir / "registry.db").string();
    }
    ~BoatIndexTest() override { std::filesystem::remove_all(m_dir); }

    std::filesystem::path m_dir;
    std::string m_path;
    steady_clock::time_point m_now{steady_clock::time_point{} + hours{1}};
};

Registration boat(std::string name, std::string reg, std::string mmsi) {
    Registration r;
    r.vessel = Vessel{.name = std::move(name), .vessel_type = "launch", .home_harbour = "PK-HBR-05"};
    r.identifiers = {Identifier{.scheme = "provincial_reg", .value = std::move(reg),
                                .authority = "BAL-FISH"},
                     Identifier{.scheme = "mmsi", .value = std::move(mmsi), .authority = "PTA"}};
    r.owners = {OwnerInput{.party = Party{.name = "Owner " + r.vessel.name}, .share_pct = 100}};
    r.licence = Licence{.authority = "BAL-FISH",
                        .licence_no = "L-" + r.identifiers[0].value,
                        .valid_from = "2026-01-01",
                        .valid_to = "2026-12-31"};
    return r;
}

TEST_F(BoatIndexTest, follows_changes_made_through_another_connection) {
    Database api_db(m_path);      // the HTTP API's connection
    Database tracking_db(m_path); // the tracking engine's connection
    const Actor clerk{"clerk1", "clerk", "PK-HBR-05", "10.0.0.1", ""};
    const Actor supervisor{"sup", "supervisor", "", "10.0.0.2", ""};
    VesselRegistry registry(api_db, IdentifierRules{}, nullptr, nullptr,
                            [] { return sys_days{year{2026} / 3 / 10} + hours{9}; });
    ASSERT_TRUE(registry.register_vessel(clerk, boat("Noor", "PSN-0001", "463100001")).ok());

    BoatIndex index(tracking_db, milliseconds{250}, [this] { return m_now; });
    ASSERT_NE(index.find_by_mmsi(463100001), nullptr);
    EXPECT_EQ(index.find_by_mmsi(463100002), nullptr);
    EXPECT_EQ(index.size(), 1u);
    const auto generation = index.generation();

    // A supervisor suspends the licence through the API connection.
    const auto lic = registry.get(1, false)->licences[0].id;
    ASSERT_TRUE(registry.set_licence_status(supervisor, lic, "suspended", "order 7/2026").ok());
    ASSERT_TRUE(registry.register_vessel(clerk, boat("Sitara", "PSN-0002", "463100002")).ok());

    // Within the interval the cached answer stands (no SQL per lookup) ...
    m_now += milliseconds{100};
    EXPECT_EQ(index.find_by_mmsi(463100001)->licence_status, "active");
    EXPECT_EQ(index.find_by_mmsi(463100002), nullptr);
    // ... and once it has passed, the change is visible.
    m_now += milliseconds{200};
    const Boat* noor = index.find_by_mmsi(463100001);
    ASSERT_NE(noor, nullptr);
    EXPECT_EQ(noor->licence_status, "suspended");
    EXPECT_EQ(licence_state(*noor, sys_days{year{2026} / 3 / 10}), LicenceState::suspended);
    ASSERT_NE(index.find_by_mmsi(463100002), nullptr);
    EXPECT_GT(index.generation(), generation);

    // Nothing changed: checking does not reload.
    const auto settled = index.generation();
    m_now += seconds{5};
    EXPECT_FALSE(index.refresh());
    EXPECT_EQ(index.generation(), settled);
}

TEST_F(BoatIndexTest, follows_changes_made_on_its_own_connection) {
    Database db(m_path);
    BoatIndex index(db, milliseconds{0}, [this] { return m_now; });
    EXPECT_EQ(index.size(), 0u);
    BoatStore store(db);
    ASSERT_TRUE(store
                    .add(Boat{.registration_number = "GWD-0001",
                              .name = "Al-Madina",
                              .mmsi = 463123456,
                              .home_harbour = "PK-HBR-02"})
                    .ok());
    const Boat* b = index.find_by_mmsi(463123456);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->registration_number, "GWD-0001");
}

} // namespace
} // namespace sahil::registry

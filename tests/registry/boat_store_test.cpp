// Tests of registry/boat_store: add, look-ups, listing, uniqueness, what is stored.
#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "registry/boat_store.hpp"
#include "registry_test_support.hpp"

namespace sahil::registry {
namespace {

using std::chrono::year;
using test::query_text;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::chrono::sys_seconds fixed_now() {
    using namespace std::chrono_literals;
    return std::chrono::sys_days{year{2025} / 3 / 1} + 4h + 5min + 6s;
}

Boat al_madina() {
    return Boat{.registration_number = "GWD-1234",
                .name = "Al-Madina",
                .mmsi = 463123456,
                .call_sign = "AP4521",
                .home_harbour = "PK-HBR-02",
                .licence_valid_until = year{2025} / 12 / 31,
                .status = BoatStatus::active};
}

Boat noor_e_pasni() {
    return Boat{.registration_number = "PSN/0456",
                .name = "Noor-e-Pasni",
                .mmsi = 463100456,
                .home_harbour = "PK-HBR-05",
                .licence_valid_until = year{2024} / 6 / 30,
                .status = BoatStatus::suspended};
}

Boat sea_pearl() {
    return Boat{
        .registration_number = "ORM-0077", .name = "Sea Pearl", .home_harbour = "PK-HBR-06"};
}

class BoatStoreTest : public ::testing::Test {
protected:
    Database m_db{":memory:"};
    BoatStore m_boats{m_db, fixed_now};

    std::string sql(const std::string& query) {
        return query_text(m_db.handle().getHandle(), query);
    }

    std::int64_t add_ok(const Boat& boat) {
        const AddResult result = m_boats.add(boat);
        EXPECT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors[0].message);
        return result.id;
    }
};

TEST_F(BoatStoreTest, add_returns_an_id_and_every_finder_returns_the_same_boat) {
    const std::int64_t id = add_ok(al_madina());
    EXPECT_GT(id, 0);
    Boat expected = al_madina();
    expected.id = id;
    // Read back from the full model: the v1 form's licence becomes an active licence row that
    // starts on the day it was entered (fixed_now) or on its end day if that is earlier.
    expected.vessel_status = "active";
    // The licence ended on 2025-12-31, before today: the boats view derives "expired".
    expected.licence_status = "expired";
    expected.licence_valid_from = year{2025} / 3 / 1;
    EXPECT_EQ(m_boats.find(id), expected);
    EXPECT_EQ(m_boats.find_by_mmsi(463123456), expected);
    EXPECT_EQ(m_boats.find_by_registration("GWD-1234"), expected);
    EXPECT_EQ(m_boats.count(), 1u);
}

TEST_F(BoatStoreTest, stores_columns_in_their_documented_forms) {
    const std::int64_t id = add_ok(noor_e_pasni());
    const std::string where = " FROM boats WHERE id = " + std::to_string(id);
    EXPECT_EQ(sql("SELECT registration_number" + where), "PSN/0456");
    EXPECT_EQ(sql("SELECT typeof(mmsi) || ' ' || mmsi" + where), "integer 463100456");
    EXPECT_EQ(sql("SELECT call_sign" + where), "<null>"); // empty call sign is NULL
    EXPECT_EQ(sql("SELECT licence_valid_until" + where), "2024-06-30");
    EXPECT_EQ(sql("SELECT status" + where), "suspended");
    EXPECT_EQ(sql("SELECT created_at" + where), "2025-03-01T04:05:06Z");
    EXPECT_EQ(sql("SELECT updated_at" + where), "2025-03-01T04:05:06Z");
}

TEST_F(BoatStoreTest, boat_without_mmsi_or_licence_round_trips) {
    const std::int64_t id = add_ok(sea_pearl());
    const auto found = m_boats.find(id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->mmsi, std::nullopt);
    EXPECT_EQ(found->licence_valid_until, std::nullopt);
    EXPECT_EQ(found->call_sign, "");
    EXPECT_EQ(found->status, BoatStatus::active);
    EXPECT_EQ(sql("SELECT mmsi FROM boats"), "<null>");
}

TEST_F(BoatStoreTest, finders_return_nothing_for_unknown_keys) {
    add_ok(al_madina());
    EXPECT_EQ(m_boats.find(999), std::nullopt);
    EXPECT_EQ(m_boats.find_by_mmsi(463999999), std::nullopt);
    EXPECT_EQ(m_boats.find_by_registration("GWD-9999"), std::nullopt);
    EXPECT_EQ(m_boats.find_by_registration(""), std::nullopt);
}

TEST_F(BoatStoreTest, registration_lookup_ignores_ascii_case) {
    add_ok(al_madina());
    const auto found = m_boats.find_by_registration("gwd-1234");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->registration_number, "GWD-1234");
}

TEST_F(BoatStoreTest, list_is_ordered_by_registration_number) {
    add_ok(noor_e_pasni());
    add_ok(sea_pearl());
    add_ok(al_madina());
    Boat lower = sea_pearl();
    lower.registration_number = "gwd-0100";
    add_ok(lower);
    std::vector<std::string> numbers;
    for (const Boat& boat : m_boats.list()) {
        numbers.push_back(boat.registration_number);
    }
    EXPECT_THAT(numbers, ElementsAre("gwd-0100", "GWD-1234", "ORM-0077", "PSN/0456"));
    EXPECT_EQ(m_boats.count(), 4u);
}

TEST_F(BoatStoreTest, empty_store_lists_nothing) {
    EXPECT_TRUE(m_boats.list().empty());
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreTest, duplicate_registration_number_is_a_field_error_naming_the_other_boat) {
    const std::int64_t first = add_ok(al_madina());
    Boat copy = sea_pearl();
    copy.registration_number = "gwd-1234"; // same number, other case
    const AddResult result = m_boats.add(copy);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.id, 0);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].field, "registration_number");
    EXPECT_THAT(result.errors[0].message,
                HasSubstr("boat " + std::to_string(first) + " GWD-1234 \"Al-Madina\""));
    EXPECT_EQ(m_boats.count(), 1u);
}

TEST_F(BoatStoreTest, duplicate_mmsi_is_a_field_error_naming_the_other_boat) {
    add_ok(al_madina());
    Boat other = noor_e_pasni();
    other.mmsi = 463123456;
    const AddResult result = m_boats.add(other);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].field, "mmsi");
    EXPECT_THAT(result.errors[0].message, HasSubstr("463123456"));
    EXPECT_THAT(result.errors[0].message, HasSubstr("GWD-1234"));
    EXPECT_EQ(m_boats.count(), 1u);
}

TEST_F(BoatStoreTest, both_duplicates_are_reported_together) {
    add_ok(al_madina());
    Boat clone = al_madina();
    clone.id = 77; // ignored by add
    const AddResult result = m_boats.add(clone);
    ASSERT_EQ(result.errors.size(), 2u);
    EXPECT_EQ(result.errors[0].field, "registration_number");
    EXPECT_EQ(result.errors[1].field, "mmsi");
}

TEST_F(BoatStoreTest, many_boats_may_have_no_mmsi) {
    for (const char* number : {"ORM-0001", "ORM-0002", "ORM-0003"}) {
        Boat boat = sea_pearl();
        boat.registration_number = number;
        add_ok(boat);
    }
    EXPECT_EQ(m_boats.count(), 3u);
    EXPECT_EQ(sql("SELECT count(*) FROM boats WHERE mmsi IS NULL"), "3");
}

TEST_F(BoatStoreTest, invalid_boat_is_refused_with_field_errors_not_an_exception) {
    Boat bad = al_madina();
    bad.mmsi = 970123456;
    bad.call_sign = "ap4521";
    AddResult result;
    EXPECT_NO_THROW(result = m_boats.add(bad));
    ASSERT_EQ(result.errors.size(), 2u);
    EXPECT_EQ(result.errors[0].field, "mmsi");
    EXPECT_EQ(result.errors[1].field, "call_sign");
    EXPECT_EQ(m_boats.count(), 0u);
}

TEST_F(BoatStoreTest, a_field_is_reported_once_even_when_invalid_and_duplicate) {
    add_ok(al_madina());
    Boat bad = sea_pearl();
    bad.registration_number = "GWD-1234 "; // trailing space: invalid; trimmed it would clash
    const AddResult result = m_boats.add(bad);
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_THAT(result.errors[0].message, HasSubstr("spaces"));
}

TEST_F(BoatStoreTest, mmsi_lookup_uses_an_index) {
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(m_db.handle().getHandle(),
                                 "EXPLAIN QUERY PLAN SELECT * FROM boats WHERE mmsi = 463123456",
                                 -1, &statement, nullptr),
              SQLITE_OK);
    std::string details;
    while (sqlite3_step(statement) == SQLITE_ROW) {
        details += reinterpret_cast<const char*>(sqlite3_column_text(statement, 3));
    }
    sqlite3_finalize(statement);
    EXPECT_THAT(details, HasSubstr("USING INDEX"));
}

TEST_F(BoatStoreTest, a_row_edited_by_hand_into_nonsense_throws_corrupt_row) {
    const std::int64_t id = add_ok(al_madina());
    m_db.handle().exec("PRAGMA ignore_check_constraints = ON");
    // Since schema 3 `boats` is a view; its licence date comes from the licences table.
    m_db.handle().exec("UPDATE licences SET valid_to = 'sunk'");
    try {
        (void)m_boats.find(id);
        FAIL() << "expected RegistryError";
    } catch (const RegistryError& e) {
        EXPECT_EQ(e.kind(), RegistryError::Kind::corrupt_row);
        EXPECT_THAT(e.what(), HasSubstr("sunk"));
    }
}

TEST_F(BoatStoreTest, database_failure_throws_registry_error_with_the_sqlite_code) {
    m_db.handle().exec("DROP VIEW boats");
    try {
        (void)m_boats.count();
        FAIL() << "expected RegistryError";
    } catch (const RegistryError& e) {
        EXPECT_EQ(e.kind(), RegistryError::Kind::sqlite);
        EXPECT_EQ(e.sqlite_code(), SQLITE_ERROR);
        EXPECT_THAT(e.what(), HasSubstr("no such table"));
    }
}

} // namespace
} // namespace sahil::registry

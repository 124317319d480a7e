// Tests of registry/database and registry/migrations: opening, configuration, migration,
// version checks. Independent checks go through a raw sqlite3 connection (RawDb).
#include <array>
#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "registry/boat_store.hpp"
#include "registry/database.hpp"
#include "registry/migrations.hpp"
#include "registry_test_support.hpp"

namespace sahil::registry {
namespace {

using test::query_text;
using test::RawDb;
using test::TempDir;
using ::testing::HasSubstr;

/// The boats table exactly as migration 1 shipped it: a frozen fixture, so an "older schema"
/// database is built by hand, not by the code under test.
constexpr const char* boats_v1_sql = R"sql(
CREATE TABLE boats(
  id INTEGER PRIMARY KEY,
  registration_number TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  mmsi INTEGER UNIQUE CHECK(mmsi IS NULL OR mmsi BETWEEN 100000000 AND 999999999),
  call_sign TEXT,
  home_harbour TEXT NOT NULL,
  licence_valid_until TEXT CHECK(licence_valid_until IS NULL OR
    licence_valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  status TEXT NOT NULL DEFAULT 'active'
    CHECK(status IN ('active','suspended','decommissioned')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
PRAGMA user_version = 1;
)sql";

/// Column names of a table in declaration order, comma-separated.
std::string columns_of(sqlite3* db, const std::string& table) {
    return query_text(db,
                      "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('" +
                          table + "') ORDER BY cid)");
}

RegistryError open_error(const std::string& path, OpenMode mode = OpenMode::read_write) {
    try {
        Database db(path, mode);
    } catch (const RegistryError& e) {
        return e;
    }
    ADD_FAILURE() << "opening " << path << " did not throw";
    return RegistryError(RegistryError::Kind::sqlite, "no error");
}

TEST(DatabaseMigrations, versions_are_consecutive_and_latest_is_four) {
    const auto list = migrations();
    ASSERT_EQ(list.size(), 4u);
    for (std::size_t i = 0; i < list.size(); ++i) {
        EXPECT_EQ(list[i].version, static_cast<int>(i) + 1);
        EXPECT_FALSE(list[i].sql.empty());
    }
    EXPECT_EQ(Database::latest_schema_version(), 4);
}

TEST(DatabaseMigrations, in_memory_database_gets_every_migration) {
    Database db(":memory:");
    EXPECT_EQ(db.schema_version(), 4);
    sqlite3* raw = db.handle().getHandle();
    EXPECT_EQ(query_text(raw, "PRAGMA user_version"), "4");
    EXPECT_EQ(query_text(raw, "PRAGMA foreign_keys"), "1");
    EXPECT_EQ(query_text(raw, "PRAGMA busy_timeout"), "5000");
    EXPECT_EQ(query_text(raw, "PRAGMA synchronous"), "1"); // NORMAL
    EXPECT_EQ(query_text(raw, "PRAGMA journal_mode"), "memory");
    // Since schema 3, boats is a view with the v1 columns first (reports keep working).
    EXPECT_THAT(columns_of(raw, "boats"),
                testing::StartsWith("id,registration_number,name,mmsi,call_sign,home_harbour,"
                                    "licence_valid_until,status,"));
    EXPECT_EQ(query_text(raw, "SELECT type FROM sqlite_master WHERE name = 'boats'"), "view");
}

TEST(DatabaseMigrations, alerts_table_matches_the_agreed_schema) {
    Database db(":memory:");
    sqlite3* raw = db.handle().getHandle();
    EXPECT_EQ(columns_of(raw, "alerts"),
              "id,rule,severity,status,mmsi,vessel_name,boat_id,registration_number,other_mmsi,"
              "other_name,zone_id,zone_name,fix_time,lat_deg,lon_deg,last_time,last_lat_deg,"
              "last_lon_deg,sog_knots,cog_deg,repeat_count,agencies,assignee,outcome,reason,"
              "evidence_json,created_at,updated_at");
    EXPECT_EQ(query_text(raw, "SELECT count(*) FROM sqlite_master WHERE type='index' AND "
                              "name='alerts_open_one' AND tbl_name='alerts'"),
              "1");
    EXPECT_EQ(query_text(raw, "SELECT count(*) FROM sqlite_master WHERE type='index' AND "
                              "name='alerts_fix_time' AND tbl_name='alerts'"),
              "1");
}

TEST(DatabaseMigrations, alerts_enforce_defaults_checks_uniqueness_and_boat_reference) {
    Database db(":memory:");
    auto& h = db.handle();
    const std::string insert =
        "INSERT INTO alerts(rule, severity, mmsi, zone_id, zone_name, fix_time, lat_deg, lon_deg, "
        "last_time, last_lat_deg, last_lon_deg, reason, created_at, updated_at) "
        "VALUES('unregistered_departure', 'critical', 463999001, 'PK-HBR-05', "
        "'Pasni Fish Harbour', 1735700000, 25.26, 63.47, 1735700000, 25.26, 63.47, "
        "'left harbour', '2025-01-01T03:33:20Z', '2025-01-01T03:33:20Z')";
    h.exec(insert);
    EXPECT_EQ(query_text(h.getHandle(), "SELECT status || ' ' || evidence_json FROM alerts"),
              "new {}");
    EXPECT_THROW(h.exec(insert), SQLite::Exception); // UNIQUE(rule, mmsi, zone_id, fix_time)
    EXPECT_THROW(h.exec("INSERT INTO alerts(rule, severity, mmsi, zone_id, zone_name, fix_time, "
                        "lat_deg, lon_deg, last_time, last_lat_deg, last_lon_deg, reason, "
                        "created_at, updated_at) VALUES('r', 'loud', 1, 'z', 'z', 1, 0, 0, 1, 0, "
                        "0, 'x', 't', 't')"),
                 SQLite::Exception); // severity CHECK
    EXPECT_THROW(h.exec("INSERT INTO alerts(rule, severity, mmsi, boat_id, zone_id, zone_name, "
                        "fix_time, lat_deg, lon_deg, last_time, last_lat_deg, last_lon_deg, "
                        "reason, created_at, updated_at) VALUES('r', 'info', 1, 999, 'z', 'z', 1, "
                        "0, 0, 1, 0, 0, 'x', 't', 't')"),
                 SQLite::Exception); // no boat 999: foreign keys are on
    // One open alert per (rule, MMSI): a second open one is refused, a resolved one is not.
    EXPECT_THROW(h.exec("INSERT INTO alerts(rule, severity, mmsi, zone_id, zone_name, fix_time, "
                        "lat_deg, lon_deg, last_time, last_lat_deg, last_lon_deg, reason, "
                        "created_at, updated_at) VALUES('unregistered_departure', 'critical', "
                        "463999001, 'PK-HBR-05', 'x', 1735800000, 0, 0, 1735800000, 0, 0, 'x', "
                        "'t', 't')"),
                 SQLite::Exception);
    // A resolved alert needs an outcome, an open one must not have one.
    EXPECT_THROW(h.exec("UPDATE alerts SET status = 'resolved'"), SQLite::Exception);
    h.exec("UPDATE alerts SET status = 'resolved', outcome = 'false_alarm'");
}

TEST(DatabaseMigrations, file_database_is_in_wal_mode_at_latest_version) {
    TempDir dir;
    const std::string path = dir.file("registry.db");
    {
        Database db(path);
        EXPECT_EQ(db.schema_version(), Database::latest_schema_version());
        EXPECT_EQ(query_text(db.handle().getHandle(), "PRAGMA foreign_keys"), "1");
        EXPECT_EQ(db.path(), path);
        EXPECT_EQ(db.mode(), OpenMode::read_write);
    }
    RawDb raw(path);
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal"); // persistent in the file
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE name IN ('boats','alerts')"),
              2);
}

TEST(DatabaseMigrations, reopening_a_current_database_changes_nothing) {
    TempDir dir;
    const std::string path = dir.file("registry.db");
    {
        Database db(path);
        BoatStore boats(db);
        ASSERT_TRUE(boats
                        .add(Boat{.registration_number = "GWD-1234",
                                  .name = "Al-Madina",
                                  .home_harbour = "PK-HBR-02"})
                        .ok());
    }
    Database again(path);
    EXPECT_EQ(again.schema_version(), 4);
    EXPECT_EQ(BoatStore(again).count(), 1u);
}

TEST(DatabaseMigrations, older_schema_is_upgraded_and_keeps_its_rows) {
    TempDir dir;
    const std::string path = dir.file("registry-v1.db");
    {
        RawDb raw(path);
        raw.exec(boats_v1_sql);
        raw.exec("INSERT INTO boats(registration_number, name, mmsi, call_sign, home_harbour, "
                 "licence_valid_until, status, created_at, updated_at) VALUES('PSN/0456', "
                 "'Noor-e-Pasni', 463100456, 'AP4521', 'PK-HBR-05', '2025-12-31', 'active', "
                 "'2024-11-02T06:00:00Z', '2024-11-02T06:00:00Z')");
    }
    Database db(path);
    EXPECT_EQ(db.schema_version(), 4);
    const auto boat = BoatStore(db).find_by_mmsi(463100456);
    ASSERT_TRUE(boat.has_value());
    EXPECT_EQ(boat->registration_number, "PSN/0456");
    EXPECT_EQ(boat->name, "Noor-e-Pasni");
    EXPECT_EQ(boat->licence_valid_until,
              std::chrono::year_month_day{std::chrono::year{2025} / 12 / 31});
    // The new alerts table can point at the old row.
    db.handle().exec(
        "INSERT INTO alerts(rule, severity, mmsi, boat_id, zone_id, zone_name, fix_time, lat_deg, "
        "lon_deg, last_time, last_lat_deg, last_lon_deg, reason, created_at, updated_at) "
        "VALUES('expired_licence_departure', 'warning', 463100456, " +
        std::to_string(boat->id) +
        ", 'PK-HBR-05', 'Pasni Fish Harbour', 1735700000, 25.26, 63.47, 1735700000, 25.26, 63.47, "
        "'left harbour', '2025-01-01T03:33:20Z', '2025-01-01T03:33:20Z')");
    RawDb raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 4);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM alerts"), 1);
    // v1 -> v3: the row became a vessel with three identifiers and a licence, same id.
    EXPECT_EQ(raw.integer("SELECT count(*) FROM vessels WHERE id = " + std::to_string(boat->id) +
                          " AND name_norm = 'NOOR E PASNI'"),
              1);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM identifiers WHERE vessel_id = " +
                          std::to_string(boat->id) + " AND valid_to IS NULL"),
              3);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM licences WHERE valid_to = '2025-12-31' AND "
                          "valid_from = '2024-11-02' AND authority = 'UNRECORDED'"),
              1);
}

TEST(DatabaseMigrations, failed_migration_rolls_back_and_keeps_the_previous_version) {
    TempDir dir;
    const std::string path = dir.file("registry.db");
    const std::array broken{
        migrations()[0],
        Migration{2, "broken", "CREATE TABLE half_done(x); INSERT INTO no_such_table VALUES(1);"},
    };
    try {
        Database db(path, OpenMode::read_write, broken);
        FAIL() << "a failing migration must throw";
    } catch (const RegistryError& e) {
        EXPECT_EQ(e.kind(), RegistryError::Kind::sqlite);
        EXPECT_EQ(e.sqlite_code(), SQLITE_ERROR);
        EXPECT_THAT(e.what(), HasSubstr("migration 2 (broken)"));
        EXPECT_THAT(e.what(), HasSubstr("no_such_table"));
    }
    RawDb raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 1);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"), 0);
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'boats'"), 1);
}

TEST(Database, refuses_a_schema_newer_than_it_knows) {
    TempDir dir;
    const std::string path = dir.file("from-the-future.db");
    {
        RawDb raw(path);
        raw.exec("CREATE TABLE boats(id INTEGER PRIMARY KEY); PRAGMA user_version = 99;");
    }
    const RegistryError error = open_error(path);
    EXPECT_EQ(error.kind(), RegistryError::Kind::schema_too_new);
    EXPECT_EQ(error.sqlite_code(), 0);
    EXPECT_THAT(error.what(), HasSubstr("schema version 99 is newer"));
    EXPECT_EQ(open_error(path, OpenMode::read_only).kind(), RegistryError::Kind::schema_too_new);
    RawDb raw(path);
    EXPECT_EQ(raw.integer("PRAGMA user_version"), 99); // untouched
    EXPECT_EQ(raw.text("PRAGMA journal_mode"), "delete");
    EXPECT_EQ(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'alerts'"), 0);
}

TEST(Database, read_only_open_reads_but_does_not_write_or_migrate) {
    TempDir dir;
    const std::string path = dir.file("registry.db");
    {
        Database db(path);
        ASSERT_TRUE(BoatStore(db)
                        .add(Boat{.registration_number = "ORM-0077",
                                  .name = "Sea Pearl",
                                  .home_harbour = "PK-HBR-06"})
                        .ok());
    }
    Database reader(path, OpenMode::read_only);
    EXPECT_EQ(reader.mode(), OpenMode::read_only);
    EXPECT_EQ(reader.schema_version(), 4);
    BoatStore boats(reader);
    EXPECT_EQ(boats.count(), 1u);
    try {
        (void)boats.add(Boat{
            .registration_number = "ORM-0078", .name = "Sea Star", .home_harbour = "PK-HBR-06"});
        FAIL() << "writing through a read-only connection must throw";
    } catch (const RegistryError& e) {
        EXPECT_EQ(e.sqlite_code(), SQLITE_READONLY);
    }
}

TEST(Database, read_only_open_of_an_older_schema_asks_for_migration) {
    TempDir dir;
    const std::string path = dir.file("registry-v1.db");
    {
        RawDb raw(path);
        raw.exec(boats_v1_sql);
    }
    const RegistryError error = open_error(path, OpenMode::read_only);
    EXPECT_EQ(error.kind(), RegistryError::Kind::schema_too_old);
    EXPECT_EQ(RawDb(path).integer("PRAGMA user_version"), 1);
}

TEST(Database, missing_file_in_read_only_mode_keeps_sqlite_cantopen) {
    TempDir dir;
    const RegistryError error = open_error(dir.file("absent.db"), OpenMode::read_only);
    EXPECT_EQ(error.kind(), RegistryError::Kind::sqlite);
    EXPECT_EQ(error.sqlite_code(), SQLITE_CANTOPEN);
    EXPECT_THAT(error.what(), HasSubstr("absent.db"));
}

TEST(Database, unwritable_location_keeps_sqlite_cantopen) {
    TempDir dir;
    const RegistryError error = open_error(dir.file("no-such-dir/registry.db"));
    EXPECT_EQ(error.sqlite_code(), SQLITE_CANTOPEN);
}

TEST(Database, a_file_that_is_not_a_database_keeps_sqlite_notadb) {
    TempDir dir;
    const std::string path = dir.file("boats.csv");
    {
        std::ofstream out(path);
        for (int i = 0; i < 200; ++i) {
            out << "registration_number,name,home_harbour\nGWD-1234,Al-Madina,PK-HBR-02\n";
        }
    }
    const RegistryError error = open_error(path);
    EXPECT_EQ(error.kind(), RegistryError::Kind::sqlite);
    EXPECT_EQ(error.sqlite_code(), SQLITE_NOTADB);
}

TEST(RegistryError, kinds_have_stable_names) {
    EXPECT_EQ(to_string(RegistryError::Kind::sqlite), "sqlite");
    EXPECT_EQ(to_string(RegistryError::Kind::schema_too_new), "schema_too_new");
    EXPECT_EQ(to_string(RegistryError::Kind::schema_too_old), "schema_too_old");
    EXPECT_EQ(to_string(RegistryError::Kind::journal_mode), "journal_mode");
    EXPECT_EQ(to_string(RegistryError::Kind::corrupt_row), "corrupt_row");
}

TEST(RegistryError, keeps_primary_and_extended_sqlite_codes) {
    Database db(":memory:");
    db.handle().exec("CREATE TABLE t(x UNIQUE); INSERT INTO t VALUES(1)");
    try {
        db.handle().exec("INSERT INTO t VALUES(1)");
        FAIL();
    } catch (const SQLite::Exception& e) {
        const RegistryError error = RegistryError::from_sqlite(e, "test");
        EXPECT_EQ(error.sqlite_code(), SQLITE_CONSTRAINT);
        EXPECT_EQ(error.extended_code(), SQLITE_CONSTRAINT_UNIQUE);
        EXPECT_THAT(error.what(), HasSubstr("test: "));
    }
}

} // namespace
} // namespace sahil::registry

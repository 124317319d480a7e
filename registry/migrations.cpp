#include "registry/migrations.hpp"

#include <array>
#include <cstddef>

namespace sahil::registry {
namespace {

// v1: the minimal boat registry. Identity fields (registration number, MMSI) are unique; a later
// migration moves them into a many-per-vessel identifier table (docs: registry-model.md §3.2).
// registration_number compares case-insensitively (NOCASE folds ASCII only, and registration
// numbers are ASCII by validation) so "gwd-1234" cannot be registered beside "GWD-1234".
// The UNIQUE constraint on mmsi gives it an index (sqlite_autoindex_boats_2), which is what
// find_by_mmsi uses; a second explicit index would only double the write cost.
constexpr std::string_view boats_v1 = R"sql(
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
)sql";

// v2: the alert store of the core (server/store). Kept here so that registry.db has one owner of
// its schema. Column list agreed with the core; do not change it without changing the store.
constexpr std::string_view alerts_v2 = R"sql(
CREATE TABLE alerts(
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK(severity IN ('info','warning','critical')),
  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN ('new','acknowledged','resolved')),
  mmsi INTEGER NOT NULL,
  vessel_name TEXT,
  boat_id INTEGER REFERENCES boats(id),
  registration_number TEXT,
  zone_id TEXT NOT NULL,
  zone_name TEXT NOT NULL,
  fix_time INTEGER NOT NULL,
  lat_deg REAL NOT NULL,
  lon_deg REAL NOT NULL,
  sog_knots REAL,
  cog_deg REAL,
  reason TEXT NOT NULL,
  evidence_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  UNIQUE(rule, mmsi, zone_id, fix_time)
);
CREATE INDEX alerts_fix_time ON alerts(fix_time);
)sql";

constexpr std::array all_migrations{
    Migration{1, "boats", boats_v1},
    Migration{2, "alerts", alerts_v2},
};

constexpr bool versions_are_consecutive() {
    for (std::size_t i = 0; i < all_migrations.size(); ++i) {
        if (all_migrations[i].version != static_cast<int>(i) + 1) {
            return false;
        }
    }
    return true;
}
static_assert(versions_are_consecutive(), "migration versions must be 1, 2, 3... without gaps");

} // namespace

std::span<const Migration> migrations() noexcept {
    return all_migrations;
}

} // namespace sahil::registry

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

// v3: the full registry model (docs/registry.md; registry-model.md §3). The v1 `boats` table is
// split into `vessels` (one row per hull, never deleted) and effective-dated `identifiers`
// (registration number, MMSI, call sign ... each with its issuing authority; unique among current
// rows); the v1 licence date becomes a row of `licences` issued by the placeholder authority
// UNRECORDED (the v1 form did not ask who issued it). `boats` lives on as a read-only VIEW with
// the v1 columns, so reports and `sqlite3` users keep working. The alerts table is rebuilt to
// reference vessels. Row ids of boats are kept as vessel ids, so alerts still point at the same
// hull. sahil_name_norm() is registered by Database (identifiers.hpp normalise_vessel_name).
// Times are ISO 8601 UTC text ("2026-11-29T20:51:07Z"); dates "YYYY-MM-DD"; `valid_to` NULL means
// current. JSON arrays (gear, zones, harbours) are TEXT checked with json_valid().
constexpr std::string_view registry_v3 = R"sql(
CREATE TABLE authorities(
  code TEXT PRIMARY KEY COLLATE NOCASE CHECK(length(code) BETWEEN 2 AND 16),
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK(level IN ('federal','sindh','balochistan','other')),
  kind TEXT NOT NULL CHECK(kind IN ('registrar','fisheries','mmd','mfd','harbour','cooperative',
                                    'enforcement','none'))
);
INSERT INTO authorities(code, name, level, kind) VALUES
  ('MMD', 'Mercantile Marine Department, Karachi (registrar of ships)', 'federal', 'mmd'),
  ('MFD', 'Marine Fisheries Department (EEZ licences)', 'federal', 'mfd'),
  ('BAL-FISH', 'Fisheries and Coastal Development Department, Balochistan', 'balochistan', 'fisheries'),
  ('SND-FISH', 'Livestock and Fisheries Department, Sindh', 'sindh', 'fisheries'),
  ('KFHA', 'Karachi Fisheries Harbour Authority', 'sindh', 'harbour'),
  ('FCS', 'Fishermen''s Co-operative Society', 'sindh', 'cooperative'),
  ('PTA', 'Pakistan Telecommunication Authority (MMSI and call-sign assignment)', 'federal', 'registrar'),
  ('UNRECORDED', 'Issuing authority not recorded (migrated from schema v1)', 'other', 'none');

CREATE TABLE vessels(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 256),
  name_norm TEXT NOT NULL,
  vessel_type TEXT NOT NULL DEFAULT 'other' CHECK(vessel_type IN ('launch','hora','yakdar',
    'speedboat','gillnetter','trawler','longliner','purse_seiner','dhow','carrier','other')),
  hull_material TEXT CHECK(hull_material IS NULL OR hull_material IN ('wood','grp','steel',
    'aluminium','ferro_cement','other')),
  loa_m REAL CHECK(loa_m IS NULL OR loa_m BETWEEN 2 AND 120),
  breadth_m REAL CHECK(breadth_m IS NULL OR breadth_m > 0),
  depth_m REAL CHECK(depth_m IS NULL OR depth_m > 0),
  gross_tonnage REAL CHECK(gross_tonnage IS NULL OR gross_tonnage >= 0),
  engine_kw REAL CHECK(engine_kw IS NULL OR engine_kw > 0),
  engine_count INTEGER CHECK(engine_count IS NULL OR engine_count BETWEEN 0 AND 8),
  max_persons INTEGER CHECK(max_persons IS NULL OR max_persons BETWEEN 1 AND 200),
  build_year INTEGER CHECK(build_year IS NULL OR build_year BETWEEN 1900 AND 2200),
  home_harbour TEXT NOT NULL,
  hull_colour TEXT,
  marking_text TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK(status IN ('active','laid_up','under_repair',
    'suspended','seized','lost','decommissioned')),
  status_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX vessels_name_norm ON vessels(name_norm);
CREATE INDEX vessels_home_harbour ON vessels(home_harbour);

CREATE TABLE identifiers(
  id INTEGER PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  scheme TEXT NOT NULL CHECK(scheme IN ('official_number','provincial_reg','fishing_licence_no',
    'mfd_licence','mmsi','call_sign','imo','vms_id','cooperative_no','other')),
  value TEXT NOT NULL CHECK(length(value) BETWEEN 1 AND 32),
  authority TEXT NOT NULL REFERENCES authorities(code),
  valid_from TEXT NOT NULL,
  valid_to TEXT CHECK(valid_to IS NULL OR valid_to >= valid_from),
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX identifiers_current ON identifiers(scheme, value COLLATE NOCASE)
  WHERE valid_to IS NULL;
CREATE INDEX identifiers_vessel ON identifiers(vessel_id, scheme);
CREATE INDEX identifiers_value ON identifiers(value COLLATE NOCASE);

CREATE TABLE identity_conflicts(
  id INTEGER PRIMARY KEY,
  scheme TEXT NOT NULL,
  value TEXT NOT NULL,
  authority TEXT NOT NULL REFERENCES authorities(code),
  holder_vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  claimant_vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK(status IN ('open','resolved')),
  resolution TEXT CHECK(resolution IS NULL OR resolution IN ('kept_holder','moved_to_claimant')),
  resolved_at TEXT,
  resolved_by TEXT,
  resolution_note TEXT,
  CHECK(holder_vessel_id <> claimant_vessel_id)
);
CREATE INDEX identity_conflicts_value ON identity_conflicts(scheme, value);

CREATE TABLE parties(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('person','company','cooperative','government')),
  name TEXT NOT NULL CHECK(length(name) BETWEEN 1 AND 256),
  name_norm TEXT NOT NULL,
  father_or_husband_name TEXT,
  cnic_enc TEXT,
  cnic_index TEXT UNIQUE,
  phone_enc TEXT,
  phone_index TEXT,
  address TEXT,
  district TEXT,
  province TEXT,
  company_reg_no TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK((cnic_enc IS NULL) = (cnic_index IS NULL)),
  CHECK((phone_enc IS NULL) = (phone_index IS NULL))
);
CREATE INDEX parties_name_norm ON parties(name_norm);
CREATE INDEX parties_phone_index ON parties(phone_index);

CREATE TABLE vessel_parties(
  id INTEGER PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  party_id INTEGER NOT NULL REFERENCES parties(id),
  role TEXT NOT NULL CHECK(role IN ('owner','operator','skipper','agent')),
  share_pct REAL CHECK(share_pct IS NULL OR (share_pct > 0 AND share_pct <= 100)),
  valid_from TEXT NOT NULL,
  valid_to TEXT CHECK(valid_to IS NULL OR valid_to >= valid_from),
  CHECK((role = 'owner') = (share_pct IS NOT NULL))
);
CREATE INDEX vessel_parties_vessel ON vessel_parties(vessel_id, role);
CREATE INDEX vessel_parties_party ON vessel_parties(party_id);

CREATE TABLE licences(
  id INTEGER PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  authority TEXT NOT NULL REFERENCES authorities(code),
  licence_no TEXT NOT NULL CHECK(length(licence_no) BETWEEN 1 AND 32),
  kind TEXT NOT NULL CHECK(kind IN ('artisanal','commercial_territorial','deep_sea',
    'tuna_longline','carrier','other')),
  gear TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(gear) AND json_type(gear) = 'array'),
  zones TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(zones) AND json_type(zones) = 'array'),
  valid_from TEXT NOT NULL,
  valid_to TEXT NOT NULL,
  night_fishing INTEGER NOT NULL DEFAULT 0 CHECK(night_fishing IN (0,1)),
  foreign_waters INTEGER NOT NULL DEFAULT 0 CHECK(foreign_waters IN (0,1)),
  status TEXT NOT NULL DEFAULT 'active' CHECK(status IN ('active','suspended','revoked','expired',
    'superseded')),
  status_reason TEXT,
  renewed_from INTEGER REFERENCES licences(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK(valid_from <= valid_to),
  CHECK(valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  CHECK(valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
);
CREATE INDEX licences_vessel ON licences(vessel_id, valid_to);
CREATE INDEX licences_valid_to ON licences(valid_to);
CREATE UNIQUE INDEX licences_number_current ON licences(authority, licence_no COLLATE NOCASE)
  WHERE status IN ('active','suspended');

CREATE TABLE closed_seasons(
  id INTEGER PRIMARY KEY,
  authority TEXT NOT NULL REFERENCES authorities(code),
  name TEXT NOT NULL,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  zones TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(zones) AND json_type(zones) = 'array'),
  gear TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(gear) AND json_type(gear) = 'array'),
  notification_ref TEXT,
  created_at TEXT NOT NULL,
  CHECK(starts_on <= ends_on)
);

CREATE TABLE transponders(
  id INTEGER PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  kind TEXT NOT NULL CHECK(kind IN ('ais_class_a','ais_class_b','vms','gsm_tracker','other')),
  mmsi INTEGER CHECK(mmsi IS NULL OR mmsi BETWEEN 100000000 AND 999999999),
  serial TEXT,
  provider TEXT,
  installed_on TEXT NOT NULL,
  removed_on TEXT CHECK(removed_on IS NULL OR removed_on >= installed_on),
  created_at TEXT NOT NULL
);
CREATE INDEX transponders_vessel ON transponders(vessel_id);

CREATE TABLE patrol_units(
  id INTEGER PRIMARY KEY,
  unit_id TEXT NOT NULL UNIQUE COLLATE NOCASE,
  agency TEXT NOT NULL CHECK(agency IN ('coast_guards','msa','navy','police','fisheries')),
  name TEXT NOT NULL,
  mmsi INTEGER UNIQUE CHECK(mmsi IS NULL OR mmsi BETWEEN 100000000 AND 999999999),
  call_sign TEXT,
  home_base TEXT,
  active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0,1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE vessel_photos(
  id INTEGER PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  view TEXT NOT NULL CHECK(view IN ('port','starboard','bow','stern','deck','markings',
    'engine_plate')),
  media_type TEXT NOT NULL CHECK(media_type IN ('image/jpeg','image/png')),
  sha256 TEXT NOT NULL CHECK(length(sha256) = 64),
  bytes INTEGER NOT NULL CHECK(bytes > 0),
  stored_name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

CREATE TABLE certificates(
  code TEXT PRIMARY KEY,
  vessel_id INTEGER NOT NULL REFERENCES vessels(id),
  issued_at TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  content_sha256 TEXT NOT NULL CHECK(length(content_sha256) = 64),
  withdrawn INTEGER NOT NULL DEFAULT 0 CHECK(withdrawn IN (0,1))
);
CREATE INDEX certificates_vessel ON certificates(vessel_id);

CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  harbour TEXT,
  source TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  before_json TEXT,
  after_json TEXT,
  reason TEXT,
  request_id TEXT,
  prev_hash TEXT NOT NULL CHECK(length(prev_hash) = 64),
  hash TEXT NOT NULL CHECK(length(hash) = 64)
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK(length(username) BETWEEN 2 AND 64),
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK(role IN ('admin','clerk','supervisor','cg_watchkeeper','msa_officer',
    'msa_analyst','auditor')),
  harbours TEXT NOT NULL DEFAULT '[]' CHECK(json_valid(harbours) AND json_type(harbours) = 'array'),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1 CHECK(must_change_password IN (0,1)),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK(disabled IN (0,1)),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT
);

CREATE TABLE sessions(
  token_hash TEXT PRIMARY KEY CHECK(length(token_hash) = 64),
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_hash TEXT NOT NULL CHECK(length(csrf_hash) = 64),
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  source TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE CHECK(length(token_hash) = 64),
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

INSERT INTO vessels(id, name, name_norm, home_harbour, status, created_at, updated_at)
  SELECT id, name, sahil_name_norm(name), home_harbour, status, created_at, updated_at FROM boats;
INSERT INTO identifiers(vessel_id, scheme, value, authority, valid_from, created_at)
  SELECT id, 'provincial_reg', registration_number, 'UNRECORDED', created_at, created_at
  FROM boats;
INSERT INTO identifiers(vessel_id, scheme, value, authority, valid_from, created_at)
  SELECT id, 'mmsi', CAST(mmsi AS TEXT), 'UNRECORDED', created_at, created_at
  FROM boats WHERE mmsi IS NOT NULL;
INSERT INTO identifiers(vessel_id, scheme, value, authority, valid_from, created_at)
  SELECT id, 'call_sign', call_sign, 'UNRECORDED', created_at, created_at
  FROM boats WHERE call_sign IS NOT NULL AND call_sign <> '';
INSERT INTO licences(vessel_id, authority, licence_no, kind, valid_from, valid_to, created_at,
                     updated_at)
  SELECT id, 'UNRECORDED', registration_number, 'artisanal',
         min(substr(created_at, 1, 10), licence_valid_until), licence_valid_until, created_at,
         created_at
  FROM boats WHERE licence_valid_until IS NOT NULL;

CREATE TABLE alerts_v3(
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK(severity IN ('info','warning','critical')),
  status TEXT NOT NULL DEFAULT 'new' CHECK(status IN ('new','acknowledged','resolved')),
  mmsi INTEGER NOT NULL,
  vessel_name TEXT,
  boat_id INTEGER REFERENCES vessels(id),
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
INSERT INTO alerts_v3 SELECT * FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_v3 RENAME TO alerts;
CREATE INDEX alerts_fix_time ON alerts(fix_time);
DROP TABLE boats;

CREATE VIEW boats AS
SELECT v.id AS id,
  (SELECT i.value FROM identifiers i WHERE i.vessel_id = v.id AND i.valid_to IS NULL
     AND i.scheme IN ('provincial_reg','official_number','fishing_licence_no')
     ORDER BY CASE i.scheme WHEN 'provincial_reg' THEN 0 WHEN 'official_number' THEN 1 ELSE 2 END,
              i.id LIMIT 1) AS registration_number,
  v.name AS name,
  (SELECT CAST(i.value AS INTEGER) FROM identifiers i WHERE i.vessel_id = v.id
     AND i.valid_to IS NULL AND i.scheme = 'mmsi' LIMIT 1) AS mmsi,
  (SELECT i.value FROM identifiers i WHERE i.vessel_id = v.id AND i.valid_to IS NULL
     AND i.scheme = 'call_sign' LIMIT 1) AS call_sign,
  v.home_harbour AS home_harbour,
  cl.valid_to AS licence_valid_until,
  CASE WHEN v.status = 'active' THEN 'active'
       WHEN v.status IN ('suspended','seized') THEN 'suspended'
       ELSE 'decommissioned' END AS status,
  v.status AS vessel_status,
  CASE WHEN cl.status = 'active' AND cl.valid_to < date('now') THEN 'expired'
       ELSE cl.status END AS licence_status,
  cl.valid_from AS licence_valid_from,
  coalesce(cl.night_fishing, 0) AS night_fishing,
  coalesce(cl.foreign_waters, 0) AS foreign_waters,
  cl.zones AS licence_zones,
  EXISTS(SELECT 1 FROM transponders t WHERE t.vessel_id = v.id AND t.removed_on IS NULL)
    AS has_transponder,
  EXISTS(SELECT 1 FROM identity_conflicts c WHERE c.status = 'open'
     AND (c.holder_vessel_id = v.id OR c.claimant_vessel_id = v.id)) AS identity_conflict,
  v.created_at AS created_at,
  v.updated_at AS updated_at
FROM vessels v
LEFT JOIN licences cl ON cl.id = (SELECT l.id FROM licences l WHERE l.vessel_id = v.id
  AND l.status <> 'superseded' ORDER BY l.valid_to DESC, l.id DESC LIMIT 1);
)sql";


// v4: alerts for every rule (issue 5; server/store/alert_store.hpp). Alerts gain the last time
// and position of the occurrence, a repeat count, a second vessel (rendezvous), the agencies they
// are routed to, the assigned status, an assignee and an outcome. `alert_events` is the journal
// (raised, repeated, every human action) that the live stream resumes from; `alert_outbox` holds
// one webhook delivery per alert and agency until it is delivered; `alert_suppressions` the
// suppressions with their mandatory reason. One open alert per (rule, MMSI): a partial unique index.
constexpr std::string_view alerts_v4 = R"sql(
CREATE TABLE alerts_v4(
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL CHECK(severity IN ('info','warning','critical')),
  status TEXT NOT NULL DEFAULT 'new'
    CHECK(status IN ('new','acknowledged','assigned','resolved')),
  mmsi INTEGER NOT NULL,
  vessel_name TEXT,
  boat_id INTEGER REFERENCES vessels(id),
  registration_number TEXT,
  other_mmsi INTEGER,
  other_name TEXT,
  zone_id TEXT NOT NULL,
  zone_name TEXT NOT NULL,
  fix_time INTEGER NOT NULL,
  lat_deg REAL NOT NULL,
  lon_deg REAL NOT NULL,
  last_time INTEGER NOT NULL,
  last_lat_deg REAL NOT NULL,
  last_lon_deg REAL NOT NULL,
  sog_knots REAL,
  cog_deg REAL,
  repeat_count INTEGER NOT NULL DEFAULT 1 CHECK(repeat_count >= 1),
  agencies TEXT NOT NULL DEFAULT '',
  assignee TEXT,
  outcome TEXT CHECK(outcome IS NULL OR outcome IN ('false_alarm','verified_no_action',
    'intercepted','referred_msa','referred_coast_guard','suppressed')),
  reason TEXT NOT NULL,
  evidence_json TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE(rule, mmsi, zone_id, fix_time),
  CHECK((status = 'resolved') = (outcome IS NOT NULL))
);
INSERT INTO alerts_v4(id, rule, severity, status, mmsi, vessel_name, boat_id,
  registration_number, zone_id, zone_name, fix_time, lat_deg, lon_deg, last_time, last_lat_deg,
  last_lon_deg, sog_knots, cog_deg, outcome, reason, evidence_json, created_at, updated_at)
SELECT id, rule, severity, status, mmsi, vessel_name, boat_id, registration_number, zone_id,
  zone_name, fix_time, lat_deg, lon_deg, fix_time, lat_deg, lon_deg, sog_knots, cog_deg,
  CASE WHEN status = 'resolved' THEN 'verified_no_action' END, reason, evidence_json,
  created_at, created_at
FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_v4 RENAME TO alerts;
CREATE INDEX alerts_fix_time ON alerts(fix_time);
CREATE INDEX alerts_last_time ON alerts(last_time);
CREATE INDEX alerts_rule_mmsi ON alerts(rule, mmsi, last_time);
CREATE UNIQUE INDEX alerts_open_one ON alerts(rule, mmsi) WHERE status <> 'resolved';

CREATE TABLE alert_events(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  kind TEXT NOT NULL CHECK(kind IN ('raised','repeated','acknowledged','assigned','noted',
    'resolved','suppressed')),
  actor TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE INDEX alert_events_alert ON alert_events(alert_id, seq);
INSERT INTO alert_events(alert_id, kind, at) SELECT id, 'raised', created_at FROM alerts
  ORDER BY id;

CREATE TABLE alert_outbox(
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  agency TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK(status IN ('pending','delivered')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  UNIQUE(alert_id, agency)
);
CREATE INDEX alert_outbox_due ON alert_outbox(next_attempt_ms) WHERE status = 'pending';

CREATE TABLE alert_suppressions(
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  mmsi INTEGER NOT NULL,
  alert_id INTEGER NOT NULL REFERENCES alerts(id),
  mode TEXT NOT NULL CHECK(mode IN ('occurrence','hours')),
  from_ms INTEGER NOT NULL,
  until_ms INTEGER,
  last_hit_ms INTEGER NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL CHECK(length(trim(reason)) >= 3),
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK(active IN (0, 1)),
  CHECK((mode = 'hours') = (until_ms IS NOT NULL))
);
CREATE INDEX alert_suppressions_key ON alert_suppressions(rule, mmsi) WHERE active = 1;
)sql";

constexpr std::array all_migrations{
    Migration{1, "boats", boats_v1},
    Migration{2, "alerts", alerts_v2},
    Migration{3, "registry", registry_v3},
    Migration{4, "alerts_v4", alerts_v4},
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

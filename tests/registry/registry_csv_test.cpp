// Registry CSV import and export on :memory: — dry run and all-or-nothing apply of a generated
// 1,000-row file with five bad rows, duplicates within the file, owner reuse by CNIC, header
// rules, caps, export → re-import round trip, formula neutralisation and masking.
// Expected line numbers and messages are worked out from the file as written, not from the
// code's output.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include "registry/audit.hpp"
#include "registry/crypto.hpp"
#include "registry/csv_reader.hpp"
#include "registry/database.hpp"
#include "registry/registry_csv.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono;
using nlohmann::ordered_json;
using testing::ElementsAre;
using testing::HasSubstr;

constexpr auto fixed_now = sys_days{year{2026} / 3 / 10} + hours{9} + minutes{15};

const Actor clerk{"sadia.baloch", "clerk", "PK-HBR-02", "10.0.0.7", "req-9"};

std::string dump(const std::vector<ImportIssue>& issues) {
    std::string out;
    for (const auto& i : issues) {
        out += fmt::format("line {} [{}] {}\n", i.line, i.column, i.message);
    }
    return out;
}

/// The cells of one generated boat, by column name; row `i` is 1-based.
std::map<std::string, std::string> boat_row(int i) {
    return {
        {"registration_number", fmt::format("GWD-{:05}", i)},
        {"authority", "BAL-FISH"},
        {"name", i == 3       ? std::string("Sahil \"Noor\", Gwadar")
                 : i % 7 == 0 ? fmt::format("الفتح {}", i) // Urdu names are common
                              : fmt::format("Boat {}", i)},
        {"vessel_type", i % 2 == 0 ? "launch" : "gillnetter"},
        {"hull_material", "wood"},
        {"loa_m", fmt::format("{}", 10.5 + (i % 10) * 0.5)},
        {"engine_kw", fmt::format("{}", 40 + i % 60)},
        {"max_persons", "8"},
        {"build_year", fmt::format("{}", 2000 + i % 25)},
        {"home_harbour", i % 2 == 0 ? "PK-HBR-02" : "PK-HBR-05"},
        {"hull_colour", "blue and white"},
        {"mmsi", fmt::format("{}", 463000000 + i)},
        {"call_sign", i % 10 == 0 ? fmt::format("AP{:04}", i) : ""},
        {"owner_name", fmt::format("Owner {}", i)},
        {"owner_father_name", fmt::format("Father {}", i)},
        {"owner_cnic", fmt::format("54101-{:07}-3", i)},
        {"owner_phone", fmt::format("0300-{:07}", i)},
        {"owner_address", "Mulla Band, Gwadar"},
        {"licence_no", fmt::format("BAL-GWD-L-{:05}", i)},
        {"licence_authority", "BAL-FISH"},
        {"licence_kind", "artisanal"},
        {"licence_valid_from", "2026-01-01"},
        {"licence_valid_to", "2026-12-31"},
        {"gear", "gillnet;handline"},
        {"night_fishing", i % 2 == 0 ? "yes" : "no"},
        {"transponder_kind", i % 3 == 0 ? "ais_class_b" : ""},
    };
}

/// A CSV with `header` columns and the given rows (cells quoted the RFC 4180 way).
std::string make_csv(const std::vector<std::string>& header,
                     const std::vector<std::map<std::string, std::string>>& rows) {
    const auto quote = [](const std::string& s) {
        if (s.find_first_of(",\"\n") == std::string::npos) {
            return s;
        }
        std::string q = "\"";
        for (char c : s) {
            q += c;
            if (c == '"') {
                q += '"';
            }
        }
        return q + "\"";
    };
    std::string out;
    for (std::size_t c = 0; c < header.size(); ++c) {
        out += (c ? "," : "") + header[c];
    }
    out += "\r\n";
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < header.size(); ++c) {
            const auto it = row.find(header[c]);
            out += (c ? "," : "") + quote(it == row.end() ? "" : it->second);
        }
        out += "\r\n";
    }
    return out;
}

std::vector<std::string> import_header() {
    // The 26 columns of the brief, in a different order from the export's, to show that order
    // does not matter; registration_scheme left out (optional).
    return {"name",
            "registration_number",
            "authority",
            "vessel_type",
            "hull_material",
            "loa_m",
            "engine_kw",
            "max_persons",
            "build_year",
            "home_harbour",
            "hull_colour",
            "mmsi",
            "call_sign",
            "owner_name",
            "owner_father_name",
            "owner_cnic",
            "owner_phone",
            "owner_address",
            "licence_no",
            "licence_authority",
            "licence_kind",
            "licence_valid_from",
            "licence_valid_to",
            "gear",
            "night_fishing",
            "transponder_kind"};
}

/// Rows 1..1000; the five bad rows of the acceptance test when `with_bad_rows`.
std::vector<std::map<std::string, std::string>> thousand_rows(bool with_bad_rows) {
    std::vector<std::map<std::string, std::string>> rows;
    for (int i = 1; i <= 1000; ++i) {
        rows.push_back(boat_row(i));
    }
    rows[29]["mmsi"] = "419000030"; // row 30: an Indian MID is a warning, not an error
    if (with_bad_rows) {
        rows[16]["owner_cnic"] = "54101-123456-3";    // row 17, line 18: 12 digits
        rows[249]["mmsi"] = "463000100";              // row 250, line 251: MMSI of row 100
        rows[399]["licence_valid_to"] = "2025-12-31"; // row 400, line 401: ends before start
        rows[554]["home_harbour"] = "PK-HBR-99";      // row 555, line 556: unknown harbour is
        rows[554]["name"] = "";                       //   fine, an empty name is not
        rows[998]["authority"] = "XYZ-FISH";          // row 999, line 1000: unknown authority
    }
    return rows;
}

class RegistryCsvTest : public testing::Test {
protected:
    RegistryCsvTest()
        : m_key(MasterKey::generate()), m_cipher(m_key), m_index(m_key),
          m_registry(m_db, IdentifierRules{}, &m_cipher, &m_index, [this] { return m_now; }) {}

    ImportPlan run(const std::string& csv, bool apply, ImportOptions options = {}) {
        std::istringstream in(csv);
        options.apply = apply;
        return plan_import(m_registry, in, clerk, options);
    }

    long long count(const std::string& table) {
        SQLite::Statement q(m_db.handle(), "SELECT count(*) FROM " + table);
        q.executeStep();
        return q.getColumn(0).getInt64();
    }

    std::int64_t vessel_by_registration(const std::string& reg) {
        SQLite::Statement q(m_db.handle(), "SELECT vessel_id FROM identifiers WHERE value = ? "
                                           "AND valid_to IS NULL");
        q.bind(1, reg);
        return q.executeStep() ? q.getColumn(0).getInt64() : 0;
    }

    std::string export_text(const ExportOptions& options) {
        std::ostringstream out;
        export_csv(m_registry, out, options);
        return out.str();
    }

    sys_seconds m_now{fixed_now};
    Database m_db{":memory:"};
    MasterKey m_key;
    PiiCipher m_cipher;
    BlindIndex m_index;
    VesselRegistry m_registry;
};

TEST_F(RegistryCsvTest, dry_run_reports_exactly_the_five_bad_rows_and_stores_nothing) {
    const std::string csv = make_csv(import_header(), thousand_rows(true));
    const ImportPlan plan = run(csv, false);
    EXPECT_FALSE(plan.ok());
    EXPECT_FALSE(plan.applied);
    EXPECT_EQ(plan.rows_read, 1000u);
    EXPECT_EQ(plan.rows_valid, 995u);
    EXPECT_EQ(plan.rows_with_errors, 5u);
    ASSERT_EQ(plan.error_count, 5u) << dump(plan.errors);
    ASSERT_EQ(plan.errors.size(), 5u);
    // Header on line 1, row i on line i + 1.
    EXPECT_EQ(plan.errors[0].line, 18u);
    EXPECT_EQ(plan.errors[0].column, "owner_cnic");
    EXPECT_THAT(plan.errors[0].message, HasSubstr("13 digits"));
    EXPECT_EQ(plan.errors[1].line, 251u);
    EXPECT_EQ(plan.errors[1].column, "mmsi");
    EXPECT_THAT(plan.errors[1].message, HasSubstr("463000100"));
    EXPECT_THAT(plan.errors[1].message, HasSubstr("line 101 and on line 251"));
    EXPECT_EQ(plan.errors[2].line, 401u);
    EXPECT_EQ(plan.errors[2].column, "licence_valid_to");
    EXPECT_EQ(plan.errors[2].message, "must not be before licence_valid_from");
    EXPECT_EQ(plan.errors[3].line, 556u);
    EXPECT_EQ(plan.errors[3].column, "name");
    EXPECT_THAT(plan.errors[3].message, HasSubstr("required"));
    EXPECT_EQ(plan.errors[4].line, 1000u);
    EXPECT_EQ(plan.errors[4].column, "authority");
    EXPECT_THAT(plan.errors[4].message, HasSubstr("XYZ-FISH"));
    // The Indian MID of row 30 is a warning on its line.
    ASSERT_EQ(plan.warning_count, 1u) << dump(plan.warnings);
    EXPECT_EQ(plan.warnings[0].line, 31u);
    EXPECT_EQ(plan.warnings[0].column, "mmsi");
    EXPECT_THAT(plan.warnings[0].message, HasSubstr("India"));
    // Nothing stored, not even audit rows.
    for (const char* table : {"vessels", "identifiers", "parties", "vessel_parties", "licences",
                              "transponders", "identity_conflicts", "audit_log"}) {
        EXPECT_EQ(count(table), 0) << table;
    }
}

TEST_F(RegistryCsvTest, apply_with_errors_stores_nothing) {
    const ImportPlan plan = run(make_csv(import_header(), thousand_rows(true)), true);
    EXPECT_FALSE(plan.applied);
    EXPECT_EQ(plan.error_count, 5u);
    EXPECT_EQ(count("vessels"), 0);
    EXPECT_EQ(count("audit_log"), 0);
}

TEST_F(RegistryCsvTest, fixed_file_applies_all_thousand_rows) {
    const std::string csv = make_csv(import_header(), thousand_rows(false));
    const ImportPlan dry = run(csv, false);
    ASSERT_TRUE(dry.ok()) << dump(dry.errors);
    EXPECT_EQ(dry.rows_valid, 1000u);
    EXPECT_EQ(count("vessels"), 0);

    const auto start = steady_clock::now();
    const ImportPlan plan = run(csv, true);
    const auto elapsed_ms = duration_cast<milliseconds>(steady_clock::now() - start).count();
    std::printf("[ timing   ] 1,000-row CSV apply: %lld ms\n", static_cast<long long>(elapsed_ms));
    RecordProperty("apply_1000_rows_ms", static_cast<int>(elapsed_ms));

    ASSERT_TRUE(plan.applied) << dump(plan.errors);
    EXPECT_EQ(plan.rows_read, 1000u);
    EXPECT_EQ(plan.rows_valid, 1000u);
    EXPECT_EQ(plan.file_sha256, sha256_hex(csv));
    EXPECT_EQ(count("vessels"), 1000);
    EXPECT_EQ(count("parties"), 1000);
    EXPECT_EQ(count("licences"), 1000);
    EXPECT_EQ(count("transponders"), 333);
    EXPECT_EQ(count("identifiers WHERE scheme = 'call_sign'"), 100);

    // Spot-check one boat against the row it came from.
    const auto record = m_registry.get(vessel_by_registration("GWD-00070"), true);
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->vessel.name, "الفتح 70");
    EXPECT_EQ(record->vessel.vessel_type, "launch");
    EXPECT_EQ(record->vessel.loa_m, 10.5);
    EXPECT_EQ(record->vessel.engine_kw, 50.0);
    EXPECT_EQ(record->vessel.build_year, 2020);
    ASSERT_EQ(record->parties.size(), 1u);
    EXPECT_EQ(record->parties[0].cnic, "5410100000703");
    EXPECT_EQ(record->parties[0].phone, "+923000000070");
    EXPECT_EQ(record->parties[0].address, "Mulla Band, Gwadar");
    ASSERT_EQ(record->licences.size(), 1u);
    EXPECT_THAT(record->licences[0].gear, ElementsAre("gillnet", "handline"));
    EXPECT_TRUE(record->licences[0].night_fishing);
    EXPECT_EQ(m_registry.get(vessel_by_registration("GWD-00003"), false)->vessel.name,
              "Sahil \"Noor\", Gwadar");

    // Each row was audited like a registration at the counter, plus one summary row; the chain
    // is intact.
    AuditLog audit(m_db);
    EXPECT_EQ(count("audit_log WHERE action = 'vessel.register'"), 1000);
    EXPECT_EQ(count("audit_log WHERE action = 'registry.import'"), 1);
    EXPECT_TRUE(audit.verify().ok());
}

TEST_F(RegistryCsvTest, an_owner_already_on_file_is_reused_by_cnic) {
    const auto existing =
        m_registry.create_party(clerk, Party{.name = "Abdul Ghani", .cnic = "5410100000013"});
    ASSERT_TRUE(existing.ok());
    auto rows = thousand_rows(false);
    rows.resize(20);
    rows[0]["owner_cnic"] = "54101-0000001-3"; // same CNIC, dashed
    rows[0]["owner_name"] = "Abdul Ghani";
    rows[1]["owner_cnic"] = "5410100000013"; // and undashed, under another name
    rows[1]["owner_name"] = "A. Ghani";
    rows[2]["owner_cnic"] = "54101-0000777-3"; // a new owner with two boats in one file
    rows[3]["owner_cnic"] = "54101-0000777-3";
    rows[3]["owner_name"] = "Owner 3";
    const ImportPlan plan = run(make_csv(import_header(), rows), true);
    ASSERT_TRUE(plan.applied) << dump(plan.errors);
    EXPECT_EQ(plan.owners_reused, 3u);
    // 20 rows: rows 1 and 2 reuse the party on file, rows 3 and 4 share one new party, rows
    // 5..20 bring 16 more: 1 + 1 + 16.
    EXPECT_EQ(count("parties"), 18);
    const auto first = m_registry.get(vessel_by_registration("GWD-00001"), false);
    const auto second = m_registry.get(vessel_by_registration("GWD-00002"), false);
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->roles[0].party_id, *existing.value);
    EXPECT_EQ(second->roles[0].party_id, *existing.value);
    // The differing name is pointed out, not silently dropped.
    ASSERT_EQ(plan.warning_count, 1u) << dump(plan.warnings);
    EXPECT_EQ(plan.warnings[0].line, 3u);
    EXPECT_EQ(plan.warnings[0].column, "owner_name");
    EXPECT_THAT(plan.warnings[0].message, HasSubstr("Abdul Ghani"));
}

TEST_F(RegistryCsvTest, duplicate_registration_numbers_in_the_file_name_both_lines) {
    auto rows = thousand_rows(false);
    rows.resize(5);
    rows[4]["registration_number"] = "gwd-00002"; // normalised: the same as row 2
    const ImportPlan plan = run(make_csv(import_header(), rows), false);
    ASSERT_EQ(plan.error_count, 1u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 6u);
    EXPECT_EQ(plan.errors[0].column, "registration_number");
    EXPECT_THAT(plan.errors[0].message, HasSubstr("GWD-00002"));
    EXPECT_THAT(plan.errors[0].message, HasSubstr("line 3 and on line 6"));
}

TEST_F(RegistryCsvTest, a_registration_number_already_in_the_registry_is_an_error) {
    auto rows = thousand_rows(false);
    rows.resize(3);
    ASSERT_TRUE(run(make_csv(import_header(), {rows[0]}), true).applied);
    const ImportPlan plan = run(make_csv(import_header(), rows), false);
    ASSERT_EQ(plan.error_count, 1u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 2u);
    EXPECT_EQ(plan.errors[0].column, "registration_number");
    EXPECT_THAT(plan.errors[0].message, HasSubstr("already held"));
}

TEST_F(RegistryCsvTest, header_names_are_case_insensitive_and_order_free) {
    const std::string csv = "Name,REGISTRATION_NUMBER, Authority ,Home_Harbour,owner_NAME\r\n"
                            "Al-Madina,GWD-1234,bal-fish,PK-HBR-02,Abdul Ghani\r\n";
    const ImportPlan plan = run(csv, true);
    ASSERT_TRUE(plan.applied) << dump(plan.errors);
    const auto record = m_registry.get(vessel_by_registration("GWD-1234"), false);
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->identifiers[0].authority, "BAL-FISH");
    EXPECT_EQ(record->vessel.vessel_type, "other");
    EXPECT_TRUE(record->licences.empty());
}

TEST_F(RegistryCsvTest, unknown_repeated_and_missing_columns_are_reported_together) {
    const ImportPlan plan = run("registration_number,name,colour,name\r\nGWD-1,A,red,A\r\n", false);
    EXPECT_EQ(plan.rows_read, 0u);
    std::vector<std::string> columns;
    for (const auto& e : plan.errors) {
        EXPECT_EQ(e.line, 1u);
        columns.push_back(e.column);
    }
    EXPECT_THAT(columns, ElementsAre("colour", "name", "authority", "home_harbour", "owner_name"))
        << dump(plan.errors);
    EXPECT_THAT(plan.errors[0].message, HasSubstr("unknown column 'colour'"));
    EXPECT_THAT(plan.errors[1].message, HasSubstr("twice"));
}

TEST_F(RegistryCsvTest, a_semicolon_separated_file_is_explained) {
    const ImportPlan plan = run("registration_number;authority;name;home_harbour;owner_name\r\n"
                                "GWD-1;BAL-FISH;Noor;PK-HBR-02;A\r\n",
                                false);
    ASSERT_EQ(plan.error_count, 1u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 1u);
    EXPECT_THAT(plan.errors[0].message, HasSubstr("comma delimited"));
}

TEST_F(RegistryCsvTest, rows_are_reported_by_physical_line) {
    // Row 1's quoted name spans two lines (and a line break is not allowed in a name); row 2
    // starts on line 4 and has a cell too few.
    const std::string csv = "registration_number,authority,name,home_harbour,owner_name\n"
                            "GWD-1,BAL-FISH,\"Al\nMadina\",PK-HBR-02,A\n"
                            "GWD-2,BAL-FISH,Noor,PK-HBR-02\n"
                            "\n"
                            ",,,,\n"
                            "GWD-3,BAL-FISH,Noor,PK-HBR-02,B,\n";
    const ImportPlan plan = run(csv, false);
    EXPECT_EQ(plan.rows_read, 3u); // the empty line and the all-empty row are skipped
    ASSERT_EQ(plan.error_count, 3u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 2u);
    EXPECT_EQ(plan.errors[0].column, "name");
    EXPECT_EQ(plan.errors[1].line, 4u);
    EXPECT_THAT(plan.errors[1].message, HasSubstr("4 cells but the header has 5"));
    EXPECT_EQ(plan.errors[2].line, 7u);
    EXPECT_THAT(plan.errors[2].message, HasSubstr("6 cells"));
}

TEST_F(RegistryCsvTest, bad_cells_are_named_in_the_files_terms) {
    auto row = boat_row(1);
    row["loa_m"] = "14,5";
    row["max_persons"] = "twelve";
    row["night_fishing"] = "sometimes";
    row["owner_phone"] = "12345";
    row["gear"] = "Gill Net";
    auto header = import_header();
    header.push_back("registration_scheme");
    row["registration_scheme"] = "imo";
    const ImportPlan plan = run(make_csv(header, {row}), false);
    std::vector<std::string> columns;
    for (const auto& e : plan.errors) {
        EXPECT_EQ(e.line, 2u);
        columns.push_back(e.column);
    }
    EXPECT_THAT(columns, ElementsAre("loa_m", "max_persons", "owner_phone", "gear", "night_fishing",
                                     "registration_scheme"))
        << dump(plan.errors);
    EXPECT_THAT(plan.errors[0].message, HasSubstr("with a point"));
}

TEST_F(RegistryCsvTest, a_row_outside_the_clerks_harbours_is_refused) {
    auto rows = thousand_rows(false);
    rows.resize(2); // row 1 PK-HBR-05, row 2 PK-HBR-02
    ImportOptions options;
    options.allowed_harbours = {"PK-HBR-02"};
    const ImportPlan plan = run(make_csv(import_header(), rows), true, options);
    EXPECT_FALSE(plan.applied);
    ASSERT_EQ(plan.error_count, 1u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 2u);
    EXPECT_EQ(plan.errors[0].column, "home_harbour");
}

TEST_F(RegistryCsvTest, errors_beyond_the_cap_are_counted_not_listed) {
    std::string csv = "registration_number,authority,name,home_harbour,owner_name\r\n";
    for (int i = 0; i < 600; ++i) {
        csv += fmt::format("GWD-{},BAL-FISH,,PK-HBR-02,A\r\n", i); // no name
    }
    const ImportPlan plan = run(csv, false);
    EXPECT_EQ(plan.error_count, 600u);
    EXPECT_EQ(plan.errors.size(), 500u);
    EXPECT_EQ(plan.errors.back().line, 501u);
}

TEST_F(RegistryCsvTest, too_many_rows_refuses_the_file) {
    auto rows = thousand_rows(false);
    rows.resize(11);
    ImportOptions options;
    options.max_rows = 10;
    const ImportPlan plan = run(make_csv(import_header(), rows), true, options);
    EXPECT_FALSE(plan.applied);
    ASSERT_EQ(plan.error_count, 1u) << dump(plan.errors);
    EXPECT_EQ(plan.errors[0].line, 12u);
    EXPECT_THAT(plan.errors[0].message, HasSubstr("more than 10 rows"));
    EXPECT_EQ(count("vessels"), 0);
}

TEST_F(RegistryCsvTest, empty_file_and_broken_csv_are_errors) {
    EXPECT_THAT(run("", false).errors.at(0).message, HasSubstr("empty"));
    EXPECT_THAT(run("registration_number,authority,name,home_harbour,owner_name\r\n", false)
                    .errors.at(0)
                    .message,
                HasSubstr("no boats"));
    const ImportPlan broken = run("registration_number,authority,name,home_harbour,owner_name\n"
                                  "GWD-1,BAL-FISH,\"Noor,PK-HBR-02,A\n",
                                  true);
    EXPECT_FALSE(broken.applied);
    ASSERT_FALSE(broken.errors.empty());
    EXPECT_EQ(broken.errors.back().line, 2u);
    EXPECT_THAT(broken.errors.back().message, HasSubstr("not closed"));
}

TEST_F(RegistryCsvTest, export_reimports_into_an_empty_registry_with_the_same_boats) {
    auto rows = thousand_rows(false);
    rows.resize(60);
    rows[4]["registration_number"] = "MMD-0042";
    rows[4]["authority"] = "MMD";
    rows[5]["night_fishing"] = "";
    rows[5]["licence_no"] = "";
    rows[5]["licence_authority"] = "";
    rows[5]["licence_kind"] = "";
    rows[5]["licence_valid_from"] = "";
    rows[5]["licence_valid_to"] = "";
    rows[5]["gear"] = ""; // a boat without a licence
    rows[6]["owner_cnic"] = "";
    rows[6]["owner_phone"] = "";
    rows[6]["mmsi"] = "";
    auto header = import_header();
    header.push_back("registration_scheme");
    rows[4]["registration_scheme"] = "official_number";
    ASSERT_TRUE(run(make_csv(header, rows), true).applied);
    const std::string first = export_text({.include_pii = true});

    Database other_db{":memory:"};
    VesselRegistry other(other_db, IdentifierRules{}, &m_cipher, &m_index,
                         [this] { return m_now; });
    std::istringstream in(first);
    const ImportPlan plan = plan_import(other, in, clerk, {.apply = true});
    ASSERT_TRUE(plan.applied) << dump(plan.errors);
    EXPECT_EQ(plan.rows_valid, 60u);
    std::ostringstream second;
    export_csv(other, second, {.include_pii = true});
    EXPECT_EQ(second.str(), first);

    // And field by field for a few boats, beyond what the export shows.
    for (const char* reg : {"GWD-00001", "MMD-0042", "GWD-00006", "GWD-00007", "GWD-00042"}) {
        SQLite::Statement q(other_db.handle(), "SELECT vessel_id FROM identifiers WHERE value = ?");
        q.bind(1, reg);
        ASSERT_TRUE(q.executeStep()) << reg;
        const auto a = m_registry.get(vessel_by_registration(reg), true);
        const auto b = other.get(q.getColumn(0).getInt64(), true);
        ASSERT_TRUE(a && b) << reg;
        Vessel va = a->vessel;
        Vessel vb = b->vessel;
        va.id = vb.id = 0;
        EXPECT_EQ(ordered_json(va).dump(), ordered_json(vb).dump()) << reg;
        ASSERT_EQ(a->identifiers.size(), b->identifiers.size()) << reg;
        for (std::size_t i = 0; i < a->identifiers.size(); ++i) {
            EXPECT_EQ(a->identifiers[i].scheme, b->identifiers[i].scheme);
            EXPECT_EQ(a->identifiers[i].value, b->identifiers[i].value);
            EXPECT_EQ(a->identifiers[i].authority, b->identifiers[i].authority);
        }
        ASSERT_EQ(a->parties.size(), 1u);
        ASSERT_EQ(b->parties.size(), 1u);
        Party pa = a->parties[0];
        Party pb = b->parties[0];
        pa.id = pb.id = 0;
        EXPECT_EQ(ordered_json(pa).dump(), ordered_json(pb).dump()) << reg;
        ASSERT_EQ(a->licences.size(), b->licences.size()) << reg;
        if (!a->licences.empty()) {
            Licence la = a->licences[0];
            Licence lb = b->licences[0];
            la.id = lb.id = la.vessel_id = lb.vessel_id = 0;
            EXPECT_EQ(ordered_json(la).dump(), ordered_json(lb).dump()) << reg;
        }
        EXPECT_EQ(a->transponders.size(), b->transponders.size()) << reg;
    }
}

TEST_F(RegistryCsvTest, export_neutralises_formulas_and_the_guard_round_trips) {
    Registration r;
    r.vessel = Vessel{.name = "=HYPERLINK(\"http://evil.example\",\"Click\")",
                      .vessel_type = "launch",
                      .home_harbour = "PK-HBR-02",
                      .hull_colour = "@SUM(A1:A9)"};
    r.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "GWD-7", .authority = "BAL-FISH"}};
    r.owners = {OwnerInput{.party = Party{.name = "+1",
                                          .father_or_husband_name = "-2",
                                          .phone = "0300-1234567",
                                          .address = "'quoted"}}};
    ASSERT_TRUE(m_registry.register_vessel(clerk, r).ok());

    const std::string text = export_text({.include_pii = true});
    EXPECT_THAT(text, HasSubstr("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\""));
    EXPECT_THAT(text, HasSubstr(",'@SUM(A1:A9),"));
    EXPECT_THAT(text, HasSubstr(",'+1,'-2,"));
    EXPECT_THAT(text, HasSubstr(",'+923001234567,"));
    EXPECT_THAT(text, HasSubstr(",''quoted,"));
    // No cell, read back as a spreadsheet would, starts with a formula character.
    std::istringstream in(text);
    CsvReader reader(in);
    CsvRecord record;
    std::size_t records = 0;
    while (reader.next(record)) {
        ++records;
        for (const std::string& cell : record.fields) {
            ASSERT_FALSE(!cell.empty() &&
                         std::string_view("=+-@\t\r").find(cell[0]) != std::string_view::npos)
                << cell;
        }
    }
    EXPECT_EQ(records, 2u);
    EXPECT_FALSE(reader.error());
    EXPECT_NE(text.find("\r\n"), std::string::npos);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'),
              std::count(text.begin(), text.end(), '\r'));

    // Re-imported, the values are the original ones.
    Database other_db{":memory:"};
    VesselRegistry other(other_db, IdentifierRules{}, &m_cipher, &m_index,
                         [this] { return m_now; });
    std::istringstream again(text);
    ASSERT_TRUE(plan_import(other, again, clerk, {.apply = true}).applied);
    const auto b = other.get(1, true);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->vessel.name, r.vessel.name);
    EXPECT_EQ(b->vessel.hull_colour, "@SUM(A1:A9)");
    EXPECT_EQ(b->parties[0].name, "+1");
    EXPECT_EQ(b->parties[0].father_or_husband_name, "-2");
    EXPECT_EQ(b->parties[0].phone, "+923001234567");
    EXPECT_EQ(b->parties[0].address, "'quoted");
}

TEST_F(RegistryCsvTest, masked_export_holds_no_plaintext_cnic_or_phone) {
    auto rows = thousand_rows(false);
    rows.resize(12);
    ASSERT_TRUE(run(make_csv(import_header(), rows), true).applied);
    const std::string text = export_text({.byte_order_mark = true});
    EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_THAT(text, HasSubstr("54101-*******-3"));
    EXPECT_THAT(text, HasSubstr("'+92 3** ****012"));
    for (int i = 1; i <= 12; ++i) {
        EXPECT_EQ(text.find(fmt::format("{:07}-3", i)), std::string::npos) << i;
        EXPECT_EQ(text.find(fmt::format("54101{:07}3", i)), std::string::npos) << i;
        EXPECT_EQ(text.find(fmt::format("300{:07}", i)), std::string::npos) << i;
    }
    // The harbour filter: rows 2, 4, ... 12 are PK-HBR-02.
    std::ostringstream harbour_only;
    const auto report = export_csv(m_registry, harbour_only, {.harbour = "PK-HBR-02"});
    EXPECT_EQ(report.rows, 6u);
    // A masked export is not an import file: the masked CNIC is named as such.
    Database other_db{":memory:"};
    VesselRegistry other(other_db, IdentifierRules{}, &m_cipher, &m_index,
                         [this] { return m_now; });
    std::istringstream in(text);
    const ImportPlan plan = plan_import(other, in, clerk, {});
    EXPECT_EQ(plan.rows_with_errors, 12u);
    EXPECT_EQ(plan.errors.at(0).column, "owner_cnic");
    EXPECT_THAT(plan.errors.at(0).message, HasSubstr("masked"));
}

TEST_F(RegistryCsvTest, a_boat_with_co_owners_is_reported_as_partial) {
    Registration r;
    r.vessel = Vessel{.name = "Noor", .vessel_type = "launch", .home_harbour = "PK-HBR-02"};
    r.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "GWD-8", .authority = "BAL-FISH"}};
    r.owners = {OwnerInput{.party = Party{.name = "Karim"}, .share_pct = 40},
                OwnerInput{.party = Party{.name = "Rahim"}, .share_pct = 60}};
    const auto out = m_registry.register_vessel(clerk, r);
    ASSERT_TRUE(out.ok());
    std::ostringstream text;
    const auto report = export_csv(m_registry, text, {});
    EXPECT_EQ(report.rows, 1u);
    EXPECT_THAT(report.partial_owner_vessels, ElementsAre(out.value->vessel_id));
    EXPECT_THAT(text.str(), HasSubstr(",Rahim,")); // the larger share
}

TEST_F(RegistryCsvTest, the_documented_example_file_imports) {
    std::ifstream file(std::string(SAHIL_SOURCE_DIR) + "/config/examples/registry-import.csv",
                       std::ios::binary);
    ASSERT_TRUE(file.is_open());
    const ImportPlan plan = plan_import(m_registry, file, clerk, {.apply = true});
    ASSERT_TRUE(plan.applied) << dump(plan.errors);
    EXPECT_EQ(plan.rows_read, 5u);
    EXPECT_EQ(plan.warning_count, 0u) << dump(plan.warnings);
    EXPECT_EQ(count("licences"), 4);
    EXPECT_EQ(count("transponders"), 3);
    EXPECT_EQ(count("transponders WHERE mmsi IS NOT NULL"), 2); // not the GSM tracker
}

TEST(RegistryCsvCell, quotes_and_guards_cells) {
    EXPECT_EQ(csv_cell(""), "");
    EXPECT_EQ(csv_cell("Al-Madina"), "Al-Madina");
    EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_cell("=1+2"), "'=1+2");
    EXPECT_EQ(csv_cell("+92"), "'+92");
    EXPECT_EQ(csv_cell("-2"), "'-2");
    EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_cell("\tx"), "'\tx");
    EXPECT_EQ(csv_cell("\rx"), "\"'\rx\"");
    EXPECT_EQ(csv_cell("'x"), "''x");
    EXPECT_EQ(csv_cell("=A1,B1"), "\"'=A1,B1\"");
    EXPECT_EQ(csv_cell("x=1"), "x=1");
}

} // namespace
} // namespace sahil::registry

// Audit trail: append-only (triggers), hash chain recomputed by verify(), tampering found.
// The expected hash of the first row is computed here independently with libsodium's SHA-256
// over the canonical form spelled out by hand, not by calling canonical_form().
#include <chrono>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include "registry/audit.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono;
using testing::HasSubstr;

class AuditTest : public testing::Test {
protected:
    Database m_db{":memory:"};
    sys_seconds m_now{sys_days{year{2026} / 11 / 29} + hours{20} + minutes{51} + seconds{7}};
    AuditLog m_log{m_db, [this] { return m_now; }};
    Actor m_clerk{"sadia.baloch", "clerk", "PK-HBR-02", "10.0.0.7", "r-17"};

    void add_rows(int n) {
        for (int i = 0; i < n; ++i) {
            m_log.append(m_clerk, {.action = "licence.renew",
                                   .entity = "licence",
                                   .entity_id = std::to_string(i + 1),
                                   .before_json = R"({"valid_to":"2026-12-31"})",
                                   .after_json = R"({"valid_to":"2027-12-31"})",
                                   .reason = "fee receipt " + std::to_string(4000 + i)});
            m_now += seconds{30};
        }
    }
};

TEST_F(AuditTest, first_row_hash_is_sha256_of_the_documented_canonical_form) {
    const AuditEntry e = m_log.append(m_clerk, {.action = "vessel.register",
                                                .entity = "vessel",
                                                .entity_id = "7",
                                                .after_json = R"({"name":"Al-Madina"})",
                                                .reason = ""});
    EXPECT_EQ(e.seq, 1);
    EXPECT_EQ(e.at, "2026-11-29T20:51:07Z");
    EXPECT_EQ(e.prev_hash, std::string(64, '0'));
    const std::string expected_form =
        "1:1|20:2026-11-29T20:51:07Z|12:sadia.baloch|5:clerk|9:PK-HBR-02|8:10.0.0.7|4:r-17|"
        "15:vessel.register|6:vessel|1:7|-|20:{\"name\":\"Al-Madina\"}|0:|64:" +
        std::string(64, '0') + "|";
    EXPECT_EQ(canonical_form(e), expected_form);
    EXPECT_EQ(e.hash, sha256_hex(expected_form));
}

TEST_F(AuditTest, intact_chain_verifies_and_reports_the_head) {
    add_rows(5);
    const auto report = m_log.verify();
    EXPECT_TRUE(report.ok());
    EXPECT_EQ(report.rows, 5);
    EXPECT_EQ(report.head_hash, m_log.list({.limit = 1})[0].hash);
    EXPECT_EQ(m_log.count(), 5);
}

TEST_F(AuditTest, update_and_delete_are_refused_by_the_database) {
    add_rows(2);
    EXPECT_THROW(m_db.handle().exec("UPDATE audit_log SET actor = 'someone' WHERE seq = 1"),
                 SQLite::Exception);
    EXPECT_THROW(m_db.handle().exec("DELETE FROM audit_log WHERE seq = 2"), SQLite::Exception);
    EXPECT_TRUE(m_log.verify().ok());
}

TEST_F(AuditTest, a_changed_row_is_found_and_named) {
    add_rows(6);
    // Tamper as someone with the file would: drop the trigger, edit a field, put it back.
    m_db.handle().exec("DROP TRIGGER audit_log_no_update");
    m_db.handle().exec("UPDATE audit_log SET reason = 'fee waived' WHERE seq = 3");
    const auto report = m_log.verify();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.first_bad_seq, 3);
    ASSERT_EQ(report.problems.size(), 1u); // row 4 still chains to row 3's stored hash
    EXPECT_THAT(report.problems[0], HasSubstr("row 3: contents changed"));
}

TEST_F(AuditTest, a_rehashed_row_breaks_the_link_to_the_next) {
    add_rows(4);
    m_db.handle().exec("DROP TRIGGER audit_log_no_update");
    // A forger who recomputes row 2's own hash still breaks row 3's prev_hash link.
    AuditEntry forged = m_log.list({.after_seq = 1, .limit = 1000}).back();
    ASSERT_EQ(forged.seq, 2);
    forged.actor.user = "nobody";
    const std::string new_hash = sha256_hex(canonical_form(forged));
    m_db.handle().exec("UPDATE audit_log SET actor = 'nobody', hash = '" + new_hash +
                       "' WHERE seq = 2");
    const auto report = m_log.verify();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.first_bad_seq, 3);
    EXPECT_THAT(report.problems[0], HasSubstr("prev_hash"));
}

TEST_F(AuditTest, a_deleted_middle_row_is_a_sequence_gap) {
    add_rows(5);
    m_db.handle().exec("DROP TRIGGER audit_log_no_delete");
    m_db.handle().exec("DELETE FROM audit_log WHERE seq = 2");
    const auto report = m_log.verify();
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.first_bad_seq, 3);
    EXPECT_THAT(report.problems[0], HasSubstr("sequence gap"));
}

TEST_F(AuditTest, list_filters_by_entity_actor_and_newest_first) {
    add_rows(3);
    m_log.append(Actor{"imran.s", "supervisor", "", "10.0.0.9", ""},
                 {.action = "licence.suspend", .entity = "licence", .entity_id = "2",
                  .reason = "order 12"});
    const auto for_licence_2 = m_log.list({.entity = "licence", .entity_id = "2"});
    ASSERT_EQ(for_licence_2.size(), 2u);
    EXPECT_EQ(for_licence_2[0].event.action, "licence.suspend");
    EXPECT_FALSE(for_licence_2[0].event.before_json.has_value());
    EXPECT_EQ(m_log.list({.actor = "imran.s"}).size(), 1u);
    EXPECT_EQ(m_log.list({.limit = 2}).size(), 2u);
}

} // namespace
} // namespace sahil::registry

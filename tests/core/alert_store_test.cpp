// AlertStore on :memory: and on a file: durable, idempotent by natural key, filters.
#include <filesystem>
#include <limits>

#include <gtest/gtest.h>

#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "server/store/alert_store.hpp"
#include "tests/core/core_test_support.hpp"

namespace {

using namespace sahil;

alerts::Alert sample(std::uint32_t mmsi, double minute,
                     std::string rule = "unregistered_departure") {
    alerts::Alert a;
    a.rule = std::move(rule);
    a.severity = alerts::Severity::critical;
    a.mmsi = mmsi;
    a.vessel_name = "<b>SEA \"HAWK\"</b>"; // untrusted text from the air: stored as data
    a.zone_id = "PK-HBR-05";
    a.zone_name = "Pasni Fish Harbour";
    a.fix_time = test::at_minutes(minute);
    a.position = {25.23, 63.47};
    a.sog_knots = 6.2;
    a.reason = "test";
    a.evidence["departure"] = {{"distance_outside_m", 1050}};
    return a;
}

TEST(AlertStore, stores_reads_back_every_field) {
    registry::Database db(":memory:");
    store::AlertStore s(db, {}, [] { return std::string("2026-11-29T00:00:00Z"); });
    const auto r = s.raise(sample(463100001, 12));
    EXPECT_EQ(r.kind, store::RaiseKind::created);
    const auto a = s.find(r.id);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->rule, "unregistered_departure");
    EXPECT_EQ(a->vessel_name, "<b>SEA \"HAWK\"</b>");
    EXPECT_EQ(a->fix_time, test::at_minutes(12));
    EXPECT_DOUBLE_EQ(a->position.lat_deg, 25.23);
    EXPECT_EQ(a->sog_knots, 6.2);
    EXPECT_FALSE(a->cog_deg);
    EXPECT_EQ(a->status, alerts::Status::new_);
    EXPECT_EQ(a->evidence["departure"]["distance_outside_m"], 1050);
    EXPECT_EQ(a->created_at, "2026-11-29T00:00:00Z");
}

TEST(AlertStore, same_alert_twice_is_stored_once) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto first = s.raise(sample(463100001, 12));
    const auto again = s.raise(sample(463100001, 12));
    EXPECT_EQ(first.kind, store::RaiseKind::created);
    EXPECT_EQ(again.kind, store::RaiseKind::existing);
    EXPECT_EQ(first.id, again.id);
    EXPECT_EQ(s.count(), 1U);
}

TEST(AlertStore, filters_and_resumes_after_id) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto a1 = s.raise(sample(463100001, 1)).id;
    const auto a2 = s.raise(sample(463100002, 2, "licence_invalid_departure")).id;
    const auto a3 = s.raise(sample(463100003, 3)).id;
    store::AlertQuery q;
    EXPECT_EQ(s.list(q).size(), 3U);
    EXPECT_EQ(s.list(q).front().id, a3); // newest first
    q.rule = "licence_invalid_departure";
    ASSERT_EQ(s.list(q).size(), 1U);
    EXPECT_EQ(s.list(q).front().id, a2);
    store::AlertQuery resume;
    resume.after_id = a1;
    const auto after = s.list(resume);
    ASSERT_EQ(after.size(), 2U);
    EXPECT_EQ(after[0].id, a2); // oldest first when resuming
    store::AlertQuery by_mmsi;
    by_mmsi.mmsi = 463100003;
    EXPECT_EQ(s.list(by_mmsi).size(), 1U);
}

TEST(AlertStore, survives_reopening_the_file) {
    const auto dir = std::filesystem::temp_directory_path() / "sahil_alert_store_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = (dir / "registry.db").string();
    {
        registry::Database db(path);
        store::AlertStore s(db);
        s.raise(sample(463100001, 12));
    }
    registry::Database db(path, registry::OpenMode::read_only);
    store::AlertStore s(db);
    EXPECT_EQ(s.count(), 1U);
    std::filesystem::remove_all(dir);
}

} // namespace

// ---- issue 5: deduplication, lifecycle, suppression, journal, audit, outbox ----------------

namespace {

using namespace sahil;

registry::Actor watchkeeper() {
    return registry::Actor{.user = "watch1", .role = "cg_watchkeeper"};
}

alerts::Alert hit(std::uint32_t mmsi, double minute, alerts::Severity sev,
                  std::string rule = "boundary_proximity") {
    alerts::Alert a = sample(mmsi, minute, std::move(rule));
    a.severity = sev;
    a.zone_id = "boundary_area";
    a.agencies = {"coast_guard", "msa"};
    return a;
}

TEST(AlertStoreLifecycle, repeats_update_the_open_alert_and_a_replay_changes_nothing) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto first = s.raise(hit(463100001, 0, alerts::Severity::warning));
    ASSERT_EQ(first.kind, store::RaiseKind::created);
    const auto again = s.raise(hit(463100001, 10, alerts::Severity::critical));
    EXPECT_EQ(again.kind, store::RaiseKind::updated);
    EXPECT_EQ(again.id, first.id);
    // Replaying either hit (same or older fix time) is a no-op.
    EXPECT_EQ(s.raise(hit(463100001, 0, alerts::Severity::warning)).kind,
              store::RaiseKind::existing);
    EXPECT_EQ(s.raise(hit(463100001, 10, alerts::Severity::warning)).kind,
              store::RaiseKind::existing);
    const auto a = s.find(first.id);
    EXPECT_EQ(a->repeat_count, 2);
    EXPECT_EQ(a->severity, alerts::Severity::critical) << "raised to the higher severity";
    EXPECT_EQ(a->fix_time, test::at_minutes(0));
    EXPECT_EQ(a->last_time, test::at_minutes(10));
    EXPECT_TRUE(a->evidence.contains("latest"));
    EXPECT_EQ(s.count(), 1U);
    // Another vessel or another rule is another alert.
    EXPECT_EQ(s.raise(hit(463100002, 10, alerts::Severity::warning)).kind,
              store::RaiseKind::created);
    EXPECT_EQ(s.raise(hit(463100001, 11, alerts::Severity::warning, "loitering")).kind,
              store::RaiseKind::created);
    const auto history = s.history(first.id);
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0].kind, "raised");
    EXPECT_EQ(history[1].kind, "repeated");
}

TEST(AlertStoreLifecycle, new_acknowledged_assigned_resolved_with_journal_and_audit) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto id = s.raise(hit(463100001, 0, alerts::Severity::warning)).id;
    EXPECT_TRUE(s.act(id, {.action = "acknowledge"}, watchkeeper()).ok());
    const auto assigned =
        s.act(id, {.action = "assign", .assignee = "PCG Jiwani patrol 3"}, watchkeeper());
    ASSERT_TRUE(assigned.ok());
    EXPECT_EQ(assigned.value->status, alerts::Status::assigned);
    EXPECT_EQ(assigned.value->assignee, "PCG Jiwani patrol 3");
    EXPECT_TRUE(s.act(id, {.action = "note", .note = "patrol sighted the boat"}, watchkeeper())
                    .ok());
    const auto resolved =
        s.act(id, {.action = "resolve", .note = "boat escorted back", .outcome =
                                                    alerts::Outcome::intercepted},
              watchkeeper());
    ASSERT_TRUE(resolved.ok());
    EXPECT_EQ(resolved.value->status, alerts::Status::resolved);
    EXPECT_EQ(resolved.value->outcome, alerts::Outcome::intercepted);
    // Resolved is final: no second acknowledge or resolve; notes are still allowed.
    EXPECT_EQ(s.act(id, {.action = "acknowledge"}, watchkeeper()).code,
              registry::ErrorCode::wrong_state);
    EXPECT_EQ(s.act(id, {.action = "resolve", .outcome = alerts::Outcome::false_alarm},
                    watchkeeper())
                  .code,
              registry::ErrorCode::wrong_state);
    EXPECT_TRUE(s.act(id, {.action = "note", .note = "report filed"}, watchkeeper()).ok());
    std::vector<std::string> kinds;
    for (const auto& e : s.history(id)) {
        kinds.push_back(e.kind);
        if (e.kind != "raised") {
            EXPECT_EQ(e.actor, "watch1");
        }
    }
    EXPECT_EQ(kinds, (std::vector<std::string>{"raised", "acknowledged", "assigned", "noted",
                                               "resolved", "noted"}));
    // Every human action is in the hash-chained audit trail, and the chain holds.
    registry::AuditLog audit(db);
    EXPECT_TRUE(audit.verify().ok());
    EXPECT_EQ(audit.verify().rows, 5);
    // After the resolution a new occurrence is a new alert.
    EXPECT_EQ(s.raise(hit(463100001, 30, alerts::Severity::warning)).kind,
              store::RaiseKind::created);
}

TEST(AlertStoreLifecycle, bad_actions_are_refused_with_the_field) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto id = s.raise(hit(463100001, 0, alerts::Severity::warning)).id;
    const auto missing = s.act(id + 100, {.action = "acknowledge"}, watchkeeper());
    EXPECT_EQ(missing.code, registry::ErrorCode::not_found);
    EXPECT_EQ(s.act(id, {.action = "assign"}, watchkeeper()).errors.at(0).field, "assignee");
    EXPECT_EQ(s.act(id, {.action = "resolve"}, watchkeeper()).errors.at(0).field, "outcome");
    EXPECT_EQ(s.act(id, {.action = "resolve", .outcome = alerts::Outcome::suppressed},
                    watchkeeper())
                  .errors.at(0)
                  .field,
              "outcome");
    EXPECT_EQ(s.act(id, {.action = "suppress", .note = "  "}, watchkeeper()).errors.at(0).field,
              "note");
    EXPECT_EQ(s.act(id, {.action = "suppress", .note = "known boat", .hours = 0}, watchkeeper())
                  .errors.at(0)
                  .field,
              "hours");
    EXPECT_EQ(s.act(id, {.action = "explode"}, watchkeeper()).errors.at(0).field, "action");
    EXPECT_EQ(s.find(id)->status, alerts::Status::new_) << "nothing changed";
    EXPECT_EQ(s.history(id).size(), 1U);
}

TEST(AlertStoreLifecycle, suppressing_this_occurrence_lasts_while_hits_keep_coming) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    const auto id = s.raise(hit(463100001, 0, alerts::Severity::warning)).id;
    ASSERT_TRUE(
        s.act(id, {.action = "suppress", .note = "licensed survey vessel"}, watchkeeper()).ok());
    EXPECT_EQ(s.find(id)->outcome, alerts::Outcome::suppressed);
    // Hits every 5 h for 20 h: each within 6 h of the previous one, all absorbed.
    for (int h = 5; h <= 20; h += 5) {
        EXPECT_EQ(s.raise(hit(463100001, h * 60.0, alerts::Severity::warning)).kind,
                  store::RaiseKind::suppressed);
    }
    // Seven hours of quiet end the occurrence: the next hit is a new alert.
    EXPECT_EQ(s.raise(hit(463100001, 27 * 60.0, alerts::Severity::warning)).kind,
              store::RaiseKind::created);
    const auto sup = s.suppressions(false);
    ASSERT_EQ(sup.size(), 1U);
    EXPECT_EQ(sup[0].hits, 4);
    EXPECT_FALSE(sup[0].active);
    EXPECT_EQ(sup[0].created_by, "watch1");
    // Another vessel was never suppressed.
    EXPECT_EQ(s.raise(hit(463100009, 5, alerts::Severity::warning)).kind,
              store::RaiseKind::created);
}

TEST(AlertStoreOutbox, rows_for_webhook_agencies_only_written_with_the_alert) {
    registry::Database db(":memory:");
    store::AlertStore s(db, store::AlertStoreConfig{.webhook_agencies = {"msa"}});
    const auto id = s.raise(hit(463100001, 0, alerts::Severity::critical)).id;
    s.raise(hit(463100001, 5, alerts::Severity::critical)); // a repeat: no new delivery
    auto due = s.due_deliveries(std::numeric_limits<std::int64_t>::max(), 10);
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].alert_id, id);
    EXPECT_EQ(due[0].agency, "msa");
    s.mark_failed(due[0].id, "connection refused", 1'000);
    due = s.due_deliveries(999, 10);
    EXPECT_TRUE(due.empty()) << "not due before its next attempt";
    due = s.due_deliveries(1'000, 10);
    ASSERT_EQ(due.size(), 1U);
    EXPECT_EQ(due[0].attempts, 1);
    EXPECT_EQ(due[0].last_error, "connection refused");
    s.mark_delivered(due[0].id);
    EXPECT_TRUE(s.due_deliveries(std::numeric_limits<std::int64_t>::max(), 10).empty());
    EXPECT_FALSE(s.next_delivery_ms().has_value());
    EXPECT_EQ(s.outbox_counts()["msa"]["delivered"], 1);
}

TEST(AlertStoreJournal, events_after_resume_in_order_without_gaps) {
    registry::Database db(":memory:");
    store::AlertStore s(db);
    for (int i = 0; i < 5; ++i) {
        s.raise(hit(463100001 + static_cast<std::uint32_t>(i), i, alerts::Severity::warning));
    }
    const auto all = s.events_after(0, 100);
    ASSERT_EQ(all.size(), 5U);
    EXPECT_EQ(s.last_event_seq(), all.back().seq);
    const auto rest = s.events_after(all[1].seq, 100);
    ASSERT_EQ(rest.size(), 3U);
    EXPECT_EQ(rest.front().seq, all[2].seq);
}

} // namespace

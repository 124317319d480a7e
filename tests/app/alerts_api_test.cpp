// The alerts API (server/app/alerts_api.hpp) through sahild's real router and ApiContext: list
// filters and their 400s, one alert with its journal, the lifecycle new -> acknowledged ->
// assigned -> resolved with each action in the journal and the audit trail under the signed-in
// user, wrong-state 409s, strict bodies, suppressions keyed to fix times, who may read and act,
// and the CAP 1.2 and Atom documents parsed with libxml2. Alerts are seeded through
// AlertStore::raise on the API's own database; callers use API tokens (the cookie/CSRF path is
// the Router's, tested in auth_api_test and the route matrix).
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "registry/audit.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "server/store/alert_store.hpp"
#include "tests/app/api_test_support.hpp"
#include "tests/app/app_test_support.hpp"

namespace sahil {
namespace {

using nlohmann::json;
using test::NoMonitoring;
using Reply = test::ApiReply;
using ::testing::HasSubstr;
using ::testing::Not;

/// 2026-03-14T17:42:10Z plus `minutes`.
UtcTime t0_plus(int minutes) {
    return from_unix_seconds(1'773'510'130) + std::chrono::minutes(minutes);
}

alerts::Alert hit(std::string rule, alerts::Severity severity, std::uint32_t mmsi, int minute,
                  std::vector<std::string> agencies) {
    alerts::Alert a;
    a.rule = std::move(rule);
    a.severity = severity;
    a.mmsi = mmsi;
    a.vessel_name = "SEA HAWK";
    a.zone_id = "PK-HBR-05";
    a.zone_name = "Pasni Fish Harbour";
    a.fix_time = t0_plus(minute);
    a.position = {25.23, 63.47};
    a.last_time = a.fix_time;
    a.last_position = a.position;
    a.sog_knots = 6.2;
    a.agencies = std::move(agencies);
    a.reason = "Left Pasni Fish Harbour at 6.2 kn; not in the registry.";
    return a;
}

// ---- libxml2 ------------------------------------------------------------------------------------

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

Doc parse_xml(const std::string& xml) {
    return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "reply.xml", nullptr,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string name_of(const xmlNode* n) {
    return reinterpret_cast<const char*>(n->name);
}

std::string ns_of(const xmlNode* n) {
    return n->ns != nullptr ? reinterpret_cast<const char*>(n->ns->href) : "";
}

std::string text_of(const xmlNode* n) {
    xmlChar* c = xmlNodeGetContent(n);
    std::string out = c != nullptr ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return out;
}

std::vector<const xmlNode*> kids(const xmlNode* parent, const std::string& name) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && name_of(c) == name) {
            out.push_back(c);
        }
    }
    return out;
}

std::string kid_text(const xmlNode* parent, const std::string& name) {
    const auto k = kids(parent, name);
    return k.empty() ? std::string("(missing)") : text_of(k.front());
}

// ---- fixture ------------------------------------------------------------------------------------

class AlertsApi : public ::testing::Test {
protected:
    AlertsApi()
        : config(test::config_from("[paths]\nregistry_db = \"" +
                                       (tmp.path() / "registry.db").string() +
                                       "\"\n[registry]\ncertificate_base_url = "
                                       "\"https://sahil.example.gob.pk\"\n",
                                   tmp.path())),
          api(config, {"PK-HBR-02", "PK-HBR-05"}, registry::PasswordParams::fast_for_tests()),
          router(app::make_api_router(api, monitoring)), seeder(api.db) {
        for (const auto& [name, role] :
             {std::pair{"root", "admin"}, std::pair{"watch", "cg_watchkeeper"},
              std::pair{"msa", "msa_officer"}, std::pair{"analyst", "msa_analyst"},
              std::pair{"sup", "supervisor"}, std::pair{"audit", "auditor"}}) {
            token[name] = make_token(name, role, {});
        }
        token["amina"] = make_token("amina", "clerk", {"PK-HBR-05"});
    }

    std::string make_token(const std::string& name, const std::string& role,
                           std::vector<std::string> harbours) {
        const registry::Actor actor{"test", "admin", "", "test", ""};
        const auto user = api.accounts.add_user(
            actor, {.username = name, .role = role, .harbours = std::move(harbours)});
        EXPECT_TRUE(user.ok()) << name;
        const auto t = api.accounts.create_api_token(actor, user.value->user.id, "test", {});
        EXPECT_TRUE(t.ok());
        return t.value->token;
    }

    /// Sends a request as `who`; a body is sent as JSON unless `content_type` says otherwise.
    Reply send(const std::string& who, const std::string& method, const std::string& target,
               const std::optional<std::string>& body = std::nullopt,
               const std::string& content_type = "application/json") {
        http::Request r;
        r.method = method;
        r.target = target;
        const auto q = target.find('?');
        r.path = target.substr(0, q);
        if (q != std::string::npos) {
            std::istringstream in(target.substr(q + 1));
            for (std::string kv; std::getline(in, kv, '&');) {
                const auto eq = kv.find('=');
                r.query[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
            }
        }
        r.remote_address = "192.0.2.30";
        r.headers.emplace_back("Host", "sahil.local:8617");
        r.headers.emplace_back("Authorization", "Bearer " + token.at(who));
        if (body) {
            r.body = *body;
            r.headers.emplace_back("Content-Type", content_type);
        }
        std::optional<http::Response> out;
        router.dispatch(std::move(r), [&](http::Response resp) { out = std::move(resp); });
        Reply reply;
        if (out) {
            reply.status = out->status;
            reply.raw = out->body;
            reply.body = json::parse(out->body, nullptr, false);
            reply.headers = out->headers;
            reply.content_type = out->content_type;
        }
        return reply;
    }

    Reply post(const std::string& who, const std::string& target, const json& body) {
        return send(who, "POST", target, body.dump());
    }

    /// Ids of the alerts of a list reply, in order.
    static std::vector<std::int64_t> ids(const Reply& r) {
        std::vector<std::int64_t> out;
        if (!r.body.is_object() || !r.body.contains("alerts")) {
            return out;
        }
        for (const auto& a : r.body["alerts"]) {
            out.push_back(a["id"].get<std::int64_t>());
        }
        return out;
    }

    /// Four alerts: 1 critical unregistered departure (coast_guard, msa), 2 warning licence
    /// (coast_guard) an hour later, 3 warning boundary approach (msa) at +2 h, 4 info
    /// rendezvous (msa) at +3 h whose other vessel is alert 1's.
    void seed_four() {
        using S = alerts::Severity;
        EXPECT_EQ(seeder
                      .raise(hit("unregistered_departure", S::critical, 463100901, 0,
                                 {"coast_guard", "msa"}))
                      .id,
                  1);
        seeder.raise(hit("licence_invalid_departure", S::warning, 463100902, 60, {"coast_guard"}));
        seeder.raise(hit("boundary_approach", S::warning, 463100903, 120, {"msa"}));
        auto r = hit("rendezvous", S::info, 463100904, 180, {"msa"});
        r.other_mmsi = 463100901;
        r.other_name = "SEA HAWK";
        seeder.raise(r);
    }

    std::vector<std::string> audit_actions(std::int64_t id) {
        std::vector<std::string> out;
        for (const auto& e : registry::AuditLog(api.db).list(
                 {.entity = "alert", .entity_id = std::to_string(id)})) {
            out.insert(out.begin(), e.event.action + " by " + e.actor.user + " (" + e.actor.role +
                                        ")" + (e.actor.request_id.empty() ? " no request id" : ""));
        }
        return out;
    }

    test::TempDir tmp;
    app::Config config;
    app::ApiContext api;
    NoMonitoring monitoring;
    http::Router router;
    store::AlertStore seeder;
    std::map<std::string, std::string> token;
};

using Ids = std::vector<std::int64_t>;

// ---- list ---------------------------------------------------------------------------------------

TEST_F(AlertsApi, lists_alerts_newest_first_with_every_filter) {
    seed_four();
    const Reply all = send("watch", "GET", "/api/alerts");
    ASSERT_EQ(all.status, 200U) << all.raw;
    EXPECT_EQ(all.body["count"], 4);
    EXPECT_EQ(ids(all), (Ids{4, 3, 2, 1}));
    EXPECT_EQ(all.body["alerts"][0]["other_vessel"]["mmsi"], 463100901);

    const std::map<std::string, Ids> cases = {
        {"rule=rendezvous", {4}},
        {"min_severity=warning", {3, 2, 1}},
        {"min_severity=critical", {1}},
        {"mmsi=463100901", {4, 1}}, // either vessel
        {"agency=coast_guard", {2, 1}},
        {"agency=msa", {4, 3, 1}},
        {"since=2026-03-14T19:42:10Z", {4, 3}}, // last_time >= since
        {"until=2026-03-14T18:42:10Z", {1}},    // fix_time < until
        {"since=2026-03-14T18:00:00Z&until=2026-03-14T20:00:00Z", {3, 2}},
        {"after_id=2", {3, 4}}, // resuming: oldest first
        {"limit=2", {4, 3}},
        {"status=new", {4, 3, 2, 1}},
        {"open=1", {4, 3, 2, 1}},
        {"open=0", {}},
        {"status=resolved", {}},
    };
    for (const auto& [query, want] : cases) {
        const Reply r = send("watch", "GET", "/api/alerts?" + query);
        EXPECT_EQ(r.status, 200U) << query << " " << r.raw;
        EXPECT_EQ(ids(r), want) << query;
        EXPECT_EQ(r.body["count"], want.size()) << query;
    }
}

TEST_F(AlertsApi, a_bad_filter_is_a_400_naming_the_parameter) {
    const std::map<std::string, std::string> cases = {
        {"rule=nope", "rule"},
        {"status=open", "status"},
        {"open=yes", "open"},
        {"min_severity=high", "min_severity"},
        {"mmsi=abc", "mmsi"},
        {"mmsi=1234567890", "mmsi"},
        {"agency=COAST", "agency"},
        {"since=yesterday", "since"},
        {"until=2026-03-14", "until"},
        {"since=2026-03-14T18:00:00+05:00", "since"},
        {"after_id=-1", "after_id"},
        {"limit=0", "limit"},
        {"limit=1001", "limit"},
        {"colour=red", "colour"},
        {"since=2026-03-14T18:00:00Z&until=2026-03-14T17:00:00Z", "until"},
    };
    for (const auto& [query, param] : cases) {
        const Reply r = send("watch", "GET", "/api/alerts?" + query);
        EXPECT_EQ(r.status, 400U) << query;
        EXPECT_EQ(r.error(), "bad_request") << query;
        EXPECT_EQ(r.body["parameter"], param) << query;
        // The Atom feed takes the same filters and refuses the same way.
        EXPECT_EQ(send("watch", "GET", "/api/alerts/feed.atom?" + query).status, 400U) << query;
    }
}

// ---- one alert ----------------------------------------------------------------------------------

TEST_F(AlertsApi, one_alert_comes_with_its_evidence_and_journal) {
    auto first =
        hit("unregistered_departure", alerts::Severity::critical, 463100901, 0, {"coast_guard"});
    first.evidence["departure"] = {{"distance_outside_m", 1050}};
    const auto id = seeder.raise(first).id;
    auto again = first;
    again.fix_time = t0_plus(5);
    again.last_time = again.fix_time;
    EXPECT_EQ(seeder.raise(again).kind, store::RaiseKind::updated);

    const Reply r = send("audit", "GET", "/api/alerts/" + std::to_string(id));
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["id"], id);
    EXPECT_EQ(r.body["alert"]["repeat_count"], 2);
    EXPECT_EQ(r.body["alert"]["evidence"]["departure"]["distance_outside_m"], 1050);
    ASSERT_EQ(r.body["history"].size(), 2U);
    EXPECT_EQ(r.body["history"][0]["kind"], "raised");
    EXPECT_EQ(r.body["history"][1]["kind"], "repeated");
    EXPECT_TRUE(r.body["suppression"].is_null());

    const Reply missing = send("audit", "GET", "/api/alerts/999");
    EXPECT_EQ(missing.status, 404U);
    EXPECT_EQ(missing.error(), "not_found");
    EXPECT_EQ(send("audit", "GET", "/api/alerts/abc").status, 404U); // not a route
}

// ---- lifecycle ----------------------------------------------------------------------------------

TEST_F(AlertsApi, the_whole_lifecycle_is_journaled_and_audited_under_the_officer) {
    const auto id = seeder
                        .raise(hit("unregistered_departure", alerts::Severity::critical, 463100901,
                                   0, {"coast_guard", "msa"}))
                        .id;
    const std::string base = "/api/alerts/" + std::to_string(id);

    Reply r = send("watch", "POST", base + "/acknowledge"); // no body needed
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["status"], "acknowledged");

    r = post("watch", base + "/assign", {{"assignee", "PCG Sea Lion 1"}, {"note", "nearest"}});
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["status"], "assigned");
    EXPECT_EQ(r.body["alert"]["assignee"], "PCG Sea Lion 1");

    r = post("msa", base + "/note", {{"note", "MSA informed by radio"}});
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["status"], "assigned");

    r = post("watch", base + "/resolve", {{"outcome", "intercepted"}, {"note", "escorted back"}});
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["status"], "resolved");
    EXPECT_EQ(r.body["alert"]["outcome"], "intercepted");

    std::vector<std::string> journal;
    for (const auto& e : r.body["history"]) {
        journal.push_back(e["kind"].get<std::string>() + "/" + e["actor"].get<std::string>() + "/" +
                          e["note"].get<std::string>());
    }
    EXPECT_EQ(journal, (std::vector<std::string>{"raised//", "acknowledged/watch/",
                                                 "assigned/watch/PCG Sea Lion 1: nearest",
                                                 "noted/msa/MSA informed by radio",
                                                 "resolved/watch/intercepted: escorted back"}));
    EXPECT_EQ(audit_actions(id),
              (std::vector<std::string>{"alert.acknowledge by watch (cg_watchkeeper)",
                                        "alert.assign by watch (cg_watchkeeper)",
                                        "alert.note by msa (msa_officer)",
                                        "alert.resolve by watch (cg_watchkeeper)"}));
    EXPECT_TRUE(registry::AuditLog(api.db).verify().ok());

    // The list reflects it.
    EXPECT_EQ(ids(send("watch", "GET", "/api/alerts?open=0")), (Ids{id}));
    EXPECT_EQ(ids(send("watch", "GET", "/api/alerts?status=resolved")), (Ids{id}));
}

TEST_F(AlertsApi, acting_out_of_order_is_a_409) {
    const auto id = seeder
                        .raise(hit("unregistered_departure", alerts::Severity::critical, 463100901,
                                   0, {"coast_guard"}))
                        .id;
    const std::string base = "/api/alerts/" + std::to_string(id);
    ASSERT_EQ(post("watch", base + "/resolve", {{"outcome", "false_alarm"}}).status, 200U);

    for (const auto& [action, body] : std::vector<std::pair<std::string, json>>{
             {"acknowledge", json::object()},
             {"assign", {{"assignee", "PCG Sea Lion 1"}}},
             {"resolve", {{"outcome", "intercepted"}}},
             {"suppress", {{"reason", "known test transmitter"}}}}) {
        const Reply r = post("watch", base + "/" + action, body);
        EXPECT_EQ(r.status, 409U) << action << " " << r.raw;
        EXPECT_EQ(r.error(), "wrong_state") << action;
    }
    // A note is still possible on a closed alert.
    EXPECT_EQ(post("watch", base + "/note", {{"note", "owner called later"}}).status, 200U);
    // Acknowledging twice is out of order too.
    const auto other =
        seeder
            .raise(hit("night_departure", alerts::Severity::warning, 463100902, 0, {"coast_guard"}))
            .id;
    const std::string path = "/api/alerts/" + std::to_string(other) + "/acknowledge";
    EXPECT_EQ(send("watch", "POST", path).status, 200U);
    EXPECT_EQ(send("watch", "POST", path).status, 409U);
    // Nothing of the refused actions reached the audit trail.
    EXPECT_EQ(audit_actions(id),
              (std::vector<std::string>{"alert.resolve by watch (cg_watchkeeper)",
                                        "alert.note by watch (cg_watchkeeper)"}));
}

TEST_F(AlertsApi, bodies_are_strict) {
    const auto id = seeder
                        .raise(hit("unregistered_departure", alerts::Severity::critical, 463100901,
                                   0, {"coast_guard"}))
                        .id;
    const std::string base = "/api/alerts/" + std::to_string(id);
    struct Case {
        std::string action;
        std::string body;
        unsigned status;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"acknowledge", R"({"note":"ok","status":"resolved"})", 422, "status"},
        {"assign", R"({"note":"no assignee"})", 422, "assignee"},
        {"assign", R"({"assignee":42})", 422, "assignee"},
        {"note", R"({})", 422, "note"},
        {"note", R"({"note":"   "})", 422, "note"},
        {"note", R"({"text":"hello"})", 422, "text"},
        {"resolve", R"({})", 422, "outcome"},
        {"resolve", R"({"outcome":"sunk"})", 422, "outcome"},
        {"resolve", R"({"outcome":"suppressed"})", 422, "outcome"},
        {"suppress", R"({})", 422, "reason"},
        {"suppress", R"({"reason":"x"})", 422, "reason"},
        {"suppress", R"({"reason":"            "})", 422, "reason"}, // blanks are no reason
        {"suppress", R"({"reason":"test transmitter","hours":0})", 422, "hours"},
        {"suppress", R"({"reason":"test transmitter","hours":721})", 422, "hours"},
        {"suppress", R"({"reason":"test transmitter","hours":"5"})", 422, "hours"},
        {"suppress", R"({"reason":"test transmitter","hours":2.5})", 422, "hours"},
        {"suppress", R"({"reason":"test transmitter","note":"x"})", 422, "note"},
        {"note", R"({"note":"x")", 400, "(none)"},
        {"note", R"(["note"])", 400, "(none)"},
    };
    for (const auto& c : cases) {
        const Reply r = send("watch", "POST", base + "/" + c.action, c.body);
        EXPECT_EQ(r.status, c.status) << c.action << " " << c.body << " " << r.raw;
        EXPECT_EQ(r.field(), c.field) << c.action << " " << c.body;
    }
    const Reply form =
        send("watch", "POST", base + "/note", "note=hi", "application/x-www-form-urlencoded");
    EXPECT_EQ(form.status, 415U);
    const Reply long_note = post("watch", base + "/note", {{"note", std::string(2001, 'a')}});
    EXPECT_EQ(long_note.status, 422U);
    const Reply missing = post("watch", "/api/alerts/999/note", {{"note", "hello"}});
    EXPECT_EQ(missing.status, 404U);
    EXPECT_EQ(missing.error(), "not_found");
    // More digits than an id can have: 404 without a made-up id (was "there is no alert -1").
    const Reply huge = send("watch", "GET", "/api/alerts/99999999999999999999");
    EXPECT_EQ(huge.status, 404U);
    EXPECT_EQ(huge.raw.find("-1"), std::string::npos) << huge.raw;
    // Nothing happened to the alert.
    EXPECT_EQ(send("watch", "GET", base).body["history"].size(), 1U);
}

// ---- suppression --------------------------------------------------------------------------------

TEST_F(AlertsApi, a_suppression_absorbs_hits_in_its_window_then_lapses) {
    const auto first =
        hit("identity_invalid_mmsi", alerts::Severity::warning, 463100909, 0, {"msa"});
    const auto id = seeder.raise(first).id;
    const std::string base = "/api/alerts/" + std::to_string(id);

    const Reply r = post("msa", base + "/suppress",
                         {{"reason", "harbour test transmitter, MMSI known"}, {"hours", 2}});
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["alert"]["status"], "resolved");
    EXPECT_EQ(r.body["alert"]["outcome"], "suppressed");
    ASSERT_TRUE(r.body["suppression"].is_object()) << r.raw;
    EXPECT_EQ(r.body["suppression"]["mode"], "hours");
    EXPECT_EQ(r.body["suppression"]["reason"], "harbour test transmitter, MMSI known");
    EXPECT_EQ(r.body["suppression"]["created_by"], "msa");
    EXPECT_EQ(r.body["suppression"]["until"], "2026-03-14T19:42:10Z"); // fix time + 2 h
    EXPECT_EQ(r.body["history"].back()["kind"], "suppressed");
    EXPECT_EQ(audit_actions(id), (std::vector<std::string>{"alert.suppress by msa (msa_officer)"}));

    Reply list = send("watch", "GET", "/api/alerts/suppressions?active=1");
    ASSERT_EQ(list.status, 200U) << list.raw;
    ASSERT_EQ(list.body["count"], 1);
    EXPECT_EQ(list.body["suppressions"][0]["alert_id"], id);

    // A further hit inside the window (by fix time) is absorbed.
    auto inside = first;
    inside.fix_time = t0_plus(30);
    inside.last_time = inside.fix_time;
    EXPECT_EQ(seeder.raise(inside).kind, store::RaiseKind::suppressed);
    list = send("watch", "GET", "/api/alerts/suppressions?active=1");
    EXPECT_EQ(list.body["suppressions"][0]["hits"], 1);
    EXPECT_EQ(send("watch", "GET", "/api/alerts").body["count"], 1);

    // After the window the rule raises anew, and the suppression is no longer in force.
    auto after = first;
    after.fix_time = t0_plus(180);
    after.last_time = after.fix_time;
    const auto again = seeder.raise(after);
    EXPECT_EQ(again.kind, store::RaiseKind::created);
    EXPECT_NE(again.id, id);
    EXPECT_EQ(send("watch", "GET", "/api/alerts?open=1").body["count"], 1);
    EXPECT_EQ(send("watch", "GET", "/api/alerts/suppressions?active=1").body["count"], 0);
    list = send("audit", "GET", "/api/alerts/suppressions");
    ASSERT_EQ(list.body["count"], 1);
    EXPECT_EQ(list.body["suppressions"][0]["active"], false);

    EXPECT_EQ(send("watch", "GET", "/api/alerts/suppressions?active=yes").status, 400U);
    EXPECT_EQ(send("watch", "GET", "/api/alerts/suppressions?rule=x").status, 400U);
}

TEST_F(AlertsApi, suppressing_this_occurrence_needs_no_hours) {
    const auto id =
        seeder.raise(hit("loitering", alerts::Severity::warning, 463100908, 0, {"msa"})).id;
    const Reply r = post("watch", "/api/alerts/" + std::to_string(id) + "/suppress",
                         {{"reason", "survey vessel on contract"}});
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.body["suppression"]["mode"], "occurrence");
    EXPECT_TRUE(r.body["suppression"]["until"].is_null());
    EXPECT_EQ(r.body["history"].back()["note"], "this occurrence: survey vessel on contract");
}

// ---- roles --------------------------------------------------------------------------------------

TEST_F(AlertsApi, clerks_do_not_read_alerts_and_only_watch_officers_act) {
    seed_four();
    for (const std::string who : {"root", "watch", "msa", "analyst", "sup", "audit"}) {
        EXPECT_EQ(send(who, "GET", "/api/alerts").status, 200U) << who;
        EXPECT_EQ(send(who, "GET", "/api/alerts/1").status, 200U) << who;
        EXPECT_EQ(send(who, "GET", "/api/alerts/1/cap.xml").status, 200U) << who;
        EXPECT_EQ(send(who, "GET", "/api/alerts/feed.atom").status, 200U) << who;
        EXPECT_EQ(send(who, "GET", "/api/alerts/suppressions").status, 200U) << who;
    }
    for (const char* path : {"/api/alerts", "/api/alerts/1", "/api/alerts/1/cap.xml",
                             "/api/alerts/feed.atom", "/api/alerts/suppressions"}) {
        EXPECT_EQ(send("amina", "GET", path).status, 403U) << path;
    }
    for (const std::string who : {"amina", "analyst", "sup", "audit"}) {
        const Reply r = post(who, "/api/alerts/1/note", {{"note", "hello"}});
        EXPECT_EQ(r.status, 403U) << who;
        EXPECT_EQ(r.error(), "forbidden") << who;
    }
    for (const std::string who : {"root", "watch", "msa"}) {
        EXPECT_EQ(post(who, "/api/alerts/1/note", {{"note", "seen by " + who}}).status, 200U)
            << who;
    }
    // A cg_watchkeeper sees and acts on alerts routed to the MSA only, too.
    EXPECT_EQ(ids(send("watch", "GET", "/api/alerts?agency=msa")), (Ids{4, 3, 1}));
    EXPECT_EQ(send("watch", "POST", "/api/alerts/3/acknowledge").status, 200U);
}

// ---- CAP and Atom -------------------------------------------------------------------------------

TEST_F(AlertsApi, cap_document_is_cap_1_2_escaped_and_an_update_after_a_change) {
    auto a = hit("unregistered_departure", alerts::Severity::critical, 463100901, 0,
                 {"coast_guard", "msa"});
    a.vessel_name = "<script>&\"'";
    const auto id = seeder.raise(a).id;
    const std::string path = "/api/alerts/" + std::to_string(id) + "/cap.xml";

    Reply r = send("watch", "GET", path);
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.content_type, "application/cap+xml; charset=utf-8");
    EXPECT_EQ(r.header("Content-Security-Policy"), "default-src 'none'");
    EXPECT_THAT(r.raw, Not(HasSubstr("<script>")));
    EXPECT_THAT(r.raw, HasSubstr("&lt;script&gt;&amp;&quot;&apos;"));
    {
        const Doc doc = parse_xml(r.raw);
        ASSERT_TRUE(doc) << r.raw;
        const xmlNode* alert = xmlDocGetRootElement(doc.get());
        EXPECT_EQ(name_of(alert), "alert");
        EXPECT_EQ(ns_of(alert), "urn:oasis:names:tc:emergency:cap:1.2");
        EXPECT_EQ(kid_text(alert, "identifier"),
                  "sahil-sahil.example.gob.pk-alert-" + std::to_string(id));
        EXPECT_EQ(kid_text(alert, "sender"), "sahil@sahil.example.gob.pk");
        EXPECT_THAT(kid_text(alert, "sent"), ::testing::EndsWith("-00:00"));
        EXPECT_EQ(kid_text(alert, "status"), "Actual");
        EXPECT_EQ(kid_text(alert, "msgType"), "Alert");
        EXPECT_EQ(kid_text(alert, "scope"), "Restricted");
        EXPECT_NE(kid_text(alert, "restriction"), "(missing)");
        const auto info = kids(alert, "info");
        ASSERT_EQ(info.size(), 1U);
        for (const char* required : {"category", "event", "urgency", "severity", "certainty"}) {
            EXPECT_NE(kid_text(info[0], required), "(missing)") << required;
        }
        EXPECT_EQ(kid_text(info[0], "urgency"), "Immediate");
        EXPECT_EQ(kid_text(info[0], "web"),
                  "https://sahil.example.gob.pk/api/alerts/" + std::to_string(id));
        std::map<std::string, std::string> params;
        for (const xmlNode* p : kids(info[0], "parameter")) {
            params[kid_text(p, "valueName")] = kid_text(p, "value");
        }
        EXPECT_EQ(params["vessel_name"], "<script>&\"'"); // the same text, as text
        EXPECT_EQ(params["agencies"], "coast_guard,msa");
        EXPECT_EQ(kid_text(kids(info[0], "area").at(0), "circle"), "25.23000,63.47000 1.852");
    }

    // After an action the document is an Update referencing the original message.
    ASSERT_EQ(send("watch", "POST", "/api/alerts/" + std::to_string(id) + "/acknowledge").status,
              200U);
    r = send("watch", "GET", path);
    const Doc doc = parse_xml(r.raw);
    ASSERT_TRUE(doc) << r.raw;
    const xmlNode* alert = xmlDocGetRootElement(doc.get());
    EXPECT_EQ(kid_text(alert, "msgType"), "Update");
    EXPECT_THAT(
        kid_text(alert, "identifier"),
        ::testing::StartsWith("sahil-sahil.example.gob.pk-alert-" + std::to_string(id) + "-"));
    EXPECT_THAT(kid_text(alert, "references"),
                HasSubstr(",sahil-sahil.example.gob.pk-alert-" + std::to_string(id) + ","));
    EXPECT_EQ(r.raw, send("watch", "GET", path).raw); // stable while nothing changes

    const Reply missing = send("watch", "GET", "/api/alerts/999/cap.xml");
    EXPECT_EQ(missing.status, 404U);
    EXPECT_EQ(missing.error(), "not_found");
}

TEST_F(AlertsApi, atom_feed_takes_the_list_filters_and_links_json_and_cap) {
    seed_four();
    auto odd = hit("identity_mismatch", alerts::Severity::warning, 463100905, 240, {"msa"});
    odd.vessel_name = "<script>&\"'";
    const auto odd_id = seeder.raise(odd).id;

    Reply r = send("analyst", "GET", "/api/alerts/feed.atom?agency=msa&min_severity=warning");
    ASSERT_EQ(r.status, 200U) << r.raw;
    EXPECT_EQ(r.content_type, "application/atom+xml; charset=utf-8");
    EXPECT_EQ(r.header("Content-Security-Policy"), "default-src 'none'");
    EXPECT_THAT(r.raw, Not(HasSubstr("<script>")));
    const Doc doc = parse_xml(r.raw);
    ASSERT_TRUE(doc) << r.raw;
    const xmlNode* feed = xmlDocGetRootElement(doc.get());
    EXPECT_EQ(name_of(feed), "feed");
    EXPECT_EQ(ns_of(feed), "http://www.w3.org/2005/Atom");
    EXPECT_EQ(kid_text(feed, "id"), "tag:sahil.example.gob.pk,2026:sahil-sahil.example.gob.pk-"
                                    "alerts?agency=msa&min_severity=warning");
    EXPECT_NE(kid_text(feed, "updated"), "(missing)");
    EXPECT_NE(kid_text(feed, "author"), "(missing)");
    const auto entries = kids(feed, "entry");
    ASSERT_EQ(entries.size(), 3U); // odd, 3, 1
    EXPECT_EQ(kid_text(entries[0], "id"),
              "tag:sahil.example.gob.pk,2026:sahil-sahil.example.gob.pk-alert-" +
                  std::to_string(odd_id));
    EXPECT_THAT(kid_text(entries[0], "title"), HasSubstr("<script>&\"' (MMSI 463100905)"));
    std::vector<std::string> links;
    for (const xmlNode* l : kids(entries[1], "link")) {
        xmlChar* href = xmlGetProp(l, reinterpret_cast<const xmlChar*>("href"));
        links.emplace_back(reinterpret_cast<const char*>(href));
        xmlFree(href);
    }
    EXPECT_EQ(links, (std::vector<std::string>{"https://sahil.example.gob.pk/api/alerts/3",
                                               "https://sahil.example.gob.pk/api/alerts/3/"
                                               "cap.xml"}));
    const Doc limited = parse_xml(send("audit", "GET", "/api/alerts/feed.atom?limit=2").raw);
    ASSERT_TRUE(limited);
    EXPECT_EQ(kids(xmlDocGetRootElement(limited.get()), "entry").size(), 2U);
}

} // namespace
} // namespace sahil

// The registry API (server/app/registry_api.hpp) through sahild's real router and ApiContext,
// with a PII key file: a clerk registers, renews and corrects her harbour's boats; another
// harbour's clerk and the watch roles see the owner's CNIC masked; supervisors suspend; nobody
// can put a CNIC in a URL; the plaintext CNIC never reaches a masked role, the audit trail or
// the database file. Callers use API tokens (the cookie/CSRF path is tested in auth_api_test).
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/accounts.hpp"
#include "registry/crypto.hpp"
#include "server/app/api_context.hpp"
#include "server/app/api_routes.hpp"
#include "tests/app/api_test_support.hpp"
#include "tests/app/app_test_support.hpp"

namespace sahil {
namespace {

using nlohmann::json;
using test::NoMonitoring;
using Reply = test::ApiReply;
using ::testing::HasSubstr;

constexpr const char* owner_cnic = "54101-1234567-3";
constexpr const char* owner_cnic_digits = "5410112345673";

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class RegistryApi : public ::testing::Test {
protected:
    RegistryApi()
        : config(test::config_from(
              "[paths]\nregistry_db = \"" + (tmp.path() / "registry.db").string() +
                  "\"\n[registry]\npii_key_file = \"" + (tmp.path() / "pii.key").string() + "\"\n",
              tmp.path())),
          api(config, {"PK-HBR-02", "PK-HBR-05"}, registry::PasswordParams::fast_for_tests()),
          router(app::make_api_router(api, monitoring)) {
        for (const auto& [name, role, harbour] :
             {std::tuple{"root", "admin", ""}, std::tuple{"amina", "clerk", "PK-HBR-05"},
              std::tuple{"bilal", "clerk", "PK-HBR-02"}, std::tuple{"sup", "supervisor", ""},
              std::tuple{"watch", "cg_watchkeeper", ""}, std::tuple{"audit", "auditor", ""}}) {
            token[name] = make_token(name, role, harbour);
        }
    }

    std::string make_token(const std::string& name, const std::string& role,
                           const std::string& harbour) {
        const registry::Actor actor{"test", "admin", "", "test", ""};
        std::vector<std::string> harbours;
        if (!harbour.empty()) {
            harbours.push_back(harbour);
        }
        const auto user =
            api.accounts.add_user(actor, {.username = name, .role = role, .harbours = harbours});
        EXPECT_TRUE(user.ok()) << name;
        const auto t = api.accounts.create_api_token(actor, user.value->user.id, "test", {});
        EXPECT_TRUE(t.ok());
        return t.value->token;
    }

    Reply send(const std::string& who, const std::string& method, const std::string& target,
               const std::optional<json>& body = std::nullopt, const std::string& csv = {}) {
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
        r.remote_address = "192.0.2.20";
        r.headers.emplace_back("Host", "sahil.local:8617");
        if (!who.empty()) {
            r.headers.emplace_back("Authorization", "Bearer " + token.at(who));
        }
        if (body) {
            r.body = body->dump();
            r.headers.emplace_back("Content-Type", "application/json");
        } else if (!csv.empty()) {
            r.body = csv;
            r.headers.emplace_back("Content-Type", "text/csv");
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

    static json registration(const std::string& reg_no, const std::string& harbour,
                             const std::string& mmsi, const std::string& cnic) {
        return {{"vessel",
                 {{"name", "Al-Madina"},
                  {"vessel_type", "launch"},
                  {"loa_m", 14.5},
                  {"engine_kw", 90},
                  {"max_persons", 12},
                  {"home_harbour", harbour}}},
                {"identifiers",
                 {{{"scheme", "provincial_reg"}, {"value", reg_no}, {"authority", "BAL-FISH"}},
                  {{"scheme", "mmsi"}, {"value", mmsi}, {"authority", "PTA"}}}},
                {"owners",
                 {{{"party",
                    {{"name", "Abdul Ghani"},
                     {"cnic", cnic},
                     {"phone", "0300-1234567"},
                     {"address", "Ward 4, Pasni"}}},
                   {"share_pct", 100}}}},
                {"licence",
                 {{"authority", "BAL-FISH"},
                  {"licence_no", "L-" + reg_no},
                  {"kind", "artisanal"},
                  {"gear", {"gillnet"}},
                  {"valid_from", "2026-01-01"},
                  {"valid_to", "2026-12-31"}}}};
    }

    std::int64_t register_ok(const std::string& who, const json& body) {
        const Reply r = send(who, "POST", "/api/registry/vessels", body);
        EXPECT_EQ(r.status, 201u) << r.raw;
        return r.body.value("vessel_id", std::int64_t{0});
    }

    test::TempDir tmp;
    app::Config config;
    app::ApiContext api;
    NoMonitoring monitoring;
    http::Router router;
    std::map<std::string, std::string> token;
};

TEST_F(RegistryApi, clerk_registers_renews_and_corrects_a_boat_of_her_harbour) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    ASSERT_GT(id, 0);
    const Reply record = send("amina", "GET", "/api/registry/vessels/" + std::to_string(id));
    ASSERT_EQ(record.status, 200u) << record.raw;
    EXPECT_EQ(record.body["summary"]["registration_number"], "PSN-0456");
    EXPECT_EQ(record.body["parties"][0]["cnic"], owner_cnic); // her harbour: unmasked
    EXPECT_EQ(record.body["parties"][0]["pii_masked"], false);
    const auto licence_id = record.body["licences"][0]["id"].get<std::int64_t>();

    const Reply renewed =
        send("amina", "POST", "/api/registry/licences/" + std::to_string(licence_id) + "/renew",
             json{{"valid_to", "2027-12-31"}, {"reason", "fee receipt 4471"}});
    EXPECT_EQ(renewed.status, 201u) << renewed.raw;

    json changes = {{"vessel",
                     {{"name", "Al-Madina"},
                      {"vessel_type", "launch"},
                      {"loa_m", 15.2},
                      {"home_harbour", "PK-HBR-05"},
                      {"status", "active"}}},
                    {"reason", "re-measured"}};
    EXPECT_EQ(send("amina", "PUT", "/api/registry/vessels/" + std::to_string(id), changes).status,
              200u);
    // Moving the boat to another harbour's register is not a clerk's decision.
    changes["vessel"]["home_harbour"] = "PK-HBR-02";
    EXPECT_EQ(send("amina", "PUT", "/api/registry/vessels/" + std::to_string(id), changes).status,
              403u);
    // Nor is the status.
    changes["vessel"]["home_harbour"] = "PK-HBR-05";
    changes["vessel"]["status"] = "suspended";
    changes["vessel"]["status_reason"] = "x";
    EXPECT_EQ(send("amina", "PUT", "/api/registry/vessels/" + std::to_string(id), changes).status,
              403u);
}

TEST_F(RegistryApi, other_harbours_and_watch_roles_see_the_cnic_masked_only) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    for (const char* who : {"bilal", "watch", "audit", "sup"}) {
        const Reply r = send(who, "GET", "/api/registry/vessels/" + std::to_string(id));
        ASSERT_EQ(r.status, 200u) << who;
        EXPECT_EQ(r.body["parties"][0]["cnic"], "54101-*******-3") << who;
        EXPECT_EQ(r.body["parties"][0]["address"], "(withheld)") << who;
        EXPECT_EQ(r.raw.find(owner_cnic_digits), std::string::npos) << who;
        EXPECT_EQ(r.raw.find("1234567"), std::string::npos) << who;
        EXPECT_EQ(r.raw.find("Ward 4"), std::string::npos) << who;
    }
    const Reply admin = send("root", "GET", "/api/registry/vessels/" + std::to_string(id));
    EXPECT_EQ(admin.body["parties"][0]["cnic"], owner_cnic);
    // Bilal (Gwadar) may not write for a Pasni boat, and may not register one either.
    EXPECT_EQ(send("bilal", "POST", "/api/registry/vessels/" + std::to_string(id) + "/transponders",
                   json{{"kind", "ais_class_b"}})
                  .status,
              403u);
    EXPECT_EQ(send("bilal", "POST", "/api/registry/vessels",
                   registration("PSN-0457", "PK-HBR-05", "463100457", "54101-7654321-1"))
                  .status,
              403u);
}

TEST_F(RegistryApi, cnic_search_is_a_post_and_is_audited_with_the_cnic_masked) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const Reply in_url =
        send("amina", "GET", std::string("/api/registry/search?q=") + owner_cnic_digits);
    EXPECT_EQ(in_url.status, 422u);
    EXPECT_THAT(in_url.raw, HasSubstr("POST /api/registry/search/cnic"));
    EXPECT_EQ(send("amina", "GET", "/api/registry/search?q=54101 1234567 3").status, 422u);
    const Reply hit = send("watch", "POST", "/api/registry/search/cnic",
                           json{{"cnic", owner_cnic}, {"reason", "boarding report 17"}});
    ASSERT_EQ(hit.status, 200u) << hit.raw;
    ASSERT_EQ(hit.body["hits"].size(), 1u);
    EXPECT_EQ(hit.body["hits"][0]["vessel_id"], id);
    // Ordinary search: name, registration number, MMSI.
    EXPECT_EQ(send("watch", "GET", "/api/registry/search?q=madina").body["hits"][0]["vessel_id"],
              id);
    EXPECT_EQ(send("watch", "GET", "/api/registry/search?q=463100456").body["hits"][0]["matched"],
              "mmsi");
    // The audit trail has the search, masked, and nothing in it holds the plaintext.
    const Reply audit = send("audit", "GET", "/api/admin/audit?limit=200");
    ASSERT_EQ(audit.status, 200u);
    EXPECT_THAT(audit.raw, HasSubstr("pii.search"));
    EXPECT_THAT(audit.raw, HasSubstr("54101-*******-3"));
    EXPECT_EQ(audit.raw.find(owner_cnic_digits), std::string::npos);
    EXPECT_EQ(audit.raw.find(owner_cnic), std::string::npos);
}

TEST_F(RegistryApi, the_database_file_and_the_log_never_hold_the_plaintext_cnic_or_phone) {
    test::LogCapture logs;
    register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    // Failures are logged too: a refused write and a bad form carrying the CNIC.
    send("bilal", "POST", "/api/registry/vessels",
         registration("PSN-0457", "PK-HBR-05", "463100457", owner_cnic));
    send("amina", "POST", "/api/registry/vessels",
         registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    send("watch", "POST", "/api/registry/search/cnic", json{{"cnic", owner_cnic}});
    const std::string logged = logs.text();
    EXPECT_FALSE(logged.empty()); // the refused write is logged
    for (const char* secret : {owner_cnic_digits, owner_cnic, "3001234567", "0300-1234567"}) {
        EXPECT_EQ(logged.find(secret), std::string::npos) << secret << " in the log:\n" << logged;
    }
    {
        std::lock_guard lock(api.mutex);
        api.db.handle().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    for (const auto& entry : std::filesystem::directory_iterator(tmp.path())) {
        if (entry.path().filename().string().rfind("registry.db", 0) != 0) {
            continue;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        const std::string bytes = s.str();
        for (const char* secret : {owner_cnic_digits, owner_cnic, "3001234567"}) {
            EXPECT_EQ(bytes.find(secret), std::string::npos)
                << secret << " in " << entry.path().filename();
        }
    }
}

TEST_F(RegistryApi, supervisors_suspend_and_clerks_cannot) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const auto lic = send("amina", "GET", "/api/registry/vessels/" + std::to_string(id))
                         .body["licences"][0]["id"]
                         .get<std::int64_t>();
    const std::string path = "/api/registry/licences/" + std::to_string(lic) + "/suspend";
    EXPECT_EQ(send("amina", "POST", path, json{{"reason", "x"}}).status, 403u);
    const Reply no_reason = send("sup", "POST", path, json::object());
    EXPECT_EQ(no_reason.status, 422u);
    EXPECT_EQ(no_reason.body["errors"][0]["field"], "reason");
    EXPECT_EQ(send("sup", "POST", path, json{{"reason", "order 12/2026"}}).status, 200u);
    EXPECT_EQ(send("sup", "POST", path, json{{"reason", "again"}}).status, 409u); // wrong_state
    const Reply record = send("watch", "GET", "/api/registry/vessels/" + std::to_string(id));
    EXPECT_EQ(record.body["summary"]["licence_status"], "suspended");
}

TEST_F(RegistryApi, bad_forms_get_every_field_named_and_unknown_members_refused) {
    json body = registration("PSN-0456", "PK-HBR-05", "970123456", "5410");
    body["vessel"]["id"] = 99;            // mass assignment attempt
    body["vessel"]["loa_m"] = "fourteen"; // wrong type
    const Reply r = send("amina", "POST", "/api/registry/vessels", body);
    EXPECT_EQ(r.status, 422u);
    EXPECT_EQ(r.body["error"], "validation_failed");
    EXPECT_THAT(r.raw, HasSubstr("vessel.id"));
    EXPECT_THAT(r.raw, HasSubstr("vessel.loa_m"));
    const Reply unknown_harbour =
        send("root", "POST", "/api/registry/vessels",
             registration("PSN-0456", "PK-HBR-99", "463100456", owner_cnic));
    EXPECT_EQ(unknown_harbour.status, 422u);
    EXPECT_THAT(unknown_harbour.raw, HasSubstr("vessel.home_harbour"));
    const Reply bad_values = send("root", "POST", "/api/registry/vessels",
                                  registration("PSN-0456", "PK-HBR-05", "970123456", "5410"));
    EXPECT_EQ(bad_values.status, 422u);
    EXPECT_THAT(bad_values.raw, HasSubstr("identifiers[1].value"));
    EXPECT_THAT(bad_values.raw, HasSubstr("owners[0].party.cnic"));
    // Duplicates are 409 and name the holder.
    register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const Reply dup = send("amina", "POST", "/api/registry/vessels",
                           registration("PSN-0456", "PK-HBR-05", "463100999", "54101-7654321-1"));
    EXPECT_EQ(dup.status, 409u);
    EXPECT_THAT(dup.raw, HasSubstr("PSN-0456"));
    // Untrusted text stays data: a name with markup comes back as the same JSON string.
    json markup = registration("PSN-0999", "PK-HBR-05", "463100998", "54101-1111111-1");
    markup["vessel"]["name"] = "<script>alert(1)</script>";
    const auto id = register_ok("amina", markup);
    const Reply back = send("watch", "GET", "/api/registry/vessels/" + std::to_string(id));
    EXPECT_EQ(back.body["vessel"]["name"], "<script>alert(1)</script>");
}

TEST_F(RegistryApi, second_claimant_of_an_mmsi_gets_a_conflict_for_the_supervisor) {
    register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const Reply second =
        send("bilal", "POST", "/api/registry/vessels",
             registration("GWD-0001", "PK-HBR-02", "463100456", "54101-7654321-1"));
    ASSERT_EQ(second.status, 201u) << second.raw;
    ASSERT_EQ(second.body["conflicts_opened"].size(), 1u);
    const Reply open = send("sup", "GET", "/api/registry/conflicts");
    ASSERT_EQ(open.body["conflicts"].size(), 1u);
    const auto cid = open.body["conflicts"][0]["id"].get<std::int64_t>();
    EXPECT_EQ(send("amina", "POST", "/api/registry/conflicts/" + std::to_string(cid) + "/resolve",
                   json{{"resolution", "kept_holder"}, {"note", "x"}})
                  .status,
              403u);
    EXPECT_EQ(send("sup", "POST", "/api/registry/conflicts/" + std::to_string(cid) + "/resolve",
                   json{{"resolution", "kept_holder"}, {"note", "AIS set checked at Pasni"}})
                  .status,
              200u);
    EXPECT_TRUE(send("sup", "GET", "/api/registry/conflicts").body["conflicts"].empty());
}

TEST_F(RegistryApi, csv_import_is_checked_first_and_limited_to_the_clerks_harbours) {
    const std::string csv =
        read_file(std::filesystem::path(SAHIL_SOURCE_DIR) / "config/examples/registry-import.csv");
    ASSERT_FALSE(csv.empty());
    EXPECT_EQ(send("amina", "POST", "/api/registry/import", json::object()).status, 415u);
    // Amina keeps Pasni's register: the four rows of other harbours are errors, nothing stored.
    const Reply clerk = send("amina", "POST", "/api/registry/import?dry_run=0", std::nullopt, csv);
    EXPECT_EQ(clerk.status, 422u) << clerk.raw;
    EXPECT_EQ(clerk.body["applied"], false);
    EXPECT_EQ(clerk.body["rows_read"], 5);
    EXPECT_EQ(clerk.body["rows_with_errors"], 4);
    EXPECT_THAT(clerk.raw, HasSubstr("home_harbour"));
    EXPECT_TRUE(send("root", "GET", "/api/registry/vessels").body["vessels"].empty());
    // An administrator checks, then applies.
    const Reply dry = send("root", "POST", "/api/registry/import", std::nullopt, csv);
    ASSERT_EQ(dry.status, 200u) << dry.raw;
    EXPECT_EQ(dry.body["dry_run"], true);
    EXPECT_EQ(dry.body["rows_valid"], 5);
    EXPECT_TRUE(send("root", "GET", "/api/registry/vessels").body["vessels"].empty());
    const Reply applied =
        send("root", "POST", "/api/registry/import?dry_run=0&reason=census", std::nullopt, csv);
    ASSERT_EQ(applied.status, 200u) << applied.raw;
    EXPECT_EQ(applied.body["applied"], true);
    EXPECT_EQ(send("root", "GET", "/api/registry/vessels").body["vessels"].size(), 5u);
}

TEST_F(RegistryApi, exports_are_masked_unless_an_allowed_role_asks_with_a_reason) {
    register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const Reply masked = send("audit", "GET", "/api/registry/export.csv");
    ASSERT_EQ(masked.status, 200u) << masked.raw;
    EXPECT_THAT(masked.content_type, HasSubstr("text/csv"));
    EXPECT_THAT(masked.raw, HasSubstr("54101-*******-3"));
    EXPECT_EQ(masked.raw.find(owner_cnic_digits), std::string::npos);
    EXPECT_EQ(masked.raw.find(owner_cnic), std::string::npos);
    EXPECT_EQ(send("audit", "GET", "/api/registry/export.csv?pii=1&reason=x").status, 403u);
    EXPECT_EQ(
        send("bilal", "GET", "/api/registry/export.csv?pii=1&harbour=PK-HBR-05&reason=x").status,
        403u);
    EXPECT_EQ(send("amina", "GET", "/api/registry/export.csv?pii=1&harbour=PK-HBR-05").status,
              422u); // reason missing
    const Reply full =
        send("amina", "GET", "/api/registry/export.csv?pii=1&harbour=PK-HBR-05&reason=letter-77");
    ASSERT_EQ(full.status, 200u);
    EXPECT_THAT(full.raw, HasSubstr(owner_cnic));
    EXPECT_THAT(send("audit", "GET", "/api/admin/audit?limit=50").raw,
                HasSubstr("registry.export_pii"));
}

TEST_F(RegistryApi, certificate_is_printable_and_verifiable_by_its_code) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const std::string path = "/api/registry/vessels/" + std::to_string(id) + "/certificate";
    EXPECT_EQ(send("bilal", "POST", path).status, 403u);
    const Reply cert = send("amina", "POST", path);
    ASSERT_EQ(cert.status, 201u) << cert.raw;
    EXPECT_THAT(cert.content_type, HasSubstr("text/html"));
    EXPECT_THAT(cert.raw, HasSubstr("PSN-0456"));
    EXPECT_THAT(cert.raw, HasSubstr("54101-*******-3"));
    EXPECT_EQ(cert.raw.find(owner_cnic_digits), std::string::npos);
    const std::string code = cert.header("X-Verification-Code");
    ASSERT_EQ(code.size(), 8u);
    const Reply check = send("watch", "GET", "/api/registry/certificates/" + code);
    ASSERT_EQ(check.status, 200u) << check.raw;
    EXPECT_EQ(check.body["registration_number"], "PSN-0456");
    EXPECT_EQ(send("watch", "GET", "/api/registry/certificates/ZZZZZZZZ").status, 404u);
}

} // namespace
} // namespace sahil

namespace sahil {
namespace {

/// The smallest valid PNG (1 x 1 pixel, RGBA), byte for byte.
const std::string tiny_png = [] {
    const unsigned char bytes[] = {
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
        0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
        0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
        0x9c, 0x63, 0xf8, 0x0f, 0x00, 0x00, 0x01, 0x01, 0x00, 0x05, 0x18, 0xd8, 0x4e, 0x00,
        0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    };
    return std::string(reinterpret_cast<const char*>(bytes), sizeof bytes);
}();

TEST_F(RegistryApi, photos_are_checked_stored_by_hash_and_served_back) {
    const auto id =
        register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    const std::string base = "/api/registry/vessels/" + std::to_string(id) + "/photos";
    const auto upload = [&](const std::string& who, const std::string& target,
                            const std::string& type, const std::string& bytes) {
        http::Request r;
        r.method = "POST";
        r.target = target;
        r.path = target.substr(0, target.find('?'));
        if (target.find("view=") != std::string::npos) {
            r.query["view"] = target.substr(target.find("view=") + 5);
        }
        r.headers = {{"Host", "sahil.local:8617"},
                     {"Authorization", "Bearer " + token.at(who)},
                     {"Content-Type", type}};
        r.body = bytes;
        std::optional<http::Response> out;
        router.dispatch(std::move(r), [&](http::Response resp) { out = std::move(resp); });
        return out ? *out : http::Response{};
    };
    // A script disguised as a photo, a JPEG header on a PNG, an unknown view: refused.
    EXPECT_EQ(upload("amina", base + "?view=port", "image/png", "<svg onload=alert(1)>").status,
              422u);
    EXPECT_EQ(upload("amina", base + "?view=port", "image/jpeg", tiny_png).status, 422u);
    EXPECT_EQ(upload("amina", base + "?view=../../etc", "image/png", tiny_png).status, 422u);
    EXPECT_EQ(upload("amina", base + "?view=port", "image/svg+xml", tiny_png).status, 415u);
    EXPECT_EQ(upload("bilal", base + "?view=port", "image/png", tiny_png).status, 403u);
    const http::Response ok = upload("amina", base + "?view=port", "image/png", tiny_png);
    ASSERT_EQ(ok.status, 201u) << ok.body;
    const json photo = json::parse(ok.body);
    EXPECT_EQ(photo["bytes"], tiny_png.size());
    EXPECT_EQ(photo["sha256"], registry::sha256_hex(tiny_png));
    EXPECT_TRUE(std::filesystem::exists(tmp.path() / "../var/photos" /
                                        (photo["sha256"].get<std::string>() + ".png")) ||
                std::filesystem::exists(config.registry.photo_dir /
                                        (photo["sha256"].get<std::string>() + ".png")));
    EXPECT_EQ(upload("amina", base + "?view=bow", "image/png", tiny_png).status, 409u);
    const Reply list = send("watch", "GET", base);
    ASSERT_EQ(list.body["photos"].size(), 1u);
    const Reply back = send("watch", "GET", list.body["photos"][0]["url"].get<std::string>());
    EXPECT_EQ(back.status, 200u);
    EXPECT_EQ(back.content_type, "image/png");
    EXPECT_EQ(back.raw, tiny_png);
}

} // namespace
} // namespace sahil

// Regression tests for what the first clerk trial found (2026-11-29).
namespace sahil {
namespace {

TEST_F(RegistryApi, a_clerks_bad_body_is_named_as_such_not_refused_as_forbidden) {
    // The route is authorised by the harbour in the body; a body without one used to get 403.
    const auto status_of = [&](const std::string& raw, const std::string& type) {
        http::Request r;
        r.method = "POST";
        r.target = r.path = "/api/registry/vessels";
        r.headers = {{"Host", "sahil.local:8617"},
                     {"Authorization", "Bearer " + token.at("amina")},
                     {"Content-Type", type}};
        r.body = raw;
        unsigned status = 0;
        router.dispatch(std::move(r), [&](http::Response resp) { status = resp.status; });
        return status;
    };
    EXPECT_EQ(status_of("{not json", "application/json"), 400u);
    EXPECT_EQ(status_of("[1,2]", "application/json"), 400u);
    EXPECT_EQ(status_of("name=x", "application/x-www-form-urlencoded"), 415u);
    EXPECT_EQ(status_of("{}", "application/json"), 422u);
    EXPECT_EQ(status_of(R"({"vessel":{"name":"X"}})", "application/json"), 422u);
    // A real other-harbour registration is still refused.
    EXPECT_EQ(send("amina", "POST", "/api/registry/vessels",
                   registration("GWD-0009", "PK-HBR-02", "463100009", "54101-7654321-1"))
                  .status,
              403u);
}

TEST_F(RegistryApi, the_address_is_withheld_from_masked_exports_and_the_audit_trail) {
    register_ok("amina", registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic));
    EXPECT_EQ(send("sup", "GET", "/api/registry/export.csv").raw.find("Ward 4"), std::string::npos);
    EXPECT_EQ(send("audit", "GET", "/api/admin/audit?limit=200").raw.find("Ward 4"),
              std::string::npos);
    EXPECT_THAT(
        send("amina", "GET", "/api/registry/export.csv?pii=1&harbour=PK-HBR-05&reason=letter-9")
            .raw,
        HasSubstr("Ward 4, Pasni"));
}

TEST_F(RegistryApi, an_ended_licence_reads_expired_and_a_renewal_prints_from_the_first_day) {
    json lapsed = registration("PSN-0456", "PK-HBR-05", "463100456", owner_cnic);
    lapsed["licence"]["valid_from"] = "2024-01-01";
    lapsed["licence"]["valid_to"] = "2024-12-31";
    const auto old_id = register_ok("amina", lapsed);
    const Reply old_record =
        send("amina", "GET", "/api/registry/vessels/" + std::to_string(old_id));
    EXPECT_EQ(old_record.body["summary"]["licence_status"], "expired");
    EXPECT_EQ(old_record.body["licences"][0]["status"], "expired");
    EXPECT_EQ(send("amina", "GET", "/api/registry/vessels").body["vessels"][0]["licence_status"],
              "expired");

    // A licence renewed before it ends: the certificate shows the whole run of validity.
    json current = registration("PSN-0457", "PK-HBR-05", "463100457", "54101-7654321-1");
    current["licence"]["valid_from"] = "2026-01-01";
    current["licence"]["valid_to"] = "2099-12-31";
    const auto id = register_ok("amina", current);
    const auto lic = send("amina", "GET", "/api/registry/vessels/" + std::to_string(id))
                         .body["licences"][0]["id"]
                         .get<std::int64_t>();
    ASSERT_EQ(send("amina", "POST", "/api/registry/licences/" + std::to_string(lic) + "/renew",
                   json{{"valid_to", "2100-12-31"}, {"reason", "fee"}})
                  .status,
              201u);
    const Reply cert =
        send("amina", "POST", "/api/registry/vessels/" + std::to_string(id) + "/certificate");
    ASSERT_EQ(cert.status, 201u);
    EXPECT_THAT(cert.raw, HasSubstr("01-01-2026 \u2013 31-12-2100"));
    EXPECT_THAT(cert.raw, HasSubstr("/api/registry/certificates/"));
    EXPECT_EQ(send("amina", "GET", "/api/registry/vessels/99999999999999999999").status, 404u);
}

} // namespace
} // namespace sahil

// Registration certificates on :memory: — issue (row, audit, page hash), verification by code as
// a patrol officer types it, withdrawal by a newer certificate, licence expiry, and the page:
// A4, English and Urdu, HTML escaping, masked CNIC only, no external resources.
// Set SAHIL_CERTIFICATE_SAMPLE=/path/file.html to also write a sample page for a browser.
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <SQLiteCpp/Statement.h>

#include "registry/audit.hpp"
#include "registry/certificate.hpp"
#include "registry/crypto.hpp"
#include "registry/database.hpp"
#include "registry/vessel_registry.hpp"

namespace sahil::registry {
namespace {

using namespace std::chrono;
using testing::HasSubstr;
using testing::Not;

constexpr auto fixed_now = sys_days{year{2026} / 3 / 10} + hours{9} + minutes{15};

const Actor clerk{"sadia.baloch", "clerk", "PK-HBR-02", "10.0.0.7", "req-3"};

Registration al_madina() {
    Registration r;
    r.vessel = Vessel{.name = "Al-Madina",
                      .vessel_type = "launch",
                      .hull_material = "wood",
                      .loa_m = 14.5,
                      .engine_kw = 90,
                      .max_persons = 12,
                      .build_year = 2016,
                      .home_harbour = "PK-HBR-02",
                      .hull_colour = "blue and white"};
    r.identifiers = {
        Identifier{.scheme = "provincial_reg", .value = "GWD-1234", .authority = "BAL-FISH"},
        Identifier{.scheme = "mmsi", .value = "463123456", .authority = "PTA"},
        Identifier{.scheme = "call_sign", .value = "AP4521", .authority = "PTA"}};
    r.owners = {OwnerInput{.party = Party{.name = "Abdul Ghani",
                                          .father_or_husband_name = "Muhammad Bakhsh",
                                          .cnic = "54101-1234567-3",
                                          .phone = "0300-7654321",
                                          .address = "Mulla Band, Gwadar"},
                           .share_pct = 60},
                OwnerInput{.party = Party{.name = "عبدالکریم",
                                          .father_or_husband_name = "غلام رسول",
                                          .cnic = "54102-7654321-9"},
                           .share_pct = 40}};
    r.licence = Licence{.authority = "BAL-FISH",
                        .licence_no = "BAL-GWD-L-0091",
                        .kind = "artisanal",
                        .gear = {"gillnet", "handline"},
                        .valid_from = "2026-01-01",
                        .valid_to = "2026-12-31",
                        .night_fishing = true};
    return r;
}

class CertificateTest : public testing::Test {
protected:
    CertificateTest()
        : m_key(MasterKey::generate()), m_cipher(m_key), m_index(m_key),
          m_registry(m_db, IdentifierRules{}, &m_cipher, &m_index, [this] { return m_now; }) {}

    std::int64_t register_boat(const Registration& r) {
        const auto out = m_registry.register_vessel(clerk, r);
        EXPECT_TRUE(out.ok()) << (out.errors.empty()
                                      ? ""
                                      : out.errors[0].field + ": " + out.errors[0].message);
        return out.ok() ? out.value->vessel_id : 0;
    }

    Certificate issue(std::int64_t id, const CertificateOptions& options = {}) {
        auto out = issue_certificate(m_registry, clerk, id, options);
        EXPECT_TRUE(out.ok());
        return out.ok() ? *out.value : Certificate{};
    }

    sys_seconds m_now{fixed_now};
    Database m_db{":memory:"};
    MasterKey m_key;
    PiiCipher m_cipher;
    BlindIndex m_index;
    VesselRegistry m_registry;
};

TEST_F(CertificateTest, issue_records_the_certificate_and_audits_it) {
    const std::int64_t id = register_boat(al_madina());
    const std::int64_t audit_before = AuditLog(m_db).count();
    const Certificate cert = issue(id);
    EXPECT_TRUE(std::regex_match(cert.code, std::regex("[0-9A-HJKMNP-TV-Z]{8}"))) << cert.code;
    EXPECT_EQ(cert.vessel_id, id);
    EXPECT_EQ(cert.issued_at, "2026-03-10T09:15:00Z");
    EXPECT_EQ(cert.content_sha256, sha256_hex(cert.html));

    SQLite::Statement q(m_db.handle(), "SELECT vessel_id, issued_at, issued_by, content_sha256, "
                                       "withdrawn FROM certificates WHERE code = ?");
    q.bind(1, cert.code);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt64(), id);
    EXPECT_EQ(q.getColumn(1).getString(), "2026-03-10T09:15:00Z");
    EXPECT_EQ(q.getColumn(2).getString(), "sadia.baloch");
    EXPECT_EQ(q.getColumn(3).getString(), cert.content_sha256);
    EXPECT_EQ(q.getColumn(4).getInt(), 0);

    AuditLog audit(m_db);
    EXPECT_EQ(audit.count(), audit_before + 1);
    const auto last = audit.list({.limit = 1});
    ASSERT_EQ(last.size(), 1u);
    EXPECT_EQ(last[0].event.action, "certificate.issue");
    EXPECT_EQ(last[0].event.entity, "certificate");
    EXPECT_EQ(last[0].event.entity_id, cert.code);
    EXPECT_THAT(last[0].event.after_json.value_or(""), HasSubstr(cert.content_sha256));
    EXPECT_EQ(last[0].actor.user, "sadia.baloch");
    EXPECT_TRUE(audit.verify().ok());
}

TEST_F(CertificateTest, unknown_vessel_is_not_found_and_writes_nothing) {
    const auto out = issue_certificate(m_registry, clerk, 99);
    EXPECT_EQ(out.code, ErrorCode::not_found);
    EXPECT_EQ(AuditLog(m_db).count(), 0);
}

TEST_F(CertificateTest, verifies_by_code_as_typed) {
    const std::int64_t id = register_boat(al_madina());
    const Certificate cert = issue(id);
    const std::string lower = [&] {
        std::string s = cert.code;
        for (char& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return s;
    }();
    const sys_days today = year{2026} / 6 / 1;
    for (const std::string& typed : {cert.code, lower, format_verification_code(cert.code),
                                     " " + lower.substr(0, 4) + " - " + lower.substr(4) + " "}) {
        const auto check = verify_certificate(m_db, typed, today);
        ASSERT_TRUE(check.has_value()) << typed;
        EXPECT_EQ(check->code, cert.code);
        EXPECT_EQ(check->vessel_id, id);
        EXPECT_EQ(check->vessel_name, "Al-Madina");
        EXPECT_EQ(check->registration_number, "GWD-1234");
        EXPECT_EQ(check->home_harbour, "PK-HBR-02");
        EXPECT_EQ(check->vessel_status, "active");
        EXPECT_EQ(check->licence_no, "BAL-GWD-L-0091");
        EXPECT_EQ(check->licence_status, "active");
        EXPECT_EQ(check->licence_valid_to, "2026-12-31");
        EXPECT_EQ(check->issued_at, "2026-03-10T09:15:00Z");
        EXPECT_FALSE(check->withdrawn);
        EXPECT_TRUE(check->valid());
    }
    EXPECT_EQ(format_verification_code(cert.code).size(), 9u);
    EXPECT_EQ(format_verification_code(cert.code)[4], '-');
}

TEST_F(CertificateTest, unknown_or_malformed_codes_verify_to_nothing) {
    const std::int64_t id = register_boat(al_madina());
    const Certificate cert = issue(id);
    // A valid-looking code that was never issued (change one character).
    std::string other = cert.code;
    other[0] = other[0] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_certificate(m_db, other).has_value());
    EXPECT_FALSE(verify_certificate(m_db, "").has_value());
    EXPECT_FALSE(verify_certificate(m_db, cert.code.substr(0, 7)).has_value());
    EXPECT_FALSE(verify_certificate(m_db, cert.code + "0").has_value());
    EXPECT_FALSE(verify_certificate(m_db, "7KQ3M9X!").has_value());
    EXPECT_FALSE(verify_certificate(m_db, "' OR 1=1 --").has_value());
}

TEST_F(CertificateTest, crockford_look_alikes_are_read_as_digits) {
    EXPECT_EQ(normalise_verification_code("oi1l-abcd"), "0111ABCD");
    EXPECT_EQ(normalise_verification_code("7kq3 m9xd"), "7KQ3M9XD");
    EXPECT_FALSE(normalise_verification_code("7KQ3M9XU").has_value()); // U is not in the alphabet
}

TEST_F(CertificateTest, a_newer_certificate_withdraws_the_older_one) {
    const std::int64_t id = register_boat(al_madina());
    const Certificate first = issue(id);
    m_now += hours{1};
    const Certificate second = issue(id);
    EXPECT_NE(first.code, second.code);
    const auto old_check = verify_certificate(m_db, first.code);
    ASSERT_TRUE(old_check.has_value());
    EXPECT_TRUE(old_check->withdrawn);
    EXPECT_FALSE(old_check->valid());
    const auto new_check = verify_certificate(m_db, second.code);
    ASSERT_TRUE(new_check.has_value());
    EXPECT_FALSE(new_check->withdrawn);
    EXPECT_EQ(new_check->issued_at, "2026-03-10T10:15:00Z");
}

TEST_F(CertificateTest, verification_shows_the_licence_as_it_is_now) {
    const std::int64_t id = register_boat(al_madina());
    const Certificate cert = issue(id);
    // After the licence's last day the paper no longer lets the boat fish.
    const auto later = verify_certificate(m_db, cert.code, year{2027} / 1 / 1);
    ASSERT_TRUE(later.has_value());
    EXPECT_EQ(later->licence_status, "expired");
    EXPECT_FALSE(later->valid());
    // Suspended by a supervisor after the certificate was printed.
    const auto record = m_registry.get(id, false);
    ASSERT_TRUE(m_registry
                    .set_licence_status(clerk, record->licences[0].id, "suspended",
                                        "closed-season violation")
                    .ok());
    const auto suspended = verify_certificate(m_db, cert.code, year{2026} / 6 / 1);
    ASSERT_TRUE(suspended.has_value());
    EXPECT_EQ(suspended->licence_status, "suspended");
    EXPECT_FALSE(suspended->valid());
}

TEST_F(CertificateTest, page_is_a4_bilingual_and_self_contained) {
    const Certificate cert =
        issue(register_boat(al_madina()),
              {.verify_base_url = "https://sahil.example.gov.pk", .harbour_name = "Gwadar"});
    const std::string& html = cert.html;
    EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
    EXPECT_THAT(html, HasSubstr("@page { size: A4; margin: 15mm; }"));
    EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
    // Both languages; Urdu in rtl blocks with a Nastaliq font stack.
    EXPECT_THAT(html, HasSubstr("Certificate of Registration of Fishing Boat"));
    EXPECT_THAT(html, HasSubstr("ماہی گیری کشتی کی رجسٹریشن کا سرٹیفکیٹ"));
    EXPECT_THAT(html, HasSubstr("lang=\"ur\" dir=\"rtl\""));
    EXPECT_THAT(html, HasSubstr("'Noto Nastaliq Urdu', 'Jameel Noori Nastaleeq'"));
    for (const char* label :
         {"رجسٹریشن نمبر", "کشتی کا نام", "مالکان", "لائسنس", "درست تا", "بندرگاہ", "تصدیقی کوڈ"}) {
        EXPECT_THAT(html, HasSubstr(label));
    }
    // The record's values.
    for (const char* value : {"GWD-1234",
                              "Al-Madina",
                              "Launch",
                              "Wood",
                              "14.5 m",
                              "90 kW",
                              "Gwadar (PK-HBR-02)",
                              "463123456",
                              "AP4521",
                              "Abdul Ghani",
                              "Muhammad Bakhsh",
                              "60 %",
                              "40 %",
                              "BAL-GWD-L-0091",
                              "01-01-2026",
                              "31-12-2026",
                              "gillnet, handline",
                              "10-03-2026",
                              "sadia.baloch",
                              "Fisheries and Coastal Development Department, Balochistan"}) {
        EXPECT_THAT(html, HasSubstr(value));
    }
    EXPECT_THAT(html, HasSubstr("<td class=\"v\"><bdi>Yes</bdi></td>")); // night fishing
    // The code in large print and the verification path.
    EXPECT_THAT(html, HasSubstr(format_verification_code(cert.code)));
    EXPECT_THAT(html,
                HasSubstr("https://sahil.example.gov.pk/api/registry/certificates/" + cert.code));
    if (certificate_qr_available()) {
        EXPECT_THAT(html, HasSubstr("<svg class=\"qr\""));
    }
    // Nothing fetched or run: no scripts, links, external images or fonts.
    for (const char* forbidden : {"<script", "<link", "<img", "<iframe", "src=", "href=", "url(",
                                  "@import", "javascript:"}) {
        EXPECT_THAT(html, Not(HasSubstr(forbidden))) << forbidden;
    }
}

TEST_F(CertificateTest, page_shows_masked_cnic_only) {
    const Certificate cert = issue(register_boat(al_madina()));
    EXPECT_THAT(cert.html, HasSubstr("54101-*******-3"));
    EXPECT_THAT(cert.html, HasSubstr("54102-*******-9"));
    for (const char* secret :
         {"5410112345673", "54101-1234567-3", "1234567", "7654321", "923007654321"}) {
        EXPECT_THAT(cert.html, Not(HasSubstr(secret))) << secret;
    }
}

TEST_F(CertificateTest, every_value_is_html_escaped) {
    Registration r = al_madina();
    r.vessel.name = "<script>alert(\"x\")</script> & Sons";
    r.vessel.hull_colour = "red' onmouseover='x";
    r.owners[0].party->name = "Ghani <b>\"Sahib\"</b>";
    const Certificate cert = issue(register_boat(r), {.harbour_name = "Gwadar & \"Pishukan\""});
    EXPECT_THAT(cert.html, Not(HasSubstr("<script")));
    EXPECT_THAT(cert.html, Not(HasSubstr("<b>\"Sahib")));
    EXPECT_THAT(cert.html,
                HasSubstr("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons"));
    EXPECT_THAT(cert.html, HasSubstr("red&#39; onmouseover=&#39;x"));
    EXPECT_THAT(cert.html, HasSubstr("Ghani &lt;b&gt;&quot;Sahib&quot;&lt;/b&gt;"));
    EXPECT_THAT(cert.html, HasSubstr("Gwadar &amp; &quot;Pishukan&quot;"));
    // Urdu text passes through unchanged (it needs no escaping).
    EXPECT_THAT(cert.html, HasSubstr("عبدالکریم"));
    EXPECT_THAT(cert.html, HasSubstr("غلام رسول"));
    EXPECT_EQ(html_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
}

TEST_F(CertificateTest, a_boat_without_licence_or_identifiers_still_renders) {
    VesselRecord record;
    record.vessel = Vessel{.name = "Noor", .vessel_type = "hora", .home_harbour = "PK-HBR-05"};
    const std::string html = render_certificate_html(
        record, CertificateInfo{
                    .code = "7KQ3M9XD", .issued_at = "2026-03-10T09:15:00Z", .issued_by = "clerk"});
    EXPECT_THAT(html, HasSubstr("No licence on file"));
    EXPECT_THAT(html, HasSubstr("7KQ3-M9XD"));
    EXPECT_THAT(html, HasSubstr("/api/registry/certificates/7KQ3M9XD"));
    EXPECT_THAT(html, HasSubstr("</html>"));
}

TEST_F(CertificateTest, writes_a_sample_page_when_asked) {
    const char* path = std::getenv("SAHIL_CERTIFICATE_SAMPLE");
    if (path == nullptr || *path == '\0') {
        GTEST_SKIP() << "set SAHIL_CERTIFICATE_SAMPLE=/path/sample.html to write a sample";
    }
    Registration r = al_madina();
    r.vessel.name = "Al-Madina <& \"Noor\">";
    const Certificate cert =
        issue(register_boat(r), {.verify_base_url = "https://sahil.example.gov.pk",
                                 .harbour_name = "Gwadar",
                                 .issued_by_name = "Sadia Baloch"});
    std::ofstream out(path, std::ios::binary);
    out << cert.html;
    ASSERT_TRUE(out.good()) << path;
}

} // namespace
} // namespace sahil::registry

#include "registry/certificate.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#ifndef SAHIL_HAVE_QRENCODE
#define SAHIL_HAVE_QRENCODE 0 // set by registry/CMakeLists.txt when libqrencode is found
#endif
#if SAHIL_HAVE_QRENCODE
#include <qrencode.h>
#endif

#include "registry/crypto.hpp"
#include "registry/identifiers.hpp"
#include "registry/validation.hpp"
#include "registry/vessel_registry.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {
namespace {

constexpr std::string_view dash = "\xE2\x80\x94"; // —, for a value not recorded

/// "2026-03-10" or "2026-03-10T09:15:00Z" -> "10-03-2026" (how clerks write dates, §2.2).
std::string display_date(std::string_view iso) {
    if (iso.size() < 10 || !parse_iso_date(iso.substr(0, 10))) {
        return std::string(iso);
    }
    return fmt::format("{}-{}-{}", iso.substr(8, 2), iso.substr(5, 2), iso.substr(0, 4));
}

std::string display_type(std::string_view code) {
    static constexpr std::pair<std::string_view, std::string_view> names[] = {
        {"launch", "Launch"},
        {"hora", "Hora"},
        {"yakdar", "Yakdar"},
        {"speedboat", "Speedboat"},
        {"gillnetter", "Gillnetter"},
        {"trawler", "Trawler"},
        {"longliner", "Longliner"},
        {"purse_seiner", "Purse seiner"},
        {"dhow", "Dhow"},
        {"carrier", "Carrier"},
        {"other", "Other"},
        {"wood", "Wood"},
        {"grp", "GRP (fibreglass)"},
        {"steel", "Steel"},
        {"aluminium", "Aluminium"},
        {"ferro_cement", "Ferro-cement"}};
    for (const auto& [key, name] : names) {
        if (key == code) {
            return std::string(name);
        }
    }
    return std::string(code);
}

std::string number_or_dash(const std::optional<double>& v, std::string_view unit) {
    return v ? fmt::format("{} {}", *v, unit) : std::string(dash);
}

std::string text_or_dash(std::string_view v) {
    return v.empty() ? std::string(dash) : std::string(v);
}

const Identifier* current_identifier(const VesselRecord& r, std::string_view scheme) {
    const auto it =
        std::find_if(r.identifiers.begin(), r.identifiers.end(),
                     [&](const Identifier& i) { return i.scheme == scheme && i.valid_to.empty(); });
    return it == r.identifiers.end() ? nullptr : &*it;
}

const Identifier* registration_identifier(const VesselRecord& r) {
    for (std::string_view scheme : {"provincial_reg", "official_number", "fishing_licence_no"}) {
        if (const Identifier* id = current_identifier(r, scheme)) {
            return id;
        }
    }
    return nullptr;
}

const Licence* current_licence(const VesselRecord& r) {
    const auto it = std::find_if(r.licences.begin(), r.licences.end(),
                                 [](const Licence& l) { return l.status != "superseded"; });
    return it == r.licences.end() ? nullptr : &*it;
}

/// First day of the unbroken run of renewals that ends in `l`: a renewal starts the day after
/// the licence it renews ends (or later, if that one had lapsed), and the paper must show the
/// boat licensed from the start of the run, not from the day the renewal takes over.
std::string chain_start(const VesselRecord& r, const Licence& l) {
    std::string start = l.valid_from;
    const Licence* cur = &l;
    for (int guard = 0; guard < 64 && cur->renewed_from; ++guard) {
        const auto prev = std::find_if(r.licences.begin(), r.licences.end(), [&](const Licence& x) {
            return x.id == *cur->renewed_from;
        });
        if (prev == r.licences.end() || prev->status == "revoked") {
            break;
        }
        const auto prev_end = parse_iso_date(prev->valid_to);
        const auto this_start = parse_iso_date(cur->valid_from);
        if (!prev_end || !this_start ||
            std::chrono::sys_days{*prev_end} + std::chrono::days{1} <
                std::chrono::sys_days{*this_start}) {
            break; // a gap: the boat was unlicensed in between
        }
        start = prev->valid_from;
        cur = &*prev;
    }
    return start;
}

std::string verify_target(const CertificateInfo& info) {
    // The route a signed-in officer opens to check the paper (docs/api.md); with a configured
    // base URL ([registry] certificate_base_url) the printed line and QR code are a full link.
    return fmt::format("{}/api/registry/certificates/{}", info.verify_base_url, info.code);
}

#if SAHIL_HAVE_QRENCODE
/// The QR code of `text` as an inline SVG (one path, 4-module quiet zone), or "" on failure.
std::string qr_svg(const std::string& text) {
    const std::unique_ptr<QRcode, void (*)(QRcode*)> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!qr) {
        return {};
    }
    const int width = qr->width;
    const int size = width + 8;
    std::string path;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            const auto module =
                qr->data[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                         static_cast<std::size_t>(x)];
            if ((module & 1U) != 0) {
                path += fmt::format("M{} {}h1v1h-1z", x + 4, y + 4);
            }
        }
    }
    return fmt::format("<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} "
                       "{0}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code: "
                       "{1}\"><rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path d=\"{2}\" "
                       "fill=\"#000\"/></svg>",
                       size, html_escape(text), path);
}
#endif

// ---- page ---------------------------------------------------------------------------------------

// Fonts: Nastaliq faces first (Noto Nastaliq Urdu from Debian's fonts-noto-core, Jameel Noori
// Nastaleeq, Windows' Urdu Typesetting, Nafees, Awami), then Noto Naskh Arabic. DejaVu Sans, the
// usual last resort on Debian, lacks the Urdu letters U+06C1 and U+06D2 (checked: they print as
// boxes), so a printing PC needs one of the fonts named here.
// Sized for A4 less 15 mm margins (180 x 267 mm). Nastaliq's tall ascenders and deep descenders
// would make every bilingual row twice as high at the font's natural line height, so Urdu gets
// explicit, tighter line heights (glyphs may overhang the line box; the cell padding absorbs it).
// 'Sahil Urdu' maps the Arabic-script ranges of any text to a Nastaliq face by its full name
// (Debian's fontconfig reports Noto Nastaliq Urdu Bold with a regular weight, so the family
// name alone may select the bold file for regular text).
constexpr std::string_view page_style = R"css(
@page { size: A4; margin: 15mm; }
@font-face { font-family: 'Sahil Urdu'; font-weight: 400;
  src: local('Noto Nastaliq Urdu Regular'), local('NotoNastaliqUrdu-Regular'),
  local('Jameel Noori Nastaleeq'), local('Urdu Typesetting'), local('Nafees Nastaleeq'),
  local('Awami Nastaliq Regular');
  unicode-range: U+0600-06FF, U+0750-077F, U+FB50-FDFF, U+FE70-FEFF; }
@font-face { font-family: 'Sahil Urdu'; font-weight: 700;
  src: local('Noto Nastaliq Urdu Bold'), local('NotoNastaliqUrdu-Bold'),
  local('Jameel Noori Nastaleeq'), local('Urdu Typesetting'), local('Nafees Nastaleeq'),
  local('Awami Nastaliq Bold');
  unicode-range: U+0600-06FF, U+0750-077F, U+FB50-FDFF, U+FE70-FEFF; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: #111; font: 10pt/1.3 'Sahil Urdu', 'DejaVu Sans', 'Noto Sans',
  'Liberation Sans', Arial, sans-serif; }
.page { width: 180mm; min-height: 266mm; margin: 0 auto; padding: 6mm 8mm;
  border: 1.6pt double #1d3d5c; display: flex; flex-direction: column; }
.ur, [lang="ur"] { font-family: 'Sahil Urdu', 'Noto Nastaliq Urdu', 'Jameel Noori Nastaleeq',
  'Urdu Typesetting', 'Nafees Nastaleeq', 'Awami Nastaliq', 'Noto Naskh Arabic', serif;
  direction: rtl; text-align: right; }
header { text-align: center; border-bottom: 1pt solid #1d3d5c; padding-bottom: 1.5mm; }
header .authority { font-size: 9pt; color: #333; letter-spacing: 0.3pt; }
header h1 { font-size: 15pt; margin: 1mm 0 0; color: #1d3d5c; }
header .title-ur { font-size: 15pt; line-height: 1.7; margin: 0; text-align: center;
  color: #1d3d5c; }
.regno { display: flex; justify-content: space-between; align-items: center; margin: 2mm 0 1mm; }
.regno .value { font: bold 18pt 'DejaVu Sans Mono', 'Liberation Mono', monospace; }
.regno .ur { font-size: 11pt; line-height: 1.6; }
h2 { display: flex; justify-content: space-between; align-items: center; font-size: 10.5pt;
  margin: 2.5mm 0 0.5mm; padding: 0.3mm 2mm; background: #e6edf3; color: #1d3d5c; }
h2 .ur { font-size: 10.5pt; font-weight: normal; line-height: 1.6; }
table { width: 100%; border-collapse: collapse; }
th, td { padding: 0.3mm 2mm; border-bottom: 0.4pt solid #b8c4cf; vertical-align: middle; }
th.en { width: 31%; text-align: left; font-weight: normal; color: #333; }
th.ur { width: 29%; font-weight: normal; font-size: 9.5pt; line-height: 1.65; color: #333; }
td.v { font-weight: bold; }
table.owners th { font-size: 8.5pt; font-weight: normal; color: #333; text-align: left;
  padding-bottom: 1.2mm;
  vertical-align: bottom; }
table.owners th .ur { display: block; font-size: 8.5pt; line-height: 1.8; }
.verify { display: flex; align-items: center; gap: 6mm; margin-top: 3mm; padding: 2mm 4mm;
  border: 1pt solid #1d3d5c; }
.verify .code { font: bold 26pt 'DejaVu Sans Mono', 'Liberation Mono', monospace;
  letter-spacing: 2pt; }
.verify .path { font: 10pt 'DejaVu Sans Mono', 'Liberation Mono', monospace; word-break: break-all; }
.verify .text { flex: 1; }
.verify .text .ur { line-height: 1.6; }
.verify .qr { width: 30mm; height: 30mm; flex: none; }
footer { margin-top: auto; padding-top: 4mm; display: flex; justify-content: space-between;
  align-items: flex-end; font-size: 9pt; line-height: 1.7; }
footer .sign { width: 62mm; border-top: 0.6pt solid #111; text-align: center; padding-top: 1mm; }
.note { font-size: 7.5pt; color: #444; margin-top: 1.5mm; }
.note .ur { font-size: 8pt; line-height: 1.6; }
@media screen { body { background: #d9d9d9; } .page { background: #fff; margin: 8mm auto; } }
)css";

/// Collects the page's HTML; every value goes through html_escape.
class Page {
public:
    void raw(std::string_view html) { m_out += html; }
    void text(std::string_view value) { m_out += html_escape(value); }

    /// One row of a three-column table: English label, value, Urdu label.
    void row(std::string_view en, std::string_view value, std::string_view ur) {
        m_out += "<tr><th class=\"en\" scope=\"row\">";
        text(en);
        m_out += "</th><td class=\"v\"><bdi>";
        text(value);
        m_out += "</bdi></td><th class=\"ur\" lang=\"ur\" dir=\"rtl\">";
        text(ur);
        m_out += "</th></tr>\n";
    }

    /// A section heading in both languages.
    void heading(std::string_view en, std::string_view ur) {
        m_out += "<h2><span>";
        text(en);
        m_out += "</span><span class=\"ur\" lang=\"ur\" dir=\"rtl\">";
        text(ur);
        m_out += "</span></h2>\n";
    }

    [[nodiscard]] std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

void render_vessel(Page& page, const VesselRecord& r, const CertificateInfo& info) {
    const Vessel& v = r.vessel;
    page.heading("Vessel", "کشتی");
    page.raw("<table class=\"fields\">\n");
    page.row("Name of boat", v.name, "کشتی کا نام");
    page.row("Type", display_type(v.vessel_type), "قسم");
    page.row("Hull material",
             v.hull_material.empty() ? std::string(dash) : display_type(v.hull_material),
             "ڈھانچے کا مواد");
    page.row("Length overall", number_or_dash(v.loa_m, "m"), "کل لمبائی (میٹر)");
    page.row("Engine power", number_or_dash(v.engine_kw, "kW"), "انجن کی طاقت (کلوواٹ)");
    page.row("Persons allowed on board",
             v.max_persons ? std::to_string(*v.max_persons) : std::string(dash),
             "زیادہ سے زیادہ افراد");
    page.row("Home harbour",
             info.harbour_name.empty() ? v.home_harbour
                                       : fmt::format("{} ({})", info.harbour_name, v.home_harbour),
             "بندرگاہ");
    page.row("Hull colour", text_or_dash(v.hull_colour), "رنگ");
    const Identifier* mmsi = current_identifier(r, "mmsi");
    page.row("MMSI (AIS number)", mmsi ? mmsi->value : std::string(dash), "ایم ایم ایس آئی");
    const Identifier* call_sign = current_identifier(r, "call_sign");
    page.row("Call sign", call_sign ? call_sign->value : std::string(dash), "کال سائن");
    page.raw("</table>\n");
}

void render_owners(Page& page, const VesselRecord& r) {
    page.heading("Owner(s)", "مالکان");
    page.raw("<table class=\"owners\">\n<tr><th>Name <span class=\"ur\" lang=\"ur\" "
             "dir=\"rtl\">نام</span></th><th>Father's / husband's name <span class=\"ur\" "
             "lang=\"ur\" dir=\"rtl\">ولدیت / زوجیت</span></th><th>CNIC <span class=\"ur\" "
             "lang=\"ur\" dir=\"rtl\">شناختی کارڈ نمبر</span></th><th>Share <span class=\"ur\" "
             "lang=\"ur\" dir=\"rtl\">حصہ</span></th></tr>\n");
    bool any = false;
    for (const VesselParty& role : r.roles) {
        if (role.role != "owner" || !role.valid_to.empty()) {
            continue;
        }
        const auto party = std::find_if(r.parties.begin(), r.parties.end(),
                                        [&](const Party& p) { return p.id == role.party_id; });
        if (party == r.parties.end()) {
            continue;
        }
        any = true;
        // Never the CNIC in full on paper: mask_cnic keeps the locality code and last digit.
        const std::string cnic =
            party->cnic && !party->cnic->empty() ? mask_cnic(*party->cnic) : std::string(dash);
        page.raw("<tr><td class=\"v\"><bdi>");
        page.text(party->name);
        page.raw("</bdi></td><td><bdi>");
        page.text(text_or_dash(party->father_or_husband_name));
        page.raw("</bdi></td><td class=\"v\"><bdi>");
        page.text(cnic);
        page.raw("</bdi></td><td>");
        page.text(role.share_pct ? fmt::format("{} %", *role.share_pct) : std::string(dash));
        page.raw("</td></tr>\n");
    }
    if (!any) {
        page.raw("<tr><td colspan=\"4\">");
        page.text(dash);
        page.raw("</td></tr>\n");
    }
    page.raw("</table>\n");
}

void render_licence(Page& page, const VesselRecord& r) {
    page.heading("Fishing licence", "لائسنس");
    page.raw("<table class=\"fields\">\n");
    const Licence* l = current_licence(r);
    if (l == nullptr) {
        page.row("Licence", "No licence on file", "کوئی لائسنس درج نہیں");
        page.raw("</table>\n");
        return;
    }
    page.row("Licence number", l->licence_no, "لائسنس نمبر");
    page.row("Issued by", l->authority, "جاری کنندہ ادارہ");
    page.row(
        "Valid from / until",
        fmt::format("{} \u2013 {}", display_date(chain_start(r, *l)), display_date(l->valid_to)),
        "مؤثر از / درست تا");
    if (l->status != "active") {
        page.row("Status", l->status, "حیثیت");
    }
    page.row("Fishing gear",
             l->gear.empty() ? std::string(dash) : fmt::format("{}", fmt::join(l->gear, ", ")),
             "ماہی گیری کا سامان");
    page.row("Night fishing", l->night_fishing ? "Yes" : "No",
             l->night_fishing ? "رات کو ماہی گیری: ہاں" : "رات کو ماہی گیری: نہیں");
    page.raw("</table>\n");
}

void render_verification(Page& page, const CertificateInfo& info) {
    page.raw("<section class=\"verify\">\n<div class=\"text\"><div>Verification code</div>"
             "<div class=\"code\">");
    page.text(format_verification_code(info.code));
    page.raw("</div><div class=\"path\">");
    page.text(verify_target(info));
    page.raw("</div><div class=\"ur\" lang=\"ur\" dir=\"rtl\">تصدیقی کوڈ — تصدیق کے لیے کوڈ "
             "درج کریں یا کیو آر کوڈ اسکین کریں</div></div>\n");
#if SAHIL_HAVE_QRENCODE
    page.raw(qr_svg(verify_target(info)));
#endif
    page.raw("</section>\n");
}

} // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

bool certificate_qr_available() noexcept {
    return SAHIL_HAVE_QRENCODE != 0;
}

std::optional<std::string> normalise_verification_code(std::string_view typed) {
    std::string code;
    for (char c : typed) {
        if (c == ' ' || c == '-' || c == '\t') {
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
        // Crockford base32 decoding: O reads as 0, I and L as 1.
        if (c == 'O') {
            c = '0';
        } else if (c == 'I' || c == 'L') {
            c = '1';
        }
        if (verification_code_alphabet.find(c) == std::string_view::npos ||
            code.size() == verification_code_length) {
            return std::nullopt;
        }
        code += c;
    }
    if (code.size() != verification_code_length) {
        return std::nullopt;
    }
    return code;
}

std::string format_verification_code(std::string_view code) {
    if (code.size() != verification_code_length) {
        return std::string(code);
    }
    return fmt::format("{}-{}", code.substr(0, 4), code.substr(4));
}

std::string render_certificate_html(const VesselRecord& record, const CertificateInfo& info) {
    Page page;
    const Identifier* reg = registration_identifier(record);
    const std::string reg_no = reg ? reg->value : std::string(dash);
    page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<title>Certificate of Registration ");
    page.text(reg_no);
    page.raw("</title>\n<style>");
    page.raw(page_style);
    page.raw("</style>\n</head>\n<body>\n<main class=\"page\">\n<header>\n");
    std::string authority = info.authority_name;
    if (reg != nullptr) {
        authority =
            authority.empty() ? reg->authority : fmt::format("{} ({})", authority, reg->authority);
    }
    if (!authority.empty()) {
        page.raw("<div class=\"authority\">");
        page.text(authority);
        page.raw("</div>\n");
    }
    page.raw("<h1>Certificate of Registration of Fishing Boat</h1>\n"
             "<p class=\"title-ur\" lang=\"ur\" dir=\"rtl\">ماہی گیری کشتی کی رجسٹریشن کا "
             "سرٹیفکیٹ</p>\n</header>\n");
    page.raw("<div class=\"regno\"><span>Registration number</span><span class=\"value\"><bdi>");
    page.text(reg_no);
    page.raw(
        "</bdi></span><span class=\"ur\" lang=\"ur\" dir=\"rtl\">رجسٹریشن نمبر</span></div>\n");
    render_vessel(page, record, info);
    render_owners(page, record);
    render_licence(page, record);
    render_verification(page, info);
    page.raw("<footer>\n<div>Date of issue / <span class=\"ur\" lang=\"ur\" dir=\"rtl\">تاریخ "
             "اجرا</span>: <b>");
    page.text(display_date(info.issued_at));
    page.raw("</b><br>Issued by / <span class=\"ur\" lang=\"ur\" dir=\"rtl\">جاری کنندہ</span>: "
             "<b><bdi>");
    page.text(info.issued_by);
    page.raw("</bdi></b></div>\n<div class=\"sign\">Signature and stamp / <span class=\"ur\" "
             "lang=\"ur\" dir=\"rtl\">دستخط و مہر</span></div>\n</footer>\n"
             "<div class=\"note\">This certificate shows the registry on the date of issue. "
             "Check it with the verification code: a withdrawn code means a newer certificate "
             "was issued. CNIC numbers are shown masked.<div class=\"ur\" lang=\"ur\" "
             "dir=\"rtl\">یہ سرٹیفکیٹ تاریخ اجرا کے ریکارڈ کے مطابق ہے۔ تصدیقی کوڈ سے اس کی "
             "تصدیق کریں۔</div></div>\n</main>\n</body>\n</html>\n");
    return page.take();
}

// ---- issue and verify ---------------------------------------------------------------------------

Outcome<Certificate> issue_certificate(VesselRegistry& registry, const Actor& actor,
                                       std::int64_t vessel_id, const CertificateOptions& options) {
    Database& db = registry.database();
    try {
        WriteTransaction tx(db);
        const auto record = registry.get(vessel_id, true);
        if (!record) {
            return Outcome<Certificate>::failure(ErrorCode::not_found, "vessel_id",
                                                 fmt::format("there is no vessel {}", vessel_id));
        }
        CertificateInfo info;
        info.issued_at = format_utc_seconds(registry.clock()());
        info.issued_by = options.issued_by_name.empty() ? actor.user : options.issued_by_name;
        info.verify_base_url = options.verify_base_url;
        info.harbour_name = options.harbour_name;
        if (const Identifier* reg = registration_identifier(*record)) {
            SQLite::Statement q(db.handle(), "SELECT name FROM authorities WHERE code = ?");
            q.bind(1, reg->authority);
            if (q.executeStep()) {
                info.authority_name = q.getColumn(0).getString();
            }
        }
        // 40 random bits: a collision is unlikely but cheap to rule out.
        SQLite::Statement taken(db.handle(), "SELECT 1 FROM certificates WHERE code = ?");
        do {
            info.code = random_verification_code();
            taken.reset();
            taken.bind(1, info.code);
        } while (taken.executeStep());

        Certificate cert;
        cert.code = info.code;
        cert.vessel_id = vessel_id;
        cert.issued_at = info.issued_at;
        cert.html = render_certificate_html(*record, info);
        cert.content_sha256 = sha256_hex(cert.html);

        std::vector<std::string> withdrawn;
        SQLite::Statement earlier(db.handle(), "SELECT code FROM certificates WHERE vessel_id = ? "
                                               "AND withdrawn = 0 ORDER BY issued_at, code");
        earlier.bind(1, vessel_id);
        while (earlier.executeStep()) {
            withdrawn.push_back(earlier.getColumn(0).getString());
        }
        SQLite::Statement withdraw(db.handle(), "UPDATE certificates SET withdrawn = 1 WHERE "
                                                "vessel_id = ? AND withdrawn = 0");
        withdraw.bind(1, vessel_id);
        withdraw.exec();
        SQLite::Statement insert(db.handle(),
                                 "INSERT INTO certificates(code, vessel_id, issued_at, issued_by, "
                                 "content_sha256) VALUES(?,?,?,?,?)");
        insert.bind(1, cert.code);
        insert.bind(2, vessel_id);
        insert.bind(3, cert.issued_at);
        insert.bind(4, actor.user);
        insert.bind(5, cert.content_sha256);
        insert.exec();
        const nlohmann::ordered_json after = {{"code", cert.code},
                                              {"vessel_id", vessel_id},
                                              {"issued_at", cert.issued_at},
                                              {"content_sha256", cert.content_sha256},
                                              {"withdrawn", withdrawn}};
        AuditLog(db, registry.clock())
            .append(actor, {.action = "certificate.issue",
                            .entity = "certificate",
                            .entity_id = cert.code,
                            .after_json = after.dump()});
        tx.commit();
        return Outcome<Certificate>::success(std::move(cert));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: issuing a certificate");
    }
}

std::optional<CertificateCheck> verify_certificate(const Database& database, std::string_view code,
                                                   std::chrono::sys_days today) {
    const auto normalised = normalise_verification_code(code);
    if (!normalised) {
        return std::nullopt;
    }
    try {
        SQLite::Statement q(database.handle(),
                            "SELECT c.code, c.vessel_id, c.issued_at, c.issued_by, c.withdrawn, "
                            "c.content_sha256, v.name, coalesce(b.registration_number, ''), "
                            "v.home_harbour, v.status FROM certificates c JOIN vessels v ON v.id "
                            "= c.vessel_id JOIN boats b ON b.id = v.id WHERE c.code = ?");
        q.bind(1, *normalised);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        CertificateCheck check;
        check.code = q.getColumn(0).getString();
        check.vessel_id = q.getColumn(1).getInt64();
        check.issued_at = q.getColumn(2).getString();
        check.issued_by = q.getColumn(3).getString();
        check.withdrawn = q.getColumn(4).getInt() != 0;
        check.content_sha256 = q.getColumn(5).getString();
        check.vessel_name = q.getColumn(6).getString();
        check.registration_number = q.getColumn(7).getString();
        check.home_harbour = q.getColumn(8).getString();
        check.vessel_status = q.getColumn(9).getString();
        SQLite::Statement l(database.handle(),
                            "SELECT licence_no, status, valid_to FROM licences WHERE vessel_id = ? "
                            "AND status <> 'superseded' ORDER BY valid_to DESC, id DESC LIMIT 1");
        l.bind(1, check.vessel_id);
        check.licence_status = "none";
        if (l.executeStep()) {
            check.licence_no = l.getColumn(0).getString();
            check.licence_status = l.getColumn(1).getString();
            check.licence_valid_to = l.getColumn(2).getString();
            if (check.licence_status == "active" &&
                check.licence_valid_to < format_iso_date(std::chrono::year_month_day{today})) {
                check.licence_status = "expired";
            }
        }
        return check;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: verifying a certificate");
    }
}

std::optional<CertificateCheck> verify_certificate(const Database& database,
                                                   std::string_view code) {
    return verify_certificate(
        database, code, std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
}

} // namespace sahil::registry

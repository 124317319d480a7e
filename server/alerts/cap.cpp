#include "server/alerts/cap.hpp"

#include <array>
#include <chrono>
#include <cmath>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace sahil::alerts {
namespace {

namespace r = rule_names;

constexpr std::array<std::pair<std::string_view, std::string_view>, 17> rule_titles{{
    {r::unregistered_departure, "Unregistered boat departed"},
    {r::licence_invalid_departure, "Departure with an invalid licence or registration"},
    {r::night_departure, "Night departure without permission"},
    {r::closed_season, "Departure or fishing in a closed season"},
    {r::boundary_approach, "Heading for a maritime boundary"},
    {r::boundary_proximity, "Close to a maritime boundary"},
    {r::boundary_crossing, "Maritime boundary crossed"},
    {r::left_eez, "Left Pakistan's EEZ"},
    {r::ais_gap, "AIS gap after departure (going dark)"},
    {r::reappeared_far, "Reappeared far away after an AIS gap"},
    {r::rendezvous, "Rendezvous at sea"},
    {r::loitering, "Loitering near a boundary"},
    {r::identity_invalid_mmsi, "Invalid MMSI"},
    {r::identity_mismatch, "MMSI registered to another boat"},
    {r::identity_static_change, "Static data changed at sea"},
    {r::identity_impossible_speed, "One MMSI in two places"},
    {r::identity_shared_mmsi, "Two registry boats on one MMSI"},
}};

/// Rules whose events also concern the crew's safety (CAP category Safety besides Security):
/// fishermen who cross a line are detained abroad, and a boat that goes dark may be in distress.
bool also_safety(std::string_view rule) {
    return rule == r::boundary_approach || rule == r::boundary_proximity ||
           rule == r::boundary_crossing || rule == r::left_eez || rule == r::ais_gap ||
           rule == r::reappeared_far;
}

std::string_view outcome_words(Outcome o) {
    switch (o) {
    case Outcome::false_alarm:
        return "false alarm";
    case Outcome::verified_no_action:
        return "verified, no action needed";
    case Outcome::intercepted:
        return "intercepted by a patrol";
    case Outcome::referred_msa:
        return "referred to the Maritime Security Agency";
    case Outcome::referred_coast_guard:
        return "referred to the Pakistan Coast Guards";
    case Outcome::suppressed:
        return "suppressed";
    }
    return "closed";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) {
            out += sep;
        }
        out += s;
    }
    return out;
}

/// "25.23000 N, 63.47000 E".
std::string position_words(const geo::Position& p) {
    return fmt::format("{:.5f} {}, {:.5f} {}", std::fabs(p.lat_deg), p.lat_deg < 0 ? 'S' : 'N',
                       std::fabs(p.lon_deg), p.lon_deg < 0 ? 'W' : 'E');
}

/// CAP circle "lat,lon radius_km" (WGS 84, CAP §3.2.4).
std::string circle(const geo::Position& p) {
    return fmt::format("{:.5f},{:.5f} {:.3f}", p.lat_deg, p.lon_deg, cap_circle_radius_km);
}

/// The vessel as people name it: "SEA HAWK (MMSI 463100901)" or "MMSI 463100901".
std::string vessel_words(const std::string& name, std::uint32_t mmsi) {
    return name.empty() ? fmt::format("MMSI {}", mmsi) : fmt::format("{} (MMSI {})", name, mmsi);
}

/// CAP dateTime of stored ISO text (created_at, journal times); `fallback` when unreadable.
std::string cap_datetime_of(const std::string& iso, UtcTime fallback) {
    const auto t = parse_utc_time(iso);
    return cap_datetime(t ? *t : fallback);
}

std::string description(const Alert& a) {
    std::string d = a.reason.empty() ? std::string(rule_title(a.rule)) + "." : a.reason;
    d += "\nVessel: " + vessel_words(a.vessel_name, a.mmsi);
    if (a.boat_id) {
        d += fmt::format(", registry {} (boat {})", a.registration_number, *a.boat_id);
    } else {
        d += ", no registry match";
    }
    if (a.other_mmsi) {
        d += "\nOther vessel: " + vessel_words(a.other_name, *a.other_mmsi);
    }
    if (!a.zone_id.empty()) {
        d += "\nZone: " + (a.zone_name.empty() ? a.zone_id : a.zone_name + " (" + a.zone_id + ")");
    }
    d += "\nFirst fix: " + iso8601(a.fix_time) + " at " + position_words(a.position);
    if (a.last_time != a.fix_time || a.last_position != a.position) {
        d += "\nLatest fix: " + iso8601(a.last_time) + " at " + position_words(a.last_position);
    }
    if (a.sog_knots) {
        d += fmt::format(", SOG {:.1f} kn", *a.sog_knots);
    }
    if (a.cog_deg) {
        d += fmt::format(", COG {:.0f} deg", *a.cog_deg);
    }
    if (a.repeat_count > 1) {
        d += fmt::format("\nThe rule fired {} times in this occurrence.", a.repeat_count);
    }
    d += "\nStatus: " + std::string(to_string(a.status));
    if (!a.assignee.empty()) {
        d += ", assigned to " + a.assignee;
    }
    if (a.outcome) {
        d += ", outcome: " + std::string(outcome_words(*a.outcome));
    }
    if (!a.agencies.empty()) {
        d += "\nRouted to: " + join(a.agencies, ", ");
    }
    return d;
}

std::string instruction(const Alert& a) {
    if (a.status == Status::resolved) {
        return "No further action: closed as " +
               std::string(a.outcome ? outcome_words(*a.outcome) : "resolved") + ".";
    }
    if (a.status == Status::assigned) {
        return "Assigned to " + a.assignee +
               ". Follow the patrol's report and resolve the alert in Sahil with its outcome.";
    }
    switch (a.severity) {
    case Severity::critical:
        return "Acknowledge the alert in Sahil, find the vessel on the live picture and assign a "
               "patrol unit; resolve it with the outcome.";
    case Severity::warning:
        return "Acknowledge the alert in Sahil and check the vessel on the live picture; assign "
               "a patrol unit if needed.";
    case Severity::info:
        break;
    }
    return "For information; no action is needed.";
}

std::string headline(const Alert& a) {
    std::string h = std::string(rule_title(a.rule)) + ": " + vessel_words(a.vessel_name, a.mmsi);
    if (!a.zone_name.empty() || !a.zone_id.empty()) {
        h += ", " + (a.zone_name.empty() ? a.zone_id : a.zone_name);
    }
    return detail::utf8_prefix(h, cap_headline_max_bytes);
}

void parameter(detail::XmlWriter& w, std::string_view name, std::string_view value) {
    w.open("parameter");
    w.element("valueName", name);
    w.element("value", value);
    w.close();
}

void parameters(detail::XmlWriter& w, const Alert& a) {
    parameter(w, "alert_id", std::to_string(a.id));
    parameter(w, "rule", a.rule);
    parameter(w, "sahil_severity", to_string(a.severity));
    parameter(w, "status", to_string(a.status));
    parameter(w, "mmsi", std::to_string(a.mmsi));
    if (!a.vessel_name.empty()) {
        parameter(w, "vessel_name", a.vessel_name);
    }
    if (a.boat_id) {
        parameter(w, "registration_number", a.registration_number);
    }
    if (a.other_mmsi) {
        parameter(w, "other_mmsi", std::to_string(*a.other_mmsi));
        if (!a.other_name.empty()) {
            parameter(w, "other_vessel_name", a.other_name);
        }
    }
    if (!a.zone_id.empty()) {
        parameter(w, "zone_id", a.zone_id);
    }
    parameter(w, "first_fix_time", iso8601(a.fix_time));
    parameter(w, "last_fix_time", iso8601(a.last_time));
    if (a.sog_knots) {
        parameter(w, "sog_knots", fmt::format("{:.1f}", *a.sog_knots));
    }
    if (a.cog_deg) {
        parameter(w, "cog_deg", fmt::format("{:.1f}", *a.cog_deg));
    }
    parameter(w, "repeat_count", std::to_string(a.repeat_count));
    parameter(w, "agencies", join(a.agencies, ","));
    if (!a.assignee.empty()) {
        parameter(w, "assignee", a.assignee);
    }
    if (a.outcome) {
        parameter(w, "outcome", to_string(*a.outcome));
    }
}

void area(detail::XmlWriter& w, const Alert& a) {
    w.open("area");
    std::string desc = a.zone_name.empty() ? a.zone_id : a.zone_name;
    if (!a.zone_name.empty() && !a.zone_id.empty()) {
        desc += " (" + a.zone_id + ")";
    }
    w.element("areaDesc", desc.empty() ? "Position of the vessel" : desc);
    const std::string first = circle(a.position);
    w.element("circle", first);
    if (const std::string last = circle(a.last_position); last != first) {
        w.element("circle", last);
    }
    w.close();
}

} // namespace

std::string_view rule_title(std::string_view rule) noexcept {
    for (const auto& [name, title] : rule_titles) {
        if (name == rule) {
            return title;
        }
    }
    return rule;
}

CapLevels cap_levels(const Alert& a) noexcept {
    CapLevels l;
    switch (a.severity) {
    case Severity::critical:
        l = {"Immediate", "Severe", "Observed"};
        break;
    case Severity::warning:
        l = {"Expected", "Moderate", "Likely"};
        break;
    case Severity::info:
        l = {"Future", "Minor", "Possible"};
        break;
    }
    if (a.rule == rule_names::boundary_approach && l.certainty == "Observed") {
        l.certainty = "Likely"; // a predicted crossing has not been seen
    }
    if (a.status == Status::resolved) {
        l.urgency = "Past";
    }
    return l;
}

std::string cap_identifier(const Alert& a, const FeedSource& source) {
    return fmt::format("sahil-{}-alert-{}", source.installation, a.id);
}

std::string cap_sender(const FeedSource& source) {
    return "sahil@" + source.authority;
}

std::string cap_datetime(UtcTime t) {
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}-00:00", std::chrono::floor<std::chrono::seconds>(t));
}

std::optional<UtcTime> parse_utc_time(std::string_view s) noexcept {
    // YYYY-MM-DDTHH:MM:SSZ (20) or YYYY-MM-DDTHH:MM:SS.mmmZ (24)
    if ((s.size() != 20 && s.size() != 24) || s.back() != 'Z') {
        return std::nullopt;
    }
    const auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = pos; i < pos + n; ++i) {
            if (s[i] < '0' || s[i] > '9') {
                return std::nullopt;
            }
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
        (s.size() == 24 && s[19] != '.')) {
        return std::nullopt;
    }
    const auto y = digits(0, 4);
    const auto mo = digits(5, 2);
    const auto d = digits(8, 2);
    const auto h = digits(11, 2);
    const auto mi = digits(14, 2);
    const auto sec = digits(17, 2);
    const auto ms = s.size() == 24 ? digits(20, 3) : std::optional<int>(0);
    if (!y || !mo || !d || !h || !mi || !sec || !ms || *h > 23 || *mi > 59 || *sec > 59) {
        return std::nullopt;
    }
    const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                          std::chrono::month(static_cast<unsigned>(*mo)),
                                          std::chrono::day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) {
        return std::nullopt;
    }
    return UtcTime(std::chrono::sys_days(ymd)) + std::chrono::hours(*h) +
           std::chrono::minutes(*mi) + std::chrono::seconds(*sec) + std::chrono::milliseconds(*ms);
}

std::string alert_path(std::int64_t id) {
    return fmt::format("/api/alerts/{}", id);
}

std::string to_cap_xml(const Alert& a, const FeedSource& source, const CapRevision& revision) {
    const std::string original_id = cap_identifier(a, source);
    const std::string original_sent = cap_datetime_of(a.created_at, a.fix_time);
    const bool update = revision.seq > 0;
    const CapLevels levels = cap_levels(a);

    detail::XmlWriter w;
    w.open("alert", {{"xmlns", cap_namespace}});
    w.element("identifier", update ? fmt::format("{}-{}", original_id, revision.seq) : original_id);
    w.element("sender", cap_sender(source));
    w.element("sent", update ? cap_datetime_of(revision.at, a.last_time) : original_sent);
    w.element("status", "Actual");
    w.element("msgType", update ? "Update" : "Alert");
    w.element("source", "Sahil AIS watch, rule " + a.rule);
    w.element("scope", "Restricted");
    w.element("restriction",
              "For the Pakistan Coast Guards and the Maritime Security Agency operations rooms "
              "only; names vessels and registry records. Do not publish.");
    if (update) {
        w.element("note",
                  fmt::format("Update: {} (Sahil journal entry {}).", revision.kind, revision.seq));
        // CAP §3.2.1 references: "sender,identifier,sent" of the earlier message.
        w.element("references",
                  fmt::format("{},{},{}", cap_sender(source), original_id, original_sent));
    }
    w.element("incidents", original_id);

    w.open("info");
    w.element("language", "en");
    w.element("category", "Security");
    if (also_safety(a.rule)) {
        w.element("category", "Safety");
    }
    w.element("event", rule_title(a.rule));
    w.element("responseType", a.status == Status::resolved   ? "AllClear"
                              : a.severity == Severity::info ? "Monitor"
                                                             : "Assess");
    w.element("urgency", levels.urgency);
    w.element("severity", levels.severity);
    w.element("certainty", levels.certainty);
    w.element("audience", "Watch officers of the Pakistan Coast Guards and the Maritime Security "
                          "Agency");
    w.open("eventCode");
    w.element("valueName", "sahil_rule");
    w.element("value", a.rule);
    w.close();
    w.element("onset", cap_datetime(a.fix_time));
    w.element("senderName", source.sender_name);
    w.element("headline", headline(a));
    w.element("description", description(a));
    w.element("instruction", instruction(a));
    if (!source.base_url.empty()) {
        w.element("web", source.base_url + alert_path(a.id));
    }
    parameters(w, a);
    area(w, a);
    return w.finish();
}

namespace detail {
namespace {

/// Decodes one UTF-8 character at `s[i]`: its length, or 0 when the bytes there are not valid
/// UTF-8 (overlong forms, surrogates and values past U+10FFFF included).
std::size_t utf8_char(std::string_view s, std::size_t i, char32_t& cp) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0Fu;
        lo = b0 == 0xE0 ? 0xA0 : 0x80; // no overlong forms
        hi = b0 == 0xED ? 0x9F : 0xBF; // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07u;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF; // not past U+10FFFF
    } else {
        return 0;
    }
    if (i + len > s.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < len; ++k) {
        const unsigned char b = byte(i + k);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) {
            return 0;
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    return len;
}

/// XML 1.0 Char production (§2.2), for characters from a valid UTF-8 decode.
bool xml_char(char32_t c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
}

constexpr std::string_view replacement = "\xEF\xBF\xBD"; // U+FFFD

} // namespace

std::string xml_escape(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        const std::size_t len = utf8_char(text, i, cp);
        if (len == 0 || !xml_char(cp)) {
            out += replacement;
            i += len == 0 ? 1 : len;
            continue;
        }
        switch (cp) {
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
            out += "&apos;";
            break;
        case '\r':
            out += "&#13;";
            break;
        case '\n':
            out += attribute ? std::string_view("&#10;") : std::string_view("\n");
            break;
        case '\t':
            out += attribute ? std::string_view("&#9;") : std::string_view("\t");
            break;
        default:
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return std::string(text);
    }
    std::size_t end = max_bytes;
    // Back up over continuation bytes (10xxxxxx) to the start of the character that was cut.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0u) == 0x80u) {
        --end;
    }
    return std::string(text.substr(0, end));
}

XmlWriter::XmlWriter() : m_out("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

void XmlWriter::start_tag(std::string_view name, Attributes attributes, bool self_closing) {
    m_out.append(m_open.size() * 2, ' ');
    m_out += '<';
    m_out += name;
    for (const auto& [key, value] : attributes) {
        m_out += ' ';
        m_out += key;
        m_out += "=\"";
        m_out += xml_escape(value, true);
        m_out += '"';
    }
    m_out += self_closing ? "/>" : ">";
}

void XmlWriter::open(std::string_view name, Attributes attributes) {
    start_tag(name, attributes, false);
    m_out += '\n';
    m_open.emplace_back(name);
}

void XmlWriter::close() {
    if (m_open.empty()) {
        return;
    }
    const std::string name = std::move(m_open.back());
    m_open.pop_back();
    m_out.append(m_open.size() * 2, ' ');
    m_out += "</" + name + ">\n";
}

void XmlWriter::element(std::string_view name, std::string_view text, Attributes attributes) {
    start_tag(name, attributes, false);
    m_out += xml_escape(text);
    m_out += "</";
    m_out += name;
    m_out += ">\n";
}

void XmlWriter::empty(std::string_view name, Attributes attributes) {
    start_tag(name, attributes, true);
    m_out += '\n';
}

std::string XmlWriter::finish() {
    while (!m_open.empty()) {
        close();
    }
    return std::move(m_out);
}

} // namespace detail
} // namespace sahil::alerts

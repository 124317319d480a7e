// CAP 1.2 and Atom 1.0 renderers (server/alerts/cap.hpp, atom.hpp): every document is parsed
// with a real XML parser (libxml2, which GDAL already brings) and checked against the structure
// of the specs written out below from OASIS CAP 1.2 §3.2 (element order, cardinality, value
// lists, dateTime and circle forms) and RFC 4287 §4 (required feed and entry elements); vessel
// names with markup, control characters and invalid UTF-8 must come back as the same text (or
// U+FFFD), never as markup.
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "server/alerts/atom.hpp"
#include "server/alerts/cap.hpp"

namespace sahil {
namespace {

using alerts::Alert;

// ---- a small libxml2 DOM wrapper ----------------------------------------------------------------

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocFree>;

/// Parses `xml` strictly (no network, no entity expansion); null when not well-formed.
Doc parse(const std::string& xml) {
    return Doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "test.xml", nullptr,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

std::string name_of(const xmlNode* n) {
    return reinterpret_cast<const char*>(n->name);
}

std::string ns_of(const xmlNode* n) {
    return n->ns != nullptr && n->ns->href != nullptr
               ? std::string(reinterpret_cast<const char*>(n->ns->href))
               : std::string();
}

std::string text_of(const xmlNode* n) {
    xmlChar* c = xmlNodeGetContent(n);
    std::string out = c != nullptr ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return out;
}

std::string attr_of(const xmlNode* n, const char* name) {
    xmlChar* c = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    std::string out = c != nullptr ? reinterpret_cast<const char*>(c) : "";
    xmlFree(c);
    return out;
}

std::vector<const xmlNode*> children(const xmlNode* parent, const std::string& name = {}) {
    std::vector<const xmlNode*> out;
    for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && (name.empty() || name_of(c) == name)) {
            out.push_back(c);
        }
    }
    return out;
}

std::string child_text(const xmlNode* parent, const std::string& name) {
    const auto c = children(parent, name);
    return c.empty() ? std::string("(missing)") : text_of(c.front());
}

// ---- structure checks ---------------------------------------------------------------------------

/// One element of a sequence: name, least and most occurrences (-1 = unbounded).
struct Slot {
    const char* name;
    int min;
    int max;
};

/// Checks that the element children of `parent` follow `slots` in order with their cardinality
/// and are all in namespace `ns`; returns the problems.
std::vector<std::string> check_sequence(const xmlNode* parent, const std::vector<Slot>& slots,
                                        const std::string& ns) {
    std::vector<std::string> problems;
    const std::string where = name_of(parent);
    std::size_t i = 0;
    int count = 0;
    for (const xmlNode* c : children(parent)) {
        if (ns_of(c) != ns) {
            problems.push_back(where + "/" + name_of(c) + ": namespace '" + ns_of(c) + "'");
        }
        while (i < slots.size() && name_of(c) != slots[i].name) {
            if (count < slots[i].min) {
                problems.push_back(where + ": missing " + slots[i].name + " before " + name_of(c));
            }
            ++i;
            count = 0;
        }
        if (i == slots.size()) {
            problems.push_back(where + ": unexpected or out-of-order element " + name_of(c));
            return problems;
        }
        ++count;
        if (slots[i].max >= 0 && count > slots[i].max) {
            problems.push_back(where + ": too many " + slots[i].name);
        }
    }
    for (; i < slots.size(); ++i, count = 0) {
        if (count < slots[i].min) {
            problems.push_back(where + ": missing " + slots[i].name);
        }
    }
    return problems;
}

void check_value(std::vector<std::string>& problems, const xmlNode* parent, const char* name,
                 const std::set<std::string>& allowed) {
    for (const xmlNode* c : children(parent, name)) {
        if (!allowed.contains(text_of(c))) {
            problems.push_back(std::string(name) + ": '" + text_of(c) + "' is not a CAP value");
        }
    }
}

void check_pattern(std::vector<std::string>& problems, const xmlNode* parent, const char* name,
                   const std::regex& pattern) {
    for (const xmlNode* c : children(parent, name)) {
        if (!std::regex_match(text_of(c), pattern)) {
            problems.push_back(std::string(name) + ": '" + text_of(c) + "' has the wrong form");
        }
    }
}

/// CAP 1.2 §3.2 written out: element order and cardinality of alert, info, parameter/eventCode
/// and area; value lists; dateTime "YYYY-MM-DDThh:mm:ss+hh:mm" (no "Z", §3.3.2); identifier
/// and sender without spaces, commas, '<' or '&'; restriction present for scope Restricted;
/// references present for an Update.
std::vector<std::string> cap_problems(const std::string& xml) {
    const Doc doc = parse(xml);
    if (!doc) {
        return {"not well-formed XML"};
    }
    const xmlNode* alert = xmlDocGetRootElement(doc.get());
    const std::string ns(alerts::cap_namespace);
    if (name_of(alert) != "alert" || ns_of(alert) != ns) {
        return {"root is not a CAP 1.2 alert"};
    }
    auto problems = check_sequence(alert,
                                   {{"identifier", 1, 1},
                                    {"sender", 1, 1},
                                    {"sent", 1, 1},
                                    {"status", 1, 1},
                                    {"msgType", 1, 1},
                                    {"source", 0, 1},
                                    {"scope", 1, 1},
                                    {"restriction", 0, 1},
                                    {"addresses", 0, 1},
                                    {"code", 0, -1},
                                    {"note", 0, 1},
                                    {"references", 0, 1},
                                    {"incidents", 0, 1},
                                    {"info", 0, -1}},
                                   ns);
    const std::regex date_time(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d)");
    const std::regex no_specials(R"([^\s,<&]+)");
    check_pattern(problems, alert, "identifier", no_specials);
    check_pattern(problems, alert, "sender", no_specials);
    check_pattern(problems, alert, "sent", date_time);
    check_value(problems, alert, "status", {"Actual", "Exercise", "System", "Test", "Draft"});
    check_value(problems, alert, "msgType", {"Alert", "Update", "Cancel", "Ack", "Error"});
    check_value(problems, alert, "scope", {"Public", "Restricted", "Private"});
    if (child_text(alert, "scope") == "Restricted" && children(alert, "restriction").empty()) {
        problems.push_back("scope Restricted without restriction");
    }
    if (child_text(alert, "msgType") == "Update" && children(alert, "references").empty()) {
        problems.push_back("an Update without references");
    }
    for (const xmlNode* info : children(alert, "info")) {
        auto more = check_sequence(
            info, {{"language", 0, 1},      {"category", 1, -1}, {"event", 1, 1},
                   {"responseType", 0, -1}, {"urgency", 1, 1},   {"severity", 1, 1},
                   {"certainty", 1, 1},     {"audience", 0, 1},  {"eventCode", 0, -1},
                   {"effective", 0, 1},     {"onset", 0, 1},     {"expires", 0, 1},
                   {"senderName", 0, 1},    {"headline", 0, 1},  {"description", 0, 1},
                   {"instruction", 0, 1},   {"web", 0, 1},       {"contact", 0, 1},
                   {"parameter", 0, -1},    {"resource", 0, -1}, {"area", 0, -1}},
            ns);
        problems.insert(problems.end(), more.begin(), more.end());
        check_value(problems, info, "category",
                    {"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
                     "Transport", "Infra", "CBRNE", "Other"});
        check_value(problems, info, "responseType",
                    {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess",
                     "AllClear", "None"});
        check_value(problems, info, "urgency",
                    {"Immediate", "Expected", "Future", "Past", "Unknown"});
        check_value(problems, info, "severity",
                    {"Extreme", "Severe", "Moderate", "Minor", "Unknown"});
        check_value(problems, info, "certainty",
                    {"Observed", "Likely", "Possible", "Unlikely", "Unknown"});
        for (const char* when : {"effective", "onset", "expires"}) {
            check_pattern(problems, info, when, date_time);
        }
        for (const char* pair : {"eventCode", "parameter"}) {
            for (const xmlNode* p : children(info, pair)) {
                more = check_sequence(p, {{"valueName", 1, 1}, {"value", 1, 1}}, ns);
                problems.insert(problems.end(), more.begin(), more.end());
            }
        }
        for (const xmlNode* area : children(info, "area")) {
            more = check_sequence(area,
                                  {{"areaDesc", 1, 1},
                                   {"polygon", 0, -1},
                                   {"circle", 0, -1},
                                   {"geocode", 0, -1},
                                   {"altitude", 0, 1},
                                   {"ceiling", 0, 1}},
                                  ns);
            problems.insert(problems.end(), more.begin(), more.end());
            check_pattern(problems, area, "circle",
                          std::regex(R"(-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)? \d+(\.\d+)?)"));
        }
    }
    return problems;
}

/// RFC 4287 §4.1: a feed has exactly one id, title and updated and an author (here at feed
/// level); each entry exactly one id, title and updated and an alternate link; ids are
/// absolute IRIs; dates are RFC 3339.
std::vector<std::string> atom_problems(const std::string& xml) {
    const Doc doc = parse(xml);
    if (!doc) {
        return {"not well-formed XML"};
    }
    const xmlNode* feed = xmlDocGetRootElement(doc.get());
    const std::string ns(alerts::atom_namespace);
    if (name_of(feed) != "feed" || ns_of(feed) != ns) {
        return {"root is not an Atom feed"};
    }
    std::vector<std::string> problems;
    const std::regex rfc3339(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[-+]\d\d:\d\d))");
    const std::regex tag_uri(R"(tag:[a-z0-9.-]+,\d{4}(-\d\d(-\d\d)?)?:[^\s]+)");
    const auto exactly_one = [&](const xmlNode* parent, const char* name) {
        if (children(parent, name).size() != 1) {
            problems.push_back(name_of(parent) + ": needs exactly one " + name);
        }
    };
    for (const char* name : {"id", "title", "updated"}) {
        exactly_one(feed, name);
    }
    if (children(feed, "author").empty()) {
        problems.push_back("feed: no author");
    }
    check_pattern(problems, feed, "updated", rfc3339);
    check_pattern(problems, feed, "id", tag_uri);
    for (const xmlNode* entry : children(feed, "entry")) {
        for (const char* name : {"id", "title", "updated"}) {
            exactly_one(entry, name);
        }
        check_pattern(problems, entry, "updated", rfc3339);
        check_pattern(problems, entry, "published", rfc3339);
        check_pattern(problems, entry, "id", tag_uri);
        std::set<std::string> alternate_types;
        for (const xmlNode* link : children(entry, "link")) {
            if (attr_of(link, "rel") == "alternate" &&
                !alternate_types.insert(attr_of(link, "type")).second) {
                problems.push_back("entry: two alternate links of one type");
            }
        }
        if (alternate_types.empty()) {
            problems.push_back("entry: no alternate link");
        }
    }
    for (const xmlNode* c : children(feed)) {
        if (ns_of(c) != ns) {
            problems.push_back("feed/" + name_of(c) + ": not in the Atom namespace");
        }
    }
    return problems;
}

// ---- samples ------------------------------------------------------------------------------------

/// 2026-03-14T17:42:10Z plus `seconds`.
UtcTime at(int seconds) {
    return from_unix_seconds(1'773'510'130 + seconds);
}

Alert sample() {
    Alert a;
    a.id = 7;
    a.rule = "unregistered_departure";
    a.severity = alerts::Severity::critical;
    a.mmsi = 463100901;
    a.vessel_name = "SEA HAWK";
    a.zone_id = "PK-HBR-05";
    a.zone_name = "Pasni Fish Harbour";
    a.fix_time = at(0);
    a.position = {25.23, 63.47};
    a.last_time = at(0);
    a.last_position = a.position;
    a.sog_knots = 6.2;
    a.cog_deg = 184.0;
    a.agencies = {"coast_guard", "msa"};
    a.reason = "Left Pasni Fish Harbour at 6.2 kn; MMSI 463100901 is not in the registry.";
    a.created_at = "2026-03-14T17:42:11.250Z";
    a.updated_at = a.created_at;
    return a;
}

alerts::FeedSource source() {
    alerts::FeedSource s;
    s.installation = "sahil.fisheries.gob.pk";
    s.authority = "sahil.fisheries.gob.pk";
    s.base_url = "https://sahil.fisheries.gob.pk";
    return s;
}

/// The text of the first element `name` found anywhere below the root, or "(missing)".
std::string find_text(const std::string& xml, const std::string& name) {
    const Doc doc = parse(xml);
    if (!doc) {
        return "(not XML)";
    }
    std::vector<const xmlNode*> to_visit{xmlDocGetRootElement(doc.get())};
    while (!to_visit.empty()) {
        const xmlNode* n = to_visit.back();
        to_visit.pop_back();
        if (name_of(n) == name) {
            return text_of(n);
        }
        const auto kids = children(n);
        to_visit.insert(to_visit.end(), kids.rbegin(), kids.rend());
    }
    return "(missing)";
}

/// valueName -> value of every CAP parameter.
std::map<std::string, std::string> cap_parameters(const std::string& xml) {
    std::map<std::string, std::string> out;
    const Doc doc = parse(xml);
    for (const xmlNode* info : children(xmlDocGetRootElement(doc.get()), "info")) {
        for (const xmlNode* p : children(info, "parameter")) {
            out[child_text(p, "valueName")] = child_text(p, "value");
        }
    }
    return out;
}

// ---- CAP ----------------------------------------------------------------------------------------

TEST(Cap, renders_a_cap_1_2_alert_with_every_required_element) {
    const std::string xml = alerts::to_cap_xml(sample(), source());
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(find_text(xml, "identifier"), "sahil-sahil.fisheries.gob.pk-alert-7");
    EXPECT_EQ(find_text(xml, "sender"), "sahil@sahil.fisheries.gob.pk");
    EXPECT_EQ(find_text(xml, "sent"), "2026-03-14T17:42:11-00:00"); // created_at, UTC as -00:00
    EXPECT_EQ(find_text(xml, "status"), "Actual");
    EXPECT_EQ(find_text(xml, "msgType"), "Alert");
    EXPECT_EQ(find_text(xml, "scope"), "Restricted");
    EXPECT_EQ(find_text(xml, "references"), "(missing)");
    EXPECT_EQ(find_text(xml, "category"), "Security");
    EXPECT_EQ(find_text(xml, "event"), "Unregistered boat departed");
    EXPECT_EQ(find_text(xml, "urgency"), "Immediate");
    EXPECT_EQ(find_text(xml, "severity"), "Severe");
    EXPECT_EQ(find_text(xml, "certainty"), "Observed");
    EXPECT_EQ(find_text(xml, "responseType"), "Assess");
    EXPECT_EQ(find_text(xml, "onset"), "2026-03-14T17:42:10-00:00");
    EXPECT_EQ(find_text(xml, "headline"),
              "Unregistered boat departed: SEA HAWK (MMSI 463100901), Pasni Fish Harbour");
    EXPECT_EQ(find_text(xml, "description").rfind(sample().reason, 0), 0U);
    EXPECT_EQ(find_text(xml, "web"), "https://sahil.fisheries.gob.pk/api/alerts/7");
    EXPECT_EQ(find_text(xml, "areaDesc"), "Pasni Fish Harbour (PK-HBR-05)");
    EXPECT_EQ(find_text(xml, "circle"), "25.23000,63.47000 1.852");
    const auto params = cap_parameters(xml);
    EXPECT_EQ(params.at("rule"), "unregistered_departure");
    EXPECT_EQ(params.at("mmsi"), "463100901");
    EXPECT_EQ(params.at("repeat_count"), "1");
    EXPECT_EQ(params.at("agencies"), "coast_guard,msa");
    EXPECT_EQ(params.at("sahil_severity"), "critical");
    EXPECT_EQ(params.at("status"), "new");
}

TEST(Cap, keeps_untrusted_vessel_names_as_text) {
    Alert a = sample();
    a.vessel_name = "<script>&\"'";
    a.other_mmsi = 463100902;
    a.other_name = "]]><x/>";
    a.reason = "name </description><evil/> in the reason";
    const std::string xml = alerts::to_cap_xml(a, source());
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(xml.find("<script>"), std::string::npos);
    EXPECT_EQ(xml.find("<evil/>"), std::string::npos);
    EXPECT_NE(xml.find("&lt;script&gt;&amp;&quot;&apos;"), std::string::npos);
    const auto params = cap_parameters(xml);
    EXPECT_EQ(params.at("vessel_name"), "<script>&\"'"); // the same text after parsing
    EXPECT_EQ(params.at("other_vessel_name"), "]]><x/>");
    EXPECT_EQ(find_text(xml, "headline"),
              "Unregistered boat departed: <script>&\"' (MMSI 463100901), Pasni Fish Harbour");
}

TEST(Cap, replaces_characters_xml_cannot_carry) {
    Alert a = sample();
    static constexpr char name[] = "NUL\0BEL\x07 BAD\xC3(UTF8\xED\xA0\x80";
    a.vessel_name = std::string(name, sizeof name - 1);
    a.reason = "ok \xE2\x9C\x93 \xF0\x9F\x9A\xA2 \xEF\xBF\xBE";
    const std::string xml = alerts::to_cap_xml(a, source());
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(cap_parameters(xml).at("vessel_name"),
              "NUL\xEF\xBF\xBD"
              "BEL\xEF\xBF\xBD BAD\xEF\xBF\xBD(UTF8\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    // Valid characters (a check mark, a ship) stay; U+FFFE is not an XML character.
    EXPECT_EQ(find_text(xml, "description").substr(0, 15),
              "ok \xE2\x9C\x93 \xF0\x9F\x9A\xA2 \xEF\xBF\xBD");
}

TEST(Cap, a_changed_alert_is_an_update_referencing_the_original) {
    Alert a = sample();
    a.status = alerts::Status::acknowledged;
    const std::string xml = alerts::to_cap_xml(
        a, source(), {.seq = 42, .kind = "acknowledged", .at = "2026-03-14T17:50:00Z"});
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(find_text(xml, "msgType"), "Update");
    EXPECT_EQ(find_text(xml, "identifier"), "sahil-sahil.fisheries.gob.pk-alert-7-42");
    EXPECT_EQ(find_text(xml, "sent"), "2026-03-14T17:50:00-00:00");
    EXPECT_EQ(find_text(xml, "references"),
              "sahil@sahil.fisheries.gob.pk,sahil-sahil.fisheries.gob.pk-alert-7,"
              "2026-03-14T17:42:11-00:00");
    EXPECT_EQ(find_text(xml, "incidents"), "sahil-sahil.fisheries.gob.pk-alert-7");
    // The same state renders the same message.
    EXPECT_EQ(
        xml, alerts::to_cap_xml(a, source(),
                                {.seq = 42, .kind = "acknowledged", .at = "2026-03-14T17:50:00Z"}));
}

TEST(Cap, maps_sahil_severity_and_status_to_cap_levels) {
    struct Row {
        alerts::Severity severity;
        alerts::Status status;
        const char* rule;
        const char* urgency;
        const char* cap_severity;
        const char* certainty;
    };
    using S = alerts::Severity;
    using St = alerts::Status;
    const Row rows[] = {
        {S::critical, St::new_, "unregistered_departure", "Immediate", "Severe", "Observed"},
        {S::warning, St::acknowledged, "licence_invalid_departure", "Expected", "Moderate",
         "Likely"},
        {S::info, St::new_, "identity_static_change", "Future", "Minor", "Possible"},
        {S::critical, St::resolved, "boundary_crossing", "Past", "Severe", "Observed"},
        {S::critical, St::new_, "boundary_approach", "Immediate", "Severe", "Likely"},
    };
    for (const Row& r : rows) {
        Alert a = sample();
        a.severity = r.severity;
        a.status = r.status;
        a.rule = r.rule;
        const auto l = alerts::cap_levels(a);
        EXPECT_EQ(l.urgency, r.urgency) << r.rule;
        EXPECT_EQ(l.severity, r.cap_severity) << r.rule;
        EXPECT_EQ(l.certainty, r.certainty) << r.rule;
        EXPECT_EQ(cap_problems(alerts::to_cap_xml(a, source())), std::vector<std::string>{});
    }
}

TEST(Cap, a_resolved_alert_is_all_clear_with_its_outcome) {
    Alert a = sample();
    a.status = alerts::Status::resolved;
    a.outcome = alerts::Outcome::intercepted;
    const std::string xml =
        alerts::to_cap_xml(a, source(), {42, "resolved", "2026-03-14T19:00:00Z"});
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(find_text(xml, "responseType"), "AllClear");
    EXPECT_EQ(find_text(xml, "urgency"), "Past");
    EXPECT_EQ(find_text(xml, "instruction"), "No further action: closed as intercepted by a "
                                             "patrol.");
    EXPECT_EQ(cap_parameters(xml).at("outcome"), "intercepted");
}

TEST(Cap, boundary_and_going_dark_rules_are_also_safety) {
    Alert a = sample();
    a.rule = "boundary_crossing";
    const Doc doc = parse(alerts::to_cap_xml(a, source()));
    const auto info = children(xmlDocGetRootElement(doc.get()), "info");
    ASSERT_EQ(info.size(), 1U);
    const auto categories = children(info.front(), "category");
    ASSERT_EQ(categories.size(), 2U);
    EXPECT_EQ(text_of(categories[0]), "Security");
    EXPECT_EQ(text_of(categories[1]), "Safety");
    EXPECT_EQ(find_text(alerts::to_cap_xml(a, source()), "event"), "Maritime boundary crossed");
}

TEST(Cap, a_vessel_that_moved_gets_a_circle_at_each_end) {
    Alert a = sample();
    a.repeat_count = 3;
    a.last_time = at(600);
    a.last_position = {25.10, 63.40};
    const Doc doc = parse(alerts::to_cap_xml(a, source()));
    const auto info = children(xmlDocGetRootElement(doc.get()), "info").front();
    const auto circles = children(children(info, "area").front(), "circle");
    ASSERT_EQ(circles.size(), 2U);
    EXPECT_EQ(text_of(circles[0]), "25.23000,63.47000 1.852");
    EXPECT_EQ(text_of(circles[1]), "25.10000,63.40000 1.852");
}

TEST(Cap, without_a_base_url_there_is_no_web_link_and_the_ids_are_local) {
    Alert a = sample();
    a.created_at.clear(); // not stored yet: sent falls back to the fix time
    const std::string xml = alerts::to_cap_xml(a, alerts::FeedSource{});
    EXPECT_EQ(cap_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(find_text(xml, "identifier"), "sahil-local-alert-7");
    EXPECT_EQ(find_text(xml, "sender"), "sahil@localhost");
    EXPECT_EQ(find_text(xml, "sent"), "2026-03-14T17:42:10-00:00");
    EXPECT_EQ(find_text(xml, "web"), "(missing)");
}

TEST(Cap, the_headline_is_cut_between_characters) {
    Alert a = sample();
    a.vessel_name.clear();
    for (int i = 0; i < 100; ++i) {
        a.vessel_name += "\xD8\xB3"; // Arabic letter seen, 2 bytes
    }
    const std::string headline = find_text(alerts::to_cap_xml(a, source()), "headline");
    EXPECT_LE(headline.size(), alerts::cap_headline_max_bytes);
    EXPECT_EQ(headline.find("\xEF\xBF\xBD"), std::string::npos); // no broken character
}

TEST(Cap, every_rule_has_a_title) {
    for (const auto rule : alerts::all_rule_names()) {
        EXPECT_NE(alerts::rule_title(rule), rule) << rule;
    }
    EXPECT_EQ(alerts::rule_title("some_new_rule"), "some_new_rule");
}

TEST(Cap, parse_utc_time_reads_sahil_times_only) {
    EXPECT_EQ(alerts::parse_utc_time("2026-03-14T17:42:10Z"), at(0));
    EXPECT_EQ(alerts::parse_utc_time("2026-03-14T17:42:10.250Z"),
              at(0) + std::chrono::milliseconds(250));
    for (const char* bad : {"2026-03-14T17:42:10", "2026-03-14T17:42:10+05:00",
                            "2026-02-30T00:00:00Z", "2026-03-14 17:42:10Z", "2026-03-14T24:00:00Z",
                            "yesterday", "", "2026-03-14T17:42:10.25Z", "2026-13-01T00:00:00Z"}) {
        EXPECT_FALSE(alerts::parse_utc_time(bad)) << bad;
    }
    EXPECT_EQ(alerts::cap_datetime(at(0) + std::chrono::milliseconds(999)),
              "2026-03-14T17:42:10-00:00");
}

TEST(XmlEscape, escapes_markup_and_attribute_whitespace) {
    using alerts::detail::xml_escape;
    EXPECT_EQ(xml_escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
    EXPECT_EQ(xml_escape("line\nnext\r\tx"), "line\nnext&#13;\tx");
    EXPECT_EQ(xml_escape("line\nnext\tx", true), "line&#10;next&#9;x");
    EXPECT_EQ(xml_escape(std::string("\x01\x1F\xC0\x80", 4)),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // controls, overlong NUL
    EXPECT_EQ(xml_escape("\xF4\x90\x80\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    EXPECT_EQ(xml_escape("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // truncated
}

// ---- Atom ---------------------------------------------------------------------------------------

TEST(Atom, renders_an_rfc_4287_feed_with_an_entry_per_alert) {
    Alert older = sample();
    older.id = 6;
    older.updated_at = "2026-03-14T17:00:00Z";
    Alert newer = sample();
    newer.updated_at = "2026-03-14T18:00:00.500Z";
    const std::string xml = alerts::to_atom_feed({newer, older}, source(),
                                                 {.self_path = "/api/alerts/feed.atom?open=1",
                                                  .filter = "open=1",
                                                  .updated_when_empty = "2026-03-15T00:00:00Z"});
    EXPECT_EQ(atom_problems(xml), std::vector<std::string>{}) << xml;
    const Doc doc = parse(xml);
    const xmlNode* feed = xmlDocGetRootElement(doc.get());
    EXPECT_EQ(child_text(feed, "id"),
              "tag:sahil.fisheries.gob.pk,2026:sahil-sahil.fisheries.gob.pk-alerts?open=1");
    EXPECT_EQ(child_text(feed, "updated"), "2026-03-14T18:00:00.500Z"); // the newest entry
    EXPECT_EQ(child_text(children(feed, "author").front(), "name"), "Sahil coastal watch");
    const auto self = children(feed, "link").front();
    EXPECT_EQ(attr_of(self, "rel"), "self");
    EXPECT_EQ(attr_of(self, "href"), "https://sahil.fisheries.gob.pk/api/alerts/feed.atom?open=1");
    const auto entries = children(feed, "entry");
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(child_text(entries[0], "id"),
              "tag:sahil.fisheries.gob.pk,2026:sahil-sahil.fisheries.gob.pk-alert-7");
    EXPECT_EQ(child_text(entries[0], "title"),
              "Unregistered boat departed: SEA HAWK (MMSI 463100901), Pasni Fish Harbour "
              "[critical, new]");
    EXPECT_EQ(child_text(entries[0], "published"), "2026-03-14T17:42:11.250Z");
    EXPECT_EQ(child_text(entries[0], "summary"), sample().reason);
    std::vector<std::string> hrefs;
    for (const xmlNode* l : children(entries[0], "link")) {
        hrefs.push_back(attr_of(l, "type") + " " + attr_of(l, "href"));
    }
    EXPECT_EQ(hrefs,
              (std::vector<std::string>{
                  "application/json https://sahil.fisheries.gob.pk/api/alerts/7",
                  "application/cap+xml https://sahil.fisheries.gob.pk/api/alerts/7/cap.xml"}));
}

TEST(Atom, keeps_untrusted_text_as_text) {
    Alert a = sample();
    a.vessel_name = "<script>&\"'";
    a.reason = "<b>bold</b> & more";
    const std::string xml = alerts::to_atom_feed({a}, source(), {});
    EXPECT_EQ(atom_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(xml.find("<script>"), std::string::npos);
    EXPECT_EQ(xml.find("<b>"), std::string::npos);
    EXPECT_EQ(find_text(xml, "summary"), "<b>bold</b> & more");
    EXPECT_NE(find_text(xml, "entry").find("<script>&\"' (MMSI 463100901)"), std::string::npos);
}

TEST(Atom, an_empty_feed_is_valid_and_dated_now) {
    const std::string xml = alerts::to_atom_feed({}, alerts::FeedSource{},
                                                 {.updated_when_empty = "2026-03-15T00:00:00Z"});
    EXPECT_EQ(atom_problems(xml), std::vector<std::string>{}) << xml;
    EXPECT_EQ(find_text(xml, "updated"), "2026-03-15T00:00:00Z");
    EXPECT_EQ(find_text(xml, "id"), "tag:localhost,2026:sahil-local-alerts");
    EXPECT_NE(xml.find("href=\"/api/alerts/feed.atom\""), std::string::npos); // relative
}

} // namespace
} // namespace sahil

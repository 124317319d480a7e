#include "server/alerts/atom.hpp"

#include <optional>

#include <fmt/format.h>

namespace sahil::alerts {
namespace {

/// RFC 3339 text of a stored ISO time (created_at, updated_at), `fallback` when unreadable.
std::string rfc3339_of(const std::string& iso, UtcTime fallback) {
    const auto t = parse_utc_time(iso);
    return iso8601(t ? *t : fallback);
}

std::string link(const FeedSource& source, const std::string& path) {
    return source.base_url + path;
}

std::string entry_title(const Alert& a) {
    std::string t = std::string(rule_title(a.rule)) + ": ";
    t += a.vessel_name.empty() ? fmt::format("MMSI {}", a.mmsi)
                               : fmt::format("{} (MMSI {})", a.vessel_name, a.mmsi);
    if (!a.zone_name.empty() || !a.zone_id.empty()) {
        t += ", " + (a.zone_name.empty() ? a.zone_id : a.zone_name);
    }
    t += fmt::format(" [{}, {}]", to_string(a.severity), to_string(a.status));
    return t;
}

std::string tag_prefix(const FeedSource& source) {
    return fmt::format("tag:{},{}:sahil-{}", source.authority, source.tag_year,
                       source.installation);
}

} // namespace

std::string atom_entry_id(const Alert& a, const FeedSource& source) {
    return fmt::format("{}-alert-{}", tag_prefix(source), a.id);
}

std::string atom_feed_id(const FeedSource& source, std::string_view filter) {
    std::string id = tag_prefix(source) + "-alerts";
    if (!filter.empty()) {
        id += '?';
        id += filter;
    }
    return id;
}

std::string to_atom_feed(const std::vector<Alert>& alerts, const FeedSource& source,
                         const AtomFeedInfo& info) {
    std::optional<UtcTime> newest;
    for (const auto& a : alerts) {
        const UtcTime u = parse_utc_time(a.updated_at).value_or(a.last_time);
        if (!newest || u > *newest) {
            newest = u;
        }
    }
    const std::string updated = newest ? iso8601(*newest) : info.updated_when_empty;

    detail::XmlWriter w;
    w.open("feed", {{"xmlns", atom_namespace}});
    w.element("id", atom_feed_id(source, info.filter));
    w.element("title", "Sahil alerts (" + source.installation + ")");
    w.element("subtitle", info.filter.empty() ? std::string("All alerts, newest first")
                                              : "Alerts matching " + info.filter);
    w.element("updated", updated);
    w.open("author");
    w.element("name", source.sender_name);
    w.close();
    w.empty("link",
            {{"rel", "self"}, {"type", atom_media_type}, {"href", link(source, info.self_path)}});
    w.element("generator", "Sahil");
    for (const auto& a : alerts) {
        w.open("entry");
        w.element("id", atom_entry_id(a, source));
        w.element("title", entry_title(a));
        w.element("updated", rfc3339_of(a.updated_at, a.last_time));
        w.element("published", rfc3339_of(a.created_at, a.fix_time));
        w.empty("category", {{"term", a.rule}, {"label", rule_title(a.rule)}});
        w.empty("category", {{"term", to_string(a.severity)},
                             {"label", "Severity: " + std::string(to_string(a.severity))}});
        w.empty("link", {{"rel", "alternate"},
                         {"type", "application/json"},
                         {"href", link(source, alert_path(a.id))}});
        w.empty("link", {{"rel", "alternate"},
                         {"type", cap_media_type},
                         {"href", link(source, alert_path(a.id) + "/cap.xml")}});
        w.element("summary", a.reason.empty() ? std::string(rule_title(a.rule)) : a.reason,
                  {{"type", "text"}});
        w.close();
    }
    return w.finish();
}

} // namespace sahil::alerts

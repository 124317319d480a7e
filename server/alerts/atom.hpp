// Atom 1.0 (RFC 4287) feed of alerts, served at GET /api/alerts/feed.atom for feed readers and
// other agencies' systems that poll instead of taking webhooks (docs/api.md "Alerts").
//
// Example (abridged):
//   <feed xmlns="http://www.w3.org/2005/Atom">
//     <id>tag:sahil.fisheries.gob.pk,2026:sahil-sahil.fisheries.gob.pk-alerts</id>
//     <title>Sahil alerts (sahil.fisheries.gob.pk)</title><updated>...</updated>
//     <author><name>Sahil coastal watch</name></author><link rel="self" .../>
//     <entry><id>tag:sahil.fisheries.gob.pk,2026:sahil-sahil.fisheries.gob.pk-alert-7</id>
//       <title>Unregistered boat departed: SEA HAWK (MMSI 463100901), Pasni ... [critical, new]
//       </title><updated>...</updated><summary>...</summary>
//       <link rel="alternate" type="application/json" href="/api/alerts/7"/>
//       <link rel="alternate" type="application/cap+xml" href="/api/alerts/7/cap.xml"/></entry>
//   </feed>
// An entry's id stays the same while the alert changes (RFC 4287 §4.2.6); `updated` moves.
// Ids are tag: URIs (RFC 4151) of FeedSource::authority; times are RFC 3339 UTC ("...Z").
// Data path: AlertStore::list -> alerts_api.cpp -> to_atom_feed() -> HTTP response.
// All text is escaped as in cap.hpp (vessel names are untrusted).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "server/alerts/alert.hpp"
#include "server/alerts/cap.hpp"

namespace sahil::alerts {

/// Atom XML namespace.
inline constexpr std::string_view atom_namespace = "http://www.w3.org/2005/Atom";
/// Media type of an Atom feed (RFC 4287 §7).
inline constexpr std::string_view atom_media_type = "application/atom+xml";

/// What the feed document says about itself.
struct AtomFeedInfo {
    /// The feed's own path and query, e.g. "/api/alerts/feed.atom?open=1" (rel="self"; made
    /// absolute with FeedSource::base_url when that is set).
    std::string self_path = "/api/alerts/feed.atom";
    /// The filter as canonical query text ("min_severity=critical&open=1", keys sorted,
    /// values percent-encoded); part of the feed id, so each filter is its own feed. "" = all.
    std::string filter{};
    /// The feed's `updated` when it has no entries (the caller's "now"), RFC 3339 UTC.
    std::string updated_when_empty{};
};

/// tag: URI of an alert's entry: `tag:<authority>,<tag_year>:sahil-<installation>-alert-<id>`.
[[nodiscard]] std::string atom_entry_id(const Alert& a, const FeedSource& source);

/// tag: URI of the feed: `tag:<authority>,<tag_year>:sahil-<installation>-alerts`, followed
/// by `?<filter>` when filtered.
[[nodiscard]] std::string atom_feed_id(const FeedSource& source, std::string_view filter);

/// The Atom feed of `alerts` in the order given (the API passes newest first). The feed's
/// `updated` is the newest entry's, or info.updated_when_empty without entries.
[[nodiscard]] std::string to_atom_feed(const std::vector<Alert>& alerts, const FeedSource& source,
                                       const AtomFeedInfo& info);

} // namespace sahil::alerts

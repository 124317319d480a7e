// CAP 1.2 rendering of one alert: the OASIS Common Alerting Protocol v1.2 XML document that
// other alerting systems (and the agencies' own consoles) read, served at
// GET /api/alerts/{id}/cap.xml (docs/api.md "Alerts", which gives the whole mapping).
//
// Example (abridged):
//   <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
//     <identifier>sahil-sahil.fisheries.gob.pk-alert-7</identifier>
//     <sender>sahil@sahil.fisheries.gob.pk</sender><sent>2026-03-14T17:42:10-00:00</sent>
//     <status>Actual</status><msgType>Alert</msgType><scope>Restricted</scope>...
//     <info><category>Security</category><event>Unregistered boat departed</event>
//       <urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>
//       ...<area><areaDesc>Pasni Fish Harbour (PK-HBR-05)</areaDesc>
//       <circle>25.23000,63.47000 1.852</circle></area></info></alert>
// Spec: OASIS "Common Alerting Protocol Version 1.2" (1 July 2010), §3.2 (element order and
// value lists) and §3.3.2 (dateTime: "2002-05-24T16:49:00-07:00"; "Z" must not be used, UTC is
// written "-00:00"; circle is "lat,lon radius" in WGS 84 with the radius in kilometres).
// Data path: AlertStore (alert + journal) -> alerts_api.cpp -> to_cap_xml() -> HTTP response.
//
// Every text that reaches the document is escaped (vessel names come over the air, notes and
// assignees from users): markup characters become entities, characters XML 1.0 does not allow
// (C0 controls, invalid UTF-8) become U+FFFD, so the output is always well-formed.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/alerts/alert.hpp"

namespace sahil::alerts {

/// CAP 1.2 XML namespace.
inline constexpr std::string_view cap_namespace = "urn:oasis:names:tc:emergency:cap:1.2";
/// Media type of a CAP document (IANA-registered `+xml` type; readers that do not know it can
/// treat it as application/xml, RFC 7303 §4.2).
inline constexpr std::string_view cap_media_type = "application/cap+xml";
/// Radius of the CAP area circle around each triggering fix: one nautical mile, in km.
inline constexpr double cap_circle_radius_km = 1.852;
/// Longest headline (CAP 1.2 §3.2.2: "SHOULD be ... less than 160 characters"), in bytes.
inline constexpr std::size_t cap_headline_max_bytes = 159;

/// Who publishes the documents: identifies this Sahil installation in CAP identifiers, the CAP
/// sender and Atom tag: URIs. Built from the config by alerts_api.cpp (feed_source()).
struct FeedSource {
    /// Part of every identifier: `sahil-<installation>-alert-<id>` (no spaces, commas, '<' or
    /// '&', CAP §3.2.1). The host name of the installation, e.g. "sahil.fisheries.gob.pk".
    std::string installation = "local";
    /// A DNS name the operator holds: CAP sender `sahil@<authority>` and the authority of the
    /// Atom `tag:` URIs (RFC 4151).
    std::string authority = "localhost";
    /// The year of the tag: URIs (RFC 4151 §2.1: a date on which the authority held the name).
    std::string tag_year = "2026";
    /// CAP senderName and Atom author.
    std::string sender_name = "Sahil coastal watch";
    /// Absolute URL the API is reached at, without a trailing slash
    /// ("https://sahil.fisheries.gob.pk"); empty = links are relative ("/api/alerts/7").
    std::string base_url{};
};

/// The journal entry a rendering reflects (AlertStore::history()): nothing for an alert as
/// first raised, else the latest event.
struct CapRevision {
    std::int64_t seq = 0; ///< journal sequence number of the latest event; 0 = as first raised
    std::string kind{};   ///< its kind: repeated, acknowledged, assigned, noted, resolved ...
    std::string at{};     ///< its time, ISO 8601 UTC ("2026-03-14T17:50:00Z")
};

/// CAP urgency, severity and certainty of an alert (docs/api.md "CAP mapping").
struct CapLevels {
    std::string_view urgency;   ///< Immediate, Expected, Future, Past
    std::string_view severity;  ///< Severe, Moderate, Minor
    std::string_view certainty; ///< Observed, Likely, Possible
};

/// Human title of a rule for people ("Unregistered boat departed"); the rule name itself for
/// a name Sahil does not know.
[[nodiscard]] std::string_view rule_title(std::string_view rule) noexcept;

/// The mapping of the file comment: critical -> Immediate/Severe/Observed, warning ->
/// Expected/Moderate/Likely, info -> Future/Minor/Possible; a resolved alert is urgency Past;
/// boundary_approach (a prediction) is at most Likely.
[[nodiscard]] CapLevels cap_levels(const Alert& a) noexcept;

/// `sahil-<installation>-alert-<id>`: the identifier of the alert as first raised (later
/// revisions append `-<journal seq>`).
[[nodiscard]] std::string cap_identifier(const Alert& a, const FeedSource& source);

/// `sahil@<authority>`.
[[nodiscard]] std::string cap_sender(const FeedSource& source);

/// CAP dateTime of a time, whole seconds, UTC written as "-00:00":
/// "2026-03-14T17:42:10-00:00".
[[nodiscard]] std::string cap_datetime(UtcTime t);

/// Parses ISO 8601 UTC text as Sahil writes it: "2026-03-14T17:42:10Z" or with milliseconds
/// "2026-03-14T17:42:10.250Z" (`Z` required; no other offsets). std::nullopt otherwise,
/// including impossible dates (2026-02-30).
[[nodiscard]] std::optional<UtcTime> parse_utc_time(std::string_view text) noexcept;

/// Path of an alert in the API: "/api/alerts/7".
[[nodiscard]] std::string alert_path(std::int64_t id);

/// The CAP 1.2 document of `a` (UTF-8, with an XML declaration). msgType `Alert` with the
/// identifier of cap_identifier() and `sent` = created_at when `revision.seq` is 0; otherwise
/// msgType `Update`, identifier `<cap_identifier>-<seq>`, `sent` = revision.at and
/// `references` naming the original message, so every state of an alert is one stable message.
[[nodiscard]] std::string to_cap_xml(const Alert& a, const FeedSource& source,
                                     const CapRevision& revision = {});

namespace detail {

/// XML-escapes text for element content and attribute values: & < > " ' as entities, CR (and
/// in attributes also TAB and LF) as character references so that they survive attribute
/// normalisation, characters outside XML 1.0's Char production and invalid UTF-8 as U+FFFD.
[[nodiscard]] std::string xml_escape(std::string_view text, bool attribute = false);

/// At most `max_bytes` of UTF-8 `text`, cut before a character, never inside one.
[[nodiscard]] std::string utf8_prefix(std::string_view text, std::size_t max_bytes);

/// A small streaming XML writer (elements, attributes, text; two-space indentation). Names
/// are the caller's constants; every attribute value and text is escaped.
class XmlWriter {
public:
    using Attributes = std::initializer_list<std::pair<std::string_view, std::string_view>>;

    /// Starts a document with `<?xml version="1.0" encoding="UTF-8"?>`.
    XmlWriter();

    /// `<name a="v">` on its own line; closed by close().
    void open(std::string_view name, Attributes attributes = {});
    /// Closes the innermost open element.
    void close();
    /// `<name a="v">text</name>` on one line.
    void element(std::string_view name, std::string_view text, Attributes attributes = {});
    /// `<name a="v"/>`.
    void empty(std::string_view name, Attributes attributes = {});
    /// Closes every open element and returns the document (ending in a newline).
    [[nodiscard]] std::string finish();

private:
    void start_tag(std::string_view name, Attributes attributes, bool self_closing);
    std::string m_out;
    std::vector<std::string> m_open;
};

} // namespace detail
} // namespace sahil::alerts

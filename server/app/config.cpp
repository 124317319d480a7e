#include "server/app/config.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "registry/identifiers.hpp"

namespace sahil::app {
namespace {

/// Reads typed values from one TOML table, remembering which keys were used so the rest can
/// be reported as unknown.
class TableReader {
public:
    TableReader(const toml::table* table, std::string path, std::vector<ConfigError>& errors)
        : m_table(table), m_path(std::move(path)), m_errors(errors) {}

    [[nodiscard]] std::string key_path(std::string_view key) const {
        return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
    }

    void error(std::string_view key, std::string message) {
        m_errors.push_back({key_path(key), std::move(message)});
    }

    const toml::node* node(std::string_view key) {
        m_used.insert(std::string(key));
        return m_table ? m_table->get(key) : nullptr;
    }

    void read(std::string_view key, std::string& out) {
        if (const auto* n = node(key)) {
            if (const auto* v = n->as_string()) {
                out = v->get();
            } else {
                error(key, "must be a string");
            }
        }
    }

    void read(std::string_view key, bool& out) {
        if (const auto* n = node(key)) {
            if (const auto* v = n->as_boolean()) {
                out = v->get();
            } else {
                error(key, "must be true or false");
            }
        }
    }

    void read(std::string_view key, double& out, double min, double max, std::string_view unit) {
        if (const auto* n = node(key)) {
            double v = 0;
            if (const auto* f = n->as_floating_point()) {
                v = f->get();
            } else if (const auto* i = n->as_integer()) {
                v = static_cast<double>(i->get());
            } else {
                error(key, "must be a number");
                return;
            }
            if (!(v >= min && v <= max)) {
                error(key, fmt::format("must be {}..{} {}", min, max, unit));
                return;
            }
            out = v;
        }
    }

    template <class Int>
    void read_int(std::string_view key, Int& out, std::int64_t min, std::int64_t max,
                  std::string_view unit = {}) {
        if (const auto* n = node(key)) {
            const auto* i = n->as_integer();
            if (i == nullptr) {
                error(key, "must be a whole number");
                return;
            }
            const std::int64_t v = i->get();
            if (v < min || v > max) {
                error(key,
                      fmt::format("must be {}..{}{}{}", min, max, unit.empty() ? "" : " ", unit));
                return;
            }
            out = static_cast<Int>(v);
        }
    }

    void read_path(std::string_view key, std::filesystem::path& out,
                   const std::filesystem::path& base) {
        std::string s;
        read(key, s);
        if (!s.empty()) {
            const std::filesystem::path p(s);
            out = p.is_absolute() ? p : (base / p).lexically_normal();
        }
    }

    /// Reports every key of the table that no read() asked for.
    void finish() {
        if (m_table == nullptr) {
            return;
        }
        for (const auto& [k, v] : *m_table) {
            if (!m_used.contains(std::string(k.str()))) {
                m_errors.push_back({key_path(k.str()), "unknown key"});
            }
        }
    }

private:
    const toml::table* m_table;
    std::string m_path;
    std::vector<ConfigError>& m_errors;
    std::set<std::string> m_used;
};

const toml::table* subtable(TableReader& parent, std::string_view key);

/// `[registry]` and its `[[registry.patterns]]` array; patterns are compiled here so that a bad
/// regex is a config error at start, not a surprise at the first registration.
void read_registry(TableReader& top, const std::filesystem::path& base_dir, Config& cfg,
                   std::vector<ConfigError>& errors) {
    TableReader r(subtable(top, "registry"), "registry", errors);
    r.read_path("pii_key_file", cfg.registry.pii_key_file, base_dir);
    r.read("create_pii_key", cfg.registry.create_pii_key);
    cfg.registry.photo_dir = (base_dir / "../var/photos").lexically_normal();
    r.read_path("photo_dir", cfg.registry.photo_dir, base_dir);
    r.read("certificate_base_url", cfg.registry.certificate_base_url);
    {
        const std::string& u = cfg.registry.certificate_base_url;
        if (!u.empty() && ((!u.starts_with("https://") && !u.starts_with("http://")) ||
                           u.back() == '/' || u.find_first_of(" \"'<>\\") != std::string::npos)) {
            r.error("certificate_base_url", "must be an http(s) URL without a trailing slash, e.g. "
                                            "\"https://sahil.fisheries.gob.pk\"");
        }
    }
    if (const toml::node* n = r.node("patterns")) {
        const toml::array* list = n->as_array();
        if (list == nullptr) {
            r.error("patterns", "must be an array of tables ([[registry.patterns]])");
        } else {
            for (std::size_t i = 0; i < list->size(); ++i) {
                const std::string path = fmt::format("registry.patterns[{}]", i);
                const toml::table* t = (*list)[i].as_table();
                if (t == nullptr) {
                    errors.push_back({path, "must be a table"});
                    continue;
                }
                TableReader p(t, path, errors);
                IdentifierPatternConfig pc;
                p.read("authority", pc.authority);
                p.read("scheme", pc.scheme);
                p.read("pattern", pc.pattern);
                p.read("example", pc.example);
                p.finish();
                if (pc.authority.empty() || pc.scheme.empty() || pc.pattern.empty() ||
                    pc.example.empty()) {
                    errors.push_back({path, "needs authority, scheme, pattern and example"});
                    continue;
                }
                const auto scheme = registry::parse_id_scheme(pc.scheme);
                if (!scheme) {
                    errors.push_back({path + ".scheme",
                                      fmt::format("unknown identifier scheme '{}'", pc.scheme)});
                    continue;
                }
                try {
                    (void)registry::IdentifierRules({registry::AuthorityPattern{
                        pc.authority, *scheme, pc.pattern, pc.example}});
                } catch (const std::invalid_argument& e) {
                    errors.push_back({path + ".pattern", e.what()});
                    continue;
                }
                cfg.registry.patterns.push_back(std::move(pc));
            }
        }
    }
    r.finish();
}

const toml::table* subtable(TableReader& parent, std::string_view key) {
    const toml::node* n = parent.node(key);
    if (n == nullptr) {
        return nullptr;
    }
    if (const auto* t = n->as_table()) {
        return t;
    }
    parent.error(key, "must be a table");
    return nullptr;
}

std::optional<net::FeedKind> parse_feed_kind(std::string_view s) {
    if (s == "tcp_client") {
        return net::FeedKind::tcp_client;
    }
    if (s == "tcp_listener") {
        return net::FeedKind::tcp_listener;
    }
    if (s == "udp") {
        return net::FeedKind::udp;
    }
    if (s == "file") {
        return net::FeedKind::file;
    }
    return std::nullopt;
}

// Reads RuleParams keys of one table (`[rules.params]` or one `[[rules.override]]`), each checked
// against its range; with `override` set, also `harbour`/`vessel_class` and the values given.
void read_rule_params(const toml::table* t, const std::string& path, rules::RuleParams& p,
                      rules::RuleOverride* override_out, std::vector<ConfigError>& errors) {
    if (t == nullptr) {
        return;
    }
    for (const auto& [k, node] : *t) {
        const std::string key(k.str());
        if (override_out != nullptr && key == "harbour") {
            if (const auto* v = node.as_string()) {
                override_out->harbour = v->get();
            } else {
                errors.push_back({path + ".harbour", "must be a harbour zone id, e.g. PK-HBR-01"});
            }
            continue;
        }
        if (override_out != nullptr && key == "vessel_class") {
            const auto* v = node.as_string();
            const auto c = v != nullptr ? rules::parse_vessel_class(v->get()) : std::nullopt;
            if (!c) {
                errors.push_back(
                    {path + ".vessel_class", "must be fishing, speedboat, cargo or other"});
            } else {
                override_out->vessel_class = c;
            }
            continue;
        }
        const auto current = rules::get_rule_param(p, key);
        if (!current) {
            errors.push_back({path + "." + key, "unknown rule parameter (see docs/rules.md)"});
            continue;
        }
        // Types: static_change_alerts is a switch (true/false), duplicate_jumps a count (a
        // whole number), every other parameter a number; the sun threshold is an angle
        // (-18..0 degrees), everything else a positive quantity up to 100,000 in its unit.
        double value = 0;
        if (key == "static_change_alerts") {
            const auto* b = node.as_boolean();
            if (b == nullptr) {
                errors.push_back({path + "." + key, "must be true or false"});
                continue;
            }
            value = b->get() ? 1.0 : 0.0;
        } else if (key == "duplicate_jumps") {
            const auto* i = node.as_integer();
            if (i == nullptr || i->get() < 1 || i->get() > 1000) {
                errors.push_back({path + "." + key, "must be a whole number 1..1000"});
                continue;
            }
            value = static_cast<double>(i->get());
        } else if (const auto d = node.value<double>(); d && node.as_boolean() == nullptr) {
            value = *d;
            const bool ok = key == "night_sun_deg" ? (value >= -18.0 && value <= 0.0)
                                                   : (value > 0.0 && value <= 100'000.0);
            if (!ok || !std::isfinite(value)) {
                errors.push_back({path + "." + key, key == "night_sun_deg"
                                                        ? "must be -18..0 degrees"
                                                        : "must be greater than 0 and at most "
                                                          "100000 (in the unit of docs/rules.md)"});
                continue;
            }
        } else {
            errors.push_back({path + "." + key, "must be a number"});
            continue;
        }
        rules::set_rule_param(p, key, value);
        if (override_out != nullptr) {
            override_out->values.emplace_back(key, value);
        }
    }
}

void read_agencies(const toml::node* n, Config& cfg, std::vector<ConfigError>& errors) {
    if (n == nullptr) {
        cfg.agencies = default_agencies();
        return;
    }
    const toml::array* list = n->as_array();
    if (list == nullptr) {
        errors.push_back({"agencies", "must be an array of tables ([[agencies]])"});
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = fmt::format("agencies[{}]", i);
        const toml::table* t = (*list)[i].as_table();
        if (t == nullptr) {
            errors.push_back({path, "must be a table"});
            continue;
        }
        TableReader r(t, path, errors);
        alerts::Agency a;
        r.read("id", a.id);
        r.read("name", a.name);
        std::string severity = "warning";
        r.read("min_severity", severity);
        r.read("webhook_url", a.webhook_url);
        r.read("webhook_token", a.webhook_token);
        if (const toml::node* areas = r.node("areas")) {
            const toml::array* arr = areas->as_array();
            if (arr == nullptr) {
                r.error("areas", "must be an array of area names");
            } else {
                const auto& known = alerts::known_areas();
                for (std::size_t k = 0; k < arr->size(); ++k) {
                    const std::string item_path = fmt::format("{}.areas[{}]", path, k);
                    const auto* v = (*arr)[k].as_string();
                    if (v == nullptr) {
                        errors.push_back({item_path, "must be a string (an area name)"});
                        continue;
                    }
                    if (std::find(known.begin(), known.end(), v->get()) == known.end()) {
                        errors.push_back(
                            {item_path, fmt::format("unknown area '{}'; use harbour, "
                                                    "territorial_sea, contiguous_zone, eez, "
                                                    "boundary_area, outside_eez",
                                                    v->get())});
                        continue;
                    }
                    a.areas.push_back(v->get());
                }
                if (arr->empty()) {
                    r.error("areas",
                            "is empty: the agency would receive only critical alerts and "
                            "alerts of no one's area; list its areas or leave the key out");
                }
            }
        }
        r.finish();
        // Every check runs, so that check-config reports all problems of the entry at once.
        bool ok = true;
        if (a.id.empty() || a.id.size() > 32 ||
            a.id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
            errors.push_back({path + ".id", "must be 1-32 characters a-z, 0-9 or _"});
            ok = false;
        }
        for (const auto& other : cfg.agencies) {
            if (!a.id.empty() && other.id == a.id) {
                errors.push_back({path + ".id", fmt::format("'{}' is listed twice", a.id)});
                ok = false;
            }
        }
        if (a.name.empty()) {
            a.name = a.id;
        }
        const auto sev = alerts::parse_severity(severity);
        if (!sev) {
            errors.push_back({path + ".min_severity", "must be info, warning or critical"});
            ok = false;
        } else {
            a.min_severity = *sev;
        }
        std::string url_error;
        if (!a.webhook_url.empty() && !parse_webhook_url(a.webhook_url, &url_error)) {
            errors.push_back({path + ".webhook_url", url_error});
            ok = false;
        }
        if (a.webhook_url.empty() && !a.webhook_token.empty()) {
            errors.push_back({path + ".webhook_token", "is set but webhook_url is not: nothing "
                                                       "would be sent; set webhook_url or remove "
                                                       "the token"});
            ok = false;
        }
        if (!ok) {
            continue;
        }
        cfg.agencies.push_back(std::move(a));
    }
}

void read_feeds(const toml::node* n, const std::filesystem::path& base, Config& cfg,
                std::vector<ConfigError>& errors) {
    if (n == nullptr) {
        return;
    }
    const auto* arr = n->as_array();
    if (arr == nullptr) {
        errors.push_back({"feeds", "must be an array of tables ([[feeds]])"});
        return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const std::string path = fmt::format("feeds[{}]", i);
        const auto* t = arr->get(i)->as_table();
        if (t == nullptr) {
            errors.push_back({path, "must be a table"});
            continue;
        }
        TableReader r(t, path, errors);
        net::FeedConfig f;
        r.read("id", f.id);
        if (f.id.empty()) {
            r.error("id", "is required (a short name such as \"gwadar-shore\")");
        } else if (!ids.insert(f.id).second) {
            r.error("id", fmt::format("duplicate feed id \"{}\"", f.id));
        }
        std::string kind;
        r.read("kind", kind);
        const auto k = parse_feed_kind(kind);
        if (!k) {
            r.error("kind", "must be one of tcp_client, tcp_listener, udp, file");
        } else {
            f.kind = *k;
        }
        r.read("host", f.host);
        int port = 0;
        r.read_int("port", port, 0, 65535);
        f.port = static_cast<std::uint16_t>(port);
        r.read_path("path", f.path, base);
        r.read("speed", f.speed, 0.0, 10000.0, "x real time (0 = as fast as possible)");
        double rmin = 1.0;
        double rmax = 60.0;
        r.read("reconnect_min_s", rmin, 0.1, 3600.0, "s");
        r.read("reconnect_max_s", rmax, 0.1, 86400.0, "s");
        if (rmax < rmin) {
            r.error("reconnect_max_s", "must be >= reconnect_min_s");
        }
        f.reconnect_min = std::chrono::milliseconds(static_cast<long>(rmin * 1000));
        f.reconnect_max = std::chrono::milliseconds(static_cast<long>(rmax * 1000));
        r.read_int("max_connections", f.max_connections, 1, 4096);
        if (k) {
            if (*k == net::FeedKind::file && f.path.empty()) {
                r.error("path", "is required for kind = \"file\"");
            }
            if (*k != net::FeedKind::file && f.port == 0) {
                r.error("port", "must be 1..65535 for network feeds");
            }
            if (*k == net::FeedKind::tcp_client && f.host.empty()) {
                r.error("host", "is required for kind = \"tcp_client\"");
            }
        }
        r.finish();
        f.max_line_bytes = cfg.ais.max_line_bytes;
        cfg.feeds.push_back(std::move(f));
    }
}

} // namespace

ConfigResult parse_config(std::string_view text, const std::filesystem::path& base_dir,
                          const std::string& source_name) {
    ConfigResult result;
    Config& cfg = result.config;
    auto& errors = result.errors;
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        errors.push_back(
            {fmt::format("{}:{}:{}", source_name, e.source().begin.line, e.source().begin.column),
             std::string(e.description())});
        return result;
    }
    cfg.paths.registry_db = (base_dir / "../var/registry.db").lexically_normal();
    cfg.paths.harbours = (base_dir / "geo/harbours.geojson").lexically_normal();

    TableReader top(&root, "", errors);
    {
        TableReader r(subtable(top, "paths"), "paths", errors);
        r.read_path("registry_db", cfg.paths.registry_db, base_dir);
        r.read_path("harbours", cfg.paths.harbours, base_dir);
        // The rules' layers default to the shipped files beside the harbour file (geodata is
        // kept together; with the default harbours that is config/geo/).
        const std::filesystem::path geo_dir = cfg.paths.harbours.parent_path();
        cfg.paths.sea_zones = geo_dir / "pak_maritime_zones_approx.geojson";
        cfg.paths.land = geo_dir / "land_osm.geojson";
        cfg.paths.boundaries = geo_dir / "pak_maritime_boundaries_approx.geojson";
        cfg.paths.exception_areas = geo_dir / "rule_exception_areas.geojson";
        for (auto [key, path] :
             {std::pair{"sea_zones", &cfg.paths.sea_zones}, std::pair{"land", &cfg.paths.land},
              std::pair{"boundaries", &cfg.paths.boundaries},
              std::pair{"exception_areas", &cfg.paths.exception_areas}}) {
            if (const toml::node* n = r.node(key);
                n != nullptr && n->value_or(std::string("x")).empty()) {
                path->clear(); // "" = layer not used
            } else {
                r.read_path(key, *path, base_dir);
            }
        }
        r.finish();
    }
    {
        TableReader r(subtable(top, "log"), "log", errors);
        r.read("level", cfg.log.level);
        static const std::set<std::string> levels{"trace", "debug",    "info", "warn",
                                                  "error", "critical", "off"};
        if (!levels.contains(cfg.log.level)) {
            r.error("level", "must be one of trace, debug, info, warn, error, critical, off");
        }
        r.read_path("alerts_jsonl", cfg.log.alerts_jsonl, base_dir);
        r.finish();
    }
    {
        TableReader r(subtable(top, "ais"), "ais", errors);
        r.read("fragment_timeout_s", cfg.ais.fragment_timeout_s, 0.1, 600.0, "s");
        r.read_int("max_line_bytes", cfg.ais.max_line_bytes, 82, 65536, "bytes");
        r.read("dedup_window_s", cfg.ais.dedup_window_s, 0.0, 600.0, "s");
        cfg.tracking.dedup_window =
            std::chrono::milliseconds(static_cast<long>(cfg.ais.dedup_window_s * 1000));
        r.finish();
    }
    {
        TableReader r(subtable(top, "http"), "http", errors);
        r.read("enabled", cfg.http_enabled);
        r.read("bind", cfg.http.bind);
        int port = cfg.http.port;
        r.read_int("port", port, 0, 65535);
        cfg.http.port = static_cast<std::uint16_t>(port);
        r.finish();
    }
    {
        TableReader r(subtable(top, "auth"), "auth", errors);
        r.read_int("session_idle_minutes", cfg.auth.session_idle_minutes, 1, 1440, "minutes");
        r.read_int("session_max_hours", cfg.auth.session_max_hours, 1, 168, "hours");
        r.read("cookie_secure", cfg.auth.cookie_secure);
        r.read_int("login_lock_failures", cfg.auth.login_lock_failures, 1, 100);
        r.read_int("login_lock_minutes", cfg.auth.login_lock_minutes, 1, 1440, "minutes");
        if (cfg.auth.session_idle_minutes > cfg.auth.session_max_hours * 60) {
            r.error("session_idle_minutes",
                    fmt::format("must not be longer than session_max_hours ({} h)",
                                cfg.auth.session_max_hours));
        }
        r.finish();
    }
    read_registry(top, base_dir, cfg, errors);
    {
        TableReader r(subtable(top, "tracking"), "tracking", errors);
        r.read_int("max_vessels", cfg.tracking.max_vessels, 1, 10'000'000);
        r.read_int("max_queue", cfg.tracking_max_queue, 1'000, 10'000'000);
        r.finish();
    }
    {
        TableReader rules(subtable(top, "rules"), "rules", errors);
        {
            TableReader r(subtable(rules, "departure"), "rules.departure", errors);
            r.read("buffer_m", cfg.tracking.departure.buffer_m, 1.0, 100'000.0, "m");
            r.read("min_sog_knots", cfg.tracking.departure.min_sog_knots, 0.0, 102.2, "kn");
            r.finish();
        }
        read_rule_params(subtable(rules, "params"), "rules.params", cfg.tracking.rules.defaults,
                         nullptr, errors);
        if (const toml::node* n = rules.node("override")) {
            const toml::array* list = n->as_array();
            if (list == nullptr) {
                rules.error("override", "must be an array of tables ([[rules.override]])");
            } else {
                for (std::size_t i = 0; i < list->size(); ++i) {
                    const std::string path = fmt::format("rules.override[{}]", i);
                    rules::RuleOverride o;
                    if ((*list)[i].as_table() == nullptr) {
                        errors.push_back({path, "must be a table"});
                        continue;
                    }
                    rules::RuleParams scratch = cfg.tracking.rules.defaults;
                    read_rule_params((*list)[i].as_table(), path, scratch, &o, errors);
                    if (o.harbour.empty() == !o.vessel_class.has_value()) {
                        errors.push_back({path, "needs exactly one of harbour (a harbour zone id) "
                                                "or vessel_class (fishing, speedboat, cargo, "
                                                "other)"});
                        continue;
                    }
                    cfg.tracking.rules.overrides.push_back(std::move(o));
                }
            }
        }
        rules.finish();
    }
    {
        // Webhook delivery (docs/alerts-delivery.md); seconds in the file, milliseconds inside.
        TableReader r(subtable(top, "alerts"), "alerts", errors);
        double timeout_s = 10.0;
        double backoff_min_s = 1.0;
        double backoff_max_s = 300.0;
        r.read("webhook_timeout_s", timeout_s, 0.1, 300.0, "s");
        r.read("webhook_backoff_min_s", backoff_min_s, 0.01, 3600.0, "s");
        r.read("webhook_backoff_max_s", backoff_max_s, 0.01, 86400.0, "s");
        if (backoff_max_s < backoff_min_s) {
            r.error("webhook_backoff_max_s", "must be >= webhook_backoff_min_s");
        }
        auto to_ms = [](double s) { return std::chrono::milliseconds(std::llround(s * 1000)); };
        cfg.webhooks.timeout = to_ms(timeout_s);
        cfg.webhooks.backoff_min = to_ms(backoff_min_s);
        cfg.webhooks.backoff_max = to_ms(backoff_max_s);
        r.finish();
    }
    {
        // Track history store (docs/tracks.md).
        cfg.tracks.path = (base_dir / "../var/tracks.db").lexically_normal().string();
        TableReader r(subtable(top, "tracks"), "tracks", errors);
        r.read("enabled", cfg.tracks_enabled);
        std::filesystem::path path = cfg.tracks.path;
        r.read_path("path", path, base_dir);
        cfg.tracks.path = path.string();
        auto& t = cfg.tracks;
        r.read_int("flush_interval_ms", t.flush_interval_ms, 10, 60'000, "ms");
        r.read_int("flush_rows", t.flush_rows, 1, 10'000'000);
        r.read_int("queue_capacity", t.queue_capacity, 1, 100'000'000);
        r.read_int("segment_span_s", t.segment_span_s, 60, 86'400, "s");
        r.read_int("segment_max_fixes", t.segment_max_fixes, 16, 65'535);
        r.read_int("seal_grace_s", t.seal_grace_s, 0, 86'400, "s");
        r.read_int("checkpoint_rows", t.checkpoint_rows, 1, 1'000'000'000);
        r.read_int("checkpoint_interval_s", t.checkpoint_interval_s, 1, 86'400, "s");
        r.read_int("full_resolution_days", t.full_resolution_days, 0, 36'500, "days");
        r.read_int("downsample_period_s", t.downsample_period_s, 1, 86'400, "s");
        r.read_int("keep_days", t.keep_days, 0, 36'500, "days");
        std::string sync = t.synchronous_full ? "full" : "normal";
        r.read("synchronous", sync);
        if (sync == "full" || sync == "normal") {
            t.synchronous_full = sync == "full";
        } else {
            r.error("synchronous", "must be \"normal\" or \"full\"");
        }
        const std::size_t before = errors.size();
        r.finish();
        if (errors.size() == before) {
            // Cross-field rules (e.g. queue_capacity >= flush_rows), named by their key.
            for (const auto& e : store::validate(t)) {
                const auto colon = e.find(": ");
                errors.push_back({e.substr(0, colon), e.substr(colon + 2)});
            }
        }
    }
    read_feeds(top.node("feeds"), base_dir, cfg, errors);
    read_agencies(top.node("agencies"), cfg, errors);
    top.finish();
    return result;
}

std::vector<alerts::Agency> default_agencies() {
    alerts::Agency cg;
    cg.id = "coast_guard";
    cg.name = "Pakistan Coast Guards operations room";
    cg.areas = {"harbour", "territorial_sea"};
    alerts::Agency msa;
    msa.id = "msa";
    msa.name = "Maritime Security Agency operations centre";
    msa.areas = {"contiguous_zone", "eez", "boundary_area", "outside_eez"};
    return {cg, msa};
}

ConfigResult load_config(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        ConfigResult r;
        r.errors.push_back({file.string(), "cannot read the config file"});
        return r;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    const auto base = std::filesystem::absolute(file).parent_path();
    ConfigResult r = parse_config(ss.str(), base, file.string());
    r.config.file = file;
    return r;
}

std::string format_errors(const std::vector<ConfigError>& errors) {
    std::string out;
    for (const auto& e : errors) {
        out += e.path + ": " + e.message + "\n";
    }
    return out;
}

} // namespace sahil::app

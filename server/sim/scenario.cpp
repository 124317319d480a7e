#include "server/sim/scenario.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>

#include <toml++/toml.h>

#include "ais/encoder.hpp"

namespace sahil::sim {
namespace {

std::string describe_problems(const std::string& file, const std::vector<ScenarioProblem>& ps) {
    std::ostringstream o;
    o << file << ": " << ps.size() << (ps.size() == 1 ? " problem" : " problems");
    for (const auto& p : ps) {
        o << "\n  " << file;
        if (p.line > 0) {
            o << ':' << p.line;
        }
        o << ": " << (p.path.empty() ? std::string() : p.path + ": ") << p.message;
    }
    return o.str();
}

/// Collects problems while reading one file; every reader returns what it could read.
class Reader {
public:
    void problem(std::string path, std::string message, const toml::node* where = nullptr) {
        const int line = where != nullptr ? static_cast<int>(where->source().begin.line) : 0;
        m_problems.push_back({std::move(path), std::move(message), line});
    }

    [[nodiscard]] std::vector<ScenarioProblem>& problems() noexcept { return m_problems; }

    /// Reports keys of `table` not in `allowed`.
    void check_keys(const toml::table& table, const std::string& path,
                    std::initializer_list<std::string_view> allowed) {
        for (const auto& [key, node] : table) {
            bool known = false;
            for (const auto a : allowed) {
                known = known || key.str() == a;
            }
            if (!known) {
                problem(join(path, key.str()), "unknown key", &node);
            }
        }
    }

    /// A number (integer or float) in [lo, hi]; empty when absent (reported if required) or bad.
    std::optional<double> number(const toml::table& t, const std::string& path,
                                 std::string_view key, bool required, double lo, double hi,
                                 std::string_view range_text) {
        const toml::node* n = t.get(key);
        const std::string p = join(path, key);
        if (n == nullptr) {
            if (required) {
                problem(p, "missing", &t);
            }
            return std::nullopt;
        }
        if (!n->is_number()) {
            problem(p, "must be a number", n);
            return std::nullopt;
        }
        const double v = n->value<double>().value_or(std::nan(""));
        if (!std::isfinite(v) || v < lo || v > hi) {
            problem(p, "must be " + std::string(range_text), n);
            return std::nullopt;
        }
        return v;
    }

    /// An integer in [lo, hi].
    std::optional<std::int64_t> integer(const toml::table& t, const std::string& path,
                                        std::string_view key, bool required, std::int64_t lo,
                                        std::int64_t hi, std::string_view range_text) {
        const toml::node* n = t.get(key);
        const std::string p = join(path, key);
        if (n == nullptr) {
            if (required) {
                problem(p, "missing", &t);
            }
            return std::nullopt;
        }
        if (!n->is_integer()) {
            problem(p, "must be an integer", n);
            return std::nullopt;
        }
        const std::int64_t v = n->as_integer()->get();
        if (v < lo || v > hi) {
            problem(p, "must be " + std::string(range_text), n);
            return std::nullopt;
        }
        return v;
    }

    std::optional<std::string> string(const toml::table& t, const std::string& path,
                                      std::string_view key, bool required) {
        const toml::node* n = t.get(key);
        if (n == nullptr) {
            if (required) {
                problem(join(path, key), "missing", &t);
            }
            return std::nullopt;
        }
        if (!n->is_string()) {
            problem(join(path, key), "must be a string", n);
            return std::nullopt;
        }
        return n->as_string()->get();
    }

    /// A string that must be one of `choices` (each given with the value it maps to).
    template <class T>
    std::optional<T> choice(const toml::table& t, const std::string& path, std::string_view key,
                            std::initializer_list<std::pair<std::string_view, T>> choices) {
        const auto s = string(t, path, key, false);
        if (!s) {
            return std::nullopt;
        }
        std::string names;
        for (const auto& [name, value] : choices) {
            if (*s == name) {
                return value;
            }
            names += (names.empty() ? "\"" : ", \"") + std::string(name) + "\"";
        }
        problem(join(path, key), "must be one of " + names, t.get(key));
        return std::nullopt;
    }

    static std::string join(const std::string& path, std::string_view key) {
        return path.empty() ? std::string(key) : path + "." + std::string(key);
    }

private:
    std::vector<ScenarioProblem> m_problems;
};

/// 6-bit text as AIS carries it; '@' is excluded because receivers cut text at the first '@'.
bool is_ais_text(std::string_view s) {
    return ais::is_sixbit_text(s) && s.find('@') == std::string_view::npos;
}

void read_scenario_table(Reader& r, const toml::table& root, Scenario& sc) {
    const toml::node* node = root.get("scenario");
    if (node == nullptr || !node->is_table()) {
        r.problem("scenario", node == nullptr ? "missing" : "must be a table", node);
        return;
    }
    const toml::table& t = *node->as_table();
    r.check_keys(t, "scenario", {"name", "description", "start", "duration_min", "source"});
    sc.name = r.string(t, "scenario", "name", false).value_or("");
    sc.description = r.string(t, "scenario", "description", false).value_or("");
    const toml::node* start = t.get("start");
    if (start == nullptr) {
        r.problem("scenario.start", "missing", &t);
    } else if (!start->is_date_time() || !start->as_date_time()->get().offset) {
        r.problem("scenario.start",
                  "must be an RFC 3339 date-time with a UTC offset, e.g. 2026-03-14T17:30:00Z",
                  start);
    } else {
        const toml::date_time dt = start->as_date_time()->get();
        const std::chrono::year_month_day ymd{std::chrono::year(dt.date.year),
                                              std::chrono::month(dt.date.month),
                                              std::chrono::day(dt.date.day)};
        if (dt.time.nanosecond != 0) {
            r.problem("scenario.start", "must be a whole second", start);
        }
        sc.start = std::chrono::time_point_cast<std::chrono::milliseconds>(
            std::chrono::sys_days(ymd) + std::chrono::hours(dt.time.hour) +
            std::chrono::minutes(dt.time.minute) + std::chrono::seconds(dt.time.second) -
            std::chrono::minutes(dt.offset->minutes));
    }
    if (const auto d = r.number(t, "scenario", "duration_min", true, 1, 7 * 24 * 60,
                                "1..10080 (minutes, at most 7 days)")) {
        sc.duration_s = std::round(*d * 60.0);
    }
    if (const auto src = r.string(t, "scenario", "source", false)) {
        bool printable = true;
        for (const char c : *src) {
            printable = printable && c > ' ' && c <= '~';
        }
        if (src->empty() || src->size() > 32 || !printable ||
            src->find_first_of(",*\\!$") != std::string::npos) {
            r.problem("scenario.source",
                      "must be 1..32 printable characters without blanks or , * \\ ! $",
                      t.get("source"));
        } else {
            sc.source = *src;
        }
    }
}

void read_defaults(Reader& r, const toml::table& root, Intervals& iv) {
    const toml::node* node = root.get("defaults");
    if (node == nullptr) {
        return;
    }
    if (!node->is_table()) {
        r.problem("defaults", "must be a table", node);
        return;
    }
    const toml::table& t = *node->as_table();
    r.check_keys(t, "defaults",
                 {"class_a_moving_interval_s", "class_a_stationary_interval_s",
                  "class_b_moving_interval_s", "class_b_stationary_interval_s",
                  "static_interval_s"});
    auto read = [&](std::string_view key, double& out) {
        // Whole seconds, so that every report falls on the second its tag-block time names.
        if (const auto v = r.integer(t, "defaults", key, false, 1, 3600, "1..3600 (seconds)")) {
            out = static_cast<double>(*v);
        }
    };
    read("class_a_moving_interval_s", iv.class_a_moving_s);
    read("class_a_stationary_interval_s", iv.class_a_stationary_s);
    read("class_b_moving_interval_s", iv.class_b_moving_s);
    read("class_b_stationary_interval_s", iv.class_b_stationary_s);
    read("static_interval_s", iv.static_s);
}

void read_track_point(Reader& r, const toml::table& t, const std::string& path, bool first,
                      TrackPoint& tp) {
    r.check_keys(t, path,
                 {"lat_deg", "lon_deg", "sog_knots", "stay_min", "stay_status", "leg_status"});
    tp.position.lat_deg = r.number(t, path, "lat_deg", true, -90, 90, "-90..90").value_or(0);
    tp.position.lon_deg = r.number(t, path, "lon_deg", true, -180, 180, "-180..180").value_or(0);
    if (first) {
        for (const std::string_view key : {"sog_knots", "leg_status"}) {
            if (t.get(key) != nullptr) {
                r.problem(Reader::join(path, key),
                          "not allowed on the first point (where the vessel starts)", t.get(key));
            }
        }
    } else {
        tp.sog_knots = r.number(t, path, "sog_knots", true, 0.1, 60, "0.1..60 (knots)");
        tp.leg_status = r.choice<NavStatus>(
                             t, path, "leg_status",
                             {{"under_way", NavStatus::under_way}, {"fishing", NavStatus::fishing}})
                            .value_or(NavStatus::under_way);
    }
    tp.stay_s = std::round(
        r.number(t, path, "stay_min", false, 0, 7 * 24 * 60, "0..10080 (minutes)").value_or(0) *
        60.0);
    tp.stay_status = r.choice<NavStatus>(t, path, "stay_status",
                                         {{"moored", NavStatus::moored},
                                          {"anchored", NavStatus::at_anchor},
                                          {"fishing", NavStatus::fishing}})
                         .value_or(NavStatus::moored);
}

void read_vessel(Reader& r, const toml::table& t, const std::string& path, Vessel& v) {
    r.check_keys(t, path,
                 {"mmsi", "name", "call_sign", "class", "ship_type", "length_m", "beam_m",
                  "ais_off_after_min", "track"});
    v.mmsi = static_cast<std::uint32_t>(
        r.integer(t, path, "mmsi", true, 100'000'000, 999'999'999, "a 9-digit MMSI").value_or(0));
    if (const auto name = r.string(t, path, "name", true)) {
        if (name->empty() || name->size() > 20 || !is_ais_text(*name)) {
            r.problem(Reader::join(path, "name"),
                      "must be 1..20 characters of AIS 6-bit text (A-Z, 0-9, space, "
                      "punctuation; no lower case, no '@')",
                      t.get("name"));
        }
        v.name = *name;
    }
    if (const auto cs = r.string(t, path, "call_sign", false)) {
        if (cs->size() > 7 || !is_ais_text(*cs)) {
            r.problem(Reader::join(path, "call_sign"),
                      "must be 0..7 characters of AIS 6-bit text (A-Z, 0-9)", t.get("call_sign"));
        }
        v.call_sign = *cs;
    }
    if (t.get("class") == nullptr) {
        r.problem(Reader::join(path, "class"), "missing", &t);
    }
    v.ais_class = r.choice<AisClass>(t, path, "class", {{"A", AisClass::a}, {"B", AisClass::b}})
                      .value_or(AisClass::a);
    v.ship_type = static_cast<std::uint8_t>(
        r.integer(t, path, "ship_type", false, 0, 255, "0..255 (ITU-R M.1371 Table 53)")
            .value_or(30));
    v.length_m = static_cast<std::uint16_t>(
        r.integer(t, path, "length_m", false, 0, 511, "0..511 (metres)").value_or(0));
    v.beam_m = static_cast<std::uint8_t>(
        r.integer(t, path, "beam_m", false, 0, 126, "0..126 (metres)").value_or(0));
    if (const auto off =
            r.number(t, path, "ais_off_after_min", false, 0, 7 * 24 * 60, "0..10080 (minutes)")) {
        v.ais_off_after_s = std::round(*off * 60.0);
    }

    const toml::node* track = t.get("track");
    const std::string tpath = Reader::join(path, "track");
    if (track == nullptr) {
        r.problem(tpath, "missing", &t);
        return;
    }
    if (!track->is_array() || track->as_array()->empty()) {
        r.problem(tpath, "must be a non-empty array of tables", track);
        return;
    }
    const toml::array& points = *track->as_array();
    for (std::size_t k = 0; k < points.size(); ++k) {
        const std::string ppath = tpath + "[" + std::to_string(k) + "]";
        if (!points[k].is_table()) {
            r.problem(ppath, "must be a table", &points[k]);
            continue;
        }
        TrackPoint tp;
        read_track_point(r, *points[k].as_table(), ppath, k == 0, tp);
        v.track.push_back(tp);
    }
}

void read_vessels(Reader& r, const toml::table& root, Scenario& sc) {
    const toml::node* node = root.get("vessels");
    if (node == nullptr) {
        r.problem("vessels", "missing (at least one [[vessels]] entry)", &root);
        return;
    }
    if (!node->is_array() || node->as_array()->empty()) {
        r.problem("vessels", "must be a non-empty array of tables ([[vessels]])", node);
        return;
    }
    const toml::array& vessels = *node->as_array();
    std::map<std::uint32_t, std::size_t> seen;
    for (std::size_t i = 0; i < vessels.size(); ++i) {
        const std::string path = "vessels[" + std::to_string(i) + "]";
        if (!vessels[i].is_table()) {
            r.problem(path, "must be a table", &vessels[i]);
            continue;
        }
        Vessel v;
        read_vessel(r, *vessels[i].as_table(), path, v);
        if (v.mmsi != 0) {
            const auto [it, fresh] = seen.emplace(v.mmsi, i);
            if (!fresh) {
                r.problem(path + ".mmsi",
                          "duplicate of vessels[" + std::to_string(it->second) + "].mmsi",
                          vessels[i].as_table()->get("mmsi"));
            }
        }
        sc.vessels.push_back(std::move(v));
    }
}

} // namespace

ScenarioError::ScenarioError(const std::string& file, std::vector<ScenarioProblem> problems)
    : std::runtime_error(describe_problems(file, problems)), m_problems(std::move(problems)) {}

Scenario parse_scenario(std::string_view toml_text, std::string_view source_name) {
    const std::string name(source_name);
    toml::table root;
    try {
        root = toml::parse(toml_text, source_name);
    } catch (const toml::parse_error& e) {
        throw ScenarioError(name, {{"", "TOML syntax error: " + std::string(e.description()),
                                    static_cast<int>(e.source().begin.line)}});
    }
    Reader r;
    Scenario sc;
    r.check_keys(root, "", {"scenario", "defaults", "vessels"});
    read_scenario_table(r, root, sc);
    read_defaults(r, root, sc.intervals);
    read_vessels(r, root, sc);
    if (!r.problems().empty()) {
        throw ScenarioError(name, std::move(r.problems()));
    }
    return sc;
}

Scenario load_scenario(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw ScenarioError(file.string(), {{"", "cannot open the file", 0}});
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        throw ScenarioError(file.string(), {{"", "cannot read the file", 0}});
    }
    return parse_scenario(text.str(), file.string());
}

} // namespace sahil::sim

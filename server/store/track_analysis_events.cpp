// Track analysis: history events (port visits and departures, AIS gaps, rendezvous, loitering);
// see track_analysis.hpp. Each follows the live rule named in its docstring (docs/rules.md).
#include "server/store/track_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "ais/time.hpp"
#include "geo/geodesic.hpp"
#include "server/alerts/alert.hpp"
#include "server/store/track_query.hpp"
#include "server/tracking/fix.hpp"

namespace sahil::store {

namespace {

constexpr double metres_per_nm = geo::metres_per_nautical_mile;
constexpr double knots_to_mps = metres_per_nm / 3600.0;
constexpr double ms_per_hour = 3'600'000.0;
/// R7: positions are interpolated only between fixes at most 10 min apart, and a pair stays
/// together only while heard at least every 15 min (docs/rules.md R7; anomaly_rules.cpp).
constexpr std::int64_t rendezvous_max_fix_gap_ms = 10 * 60'000;
constexpr std::int64_t rendezvous_max_silence_ms = 15 * 60'000;
/// R8: a loitering run ends at 1.5 x the loitering speed (hysteresis; anomaly_rules.cpp).
constexpr double loiter_hysteresis = 1.5;

std::string iso(std::int64_t ms) {
    return alerts::iso8601(from_unix_millis(ms));
}

double hours(std::int64_t ms) {
    return static_cast<double>(ms) / ms_per_hour;
}

/// ITU-R M.1371-5 navigational status 1 (at anchor) or 5 (moored): the rules' "at rest".
bool at_rest(const TrackFix& f) {
    return f.nav_status == 1 || f.nav_status == 5;
}

/// The rules' view of a stored fix (the fields DepartureRule reads).
tracking::Fix to_rule_fix(const TrackFix& f) {
    tracking::Fix fix;
    fix.time = from_unix_millis(f.time_ms);
    fix.received_at = from_unix_millis(f.received_ms);
    fix.position = f.position();
    fix.sog_knots = f.sog_knots();
    fix.cog_deg = f.cog_deg();
    if (f.nav_status >= 0) {
        fix.nav_status = f.nav_status;
    }
    fix.message_type = f.message_type;
    return fix;
}

/// Harbour facts of one fix, as the live pipeline derives them.
struct HarbourStep {
    const geo::Zone* inside = nullptr;              ///< first harbour containing the fix
    std::optional<rules::DepartureEvent> departure; ///< this fix completes a departure
};

/// Feeds the track to DepartureRule exactly as tracking::Pipeline does.
std::vector<HarbourStep> harbour_steps(const std::vector<TrackFix>& fixes,
                                       const geo::ZoneIndex& harbours,
                                       const rules::DepartureConfig& config) {
    std::vector<HarbourStep> steps(fixes.size());
    const rules::DepartureRule rule(config);
    rules::DepartureRule::State state;
    for (std::size_t i = 0; i < fixes.size(); ++i) {
        const auto zones = harbours.containing(fixes[i].position());
        steps[i].inside = zones.empty() ? nullptr : zones.front();
        steps[i].departure = rule.on_fix(state, to_rule_fix(fixes[i]), harbours, steps[i].inside);
    }
    return steps;
}

/// A distance from an optional callback; NaN when there is no callback.
double measure(const PositionDistance& callback, const geo::Position& p) {
    return callback ? callback(p) : std::nan("");
}

TrackEvent make_event(const TrackFix& first, const TrackFix& last, TrackEventKind kind) {
    TrackEvent e;
    e.vessel = first.vessel;
    e.kind = kind;
    e.start_ms = first.time_ms;
    e.end_ms = last.time_ms;
    e.start_position = first.position();
    e.end_position = last.position();
    return e;
}

} // namespace

std::string_view to_string(TrackEventKind kind) noexcept {
    switch (kind) {
    case TrackEventKind::port_visit:
        return "port_visit";
    case TrackEventKind::departure:
        return "departure";
    case TrackEventKind::ais_gap:
        return "ais_gap";
    case TrackEventKind::rendezvous:
        return "rendezvous";
    case TrackEventKind::loitering:
        return "loitering";
    }
    return "unknown";
}

// ---- port visits and departures (R1) -----------------------------------------------------------

namespace {

void close_visit(TrackEvent& visit, std::size_t fixes_inside, bool departed) {
    visit.flagged = !departed;
    visit.evidence = fmt::format(
        "In {} {} from {} to {} ({:.1f} h, {} fix{} inside); {}.", visit.zone_id, visit.zone_name,
        iso(visit.start_ms), iso(visit.end_ms), hours(visit.end_ms - visit.start_ms), fixes_inside,
        fixes_inside == 1 ? "" : "es", departed ? "departed" : "no departure from it in the data");
}

} // namespace

std::vector<TrackEvent> port_events(const std::vector<TrackFix>& fixes,
                                    const geo::ZoneIndex& harbours,
                                    const rules::DepartureConfig& departure) {
    detail::check_track(fixes, "port_events");
    if (fixes.empty() || harbours.empty()) {
        return {};
    }
    const std::vector<HarbourStep> steps = harbour_steps(fixes, harbours, departure);
    std::vector<TrackEvent> out;
    std::optional<std::size_t> visit; // index in `out` of the open visit
    std::size_t fixes_inside = 0;     // of the open visit
    const TrackFix* last_inside = nullptr;
    for (std::size_t i = 0; i < fixes.size(); ++i) {
        const TrackFix& f = fixes[i];
        if (const geo::Zone* zone = steps[i].inside) {
            if (visit && out[*visit].zone_id == zone->id) {
                out[*visit].end_ms = f.time_ms;
                out[*visit].end_position = f.position();
            } else {
                if (visit) { // straight into another harbour, without a departure
                    close_visit(out[*visit], fixes_inside, false);
                }
                TrackEvent e = make_event(f, f, TrackEventKind::port_visit);
                e.zone_id = zone->id;
                e.zone_name = zone->name;
                visit = out.size();
                fixes_inside = 0;
                out.push_back(std::move(e));
            }
            ++fixes_inside;
            last_inside = &f;
        }
        if (const auto& ev = steps[i].departure) {
            if (visit) {
                close_visit(out[*visit], fixes_inside, true);
                visit.reset();
            }
            const TrackFix& from = last_inside != nullptr ? *last_inside : f;
            TrackEvent e = make_event(from, f, TrackEventKind::departure);
            e.start_ms = unix_millis(ev->last_inside);
            e.zone_id = ev->zone_id;
            e.zone_name = ev->zone_name;
            e.distance_m = ev->distance_outside_m;
            e.speed_knots = ev->speed_knots;
            e.evidence = fmt::format(
                "Departed {} {}: last inside at {}, at {} {:.0f} m outside it at {:.1f} kn "
                "(R1: more than {:.0f} m outside at {:.1f} kn or more).",
                ev->zone_id, ev->zone_name, iso(e.start_ms), iso(f.time_ms), ev->distance_outside_m,
                ev->speed_knots, departure.buffer_m, departure.min_sog_knots);
            out.push_back(std::move(e));
        }
    }
    if (visit) {
        close_visit(out[*visit], fixes_inside, false);
    }
    return out;
}

// ---- AIS gaps (R6) -----------------------------------------------------------------------------

std::vector<TrackEvent> ais_gaps(const std::vector<TrackFix>& fixes,
                                 const rules::RuleParams& params,
                                 const AnalysisGeography& geography,
                                 const rules::DepartureConfig& departure) {
    detail::check_track(fixes, "ais_gaps");
    if (fixes.size() < 2) {
        return {};
    }
    std::vector<HarbourStep> steps;
    if (geography.harbours != nullptr) {
        steps = harbour_steps(fixes, *geography.harbours, departure);
    }
    const double after_departure_ms = params.gap_after_departure_h * ms_per_hour;
    const double offshore_ms = params.gap_offshore_h * ms_per_hour;
    const double window_ms = params.gap_departure_window_h * ms_per_hour;
    const double offshore_m = params.gap_offshore_nm * metres_per_nm;
    std::vector<TrackEvent> out;
    std::optional<std::int64_t> departed_ms; // the current trip's departure, when seen
    std::string departed_from;
    for (std::size_t i = 0; i + 1 < fixes.size(); ++i) {
        const TrackFix& a = fixes[i];
        const TrackFix& b = fixes[i + 1];
        if (!steps.empty()) {
            if (steps[i].inside != nullptr) {
                departed_ms.reset(); // back in a harbour: the trip is over (live: on_trip)
                continue;            // and a vessel in a harbour has no R6 gap
            }
            if (steps[i].departure) {
                departed_ms = a.time_ms;
                departed_from = steps[i].departure->zone_id;
            }
        }
        const auto gap_ms = static_cast<double>(b.time_ms - a.time_ms);
        if (gap_ms < std::min(after_departure_ms, offshore_ms)) {
            continue; // below every threshold: spare the callback
        }
        double threshold_ms = 0;
        std::string basis;
        std::string why;
        const bool just_departed =
            departed_ms && static_cast<double>(a.time_ms - *departed_ms) < window_ms;
        const double shore_m =
            just_departed ? 0.0 : measure(geography.distance_to_shore_m, a.position());
        if (just_departed) {
            threshold_ms = after_departure_ms;
            basis = "after_departure";
            why = fmt::format("{:.1f} h after leaving {}", hours(a.time_ms - *departed_ms),
                              departed_from);
        } else if (!std::isnan(shore_m) && shore_m > offshore_m) {
            threshold_ms = offshore_ms;
            basis = "offshore";
            why = fmt::format("more than {:.0f} nm offshore", params.gap_offshore_nm);
        } else if (steps.empty() || std::isnan(shore_m)) {
            threshold_ms = after_departure_ms;
            basis = "unqualified";
            why = steps.empty() ? "trip unknown (no harbours given)" : "distance to shore unknown";
        } else {
            continue; // known near shore, not just departed: the live rule stays silent
        }
        if (gap_ms < threshold_ms) {
            continue;
        }
        TrackEvent e = make_event(a, b, TrackEventKind::ais_gap);
        const double d = geo::distance_m(a.position(), b.position());
        e.distance_m = d;
        e.basis = basis;
        if (gap_ms > 0) {
            e.speed_knots = d / (gap_ms / 1000.0) / knots_to_mps;
            e.flagged = *e.speed_knots > params.reappear_speed_knots;
        }
        e.evidence = fmt::format(
            "Silent for {:.1f} h from {} to {} (R6 threshold {:.1f} h: {}); reappeared {:.1f} nm "
            "away, implied {:.1f} kn{}.",
            gap_ms / ms_per_hour, iso(a.time_ms), iso(b.time_ms), threshold_ms / ms_per_hour, why,
            d / metres_per_nm, e.speed_knots.value_or(0.0),
            e.flagged
                ? fmt::format(" (above {:.0f} kn: reappeared far)", params.reappear_speed_knots)
                : std::string());
        out.push_back(std::move(e));
    }
    return out;
}

// ---- rendezvous (R7) ---------------------------------------------------------------------------

namespace {

/// True if the vessel is slow and not at rest at `t_ms`: its fixes at t_ms (if any), else both
/// fixes bracketing t_ms, report SOG < max_sog_knots and a status other than at anchor/moored.
bool slow_at(const std::vector<TrackFix>& track, std::int64_t t_ms, double max_sog_knots) {
    const auto slow = [&](const TrackFix& f) {
        const auto sog = f.sog_knots();
        return sog && *sog < max_sog_knots && !at_rest(f);
    };
    auto it = std::lower_bound(track.begin(), track.end(), t_ms,
                               [](const TrackFix& f, std::int64_t t) { return f.time_ms < t; });
    if (it != track.end() && it->time_ms == t_ms) {
        for (; it != track.end() && it->time_ms == t_ms; ++it) {
            if (!slow(*it)) {
                return false;
            }
        }
        return true;
    }
    if (it == track.begin() || it == track.end()) {
        return false;
    }
    return slow(*std::prev(it)) && slow(*it);
}

/// A run of together samples.
struct TogetherRun {
    std::int64_t first_ms = 0;
    std::int64_t last_ms = 0;
    geo::Position a_first{};
    geo::Position a_last{};
    double closest_m = 0;
    std::int64_t closest_ms = 0;
    std::size_t samples = 0;
};

} // namespace

std::vector<TrackEvent> rendezvous(const std::vector<TrackFix>& a, const std::vector<TrackFix>& b,
                                   const rules::RuleParams& params,
                                   const geo::ZoneIndex* harbours) {
    return rendezvous(a, b, params, params, harbours);
}

std::vector<TrackEvent> rendezvous(const std::vector<TrackFix>& a, const std::vector<TrackFix>& b,
                                   const rules::RuleParams& params_a,
                                   const rules::RuleParams& params_b,
                                   const geo::ZoneIndex* harbours) {
    detail::check_track(a, "rendezvous");
    detail::check_track(b, "rendezvous");
    if (a.empty() || b.empty()) {
        return {};
    }
    if (a.front().vessel == b.front().vessel) {
        throw std::invalid_argument("rendezvous: both tracks are of vessel " +
                                    std::to_string(a.front().vessel));
    }
    const std::int64_t since = std::max(a.front().time_ms, b.front().time_ms);
    const std::int64_t until = std::min(a.back().time_ms, b.back().time_ms);
    std::vector<std::int64_t> samples;
    for (const auto* track : {&a, &b}) {
        for (const TrackFix& f : *track) {
            if (f.time_ms >= since && f.time_ms <= until) {
                samples.push_back(f.time_ms);
            }
        }
    }
    std::sort(samples.begin(), samples.end());
    samples.erase(std::unique(samples.begin(), samples.end()), samples.end());

    // As live: each vessel's own thresholds at its fixes (distance, slow, away from harbours);
    // a distance beyond either vessel's limit breaks the pair; the duration is judged by the
    // lower MMSI, at whose fixes the live rule raises the pair's alert.
    const auto away = [&](const geo::Position& p, const rules::RuleParams& own) {
        return harbours == nullptr ||
               harbours->within_distance(p, own.rendezvous_harbour_nm * metres_per_nm).empty();
    };
    const double limit_m = std::min(params_a.rendezvous_distance_m, params_b.rendezvous_distance_m);
    const rules::RuleParams& params =
        a.front().vessel < b.front().vessel ? params_a : params_b; // duration, evidence
    const auto min_ms = params.rendezvous_min_minutes * 60'000.0;
    const std::string basis = harbours != nullptr ? "away_from_harbours" : "harbours_not_checked";
    std::vector<TrackEvent> out;
    std::optional<TogetherRun> run;
    const auto close = [&] {
        if (!run) {
            return;
        }
        const TogetherRun r = *run;
        run.reset();
        if (static_cast<double>(r.last_ms - r.first_ms) < min_ms) {
            return;
        }
        TrackEvent e;
        e.vessel = a.front().vessel;
        e.kind = TrackEventKind::rendezvous;
        e.start_ms = r.first_ms;
        e.end_ms = r.last_ms;
        e.start_position = r.a_first;
        e.end_position = r.a_last;
        e.other_vessel = b.front().vessel;
        e.distance_m = r.closest_m;
        e.basis = basis;
        e.evidence = fmt::format(
            "Within {:.0f} m of vessel {} for {:.0f} min from {} to {} ({} samples, closest "
            "{:.0f} m at {}), both under {:.1f} kn{}.",
            limit_m, e.other_vessel, static_cast<double>(r.last_ms - r.first_ms) / 60'000.0,
            iso(r.first_ms), iso(r.last_ms), r.samples, r.closest_m, iso(r.closest_ms),
            std::min(params_a.rendezvous_max_sog_knots, params_b.rendezvous_max_sog_knots),
            harbours != nullptr ? fmt::format(", more than {:.1f} nm from every harbour",
                                              params.rendezvous_harbour_nm)
                                : std::string(" (distance to harbours not checked)"));
        out.push_back(std::move(e));
    };
    for (const std::int64_t t : samples) {
        const auto pa = position_at(a, t, rendezvous_max_fix_gap_ms);
        const auto pb = position_at(b, t, rendezvous_max_fix_gap_ms);
        bool together = pa && pb && slow_at(a, t, params_a.rendezvous_max_sog_knots) &&
                        slow_at(b, t, params_b.rendezvous_max_sog_knots);
        double d = 0;
        if (together) {
            d = geo::distance_m(*pa, *pb);
            together = d <= limit_m && away(*pa, params_a) && away(*pb, params_b);
        }
        if (!together) {
            close();
            continue;
        }
        if (run && t - run->last_ms > rendezvous_max_silence_ms) {
            close();
        }
        if (!run) {
            run = TogetherRun{t, t, *pa, *pa, d, t, 0};
        }
        run->last_ms = t;
        run->a_last = *pa;
        if (d < run->closest_m) {
            run->closest_m = d;
            run->closest_ms = t;
        }
        ++run->samples;
    }
    close();
    return out;
}

// ---- loitering (R8) ----------------------------------------------------------------------------

namespace {

/// An open loitering run.
struct LoiterRun {
    std::size_t first = 0;
    double speed_sum = 0;
    std::size_t count = 0;
    std::optional<std::size_t> hit; ///< last fix at which the R8 condition held
    double hit_mean = 0;
    double hit_need_h = 0;
    std::string hit_basis;
};

} // namespace

std::vector<TrackEvent> loitering(const std::vector<TrackFix>& fixes,
                                  const rules::RuleParams& params,
                                  const AnalysisGeography& geography) {
    detail::check_track(fixes, "loitering");
    std::vector<TrackEvent> out;
    std::optional<LoiterRun> run;
    const auto close = [&] {
        if (!run || !run->hit) {
            run.reset();
            return;
        }
        const TrackFix& first = fixes[run->first];
        const TrackFix& last = fixes[*run->hit];
        TrackEvent e = make_event(first, last, TrackEventKind::loitering);
        e.speed_knots = run->hit_mean;
        e.basis = run->hit_basis;
        e.evidence = fmt::format(
            "Loitered {:.1f} h from {} to {} at a mean of {:.1f} kn over {} fixes (R8: mean below "
            "{:.1f} kn for {:.1f} h, {}).",
            hours(last.time_ms - first.time_ms), iso(first.time_ms), iso(last.time_ms),
            run->hit_mean, *run->hit - run->first + 1, params.loiter_max_sog_knots, run->hit_need_h,
            run->hit_basis == "near_boundary"
                ? fmt::format("within {:.0f} nm of a boundary line", params.boundary_area_nm)
            : run->hit_basis == "offshore"
                ? fmt::format("more than {:.0f} nm offshore", params.loiter_offshore_nm)
                : std::string("place unknown: taken as offshore"));
        out.push_back(std::move(e));
        run.reset();
    };
    const double boundary_m = params.boundary_area_nm * metres_per_nm;
    const double offshore_m = params.loiter_offshore_nm * metres_per_nm;
    for (std::size_t i = 0; i < fixes.size(); ++i) {
        const TrackFix& f = fixes[i];
        std::optional<double> speed = f.sog_knots();
        if (!speed && i > 0 && f.time_ms - fixes[i - 1].time_ms >= 1000) {
            speed = geo::distance_m(fixes[i - 1].position(), f.position()) /
                    (static_cast<double>(f.time_ms - fixes[i - 1].time_ms) / 1000.0) / knots_to_mps;
        }
        const bool in_harbour =
            geography.harbours != nullptr && !geography.harbours->containing(f.position()).empty();
        if (!speed || at_rest(f) || in_harbour ||
            *speed >= params.loiter_max_sog_knots * loiter_hysteresis) {
            close();
            continue;
        }
        double need_h = 0;
        std::string basis;
        const double line_m = measure(geography.distance_to_boundary_m, f.position());
        if (!std::isnan(line_m) && line_m <= boundary_m) {
            need_h = params.loiter_near_boundary_h;
            basis = "near_boundary";
        } else if (geography.distance_to_shore_m) {
            const double shore_m = geography.distance_to_shore_m(f.position());
            if (std::isnan(shore_m) || shore_m <= offshore_m) {
                close();
                continue;
            }
            need_h = params.loiter_offshore_h;
            basis = "offshore";
        } else if (!geography.distance_to_boundary_m) {
            need_h = params.loiter_offshore_h;
            basis = "unqualified";
        } else {
            close(); // known not near a line, and "offshore" cannot be decided: as live
            continue;
        }
        if (!run) {
            run = LoiterRun{i, 0, 0, std::nullopt, 0, 0, {}};
        }
        run->speed_sum += *speed;
        ++run->count;
        const double mean = run->speed_sum / static_cast<double>(run->count);
        if (hours(f.time_ms - fixes[run->first].time_ms) >= need_h &&
            mean < params.loiter_max_sog_knots) {
            run->hit = i;
            run->hit_mean = mean;
            run->hit_need_h = need_h;
            run->hit_basis = basis;
        }
    }
    close();
    return out;
}

} // namespace sahil::store

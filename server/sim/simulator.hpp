// AIS traffic simulator: turns a Scenario into the NMEA sentences a shore receiver would log.
//
// One output line per sentence, in time order, each behind a tag block with the fix time and the
// scenario's source, e.g.
//   \s:sim,c:1773509400*41\!AIVDM,1,1,,A,16qaP25P004M?hh>HFb>4?v00000,0*51
// Class A vessels send type 1 position reports and type 5 static and voyage data (2 sentences);
// class B vessels send type 18 position reports and type 24 parts A and B. Positions move along
// geodesics (geo::destination / geo::initial_bearing_deg on WGS 84) at the scripted speed.
// Data path: load_scenario -> simulate -> file or socket -> ais::StreamDecoder -> tracking, so a
// scenario exercises exactly the ingest, tracking and rules that live traffic does.
// Deterministic: no wall clock, no randomness; the same scenario gives the same bytes.
//
// Thread-safety: pure function of its arguments (writes only to `out`).
#pragma once

#include <cstddef>
#include <ostream>

#include "server/sim/scenario.hpp"

namespace sahil::sim {

/// Writes the scenario's AIS sentences to `out`, one per line ('\n' terminated), sorted by time
/// (ties: vessel file order, then position report before static data).
///
/// Per vessel:
/// - Position reports from start + (MMSI mod moving interval) seconds, then every moving or
///   stationary interval (Intervals) depending on whether the vessel is on a leg or staying; a
///   stationary vessel reports at once when its next leg begins (as a real transponder raises
///   its rate when it starts to move). Class A: type 1, nav status from the track (under way 0 /
///   fishing 7 on legs; moored 5 / at anchor 1 / fishing 7 when staying), ROT n/a. Class B:
///   type 18, CS unit, radio state 917510 (ITDMA selector + fixed CS state, as real units send).
///   SOG: the leg's speed, 0 when staying. COG: the geodesic's azimuth at the point, n/a when
///   staying. Heading: COG rounded to whole degrees; when staying, the course of arrival (n/a
///   before the first leg). Latitude/longitude rounded to 1/10,000 minute (≤ 0.19 m).
/// - Static data at the first position report and every `static_s` after it, on its own
///   schedule: type 5 (AIS version 2, EPFD 1 = GPS, ETA and draught n/a) or type 24 A then B
///   at the same second. Dimensions from length/beam with the antenna a third of the length
///   from the stern, on the centre line.
/// - Channels alternate A/B per transmission of the vessel; multi-sentence messages take
///   sequence ids 0..9 in output order. Nothing is sent at or after `ais_off_after_s`.
/// @pre `scenario` passed load_scenario()'s checks (or obeys the same ranges).
/// @returns the number of lines written.
/// @throws std::invalid_argument (from ais::encode) when a field is out of range.
std::size_t simulate(const Scenario& scenario, std::ostream& out);

} // namespace sahil::sim

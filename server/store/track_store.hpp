// The track store: every accepted fix and every static-data change, kept for history queries.
//
// Data path: tracking::Pipeline (tracking strand) -> TrackStore::append (bounded queue) -> the
// store's writer -> tracks.db; MSA analysts' queries (server/store/track_query.hpp, `sahil tracks`,
// HTTP API) read it back through scan_track() and scan_area().
//
// This interface is deliberately narrow — append, flush, two scans, static history — so that a
// PostgreSQL/PostGIS backend can implement it later; every derived query (simplification,
// encounters, statistics, exports) is written on top of the scans (track_query.hpp).
//
// Units: times are Unix milliseconds (UTC); positions WGS 84 (EPSG:4326) in microdegrees
// (1e-6 degree = 0.11 m of latitude, finer than AIS's 1/10000 minute = 0.185 m); SOG in 0.1 knot,
// COG in 0.1 degree, heading in whole degrees, as ITU-R M.1371-5 transmits them, with -1 for
// "not available".
//
// Thread-safety: implementations are safe to call from any thread: append() from the tracking
// strand, scans from HTTP handlers, concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "geo/position.hpp"

namespace sahil::store {

/// One stored position fix. 40 bytes in memory; 8-14 bytes on disk (track_codec.hpp).
struct TrackFix {
    /// Vessel key: the MMSI for AIS (1..999999999); patrol and VMS feeds get keys from
    /// 1,000,000,000 upwards (assigned by their feed), so the two never collide.
    std::int64_t vessel = 0;
    std::int64_t time_ms = 0;      ///< fix time, Unix ms UTC (from the message or its tag block)
    std::int64_t received_ms = 0;  ///< receive time, Unix ms UTC
    std::int32_t lat_e6 = 0;       ///< latitude, microdegrees, -90e6..90e6 (north positive)
    std::int32_t lon_e6 = 0;       ///< longitude, microdegrees, -180e6..180e6 (east positive)
    std::int16_t sog_dkn = -1;     ///< SOG, 0.1 knot, 0..1022; -1 = not available
    std::int16_t cog_ddeg = -1;    ///< COG, 0.1 degree, 0..3599; -1 = not available
    std::int16_t heading = -1;     ///< true heading, degrees, 0..359; -1 = not available
    std::int8_t nav_status = -1;   ///< ITU-R M.1371-5 navigational status 0..15; -1 = none
    std::uint8_t message_type = 0; ///< AIS message type (1, 2, 3, 18, 19); 0 = not AIS
    std::uint16_t source = 0;      ///< feed id (TrackStore::source_name); 0 = unknown

    /// Latitude in degrees.
    [[nodiscard]] double lat() const noexcept { return lat_e6 * 1e-6; }
    /// Longitude in degrees.
    [[nodiscard]] double lon() const noexcept { return lon_e6 * 1e-6; }
    /// The position in degrees.
    [[nodiscard]] geo::Position position() const noexcept { return {lat(), lon()}; }
    /// SOG in knots, empty when not available.
    [[nodiscard]] std::optional<double> sog_knots() const noexcept {
        return sog_dkn < 0 ? std::nullopt : std::optional<double>(sog_dkn * 0.1);
    }
    /// COG in degrees, empty when not available.
    [[nodiscard]] std::optional<double> cog_deg() const noexcept {
        return cog_ddeg < 0 ? std::nullopt : std::optional<double>(cog_ddeg * 0.1);
    }
    /// Equal in every stored field.
    friend bool operator==(const TrackFix&, const TrackFix&) = default;
};

/// Rounds degrees to microdegrees (nearest; ties away from zero).
[[nodiscard]] std::int32_t to_e6(double degrees) noexcept;

/// Static and voyage data of a vessel as reported at one time (AIS types 5, 19, 24); stored only
/// when it differs from the vessel's previous report.
struct StaticRecord {
    std::int64_t vessel = 0;  ///< vessel key (MMSI for AIS)
    std::int64_t time_ms = 0; ///< time of the report, Unix ms UTC
    std::string name;         ///< vessel name as transmitted (untrusted text), "" = not available
    std::string call_sign;    ///< call sign as transmitted, "" = not available
    std::optional<std::uint32_t> imo; ///< IMO number, empty = not available
    std::optional<int> ship_type;     ///< ITU-R M.1371-5 ship and cargo type 1..99
    std::string destination;          ///< "" = not available
    /// Equal in every field.
    friend bool operator==(const StaticRecord&, const StaticRecord&) = default;
};

/// A closed time interval [since_ms, until_ms] in Unix ms UTC.
struct TimeWindow {
    std::int64_t since_ms = 0; ///< first instant included
    std::int64_t until_ms = 0; ///< last instant included (>= since_ms)
    /// True if `t_ms` lies in the window.
    [[nodiscard]] bool contains(std::int64_t t_ms) const noexcept {
        return t_ms >= since_ms && t_ms <= until_ms;
    }
};

/// A box in microdegrees, edges included (no antimeridian wrap: west <= east).
struct GeoBox {
    std::int32_t south_e6 = 0; ///< minimum latitude
    std::int32_t west_e6 = 0;  ///< minimum longitude
    std::int32_t north_e6 = 0; ///< maximum latitude
    std::int32_t east_e6 = 0;  ///< maximum longitude
    /// Builds a box from degrees.
    [[nodiscard]] static GeoBox from_degrees(double south, double west, double north,
                                             double east) noexcept;
    /// True if the fix's position lies in the box (edges included).
    [[nodiscard]] bool contains(const TrackFix& f) const noexcept {
        return f.lat_e6 >= south_e6 && f.lat_e6 <= north_e6 && f.lon_e6 >= west_e6 &&
               f.lon_e6 <= east_e6;
    }
};

/// Counters of a track store (for /api/stats and the benchmark).
struct TrackStoreCounters {
    std::uint64_t appended = 0;   ///< fixes accepted into the queue
    std::uint64_t queue_full = 0; ///< fixes refused because the queue was full (logged)
    std::uint64_t invalid = 0;    ///< fixes refused as out of range (see TrackStore::append)
    /// fixes not stored because the vessel already has a newer (or this same) fix stored: a
    /// feed re-read after a restart, a late copy; counted among `written`
    std::uint64_t stale = 0;
    std::uint64_t written = 0;      ///< fixes committed to the journal (durable)
    std::uint64_t flushes = 0;      ///< write transactions
    std::uint64_t segments = 0;     ///< segments sealed
    std::uint64_t checkpoints = 0;  ///< journal rewrites
    std::uint64_t statics = 0;      ///< static-data changes stored
    std::uint64_t write_errors = 0; ///< failed write transactions (the batch is retried)
    std::uint64_t downsampled = 0;  ///< segments thinned by the retention policy
    std::uint64_t expired = 0;      ///< segments deleted by the retention policy
    std::uint64_t queued = 0;       ///< fixes waiting in the queue now
    std::uint64_t open_fixes = 0;   ///< fixes in open (unsealed) segments now
};

/// Receives fixes from a scan; return false to stop the scan early.
using FixVisitor = std::function<bool(const TrackFix&)>;

/// A time-ordered track store; see the file comment.
class TrackStore {
public:
    virtual ~TrackStore() = default;

    /// Queues one fix for writing. Returns false (and counts `invalid` or `queue_full`) when the
    /// fix is out of range (latitude, longitude, SOG/COG/heading/status outside the ranges of
    /// TrackFix, vessel key <= 0) or the queue is full; never throws, never blocks for long.
    /// Fixes of one vessel must arrive in non-decreasing fix time (the pipeline guarantees it).
    virtual bool append(const TrackFix& fix) = 0;

    /// Queues a static-data record. Fields it leaves unset ("" / empty) keep the vessel's stored
    /// values; the merged record is stored if it differs from the vessel's previous one and is
    /// not older than it (a report older than the stored one is dropped).
    virtual void append_static(StaticRecord record) = 0;

    /// The id of feed `name` (creating it on first use); ids are stable for the store's life.
    /// @throws TrackStoreError if the store cannot record a new source.
    virtual std::uint16_t source_id(const std::string& name) = 0;

    /// The feed name of id `id`, "" if unknown.
    [[nodiscard]] virtual std::string source_name(std::uint16_t id) const = 0;

    /// Blocks until every fix appended before the call is durable (committed). For tests, the
    /// benchmark and shutdown.
    /// @throws TrackStoreError if the last write failed.
    virtual void flush() = 0;

    /// Visits the fixes of `vessel` in `window` in time order, including fixes not yet sealed
    /// into segments. @throws TrackStoreError on a storage failure.
    virtual void scan_track(std::int64_t vessel, const TimeWindow& window,
                            const FixVisitor& visit) const = 0;

    /// Visits every fix inside `box` and `window`, grouped by vessel (ascending key) and in time
    /// order within a vessel. @throws TrackStoreError on a storage failure.
    virtual void scan_area(const GeoBox& box, const TimeWindow& window,
                           const FixVisitor& visit) const = 0;

    /// Static-data history of `vessel` (oldest first) up to `until_ms`.
    [[nodiscard]] virtual std::vector<StaticRecord> static_history(std::int64_t vessel,
                                                                   std::int64_t until_ms) const = 0;

    /// Vessels with a static record, current or earlier, whose name or call sign contains `text`
    /// (case-insensitive ASCII; a vessel that changed its name is found by either), at most
    /// `limit`, in MMSI order; for each, its latest matching record.
    [[nodiscard]] virtual std::vector<StaticRecord> find_by_name(const std::string& text,
                                                                 std::size_t limit) const = 0;

    /// Snapshot of the counters.
    [[nodiscard]] virtual TrackStoreCounters counters() const = 0;
};

} // namespace sahil::store

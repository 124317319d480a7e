// Small RAII helpers around GDAL's C++ API shared by every GDAL user in Sahil (zone and
// boundary loading in geo/, track exports and area polygons in server/): a scope that keeps
// GDAL's messages off stderr, and an owning pointer that closes a dataset.
//
// Example: `const QuietGdal quiet; GdalDatasetPtr ds(GDALDataset::FromHandle(GDALOpenEx(...)));`
// — errors then come from CPLGetLastErrorMsg() and are reported by the caller (GeoError,
// ExportError), never printed by GDAL.
//
// Thread-safety: GDAL's error handler stack is per thread; QuietGdal affects the calling thread
// only.
#pragma once

#include <memory>

#include <cpl_error.h>
#include <gdal_priv.h>

namespace sahil::geo {

/// While alive, GDAL's error printer is CPLQuietErrorHandler on this thread (messages stay
/// readable through CPLGetLastErrorMsg); the previous handler is restored on destruction.
class QuietGdal {
public:
    QuietGdal() { CPLPushErrorHandler(CPLQuietErrorHandler); }
    ~QuietGdal() { CPLPopErrorHandler(); }
    QuietGdal(const QuietGdal&) = delete;
    QuietGdal& operator=(const QuietGdal&) = delete;
    QuietGdal(QuietGdal&&) = delete;
    QuietGdal& operator=(QuietGdal&&) = delete;
};

/// Closes a GDAL dataset with GDALClose (which also flushes a dataset being written).
struct GdalDatasetCloser {
    void operator()(GDALDataset* dataset) const noexcept {
        GDALClose(GDALDataset::ToHandle(dataset));
    }
};

/// An owned GDAL dataset; null when an open or create failed.
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;

} // namespace sahil::geo

// ZoneIndex::load: reading zone layers with GDAL/OGR.
#include "geo/zone_index.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogr_core.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geo/gdal_support.hpp"
#include "geo/geo_error.hpp"

namespace sahil::geo {
namespace {

/// Where a problem is: the file and (once chosen) the OGR layer's own name.
struct Where {
    const std::filesystem::path& file;
    std::string layer;
};

[[noreturn]] void fail(const Where& where, const std::string& problem,
                       const std::string& feature = {}) {
    const CPLErrorNum number = CPLGetLastErrorNo();
    const std::string message = CPLGetLastErrorMsg();
    if (number != CPLE_None || !message.empty()) {
        throw GeoError(problem, where.file, where.layer, feature, GeoErrorSource::ogr, number,
                       message);
    }
    throw GeoError(problem, where.file, where.layer, feature);
}

void register_drivers_once() {
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

std::string list_layers(GDALDataset& ds) {
    std::string names;
    for (int i = 0; i < ds.GetLayerCount(); ++i) {
        names += (i == 0 ? "" : ", ") + std::string(ds.GetLayer(i)->GetName());
    }
    return names;
}

std::string list_fields(const OGRFeatureDefn& defn) {
    std::string names;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        names += (i == 0 ? "" : ", ") + std::string(defn.GetFieldDefn(i)->GetNameRef());
    }
    return names.empty() ? "none" : names;
}

OGRLayer& choose_layer(GDALDataset& ds, const Where& where, const std::string& layer_label) {
    const int count = ds.GetLayerCount();
    if (count == 0) {
        fail(where, "no vector layer in the file");
    }
    if (count == 1) {
        return *ds.GetLayer(0);
    }
    OGRLayer* named = ds.GetLayerByName(layer_label.c_str());
    if (named == nullptr) {
        fail(where, "the file has " + std::to_string(count) + " layers (" + list_layers(ds) +
                        ") and none is named '" + layer_label + "'");
    }
    return *named;
}

/// Transformation from the layer's CRS to WGS 84 lon/lat (x = lon); null if the layer has no CRS
/// (then coordinates are taken as lon/lat degrees).
std::unique_ptr<OGRCoordinateTransformation> to_wgs84(OGRLayer& layer, const Where& where) {
    const OGRSpatialReference* source = layer.GetSpatialRef();
    if (source == nullptr) {
        return nullptr;
    }
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> transform(
        OGRCreateCoordinateTransformation(source, &wgs84));
    if (!transform) {
        fail(where, "cannot transform the layer's CRS to WGS 84");
    }
    return transform;
}

/// Feature geometry as lon/lat multipolygon; nullopt when it is null, empty or not areal.
std::optional<LonLatMultiPolygon> areal_geometry(const OGRGeometry* geometry,
                                                 OGRCoordinateTransformation* transform,
                                                 const Where& where, const std::string& feature) {
    if (geometry == nullptr || geometry->IsEmpty()) {
        return std::nullopt;
    }
    const OGRwkbGeometryType flat = OGR_GT_Flatten(geometry->getGeometryType());
    if (!OGR_GT_IsSubClassOf(flat, wkbCurvePolygon) &&
        !OGR_GT_IsSubClassOf(flat, wkbMultiSurface)) {
        return std::nullopt;
    }
    std::unique_ptr<OGRGeometry> linear(geometry->hasCurveGeometry() ? geometry->getLinearGeometry()
                                                                     : geometry->clone());
    if (!linear) {
        fail(where, "cannot linearise curved geometry", feature);
    }
    if (transform != nullptr) {
        CPLErrorReset();
        if (linear->transform(transform) != OGRERR_NONE) {
            fail(where, "cannot transform geometry to WGS 84", feature);
        }
    }
    std::unique_ptr<OGRGeometry> multi(OGRGeometryFactory::forceToMultiPolygon(linear.release()));
    if (!multi || OGR_GT_Flatten(multi->getGeometryType()) != wkbMultiPolygon) {
        fail(where, "cannot convert geometry to a multipolygon", feature);
    }
    auto to_ring = [](const OGRLinearRing& ring, auto& out) {
        for (int i = 0; i < ring.getNumPoints(); ++i) {
            out.push_back(LonLatPoint(ring.getX(i), ring.getY(i)));
        }
    };
    LonLatMultiPolygon result;
    for (const OGRPolygon* polygon : *multi->toMultiPolygon()) {
        if (polygon->IsEmpty()) {
            continue;
        }
        LonLatPolygon& out = result.emplace_back();
        to_ring(*polygon->getExteriorRing(), out.outer());
        for (int i = 0; i < polygon->getNumInteriorRings(); ++i) {
            to_ring(*polygon->getInteriorRing(i), out.inners().emplace_back());
        }
    }
    if (result.empty()) {
        return std::nullopt;
    }
    return result;
}

std::string text_field(const OGRFeature& feature, int index) {
    if (index < 0 || !feature.IsFieldSetAndNotNull(index)) {
        return {};
    }
    return feature.GetFieldAsString(index);
}

} // namespace

ZoneIndex ZoneIndex::load(const std::filesystem::path& file, const std::string& layer_label,
                          const std::string& id_field, const std::string& name_field,
                          const std::string& kind_field) {
    register_drivers_once();
    const QuietGdal quiet;
    Where where{file, {}}; // the OGR layer name, once chosen

    CPLErrorReset();
    GdalDatasetPtr ds(GDALDataset::FromHandle(
        GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr,
                   nullptr, nullptr)));
    if (!ds) {
        fail(where, "cannot open as a vector dataset");
    }
    OGRLayer& layer = choose_layer(*ds, where, layer_label);
    where.layer = layer.GetName();

    OGRFeatureDefn& defn = *layer.GetLayerDefn();
    const int id_index = defn.GetFieldIndex(id_field.c_str());
    if (id_index < 0) {
        CPLErrorReset();
        fail(where, "id field '" + id_field + "' not found (fields: " + list_fields(defn) + ")");
    }
    const int name_index = name_field.empty() ? -1 : defn.GetFieldIndex(name_field.c_str());
    const int kind_index = kind_field.empty() ? -1 : defn.GetFieldIndex(kind_field.c_str());
    const std::unique_ptr<OGRCoordinateTransformation> transform = to_wgs84(layer, where);

    std::vector<Zone> zones;
    std::set<std::string> ids;
    CPLErrorReset();
    layer.ResetReading();
    while (OGRFeatureUniquePtr feature{layer.GetNextFeature()}) {
        const std::string fid = "FID " + std::to_string(feature->GetFID());
        std::optional<LonLatMultiPolygon> geometry =
            areal_geometry(feature->GetGeometryRef(), transform.get(), where, fid);
        if (!geometry) {
            continue;
        }
        std::string id = text_field(*feature, id_index);
        if (id.empty()) {
            CPLErrorReset();
            fail(where, "empty or null id field '" + id_field + "'", fid);
        }
        if (!ids.insert(id).second) {
            CPLErrorReset();
            fail(where, "duplicate id (field '" + id_field + "')", id);
        }
        std::map<std::string, std::string> properties;
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (feature->IsFieldSetAndNotNull(i)) {
                properties.emplace(defn.GetFieldDefn(i)->GetNameRef(),
                                   feature->GetFieldAsString(i));
            }
        }
        std::string name = text_field(*feature, name_index);
        if (name.empty()) {
            name = id;
        }
        try {
            zones.push_back(make_zone(id, std::move(name), text_field(*feature, kind_index),
                                      layer_label, std::move(properties), std::move(*geometry)));
        } catch (const GeoError& e) {
            throw e.with_location(file, where.layer); // make_zone knows neither
        }
    }
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        fail(where, "error while reading features");
    }
    if (zones.empty()) {
        CPLErrorReset();
        fail(where, "no polygon or multipolygon feature (" +
                        std::string(OGRGeometryTypeToName(layer.GetGeomType())) + " layer)");
    }
    return ZoneIndex(std::move(zones));
}

} // namespace sahil::geo

// Vessel photos: pictures of a hull (port, starboard, bow, stern, deck, markings, engine plate)
// that patrols use to identify a boat whose AIS is off or whose name is painted over.
//
// Uploads are untrusted files (OWASP ASVS 5.0 V5; the lesson of Traccar CVE-2024-31214, where
// the extension came from the request and led to arbitrary file writes): only JPEG and PNG, the
// declared type must match the file's signature bytes, at most max_photo_bytes, and the file is
// stored under a name Sahil makes itself — the SHA-256 of its content plus ".jpg"/".png" — in the
// configured photo folder ([registry] photo_dir), written to a temporary file and renamed into
// place. Nothing of the request (no name, no path) reaches the file system. The row in
// vessel_photos keeps the hash, size, type, view and who added it; the change is audited.
// Example: `add_vessel_photo(reg, actor, 7, "port", "image/jpeg", bytes, "/var/lib/sahil/photos")`
//
// Thread-safety: uses the registry's connection; one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/audit.hpp"
#include "registry/database.hpp"
#include "registry/outcome.hpp"

namespace sahil::registry {

class VesselRegistry;

/// Largest accepted photo, bytes (5 MiB: a phone photo resized for the record).
inline constexpr std::size_t max_photo_bytes = 5u << 20;

/// One stored photo.
struct VesselPhoto {
    std::int64_t id = 0;
    std::int64_t vessel_id = 0;
    std::string view{};        ///< port, starboard, bow, stern, deck, markings, engine_plate
    std::string media_type{};  ///< image/jpeg or image/png
    std::string sha256{};      ///< of the file, 64 hex digits
    std::int64_t bytes = 0;    ///< file size
    std::string stored_name{}; ///< file name in the photo folder ("<sha256>.jpg")
    std::string created_at{};  ///< ISO 8601 UTC
    std::string created_by{};  ///< user name
};

/// The media type the signature bytes of `data` show: "image/jpeg" (FF D8 FF), "image/png"
/// (89 50 4E 47 0D 0A 1A 0A), or "" for anything else.
[[nodiscard]] std::string_view sniff_image_type(std::string_view data) noexcept;

/// Stores a photo of vessel `vessel_id` (see the file comment). Errors: not_found (no such
/// vessel); validation_failed (view, empty file, too large, type not JPEG/PNG, declared type
/// differs from the content); duplicate (the same file is already on record, naming it).
/// @throws RegistryError on a database failure, std::filesystem::filesystem_error when the
///         folder cannot be created or written.
[[nodiscard]] Outcome<VesselPhoto> add_vessel_photo(VesselRegistry& registry, const Actor& actor,
                                                    std::int64_t vessel_id, std::string_view view,
                                                    std::string_view media_type,
                                                    std::string_view data,
                                                    const std::filesystem::path& photo_dir);

/// Photos of a vessel, oldest first. @throws RegistryError.
[[nodiscard]] std::vector<VesselPhoto> list_vessel_photos(const Database& db,
                                                          std::int64_t vessel_id);

/// One photo by id. @throws RegistryError.
[[nodiscard]] std::optional<VesselPhoto> find_vessel_photo(const Database& db, std::int64_t id);

} // namespace sahil::registry

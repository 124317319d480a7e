#include "registry/vessel_photos.hpp"

#include <array>
#include <fstream>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "registry/crypto.hpp"
#include "registry/vessel_registry.hpp"
#include "registry/write_transaction.hpp"

namespace sahil::registry {
namespace {

constexpr std::array views{"port", "starboard", "bow", "stern", "deck", "markings", "engine_plate"};

constexpr std::string_view select_photos =
    "SELECT id, vessel_id, view, media_type, sha256, bytes, stored_name, created_at, created_by "
    "FROM vessel_photos";

VesselPhoto read_photo(const SQLite::Statement& q) {
    return VesselPhoto{
        q.getColumn(0).getInt64(),  q.getColumn(1).getInt64(),  q.getColumn(2).getString(),
        q.getColumn(3).getString(), q.getColumn(4).getString(), q.getColumn(5).getInt64(),
        q.getColumn(6).getString(), q.getColumn(7).getString(), q.getColumn(8).getString()};
}

/// Writes `data` to `dir/name` through a temporary file in the same folder, flushed and renamed,
/// so a reader never sees half a photo. An existing file with that name (same content hash) is
/// kept.
void write_file_atomically(const std::filesystem::path& dir, const std::string& name,
                           std::string_view data) {
    std::filesystem::create_directories(dir);
    const std::filesystem::path target = dir / name;
    if (std::filesystem::exists(target)) {
        return;
    }
    const std::filesystem::path temp =
        dir / fmt::format(".{}.{}.tmp", name, static_cast<long>(::getpid()));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(data.data(), static_cast<std::streamsize>(data.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(temp, ignored);
            throw std::filesystem::filesystem_error("cannot write photo", temp,
                                                    std::make_error_code(std::errc::io_error));
        }
    }
    std::filesystem::rename(temp, target);
}

} // namespace

std::string_view sniff_image_type(std::string_view data) noexcept {
    constexpr std::string_view png("\x89PNG\r\n\x1a\n", 8);
    if (data.size() >= 3 && static_cast<unsigned char>(data[0]) == 0xFF &&
        static_cast<unsigned char>(data[1]) == 0xD8 &&
        static_cast<unsigned char>(data[2]) == 0xFF) {
        return "image/jpeg";
    }
    if (data.substr(0, png.size()) == png) {
        return "image/png";
    }
    return {};
}

Outcome<VesselPhoto> add_vessel_photo(VesselRegistry& registry, const Actor& actor,
                                      std::int64_t vessel_id, std::string_view view,
                                      std::string_view media_type, std::string_view data,
                                      const std::filesystem::path& photo_dir) {
    using O = Outcome<VesselPhoto>;
    if (std::none_of(views.begin(), views.end(), [view](const char* v) { return view == v; })) {
        return O::failure(ErrorCode::validation_failed, "view",
                          "must be one of port, starboard, bow, stern, deck, markings, "
                          "engine_plate");
    }
    if (data.empty()) {
        return O::failure(ErrorCode::validation_failed, "file", "the file is empty");
    }
    if (data.size() > max_photo_bytes) {
        return O::failure(ErrorCode::validation_failed, "file",
                          fmt::format("the photo is {:.1f} MiB; at most 5 MiB (resize it)",
                                      static_cast<double>(data.size()) / (1 << 20)));
    }
    const std::string_view actual = sniff_image_type(data);
    if (actual.empty()) {
        return O::failure(ErrorCode::validation_failed, "file",
                          "only JPEG and PNG photos are accepted");
    }
    if (actual != media_type) {
        return O::failure(ErrorCode::validation_failed, "file",
                          fmt::format("the file is {} but was sent as {}", actual, media_type));
    }
    Database& db = registry.database();
    try {
        WriteTransaction tx(db);
        if (!registry.home_harbour(vessel_id)) {
            return O::failure(ErrorCode::not_found, "vessel_id",
                              fmt::format("there is no vessel {}", vessel_id));
        }
        VesselPhoto p;
        p.vessel_id = vessel_id;
        p.view = std::string(view);
        p.media_type = std::string(actual);
        p.sha256 = sha256_hex(data);
        p.bytes = static_cast<std::int64_t>(data.size());
        p.stored_name = p.sha256 + (actual == "image/png" ? ".png" : ".jpg");
        p.created_at = format_utc_seconds(registry.clock()());
        p.created_by = actor.user;
        SQLite::Statement dup(db.handle(),
                              "SELECT id, vessel_id FROM vessel_photos WHERE stored_name = ?");
        dup.bind(1, p.stored_name);
        if (dup.executeStep()) {
            return O::failure(ErrorCode::duplicate, "file",
                              fmt::format("this photo is already on record (photo {} of vessel "
                                          "{})",
                                          dup.getColumn(0).getInt64(),
                                          dup.getColumn(1).getInt64()));
        }
        SQLite::Statement ins(db.handle(),
                              "INSERT INTO vessel_photos(vessel_id, view, media_type, sha256, "
                              "bytes, stored_name, created_at, created_by) "
                              "VALUES(?,?,?,?,?,?,?,?)");
        ins.bind(1, p.vessel_id);
        ins.bind(2, p.view);
        ins.bind(3, p.media_type);
        ins.bind(4, p.sha256);
        ins.bind(5, p.bytes);
        ins.bind(6, p.stored_name);
        ins.bind(7, p.created_at);
        ins.bind(8, p.created_by);
        ins.exec();
        p.id = db.handle().getLastInsertRowid();
        AuditLog(db, registry.clock())
            .append(actor, {.action = "photo.add",
                            .entity = "vessel",
                            .entity_id = std::to_string(vessel_id),
                            .after_json = nlohmann::ordered_json{{"photo_id", p.id},
                                                                 {"view", p.view},
                                                                 {"sha256", p.sha256},
                                                                 {"bytes", p.bytes}}
                                              .dump()});
        // The file first, then the commit: a crash in between leaves an unreferenced file
        // (harmless, same content hash next time), never a row without its file.
        write_file_atomically(photo_dir, p.stored_name, data);
        tx.commit();
        return O::success(std::move(p));
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: adding a photo");
    }
}

std::vector<VesselPhoto> list_vessel_photos(const Database& db, std::int64_t vessel_id) {
    try {
        SQLite::Statement q(db.handle(),
                            fmt::format("{} WHERE vessel_id = ? ORDER BY id", select_photos));
        q.bind(1, vessel_id);
        std::vector<VesselPhoto> out;
        while (q.executeStep()) {
            out.push_back(read_photo(q));
        }
        return out;
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: listing photos");
    }
}

std::optional<VesselPhoto> find_vessel_photo(const Database& db, std::int64_t id) {
    try {
        SQLite::Statement q(db.handle(), fmt::format("{} WHERE id = ?", select_photos));
        q.bind(1, id);
        if (!q.executeStep()) {
            return std::nullopt;
        }
        return read_photo(q);
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(e, "registry: reading a photo");
    }
}

} // namespace sahil::registry

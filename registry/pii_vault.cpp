#include "registry/pii_vault.hpp"

#include <system_error>
#include <utility>

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

namespace sahil::registry {

PiiVault::PiiVault(MasterKey key) : m_key(std::move(key)), m_cipher(m_key), m_index(m_key) {}

std::int64_t count_encrypted_values(const Database& db) {
    try {
        SQLite::Statement q(db.handle(), "SELECT count(cnic_enc) + count(phone_enc) FROM parties");
        q.executeStep();
        return q.getColumn(0).getInt64();
    } catch (const SQLite::Exception& e) {
        throw RegistryError::from_sqlite(
            e, fmt::format("registry database {}: counting encrypted values", db.path()));
    }
}

std::unique_ptr<PiiVault> PiiVault::open(const std::filesystem::path& key_file,
                                         bool create_if_missing, Database& db,
                                         std::string& note) {
    note.clear();
    if (key_file.empty()) {
        return nullptr;
    }
    std::error_code ec;
    const bool exists = std::filesystem::exists(std::filesystem::symlink_status(key_file, ec));
    if (!exists) {
        const std::int64_t stored = count_encrypted_values(db);
        if (stored > 0) {
            throw CryptoError(fmt::format(
                "PII key file {} is missing but {} encrypted value(s) are stored in {}: restore "
                "the key file from its backup (a new key could never read them)",
                key_file.string(), stored, db.path()));
        }
        if (!create_if_missing) {
            throw CryptoError(fmt::format("PII key file {} is missing; create it or set "
                                          "[registry] create_pii_key = true",
                                          key_file.string()));
        }
        std::filesystem::create_directories(key_file.parent_path(), ec);
        auto vault = std::make_unique<PiiVault>(MasterKey::create_file(key_file));
        note = fmt::format("created a new PII key file {} (mode 0600): back it up apart from "
                           "the database; without it owners' CNIC and phone numbers cannot be "
                           "read",
                           key_file.string());
        return vault;
    }
    return std::make_unique<PiiVault>(MasterKey::load(key_file));
}

} // namespace sahil::registry

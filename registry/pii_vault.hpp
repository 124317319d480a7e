// PII vault: the key material for owners' personal data, opened once at start from the key file
// named in the config ([registry] pii_key_file), with the rules that keep data readable:
//  * key file present   -> loaded (MasterKey::load refuses a file readable by group/others);
//  * key file missing, nothing encrypted stored yet, creation allowed -> a new key file is
//    created (mode 0600) and the caller is told to back it up;
//  * key file missing but encrypted values exist -> refused: a new key would make them
//    unreadable forever (restore the key file from backup instead);
//  * no file configured -> no vault: personal data cannot be stored (pii_unavailable).
// Example: `auto vault = PiiVault::open(cfg.registry.pii_key_file, true, db, note);
// VesselRegistry reg{db, rules, vault ? &vault->cipher() : nullptr, ...};`
//
// Thread-safety: the cipher and index are immutable after construction; share freely.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "registry/crypto.hpp"
#include "registry/database.hpp"

namespace sahil::registry {

/// Master key plus the field cipher and blind index derived from it.
class PiiVault {
public:
    /// Opens the vault as described in the file comment. `note` receives a message for the log
    /// when a new key file was created ("" otherwise). Returns nullptr when `key_file` is empty.
    /// @throws CryptoError (key file unusable, or missing while encrypted data exists),
    ///         RegistryError (database failure while checking for encrypted data).
    static std::unique_ptr<PiiVault> open(const std::filesystem::path& key_file,
                                          bool create_if_missing, Database& db,
                                          std::string& note);

    /// A vault around an existing key (tests, tools).
    explicit PiiVault(MasterKey key);

    [[nodiscard]] const PiiCipher& cipher() const noexcept { return m_cipher; }
    [[nodiscard]] const BlindIndex& index() const noexcept { return m_index; }

private:
    MasterKey m_key;
    PiiCipher m_cipher;
    BlindIndex m_index;
};

/// Number of stored encrypted values (CNIC and phone columns of parties).
/// @throws RegistryError on a database failure.
[[nodiscard]] std::int64_t count_encrypted_values(const Database& db);

} // namespace sahil::registry

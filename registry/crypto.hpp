// Registry crypto: the master key, field-level encryption of personal data, blind indexes for
// searching it, password hashing and policy, random tokens and hashes. A thin layer over
// libsodium 1.0.18 (Debian 12) so that the rest of Sahil never calls sodium directly.
//
// Where it sits: the server loads the master key once at start-up (MasterKey::load of the file
// named in the config), builds one PiiCipher and one BlindIndex from it, and hands them to the
// stores. A party's CNIC is then stored as two TEXT columns, for example
//   parties.cnic     = "v1:Yk3...-Q"        (PiiCipher::encrypt(value, "parties.cnic"))
//   parties.cnic_idx = "9f2c...e1" (64 hex) (BlindIndex::compute(normalised, "parties.cnic"))
// so that an exact-match search hashes the query and looks up the index column, and only a
// process holding the key can read the value. Accounts store hash_password() strings, sessions
// and API tokens store token_hash() of a random_token(), the audit chain uses sha256_hex().
//
// Algorithms and sources:
//  * key derivation: crypto_kdf_derive_from_key (BLAKE2b keyed, libsodium "Key derivation");
//  * encryption: XChaCha20-Poly1305-IETF AEAD (draft-irtf-cfrg-xchacha-03, RFC 8439), 24-byte
//    random nonce per value, the column name as associated data;
//  * blind index: BLAKE2b-256 keyed (RFC 7693, crypto_generichash);
//  * passwords: Argon2id v1.3 (RFC 9106) in the PHC string format
//  "$argon2id$v=19$m=..,t=..,p=1$..";
//    policy after OWASP ASVS 5.0 V6.2;
//  * text encodings: base64url without padding (RFC 4648 §5), lower-case hex, Crockford base32
//    alphabet (https://www.crockford.com/base32.html) for human-typed codes;
//  * hashes: SHA-256 (FIPS 180-4).
//
// Errors (CONVENTIONS.md "Errors"): key files, libsodium failures and stored ciphertexts that
// do not decrypt are resource/integrity failures and throw CryptoError; programming errors
// (a key context of the wrong length, password parameters outside libsodium's range) throw
// std::invalid_argument; user input (passwords, tokens) never throws: check_password_policy()
// returns a reason, verify_password() returns false.
//
// Thread-safety: every free function is safe from any thread. MasterKey, SecretKey, PiiCipher
// and BlindIndex are immutable after construction (key bytes are mapped read-only), so their
// const members may be called from several threads at once; moving one is not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace sahil::registry {

/// Thrown for key-file and crypto failures (not for bad user input): a key file that is
/// missing, too open or malformed; libsodium failing to initialise or to allocate; a stored
/// ciphertext that was tampered with, moved to another column or is not in the "v1:" format.
/// Messages name the file or column and never contain key bytes or plaintext.
class CryptoError : public std::runtime_error {
public:
    using runtime_error::runtime_error;
};

/// Calls sodium_init() exactly once per process (thread-safe; later calls only read a flag).
/// Every function and constructor in this header calls it, so callers need not; call it early
/// in main() to fail fast. @throws CryptoError if libsodium cannot initialise (no usable
/// randomness source), on this and every later call.
void sodium_init_once();

/// 32 secret key bytes in libsodium guarded memory: sodium_malloc'd (guard pages; mlock'ed so
/// they are not swapped out, where RLIMIT_MEMLOCK allows: sodium_malloc does not fail when mlock
/// does), mapped read-only once filled, zeroed and unlocked by sodium_free on
/// destruction. Move-only; a moved-from key may only be destroyed or assigned to (using it throws
/// std::logic_error). Built by MasterKey (the master key itself and derived subkeys).
class SecretKey {
public:
    /// Key length in bytes (crypto_kdf_KEYBYTES, crypto_aead_xchacha20poly1305_ietf_KEYBYTES
    /// and crypto_generichash_KEYBYTES are all 32).
    static constexpr std::size_t size = 32;

    SecretKey(const SecretKey&) = delete;
    SecretKey& operator=(const SecretKey&) = delete;
    SecretKey(SecretKey&& other) noexcept;
    SecretKey& operator=(SecretKey&& other) noexcept;
    ~SecretKey();

    /// The `size` key bytes (read-only memory). @throws std::logic_error on a moved-from key.
    [[nodiscard]] const unsigned char* data() const;

private:
    friend class MasterKey;

    /// Allocates `size` zero bytes in guarded memory, left writable for the owner to fill.
    /// @throws CryptoError when sodium_malloc fails (out of memory or address space).
    SecretKey();
    /// The bytes, writable until seal() (only MasterKey fills keys).
    [[nodiscard]] unsigned char* writable_data() noexcept { return m_bytes; }
    /// Maps the bytes read-only; a stray write then faults instead of corrupting the key.
    void seal();

    unsigned char* m_bytes = nullptr;
};

/// The installation's 32-byte master key, from which every purpose gets its own subkey. Held in
/// a SecretKey (guarded, mlock'ed, zeroed on destruction); move-only.
///
/// Key file format: exactly 64 hexadecimal characters (upper or lower case; 32 bytes) and an
/// optional trailing "\n", nothing else; mode 0600 (or stricter), owned by the service user.
/// Losing the file makes every encrypted field and blind index unreadable: back it up apart
/// from the database.
class MasterKey {
public:
    /// Context length crypto_kdf_derive_from_key requires, in bytes (crypto_kdf_CONTEXTBYTES).
    static constexpr std::size_t context_length = 8;

    /// A fresh random key (crypto_kdf_keygen). @throws CryptoError if libsodium fails.
    [[nodiscard]] static MasterKey generate();

    /// Reads a key file (format above). Refuses, with a CryptoError naming the path and saying
    /// how to fix it, a file that is missing or unreadable, not a regular file (directory, FIFO,
    /// device; a symlink is followed and its target checked), readable, writable or executable
    /// by group or others (mode & 077 != 0: "run `chmod 600 FILE`"), or whose content is not
    /// the format above. The file's content never appears in a message.
    [[nodiscard]] static MasterKey load(const std::filesystem::path& file);

    /// Generates a key and writes it to a new file `file` (64 lower-case hex characters and
    /// "\n") created with O_CREAT|O_EXCL and mode 0600, so it never overwrites an existing file
    /// or follows a symlink planted at that path; flushes the file and its directory (fsync)
    /// before returning. A partly written file is removed. @throws CryptoError when the file
    /// exists, the directory is missing or not writable, or the write fails.
    [[nodiscard]] static MasterKey create_file(const std::filesystem::path& file);

    /// Derives the 32-byte subkey number `subkey_id` (0..2^64-1) for `context` with
    /// crypto_kdf_derive_from_key: different ids or contexts give independent keys, and no
    /// subkey reveals the master key. Sahil's assignments: context "SahilPII", id 1 PiiCipher,
    /// id 2 BlindIndex. @throws std::invalid_argument unless `context` is exactly 8 bytes.
    [[nodiscard]] SecretKey derive_subkey(std::uint64_t subkey_id, std::string_view context) const;

private:
    explicit MasterKey(SecretKey key) noexcept : m_key(std::move(key)) {}

    SecretKey m_key;
};

/// Field-level encryption of personal data (CNIC, phone number) for TEXT columns.
///
/// Each value is sealed with XChaCha20-Poly1305-IETF (crypto_aead_xchacha20poly1305_ietf) under
/// the master key's subkey 1 of context "SahilPII", with a fresh random 24-byte nonce (so equal
/// values encrypt differently) and the column name as associated data (so a value copied into
/// another column, or another row's column of a different name, fails to decrypt).
///
/// Stored form: "v1:" followed by base64url without padding (RFC 4648 §5, sodium_bin2base64
/// URLSAFE_NO_PADDING) of nonce (24 bytes) || ciphertext (plaintext length + 16-byte tag); a
/// plaintext of n bytes gives 3 + ceil(4 * (n + 40) / 3) characters, e.g. a 13-digit CNIC -> 74.
class PiiCipher {
public:
    /// Version prefix of the stored form (a later format would be "v2:").
    static constexpr std::string_view prefix = "v1:";

    /// Derives this cipher's own subkey (id 1, context "SahilPII") from `key`; `key` may be
    /// destroyed afterwards. @throws CryptoError if libsodium cannot initialise or allocate.
    explicit PiiCipher(const MasterKey& key);

    /// Encrypts `plaintext` (any bytes, may be empty) for `column` (e.g. "parties.cnic"; any
    /// bytes, compared exactly) and returns the stored form described above.
    [[nodiscard]] std::string encrypt(std::string_view plaintext, std::string_view column) const;

    /// Decrypts a stored form for `column` and returns the plaintext.
    /// @throws CryptoError when the value was tampered with, was encrypted for another column
    /// or under another key, or is not "v1:" + canonical base64url of at least 40 bytes. The
    /// message names the column, never the value.
    [[nodiscard]] std::string decrypt(std::string_view stored, std::string_view column) const;

private:
    SecretKey m_key;
};

/// Keyed blind index for exact-match search of encrypted values: BLAKE2b-256 keyed
/// (crypto_generichash, RFC 7693) under the master key's subkey 2 of context "SahilPII", over
/// the column name (length-prefixed, so ("ab","c") and ("a","bc") differ) and the value. Equal
/// value and column give the same index; another column or key gives an unrelated one; without
/// the key a CNIC (13 digits, 10^13 values) cannot be recovered by trying every number.
/// Callers normalise first (e.g. strip dashes from a CNIC) so that equal values hash equally.
class BlindIndex {
public:
    /// Derives this index's own subkey (id 2, context "SahilPII") from `key`.
    /// @throws CryptoError if libsodium cannot initialise or allocate.
    explicit BlindIndex(const MasterKey& key);

    /// The index of `normalised_value` in `column`: 64 lower-case hex characters (32 bytes).
    [[nodiscard]] std::string compute(std::string_view normalised_value,
                                      std::string_view column) const;

private:
    SecretKey m_key;
};

/// Argon2id cost parameters (libsodium always uses parallelism p = 1).
struct PasswordParams {
    /// Passes over memory, t (libsodium's range 1..2^32-1).
    unsigned long long opslimit = 3;
    /// Memory in bytes, m (libsodium's range 8 KiB..4 TiB; hashed in whole KiB).
    std::size_t memlimit = std::size_t{64} * 1024 * 1024;

    /// Production cost: t = 3, m = 64 MiB, p = 1; above OWASP's Password Storage Cheat Sheet
    /// minimum (m = 19 MiB, t = 2, p = 1) and libsodium's INTERACTIVE (t = 2, m = 64 MiB).
    /// About 90 ms and 64 MiB per hash (or verify) on one core of the development machine.
    [[nodiscard]] static PasswordParams standard() noexcept;
    /// Cheap cost for tests only (t = 1, m = 8 MiB): never for stored passwords.
    [[nodiscard]] static PasswordParams fast_for_tests() noexcept;

    friend bool operator==(const PasswordParams&, const PasswordParams&) = default;
};

/// Hashes `password` (bytes exactly as received: no trimming, case folding or normalisation)
/// with Argon2id (crypto_pwhash_str_alg, ALG_ARGON2ID13) and a random 16-byte salt. Returns the
/// PHC string "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>" (under 128 characters) that
/// verify_password() and password_needs_rehash() read.
/// @throws std::invalid_argument when `params` are outside libsodium's ranges;
/// CryptoError when libsodium fails (out of memory for memlimit).
[[nodiscard]] std::string hash_password(std::string_view password,
                                        const PasswordParams& params = PasswordParams::standard());

/// Whether `password` matches `stored_hash` (a hash_password() string). libsodium recomputes the
/// hash with the stored parameters and compares in constant time. False on any failure: wrong
/// password, a hash that is not "$argon2id$...", malformed, or 128 characters or longer, or
/// libsodium running out of memory.
[[nodiscard]] bool verify_password(std::string_view stored_hash,
                                   std::string_view password) noexcept;

/// Whether `stored_hash` was made with parameters other than `params` (or is not a valid
/// Argon2id string) and should be replaced by hash_password(password, params) at the next
/// successful login. True also for malformed hashes, so a caller never keeps one.
[[nodiscard]] bool password_needs_rehash(std::string_view stored_hash,
                                         const PasswordParams& params) noexcept;

/// Shortest password accepted, in Unicode code points (ASVS 5.0 V6.2.1 asks at least 8 and
/// recommends 15; Sahil takes ASVS 4.0.3 V2.1.1's 12).
inline constexpr std::size_t min_password_length = 12;
/// Longest password accepted, in Unicode code points (ASVS 5.0 V6.2.9: at least 64 allowed;
/// ASVS 4.0.3 V2.1.2: more than 128 denied).
inline constexpr std::size_t max_password_length = 128;

/// Checks a new password against Sahil's policy (OWASP ASVS 5.0 V6.2: length only, no
/// composition rules, any printable Unicode including spaces). Rejects a password that is not
/// valid UTF-8; shorter than 12 or longer than 128 code points; one character repeated; equal
/// to `username` ignoring ASCII case; or in a built-in list of about 100 of the most common
/// passwords of 12+ characters, also ignoring ASCII case ("password1234", "123456789012",
/// "qwertyuiop12", "pakistan1234", ...). Returns std::nullopt when acceptable, otherwise the
/// reason in words for the user ("must be at least 12 characters (it has 9)"); the reason
/// never repeats the password. Never throws except std::bad_alloc.
[[nodiscard]] std::optional<std::string> check_password_policy(std::string_view password,
                                                               std::string_view username);

/// A new random token for sessions, API tokens and CSRF: 32 bytes from randombytes_buf as
/// base64url without padding, always 43 characters of [A-Za-z0-9_-]. Store only token_hash().
[[nodiscard]] std::string random_token();

/// What the database keeps of a token, so that a stolen database holds no usable token:
/// SHA-256 (crypto_hash_sha256) of the token's bytes as 64 lower-case hex characters. Tokens
/// carry 256 random bits, so an unsalted fast hash suffices (unlike passwords).
[[nodiscard]] std::string token_hash(std::string_view token);

/// SHA-256 (FIPS 180-4) of arbitrary bytes as 64 lower-case hex characters, for the audit hash
/// chain and file hashes. sha256_hex("abc") = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c
/// b410ff61f20015ad".
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// SHA-256 of a file's content, read in 64 KiB pieces (crypto_hash_sha256_update), as 64
/// lower-case hex characters: equal to sha256_hex() of the whole content without holding it in
/// memory (track exports reach gigabytes). Throws std::runtime_error naming the file when it
/// cannot be opened or read.
[[nodiscard]] std::string sha256_file_hex(const std::filesystem::path& file);

/// Equality of two strings in time that depends only on their length (sodium_memcmp), for
/// comparing secrets such as CSRF tokens. False when the lengths differ (the length is not
/// secret); true for two empty strings.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

/// Length of random_verification_code() in characters (8 x 5 bits = 40 bits).
inline constexpr std::size_t verification_code_length = 8;
/// The Crockford base32 alphabet: digits and upper-case letters without I, L, O and U.
inline constexpr std::string_view verification_code_alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A random code printed on certificates so that a reader can check them online: 8 characters
/// drawn uniformly (randombytes_uniform) from verification_code_alphabet, e.g. "7KQ3M9XD".
[[nodiscard]] std::string random_verification_code();

} // namespace sahil::registry

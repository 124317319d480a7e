#include "registry/crypto.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <sodium.h>

namespace sahil::registry {
namespace {

static_assert(SecretKey::size == crypto_kdf_KEYBYTES);
static_assert(SecretKey::size >= crypto_kdf_BYTES_MIN && SecretKey::size <= crypto_kdf_BYTES_MAX);
static_assert(SecretKey::size == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(SecretKey::size >= crypto_generichash_KEYBYTES_MIN &&
              SecretKey::size <= crypto_generichash_KEYBYTES_MAX);
static_assert(MasterKey::context_length == crypto_kdf_CONTEXTBYTES);

/// Subkey assignments (MasterKey::derive_subkey); never reuse an id for another purpose.
constexpr std::string_view registry_context = "SahilPII";
constexpr std::uint64_t pii_subkey_id = 1;
constexpr std::uint64_t blind_index_subkey_id = 2;

constexpr std::size_t key_hex_length = 2 * SecretKey::size;
constexpr std::size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t blind_index_size = 32;
constexpr std::size_t token_size = 32;
constexpr int base64_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
constexpr std::string_view argon2id_prefix = crypto_pwhash_argon2id_STRPREFIX;

/// sodium_init()'s result, computed once (a function-local static is initialised thread-safely).
int sodium_init_result() noexcept {
    static const int result = sodium_init();
    return result;
}

bool sodium_ready() noexcept {
    return sodium_init_result() >= 0;
}

// libsodium's pointer parameters are declared nonnull, while an empty string_view may hold a
// null pointer: point empty input at a real (unused) byte instead.
constexpr char empty_input = '\0';

const char* chars_of(std::string_view text) noexcept {
    return text.empty() ? &empty_input : text.data();
}

const unsigned char* bytes_of(std::string_view text) noexcept {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): char to byte view
    return reinterpret_cast<const unsigned char*>(chars_of(text));
}

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    std::string hex(2 * size + 1, '\0'); // sodium_bin2hex writes a terminating NUL
    sodium_bin2hex(hex.data(), hex.size(), bytes, size);
    hex.pop_back();
    return hex;
}

std::string to_base64url(const unsigned char* bytes, std::size_t size) {
    std::string text(sodium_base64_encoded_len(size, base64_variant), '\0'); // includes the NUL
    sodium_bin2base64(text.data(), text.size(), bytes, size, base64_variant);
    text.pop_back();
    return text;
}

std::string errno_text(int error) {
    return std::generic_category().message(error);
}

/// Wipes a buffer that held key material when the scope ends, whatever the path out.
class WipeOnExit {
public:
    WipeOnExit(void* data, std::size_t size) noexcept : m_data(data), m_size(size) {}
    WipeOnExit(const WipeOnExit&) = delete;
    WipeOnExit& operator=(const WipeOnExit&) = delete;
    WipeOnExit(WipeOnExit&&) = delete;
    WipeOnExit& operator=(WipeOnExit&&) = delete;
    ~WipeOnExit() { sodium_memzero(m_data, m_size); }

private:
    void* m_data;
    std::size_t m_size;
};

/// Owns a POSIX file descriptor; close() reports errors, the destructor ignores them.
class FileDescriptor {
public:
    explicit FileDescriptor(int fd) noexcept : m_fd(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor(FileDescriptor&&) = delete;
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    ~FileDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }

    [[nodiscard]] int get() const noexcept { return m_fd; }

    /// Closes now; returns 0 or the errno of close(2).
    int close() noexcept {
        const int result = ::close(std::exchange(m_fd, -1));
        return result == 0 ? 0 : errno;
    }

private:
    int m_fd;
};

bool is_hex_digit(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Reads at most `buffer.size()` bytes of `fd`; returns how many, or -errno.
template <std::size_t N> long read_prefix(int fd, std::array<char, N>& buffer) noexcept {
    std::size_t filled = 0;
    while (filled < buffer.size()) {
        const ssize_t got = ::read(fd, buffer.data() + filled, buffer.size() - filled);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        if (got == 0) {
            break;
        }
        filled += static_cast<std::size_t>(got);
    }
    return static_cast<long>(filled);
}

/// Writes all of `text` to `fd`; returns 0 or the errno of write(2).
int write_all(int fd, const char* text, std::size_t size) noexcept {
    std::size_t written = 0;
    while (written < size) {
        const ssize_t put = ::write(fd, text + written, size - written);
        if (put < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        written += static_cast<std::size_t>(put);
    }
    return 0;
}

/// fsyncs the directory holding `file` so that its new directory entry survives a power cut.
int sync_parent_directory(const std::filesystem::path& file) noexcept {
    std::filesystem::path parent = file.parent_path();
    if (parent.empty()) {
        parent = ".";
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2) is variadic
    const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    FileDescriptor directory{fd};
    if (::fsync(directory.get()) != 0) {
        return errno;
    }
    return directory.close();
}

/// The stored hash as a NUL-terminated string in `buffer`, as libsodium's *_str_* functions
/// want it; false when it cannot be one of ours (too long, embedded NUL, not Argon2id).
bool copy_argon2id_hash(std::string_view stored_hash,
                        std::array<char, crypto_pwhash_STRBYTES>& buffer) noexcept {
    if (stored_hash.size() >= buffer.size() || !stored_hash.starts_with(argon2id_prefix) ||
        stored_hash.find('\0') != std::string_view::npos) {
        return false;
    }
    std::copy(stored_hash.begin(), stored_hash.end(), buffer.begin());
    buffer[stored_hash.size()] = '\0';
    return true;
}

} // namespace

void sodium_init_once() {
    if (!sodium_ready()) {
        throw CryptoError("libsodium failed to initialise (sodium_init returned -1): is a "
                          "randomness source (getrandom, /dev/urandom) available?");
    }
}

namespace {

/// `size` zeroed bytes from sodium_malloc (guard pages, mlock where RLIMIT_MEMLOCK allows).
unsigned char* allocate_key_bytes(std::size_t size) {
    sodium_init_once();
    auto* bytes = static_cast<unsigned char*>(sodium_malloc(size));
    if (bytes == nullptr) {
        throw CryptoError(fmt::format(
            "cannot allocate guarded memory for a key (sodium_malloc: {})", errno_text(errno)));
    }
    sodium_memzero(bytes, size);
    return bytes;
}

} // namespace

// --- SecretKey ---

SecretKey::SecretKey() : m_bytes(allocate_key_bytes(size)) {}

SecretKey::SecretKey(SecretKey&& other) noexcept : m_bytes(std::exchange(other.m_bytes, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
    if (this != &other) {
        if (m_bytes != nullptr) {
            sodium_free(m_bytes); // makes the pages writable again, zeroes and unlocks them
        }
        m_bytes = std::exchange(other.m_bytes, nullptr);
    }
    return *this;
}

SecretKey::~SecretKey() {
    if (m_bytes != nullptr) {
        sodium_free(m_bytes);
    }
}

const unsigned char* SecretKey::data() const {
    if (m_bytes == nullptr) {
        throw std::logic_error("use of a moved-from SecretKey");
    }
    return m_bytes;
}

void SecretKey::seal() {
    if (sodium_mprotect_readonly(m_bytes) != 0) {
        throw CryptoError(fmt::format("cannot make key memory read-only (sodium_mprotect: {})",
                                      errno_text(errno)));
    }
}

// --- MasterKey ---

MasterKey MasterKey::generate() {
    SecretKey key;
    crypto_kdf_keygen(key.writable_data());
    key.seal();
    return MasterKey(std::move(key));
}

MasterKey MasterKey::load(const std::filesystem::path& file) {
    sodium_init_once();
    const std::string name = file.string();
    // O_NONBLOCK so that a FIFO planted at the path cannot hang start-up; regular files ignore it.
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2) is variadic
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        const int error = errno;
        if (error == ENOENT) {
            throw CryptoError(fmt::format("key file {}: does not exist; restore it from backup, "
                                          "or create a new key only for a new installation",
                                          name));
        }
        throw CryptoError(fmt::format("key file {}: cannot open: {}", name, errno_text(error)));
    }
    FileDescriptor key_file{fd};

    // fstat the open descriptor, not the path, so the checks apply to what is actually read.
    struct stat info {};
    if (::fstat(key_file.get(), &info) != 0) {
        throw CryptoError(fmt::format("key file {}: cannot stat: {}", name, errno_text(errno)));
    }
    if (!S_ISREG(info.st_mode)) {
        throw CryptoError(fmt::format("key file {}: not a regular file", name));
    }
    if ((info.st_mode & 077U) != 0) {
        throw CryptoError(fmt::format(
            "key file {}: mode {:04o} gives group or others access to the key; run `chmod 600 {}`",
            name, info.st_mode & 07777U, name));
    }

    std::array<char, key_hex_length + 2> text{}; // one byte past "hex\n" reveals a longer file
    const WipeOnExit wipe_text{text.data(), text.size()};
    const long got = read_prefix(key_file.get(), text);
    if (got < 0) {
        throw CryptoError(
            fmt::format("key file {}: cannot read: {}", name, errno_text(static_cast<int>(-got))));
    }
    const auto length = static_cast<std::size_t>(got);
    const bool shape_ok =
        length == key_hex_length || (length == key_hex_length + 1 && text[key_hex_length] == '\n');
    if (!shape_ok || !std::all_of(text.begin(), text.begin() + key_hex_length, is_hex_digit)) {
        throw CryptoError(fmt::format(
            "key file {}: malformed ({} bytes): it must hold exactly {} hexadecimal characters "
            "(a {}-byte key) and an optional newline; restore it from backup",
            name, info.st_size, key_hex_length, SecretKey::size));
    }

    SecretKey key;
    std::size_t decoded = 0;
    if (sodium_hex2bin(key.writable_data(), SecretKey::size, text.data(), key_hex_length, nullptr,
                       &decoded, nullptr) != 0 ||
        decoded != SecretKey::size) {
        throw CryptoError(fmt::format("key file {}: malformed hexadecimal key", name));
    }
    key.seal();
    return MasterKey(std::move(key));
}

MasterKey MasterKey::create_file(const std::filesystem::path& file) {
    MasterKey key = generate();
    const std::string name = file.string();
    // O_EXCL: fail rather than overwrite a key (or follow a symlink) already at this path.
    const int fd =
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg): open(2) is variadic
        ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, S_IRUSR | S_IWUSR);
    if (fd < 0) {
        const int error = errno;
        if (error == EEXIST) {
            throw CryptoError(fmt::format(
                "key file {}: already exists; refusing to overwrite it (data encrypted under it "
                "could never be read again); move it away first if it is really unused",
                name));
        }
        throw CryptoError(fmt::format("key file {}: cannot create: {}", name, errno_text(error)));
    }
    FileDescriptor key_file{fd};

    std::array<char, key_hex_length + 2> text{}; // hex, '\n', and sodium_bin2hex's NUL
    const WipeOnExit wipe_text{text.data(), text.size()};
    sodium_bin2hex(text.data(), key_hex_length + 1, key.m_key.data(), SecretKey::size);
    text[key_hex_length] = '\n';

    int error = 0;
    std::string_view step;
    // The umask may have cleared bits of 0600; set exactly 0600 so the owner can read it back.
    if (::fchmod(key_file.get(), S_IRUSR | S_IWUSR) != 0) {
        error = errno;
        step = "chmod";
    } else if ((error = write_all(key_file.get(), text.data(), key_hex_length + 1)) != 0) {
        step = "write";
    } else if (::fsync(key_file.get()) != 0) {
        error = errno;
        step = "fsync";
    } else if ((error = key_file.close()) != 0) {
        step = "close";
    } else if ((error = sync_parent_directory(file)) != 0) {
        step = "fsync directory";
    }
    if (error != 0) {
        ::unlink(name.c_str()); // never leave a partial key file behind for load() to trip on
        throw CryptoError(fmt::format("key file {}: cannot {}: {}", name, step, errno_text(error)));
    }
    return key;
}

SecretKey MasterKey::derive_subkey(std::uint64_t subkey_id, std::string_view context) const {
    if (context.size() != context_length) {
        throw std::invalid_argument(
            fmt::format("key derivation context must be exactly {} bytes, got {}", context_length,
                        context.size()));
    }
    SecretKey subkey;
    if (crypto_kdf_derive_from_key(subkey.writable_data(), SecretKey::size, subkey_id,
                                   context.data(), m_key.data()) != 0) {
        throw CryptoError(fmt::format("key derivation failed (subkey {})", subkey_id));
    }
    subkey.seal();
    return subkey;
}

// --- PiiCipher ---

PiiCipher::PiiCipher(const MasterKey& key)
    : m_key(key.derive_subkey(pii_subkey_id, registry_context)) {}

std::string PiiCipher::encrypt(std::string_view plaintext, std::string_view column) const {
    std::vector<unsigned char> sealed(nonce_size + plaintext.size() + tag_size);
    randombytes_buf(sealed.data(), nonce_size);
    unsigned long long sealed_size = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        sealed.data() + nonce_size, &sealed_size, bytes_of(plaintext), plaintext.size(),
        bytes_of(column), column.size(), nullptr, sealed.data(), m_key.data());
    return std::string(prefix) + to_base64url(sealed.data(), sealed.size());
}

std::string PiiCipher::decrypt(std::string_view stored, std::string_view column) const {
    if (!stored.starts_with(prefix)) {
        throw CryptoError(fmt::format(
            "encrypted value for column {}: unknown format (expected the \"{}\" prefix)", column,
            prefix));
    }
    const std::string_view encoded = stored.substr(prefix.size());
    std::vector<unsigned char> sealed(encoded.size() * 3 / 4 + 1);
    std::size_t sealed_size = 0;
    // No characters are ignored and trailing bits must be zero, so only canonical text decodes.
    if (sodium_base642bin(sealed.data(), sealed.size(), chars_of(encoded), encoded.size(), nullptr,
                          &sealed_size, nullptr, base64_variant) != 0) {
        throw CryptoError(
            fmt::format("encrypted value for column {}: not valid unpadded base64url", column));
    }
    if (sealed_size < nonce_size + tag_size) {
        throw CryptoError(
            fmt::format("encrypted value for column {}: too short ({} bytes, at least {} expected)",
                        column, sealed_size, nonce_size + tag_size));
    }
    std::string plaintext(sealed_size - nonce_size - tag_size, '\0');
    unsigned long long plaintext_size = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): char to byte view
            reinterpret_cast<unsigned char*>(plaintext.data()), &plaintext_size, nullptr,
            sealed.data() + nonce_size, sealed_size - nonce_size, bytes_of(column), column.size(),
            sealed.data(), m_key.data()) != 0) {
        throw CryptoError(fmt::format(
            "encrypted value for column {}: authentication failed (the value was altered, belongs "
            "to another column, or was encrypted under another key)",
            column));
    }
    return plaintext;
}

// --- BlindIndex ---

BlindIndex::BlindIndex(const MasterKey& key)
    : m_key(key.derive_subkey(blind_index_subkey_id, registry_context)) {}

std::string BlindIndex::compute(std::string_view normalised_value, std::string_view column) const {
    crypto_generichash_state state;
    const WipeOnExit wipe_state{&state, sizeof state};
    crypto_generichash_init(&state, m_key.data(), SecretKey::size, blind_index_size);
    // Column length first (8 bytes, little-endian): the split between column and value is
    // then unambiguous.
    std::array<unsigned char, 8> column_length{};
    for (std::size_t i = 0; i < column_length.size(); ++i) {
        column_length[i] = static_cast<unsigned char>((column.size() >> (8 * i)) & 0xffU);
    }
    crypto_generichash_update(&state, column_length.data(), column_length.size());
    crypto_generichash_update(&state, bytes_of(column), column.size());
    crypto_generichash_update(&state, bytes_of(normalised_value), normalised_value.size());
    std::array<unsigned char, blind_index_size> digest{};
    crypto_generichash_final(&state, digest.data(), digest.size());
    return to_hex(digest.data(), digest.size());
}

// --- passwords ---

PasswordParams PasswordParams::standard() noexcept {
    return PasswordParams{.opslimit = 3, .memlimit = std::size_t{64} * 1024 * 1024};
}

PasswordParams PasswordParams::fast_for_tests() noexcept {
    return PasswordParams{.opslimit = 1, .memlimit = std::size_t{8} * 1024 * 1024};
}

std::string hash_password(std::string_view password, const PasswordParams& params) {
    sodium_init_once();
    if (params.opslimit < crypto_pwhash_argon2id_opslimit_min() ||
        params.opslimit > crypto_pwhash_argon2id_opslimit_max() ||
        params.memlimit < crypto_pwhash_argon2id_memlimit_min() ||
        params.memlimit > crypto_pwhash_argon2id_memlimit_max()) {
        throw std::invalid_argument(fmt::format(
            "Argon2id parameters out of range: opslimit {} ({}..{}), memlimit {} bytes "
            "({}..{})",
            params.opslimit, crypto_pwhash_argon2id_opslimit_min(),
            crypto_pwhash_argon2id_opslimit_max(), params.memlimit,
            crypto_pwhash_argon2id_memlimit_min(), crypto_pwhash_argon2id_memlimit_max()));
    }
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(), chars_of(password), password.size(), params.opslimit,
                              params.memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw CryptoError(fmt::format("password hashing failed (Argon2id, {} MiB): {}",
                                      params.memlimit / (std::size_t{1024} * 1024),
                                      errno_text(errno)));
    }
    return {out.data()};
}

bool verify_password(std::string_view stored_hash, std::string_view password) noexcept {
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    if (!sodium_ready() || !copy_argon2id_hash(stored_hash, hash)) {
        return false;
    }
    return crypto_pwhash_str_verify(hash.data(), chars_of(password), password.size()) == 0;
}

bool password_needs_rehash(std::string_view stored_hash, const PasswordParams& params) noexcept {
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    if (!sodium_ready() || !copy_argon2id_hash(stored_hash, hash)) {
        return true;
    }
    // 0: same parameters; 1: different; -1: malformed hash or parameters.
    return crypto_pwhash_str_needs_rehash(hash.data(), params.opslimit, params.memlimit) != 0;
}

// --- password policy ---

namespace {

/// The most common passwords of 12 or more characters (lower case; compared ignoring ASCII
/// case): entries of well-known common-password lists, keyboard and digit walks, Pakistani
/// favourites and words from Sahil's own context (ASVS 5.0 V6.2.11). Shorter common passwords
/// are already refused by the length rule.
// clang-format off
constexpr auto common_passwords = std::to_array<std::string_view>({
    // digit runs
    "123456789012", "1234567890123", "12345678901234", "123456789123", "123123123123",
    "123412341234", "121212121212", "123321123321", "123456654321", "112233445566", "111222333444",
    "098765432109", "987654321098", "012345678901", "786786786786", "1234567890qwerty",
    // keyboard walks
    "qwertyuiop12", "qwertyuiop123", "qwertyuiop1234", "qwertyuiopasdfghjklzxcvbnm", "qwerty123456",
    "qwerty1234567", "qwertyqwerty", "qwerty@12345", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u8i",
    "q1w2e3r4t5y6", "1qaz2wsx3edc", "1qaz2wsx3edc4rfv", "qazwsxedcrfv", "zaq12wsxcde3",
    "zaq1zaq1zaq1", "1qazxsw23edc", "asdfghjkl123", "asdfasdfasdf", "asdf1234asdf", "1234qwerasdf",
    "qweasdzxc123", "zxcvbnm12345", "zxcvbnm123456", "abcdefghijkl", "abcdefgh1234", "abcd12345678",
    "abc123456789", "abc123abc123", "abcd1234abcd",
    // "password" and friends
    "password1234", "password12345", "password123456", "password@123", "password#123",
    "password!123", "password123!", "passwordpassword", "p@ssw0rd1234", "p@ssword1234",
    "passw0rd1234", "mypassword12", "mypassword123", "iloveyou1234", "iloveyou12345",
    "iloveyouiloveyou", "welcome12345", "welcome@1234", "welcome123456", "letmein12345",
    "changeme1234", "changeme@123", "admin1234567", "admin@123456", "adminadmin12", "administrator",
    "administrator1", "football1234", "baseball1234", "princess1234", "sunshine1234",
    "superman1234", "starwars1234", "whatever1234", "computer1234", "internet1234", "monkey123456",
    "dragon123456", "michael12345", "charlie12345", "cricket12345",
    // Pakistan
    "pakistan1234", "pakistan12345", "pakistan123456", "pakistan@123", "pakistan@786",
    "pakistan786786", "pakistanzindabad", "karachi12345", "karachi@1234", "lahore123456",
    "islamabad123", "islamabad@123", "balochistan1", "gwadar123456", "bismillah123", "bismillah786",
    "mashallah123", "alhamdulillah", "subhanallah1", "muhammad1234", "muhammad@123",
    // Sahil's own context
    "sahil1234567", "sahil@123456", "sahilsahil12", "fisheries123", "fisheries1234", "fishermen123",
    "boatregistry", "coastguard12",
});
// clang-format on

static_assert(std::all_of(common_passwords.begin(), common_passwords.end(),
                          [](std::string_view p) { return p.size() >= min_password_length; }),
              "entries shorter than the minimum length are dead weight");

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

/// Decodes strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) into code
/// points; std::nullopt for anything else.
std::optional<std::u32string> decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0; // continuation bytes after the lead byte
        char32_t cp = lead;
        char32_t min = 0; // smallest code point allowed for this length (no overlong forms)
        if ((lead & 0xE0U) == 0xC0U) {
            extra = 1;
            cp = lead & 0x1FU;
            min = 0x80;
        } else if ((lead & 0xF0U) == 0xE0U) {
            extra = 2;
            cp = lead & 0x0FU;
            min = 0x800;
        } else if ((lead & 0xF8U) == 0xF0U) {
            extra = 3;
            cp = lead & 0x07U;
            min = 0x10000;
        } else if (lead >= 0x80) {
            return std::nullopt;
        }
        if (extra > text.size() - i - 1) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0U) != 0x80U) {
                return std::nullopt;
            }
            cp = (cp << 6) | (next & 0x3FU);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return std::nullopt;
        }
        out.push_back(cp);
        i += extra + 1;
    }
    return out;
}

bool is_control(char32_t cp) noexcept {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

} // namespace

std::optional<std::string> check_password_policy(std::string_view password,
                                                 std::string_view username) {
    const std::optional<std::u32string> code_points = decode_utf8(password);
    if (!code_points) {
        return "is not valid UTF-8 text";
    }
    if (std::any_of(code_points->begin(), code_points->end(), is_control)) {
        return "must not contain control characters (tabs, line breaks)";
    }
    const std::size_t length = code_points->size();
    if (length < min_password_length) {
        return fmt::format("must be at least {} characters (it has {})", min_password_length,
                           length);
    }
    if (length > max_password_length) {
        return fmt::format("must be at most {} characters (it has {})", max_password_length,
                           length);
    }
    if (std::all_of(code_points->begin(), code_points->end(),
                    [&](char32_t cp) { return cp == code_points->front(); })) {
        return "must not be one character repeated";
    }
    if (equal_ignoring_ascii_case(password, username)) {
        return "must not be the same as the user name";
    }
    if (std::any_of(common_passwords.begin(), common_passwords.end(), [&](std::string_view common) {
            return equal_ignoring_ascii_case(password, common);
        })) {
        return "is one of the most commonly used passwords; choose another";
    }
    return std::nullopt;
}

// --- tokens and hashes ---

std::string random_token() {
    sodium_init_once();
    std::array<unsigned char, token_size> bytes{};
    const WipeOnExit wipe_bytes{bytes.data(), bytes.size()};
    randombytes_buf(bytes.data(), bytes.size());
    return to_base64url(bytes.data(), bytes.size());
}

std::string token_hash(std::string_view token) {
    return sha256_hex(token);
}

std::string sha256_hex(std::string_view bytes) {
    sodium_init_once();
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), bytes_of(bytes), bytes.size());
    return to_hex(digest.data(), digest.size());
}

std::string sha256_file_hex(const std::filesystem::path& file) {
    sodium_init_once();
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot open " + file.string() + " to hash it");
    }
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    std::vector<char> piece(64 * 1024);
    while (in) {
        in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
        const auto got = in.gcount();
        if (got > 0) {
            crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(piece.data()),
                                      static_cast<unsigned long long>(got));
        }
    }
    if (in.bad()) {
        throw std::runtime_error("cannot read " + file.string() + " to hash it");
    }
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state, digest.data());
    return to_hex(digest.data(), digest.size());
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    if (a.empty()) {
        return true;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_verification_code() {
    sodium_init_once();
    static_assert(verification_code_alphabet.size() == 32);
    std::string code(verification_code_length, '\0');
    for (char& c : code) {
        c = verification_code_alphabet[randombytes_uniform(
            static_cast<std::uint32_t>(verification_code_alphabet.size()))];
    }
    return code;
}

} // namespace sahil::registry

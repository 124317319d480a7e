// Tests of registry/crypto: key files (permissions, format, no overwrite), field encryption
// (round trip, tamper/column/key checks, nothing of the plaintext in the stored form), blind
// indexes, Argon2id password hashing and policy, tokens and hashes. Known answers come from
// FIPS 180-2 (SHA-256 "abc"), not from the code; base64 for the leak check is computed here
// independently of libsodium. Argon2id runs with PasswordParams::fast_for_tests() except once.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "registry/crypto.hpp"
#include "tests/registry/registry_test_support.hpp"

namespace sahil::registry {
namespace {

using test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view cnic_column = "parties.cnic";
constexpr std::string_view phone_column = "parties.phone";
constexpr std::string_view base64url_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A well-formed key (64 hex characters) for hand-written key files.
const std::string sample_key_hex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

void write_file(const std::string& path, const std::string& content,
                std::filesystem::perms mode = std::filesystem::perms::owner_read |
                                              std::filesystem::perms::owner_write) {
    std::ofstream(path, std::ios::binary) << content;
    std::filesystem::permissions(path, mode);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The CryptoError message `action` throws ("" when it does not throw).
template <typename Action> std::string crypto_error_of(Action&& action) {
    try {
        action();
    } catch (const CryptoError& error) {
        return error.what();
    }
    return "";
}

/// Plain RFC 4648 base64 (standard or URL-safe alphabet, no padding), written here so that the
/// leak check does not trust the encoder under test.
std::string base64(std::string_view bytes, bool url_safe) {
    const std::string_view alphabet =
        url_safe ? base64url_alphabet
                 : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned bits = 0;
    int pending = 0;
    for (const char c : bytes) {
        bits = (bits << 8) | static_cast<unsigned char>(c);
        pending += 8;
        while (pending >= 6) {
            pending -= 6;
            out += alphabet[(bits >> pending) & 0x3FU];
        }
    }
    if (pending > 0) {
        out += alphabet[(bits << (6 - pending)) & 0x3FU];
    }
    return out;
}

bool is_lower_hex(std::string_view text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// --- MasterKey and key files ---

TEST(MasterKey, create_file_then_load_gives_the_same_key) {
    const TempDir dir;
    const std::string path = dir.file("master.key");
    const MasterKey created = MasterKey::create_file(path);
    const MasterKey loaded = MasterKey::load(path);

    const std::string content = read_file(path);
    ASSERT_EQ(content.size(), 65U);
    EXPECT_TRUE(is_lower_hex(content.substr(0, 64)));
    EXPECT_EQ(content.back(), '\n');
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777U, 0600U);

    EXPECT_EQ(PiiCipher(loaded).decrypt(PiiCipher(created).encrypt("4220112345671", cnic_column),
                                        cnic_column),
              "4220112345671");
    EXPECT_EQ(BlindIndex(created).compute("4220112345671", cnic_column),
              BlindIndex(loaded).compute("4220112345671", cnic_column));
}

TEST(MasterKey, load_accepts_upper_case_hex_and_no_newline) {
    const TempDir dir;
    std::string upper = sample_key_hex;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return c >= 'a' && c <= 'f' ? static_cast<char>(c - 32) : c; });
    write_file(dir.file("lower.key"), sample_key_hex + "\n");
    write_file(dir.file("upper.key"), upper);
    EXPECT_EQ(BlindIndex(MasterKey::load(dir.file("lower.key"))).compute("x", cnic_column),
              BlindIndex(MasterKey::load(dir.file("upper.key"))).compute("x", cnic_column));
}

TEST(MasterKey, load_refuses_a_file_open_to_group_or_others) {
    const TempDir dir;
    using std::filesystem::perms;
    for (const perms extra : {perms::group_read, perms::others_read, perms::group_write,
                              perms::others_write, perms::group_exec}) {
        const std::string path = dir.file("open.key");
        write_file(path, sample_key_hex + "\n", perms::owner_read | perms::owner_write | extra);
        const std::string message = crypto_error_of([&] { (void)MasterKey::load(path); });
        EXPECT_THAT(message, HasSubstr("chmod 600 " + path));
        EXPECT_THAT(message, HasSubstr(path));
        EXPECT_THAT(message, Not(HasSubstr(sample_key_hex)));
    }
    const std::string path = dir.file("0644.key");
    write_file(path, sample_key_hex + "\n",
               perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::load(path); }), HasSubstr("mode 0644"));
}

TEST(MasterKey, load_refuses_malformed_content) {
    const TempDir dir;
    const std::string path = dir.file("bad.key");
    for (const std::string& content :
         {std::string{}, std::string("\n"), sample_key_hex.substr(1), sample_key_hex + "0",
          sample_key_hex + "\n\n", sample_key_hex + "\r\n", sample_key_hex + " ",
          " " + sample_key_hex.substr(1), "g" + sample_key_hex.substr(1),
          sample_key_hex.substr(0, 32) + "\n" + sample_key_hex.substr(32),
          sample_key_hex + "\n" + sample_key_hex}) {
        write_file(path, content);
        const std::string message = crypto_error_of([&] { (void)MasterKey::load(path); });
        EXPECT_THAT(message, HasSubstr("malformed")) << '"' << content << '"';
        EXPECT_THAT(message, HasSubstr(path));
        if (content.size() >= 16) {
            EXPECT_THAT(message, Not(HasSubstr(content.substr(1, 15)))) << "leaks the content";
        }
    }
}

TEST(MasterKey, load_refuses_missing_file_and_directory) {
    const TempDir dir;
    const std::string missing = dir.file("missing.key");
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::load(missing); }),
                HasSubstr(missing + ": does not exist"));
    const std::string directory = dir.file("keydir");
    std::filesystem::create_directory(directory);
    std::filesystem::permissions(directory, std::filesystem::perms::owner_all);
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::load(directory); }),
                HasSubstr("not a regular file"));
}

TEST(MasterKey, create_file_refuses_to_overwrite) {
    const TempDir dir;
    const std::string path = dir.file("master.key");
    const MasterKey first = MasterKey::create_file(path);
    const std::string before = read_file(path);
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::create_file(path); }),
                HasSubstr("already exists"));
    EXPECT_EQ(read_file(path), before);

    // A symlink planted at the path is not followed either.
    const std::string target = dir.file("target");
    const std::string link = dir.file("link.key");
    std::filesystem::create_symlink(target, link);
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::create_file(link); }),
                HasSubstr("already exists"));
    EXPECT_FALSE(std::filesystem::exists(target));
}

TEST(MasterKey, create_file_reports_a_missing_directory) {
    const TempDir dir;
    const std::string path = dir.file("no/such/dir/master.key");
    EXPECT_THAT(crypto_error_of([&] { (void)MasterKey::create_file(path); }),
                HasSubstr("cannot create"));
}

TEST(MasterKey, derive_subkey_wants_an_eight_byte_context) {
    const MasterKey key = MasterKey::generate();
    EXPECT_THROW((void)key.derive_subkey(1, "Sahil"), std::invalid_argument);
    EXPECT_THROW((void)key.derive_subkey(1, "SahilPII+"), std::invalid_argument);
    const SecretKey a = key.derive_subkey(1, "SahilPII");
    const SecretKey b = key.derive_subkey(2, "SahilPII");
    const SecretKey a_again = key.derive_subkey(1, "SahilPII");
    EXPECT_TRUE(std::equal(a.data(), a.data() + SecretKey::size, a_again.data()));
    EXPECT_FALSE(std::equal(a.data(), a.data() + SecretKey::size, b.data()));
}

TEST(MasterKey, moved_from_key_refuses_use) {
    MasterKey key = MasterKey::generate();
    const MasterKey moved = std::move(key);
    EXPECT_NO_THROW((void)PiiCipher(moved));
    EXPECT_THROW((void)PiiCipher(key), std::logic_error); // NOLINT(bugprone-use-after-move)
}

// --- PiiCipher ---

TEST(PiiCipher, round_trips_values) {
    const PiiCipher cipher(MasterKey::generate());
    for (const std::string& value :
         {std::string{}, std::string("35202-1234567-1"), std::string("+92 300 1234567"),
          std::string("محمد علی"), std::string("nul\0inside", 10), std::string(5000, 'x')}) {
        const std::string stored = cipher.encrypt(value, cnic_column);
        EXPECT_THAT(stored, StartsWith("v1:"));
        EXPECT_EQ(stored.find_first_not_of(base64url_alphabet, 3), std::string::npos);
        EXPECT_EQ(cipher.decrypt(stored, cnic_column), value);
    }
}

TEST(PiiCipher, stored_form_has_the_documented_length) {
    const PiiCipher cipher(MasterKey::generate());
    // 13 + 24 nonce + 16 tag = 53 bytes -> 71 base64 characters, + "v1:".
    EXPECT_EQ(cipher.encrypt("4220112345671", cnic_column).size(), 74U);
    EXPECT_EQ(cipher.encrypt("", cnic_column).size(), 3U + 54U); // 40 bytes -> 54 characters
}

TEST(PiiCipher, two_encryptions_of_one_value_differ) {
    const PiiCipher cipher(MasterKey::generate());
    const std::string a = cipher.encrypt("4220112345671", cnic_column);
    const std::string b = cipher.encrypt("4220112345671", cnic_column);
    EXPECT_NE(a, b);
    EXPECT_NE(a.substr(3, 32), b.substr(3, 32)) << "the nonces should differ";
}

TEST(PiiCipher, stored_form_holds_nothing_of_the_plaintext) {
    const PiiCipher cipher(MasterKey::generate());
    const std::string value = "4220112345671";
    const std::string stored = cipher.encrypt(value, cnic_column);
    EXPECT_THAT(stored, Not(HasSubstr(value)));
    EXPECT_THAT(stored, Not(HasSubstr(value.substr(0, 8))));
    // The plaintext's base64 at each of the three byte alignments, trimmed of the characters
    // that straddle its ends.
    for (const bool url_safe : {false, true}) {
        for (std::size_t shift = 0; shift < 3; ++shift) {
            const std::string encoded = base64(std::string(shift, '\0') + value, url_safe);
            const std::string core = encoded.substr(4, encoded.size() - 6);
            ASSERT_GE(core.size(), 8U);
            EXPECT_THAT(stored, Not(HasSubstr(core))) << "shift " << shift;
        }
    }
}

TEST(PiiCipher, any_altered_character_is_refused) {
    const PiiCipher cipher(MasterKey::generate());
    const std::string stored = cipher.encrypt("4220112345671", cnic_column);
    for (std::size_t i = 3; i < stored.size(); ++i) {
        std::string tampered = stored;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        EXPECT_THROW((void)cipher.decrypt(tampered, cnic_column), CryptoError) << "position " << i;
    }
    EXPECT_THROW((void)cipher.decrypt(stored.substr(0, stored.size() - 1), cnic_column),
                 CryptoError);
    EXPECT_THROW((void)cipher.decrypt(stored + "A", cnic_column), CryptoError);
    EXPECT_THROW((void)cipher.decrypt(stored + "AA", cnic_column), CryptoError);
    EXPECT_EQ(cipher.decrypt(stored, cnic_column), "4220112345671");
}

TEST(PiiCipher, value_moved_to_another_column_is_refused) {
    const PiiCipher cipher(MasterKey::generate());
    const std::string stored = cipher.encrypt("4220112345671", cnic_column);
    const std::string message =
        crypto_error_of([&] { (void)cipher.decrypt(stored, phone_column); });
    EXPECT_THAT(message, HasSubstr("parties.phone"));
    EXPECT_THAT(message, HasSubstr("authentication failed"));
    EXPECT_THAT(message, Not(HasSubstr(stored)));
}

TEST(PiiCipher, value_from_another_key_is_refused) {
    const MasterKey key = MasterKey::generate();
    const std::string stored = PiiCipher(key).encrypt("4220112345671", cnic_column);
    EXPECT_THROW((void)PiiCipher(MasterKey::generate()).decrypt(stored, cnic_column), CryptoError);
    EXPECT_EQ(PiiCipher(key).decrypt(stored, cnic_column), "4220112345671");
}

TEST(PiiCipher, malformed_stored_forms_are_refused) {
    const PiiCipher cipher(MasterKey::generate());
    const std::string stored = cipher.encrypt("4220112345671", cnic_column);
    for (const std::string& bad :
         {std::string{}, std::string("4220112345671"), std::string("v1:"), std::string("v1:AAAA"),
          "v2:" + stored.substr(3), stored.substr(3),
          "v1:" + stored.substr(3, 20) + "+" + stored.substr(24), "v1:" + stored.substr(3) + "=",
          " " + stored, stored + "\n"}) {
        EXPECT_THROW((void)cipher.decrypt(bad, cnic_column), CryptoError) << bad;
    }
}

// --- BlindIndex ---

TEST(BlindIndex, is_deterministic_64_hex) {
    const MasterKey key = MasterKey::generate();
    const std::string a = BlindIndex(key).compute("4220112345671", cnic_column);
    EXPECT_EQ(a.size(), 64U);
    EXPECT_TRUE(is_lower_hex(a));
    EXPECT_EQ(BlindIndex(key).compute("4220112345671", cnic_column), a);
}

TEST(BlindIndex, differs_per_value_column_and_key) {
    const MasterKey key = MasterKey::generate();
    const BlindIndex index(key);
    const std::string base = index.compute("4220112345671", cnic_column);
    EXPECT_NE(index.compute("4220112345672", cnic_column), base);
    EXPECT_NE(index.compute("4220112345671", phone_column), base);
    EXPECT_NE(BlindIndex(MasterKey::generate()).compute("4220112345671", cnic_column), base);
    EXPECT_NE(index.compute("bc", "a"), index.compute("c", "ab")) << "column/value split";
    EXPECT_NE(base, sha256_hex("4220112345671")) << "must be keyed";
}

// --- passwords ---

TEST(PasswordHash, hash_and_verify) {
    const PasswordParams fast = PasswordParams::fast_for_tests();
    const std::string hash = hash_password("correct horse battery staple", fast);
    EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=8192,t=1,p=1$"));
    EXPECT_LT(hash.size(), 128U);
    EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, "correct horse battery stapl"));
    EXPECT_FALSE(verify_password(hash, "Correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash, ""));
    EXPECT_NE(hash_password("correct horse battery staple", fast), hash) << "salts should differ";
}

TEST(PasswordHash, verify_is_false_for_bad_hashes) {
    const std::string hash =
        hash_password("correct horse battery staple", PasswordParams::fast_for_tests());
    std::string altered = hash;
    altered[altered.size() - 2] = altered[altered.size() - 2] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_password(altered, "correct horse battery staple"));
    EXPECT_FALSE(verify_password("", "correct horse battery staple"));
    EXPECT_FALSE(verify_password("$argon2i" + hash.substr(9), "correct horse battery staple"))
        << "only Argon2id hashes are ours";
    EXPECT_FALSE(verify_password(hash + std::string(200, 'A'), "correct horse battery staple"));
    EXPECT_FALSE(verify_password(hash.substr(0, 40), "correct horse battery staple"));
}

TEST(PasswordHash, empty_and_unicode_passwords_hash) {
    const PasswordParams fast = PasswordParams::fast_for_tests();
    EXPECT_TRUE(verify_password(hash_password("", fast), ""));
    EXPECT_TRUE(verify_password(hash_password("سمندر کی لہریں 🌊", fast), "سمندر کی لہریں 🌊"));
}

TEST(PasswordHash, needs_rehash_after_a_parameter_change) {
    const PasswordParams fast = PasswordParams::fast_for_tests();
    const std::string hash = hash_password("correct horse battery staple", fast);
    EXPECT_FALSE(password_needs_rehash(hash, fast));
    EXPECT_TRUE(
        password_needs_rehash(hash, PasswordParams{.opslimit = 2, .memlimit = fast.memlimit}));
    EXPECT_TRUE(password_needs_rehash(hash, PasswordParams{.opslimit = 1, .memlimit = 16U << 20U}));
    EXPECT_TRUE(password_needs_rehash(hash, PasswordParams::standard()));
    EXPECT_TRUE(password_needs_rehash("not a hash", fast));
    EXPECT_TRUE(password_needs_rehash("", fast));
}

TEST(PasswordHash, rejects_parameters_outside_libsodium_ranges) {
    EXPECT_THROW((void)hash_password("x", PasswordParams{.opslimit = 0, .memlimit = 8U << 20U}),
                 std::invalid_argument);
    EXPECT_THROW((void)hash_password("x", PasswordParams{.opslimit = 1, .memlimit = 1024}),
                 std::invalid_argument);
}

TEST(PasswordHash, standard_params_are_argon2id_t3_m64mib) {
    const PasswordParams standard = PasswordParams::standard();
    EXPECT_EQ(standard.opslimit, 3U);
    EXPECT_EQ(standard.memlimit, 64U * 1024U * 1024U);
    const std::string hash = hash_password("correct horse battery staple");
    EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=65536,t=3,p=1$"));
    EXPECT_TRUE(verify_password(hash, "correct horse battery staple"));
    EXPECT_FALSE(password_needs_rehash(hash, standard));
    EXPECT_TRUE(password_needs_rehash(hash, PasswordParams::fast_for_tests()));
}

// --- password policy ---

struct PolicyCase {
    std::string password;
    std::string expected; // "" = accepted, otherwise a substring of the reason
};

class PasswordPolicy : public ::testing::TestWithParam<PolicyCase> {};

TEST_P(PasswordPolicy, judges) {
    const PolicyCase& c = GetParam();
    const auto reason = check_password_policy(c.password, "harbourmaster");
    if (c.expected.empty()) {
        EXPECT_EQ(reason, std::nullopt) << c.password;
    } else {
        ASSERT_TRUE(reason.has_value()) << c.password;
        EXPECT_THAT(*reason, HasSubstr(c.expected)) << c.password;
        if (c.password.size() >= 4) {
            EXPECT_THAT(*reason, Not(HasSubstr(c.password))) << "the reason repeats the password";
        }
    }
}

const std::string max_length_password = [] {
    std::string p;
    for (int i = 0; i < 128; ++i) {
        p += static_cast<char>('a' + i % 26);
    }
    return p;
}();

INSTANTIATE_TEST_SUITE_P(
    Cases, PasswordPolicy,
    ::testing::Values(
        // accepted
        PolicyCase{"correct horse battery staple", ""}, PolicyCase{"Tr0ub4dor&3x", ""},
        PolicyCase{"ab1234567890", ""}, PolicyCase{max_length_password, ""},
        PolicyCase{"سمندر کی لہریں", ""}, // 14 code points, 26 bytes
        PolicyCase{"🌊🐟⚓🌊🐟⚓🌊🐟⚓🌊🐟⚓", ""},   // 12 code points
        PolicyCase{"harbourmaster1", ""}, // contains the user name: allowed
        // length in code points, not bytes
        PolicyCase{"Tr0ub4dor&3", "at least 12 characters (it has 11)"},
        PolicyCase{"", "at least 12"}, PolicyCase{"سمندر لہریں", "at least 12"}, // 11 cp, 20 bytes
        PolicyCase{max_length_password + "z", "at most 128 characters (it has 129)"},
        // one character repeated
        PolicyCase{"aaaaaaaaaaaaaaaa", "one character repeated"},
        PolicyCase{"۰۰۰۰۰۰۰۰۰۰۰۰", "one character repeated"},
        // user name, ignoring ASCII case
        PolicyCase{"HarbourMaster", "user name"},
        // common passwords, ignoring ASCII case
        PolicyCase{"password1234", "commonly used"}, PolicyCase{"Password1234", "commonly used"},
        PolicyCase{"123456789012", "commonly used"}, PolicyCase{"QWERTYUIOP12", "commonly used"},
        PolicyCase{"pakistan1234", "commonly used"}, PolicyCase{"Pakistan@123", "commonly used"},
        // not text
        PolicyCase{"abcdefghijk\xff", "UTF-8"}, PolicyCase{"abcdefghij\xc0\xaf", "UTF-8"},
        PolicyCase{"abcdefghijk\xed\xa0\x80", "UTF-8"}, PolicyCase{"abcdefghijk\xe2\x82", "UTF-8"},
        PolicyCase{"correct horse\tbattery", "control characters"},
        PolicyCase{std::string("correct horse\0battery", 21), "control characters"}));

// --- tokens, hashes, comparisons, codes ---

TEST(RandomToken, is_43_url_safe_characters_and_unique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        const std::string token = random_token();
        ASSERT_EQ(token.size(), 43U);
        ASSERT_EQ(token.find_first_not_of(base64url_alphabet), std::string::npos) << token;
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 1000U);
}

TEST(TokenHash, is_sha256_hex) {
    // FIPS 180-2, Appendix B.1 ("abc") and B.2; SHA-256 of the empty string.
    EXPECT_EQ(token_hash("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_hex("abc"), token_hash("abc"));
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const std::string token = random_token();
    EXPECT_EQ(token_hash(token).size(), 64U);
    EXPECT_TRUE(is_lower_hex(token_hash(token)));
    EXPECT_THAT(token_hash(token), Not(HasSubstr(token)));
}

TEST(Sha256File, streams_a_file_to_the_same_digest_as_the_whole_content) {
    const TempDir dir;
    const auto write = [&dir](const std::string& name, const std::string& bytes) {
        const std::filesystem::path path = dir.file(name);
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    };
    // FIPS 180-2 Appendix B.1 and B.3 (one million 'a': 15 pieces of 64 KiB and a short one).
    EXPECT_EQ(sha256_file_hex(write("abc", "abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_file_hex(write("million", std::string(1'000'000, 'a'))),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha256_file_hex(write("empty", "")), sha256_hex(""));
    // Exactly one piece, and one piece and a byte: the boundaries of the 64 KiB reads.
    for (const std::size_t n : {std::size_t{65536}, std::size_t{65537}}) {
        std::string bytes(n, '\0');
        for (std::size_t i = 0; i < n; ++i) {
            bytes[i] = static_cast<char>(i * 31 % 251);
        }
        EXPECT_EQ(sha256_file_hex(write("piece" + std::to_string(n), bytes)), sha256_hex(bytes));
    }
    EXPECT_THROW((void)sha256_file_hex(dir.file("no-such-file")), std::runtime_error);
}

TEST(ConstantTimeEqual, compares_content_and_length) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
    EXPECT_FALSE(constant_time_equal("", "a"));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
    const std::string token = random_token();
    EXPECT_TRUE(constant_time_equal(token, std::string(token)));
}

TEST(VerificationCode, uses_8_crockford_characters) {
    EXPECT_EQ(verification_code_alphabet.size(), 32U);
    for (const char excluded : {'I', 'L', 'O', 'U'}) {
        EXPECT_EQ(verification_code_alphabet.find(excluded), std::string_view::npos) << excluded;
    }
    std::set<char> symbols;
    std::set<std::string> codes;
    for (int i = 0; i < 1000; ++i) {
        const std::string code = random_verification_code();
        ASSERT_EQ(code.size(), 8U);
        ASSERT_EQ(code.find_first_not_of(verification_code_alphabet), std::string::npos) << code;
        symbols.insert(code.begin(), code.end());
        codes.insert(code);
    }
    EXPECT_EQ(symbols.size(), 32U) << "every symbol should appear in 8000 draws";
    EXPECT_EQ(codes.size(), 1000U);
}

TEST(Sodium, initialises) {
    EXPECT_NO_THROW(sodium_init_once());
}

} // namespace
} // namespace sahil::registry

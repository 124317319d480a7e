#include "tests/fuzz/gpsd_json_check.hpp"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sahil::fuzz {

void fail(std::string_view what, std::string_view detail) {
    std::fprintf(stderr, "\n*** sahil fuzz invariant violated: %.*s\n",
                 static_cast<int>(what.size()), what.data());
    if (!detail.empty()) {
        std::fprintf(stderr, "*** %.*s\n", static_cast<int>(detail.size()), detail.data());
    }
    __builtin_trap();
}

std::string latin1_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else {
            out.push_back(static_cast<char>(0xC0U | (c >> 6U)));
            out.push_back(static_cast<char>(0x80U | (c & 0x3FU)));
        }
    }
    return out;
}

namespace {

using Json = nlohmann::json;

std::uint64_t fnv1a(std::string_view s) noexcept {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

/// SAX handler: rejects duplicate member names at any depth and records the scalar members of
/// the outermost object that the checks need.
class GpsdJsonSax final : public nlohmann::json_sax<Json> {
public:
    bool null() override { return value(); }
    bool boolean(bool v) override {
        if (at_top() && m_key == TopKey::scaled) {
            m_top.scaled = v;
        }
        return value();
    }
    bool number_integer(number_integer_t v) override {
        if (at_top() && m_key == TopKey::type) {
            m_top.type = v;
        }
        if (at_top() && m_key == TopKey::mmsi) {
            m_top.mmsi = v;
        }
        return value();
    }
    bool number_unsigned(number_unsigned_t v) override {
        if (at_top() && m_key == TopKey::type) {
            m_top.type = static_cast<std::int64_t>(v);
        }
        if (at_top() && m_key == TopKey::mmsi) {
            m_top.mmsi = static_cast<std::int64_t>(v);
        }
        return value();
    }
    bool number_float(number_float_t /*v*/, const string_t& /*s*/) override { return value(); }
    bool string(string_t& v) override {
        if (at_top() && m_key == TopKey::klass) {
            m_top.klass = v;
        }
        if (at_top() && m_key == TopKey::device) {
            m_top.device = v;
        }
        return value();
    }
    bool binary(binary_t& /*v*/) override { return fail("binary value"); }
    bool start_object(std::size_t /*elements*/) override {
        if (m_frames.empty()) {
            if (m_seen_top) {
                return fail("more than one top-level value");
            }
            m_seen_top = true;
            m_top_is_object = true;
        }
        m_frames.push_back(Frame{true, {}});
        return true;
    }
    bool key(string_t& k) override {
        // Compared by hash, then text: failed memcmp calls would feed JSON member names to
        // libFuzzer's comparison hints, which are about the input, not the output.
        const std::uint64_t h = fnv1a(k);
        auto& keys = m_frames.back().keys;
        for (const auto& seen : keys) {
            if (seen.hash == h && seen.text == k) {
                return fail("duplicate member \"" + k + "\"");
            }
        }
        keys.push_back({h, k});
        m_key = at_top() ? top_key(h) : TopKey::other;
        return true;
    }
    bool end_object() override {
        m_frames.pop_back();
        m_key = TopKey::other;
        return true;
    }
    bool start_array(std::size_t /*elements*/) override {
        if (m_frames.empty()) {
            return fail("top-level array");
        }
        m_frames.push_back(Frame{false, {}});
        return true;
    }
    bool end_array() override {
        m_frames.pop_back();
        return true;
    }
    bool parse_error(std::size_t position, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& ex) override {
        return fail("parse error at byte " + std::to_string(position) + ": " + ex.what());
    }

    /// Members of the outermost object the checks look at.
    struct TopMembers {
        std::optional<std::string> klass; // "class"
        std::optional<std::string> device;
        std::optional<std::int64_t> type;
        std::optional<std::int64_t> mmsi;
        std::optional<bool> scaled;
    };

    [[nodiscard]] const std::string& error() const noexcept { return m_error; }
    [[nodiscard]] bool top_is_object() const noexcept { return m_top_is_object; }
    [[nodiscard]] const TopMembers& top() const noexcept { return m_top; }

private:
    struct Key {
        std::uint64_t hash;
        std::string text;
    };
    struct Frame {
        bool is_object;
        std::vector<Key> keys;
    };
    enum class TopKey { other, klass, device, type, mmsi, scaled };

    static TopKey top_key(std::uint64_t h) {
        static const std::uint64_t klass = fnv1a("class");
        static const std::uint64_t device = fnv1a("device");
        static const std::uint64_t type = fnv1a("type");
        static const std::uint64_t mmsi = fnv1a("mmsi");
        static const std::uint64_t scaled = fnv1a("scaled");
        if (h == klass) {
            return TopKey::klass;
        }
        if (h == device) {
            return TopKey::device;
        }
        if (h == type) {
            return TopKey::type;
        }
        if (h == mmsi) {
            return TopKey::mmsi;
        }
        return h == scaled ? TopKey::scaled : TopKey::other;
    }

    [[nodiscard]] bool at_top() const noexcept {
        return m_frames.size() == 1 && m_frames.back().is_object;
    }
    bool value() {
        if (m_frames.empty()) {
            return fail("top-level scalar");
        }
        return true;
    }
    bool fail(std::string why) {
        if (m_error.empty()) {
            m_error = std::move(why);
        }
        return false;
    }

    std::vector<Frame> m_frames;
    TopMembers m_top;
    TopKey m_key = TopKey::other; // member whose value comes next, in the outermost object
    std::string m_error;
    bool m_seen_top = false;
    bool m_top_is_object = false;
};

} // namespace

void check_gpsd_json(std::string_view json, const ais::AisMessage& message,
                     const ais::GpsdJsonOptions& options) {
    GpsdJsonSax sax;
    const bool parsed = Json::sax_parse(json.begin(), json.end(), &sax, Json::input_format_t::json,
                                        /*strict=*/true);
    if (!parsed || !sax.error().empty()) {
        fail("gpsd JSON is not one well-formed object", sax.error() + " in " + std::string(json));
    }
    require(sax.top_is_object(), "gpsd JSON is not an object", json);
    require(sax.top().klass == "AIS", "gpsd JSON \"class\" is not \"AIS\"", json);
    require(sax.top().type == ais::message_type(message), "gpsd JSON \"type\" differs", json);
    require(sax.top().mmsi == static_cast<std::int64_t>(ais::message_mmsi(message)),
            "gpsd JSON \"mmsi\" differs", json);
    require(sax.top().scaled == options.scaled, "gpsd JSON \"scaled\" differs", json);
    if (options.device.empty()) {
        require(!sax.top().device.has_value(), "gpsd JSON has a \"device\" member", json);
    } else {
        require(sax.top().device == latin1_to_utf8(options.device),
                "gpsd JSON \"device\" does not round-trip", json);
    }
}

} // namespace sahil::fuzz

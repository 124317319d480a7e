// Decoders of types 6, 8, 25 and 26 and their application-specific messages.
#include "ais/detail/decode_common.hpp"

namespace sahil::ais::detail {
namespace {
DecodeResult not_yet(const BitReader& r) {
    DecodeResult res;
    res.error = errc::unsupported_type;
    res.bit_length = r.bit_length();
    return res;
}
} // namespace

DecodeResult decode_addressed_binary(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_broadcast_binary(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_single_slot_binary(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_multi_slot_binary(const BitReader& r) {
    return not_yet(r);
}

} // namespace sahil::ais::detail

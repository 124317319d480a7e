// Decoders of types 4/11, 7/13, 9, 10, 12, 14, 15, 16, 17, 20, 21, 22, 23 and 27.
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

DecodeResult decode_base_station(const BitReader& r, int) {
    return not_yet(r);
}
DecodeResult decode_binary_ack(const BitReader& r, int) {
    return not_yet(r);
}
DecodeResult decode_sar_aircraft(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_utc_inquiry(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_addressed_safety(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_safety_broadcast(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_interrogation(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_assignment(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_dgnss(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_data_link_management(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_aid_to_navigation(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_channel_management(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_group_assignment(const BitReader& r) {
    return not_yet(r);
}
DecodeResult decode_long_range(const BitReader& r) {
    return not_yet(r);
}

} // namespace sahil::ais::detail

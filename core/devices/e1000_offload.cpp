#include "core/devices/e1000_offload.h"

#include <algorithm>

namespace tessera::devices {

namespace {
uint16_t get16(std::span<const uint8_t> f, unsigned at) {
    return uint16_t((f[at] << 8) | f[at + 1]);
}
void put16(std::span<uint8_t> f, unsigned at, uint16_t v) {
    f[at] = uint8_t(v >> 8);
    f[at + 1] = uint8_t(v);
}
uint32_t get32(std::span<const uint8_t> f, unsigned at) {
    return (uint32_t(get16(f, at)) << 16) | get16(f, at + 2);
}
void put32(std::span<uint8_t> f, unsigned at, uint32_t v) {
    put16(f, at, uint16_t(v >> 16));
    put16(f, at + 2, uint16_t(v));
}
constexpr uint8_t kTcpFin = 0x01, kTcpPsh = 0x08;
}  // namespace

void e1000InsertChecksum(std::span<uint8_t> frame, unsigned at, unsigned start, unsigned end,
                         uint32_t extra) {
    const size_t size = frame.size();
    if (start >= size || size_t(at) + 2 > size) return;
    const size_t last = (end == 0 || end >= size) ? size - 1 : end;  // inclusive
    if (last < start) return;
    uint64_t sum = extra;
    size_t i = start;
    for (; i + 1 <= last; i += 2) sum += uint32_t(frame[i] << 8) | frame[i + 1];
    if (i == last) sum += uint32_t(frame[i]) << 8;  // odd length: pad with a zero byte
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    put16(frame, at, uint16_t(~sum));
}

bool e1000Segment(const E1000TxContext& c, std::span<const uint8_t> packet, bool ipChecksum, bool l4Checksum,
                  const std::function<void(std::span<const uint8_t>)>& emit) {
    const unsigned header = c.headerLength;
    // The headers must hold the fields rewritten per frame.
    const unsigned ipFieldsEnd = c.ipcss + (c.ipv4 ? 20u : 40u);
    const unsigned l4FieldsEnd = c.tucss + (c.tcp ? 20u : 8u);
    if (c.mss == 0 || header == 0 || packet.size() <= header || ipFieldsEnd > header ||
        l4FieldsEnd > header || c.ipcso + 2u > header || c.tucso + 2u > header)
        return false;
    const std::span<const uint8_t> payload = packet.subspan(header);
    const uint16_t firstId = c.ipv4 ? get16(packet, c.ipcss + 4) : 0;
    const uint32_t firstSeq = c.tcp ? get32(packet, c.tucss + 4) : 0;
    const uint16_t seed = get16(packet, c.tucso);
    std::vector<uint8_t> frame;
    unsigned index = 0;
    for (size_t sent = 0; sent < payload.size(); sent += c.mss, ++index) {
        const size_t chunk = std::min<size_t>(c.mss, payload.size() - sent);
        const bool last = sent + chunk == payload.size();
        frame.assign(packet.begin(), packet.begin() + header);
        frame.insert(frame.end(), payload.begin() + sent, payload.begin() + sent + chunk);
        const std::span<uint8_t> f(frame);
        if (c.ipv4) {
            put16(f, c.ipcss + 2, uint16_t(frame.size() - c.ipcss));
            put16(f, c.ipcss + 4, uint16_t(firstId + index));
        } else {
            put16(f, c.ipcss + 4, uint16_t(frame.size() - c.ipcss - 40));
        }
        if (c.tcp) {
            put32(f, c.tucss + 4, firstSeq + uint32_t(sent));
            if (!last) f[c.tucss + 13] &= uint8_t(~(kTcpFin | kTcpPsh));
        } else {
            put16(f, c.tucss + 4, uint16_t(frame.size() - c.tucss));  // UDP length
        }
        if (ipChecksum && c.ipv4) {
            put16(f, c.ipcso, 0);
            e1000InsertChecksum(f, c.ipcso, c.ipcss, c.ipcse);
        }
        if (l4Checksum) {
            // The seed is the pseudo-header sum without the length: add this frame's.
            put16(f, c.tucso, seed);
            e1000InsertChecksum(f, c.tucso, c.tucss, c.tucse, uint32_t(frame.size() - c.tucss));
        }
        emit(f);
    }
    return true;
}

}  // namespace tessera::devices

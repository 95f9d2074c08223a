#pragma once
// Just enough of a guest's network stack for tests: builds and parses
// Ethernet/ARP/IPv4/UDP/TCP/DHCP frames (RFC 826, 791, 768, 793, 2131) with
// real checksums, so libslirp treats the test like a real guest.

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace tessera::testing {

using Mac = std::array<uint8_t, 6>;
using Ip = std::array<uint8_t, 4>;

inline constexpr Mac kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
inline constexpr Ip kGuestIp = {10, 0, 2, 15};
inline constexpr Ip kGatewayIp = {10, 0, 2, 2};

class Bytes {
public:
    std::vector<uint8_t> data;
    Bytes& u8(uint8_t v) { data.push_back(v); return *this; }
    Bytes& u16(uint16_t v) { data.push_back(v >> 8); data.push_back(v & 0xff); return *this; }
    Bytes& u32(uint32_t v) { u16(v >> 16); return u16(v & 0xffff); }
    template <size_t N>
    Bytes& raw(const std::array<uint8_t, N>& a) { data.insert(data.end(), a.begin(), a.end()); return *this; }
    Bytes& raw(const std::vector<uint8_t>& v) { data.insert(data.end(), v.begin(), v.end()); return *this; }
    Bytes& zeros(size_t n) { data.insert(data.end(), n, 0); return *this; }
};

inline uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline uint32_t be32(const uint8_t* p) { return uint32_t{be16(p)} << 16 | be16(p + 2); }

inline uint16_t internetChecksum(const std::vector<uint8_t>& bytes, uint32_t sum = 0) {
    for (size_t i = 0; i + 1 < bytes.size(); i += 2) sum += be16(&bytes[i]);
    if (bytes.size() % 2) sum += bytes.back() << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

inline std::vector<uint8_t> ethernet(const Mac& dst, const Mac& src, uint16_t type, const std::vector<uint8_t>& payload) {
    return Bytes().raw(dst).raw(src).u16(type).raw(payload).data;
}

inline std::vector<uint8_t> ipv4(const Ip& src, const Ip& dst, uint8_t protocol, const std::vector<uint8_t>& payload) {
    Bytes header;
    header.u8(0x45).u8(0).u16(static_cast<uint16_t>(20 + payload.size())).u16(0x1234).u16(0x4000).u8(64).u8(protocol)
        .u16(0).raw(src).raw(dst);
    const uint16_t checksum = internetChecksum(header.data);
    header.data[10] = checksum >> 8;
    header.data[11] = checksum & 0xff;
    return header.raw(payload).data;
}

inline uint32_t pseudoHeaderSum(const Ip& src, const Ip& dst, uint8_t protocol, size_t length) {
    uint32_t sum = be16(&src[0]) + be16(&src[2]) + be16(&dst[0]) + be16(&dst[2]);
    return sum + protocol + static_cast<uint32_t>(length);
}

inline std::vector<uint8_t> udp(const Ip& src, const Ip& dst, uint16_t sport, uint16_t dport,
                                const std::vector<uint8_t>& payload) {
    Bytes segment;
    segment.u16(sport).u16(dport).u16(static_cast<uint16_t>(8 + payload.size())).u16(0).raw(payload);
    uint16_t checksum = internetChecksum(segment.data, pseudoHeaderSum(src, dst, 17, segment.data.size()));
    if (checksum == 0) checksum = 0xffff;
    segment.data[6] = checksum >> 8;
    segment.data[7] = checksum & 0xff;
    return ipv4(src, dst, 17, segment.data);
}

enum TcpFlag : uint8_t { kFin = 1, kSyn = 2, kRst = 4, kPsh = 8, kAck = 16 };

inline std::vector<uint8_t> tcp(const Ip& src, const Ip& dst, uint16_t sport, uint16_t dport, uint32_t seq,
                                uint32_t ack, uint8_t flags, const std::vector<uint8_t>& payload = {}) {
    Bytes segment;
    segment.u16(sport).u16(dport).u32(seq).u32(ack).u8(5 << 4).u8(flags).u16(65535).u16(0).u16(0).raw(payload);
    const uint16_t checksum = internetChecksum(segment.data, pseudoHeaderSum(src, dst, 6, segment.data.size()));
    segment.data[16] = checksum >> 8;
    segment.data[17] = checksum & 0xff;
    return ipv4(src, dst, 6, segment.data);
}

inline std::vector<uint8_t> arp(uint16_t operation, const Mac& senderMac, const Ip& senderIp, const Mac& targetMac,
                                const Ip& targetIp) {
    return Bytes().u16(1).u16(0x0800).u8(6).u8(4).u16(operation).raw(senderMac).raw(senderIp).raw(targetMac)
        .raw(targetIp).data;
}

// DHCP message (RFC 2131) of the given type (1 DISCOVER, 3 REQUEST).
inline std::vector<uint8_t> dhcp(uint8_t type, const Mac& mac, uint32_t xid, std::optional<Ip> requested = {},
                                 std::optional<Ip> server = {}) {
    Bytes message;
    message.u8(1).u8(1).u8(6).u8(0).u32(xid).u16(0).u16(0x8000).zeros(16).raw(mac).zeros(10).zeros(64 + 128);
    message.u32(0x63825363).u8(53).u8(1).u8(type);
    if (requested) message.u8(50).u8(4).raw(*requested);
    if (server) message.u8(54).u8(4).raw(*server);
    message.u8(255);
    return message.data;
}

// A parsed frame, as far as the tests care.
struct ParsedFrame {
    Mac dst{}, src{};
    uint16_t type = 0;
    // ARP
    uint16_t arpOperation = 0;
    Mac arpSenderMac{};
    Ip arpSenderIp{}, arpTargetIp{};
    // IPv4
    Ip ipSrc{}, ipDst{};
    uint8_t protocol = 0;
    uint16_t sport = 0, dport = 0;
    uint32_t seq = 0, ack = 0;
    uint8_t tcpFlags = 0;
    std::vector<uint8_t> payload;  // UDP/TCP payload
};

inline std::optional<ParsedFrame> parseFrame(const std::vector<uint8_t>& frame) {
    if (frame.size() < 14) return {};
    ParsedFrame parsed;
    std::memcpy(parsed.dst.data(), &frame[0], 6);
    std::memcpy(parsed.src.data(), &frame[6], 6);
    parsed.type = be16(&frame[12]);
    const uint8_t* p = frame.data() + 14;
    const size_t n = frame.size() - 14;
    if (parsed.type == 0x0806 && n >= 28) {
        parsed.arpOperation = be16(p + 6);
        std::memcpy(parsed.arpSenderMac.data(), p + 8, 6);
        std::memcpy(parsed.arpSenderIp.data(), p + 14, 4);
        std::memcpy(parsed.arpTargetIp.data(), p + 24, 4);
        return parsed;
    }
    if (parsed.type != 0x0800 || n < 20) return parsed;
    const size_t ihl = (p[0] & 0xf) * 4;
    const size_t total = std::min<size_t>(be16(p + 2), n);
    parsed.protocol = p[9];
    std::memcpy(parsed.ipSrc.data(), p + 12, 4);
    std::memcpy(parsed.ipDst.data(), p + 16, 4);
    const uint8_t* l4 = p + ihl;
    const size_t l4Size = total > ihl ? total - ihl : 0;
    if (parsed.protocol == 17 && l4Size >= 8) {
        parsed.sport = be16(l4);
        parsed.dport = be16(l4 + 2);
        parsed.payload.assign(l4 + 8, l4 + l4Size);
    } else if (parsed.protocol == 6 && l4Size >= 20) {
        parsed.sport = be16(l4);
        parsed.dport = be16(l4 + 2);
        parsed.seq = be32(l4 + 4);
        parsed.ack = be32(l4 + 8);
        const size_t dataOffset = (l4[12] >> 4) * 4;
        parsed.tcpFlags = l4[13];
        if (dataOffset <= l4Size) parsed.payload.assign(l4 + dataOffset, l4 + l4Size);
    }
    return parsed;
}

// DHCP message type (option 53) and yiaddr of a DHCP reply payload.
inline std::optional<std::pair<uint8_t, Ip>> parseDhcpReply(const std::vector<uint8_t>& payload) {
    if (payload.size() < 240 || be32(&payload[236]) != 0x63825363) return {};
    Ip yiaddr;
    std::memcpy(yiaddr.data(), &payload[16], 4);
    for (size_t i = 240; i + 1 < payload.size();) {
        const uint8_t option = payload[i];
        if (option == 255) break;
        if (option == 0) { ++i; continue; }
        const uint8_t length = payload[i + 1];
        if (option == 53 && length == 1 && i + 2 < payload.size()) return std::make_pair(payload[i + 2], yiaddr);
        i += 2 + length;
    }
    return {};
}

}  // namespace tessera::testing

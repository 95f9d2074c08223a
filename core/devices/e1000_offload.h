#pragma once
// The 8254x transmit offloads Linux's e1000 driver uses (8254x manual,
// "TCP/IP Context Transmit Descriptor", "TCP Segmentation"): checksum
// insertion and TCP segmentation (TSO), as pure functions on a frame in
// host memory. Offsets come from guest descriptors: everything is bounds-
// checked and an offset outside the frame skips that step, never writes
// outside it.

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace tessera::devices {

// A context descriptor's fields (the IP and TCP/UDP checksum areas, the TSO
// parameters). End offsets are inclusive; 0 means "to the end of the frame".
struct E1000TxContext {
    uint8_t ipcss = 0, ipcso = 0;
    uint16_t ipcse = 0;
    uint8_t tucss = 0, tucso = 0;
    uint16_t tucse = 0;
    uint32_t payloadLength = 0;  // PAYLEN: the TSO payload, headers excluded
    uint8_t headerLength = 0;    // HDRLEN: Ethernet + IP + TCP headers, replicated per segment
    uint16_t mss = 0;
    bool ipv4 = false;  // TUCMD.IP: the IP header is IPv4 (else IPv6)
    bool tcp = false;   // TUCMD.TCP: the transport is TCP (else UDP)
};

// Stores the ones' complement of the 16-bit ones' complement sum of
// frame[start..end] (big-endian, at `at`); `extra` is added to the sum first.
void e1000InsertChecksum(std::span<uint8_t> frame, unsigned at, unsigned start, unsigned end,
                         uint32_t extra = 0);

// Splits one TSO packet (headers + payload) into frames of at most `mss`
// payload bytes each with the headers fixed up: IPv4 total length and
// identification (+1 per frame) or IPv6 payload length, TCP sequence number,
// FIN/PSH only on the last frame, the IP checksum if `ipChecksum`, the TCP/UDP
// checksum (its field seeded with the pseudo-header sum without the length,
// as Linux leaves it) if `l4Checksum`. Returns false (nothing emitted) for a
// context that cannot describe this packet.
bool e1000Segment(const E1000TxContext& context, std::span<const uint8_t> packet, bool ipChecksum,
                  bool l4Checksum, const std::function<void(std::span<const uint8_t>)>& emit);

}  // namespace tessera::devices

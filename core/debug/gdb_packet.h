#pragma once
// The GDB remote serial protocol's framing (GDB manual, "Remote Protocol",
// "Overview"): packets are `$payload#cc` with cc the modulo-256 sum of the
// payload bytes in two hex digits; the receiver acknowledges with `+` (or
// asks for a resend with `-`) until no-ack mode; a lone 0x03 byte is an
// interrupt request. Binary data (the X packet, qXfer replies) escapes
// `#`, `$`, `}` and `*` as `}` followed by the byte XOR 0x20.
//
// Everything here treats its input as hostile: a packet longer than
// kMaxPayload, a bad checksum, stray bytes or bad hex never make it read or
// allocate beyond the limit; they become events or errors the session
// answers.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::debug {

// The largest payload accepted; announced to GDB as PacketSize.
inline constexpr size_t kMaxPayload = 0x4000;

struct GdbInput {
    enum class Kind {
        Packet,       // a payload whose checksum matched
        BadChecksum,  // a packet whose checksum did not match (or was not hex)
        TooLong,      // a packet longer than kMaxPayload (dropped)
        Ack,          // +
        Nack,         // - (resend the last packet)
        Interrupt,    // 0x03 outside a packet
    };
    Kind kind;
    std::string payload;  // Packet only, still escaped
};

// Splits the byte stream from GDB into inputs; keeps partial packets across calls.
class GdbPacketReader {
public:
    std::vector<GdbInput> feed(std::span<const uint8_t> bytes);

private:
    enum class State { Idle, Body, Checksum1, Checksum2 };
    State state_ = State::Idle;
    std::string body_;
    bool overflow_ = false;
    uint8_t sum_ = 0;
    int expected_ = 0;  // the first checksum digit, or -1 when it was not hex
};

// `$payload#cc`, escaping the bytes the framing reserves.
std::string framePacket(std::string_view payload);
// Escapes binary data for a reply (qXfer).
std::string escapeBinary(std::string_view data);
// Undoes escapeBinary; nullopt when the data ends inside an escape.
std::optional<std::string> unescapeBinary(std::string_view data);

// Hex helpers. parseHexNumber takes 1..16 hex digits, nothing else.
std::optional<uint64_t> parseHexNumber(std::string_view text);
std::optional<std::vector<uint8_t>> decodeHex(std::string_view text);
std::string encodeHex(std::span<const uint8_t> bytes);
int hexDigit(char c);  // -1 when not a hex digit

}  // namespace tessera::debug

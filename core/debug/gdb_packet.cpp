#include "core/debug/gdb_packet.h"

namespace tessera::debug {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::vector<GdbInput> GdbPacketReader::feed(std::span<const uint8_t> bytes) {
    std::vector<GdbInput> inputs;
    for (const uint8_t byte : bytes) {
        const char c = static_cast<char>(byte);
        switch (state_) {
            case State::Idle:
                if (c == '$') {
                    state_ = State::Body;
                    body_.clear();
                    overflow_ = false;
                    sum_ = 0;
                } else if (c == '+') {
                    inputs.push_back({GdbInput::Kind::Ack, {}});
                } else if (c == '-') {
                    inputs.push_back({GdbInput::Kind::Nack, {}});
                } else if (byte == 0x03) {
                    inputs.push_back({GdbInput::Kind::Interrupt, {}});
                }
                break;  // anything else between packets is noise
            case State::Body:
                if (c == '#') {
                    state_ = State::Checksum1;
                } else if (c == '$') {  // a new packet: the unfinished one is abandoned
                    body_.clear();
                    overflow_ = false;
                    sum_ = 0;
                } else {
                    sum_ = static_cast<uint8_t>(sum_ + byte);
                    if (body_.size() < kMaxPayload)
                        body_.push_back(c);
                    else
                        overflow_ = true;
                }
                break;
            case State::Checksum1:
                expected_ = hexDigit(c);
                state_ = State::Checksum2;
                break;
            case State::Checksum2: {
                state_ = State::Idle;
                const int low = hexDigit(c);
                if (overflow_) {
                    inputs.push_back({GdbInput::Kind::TooLong, {}});
                } else if (expected_ < 0 || low < 0 || ((expected_ << 4) | low) != sum_) {
                    inputs.push_back({GdbInput::Kind::BadChecksum, {}});
                } else {
                    inputs.push_back({GdbInput::Kind::Packet, std::move(body_)});
                }
                body_.clear();
                break;
            }
        }
    }
    return inputs;
}

std::string escapeBinary(std::string_view data) {
    std::string out;
    out.reserve(data.size());
    for (const char c : data) {
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            out.push_back('}');
            out.push_back(static_cast<char>(c ^ 0x20));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::optional<std::string> unescapeBinary(std::string_view data) {
    std::string out;
    out.reserve(data.size());
    for (size_t i = 0; i < data.size(); ++i) {
        if (data[i] != '}') {
            out.push_back(data[i]);
            continue;
        }
        if (++i == data.size()) return std::nullopt;
        out.push_back(static_cast<char>(data[i] ^ 0x20));
    }
    return out;
}

std::string framePacket(std::string_view payload) {
    // Replies are built from hex, names and already escaped binary; a stray
    // reserved byte is escaped here so the frame always parses.
    std::string body;
    body.reserve(payload.size());
    for (const char c : payload) {
        if (c == '#' || c == '$') {
            body.push_back('}');
            body.push_back(static_cast<char>(c ^ 0x20));
        } else {
            body.push_back(c);
        }
    }
    uint8_t sum = 0;
    for (const char c : body) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    static const char kHex[] = "0123456789abcdef";
    std::string frame = "$" + body + "#";
    frame.push_back(kHex[sum >> 4]);
    frame.push_back(kHex[sum & 15]);
    return frame;
}

std::optional<uint64_t> parseHexNumber(std::string_view text) {
    if (text.empty() || text.size() > 16) return std::nullopt;
    uint64_t value = 0;
    for (const char c : text) {
        const int digit = hexDigit(c);
        if (digit < 0) return std::nullopt;
        value = (value << 4) | unsigned(digit);
    }
    return value;
}

std::optional<std::vector<uint8_t>> decodeHex(std::string_view text) {
    if (text.size() % 2) return std::nullopt;
    std::vector<uint8_t> bytes(text.size() / 2);
    for (size_t i = 0; i < bytes.size(); ++i) {
        const int high = hexDigit(text[2 * i]), low = hexDigit(text[2 * i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes[i] = static_cast<uint8_t>((high << 4) | low);
    }
    return bytes;
}

std::string encodeHex(std::span<const uint8_t> bytes) {
    static const char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(bytes.size() * 2);
    for (const uint8_t byte : bytes) {
        text.push_back(kHex[byte >> 4]);
        text.push_back(kHex[byte & 15]);
    }
    return text;
}

}  // namespace tessera::debug

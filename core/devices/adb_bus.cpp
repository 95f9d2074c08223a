#include "core/devices/adb_bus.h"

namespace tessera::devices {

namespace {
constexpr uint8_t kSendReset = 0x0, kFlush = 0x1;
constexpr uint8_t kListen = 0x8, kTalk = 0xc;  // the op bits of the low nibble
constexpr uint8_t kMoveAddress = 0xfe, kMoveAndEnable = 0x00, kSelfTest = 0xff;
constexpr uint8_t kSrqEnabled = 0x20, kNoExceptionalEvent = 0x40;
}  // namespace

void AdbDevice::reset() {
    resetAddress();
    flush();
}

std::optional<std::vector<uint8_t>> AdbDevice::talk(unsigned reg) {
    if (reg == 3)
        return std::vector<uint8_t>{uint8_t(kNoExceptionalEvent | kSrqEnabled | address_), handler_};
    return talkRegister(reg);
}

void AdbDevice::listen(unsigned reg, std::span<const uint8_t> data) {
    if (reg != 3) {
        listenRegister(reg, data);
        return;
    }
    if (data.size() < 2) return;
    const uint8_t newAddress = data[0] & 0x0f;
    switch (data[1]) {
        case kSelfTest:
            break;
        case kMoveAddress:
        case kMoveAndEnable:
            address_ = newAddress;
            break;
        default:
            // A handler change (Linux's adb_try_handler_change): only to one
            // the device speaks; the host reads register 3 back to see.
            address_ = newAddress;
            if (supportsHandler(data[1])) handler_ = data[1];
            break;
    }
}

AdbDevice* AdbBus::deviceAt(unsigned address) const {
    for (AdbDevice* device : devices_)
        if (device->address() == address) return device;
    return nullptr;
}

AdbBus::Reply AdbBus::request(std::span<const uint8_t> packet) {
    Reply reply;
    if (packet.empty()) return reply;
    const uint8_t command = packet[0];
    const unsigned address = command >> 4, reg = command & 3;
    if ((command & 0x0f) == kSendReset) {
        reset();
        reply.answered = true;
        return reply;
    }
    AdbDevice* device = deviceAt(address);
    if (!device) return reply;
    if ((command & 0x0f) == kFlush) {
        device->flush();
        reply.answered = true;
    } else if ((command & 0x0c) == kListen) {
        device->listen(reg, packet.subspan(1));
        reply.answered = true;
    } else if ((command & 0x0c) == kTalk) {
        if (auto data = device->talk(reg)) {
            reply.answered = true;
            reply.data = std::move(*data);
        }
    }
    return reply;
}

std::optional<std::pair<uint8_t, std::vector<uint8_t>>> AdbBus::poll() {
    for (size_t i = 0; i < devices_.size(); ++i) {
        const size_t at = (nextPoll_ + i) % devices_.size();
        AdbDevice* device = devices_[at];
        if (!device->hasData()) continue;
        nextPoll_ = at + 1;
        if (auto data = device->talk(0))
            return std::make_pair(uint8_t(device->address() << 4 | kTalk), std::move(*data));
    }
    return std::nullopt;
}

void AdbBus::reset() {
    for (AdbDevice* device : devices_) device->reset();
    nextPoll_ = 0;
}

}  // namespace tessera::devices

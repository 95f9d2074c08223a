#include "core/devices/virtio_input.h"

#include <algorithm>
#include <cstring>

namespace tessera::devices {

VirtioInput::VirtioInput(Kind kind) : kind_(kind) {}

std::vector<uint8_t> VirtioInput::config() const {
    // struct virtio_input_config (§5.8.4): select, subsel, size, reserved[5], u[128].
    std::vector<uint8_t> bytes(8 + 128, 0);
    bytes[0] = select_;
    bytes[1] = subsel_;
    uint8_t* u = bytes.data() + 8;
    uint8_t size = 0;
    auto setBit = [&](unsigned bit) {
        u[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
        size = std::max<uint8_t>(size, static_cast<uint8_t>(bit / 8 + 1));
    };
    switch (select_) {
        case kVirtioInputCfgIdName: {
            if (subsel_ != 0) break;
            const std::string name = kind_ == Kind::Keyboard ? "Tessera Virtio Keyboard" : "Tessera Virtio Tablet";
            std::memcpy(u, name.data(), name.size());
            size = static_cast<uint8_t>(name.size());
            break;
        }
        case kVirtioInputCfgIdSerial: {
            if (subsel_ != 0) break;
            const std::string serial = "0";
            std::memcpy(u, serial.data(), serial.size());
            size = static_cast<uint8_t>(serial.size());
            break;
        }
        case kVirtioInputCfgIdDevids: {
            if (subsel_ != 0) break;
            // bustype BUS_VIRTUAL (0x06), vendor, product, version (le16 each).
            const uint16_t ids[4] = {0x06, 0x0627, static_cast<uint16_t>(kind_ == Kind::Keyboard ? 1 : 3), 1};
            std::memcpy(u, ids, sizeof ids);
            size = sizeof ids;
            break;
        }
        case kVirtioInputCfgEvBits:
            if (kind_ == Kind::Keyboard) {
                if (subsel_ == kEvKey)
                    for (uint16_t code : keyboardKeyCodes()) setBit(code);
            } else {
                if (subsel_ == kEvKey) {
                    setBit(kBtnLeft);
                    setBit(kBtnRight);
                    setBit(kBtnMiddle);
                } else if (subsel_ == kEvAbs) {
                    setBit(kAbsX);
                    setBit(kAbsY);
                }
            }
            break;
        case kVirtioInputCfgAbsInfo:
            if (kind_ == Kind::Tablet && (subsel_ == kAbsX || subsel_ == kAbsY)) {
                // struct virtio_input_absinfo: min, max, fuzz, flat, res (le32).
                const uint32_t info[5] = {0, kAbsMax, 0, 0, 0};
                std::memcpy(u, info, sizeof info);
                size = sizeof info;
            }
            break;
        default: break;  // PROP_BITS and unknown selectors: size 0
    }
    bytes[2] = size;
    return bytes;
}

void VirtioInput::writeConfig(uint32_t offset, std::span<const uint8_t> bytes) {
    // Only select (0) and subsel (1) are driver-writable (§5.8.4).
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (offset + i == 0) select_ = bytes[i];
        if (offset + i == 1) subsel_ = bytes[i];
    }
}

void VirtioInput::reset() {
    select_ = subsel_ = 0;
    std::lock_guard lock(mutex_);
    pending_.clear();
}

void VirtioInput::queueNotified(unsigned queue) {
    if (queue == kEventQueue) {
        deliver();
        return;
    }
    // statusq carries LED updates from the guest; we accept and ignore them.
    drainQueue(*transport_, kStatusQueue, [](const DescriptorChain&) -> Result<uint32_t> { return 0u; });
}

void VirtioInput::enqueue(std::initializer_list<InputEvent> events) {
    {
        std::lock_guard lock(mutex_);
        while (pending_.size() + events.size() > kMaxPendingEvents) pending_.pop_front();
        pending_.insert(pending_.end(), events.begin(), events.end());
    }
    if (wake_) wake_();
}

void VirtioInput::injectKey(uint16_t evdevCode, bool pressed) {
    if (kind_ != Kind::Keyboard || evdevCode == 0 || evdevCode > kKeyMax) return;
    enqueue({{kEvKey, evdevCode, pressed ? 1u : 0u}, {kEvSyn, kSynReport, 0}});
}

void VirtioInput::injectPointer(uint32_t x, uint32_t y, unsigned buttons) {
    if (kind_ != Kind::Tablet) return;
    x = std::min(x, kAbsMax);
    y = std::min(y, kAbsMax);
    std::vector<InputEvent> events{{kEvAbs, kAbsX, x}, {kEvAbs, kAbsY, y}};
    {
        std::lock_guard lock(mutex_);
        const unsigned changed = buttons ^ lastButtons_;
        lastButtons_ = buttons;
        const std::pair<unsigned, uint16_t> map[] = {
            {kButtonLeft, kBtnLeft}, {kButtonRight, kBtnRight}, {kButtonMiddle, kBtnMiddle}};
        for (auto [bit, code] : map)
            if (changed & bit) events.push_back({kEvKey, code, (buttons & bit) ? 1u : 0u});
        events.push_back({kEvSyn, kSynReport, 0});
        while (pending_.size() + events.size() > kMaxPendingEvents) pending_.pop_front();
        pending_.insert(pending_.end(), events.begin(), events.end());
    }
    if (wake_) wake_();
}

void VirtioInput::poll() { deliver(); }

void VirtioInput::deliver() {
    if (!transport_ || !transport_->driverOk()) return;
    VirtQueue& queue = transport_->queue(kEventQueue);
    bool pushed = false;
    std::lock_guard lock(mutex_);
    while (!pending_.empty() && queue.ready) {
        Result<std::optional<DescriptorChain>> next = queue.pop();
        if (!next) {
            transport_->deviceBroken(next.message());
            return;
        }
        if (!next->has_value()) break;  // no free buffer: keep the events for later
        const DescriptorChain& chain = **next;
        // struct virtio_input_event: le16 type, le16 code, le32 value.
        const InputEvent event = pending_.front();
        uint8_t raw[8];
        std::memcpy(raw, &event.type, 2);
        std::memcpy(raw + 2, &event.code, 2);
        std::memcpy(raw + 4, &event.value, 4);
        uint32_t written = 0;
        if (chain.writableBytes >= sizeof raw &&
            queue.writeToChain(chain, 0, raw, transport_->codeInvalidator())) {
            written = sizeof raw;
            pending_.pop_front();
        }
        if (Status status = queue.pushUsed(chain.head, written); !status) {
            transport_->deviceBroken(status.message());
            return;
        }
        pushed = true;
        if (written == 0) break;  // a too-small buffer: don't burn the whole ring on it
    }
    if (pushed) transport_->queueDone(kEventQueue);
}

}  // namespace tessera::devices

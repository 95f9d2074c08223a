#include "core/devices/virtio_net.h"

#include <cstdio>
#include <cstring>
#include <functional>

namespace tessera::devices {

Result<std::unique_ptr<VirtioNet>> VirtioNet::create(MacAddress mac, const net::SlirpOptions& options) {
    std::unique_ptr<VirtioNet> nic(new VirtioNet(mac));
    VirtioNet* raw = nic.get();
    auto network = net::SlirpNetwork::create(options, [raw](std::span<const uint8_t> frame) {
        raw->frameFromNetwork(frame);
    });
    if (!network) return network.error();
    nic->network_ = std::move(*network);
    return nic;
}

MacAddress VirtioNet::macFromSeed(const std::string& seed) {
    const size_t hash = std::hash<std::string>{}(seed);
    return {0x52, 0x54, 0x00, static_cast<uint8_t>(hash >> 16), static_cast<uint8_t>(hash >> 8),
            static_cast<uint8_t>(hash)};
}

Result<MacAddress> VirtioNet::parseMac(const std::string& text) {
    MacAddress mac{};
    unsigned parts[6];
    char trailing;
    if (std::sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &parts[0], &parts[1], &parts[2], &parts[3],
                    &parts[4], &parts[5], &trailing) != 6)
        return makeError("invalid MAC address '" + text + "' (expected six hex bytes like 52:54:00:12:34:56)");
    for (int i = 0; i < 6; ++i) mac[i] = static_cast<uint8_t>(parts[i]);
    if (mac[0] & 1) return makeError("MAC address '" + text + "' is a multicast address; the first byte must be even");
    return mac;
}

std::vector<uint8_t> VirtioNet::config() const {
    // struct virtio_net_config (§5.1.4): mac[6], le16 status.
    std::vector<uint8_t> bytes(8, 0);
    std::memcpy(bytes.data(), mac_.data(), 6);
    const uint16_t status = linkUp_ ? kVirtioNetSLinkUp : 0;
    std::memcpy(bytes.data() + 6, &status, 2);
    return bytes;
}

void VirtioNet::reset() {
    pendingRx_.clear();
}

void VirtioNet::queueNotified(unsigned queue) {
    if (queue == kTxQueue) transmit();
    if (queue == kRxQueue) deliverPending();
}

void VirtioNet::transmit() {
    std::vector<uint8_t> frame;
    drainQueue(*transport_, kTxQueue, [&](const DescriptorChain& chain) -> Result<uint32_t> {
        // §5.1.6.2: header then the frame, all device-readable. A chain that is
        // too short or too long is dropped (completed without sending).
        if (chain.readableBytes <= kVirtioNetHeaderBytes || chain.readableBytes > kMaxFrameBytes + kVirtioNetHeaderBytes)
            return 0u;
        frame.resize(chain.readableBytes - kVirtioNetHeaderBytes);
        if (!transport_->queue(kTxQueue).readFromChain(chain, kVirtioNetHeaderBytes, frame))
            return makeError("virtio-net: transmit buffer outside guest RAM");
        if (linkUp_) network_->sendFromGuest(frame);
        return 0u;
    });
}

void VirtioNet::frameFromNetwork(std::span<const uint8_t> frame) {
    if (!linkUp_ || frame.size() > kMaxFrameBytes) return;
    if (pendingRx_.size() >= kMaxPendingRxFrames) {
        ++droppedRx_;  // TCP retransmits; the guest is not reading
        return;
    }
    pendingRx_.emplace_back(frame.begin(), frame.end());
    deliverPending();
}

void VirtioNet::deliverPending() {
    if (!transport_ || !transport_->driverOk()) return;
    bool delivered = false;
    while (!pendingRx_.empty()) {
        if (!deliver(pendingRx_.front())) break;
        pendingRx_.pop_front();
        delivered = true;
    }
    if (delivered) transport_->queueDone(kRxQueue);
}

bool VirtioNet::deliver(const std::vector<uint8_t>& frame) {
    VirtQueue& rx = transport_->queue(kRxQueue);
    if (!rx.ready) return false;
    Result<std::optional<DescriptorChain>> next = rx.pop();
    if (!next) {
        transport_->deviceBroken(next.message());
        return false;
    }
    if (!next->has_value()) return false;  // no buffer: keep the frame pending
    const DescriptorChain& chain = **next;
    uint32_t written = 0;
    if (chain.writableBytes >= kVirtioNetHeaderBytes + frame.size()) {
        // virtio_net_hdr_v1: no checksum/GSO offload, num_buffers = 1.
        uint8_t header[kVirtioNetHeaderBytes] = {};
        header[10] = 1;
        rx.writeToChain(chain, 0, header, transport_->codeInvalidator());
        rx.writeToChain(chain, kVirtioNetHeaderBytes, frame, transport_->codeInvalidator());
        written = static_cast<uint32_t>(kVirtioNetHeaderBytes + frame.size());
    } else {
        ++droppedRx_;  // buffer too small for this frame: hand it back empty
    }
    if (Status status = rx.pushUsed(chain.head, written); !status) {
        transport_->deviceBroken(status.message());
        return false;
    }
    return true;
}

void VirtioNet::setLinkUp(bool up) {
    linkRequest_ = up;
    network_->wake();
}

void VirtioNet::poll(std::chrono::milliseconds maxWait) {
    const bool requested = linkRequest_;
    if (requested != linkReported_) {
        linkReported_ = requested;
        linkUp_ = requested;
        if (!requested) pendingRx_.clear();
        if (transport_) transport_->configChanged();  // §5.1.4: status change → config interrupt
        emit linkChanged(requested);
    }
    network_->poll(maxWait);
    deliverPending();
}

}  // namespace tessera::devices

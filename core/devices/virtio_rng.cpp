#include "core/devices/virtio_rng.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>

namespace tessera::devices {

void VirtioRng::queueNotified(unsigned queue) {
    drainQueue(*transport_, queue, [&](const DescriptorChain& chain) -> Result<uint32_t> {
        uint32_t written = 0;
        hw::MemoryBus& bus = transport_->bus();
        for (const GuestBuffer& buffer : chain.writable) {
            const uint32_t want = std::min(buffer.length, kMaxBytesPerRequest - written);
            if (want == 0) break;
            uint8_t* host = bus.ramPointer(buffer.address, want);
            if (!host) return makeError("virtio-rng: buffer outside guest RAM");
            uint32_t filled = 0;
            while (filled < want) {
                const ssize_t got = getrandom(host + filled, want - filled, 0);
                if (got < 0) {
                    if (errno == EINTR) continue;
                    break;  // hand back what we have; the driver asks again
                }
                filled += static_cast<uint32_t>(got);
            }
            if (transport_->codeInvalidator()) transport_->codeInvalidator()(buffer.address, filled);
            written += filled;
            if (filled < want) break;
        }
        return written;
    });
}

}  // namespace tessera::devices

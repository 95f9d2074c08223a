#pragma once
// VirtioDeviceSet: the virtio devices of one VM, built from its
// configuration, in the board's eight virtio-mmio slots (empty slots answer
// device ID 0). The board wires each slot's interrupt line to a PLIC source
// and the code invalidator to the hart, then calls poll() from its run loop:
// between CPU slices with a zero wait, and instead of sleeping when the guest
// idles (WFI) with the time until the next timer deadline, so network sockets
// and injected input wake the VM at once. wake() (any thread) cuts a wait short.

#include <QSize>
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/devices/device_options.h"
#include "core/devices/scsi_cdrom.h"
#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_gpu.h"
#include "core/devices/virtio_input.h"
#include "core/devices/virtio_mmio.h"
#include "core/devices/virtio_net.h"
#include "core/devices/virtio_rng.h"
#include "core/devices/virtio_scsi.h"

namespace tessera::devices {

struct VirtioDevicesConfig {
    std::vector<DiskOption> disks;
    bool cdromDrive = false;   // a CD-ROM drive (virtio-scsi), empty unless cdromImage is set
    std::string cdromImage;
    std::optional<NicOption> nic;
    bool display = false;      // virtio-gpu
    QSize displaySize{1024, 768};
    bool input = false;        // virtio keyboard + tablet
    bool rng = true;
    std::string vmName = "tessera";  // seeds the MAC address when none is given
};

class VirtioDeviceSet {
public:
    static constexpr unsigned kSlots = 8;

    static Result<std::unique_ptr<VirtioDeviceSet>> create(const VirtioDevicesConfig& config,
                                                           hw::MemoryBus& bus);

    VirtioMmio& slot(unsigned index) { return *slots_.at(index); }

    void poll(std::chrono::milliseconds maxWait);
    // True if poll() can sleep on host events itself (user networking present).
    bool canWait() const { return nic_ != nullptr; }
    void wake();
    // Called (any thread) when input is injected or a wait should end; the
    // board uses it to leave a condition-variable sleep.
    void setWakeCallback(std::function<void()> wake);

    VirtioGpu* display() { return gpu_.get(); }
    VirtioInput* keyboard() { return keyboard_.get(); }
    VirtioInput* tablet() { return tablet_.get(); }
    ScsiCdrom* cdrom() { return cdrom_.get(); }
    VirtioNet* nic() { return nic_.get(); }
    const std::vector<std::unique_ptr<VirtioBlk>>& disks() const { return disks_; }

private:
    VirtioDeviceSet() = default;

    std::vector<std::unique_ptr<VirtioBlk>> disks_;
    std::unique_ptr<ScsiCdrom> cdrom_;
    std::unique_ptr<VirtioScsi> scsi_;
    std::unique_ptr<VirtioNet> nic_;
    std::unique_ptr<VirtioRng> rng_;
    std::unique_ptr<VirtioGpu> gpu_;
    std::unique_ptr<VirtioInput> keyboard_, tablet_;
    std::array<std::unique_ptr<VirtioMmio>, kSlots> slots_;
    std::function<void()> wake_;
};

}  // namespace tessera::devices

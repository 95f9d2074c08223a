#include "core/devices/virtio_device_set.h"

#include "core/block/open_image.h"

namespace tessera::devices {

Result<std::unique_ptr<VirtioDeviceSet>> VirtioDeviceSet::create(const VirtioDevicesConfig& config,
                                                                 hw::MemoryBus& bus) {
    std::unique_ptr<VirtioDeviceSet> set(new VirtioDeviceSet());
    std::vector<VirtioDevice*> ordered;  // disks first, in --disk order; then the CD-ROM, NIC, ...

    for (size_t i = 0; i < config.disks.size(); ++i) {
        const DiskOption& disk = config.disks[i];
        block::OpenOptions options;
        options.readOnly = disk.readOnly;
        if (!disk.format.empty()) options.format = block::parseImageFormat(disk.format);
        auto image = block::openImage(disk.path, options);  // locks the image while the VM runs
        if (!image) return makeError("cannot use disk '" + disk.path + "': " + image.message());
        const std::string serial = disk.serial.empty() ? "tessera-disk-" + std::to_string(i) : disk.serial;
        set->disks_.push_back(std::make_unique<VirtioBlk>(std::shared_ptr<block::BlockBackend>(std::move(*image)),
                                                          serial, disk.readOnly));
        ordered.push_back(set->disks_.back().get());
    }
    if (config.cdromDrive || !config.cdromImage.empty()) {
        set->cdrom_ = std::make_unique<ScsiCdrom>();
        if (!config.cdromImage.empty()) TESSERA_TRY(set->cdrom_->insertMediaFile(config.cdromImage));
        set->scsi_ = std::make_unique<VirtioScsi>(*set->cdrom_);
        ordered.push_back(set->scsi_.get());
    }
    if (config.nic) {
        net::SlirpOptions options;
        options.forwards = config.nic->forwards;
        auto nic = VirtioNet::create(config.nic->mac.value_or(VirtioNet::macFromSeed(config.vmName)), options);
        if (!nic) return makeError("cannot start user networking: " + nic.message());
        set->nic_ = std::move(*nic);
        if (!config.nic->linkUp) set->nic_->setLinkUp(false);
        ordered.push_back(set->nic_.get());
    }
    if (config.rng) {
        set->rng_ = std::make_unique<VirtioRng>();
        ordered.push_back(set->rng_.get());
    }
    if (config.display) {
        set->gpu_ = std::make_unique<VirtioGpu>(config.displaySize);
        ordered.push_back(set->gpu_.get());
    }
    if (config.input) {
        set->keyboard_ = std::make_unique<VirtioInput>(VirtioInput::Kind::Keyboard);
        set->tablet_ = std::make_unique<VirtioInput>(VirtioInput::Kind::Tablet);
        ordered.push_back(set->keyboard_.get());
        ordered.push_back(set->tablet_.get());
    }
    if (ordered.size() > kSlots)
        return makeError("too many devices: the virt board has " + std::to_string(kSlots) +
                         " virtio slots, this VM needs " + std::to_string(ordered.size()));
    // As QEMU's riscv virt: the first device takes the highest slot. The DTB
    // lists the slots from the highest address down and Linux names devices
    // in DTB order, so the first --disk is /dev/vda, the second /dev/vdb, as
    // under qemu-system-riscv64 with -device options in the same order.
    for (unsigned i = 0; i < kSlots; ++i)
        set->slots_[kSlots - 1 - i] =
            std::make_unique<VirtioMmio>(bus, i < ordered.size() ? ordered[i] : nullptr);
    return set;
}

void VirtioDeviceSet::setWakeCallback(std::function<void()> wake) {
    wake_ = std::move(wake);
    for (VirtioInput* input : {keyboard_.get(), tablet_.get()})
        if (input) input->setWakeCallback([this] { this->wake(); });
    if (gpu_) gpu_->setWakeCallback([this] { this->wake(); });
}

void VirtioDeviceSet::wake() {
    if (nic_) nic_->wake();
    if (wake_) wake_();
}

void VirtioDeviceSet::poll(std::chrono::milliseconds maxWait) {
    if (gpu_) gpu_->poll();
    if (keyboard_) keyboard_->poll();
    if (tablet_) tablet_->poll();
    if (nic_) nic_->poll(maxWait);
    // Input that arrived while waiting goes in right away.
    if (maxWait.count() > 0) {
        if (keyboard_) keyboard_->poll();
        if (tablet_) tablet_->poll();
    }
}

}  // namespace tessera::devices

#include "core/machine/mac99_storage.h"

#include "core/block/open_image.h"

namespace tessera::machine {

namespace {
Result<std::shared_ptr<block::BlockBackend>> openDisk(const devices::DiskOption& disk) {
    block::OpenOptions options;
    options.readOnly = disk.readOnly;
    if (!disk.format.empty()) options.format = block::parseImageFormat(disk.format);
    auto image = block::openImage(disk.path, options);
    if (!image) return makeError("cannot use disk '" + disk.path + "': " + image.message());
    return std::shared_ptr<block::BlockBackend>(std::move(*image));
}
}  // namespace

Status Mac99Storage::open(const Mac99StorageConfig& config) {
    if (config.secondDisk && !config.disk) return makeError("a second disk (the slave) needs a first disk");
    if (config.disk) {
        auto disk = openDisk(*config.disk);
        if (!disk) return disk.error();
        ata0_.attachDisk(*disk, config.disk->readOnly);
    }
    if (config.secondDisk) {
        auto disk = openDisk(*config.secondDisk);
        if (!disk) return disk.error();
        ata0_.attachSlaveDisk(*disk, config.secondDisk->readOnly);
    }
    if (config.cdromDrive || !config.cdromImage.empty()) {
        cdrom_ = std::make_unique<devices::ScsiCdrom>();
        if (!config.cdromImage.empty()) TESSERA_TRY(cdrom_->insertMediaFile(config.cdromImage));
        cdrom_->settleMedia();  // OpenBIOS gives up on a drive whose first TEST UNIT READY fails
        ata1_.attachCdrom(cdrom_.get());
    }
    return Status::success();
}

void Mac99Storage::wire(devices::KeyLargoMacio& macio, devices::OpenPic& pic) {
    for (unsigned n = 0; n < 2; ++n) {
        macio.attach(kAtaOffset[n], &bus(n));
        macio.attach(kDbdmaOffset[n], &bus(n).dma());
        bus(n).irq().connect([&pic, n](bool level) { pic.setSourceLevel(kIrq[n], level); });
    }
}

}  // namespace tessera::machine

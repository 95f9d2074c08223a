#include "core/machine/mac99_storage.h"

#include "core/block/open_image.h"

namespace tessera::machine {

Status Mac99Storage::open(const Mac99StorageConfig& config) {
    if (config.disk) {
        block::OpenOptions options;
        options.readOnly = config.disk->readOnly;
        if (!config.disk->format.empty()) options.format = block::parseImageFormat(config.disk->format);
        auto image = block::openImage(config.disk->path, options);
        if (!image) return makeError("cannot use disk '" + config.disk->path + "': " + image.message());
        ata0_.attachDisk(std::shared_ptr<block::BlockBackend>(std::move(*image)), config.disk->readOnly);
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

// KeyLargoAta's ATA disk: the commands of the master when it is a disk, on
// the block layer. Every LBA range is checked against the image; one command
// moves at most 65536 sectors.
#include <algorithm>

#include "core/devices/keylargo_ata.h"

namespace tessera::devices {

namespace {
constexpr uint32_t kSector = 512;
}  // namespace

void KeyLargoAta::diskCommand(uint8_t opcode) {
    switch (opcode) {
        case 0x20:
        case 0x21:
            startRead(false, false, 1);
            return;  // READ SECTORS
        case 0x24:
            startRead(true, false, 1);
            return;  // READ SECTORS EXT
        case 0xc4:
            startRead(false, false, multiple_);
            return;  // READ MULTIPLE
        case 0x29:
            startRead(true, false, multiple_);
            return;  // READ MULTIPLE EXT
        case 0xc8:
        case 0xc9:
            startRead(false, true, 1);
            return;  // READ DMA
        case 0x25:
            startRead(true, true, 1);
            return;  // READ DMA EXT
        case 0x30:
        case 0x31:
            startWrite(false, false, 1);
            return;  // WRITE SECTORS
        case 0x34:
            startWrite(true, false, 1);
            return;  // WRITE SECTORS EXT
        case 0xc5:
            startWrite(false, false, multiple_);
            return;  // WRITE MULTIPLE
        case 0x39:
            startWrite(true, false, multiple_);
            return;  // WRITE MULTIPLE EXT
        case 0xca:
        case 0xcb:
            startWrite(false, true, 1);
            return;  // WRITE DMA
        case 0x35:
            startWrite(true, true, 1);
            return;   // WRITE DMA EXT
        case 0xec: {  // IDENTIFY DEVICE
            const AtaIdentify id = identifyDisk(disk().size() / kSector, "TSR-ATA-0", multiple_);
            startPioIn(std::vector<uint8_t>(id.begin(), id.end()), kSector);
            return;
        }
        case 0xe7:
        case 0xea:  // FLUSH CACHE (EXT): durable before the interrupt
            if (!disk().flush()) {
                abort(kAbrt);
                return;
            }
            complete();
            return;
        case 0xc6: {  // SET MULTIPLE MODE: a power of two up to 16
            const uint8_t n = count_.value;
            if (n == 0 || n > 16 || (n & (n - 1))) {
                abort();
                return;
            }
            multiple_ = n;
            complete();
            return;
        }
        case 0x40:
        case 0x41:
        case 0x42: {  // READ VERIFY SECTORS (EXT): only the range matters
            uint64_t lba = 0, sectors = 0;
            if (!transferRange(opcode == 0x42, lba, sectors)) return;
            complete();
            return;
        }
        case 0xe5:  // CHECK POWER MODE: active
            count_.value = 0xff;
            complete();
            return;
        case 0x90:  // EXECUTE DEVICE DIAGNOSTIC
            setSignature();
            error_ = 1;
            status_ = kDrdy | kDsc;
            raise();
            return;
        case 0xef:  // SET FEATURES (transfer mode, caches): accepted
        case 0x91:  // INITIALIZE DEVICE PARAMETERS
        case 0xe0:
        case 0xe1:
        case 0xe2:
        case 0xe3:
        case 0xe6:  // standby, idle, sleep
            complete();
            return;
        default:
            if ((opcode & 0xf0) == 0x10) {  // RECALIBRATE
                complete();
                return;
            }
            abort();  // IDENTIFY PACKET DEVICE, PACKET, DEVICE RESET and the rest
            return;
    }
}

bool KeyLargoAta::transferRange(bool lba48, uint64_t& lba, uint64_t& sectors) {
    if (lba48) {
        lba = uint64_t(lbaLow_.value) | uint64_t(lbaMid_.value) << 8 | uint64_t(lbaHigh_.value) << 16 |
              uint64_t(lbaLow_.previous) << 24 | uint64_t(lbaMid_.previous) << 32 |
              uint64_t(lbaHigh_.previous) << 40;
        sectors = uint64_t(count_.value) | uint64_t(count_.previous) << 8;
        if (sectors == 0) sectors = 65536;
    } else {
        if (!(device_ & 0x40)) {  // CHS addressing: only LBA is offered (IDENTIFY word 49)
            abort();
            return false;
        }
        lba = uint64_t(lbaLow_.value) | uint64_t(lbaMid_.value) << 8 | uint64_t(lbaHigh_.value) << 16 |
              uint64_t(device_ & 0x0f) << 24;
        sectors = count_.value ? count_.value : 256;
    }
    const uint64_t total = disk().size() / kSector;
    if (lba > total || sectors > total - lba) {
        abort(kIdnf | kAbrt);
        return false;
    }
    return true;
}

void KeyLargoAta::startRead(bool lba48, bool dma, unsigned blockSectors) {
    uint64_t lba = 0, sectors = 0;
    if (!transferRange(lba48, lba, sectors)) return;
    std::vector<uint8_t> data(sectors * kSector);
    if (!disk().read(lba * kSector, data)) {
        abort(kUnc | kAbrt);
        return;
    }
    if (!dma) {
        startPioIn(std::move(data), blockSectors * kSector);
        return;
    }
    buffer_ = std::move(data);
    position_ = 0;
    phase_ = Phase::DmaIn;
    status_ = kDrdy | kDsc | kDrq;
    dma_.kick();
}

void KeyLargoAta::startWrite(bool lba48, bool dma, unsigned blockSectors) {
    uint64_t lba = 0, sectors = 0;
    if (!transferRange(lba48, lba, sectors)) return;
    if (diskReadOnly()) {
        abort();
        return;
    }
    writeLba_ = lba;
    buffer_.assign(sectors * kSector, 0);
    position_ = 0;
    status_ = kDrdy | kDsc | kDrq;
    if (dma) {
        phase_ = Phase::DmaOut;
        dma_.kick();
        return;
    }
    // The first PIO block is asked for without an interrupt.
    phase_ = Phase::PioOut;
    blockBytes_ = blockSectors * kSector;
    blockEnd_ = std::min<uint64_t>(blockBytes_, buffer_.size());
}

void KeyLargoAta::finishWrite() {
    if (!disk().write(writeLba_ * kSector, buffer_)) {
        abort(kAbrt);
        return;
    }
    complete();
}

}  // namespace tessera::devices

#include "core/devices/cfi_flash.h"

#include <algorithm>
#include <cstring>

#include "core/hw/mmio_access.h"

namespace tessera::devices {

namespace {

// Intel/Sharp command set (Intel "3 Volt Synchronous StrataFlash" datasheet,
// table "Command Bus Operations"; the same codes as QEMU's pflash_cfi01).
constexpr uint8_t kCmdReadArray = 0xFF;
constexpr uint8_t kCmdReadArrayAlt = 0x00;  // accepted by QEMU's model and Linux's reset path
constexpr uint8_t kCmdProgram = 0x40;
constexpr uint8_t kCmdProgramAlt = 0x10;
constexpr uint8_t kCmdEraseSetup = 0x20;
constexpr uint8_t kCmdClearStatus = 0x50;
constexpr uint8_t kCmdLockSetup = 0x60;
constexpr uint8_t kCmdReadStatus = 0x70;
constexpr uint8_t kCmdReadId = 0x90;
constexpr uint8_t kCmdQuery = 0x98;
constexpr uint8_t kCmdBufferedProgram = 0xE8;
constexpr uint8_t kCmdConfirm = 0xD0;
constexpr uint8_t kSequenceError = CfiFlash::kStatusEraseError | CfiFlash::kStatusProgramError;

constexpr uint8_t kManufacturerIntel = 0x89;
constexpr uint8_t kDeviceId = 0x18;
constexpr unsigned kChips = 2;  // x16 chips side by side on the 32-bit bus

}  // namespace

Result<std::unique_ptr<CfiFlash>> CfiFlash::create(uint64_t size,
                                                   std::unique_ptr<block::BlockBackend> backing) {
    if (size == 0 || size % kBlockSize != 0)
        return makeError("a flash bank must be a whole number of 256 KiB blocks, not " +
                         std::to_string(size) + " bytes.");
    std::vector<uint8_t> contents(size, 0xFF);
    if (backing) {
        // As QEMU: the image is the whole bank, so every write lands inside it.
        if (backing->size() != size)
            return makeError("flash image '" + backing->fileName() + "' is " +
                             std::to_string(backing->size()) + " bytes; a flash bank image must be exactly " +
                             std::to_string(size >> 20) + " MiB (e.g. a copy of EDK2's RISCV_VIRT_VARS.fd).");
        TESSERA_TRY(backing->read(0, std::span<uint8_t>(contents.data(), size)));
    }
    return std::unique_ptr<CfiFlash>(new CfiFlash(std::move(contents), std::move(backing)));
}

CfiFlash::CfiFlash(std::vector<uint8_t> contents, std::unique_ptr<block::BlockBackend> backing)
    : contents_(std::move(contents)), backing_(std::move(backing)) {}

void CfiFlash::reset() {
    mode_ = Mode::ReadArray;
    status_ = kStatusReady;
    buffer_.clear();
    bufferRemaining_ = 0;
}

// The value of a `size`-byte read at `offset` when every 32-bit bus word
// reads as `word` (status, identifier and query reads).
uint64_t CfiFlash::replicate(uint32_t word, uint64_t offset, unsigned size) const {
    const uint64_t doubled = (uint64_t(word) << 32) | word;
    return hw::extractLanes(doubled, unsigned(offset % 4), size);
}

// The CFI query structure of one chip (JEDEC JESD68.01), indexed by chip word.
uint8_t CfiFlash::queryByte(uint64_t index) const {
    const uint64_t chipBytes = contents_.size() / kChips;
    const uint64_t blocks = contents_.size() / kBlockSize;
    const uint64_t chipBlockUnits = kBlockSize / kChips / 256;
    unsigned sizeLog2 = 0;
    while ((uint64_t(1) << sizeLog2) < chipBytes) ++sizeLog2;
    switch (index) {
        case 0x10:
            return 'Q';
        case 0x11:
            return 'R';
        case 0x12:
            return 'Y';
        case 0x13:
            return 0x01;  // primary command set: Intel/Sharp extended
        case 0x15:
            return 0x31;  // primary extended table at 0x31
        case 0x1B:
            return 0x45;  // Vcc min 4.5 V
        case 0x1C:
            return 0x55;  // Vcc max 5.5 V
        case 0x1F:
            return 0x07;  // typical word program 2^7 us
        case 0x20:
            return 0x07;  // typical buffer program 2^7 us
        case 0x21:
            return 0x0A;  // typical block erase 2^10 ms
        case 0x23:
            return 0x04;  // maximum = typical * 2^4
        case 0x24:
            return 0x04;
        case 0x25:
            return 0x04;
        case 0x27:
            return uint8_t(sizeLog2);  // chip size 2^n bytes
        case 0x28:
            return 0x01;  // x16 interface
        case 0x2A:
            return 0x06;  // write buffer 2^6 bytes per chip
        case 0x2C:
            return 0x01;  // one erase block region
        case 0x2D:
            return uint8_t((blocks - 1) & 0xFF);  // blocks - 1, little-endian
        case 0x2E:
            return uint8_t((blocks - 1) >> 8);
        case 0x2F:
            return uint8_t(chipBlockUnits & 0xFF);  // block size / 256, little-endian
        case 0x30:
            return uint8_t(chipBlockUnits >> 8);
        case 0x31:
            return 'P';
        case 0x32:
            return 'R';
        case 0x33:
            return 'I';
        case 0x34:
            return '1';  // extended table version 1.0: no optional features
        case 0x35:
            return '0';
        default:
            return 0;
    }
}

// Identifier codes, per erase block: word 0 manufacturer, 1 device, 2 the
// block's lock status (never locked: the lock commands are accepted and
// ignored, as in QEMU's model).
uint8_t CfiFlash::idByte(uint64_t index) const {
    switch (index) {
        case 0:
            return kManufacturerIntel;
        case 1:
            return kDeviceId;
        default:
            return 0;
    }
}

uint64_t CfiFlash::read(uint64_t offset, unsigned size) {
    if (offset >= contents_.size()) return 0;
    switch (mode_) {
        case Mode::ReadArray: {
            uint64_t value = 0;
            std::memcpy(&value, contents_.data() + offset,
                        std::min<uint64_t>(size, contents_.size() - offset));
            return value;
        }
        case Mode::ReadId:
            return replicate(bothChips(idByte((offset % kBlockSize) / 4)), offset, size);
        case Mode::Query:
            return replicate(bothChips(queryByte(offset / 4)), offset, size);
        default:  // every other state answers with the status register
            return replicate(bothChips(status_), offset, size);
    }
}

void CfiFlash::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= contents_.size()) return;
    const uint8_t low = uint8_t(value);
    switch (mode_) {
        case Mode::ProgramWord:
            program(offset, size, value);
            mode_ = Mode::ReadStatus;
            return;
        case Mode::EraseConfirm:
            if (low == kCmdConfirm)
                eraseBlock(offset);
            else
                status_ |= kSequenceError;
            mode_ = Mode::ReadStatus;
            return;
        case Mode::LockConfirm:  // 0x01 lock, 0xD0 unlock, 0x2F lock-down: nothing is ever locked
            mode_ = Mode::ReadStatus;
            return;
        case Mode::BufferCount: {
            const unsigned words = unsigned(value & 0xFFFF) + 1;  // the chip's word count, minus one
            if (words > kMaxBufferWords) {
                status_ |= kSequenceError;
                mode_ = Mode::ReadStatus;
                return;
            }
            bufferStart_ = offset & ~(kBlockSize - 1);
            bufferRemaining_ = words;
            buffer_.clear();
            mode_ = Mode::BufferData;
            return;
        }
        case Mode::BufferData:
            // Data must stay in the block the program started in (the chips'
            // buffer addresses one block); anything else aborts the sequence.
            if ((offset & ~(kBlockSize - 1)) != bufferStart_ || size != 4) {
                status_ |= kSequenceError;
                buffer_.clear();
                mode_ = Mode::ReadStatus;
                return;
            }
            buffer_.emplace_back(offset, uint32_t(value));
            if (--bufferRemaining_ == 0) mode_ = Mode::BufferConfirm;
            return;
        case Mode::BufferConfirm:
            if (low == kCmdConfirm) {
                for (const auto& [at, word] : buffer_) program(at, 4, word);
            } else {
                status_ |= kSequenceError;
            }
            buffer_.clear();
            mode_ = Mode::ReadStatus;
            return;
        default:
            command(low);
            return;
    }
}

void CfiFlash::command(uint8_t cmd) {
    switch (cmd) {
        case kCmdReadArray:
        case kCmdReadArrayAlt:
            mode_ = Mode::ReadArray;
            break;
        case kCmdProgram:
        case kCmdProgramAlt:
            mode_ = Mode::ProgramWord;
            break;
        case kCmdEraseSetup:
            mode_ = Mode::EraseConfirm;
            break;
        case kCmdClearStatus:
            status_ = kStatusReady;
            mode_ = Mode::ReadArray;
            break;
        case kCmdLockSetup:
            mode_ = Mode::LockConfirm;
            break;
        case kCmdReadStatus:
            mode_ = Mode::ReadStatus;
            break;
        case kCmdReadId:
            mode_ = Mode::ReadId;
            break;
        case kCmdQuery:
            mode_ = Mode::Query;
            break;
        case kCmdBufferedProgram:
            mode_ = Mode::BufferCount;
            break;  // status reads now say "buffer free"
        default:
            mode_ = Mode::ReadArray;
            break;  // unknown commands are ignored, as by QEMU
    }
}

void CfiFlash::program(uint64_t offset, unsigned size, uint64_t value) {
    if (size > 8 || offset + size > contents_.size() || (backing_ && backing_->readOnly())) {
        status_ |= kStatusProgramError;
        return;
    }
    std::memcpy(contents_.data() + offset, &value, size);
    if (!persist(offset, size)) status_ |= kStatusProgramError;
}

void CfiFlash::eraseBlock(uint64_t offset) {
    if (backing_ && backing_->readOnly()) {
        status_ |= kStatusEraseError;
        return;
    }
    const uint64_t start = offset & ~(kBlockSize - 1);
    std::fill_n(contents_.begin() + int64_t(start), kBlockSize, uint8_t(0xFF));
    if (!persist(start, kBlockSize)) status_ |= kStatusEraseError;
}

bool CfiFlash::persist(uint64_t offset, uint64_t length) {
    if (!backing_) return true;
    return backing_->write(offset, std::span<const uint8_t>(contents_.data() + offset, length)).ok();
}

}  // namespace tessera::devices

#pragma once
// CfiFlash: one bank of NOR flash with the Intel/Sharp command set (CFI
// primary vendor command set 0001), shaped like QEMU's `virt` flash banks
// (pflash_cfi01: a 32-bit bus made of two interleaved x16 chips, 256 KiB
// erase blocks, manufacturer 0x89, device 0x18). EDK2 keeps its UEFI variables
// in such a bank (OvmfPkg/VirtNorFlashDxe) and Linux's physmap-of driver
// probes it through the CFI query.
//
// Commands are written to both chips at once (the same byte in each 16-bit
// half); this model takes the command from the low chip's byte, and answers
// status, identifier and query reads in both halves, as two chips in lock
// step would. Programming stores the data as given (QEMU does the same; real
// flash could only clear bits), erasing sets a block to 0xFF. Every change
// is written through to the backing image at once, so the variable store
// survives a power cut exactly up to the last completed command; a host
// write that fails (disk full) is a program/erase error in the status
// register, which EDK2 reports as a device error for that variable.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/block/block_backend.h"
#include "core/hw/mmio_device.h"
#include "core/util/result.h"

namespace tessera::devices {

class CfiFlash : public hw::MmioDevice {
public:
    static constexpr uint64_t kBlockSize = 256 * 1024;  // per bank (both chips)
    static constexpr unsigned kMaxBufferWords = 32;     // 32-bit words per buffered program (64 B per chip)

    // Status register bits (one chip's byte).
    static constexpr uint8_t kStatusReady = 0x80;
    static constexpr uint8_t kStatusEraseError = 0x20;
    static constexpr uint8_t kStatusProgramError = 0x10;

    // A bank of `size` bytes (a multiple of kBlockSize) whose contents come
    // from `backing`, an image of exactly `size` bytes read at once. A
    // read-only backing refuses program and erase with the chips' error
    // status. Without backing the bank is volatile and starts erased.
    static Result<std::unique_ptr<CfiFlash>> create(uint64_t size,
                                                    std::unique_ptr<block::BlockBackend> backing);

    std::string name() const override { return "cfi_flash"; }
    uint64_t mmioSize() const override { return contents_.size(); }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

private:
    enum class Mode {
        ReadArray,
        ReadStatus,
        ReadId,
        Query,
        ProgramWord,
        BufferCount,
        BufferData,
        BufferConfirm,
        EraseConfirm,
        LockConfirm
    };

    CfiFlash(std::vector<uint8_t> contents, std::unique_ptr<block::BlockBackend> backing);
    uint32_t bothChips(uint16_t perChip) const { return (uint32_t(perChip) << 16) | perChip; }
    uint64_t replicate(uint32_t word, uint64_t offset, unsigned size) const;
    uint8_t queryByte(uint64_t index) const;
    uint8_t idByte(uint64_t index) const;
    void command(uint8_t cmd);
    void program(uint64_t offset, unsigned size, uint64_t value);
    void eraseBlock(uint64_t offset);
    bool persist(uint64_t offset, uint64_t length);

    std::vector<uint8_t> contents_;
    std::unique_ptr<block::BlockBackend> backing_;
    Mode mode_ = Mode::ReadArray;
    uint8_t status_ = kStatusReady;
    // Buffered program: the block it started in, the 32-bit words still
    // expected, and the words collected so far (programmed at the confirm).
    uint64_t bufferStart_ = 0;
    unsigned bufferRemaining_ = 0;
    std::vector<std::pair<uint64_t, uint32_t>> buffer_;
};

}  // namespace tessera::devices

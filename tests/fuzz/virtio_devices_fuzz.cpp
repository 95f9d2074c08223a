// Fuzz target: guest-controlled virtqueue contents (descriptor tables,
// available rings, request bytes) against virtio-blk, virtio-scsi/CD-ROM and
// virtio-gpu, plus raw SCSI CDBs against the CD-ROM. Any crash, hang,
// sanitizer report or access outside guest RAM is a bug.
// Built as a libFuzzer target with clang, otherwise with fuzz_standalone_main.cpp.

#include <QTemporaryDir>
#include <cstdint>
#include <fstream>
#include <cstring>
#include <memory>
#include <vector>

#include "core/block/open_image.h"
#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_gpu.h"
#include "core/devices/virtio_mmio.h"
#include "core/devices/virtio_scsi.h"
#include "core/machine/memory_bus.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::devices::virtio_mmio_reg;

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 1 << 20;
constexpr uint16_t kQueueSize = 16;
constexpr uint64_t kDesc = kRamBase, kAvail = kRamBase + 0x1000, kUsed = kRamBase + 0x2000;
constexpr uint64_t kData = kRamBase + 0x4000;

// Real raw images in a temporary directory, created once per process: one
// writable (virtio-blk) and one read-only (the CD-ROM, read-only blk).
std::shared_ptr<block::BlockBackend> image(bool readOnly) {
    static QTemporaryDir dir;
    static std::shared_ptr<block::BlockBackend> images[2];
    auto& slot = images[readOnly ? 1 : 0];
    if (!slot) {
        const std::string path = dir.filePath(readOnly ? "disc.iso" : "disk.raw").toStdString();
        std::ofstream(path, std::ios::binary) << std::string(64 * 2048, '\x5a');
        block::OpenOptions options;
        options.readOnly = readOnly;
        auto opened = block::openImage(path, options);
        if (!opened) std::abort();
        slot = std::move(*opened);
    }
    return slot;
}

struct Reader {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    template <typename T>
    T take() {
        T value{};
        const size_t n = std::min(sizeof(T), size - std::min(at, size));
        std::memcpy(&value, data + std::min(at, size), n);
        at += sizeof(T);
        return value;
    }
};

void fuzzQueues(VirtioDevice& device, unsigned queue, Reader& input) {
    machine::MemoryBus bus;
    uint8_t* ram = bus.addRam(kRamBase, kRamSize);
    VirtioMmio mmio(bus, &device);
    mmio.setInterruptLine([](bool) {});
    auto reg = [&](uint64_t offset, uint32_t value) { mmio.write(offset, 4, value); };
    reg(kStatus, 1 | 2);
    reg(kDriverFeaturesSel, 0);
    reg(kDriverFeatures, input.take<uint32_t>() & ((1u << 28) | (1u << 29)));
    reg(kDriverFeaturesSel, 1);
    reg(kDriverFeatures, 1);  // VERSION_1
    reg(kStatus, 1 | 2 | 8);
    for (unsigned q = 0; q < device.queueCount(); ++q) {
        reg(kQueueSel, q);
        reg(kQueueNum, kQueueSize);
        reg(kQueueDescLow, static_cast<uint32_t>(kDesc + q * 0x100));
        reg(kQueueDriverLow, static_cast<uint32_t>(kAvail + q * 0x100));
        reg(kQueueDeviceLow, static_cast<uint32_t>(kUsed + q * 0x100));
        reg(kQueueReady, 1);
    }
    reg(kStatus, 1 | 2 | 8 | 4);
    // Descriptors: addresses mostly inside the data area, sometimes anywhere.
    for (uint16_t i = 0; i < kQueueSize; ++i) {
        const uint8_t mode = input.take<uint8_t>();
        uint64_t address = input.take<uint32_t>();
        address = (mode & 3) == 0 ? address | (uint64_t{input.take<uint32_t>()} << 32)
                                  : kData + address % (kRamSize - (kData - kRamBase));
        uint32_t length = input.take<uint16_t>();
        if ((mode & 0x1c) == 0) length = input.take<uint32_t>();
        const uint16_t flags = input.take<uint8_t>() & 7;
        const uint16_t next = input.take<uint8_t>() % (kQueueSize + 2);
        uint8_t* d = ram + (kDesc + queue * 0x100 - kRamBase) + 16 * i;
        std::memcpy(d, &address, 8);
        std::memcpy(d + 8, &length, 4);
        std::memcpy(d + 12, &flags, 2);
        std::memcpy(d + 14, &next, 2);
    }
    // The rest of the input becomes request payloads in the data area.
    const uint16_t heads = input.take<uint8_t>() % 8;
    uint8_t* avail = ram + (kAvail + queue * 0x100 - kRamBase);
    for (uint16_t i = 0; i < heads; ++i) {
        const uint16_t head = input.take<uint8_t>() % (kQueueSize + 1);
        std::memcpy(avail + 4 + 2 * i, &head, 2);
    }
    std::memcpy(avail + 2, &heads, 2);
    if (input.at < input.size)
        std::memcpy(ram + (kData - kRamBase), input.data + input.at,
                    std::min<size_t>(input.size - input.at, kRamSize - (kData - kRamBase)));
    reg(kQueueNotify, queue);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    Reader input{data + 1, size - 1};
    switch (data[0] % 5) {
        case 0: {
            VirtioBlk blk(image(false), "fuzz");
            fuzzQueues(blk, 0, input);
            break;
        }
        case 1: {
            ScsiCdrom cdrom;
            (void)cdrom.insertMedia(image(true));
            VirtioScsi scsi(cdrom);
            fuzzQueues(scsi, data[0] & 0x80 ? 0 : 2, input);
            break;
        }
        case 2: {
            VirtioGpu gpu(QSize(64, 64));
            fuzzQueues(gpu, 0, input);
            break;
        }
        case 3: {
            // A sequence of raw CDBs against the CD-ROM with a bounded data-in area.
            ScsiCdrom cdrom;
            if (data[0] & 0x80) (void)cdrom.insertMedia(image(true));
            std::vector<uint8_t> area(8192);
            ScsiCdrom::DataInArea dataIn;
            dataIn.length = area.size();
            dataIn.readInto = [&](block::BlockBackend& disc, uint64_t discOffset, uint64_t areaOffset,
                                  uint64_t length) -> Status {
                if (areaOffset > area.size() || length > area.size() - areaOffset) std::abort();  // device bug
                return disc.read(discOffset, std::span<uint8_t>(area.data() + areaOffset, length));
            };
            while (input.at + 1 < input.size) {
                const size_t length = std::min<size_t>(1 + input.data[input.at] % 16, input.size - input.at - 1);
                const std::span<const uint8_t> cdb(input.data + input.at + 1, length);
                const ScsiResult result = cdrom.execute(cdb, dataIn);
                if (result.transferred > area.size()) std::abort();
                input.at += 1 + length;
            }
            break;
        }
        case 4: {
            VirtioBlk blk(image(true), "fuzz-ro");
            fuzzQueues(blk, 0, input);
            break;
        }
    }
    return 0;
}

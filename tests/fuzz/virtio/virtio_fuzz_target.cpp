// libFuzzer target: a hostile guest driver against every virtio device on the
// virtio-mmio transport (virtio 1.2 §4.2.2), plus raw SCSI CDBs against the
// MMC CD-ROM. Built with clang and -fsanitize=fuzzer,address,undefined by
// tests/fuzz/run_fuzz.py.
//
// Input: byte 0 picks the device, the rest is a sequence of guest (and host)
// actions, each an opcode byte and its operands (missing operand bytes read as
// zero). Actions mix raw register and RAM writes, so every protocol rule can
// be broken, with structured helpers (driver initialisation, descriptors,
// well-formed requests with hostile fields) so that the fuzzer also reaches
// the device logic behind the transport checks.
//
// Invariants: no sanitizer report (guest RAM has a guard page on each side,
// see MemoryBus::addRam, so a device access running off it faults),
// no unbounded work (the actions and notifications per input are capped;
// libFuzzer's -timeout catches a hang), no leak, no huge allocation
// (-malloc_limit_mb), and device-side contracts checked below (the scanout
// view lies inside its pixels, CD-ROM data-in stays inside the area given).
#include <QtGlobal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/block/open_image.h"
#include "core/devices/scsi_cdrom.h"
#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_gpu.h"
#include "core/devices/virtio_input.h"
#include "core/devices/virtio_mmio.h"
#include "core/devices/virtio_net.h"
#include "core/devices/virtio_rng.h"
#include "core/devices/virtio_scsi.h"
#include "core/hw/memory_bus.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::devices::virtio_mmio_reg;

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 256 * 1024;
constexpr uint64_t kRingArea = kRamBase;             // per queue: 16 KiB for desc/avail/used
constexpr uint64_t kDataArea = kRamBase + 0x10000;   // request payloads, indirect tables
constexpr uint64_t kDiskBytes = 256 * 1024;          // bounds every blk transfer
constexpr uint64_t kDiscBytes = 32 * 2048;           // bounds every CD-ROM READ
constexpr unsigned kMaxActions = 256;
constexpr unsigned kMaxNotifies = 16;

enum class DeviceKind : uint8_t { Blk, BlkReadOnly, ScsiWithDisc, ScsiEmpty, Net, Gpu, Keyboard, Tablet, Rng, RawCdbs, Count };

struct Input {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    bool done() const { return at >= size; }
    template <typename T>
    T take() {
        T value{};
        if (at < size) std::memcpy(&value, data + at, std::min(sizeof(T), size - at));
        at += sizeof(T);
        return value;
    }
    std::vector<uint8_t> bytes(size_t count) {
        std::vector<uint8_t> out(count, 0);
        if (count && at < size) std::memcpy(out.data(), data + at, std::min(count, size - at));
        at += count;
        return out;
    }
};

// Scratch files under TMPDIR, one set per fuzzer process.
std::string scratch(const char* name) {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/tessera-virtio-fuzz-" + std::to_string(::getpid()) + "-" + name;
}

// A fresh qcow2 image for every input, so no state leaks between inputs and a
// crash reproduces from its input alone.
std::shared_ptr<block::BlockBackend> freshDisk(bool readOnly) {
    const std::string path = scratch("disk.qcow2");
    block::CreateOptions create;
    create.size = kDiskBytes;
    create.clusterSize = 4096;  // small clusters: many L2/refcount updates per request
    if (!block::createImage(path, create)) std::abort();
    block::OpenOptions open;
    open.readOnly = readOnly;
    auto image = block::openImage(path, open);
    if (!image) std::abort();
    return std::move(*image);
}

// A raw disc file with a recognisable pattern, opened read-only like an ISO.
std::shared_ptr<block::BlockBackend> disc() {
    const std::string path = scratch("disc.iso");
    static bool written = [&] {
        std::vector<uint8_t> bytes(kDiscBytes);
        for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7 + i / 2048);
        FILE* f = std::fopen(path.c_str(), "wb");
        if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
        std::fclose(f);
        return true;
    }();
    (void)written;
    block::OpenOptions open;
    open.readOnly = true;
    auto image = block::openImage(path, open);
    if (!image) std::abort();
    return std::move(*image);
}

// The device under test with whatever it needs around it.
struct Rig {
    std::unique_ptr<ScsiCdrom> cdrom;
    std::unique_ptr<VirtioDevice> plain;
    std::unique_ptr<VirtioNet> nic;
    std::unique_ptr<VirtioGpu> gpu;
    VirtioInput* input = nullptr;
    VirtioDevice* device = nullptr;
};

Rig makeRig(DeviceKind kind) {
    Rig rig;
    switch (kind) {
        case DeviceKind::Blk: rig.plain = std::make_unique<VirtioBlk>(freshDisk(false), "fuzz"); break;
        case DeviceKind::BlkReadOnly: rig.plain = std::make_unique<VirtioBlk>(freshDisk(true), "fuzz-ro", true); break;
        case DeviceKind::ScsiWithDisc:
        case DeviceKind::ScsiEmpty:
            rig.cdrom = std::make_unique<ScsiCdrom>();
            if (kind == DeviceKind::ScsiWithDisc && !rig.cdrom->insertMedia(disc())) std::abort();
            rig.plain = std::make_unique<VirtioScsi>(*rig.cdrom);
            break;
        case DeviceKind::Net: {
            // Restricted: the guest reaches slirp's own services (ARP, DHCP,
            // ICMP to the gateway) but no host or outside socket is opened.
            net::SlirpOptions options;
            options.restricted = true;
            auto nic = VirtioNet::create(VirtioNet::macFromSeed("fuzz"), options);
            if (!nic) std::abort();
            rig.nic = std::move(*nic);
            rig.device = rig.nic.get();
            return rig;
        }
        case DeviceKind::Gpu:
            rig.gpu = std::make_unique<VirtioGpu>(QSize(64, 48));
            rig.device = rig.gpu.get();
            return rig;
        case DeviceKind::Keyboard:
        case DeviceKind::Tablet: {
            auto input = std::make_unique<VirtioInput>(kind == DeviceKind::Keyboard ? VirtioInput::Kind::Keyboard
                                                                                    : VirtioInput::Kind::Tablet);
            rig.input = input.get();
            rig.plain = std::move(input);
            break;
        }
        case DeviceKind::Rng: rig.plain = std::make_unique<VirtioRng>(); break;
        default: std::abort();
    }
    rig.device = rig.plain.get();
    return rig;
}

// What the fuzzed "driver" does. Operands follow each opcode.
enum Action : uint8_t {
    kInitialise,      // u64 feature mask, u8 queue size log2: the §3.1.1 sequence
    kRegisterWrite,   // u8 register pick, u8 width pick, u64 value
    kRegisterRead,    // u8 register pick, u8 width pick
    kSetupQueue,      // u8 queue, u16 size, u8 layout mode, [u64 x3 raw addresses]
    kDescriptor,      // u8 queue, u8 table pick, u16 index, u8 address mode, ..., flags, next
    kPoke,            // u16 RAM offset, u8 length, bytes
    kPublish,         // u8 queue, u16 head, u8 notify?
    kAvailIndex,      // u8 queue, u16 raw avail index
    kNotify,          // u32 raw queue number
    kRequest,         // u8 queue, device-specific request, then a chain over it
    kHostEvent,       // device-specific host side (media change, input, network poll)
    kInterruptAck,    // u32 bits
    kReset,           // status = 0
    kActionCount
};

class FuzzDriver {
public:
    FuzzDriver(Rig& rig, DeviceKind kind, Input& in)
        : rig_(rig), kind_(kind), in_(in), ram_(bus_.addRam(kRamBase, kRamSize)), mmio_(bus_, rig.device) {
        if (!ram_) std::abort();
        mmio_.setInterruptLine([](bool) {});
        // Like the board's: the CPU would drop decoded code for these pages.
        mmio_.setCodeInvalidator([](uint64_t address, uint64_t length) {
            if (address < kRamBase || length > kRamSize || address - kRamBase > kRamSize - length) std::abort();
        });
        queues_.resize(rig.device->queueCount());
    }

    void run() {
        for (unsigned n = 0; n < kMaxActions && !in_.done(); ++n) {
            switch (in_.take<uint8_t>() % kActionCount) {
                case kInitialise: initialise(); break;
                case kRegisterWrite: registerWrite(); break;
                case kRegisterRead: (void)mmio_.read(pickRegister(), pickWidth()); break;
                case kSetupQueue: setupQueue(); break;
                case kDescriptor: descriptor(); break;
                case kPoke: poke(); break;
                case kPublish: publish(); break;
                case kAvailIndex: availIndex(); break;
                case kNotify: notify(in_.take<uint32_t>()); break;
                case kRequest: request(); break;
                case kHostEvent: hostEvent(); break;
                case kInterruptAck: mmio_.write(kInterruptAck, 4, in_.take<uint32_t>()); break;
                case kReset: mmio_.write(kStatus, 4, 0); break;
            }
            checkDisplay();
        }
    }

private:
    struct QueueLayout {
        uint16_t size = 0;
        uint64_t desc = 0, avail = 0, used = 0;
        uint16_t availIndex = 0;
        uint16_t nextDescriptor = 0;
    };

    uint64_t pickRegister() {
        static constexpr uint64_t kRegisters[] = {
            kDeviceFeaturesSel, kDriverFeatures, kDriverFeaturesSel, kQueueSel, kQueueNum, kQueueReady,
            kQueueNotify, kInterruptAck, kStatus, kQueueDescLow, kQueueDescHigh, kQueueDriverLow,
            kQueueDriverHigh, kQueueDeviceLow, kQueueDeviceHigh, kShmSel, kConfigGeneration,
            kConfig, kConfig + 4, kConfig + 8, kConfig + 20, kConfig + 24};
        const uint8_t pick = in_.take<uint8_t>();
        if (pick < 200) return kRegisters[pick % std::size(kRegisters)];
        return in_.take<uint16_t>() % 0x1000;  // anything in the window, aligned or not
    }
    unsigned pickWidth() {
        static constexpr unsigned kWidths[] = {4, 4, 4, 1, 2, 8};
        return kWidths[in_.take<uint8_t>() % std::size(kWidths)];
    }

    void registerWrite() {
        const uint64_t offset = pickRegister();
        const unsigned width = pickWidth();
        uint64_t value = in_.take<uint64_t>();
        if (offset == kQueueNotify) {
            notify(value);
            return;
        }
        if (width < 8) value &= (1ull << (8 * width)) - 1;
        mmio_.write(offset, width, value);
    }

    void notify(uint64_t queue) {
        if (notifies_ >= kMaxNotifies) return;  // bounds the work per input
        ++notifies_;
        mmio_.write(kQueueNotify, 4, queue & 0xffffffff);
    }

    void reg(uint64_t offset, uint32_t value) { mmio_.write(offset, 4, value); }

    // Rings of queue q live in their own 16 KiB slice of the ring area.
    void placeQueue(unsigned q, uint16_t size) {
        QueueLayout& layout = queues_[q];
        layout = {};
        layout.size = size;
        layout.desc = kRingArea + 0x4000ull * (q % 4);
        layout.avail = layout.desc + 16ull * 256;
        layout.used = layout.avail + 0x400;
        std::memset(ram_ + (layout.desc - kRamBase), 0, 0x4000);
        reg(kQueueSel, q);
        reg(kQueueNum, size);
        reg(kQueueDescLow, static_cast<uint32_t>(layout.desc));
        reg(kQueueDescHigh, 0);
        reg(kQueueDriverLow, static_cast<uint32_t>(layout.avail));
        reg(kQueueDriverHigh, 0);
        reg(kQueueDeviceLow, static_cast<uint32_t>(layout.used));
        reg(kQueueDeviceHigh, 0);
        reg(kQueueReady, 1);
    }

    void initialise() {
        const uint64_t mask = in_.take<uint64_t>();
        const uint16_t size = static_cast<uint16_t>(1u << (in_.take<uint8_t>() % 9));  // 1..256
        reg(kStatus, 0);
        reg(kStatus, kVirtioStatusAcknowledge);
        reg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver);
        reg(kDeviceFeaturesSel, 0);
        uint64_t offered = mmio_.read(kDeviceFeatures, 4);
        reg(kDeviceFeaturesSel, 1);
        offered |= uint64_t{static_cast<uint32_t>(mmio_.read(kDeviceFeatures, 4))} << 32;
        // Mostly what a driver would accept, sometimes features never offered.
        const uint64_t features = (mask & 0x8000000000000000ull) ? mask : (offered & ~mask) | kVirtioFVersion1;
        reg(kDriverFeaturesSel, 0);
        reg(kDriverFeatures, static_cast<uint32_t>(features));
        reg(kDriverFeaturesSel, 1);
        reg(kDriverFeatures, static_cast<uint32_t>(features >> 32));
        reg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver | kVirtioStatusFeaturesOk);
        for (unsigned q = 0; q < queues_.size(); ++q) {
            reg(kQueueSel, q);
            const uint32_t max = static_cast<uint32_t>(mmio_.read(kQueueNumMax, 4));
            placeQueue(q, static_cast<uint16_t>(std::min<uint32_t>(size, max ? max : 1)));
        }
        reg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver | kVirtioStatusFeaturesOk |
                         kVirtioStatusDriverOk);
    }

    void setupQueue() {
        const unsigned q = in_.take<uint8_t>() % (queues_.size() + 1);  // one past the last: no such queue
        const uint16_t size = in_.take<uint16_t>();
        const uint8_t mode = in_.take<uint8_t>();
        if (q < queues_.size() && (mode & 1) == 0) {
            placeQueue(q, mode & 2 ? size : static_cast<uint16_t>(1u << (size % 9)));
            return;
        }
        reg(kQueueSel, q);
        reg(kQueueNum, size);
        for (uint64_t low : {kQueueDescLow, kQueueDriverLow, kQueueDeviceLow}) {
            const uint64_t address = in_.take<uint64_t>();
            reg(low, static_cast<uint32_t>(address));
            reg(low + 4, static_cast<uint32_t>(address >> 32));
        }
        reg(kQueueReady, mode >> 7);
    }

    // A guest address: mostly in the data area, sometimes in the rings, at the
    // edge of RAM, or anywhere at all.
    uint64_t pickAddress(uint8_t mode) {
        switch (mode % 8) {
            case 0: return in_.take<uint64_t>();
            case 1: return kRamBase + kRamSize - (in_.take<uint8_t>() % 64);
            case 2: return kRamBase + in_.take<uint16_t>() % 0x10000;
            default: return kDataArea + in_.take<uint16_t>() % (kRamSize - (kDataArea - kRamBase));
        }
    }
    uint32_t pickLength(uint8_t mode) {
        switch ((mode >> 3) % 4) {
            case 0: return in_.take<uint32_t>();
            case 1: return 0;
            default: return in_.take<uint16_t>() % 4096 + 1;
        }
    }

    void writeDescriptorAt(uint64_t at, uint64_t address, uint32_t length, uint16_t flags, uint16_t next) {
        uint8_t raw[16];
        std::memcpy(raw, &address, 8);
        std::memcpy(raw + 8, &length, 4);
        std::memcpy(raw + 12, &flags, 2);
        std::memcpy(raw + 14, &next, 2);
        bus_.writeBlock(at, raw);  // silently nothing if `at` is outside RAM
    }

    void descriptor() {
        const unsigned q = in_.take<uint8_t>() % queues_.size();
        const bool indirectTable = in_.take<uint8_t>() & 1;
        const uint16_t index = in_.take<uint16_t>();
        const uint8_t mode = in_.take<uint8_t>();
        const uint64_t address = pickAddress(mode);
        const uint32_t length = pickLength(mode);
        const uint16_t flags = in_.take<uint8_t>() & 7;
        const uint16_t next = in_.take<uint16_t>();
        // Entries of an indirect table go into the data area, where a
        // descriptor with the INDIRECT flag can point.
        const uint64_t table = indirectTable ? kDataArea : queues_[q].desc;
        writeDescriptorAt(table + 16ull * (index % 512), address, length, flags, next);
    }

    void poke() {
        const uint64_t offset = in_.take<uint16_t>() * 4ull % kRamSize;
        const std::vector<uint8_t> bytes = in_.bytes(in_.take<uint8_t>() % 65);
        bus_.writeBlock(kRamBase + offset, std::span<const uint8_t>(bytes.data(), std::min<uint64_t>(bytes.size(), kRamSize - offset)));
    }

    void publish() {
        const unsigned q = in_.take<uint8_t>() % queues_.size();
        const uint16_t head = in_.take<uint16_t>();
        const bool doNotify = !(in_.take<uint8_t>() & 1);
        publishHead(q, head);
        if (doNotify) notify(q);
    }
    void publishHead(unsigned q, uint16_t head) {
        QueueLayout& layout = queues_[q];
        if (!layout.desc) return;
        const uint16_t slot = layout.size ? layout.availIndex % layout.size : 0;
        bus_.write(layout.avail + 4 + 2ull * (slot % 256), 2, head);
        ++layout.availIndex;
        bus_.write(layout.avail + 2, 2, layout.availIndex);
    }
    void availIndex() {
        const unsigned q = in_.take<uint8_t>() % queues_.size();
        QueueLayout& layout = queues_[q];
        layout.availIndex = in_.take<uint16_t>();
        if (layout.desc) bus_.write(layout.avail + 2, 2, layout.availIndex);
    }

    // The device-readable part of a request for this device type, with
    // hostile fields where the device has to check them.
    std::vector<uint8_t> requestHeader(unsigned q) {
        std::vector<uint8_t> out;
        auto put = [&](const void* p, size_t n) { out.insert(out.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n); };
        switch (kind_) {
            case DeviceKind::Blk:
            case DeviceKind::BlkReadOnly: {
                static constexpr uint32_t kTypes[] = {kVirtioBlkTIn, kVirtioBlkTOut, kVirtioBlkTFlush, kVirtioBlkTGetId,
                                                      kVirtioBlkTDiscard, kVirtioBlkTWriteZeroes};
                const uint8_t pick = in_.take<uint8_t>();
                const uint32_t type = pick < 240 ? kTypes[pick % std::size(kTypes)] : in_.take<uint32_t>();
                const uint32_t reserved = 0;
                const uint8_t sectorPick = in_.take<uint8_t>();
                const uint64_t sector = sectorPick < 200 ? sectorPick % (kDiskBytes / 512 + 2) : in_.take<uint64_t>();
                put(&type, 4);
                put(&reserved, 4);
                put(&sector, 8);
                if (type == kVirtioBlkTDiscard || type == kVirtioBlkTWriteZeroes) {
                    for (unsigned n = in_.take<uint8_t>() % 4; n > 0; --n) {  // discard segments
                        const uint64_t start = in_.take<uint16_t>();
                        const uint32_t count = in_.take<uint16_t>(), flags = in_.take<uint8_t>() % 3;
                        put(&start, 8);
                        put(&count, 4);
                        put(&flags, 4);
                    }
                } else if (type == kVirtioBlkTOut) {
                    const std::vector<uint8_t> data = in_.bytes(512 * (in_.take<uint8_t>() % 3));
                    out.insert(out.end(), data.begin(), data.end());
                }
                break;
            }
            case DeviceKind::ScsiWithDisc:
            case DeviceKind::ScsiEmpty: {
                if (q == VirtioScsi::kControlQueue) {
                    const uint32_t type = in_.take<uint8_t>() % 4;
                    put(&type, 4);
                    const std::vector<uint8_t> rest = in_.bytes(in_.take<uint8_t>() % 64);
                    out.insert(out.end(), rest.begin(), rest.end());
                    break;
                }
                // lun[8] (target 0, LUN 0 unless hostile), id, task attr, prio, crn, then the CDB.
                const uint8_t lunPick = in_.take<uint8_t>();
                uint8_t lun[8] = {1, 0, 0x40, 0, 0, 0, 0, 0};
                if (lunPick >= 224) std::memcpy(lun, in_.bytes(8).data(), 8);
                put(lun, 8);
                const std::vector<uint8_t> fixed(11, 0);
                out.insert(out.end(), fixed.begin(), fixed.end());
                const std::vector<uint8_t> cdb = hostileCdb(in_);
                out.insert(out.end(), cdb.begin(), cdb.end());
                out.resize(std::max<size_t>(out.size(), 19 + virtio_scsi::kDefaultCdbSize), 0);
                break;
            }
            case DeviceKind::Net: {
                // virtio_net_hdr_v1 then an Ethernet frame to slirp's gateway.
                const std::vector<uint8_t> header = in_.bytes(12);
                out.insert(out.end(), header.begin(), header.end());
                const std::vector<uint8_t> frame = hostileFrame();
                out.insert(out.end(), frame.begin(), frame.end());
                break;
            }
            case DeviceKind::Gpu: {
                static constexpr uint32_t kCommands[] = {
                    virtio_gpu::kCmdGetDisplayInfo, virtio_gpu::kCmdResourceCreate2d, virtio_gpu::kCmdResourceUnref,
                    virtio_gpu::kCmdSetScanout, virtio_gpu::kCmdResourceFlush, virtio_gpu::kCmdTransferToHost2d,
                    virtio_gpu::kCmdResourceAttachBacking, virtio_gpu::kCmdResourceDetachBacking,
                    virtio_gpu::kCmdUpdateCursor, virtio_gpu::kCmdMoveCursor};
                const uint8_t pick = in_.take<uint8_t>();
                const uint32_t type = pick < 240 ? kCommands[pick % std::size(kCommands)] : in_.take<uint32_t>();
                const uint32_t flags = in_.take<uint8_t>() & 1;
                put(&type, 4);
                put(&flags, 4);
                const std::vector<uint8_t> rest = in_.bytes(16);  // fence id, ctx id, padding
                out.insert(out.end(), rest.begin(), rest.end());
                // Bodies are sequences of small le32 fields (ids, rectangles, formats, counts).
                for (unsigned n = in_.take<uint8_t>() % 12; n > 0; --n) {
                    const uint8_t fieldPick = in_.take<uint8_t>();
                    const uint32_t field = fieldPick < 128 ? fieldPick % 70 : fieldPick < 200 ? in_.take<uint16_t>()
                                                                                               : in_.take<uint32_t>();
                    put(&field, 4);
                }
                break;
            }
            case DeviceKind::Keyboard:
            case DeviceKind::Tablet: {
                const std::vector<uint8_t> events = in_.bytes(8 * (in_.take<uint8_t>() % 4));  // status queue: LED events
                out.insert(out.end(), events.begin(), events.end());
                break;
            }
            default: break;
        }
        return out;
    }

    std::vector<uint8_t> hostileFrame() {
        // Ethernet to the gateway's MAC (slirp answers ARP for 10.0.2.2), IPv4
        // or ARP with hostile lengths; the payload is fuzzer bytes.
        std::vector<uint8_t> frame = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
        const uint8_t pick = in_.take<uint8_t>();
        if (pick & 1) frame = in_.bytes(12);
        const uint16_t etherType = (pick & 6) == 0 ? 0x0806 : (pick & 6) == 2 ? in_.take<uint16_t>() : 0x0008;  // ARP / any / IPv4 (big-endian)
        frame.push_back(static_cast<uint8_t>(etherType >> 8));
        frame.push_back(static_cast<uint8_t>(etherType));
        if (etherType == 0x0008) {
            // IPv4 header 10.0.2.15 -> 10.0.2.2 (or .3 DNS, or broadcast), protocol from the input.
            static constexpr uint8_t kDestinations[] = {2, 3, 255, 15};
            const uint8_t protocol = (pick >> 3) % 3 == 0 ? 1 : (pick >> 3) % 3 == 1 ? 17 : 6;  // ICMP/UDP/TCP
            const uint16_t totalLength = in_.take<uint16_t>() % 1600;
            const uint8_t header[20] = {0x45, 0, static_cast<uint8_t>(totalLength >> 8), static_cast<uint8_t>(totalLength),
                                        0, 1, 0, 0, 64, protocol, 0, 0, 10, 0, 2, 15, 10, 0, 2,
                                        kDestinations[(pick >> 5) % 4]};
            frame.insert(frame.end(), header, header + 20);
        }
        const std::vector<uint8_t> payload = in_.bytes(in_.take<uint8_t>() % 128);
        frame.insert(frame.end(), payload.begin(), payload.end());
        return frame;
    }

public:
    // A CDB: an interesting opcode (or any), then fields with hostile
    // allocation lengths and LBAs.
    static std::vector<uint8_t> hostileCdb(Input& in) {
        static constexpr uint8_t kOpcodes[] = {0x00, 0x03, 0x12, 0x1a, 0x1b, 0x1e, 0x25, 0x28, 0x2a, 0x2b, 0x2f,
                                               0x43, 0x46, 0x4a, 0x5a, 0xa0, 0xa8, 0xaa, 0xbb, 0x51, 0xbe};
        const uint8_t pick = in.take<uint8_t>();
        std::vector<uint8_t> cdb = in.bytes(16);
        cdb[0] = pick < 224 ? kOpcodes[pick % std::size(kOpcodes)] : cdb[0];
        if (pick & 0x20) {  // an LBA just inside or past the end of the disc
            const uint32_t lba = static_cast<uint32_t>(kDiscBytes / 2048 - 2 + (pick & 3));
            cdb[2] = static_cast<uint8_t>(lba >> 24);
            cdb[3] = static_cast<uint8_t>(lba >> 16);
            cdb[4] = static_cast<uint8_t>(lba >> 8);
            cdb[5] = static_cast<uint8_t>(lba);
        }
        return cdb;
    }

private:
    // Lays the request out in the data area and links a chain over it:
    // readable header split into 1-3 pieces, then writable buffers, either
    // direct descriptors or one indirect table.
    void request() {
        if (queues_.empty()) return;
        const unsigned q = in_.take<uint8_t>() % queues_.size();
        QueueLayout& layout = queues_[q];
        if (!layout.desc || layout.size == 0) return;
        const std::vector<uint8_t> header = requestHeader(q);
        const uint8_t shape = in_.take<uint8_t>();
        std::vector<std::pair<uint64_t, uint32_t>> readable, writable;
        uint64_t cursor = kDataArea + 0x1000 + (in_.take<uint8_t>() % 64) * 64ull;
        const uint64_t dataEnd = kRamBase + kRamSize;
        const unsigned pieces = header.empty() ? 0 : 1 + shape % 3;
        size_t offset = 0;
        for (unsigned i = 0; i < pieces && cursor < dataEnd; ++i) {
            const size_t length = i + 1 == pieces ? header.size() - offset : std::min(header.size() - offset, size_t{8} << i);
            if (length == 0) continue;
            if (length > dataEnd - cursor) return;
            std::memcpy(ram_ + (cursor - kRamBase), header.data() + offset, length);
            readable.push_back({cursor, static_cast<uint32_t>(length)});
            cursor += (length + 15) & ~15ull;
            offset += length;
        }
        for (unsigned n = 1 + (shape >> 2) % 3; n > 0; --n) {
            const uint8_t lengthPick = in_.take<uint8_t>();
            uint32_t length = lengthPick < 200 ? (lengthPick % 40 + 1) * 16 : 512u * (lengthPick % 9 + 1);
            if (lengthPick == 255) length = 1;
            if (cursor >= dataEnd) break;
            length = static_cast<uint32_t>(std::min<uint64_t>(length, dataEnd - cursor));
            writable.push_back({cursor, length});
            cursor += (length + 15) & ~15ull;
        }
        const bool indirect = shape & 0x20;
        std::vector<std::pair<uint64_t, uint32_t>> buffers = readable;
        buffers.insert(buffers.end(), writable.begin(), writable.end());
        if (buffers.empty()) return;
        auto flagsOf = [&](size_t i) {
            uint16_t flags = i >= readable.size() ? kVirtqDescWrite : 0;
            if (i + 1 < buffers.size()) flags |= kVirtqDescNext;
            return flags;
        };
        const uint16_t head = layout.nextDescriptor % layout.size;
        if (indirect) {
            const uint64_t table = (cursor + 15) & ~15ull;
            if (table + 16ull * buffers.size() > dataEnd) return;
            for (size_t i = 0; i < buffers.size(); ++i)
                writeDescriptorAt(table + 16 * i, buffers[i].first, buffers[i].second, flagsOf(i), static_cast<uint16_t>(i + 1));
            writeDescriptorAt(layout.desc + 16ull * head, table, static_cast<uint32_t>(16 * buffers.size()), kVirtqDescIndirect, 0);
            layout.nextDescriptor = static_cast<uint16_t>(head + 1);
        } else {
            for (size_t i = 0; i < buffers.size(); ++i) {
                const uint16_t index = static_cast<uint16_t>((head + i) % layout.size);
                writeDescriptorAt(layout.desc + 16ull * index, buffers[i].first, buffers[i].second, flagsOf(i),
                                  static_cast<uint16_t>((index + 1) % layout.size));
            }
            layout.nextDescriptor = static_cast<uint16_t>(head + buffers.size());
        }
        publishHead(q, head);
        if (!(shape & 0x40)) notify(q);
    }

    void hostEvent() {
        const uint8_t what = in_.take<uint8_t>();
        switch (kind_) {
            case DeviceKind::ScsiWithDisc:
            case DeviceKind::ScsiEmpty:
                if (what & 1) rig_.cdrom->ejectMedia();
                else (void)rig_.cdrom->insertMedia(disc());
                break;
            case DeviceKind::Net:
                if (what & 1) rig_.nic->setLinkUp(what & 2);
                rig_.nic->poll(std::chrono::milliseconds(0));
                break;
            case DeviceKind::Keyboard:
            case DeviceKind::Tablet:
                for (unsigned n = what % 8; n > 0; --n) {
                    rig_.input->injectKey(in_.take<uint16_t>() % 0x300, in_.take<uint8_t>() & 1);
                    rig_.input->injectPointer(in_.take<uint16_t>(), in_.take<uint16_t>(), in_.take<uint8_t>());
                }
                rig_.input->poll();
                break;
            case DeviceKind::Gpu:
                (void)rig_.gpu->takeDirtyRect();
                if (what & 1) rig_.gpu->requestDisplaySize(QSize(in_.take<uint16_t>(), in_.take<uint16_t>()));  // window resized
                rig_.gpu->poll();
                break;
            default: break;
        }
    }

    // The view the UI paints from must lie inside the scanout's pixels.
    void checkDisplay() {
        if (!rig_.gpu) return;
        rig_.gpu->readFrame([](const FrameView& view) {
            if (view.size.isEmpty()) return;
            if (view.stride < uint64_t(view.size.width()) * 4) std::abort();
            uint8_t touched = 0;
            for (int y = 0; y < view.size.height(); ++y) {
                touched ^= view.pixels[uint64_t(y) * view.stride];
                touched ^= view.pixels[uint64_t(y) * view.stride + uint64_t(view.size.width()) * 4 - 1];
            }
            static volatile uint8_t sink;
            sink = touched;  // keeps the reads
        });
    }

    Rig& rig_;
    DeviceKind kind_;
    Input& in_;
    hw::MemoryBus bus_;
    uint8_t* ram_;
    VirtioMmio mmio_;
    std::vector<QueueLayout> queues_;
    unsigned notifies_ = 0;
};

// A sequence of CDBs straight at the CD-ROM with a bounded data-in area: the
// unit's contract with any transport (READ never writes past the area).
void fuzzRawCdbs(Input& in) {
    ScsiCdrom cdrom;
    if (in.take<uint8_t>() & 1) (void)cdrom.insertMedia(disc());
    std::vector<uint8_t> area(4096 + in.take<uint8_t>() * 64ull);
    ScsiCdrom::DataInArea dataIn;
    dataIn.length = area.size();
    dataIn.readInto = [&](block::BlockBackend& from, uint64_t discOffset, uint64_t areaOffset, uint64_t length) -> Status {
        if (areaOffset > area.size() || length > area.size() - areaOffset) std::abort();  // device bug
        return from.read(discOffset, std::span<uint8_t>(area.data() + areaOffset, length));
    };
    for (unsigned n = 0; n < kMaxActions && !in.done(); ++n) {
        const uint8_t op = in.take<uint8_t>();
        if (op % 16 == 0) {
            if (op & 0x10) cdrom.ejectMedia();
            else (void)cdrom.insertMedia(disc());
            continue;
        }
        std::vector<uint8_t> cdb = FuzzDriver::hostileCdb(in);
        cdb.resize(1 + op % 16);  // short CDBs too
        const ScsiResult result = cdrom.execute(cdb, dataIn);
        if (result.transferred > area.size()) std::abort();
    }
}

void quiet(QtMsgType, const QMessageLogContext&, const QString&) {}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    qInstallMessageHandler(quiet);  // slirp's guest-error warnings would flood the log
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const auto kind = static_cast<DeviceKind>(data[0] % static_cast<uint8_t>(DeviceKind::Count));
    Input in{data + 1, size - 1};
    if (kind == DeviceKind::RawCdbs) {
        fuzzRawCdbs(in);
        return 0;
    }
    Rig rig = makeRig(kind);
    FuzzDriver(rig, kind, in).run();
    return 0;
}

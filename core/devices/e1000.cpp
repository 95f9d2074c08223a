#include "core/devices/e1000.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace tessera::devices {

namespace {
// CTRL, CTRL_EXT, STATUS.
constexpr uint32_t kCtrlSlu = 1u << 6, kCtrlSpeed1000 = 2u << 8, kCtrlSwdpin0 = 1u << 18,
                   kCtrlSwdpin2 = 1u << 20, kCtrlReset = 1u << 26, kCtrlPhyReset = 1u << 31;
constexpr uint32_t kCtrlExtEepromReset = 1u << 13;
constexpr uint32_t kStatusFullDuplex = 1u << 0, kStatusLinkUp = 1u << 1, kStatusSpeed1000 = 2u << 6,
                   kStatusAutoSpeed1000 = 2u << 8;
// MDIC.
constexpr uint32_t kMdicOpWrite = 1, kMdicOpRead = 2, kMdicReady = 1u << 28, kMdicInterrupt = 1u << 29,
                   kMdicError = 1u << 30;
constexpr unsigned kPhyAddress = 1;  // the only PHY on the MDIO bus (Linux probes address 1)
// RCTL, TCTL.
constexpr uint32_t kRctlEnable = 1u << 1, kRctlUnicastPromisc = 1u << 3, kRctlMulticastPromisc = 1u << 4,
                   kRctlLongPackets = 1u << 5, kRctlBroadcast = 1u << 15, kRctlBsex = 1u << 25,
                   kRctlStripCrc = 1u << 26;
constexpr uint32_t kTctlEnable = 1u << 1;
// Transmit descriptor command bits (legacy CMD, extended DCMD/TUCMD: byte 11).
constexpr uint8_t kCmdEop = 0x01, kCmdIc = 0x04, kCmdTse = 0x04, kCmdRs = 0x08, kCmdDext = 0x20;
constexpr uint8_t kTucmdTcp = 0x01, kTucmdIp = 0x02;
constexpr uint8_t kPoptsIxsm = 0x01, kPoptsTxsm = 0x02;
constexpr uint8_t kDescriptorDone = 0x01;
// Receive descriptor status and errors.
constexpr uint8_t kRxEop = 0x02, kRxIgnoreChecksum = 0x04, kRxDataError = 0x80;
constexpr size_t kMinFrame = 60;          // without FCS: shorter frames are padded, as on the wire
constexpr size_t kMaxNormalFrame = 1518;  // without FCS, with a VLAN tag; longer needs RCTL.LPE
constexpr unsigned kDescriptorBytes = 16;

// The M88E1011 PHY at power-on with the link up and auto-negotiation done
// (1000 Mb/s full duplex): the values QEMU's e1000 shows and Linux expects
// (PHY ID 0x01410c20 is what its e1000_detect_gig_phy accepts for an 82540).
constexpr std::array<uint16_t, 32> phyDefaults() {
    std::array<uint16_t, 32> p{};
    p[0x00] = 0x1140;  // control: auto-negotiation enabled, 1000 Mb/s, full duplex
    p[0x01] = 0x796d;  // status: link up, auto-negotiation complete
    p[0x02] = 0x0141;  // PHY identifier (Marvell)
    p[0x03] = 0x0c20;  // M88E1011
    p[0x04] = 0x0de1;  // auto-negotiation advertisement
    p[0x05] = 0x41e1;  // link partner ability: acknowledged, 10/100, no pause (Linux: "Flow Control: RX" as
                       // on QEMU)
    p[0x06] = 0x0001;  // auto-negotiation expansion
    p[0x09] = 0x0e00;  // 1000BASE-T control
    p[0x0a] = 0x3c00;  // 1000BASE-T status: partner 1000 full/half, receivers OK
    p[0x0f] = 0x3000;  // extended status: 1000BASE-T full/half
    p[0x10] = 0x0360;  // M88 specific control
    p[0x11] = 0xac00;  // M88 specific status: 1000 Mb/s, full duplex, resolved, link
    p[0x14] = 0x0d60;  // M88 extended specific control
    return p;
}
constexpr uint16_t kPhyControlReset = 0x8000, kPhyControlRestartAutoneg = 0x0200;
bool phyReadOnly(unsigned r) {
    return r == 0x01 || r == 0x02 || r == 0x03 || r == 0x05 || r == 0x06 || r == 0x0a || r == 0x0f ||
           r == 0x11;
}

uint16_t le16(const uint8_t* p) {
    return uint16_t(p[0] | (p[1] << 8));
}
uint32_t le32(const uint8_t* p) {
    return uint32_t(le16(p)) | (uint32_t(le16(p + 2)) << 16);
}
uint64_t le64(const uint8_t* p) {
    return uint64_t(le32(p)) | (uint64_t(le32(p + 4)) << 32);
}
}  // namespace

E1000::E1000(hw::MemoryBus& bus, const Mac& mac, FrameSink transmit)
    : bus_(bus),
      mac_(mac),
      transmit_(std::move(transmit)),
      pci_({kVendorId, kDeviceId, 0x020000, 0x03, 1}),  // Ethernet controller, revision 3 (QEMU's), INTA#
      eeprom_(mac, kDeviceId),
      regs_(kRegisterBytes / 4, 0) {
    pci_.setMemoryBar(0, kRegisterBytes, this);
    pci_.setIoBar(1, kIoBytes, &io_);
    reset();
}

Result<std::unique_ptr<E1000>> E1000::createOnSlirp(hw::MemoryBus& bus, const Mac& mac,
                                                    const net::SlirpOptions& options) {
    auto nic = std::make_unique<E1000>(bus, mac, FrameSink{});
    E1000* raw = nic.get();
    auto network =
        net::SlirpNetwork::create(options, [raw](std::span<const uint8_t> frame) { raw->receive(frame); });
    if (!network) return network.error();
    nic->network_ = std::move(*network);
    nic->transmit_ = [raw](std::span<const uint8_t> frame) { raw->network_->sendFromGuest(frame); };
    return nic;
}

void E1000::reset() {
    std::fill(regs_.begin(), regs_.end(), 0);
    reg(CTRL) = kCtrlSwdpin2 | kCtrlSwdpin0 | kCtrlSpeed1000 | kCtrlSlu;
    reg(LEDCTL) = 0x07068302;  // the manual's power-on LED modes
    reg(PBA) = 0x30;           // 48 KiB receive packet buffer
    // The EEPROM's address is loaded into receive address 0, marked valid.
    reg(RA) = le32(mac_.data());
    reg(RA + 4) = le16(mac_.data() + 4) | (1u << 31);
    phy_ = phyDefaults();
    eeprom_.reset();
    txContext_ = {};
    tx_ = {};
    pendingRx_.clear();
    io_.address = 0;
    updateIrq();
}

// ---- Register file ----

uint64_t E1000::read(uint64_t offset, unsigned size) {
    // The registers are 32 bits wide; other widths and misaligned accesses read 0.
    if (size != 4 || (offset & 3) || offset >= kRegisterBytes) return 0;
    return readRegister(uint32_t(offset));
}

void E1000::write(uint64_t offset, unsigned size, uint64_t value) {
    if (size != 4 || (offset & 3) || offset >= kRegisterBytes) return;
    writeRegister(uint32_t(offset), uint32_t(value));
}

uint64_t E1000::IoPort::read(uint64_t offset, unsigned size) {
    if (size != 4) return 0;
    if (offset == 0) return address;
    if (offset == 4) return nic.read(address, 4);
    return 0;
}

void E1000::IoPort::write(uint64_t offset, unsigned size, uint64_t value) {
    if (size != 4) return;
    if (offset == 0) address = uint32_t(value) & (kRegisterBytes - 4);
    if (offset == 4) nic.write(address, 4, value);
}

uint32_t E1000::status() const {
    return kStatusFullDuplex | kStatusLinkUp | kStatusSpeed1000 | kStatusAutoSpeed1000;
}

uint32_t E1000::readRegister(uint32_t offset) {
    switch (offset) {
        case STATUS:
            return status();
        case EECD:
            return eeprom_.readEecd();
        case ICR: {
            const uint32_t causes = reg(ICR);  // reading acknowledges every cause
            reg(ICR) = 0;
            updateIrq();
            return causes;
        }
        case ICS:
            return reg(ICR);
        case IMC:
            return 0;
        default:
            break;
    }
    if (offset >= STATS_FIRST && offset <= STATS_LAST) {  // statistics clear on read
        const uint32_t value = reg(offset);
        reg(offset) = 0;
        return value;
    }
    return reg(offset);
}

void E1000::writeRegister(uint32_t offset, uint32_t value) {
    switch (offset) {
        case CTRL:
            if (value & kCtrlReset) {  // a software reset: registers back to power-on, self-clearing
                reset();
                return;
            }
            if ((value & kCtrlPhyReset) && !(reg(CTRL) & kCtrlPhyReset)) phy_ = phyDefaults();
            reg(CTRL) = value;
            return;
        case STATUS:
            return;  // read-only
        case EECD:
            eeprom_.writeEecd(value);
            return;
        case EERD:
            reg(EERD) = eeprom_.eerd(value);
            return;
        case CTRL_EXT:
            reg(CTRL_EXT) = value & ~kCtrlExtEepromReset;  // the EEPROM reload finishes at once
            return;
        case MDIC:
            phyAccess(value);
            return;
        case ICR:
            reg(ICR) &= ~value;  // write 1 to clear
            updateIrq();
            return;
        case ICS:
            raise(value);
            return;
        case IMS:
            reg(IMS) |= value;
            updateIrq();
            return;
        case IMC:
            reg(IMS) &= ~value;
            updateIrq();
            return;
        case RCTL:
            reg(RCTL) = value;
            deliverPending();
            return;
        case TCTL:
            reg(TCTL) = value;
            transmit();
            return;
        case RDBAL:
        case TDBAL:
            reg(offset) = value & ~0xfu;  // 16-byte aligned
            return;
        case RDLEN:
        case TDLEN:
            reg(offset) = value & 0xfff80;  // a multiple of 128 bytes (8 descriptors)
            return;
        case RDH:
        case TDH:
            reg(offset) = value & 0xffff;
            return;
        case RDT:
            reg(RDT) = value & 0xffff;
            deliverPending();
            return;
        case TDT:
            reg(TDT) = value & 0xffff;
            transmit();
            return;
        default:
            break;
    }
    if (offset >= STATS_FIRST && offset <= STATS_LAST) return;  // counters are read-only
    reg(offset) = value;
}

void E1000::raise(uint32_t causes) {
    reg(ICR) |= causes;
    updateIrq();
}

void E1000::updateIrq() {
    irq_.set((reg(ICR) & reg(IMS)) != 0 && !pci_.interruptDisabled());
}

void E1000::phyAccess(uint32_t mdic) {
    const unsigned phy = (mdic >> 21) & 0x1f, index = (mdic >> 16) & 0x1f, op = (mdic >> 26) & 3;
    uint32_t result = mdic & ~(kMdicReady | kMdicError);
    if (phy != kPhyAddress || (op != kMdicOpRead && op != kMdicOpWrite)) {
        result |= kMdicError;  // nothing answers there
    } else if (op == kMdicOpRead) {
        result = (result & ~0xffffu) | phy_[index];
    } else if (index == 0) {
        // Reset and restart are self-clearing; negotiation completes at once
        // with the link still up, which the driver learns from an LSC interrupt.
        phy_[0] = uint16_t(mdic) & ~(kPhyControlReset | kPhyControlRestartAutoneg);
        if (mdic & kPhyControlRestartAutoneg) raise(kIcrLsc);
    } else if (!phyReadOnly(index)) {
        phy_[index] = uint16_t(mdic);
    }
    reg(MDIC) = result | kMdicReady;
    if (mdic & kMdicInterrupt) raise(kIcrMdac);
}

// ---- Transmit ----

void E1000::transmit() {
    if (!(reg(TCTL) & kTctlEnable) || !pci_.busMasterEnabled()) return;
    const uint32_t count = reg(TDLEN) / kDescriptorBytes;
    // A head or tail outside the ring: the ring is stopped until the driver resets it.
    if (count == 0 || reg(TDH) >= count || reg(TDT) >= count) return;
    const uint64_t base = (uint64_t(reg(TDBAH)) << 32) | reg(TDBAL);
    bool processed = false;
    for (uint32_t n = 0; n < count && reg(TDH) != reg(TDT); ++n) {
        if (!transmitDescriptor(base + uint64_t(reg(TDH)) * kDescriptorBytes)) break;
        reg(TDH) = (reg(TDH) + 1) % count;
        processed = true;
    }
    if (processed) raise(kIcrTxdw | (reg(TDH) == reg(TDT) ? kIcrTxqe : 0));
}

// One descriptor at guest address `address`; false when it is not in RAM.
bool E1000::transmitDescriptor(uint64_t address) {
    std::array<uint8_t, kDescriptorBytes> d{};
    if (!bus_.readBlock(address, d)) return false;
    const uint8_t command = d[11];
    const bool extended = command & kCmdDext;
    const unsigned type = (d[10] >> 4) & 0xf;
    if (extended && type == 0) {  // context descriptor: offload parameters for the packets after it
        txContext_ = {d[0],
                      d[1],
                      le16(&d[2]),
                      d[4],
                      d[5],
                      le16(&d[6]),
                      le32(&d[8]) & 0xfffff,
                      d[13],
                      le16(&d[14]),
                      bool(command & kTucmdIp),
                      bool(command & kTucmdTcp)};
        txContextTse_ = command & kCmdTse;
    } else if (extended && type == 1) {  // data descriptor
        if (!tx_.started) {
            tx_.started = true;
            tx_.options = d[13];
            tx_.tse = (command & kCmdTse) && txContextTse_;
        }
        appendTxBuffer(le64(&d[0]), le32(&d[8]) & 0xfffff);
        if (command & kCmdEop) finishTxPacket();
    } else if (!extended) {  // legacy descriptor
        if (!tx_.started) {
            tx_.started = true;
            tx_.legacyChecksum = command & kCmdIc;
            tx_.cso = d[10];
            tx_.css = d[13];
        }
        appendTxBuffer(le64(&d[0]), le16(&d[8]));
        if (command & kCmdEop) finishTxPacket();
    }  // other extended types are reserved: skipped
    if (command & kCmdRs) {
        const uint8_t done = d[12] | kDescriptorDone;
        bus_.writeBlock(address + 12, std::span(&done, 1));
    }
    return true;
}

void E1000::appendTxBuffer(uint64_t address, uint32_t length) {
    if (tx_.broken || length == 0) return;
    if (tx_.bytes.size() + length > kMaxFrameBytes) {
        tx_.broken = true;
        return;
    }
    const size_t at = tx_.bytes.size();
    tx_.bytes.resize(at + length);
    if (!bus_.readBlock(address, std::span(tx_.bytes).subspan(at))) tx_.broken = true;
}

void E1000::finishTxPacket() {
    TxPacket packet = std::move(tx_);
    tx_ = {};
    if (packet.broken || packet.bytes.empty()) return;
    std::span<uint8_t> frame(packet.bytes);
    if (packet.tse) {
        e1000Segment(txContext_, frame, packet.options & kPoptsIxsm, packet.options & kPoptsTxsm,
                     [this](std::span<const uint8_t> segment) { send(segment); });
        return;
    }
    if (packet.legacyChecksum) {
        e1000InsertChecksum(frame, packet.cso, packet.css, 0);
    } else {
        if (packet.options & kPoptsIxsm)
            e1000InsertChecksum(frame, txContext_.ipcso, txContext_.ipcss, txContext_.ipcse);
        if (packet.options & kPoptsTxsm)
            e1000InsertChecksum(frame, txContext_.tucso, txContext_.tucss, txContext_.tucse);
    }
    send(frame);
}

void E1000::send(std::span<const uint8_t> frame) {
    ++reg(GPTC);
    ++reg(TPT);
    if (transmit_) transmit_(frame);
}

// ---- Receive ----

void E1000::receive(std::span<const uint8_t> frame) {
    if (!(reg(RCTL) & kRctlEnable) || !accepts(frame)) return;  // a stopped receiver drops, as on the wire
    if (pendingRx_.size() >= kMaxPendingRxFrames) {
        ++droppedRx_;  // the guest gives no buffers: TCP retransmits
        return;
    }
    pendingRx_.emplace_back(frame.begin(), frame.end());
    deliverPending();
}

bool E1000::accepts(std::span<const uint8_t> frame) const {
    if (frame.size() < 14) return false;
    const uint32_t rctl = reg(RCTL);
    if (frame.size() > kMaxNormalFrame && !(rctl & kRctlLongPackets)) return false;
    const uint8_t* dst = frame.data();
    const bool broadcast = std::all_of(dst, dst + 6, [](uint8_t b) { return b == 0xff; });
    const bool multicast = dst[0] & 1;
    if (broadcast) return rctl & (kRctlBroadcast | kRctlMulticastPromisc);
    if (multicast ? (rctl & kRctlMulticastPromisc) : (rctl & kRctlUnicastPromisc)) return true;
    for (unsigned i = 0; i < 16; ++i) {
        const uint32_t high = reg(RA + 8 * i + 4);
        if ((high & (1u << 31)) && le32(dst) == reg(RA + 8 * i) && le16(dst + 4) == (high & 0xffff))
            return true;
    }
    if (!multicast) return false;
    // The multicast table: 12 bits of the address chosen by RCTL.MO index 4096 bits.
    static constexpr unsigned kShift[4] = {4, 3, 2, 0};  // address bits 47:36, 46:35, 45:34, 43:32
    const unsigned shift = kShift[(rctl >> 12) & 3];
    const unsigned hash = ((dst[4] >> shift) | (unsigned(dst[5]) << (8 - shift))) & 0xfff;
    return (reg(MTA + 4 * (hash >> 5)) >> (hash & 31)) & 1;
}

uint32_t E1000::rxBufferSize() const {
    const unsigned code = (reg(RCTL) >> 16) & 3;
    if (reg(RCTL) & kRctlBsex) return code == 0 ? 2048 : 32768u >> code;  // 16 KiB, 8 KiB, 4 KiB
    return 2048u >> code;                                                 // 2 KiB, 1 KiB, 512, 256
}

void E1000::deliverPending() {
    while (!pendingRx_.empty() && deliver(pendingRx_.front())) pendingRx_.pop_front();
}

// Writes one frame into the receive ring; false when the ring cannot take it now.
bool E1000::deliver(const std::vector<uint8_t>& frame) {
    if (!(reg(RCTL) & kRctlEnable) || !pci_.busMasterEnabled()) return false;
    const uint32_t count = reg(RDLEN) / kDescriptorBytes;
    if (count == 0 || reg(RDH) >= count || reg(RDT) >= count) return false;
    const bool withFcs = !(reg(RCTL) & kRctlStripCrc);  // the FCS stays on, as Linux's e1000 expects
    const size_t bytes = std::max(frame.size(), kMinFrame) + (withFcs ? 4 : 0);
    const uint32_t bufferSize = rxBufferSize();
    const uint32_t needed = uint32_t((bytes + bufferSize - 1) / bufferSize);
    const uint32_t free = (reg(RDT) + count - reg(RDH)) % count;  // descriptors the driver gave us
    if (needed > free) return false;  // the frame waits for the driver to refill the ring
    std::vector<uint8_t> data(frame);
    data.resize(std::max(frame.size(), kMinFrame), 0);
    if (withFcs) {
        const uint32_t fcs = uint32_t(crc32(0, data.data(), uInt(data.size())));
        for (unsigned i = 0; i < 4; ++i) data.push_back(uint8_t(fcs >> (8 * i)));
    }
    const uint64_t base = (uint64_t(reg(RDBAH)) << 32) | reg(RDBAL);
    for (size_t at = 0; at < data.size(); at += bufferSize) {
        const uint64_t address = base + uint64_t(reg(RDH)) * kDescriptorBytes;
        std::array<uint8_t, kDescriptorBytes> d{};
        if (!bus_.readBlock(address, d)) {
            ++droppedRx_;  // the ring is not in RAM: the frame is lost
            return true;
        }
        const size_t piece = std::min<size_t>(bufferSize, data.size() - at);
        const bool last = at + piece == data.size();
        uint8_t errors = 0;
        if (!bus_.writeBlock(le64(&d[0]), std::span(data).subspan(at, piece))) errors = kRxDataError;
        const uint8_t writeback[8] = {uint8_t(piece),
                                      uint8_t(piece >> 8),
                                      0,
                                      0,
                                      uint8_t(kDescriptorDone | kRxIgnoreChecksum | (last ? kRxEop : 0)),
                                      errors,
                                      0,
                                      0};
        bus_.writeBlock(address + 8, writeback);
        reg(RDH) = (reg(RDH) + 1) % count;
    }
    ++reg(GPRC);
    ++reg(TPR);
    // Receive descriptor minimum threshold: 1/2, 1/4 or 1/8 of the ring left.
    const uint32_t left = free - needed;
    const unsigned rdmts = (reg(RCTL) >> 8) & 3;
    raise(kIcrRxt0 | (left <= (count >> (rdmts + 1)) ? kIcrRxdmt0 : 0));
    return true;
}

// ---- Network ----

void E1000::poll(std::chrono::milliseconds maxWait) {
    if (network_) network_->poll(maxWait);
    deliverPending();
}

void E1000::wake() {
    if (network_) network_->wake();
}

Status E1000::addHostForward(const net::HostForward& rule) {
    if (!network_) return makeError("this e1000 has no user-mode network");
    return network_->addHostForward(rule);
}

Status E1000::removeHostForward(const net::HostForward& rule) {
    if (!network_) return makeError("this e1000 has no user-mode network");
    return network_->removeHostForward(rule);
}

}  // namespace tessera::devices

// Specification: the mac99's e1000 (Intel 82540EM) as Linux's e1000 driver
// programs it — its PCI identity and BARs, the Microwire EEPROM with the MAC
// and the 0xbaba checksum, the M88 PHY behind MDIC, interrupt causes under
// the mask, frames through the transmit ring (legacy descriptors, checksum
// offload, TCP segmentation) and into the receive ring (with its FCS, through
// the address filter), and the same rings under hostile descriptors: nothing
// crashes, loops or touches memory outside guest RAM. The last case runs on
// a real slirp network.

#include "core/devices/e1000.h"

#include <zlib.h>

#include <QtTest>
#include <random>

#include "core/devices/uninorth_pci.h"
#include "guest_packets.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

constexpr Mac kGuestMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
constexpr Mac kOtherMac = {0x52, 0x54, 0x00, 0x65, 0x43, 0x21};
constexpr uint64_t kRam = 1 << 20;
constexpr uint64_t kTxRing = 0x1000, kRxRing = 0x2000, kTxBuffers = 0x10000, kRxBuffers = 0x40000;
constexpr uint32_t kRctlEnable = 1u << 1, kRctlUnicastPromisc = 1u << 3, kRctlBroadcast = 1u << 15,
                   kRctlStripCrc = 1u << 26;
constexpr uint8_t kEop = 0x01, kIfcs = 0x02, kTse = 0x04, kRs = 0x08, kDext = 0x20;
constexpr uint8_t kTucmdTcp = 0x01, kTucmdIp = 0x02;
constexpr uint8_t kIxsm = 0x01, kTxsm = 0x02;
constexpr uint8_t kDataType = 0x10;  // DTYP 1 in bits 23:20 (byte 10's high nibble)

using R = E1000;

// A guest driver in miniature: RAM, the NIC, the rings, what the NIC sent.
struct Rig {
    hw::MemoryBus bus;
    std::vector<std::vector<uint8_t>> sent;
    std::unique_ptr<E1000> nic;
    bool irq = false;

    explicit Rig(bool withSink = true) {
        bus.addRam(0, kRam);
        if (withSink)
            nic = std::make_unique<E1000>(bus, kGuestMac, [this](std::span<const uint8_t> f) {
                sent.emplace_back(f.begin(), f.end());
            });
    }
    void connect() {
        nic->irq().connect([this](bool level) { irq = level; });
        nic->pci().writeConfig(0x04, 2, 0x0007);  // I/O, memory, bus master
    }
    uint32_t rd(uint32_t r) { return uint32_t(nic->read(r, 4)); }
    void wr(uint32_t r, uint32_t v) { nic->write(r, 4, v); }
    void poke(uint64_t address, const std::vector<uint8_t>& bytes) {
        QVERIFY(bus.writeBlock(address, bytes));
    }
    std::vector<uint8_t> peek(uint64_t address, size_t n) {
        std::vector<uint8_t> out(n);
        if (!bus.readBlock(address, out)) qFatal("peek outside RAM");
        return out;
    }

    void setupTx(unsigned count = 8, uint64_t ring = kTxRing) {
        wr(R::TDBAL, uint32_t(ring));
        wr(R::TDBAH, 0);
        wr(R::TDLEN, count * 16);
        wr(R::TDH, 0);
        wr(R::TDT, 0);
        wr(R::TCTL, 1u << 1);
    }
    // A transmit descriptor: buffer, length (16 bits legacy, 20 extended), command byte, POPTS.
    void putTx(unsigned index, uint64_t buffer, uint32_t length, uint8_t command, uint8_t popts = 0) {
        Bytes d;
        for (int i = 0; i < 8; ++i) d.u8(uint8_t(buffer >> (8 * i)));
        const bool extended = command & kDext;
        d.u8(uint8_t(length)).u8(uint8_t(length >> 8));
        d.u8(extended ? uint8_t(kDataType | ((length >> 16) & 0xf)) : 0).u8(command);
        d.u8(0).u8(popts).u8(0).u8(0);
        poke(kTxRing + index * 16, d.data);
    }
    void putContext(unsigned index, const E1000TxContext& c, uint8_t tucmd) {
        Bytes d;
        d.u8(c.ipcss).u8(c.ipcso).u8(uint8_t(c.ipcse)).u8(uint8_t(c.ipcse >> 8));
        d.u8(c.tucss).u8(c.tucso).u8(uint8_t(c.tucse)).u8(uint8_t(c.tucse >> 8));
        d.u8(uint8_t(c.payloadLength))
            .u8(uint8_t(c.payloadLength >> 8))
            .u8(uint8_t((c.payloadLength >> 16) & 0xf));
        d.u8(tucmd | kDext).u8(0).u8(c.headerLength).u8(uint8_t(c.mss)).u8(uint8_t(c.mss >> 8));
        poke(kTxRing + index * 16, d.data);
    }
    uint8_t txStatus(unsigned index) { return peek(kTxRing + index * 16 + 12, 1)[0]; }

    void setupRx(unsigned count = 8, uint32_t rctl = kRctlEnable | kRctlBroadcast, uint64_t ring = kRxRing) {
        for (unsigned i = 0; i < count && ring + 16 * count <= kRam; ++i) {
            Bytes d;
            const uint64_t buffer = kRxBuffers + i * 2048;
            for (int b = 0; b < 8; ++b) d.u8(uint8_t(buffer >> (8 * b)));
            d.zeros(8);
            poke(ring + i * 16, d.data);
        }
        wr(R::RDBAL, uint32_t(ring));
        wr(R::RDLEN, count * 16);
        wr(R::RDH, 0);
        wr(R::RDT, 0);
        wr(R::RCTL, rctl);
        wr(R::RDT, count - 1);  // every descriptor but one handed to the NIC, as Linux does
    }
    // The receive descriptor's write-back: length, status, errors.
    struct RxDone {
        uint16_t length;
        uint8_t status, errors;
    };
    RxDone rxDone(unsigned index) {
        const std::vector<uint8_t> d = peek(kRxRing + index * 16 + 8, 8);
        return {uint16_t(d[0] | (d[1] << 8)), d[4], d[5]};
    }
};

std::vector<uint8_t> frameTo(const Mac& dst, size_t payloadBytes = 86) {
    std::vector<uint8_t> payload(payloadBytes);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = uint8_t(i * 7);
    return ethernet(dst, kOtherMac, 0x0800, payload);
}

// A guest TCP/IPv4 frame to the gateway as Linux hands it to the driver for
// offload: the TCP checksum field holds the pseudo-header sum (with the TCP
// length unless `forTso`, which also zeroes the IP length and checksum).
std::vector<uint8_t> offloadFrame(size_t payloadBytes, uint8_t flags, bool forTso) {
    std::vector<uint8_t> payload(payloadBytes);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = uint8_t(i * 13 + 5);
    std::vector<uint8_t> frame = ethernet(kOtherMac, kGuestMac, 0x0800,
                                          tcp(kGuestIp, kGatewayIp, 40000, 80, 5000, 77, flags, payload));
    const size_t tcpLength = frame.size() - 34;
    uint32_t seed = pseudoHeaderSum(kGuestIp, kGatewayIp, 6, forTso ? 0 : tcpLength);
    while (seed >> 16) seed = (seed & 0xffff) + (seed >> 16);
    frame[50] = uint8_t(seed >> 8);
    frame[51] = uint8_t(seed);
    if (forTso) frame[16] = frame[17] = frame[24] = frame[25] = 0;
    return frame;
}

bool ipChecksumValid(const std::vector<uint8_t>& frame) {
    return internetChecksum(std::vector<uint8_t>(frame.begin() + 14, frame.begin() + 34)) == 0;
}
bool tcpChecksumValid(const std::vector<uint8_t>& frame) {
    const std::vector<uint8_t> segment(frame.begin() + 34, frame.end());
    return internetChecksum(segment, pseudoHeaderSum(kGuestIp, kGatewayIp, 6, segment.size())) == 0;
}

// Reads a word by bit-banging EECD as Linux's e1000_read_eeprom does for an
// 82540 (Microwire: request, select, opcode 110, six address bits, 16 data bits).
uint16_t bitBangEepromWord(E1000& nic, unsigned address) {
    auto eecd = [&](uint32_t v) { nic.write(R::EECD, 4, v); };
    eecd(E1000Eeprom::kRequest);
    if (!(nic.read(R::EECD, 4) & E1000Eeprom::kGrant)) qFatal("EEPROM not granted");
    eecd(E1000Eeprom::kRequest | E1000Eeprom::kCs);
    auto shiftOut = [&](unsigned value, int bits) {
        for (int i = bits - 1; i >= 0; --i) {
            const uint32_t d =
                E1000Eeprom::kRequest | E1000Eeprom::kCs | (((value >> i) & 1) ? E1000Eeprom::kDi : 0);
            eecd(d);
            eecd(d | E1000Eeprom::kSk);
            eecd(d);
        }
    };
    shiftOut(0b110, 3);
    shiftOut(address, 6);
    uint16_t word = 0;
    for (int i = 0; i < 16; ++i) {
        eecd(E1000Eeprom::kRequest | E1000Eeprom::kCs | E1000Eeprom::kSk);
        word = uint16_t((word << 1) | ((nic.read(R::EECD, 4) & E1000Eeprom::kDo) ? 1 : 0));
        eecd(E1000Eeprom::kRequest | E1000Eeprom::kCs);
    }
    eecd(0);
    return word;
}

uint32_t mdic(E1000& nic, unsigned op, unsigned phy, unsigned reg, uint16_t data = 0) {
    nic.write(R::MDIC, 4, (op << 26) | (phy << 21) | (reg << 16) | data);
    return uint32_t(nic.read(R::MDIC, 4));
}
constexpr uint32_t kMdicReady = 1u << 28, kMdicError = 1u << 30;

}  // namespace

class E1000Test : public QObject {
    Q_OBJECT
private slots:
    void presentsItselfOnPciAsQemusE1000() {
        Rig rig;
        PciFunction& pci = rig.nic->pci();
        QCOMPARE(pci.readConfig(0x00, 4), 0x100e8086u);
        QCOMPARE(pci.readConfig(0x08, 4), 0x02000003u);  // Ethernet controller, revision 3
        QCOMPARE(pci.readConfig(0x3d, 1), 1u);           // INTA#
        pci.writeConfig(0x10, 4, 0xffffffff);
        QCOMPARE(pci.readConfig(0x10, 4), 0xfffe0000u);  // 128 KiB of memory
        pci.writeConfig(0x14, 4, 0xffffffff);
        QCOMPARE(pci.readConfig(0x14, 4), 0xffffffc1u);  // 64 bytes of I/O space
        // Uni-North rotates INTA# by slot: slot 14 drives OpenPIC input 29 (QEMU's, OpenBIOS's map).
        QCOMPARE(UniNorthPci::interruptSource(14, 1), 29u);
        QCOMPARE(UniNorthPci::interruptSource(13, 1), 28u);
        QCOMPARE(UniNorthPci::interruptSource(15, 2), 27u);
    }
    void theIoBarReachesTheRegistersThroughTheBridgeAndResetsTheChip() {
        Rig rig;
        rig.connect();
        UniNorthPci bridge;
        bridge.attach(14 << 3, &rig.nic->pci());
        rig.nic->pci().writeConfig(0x14, 4, 0x1000);
        hw::MmioDevice& io = bridge.ioWindow();
        io.write(0x1000, 4, R::IMS);  // IOADDR
        io.write(0x1004, 4, 0x9d);    // IODATA
        QCOMPARE(rig.rd(R::IMS), 0x9du);
        QCOMPARE(uint32_t(io.read(0x1004, 4)), 0x9du);
        rig.nic->pci().writeConfig(0x04, 2, 0x0006);  // I/O decoding off: the port is gone
        QCOMPARE(io.read(0x1004, 4), uint64_t(0xffffffff));  // an unclaimed port, as QEMU's
        rig.nic->pci().writeConfig(0x04, 2, 0x0007);
        // Linux resets an 82540 with CTRL.RST written through the I/O window.
        io.write(0x1000, 4, R::CTRL);
        io.write(0x1004, 4, rig.rd(R::CTRL) | (1u << 26));
        QCOMPARE(rig.rd(R::IMS), 0u);
        QVERIFY(!(rig.rd(R::CTRL) & (1u << 26)));  // self-clearing
        QCOMPARE(rig.rd(R::RA), 0x12005452u);      // the EEPROM's MAC, reloaded
        QCOMPARE(rig.rd(R::RA + 4), 0x80005634u);  // ...and marked valid
    }
    void theEepromHoldsTheMacAndChecksumsToBaba() {
        Rig rig;
        uint16_t sum = 0;
        std::vector<uint16_t> words;
        for (unsigned i = 0; i < 64; ++i) {
            words.push_back(bitBangEepromWord(*rig.nic, i));
            sum = uint16_t(sum + words.back());
        }
        QCOMPARE(sum, uint16_t(0xbaba));  // e1000_validate_eeprom_checksum
        QCOMPARE(words[0], uint16_t(0x5452));
        QCOMPARE(words[1], uint16_t(0x1200));
        QCOMPARE(words[2], uint16_t(0x5634));
        QCOMPARE(words[0x0d], uint16_t(0x100e));
        QCOMPARE(words[0x0e], uint16_t(0x8086));
        // EERD reads the same words in one access.
        rig.wr(R::EERD, (0x0d << 8) | 1);
        QCOMPARE(rig.rd(R::EERD), (0x100eu << 16) | (1u << 4) | (0x0d << 8));
    }
    void thePhyAnswersAtAddressOneAsAnM88WithTheLinkUp() {
        Rig rig;
        rig.connect();
        QCOMPARE(mdic(*rig.nic, 2, 1, 2), kMdicReady | (1u << 27) | (1u << 21) | (2u << 16) | 0x0141);
        QCOMPARE(mdic(*rig.nic, 2, 1, 3) & 0xffff, 0x0c20u);
        QVERIFY(mdic(*rig.nic, 2, 1, 1) & 0x0004);      // BMSR: link up
        QVERIFY(mdic(*rig.nic, 2, 2, 2) & kMdicError);  // no PHY at address 2
        QCOMPARE(mdic(*rig.nic, 1, 1, 4, 0x0de1) & kMdicError, 0u);
        QCOMPARE(mdic(*rig.nic, 2, 1, 4) & 0xffff, 0x0de1u);
        mdic(*rig.nic, 1, 1, 2, 0xdead);  // the ID is read-only
        QCOMPARE(mdic(*rig.nic, 2, 1, 2) & 0xffff, 0x0141u);
        // Restarting auto-negotiation completes at once; reset and restart clear themselves.
        rig.wr(R::IMS, R::kIcrLsc);
        mdic(*rig.nic, 1, 1, 0, 0x8000 | 0x1000 | 0x0200);
        QVERIFY(rig.irq);
        QCOMPARE(rig.rd(R::ICR), R::kIcrLsc);
        QCOMPARE(mdic(*rig.nic, 2, 1, 0) & 0xffff, 0x1000u);
        QCOMPARE(rig.rd(R::STATUS) & 0x3c3u, 0x283u);  // link up, 1000 Mb/s, full duplex
    }
    void interruptsFollowTheCausesUnderTheMask() {
        Rig rig;
        rig.connect();
        rig.wr(R::ICS, R::kIcrRxt0);
        QVERIFY(!rig.irq);  // masked
        rig.wr(R::IMS, R::kIcrRxt0 | R::kIcrTxdw);
        QVERIFY(rig.irq);
        rig.wr(R::IMC, R::kIcrRxt0);
        QVERIFY(!rig.irq);
        QCOMPARE(rig.rd(R::IMS), R::kIcrTxdw);
        rig.wr(R::IMS, R::kIcrRxt0);
        QVERIFY(rig.irq);
        rig.nic->pci().writeConfig(0x04, 2, 0x0407);  // PCI "interrupt disable"
        rig.wr(R::ICS, R::kIcrTxdw);
        QVERIFY(!rig.irq);
        rig.nic->pci().writeConfig(0x04, 2, 0x0007);
        QCOMPARE(rig.rd(R::ICR), R::kIcrRxt0 | R::kIcrTxdw);  // reading acknowledges...
        QVERIFY(!rig.irq);
        QCOMPARE(rig.rd(R::ICR), 0u);  // ...everything
        rig.wr(R::ICS, R::kIcrRxt0 | R::kIcrTxdw);
        rig.wr(R::ICR, R::kIcrRxt0);  // writing 1 clears that cause
        QCOMPARE(rig.rd(R::ICS), R::kIcrTxdw);
    }
    void aLegacyDescriptorSendsAFrameAndReportsItDone() {
        Rig rig;
        rig.connect();
        rig.setupTx();
        const std::vector<uint8_t> frame = frameTo(kOtherMac);
        rig.poke(kTxBuffers, frame);
        rig.putTx(0, kTxBuffers, uint32_t(frame.size()), kEop | kIfcs | kRs);
        rig.wr(R::IMS, R::kIcrTxdw);
        rig.wr(R::TDT, 1);
        QCOMPARE(rig.sent.size(), size_t(1));
        QVERIFY(rig.sent[0] == frame);
        QCOMPARE(rig.txStatus(0), uint8_t(1));  // DD
        QCOMPARE(rig.rd(R::TDH), 1u);
        QVERIFY(rig.irq);
        QCOMPARE(rig.rd(R::ICR), R::kIcrTxdw | R::kIcrTxqe);
        QCOMPARE(rig.rd(R::GPTC), 1u);
        QCOMPARE(rig.rd(R::GPTC), 0u);  // statistics clear on read
    }
    void aFrameOverSeveralDescriptorsLeavesAtItsEop() {
        Rig rig;
        rig.connect();
        rig.setupTx();
        const std::vector<uint8_t> frame = frameTo(kOtherMac, 1400);
        rig.poke(kTxBuffers, std::vector<uint8_t>(frame.begin(), frame.begin() + 100));
        rig.poke(kTxBuffers + 0x1000, std::vector<uint8_t>(frame.begin() + 100, frame.end()));
        rig.putTx(0, kTxBuffers, 100, kDext);
        rig.putTx(1, kTxBuffers + 0x1000, uint32_t(frame.size() - 100), kDext | kEop | kRs);
        rig.wr(R::TDT, 1);
        QVERIFY(rig.sent.empty());  // no EOP yet
        rig.wr(R::TDT, 2);
        QCOMPARE(rig.sent.size(), size_t(1));
        QVERIFY(rig.sent[0] == frame);
    }
    void checksumOffloadFillsInTheTcpChecksum() {
        Rig rig;
        rig.connect();
        rig.setupTx();
        const std::vector<uint8_t> frame = offloadFrame(333, kAck | kPsh, false);
        QVERIFY(!tcpChecksumValid(frame));
        rig.poke(kTxBuffers, frame);
        E1000TxContext context;
        context.tucss = 34;
        context.tucso = 50;  // Linux's e1000_tx_csum: start and field, to the end
        rig.putContext(0, context, kTucmdTcp);
        rig.putTx(1, kTxBuffers, uint32_t(frame.size()), kDext | kEop | kRs, kTxsm);
        rig.wr(R::TDT, 2);
        QCOMPARE(rig.sent.size(), size_t(1));
        QVERIFY(tcpChecksumValid(rig.sent[0]));
        QVERIFY(ipChecksumValid(rig.sent[0]));
    }
    void tcpSegmentationSplitsAtTheMssWithHeadersFixedUp() {
        Rig rig;
        rig.connect();
        rig.setupTx();
        const std::vector<uint8_t> packet = offloadFrame(2500, kAck | kPsh | kFin, true);
        rig.poke(kTxBuffers, std::vector<uint8_t>(packet.begin(), packet.begin() + 54));
        rig.poke(kTxBuffers + 0x1000, std::vector<uint8_t>(packet.begin() + 54, packet.end()));
        // As Linux's e1000_tso describes it: IP checksum over the IP header,
        // TCP from its header to the end, 54 bytes of headers, MSS 1000.
        E1000TxContext context{14, 24, 33, 34, 50, 0, 2500, 54, 1000, true, true};
        rig.putContext(0, context, kTucmdTcp | kTucmdIp | kTse);
        rig.putTx(1, kTxBuffers, 54, kDext | kTse, kIxsm | kTxsm);
        rig.putTx(2, kTxBuffers + 0x1000, 2500, kDext | kTse | kEop | kRs);
        rig.wr(R::TDT, 3);
        QCOMPARE(rig.sent.size(), size_t(3));
        std::vector<uint8_t> data;
        for (size_t i = 0; i < 3; ++i) {
            const std::vector<uint8_t>& f = rig.sent[i];
            const size_t bytes = i < 2 ? 1000 : 500;
            QCOMPARE(f.size(), 54 + bytes);
            QCOMPARE(be16(&f[16]), uint16_t(40 + bytes));       // IP total length
            QCOMPARE(be16(&f[18]), uint16_t(0x1234 + i));       // IP identification
            QCOMPARE(be32(&f[38]), uint32_t(5000 + 1000 * i));  // TCP sequence number
            QCOMPARE(f[47] & (kFin | kPsh), i < 2 ? 0 : kFin | kPsh);
            QVERIFY2(ipChecksumValid(f), qPrintable(QString("segment %1").arg(i)));
            QVERIFY2(tcpChecksumValid(f), qPrintable(QString("segment %1").arg(i)));
            data.insert(data.end(), f.begin() + 54, f.end());
        }
        QVERIFY(data == std::vector<uint8_t>(packet.begin() + 54, packet.end()));
    }
    void aReceivedFrameLandsInTheRingWithItsFcs() {
        Rig rig;
        rig.connect();
        rig.setupRx();
        rig.wr(R::IMS, R::kIcrRxt0);
        const std::vector<uint8_t> frame = frameTo(kGuestMac, 200);
        rig.nic->receive(frame);
        const Rig::RxDone done = rig.rxDone(0);
        QCOMPARE(done.length, uint16_t(frame.size() + 4));  // Linux's e1000 strips the FCS itself
        QCOMPARE(done.status, uint8_t(0x07));               // DD, EOP, ignore checksum indication
        QCOMPARE(done.errors, uint8_t(0));
        std::vector<uint8_t> expected = frame;
        const uint32_t fcs = uint32_t(crc32(0, frame.data(), uInt(frame.size())));  // Ethernet's CRC-32
        for (int i = 0; i < 4; ++i) expected.push_back(uint8_t(fcs >> (8 * i)));
        QVERIFY(rig.peek(kRxBuffers, done.length) == expected);
        QCOMPARE(rig.rd(R::RDH), 1u);
        QVERIFY(rig.irq);
        // Short frames are padded to the Ethernet minimum; with RCTL.SECRC no FCS.
        rig.wr(R::RCTL, kRctlEnable | kRctlStripCrc);
        rig.nic->receive(ethernet(kGuestMac, kOtherMac, 0x0806, std::vector<uint8_t>(28, 1)));
        QCOMPARE(rig.rxDone(1).length, uint16_t(60));
    }
    void theReceiveFilterTakesItsAddressBroadcastAndHashedMulticast() {
        Rig rig;
        rig.connect();
        rig.setupRx(8, kRctlEnable);
        rig.nic->receive(frameTo(kOtherMac));
        rig.nic->receive(frameTo(kBroadcastMac));  // broadcast needs RCTL.BAM
        const Mac multicast = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
        rig.nic->receive(frameTo(multicast));
        QCOMPARE(rig.rd(R::RDH), 0u);
        // Linux's hash with RCTL.MO = 0: address bits 47:36 pick one of 4096 MTA bits.
        const unsigned hash = ((multicast[4] >> 4) | (multicast[5] << 4)) & 0xfff;
        rig.wr(R::MTA + 4 * (hash >> 5), 1u << (hash & 31));
        rig.nic->receive(frameTo(multicast));
        QCOMPARE(rig.rd(R::RDH), 1u);
        rig.wr(R::RCTL, kRctlEnable | kRctlBroadcast);
        rig.nic->receive(frameTo(kBroadcastMac));
        rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.rd(R::RDH), 3u);
        rig.wr(R::RCTL, kRctlEnable | kRctlUnicastPromisc);
        rig.nic->receive(frameTo(kOtherMac));
        QCOMPARE(rig.rd(R::RDH), 4u);
        rig.wr(R::RCTL, kRctlEnable | kRctlBroadcast);
        rig.nic->receive(frameTo(kGuestMac, 1600));  // longer than 1518 bytes without RCTL.LPE
        QCOMPARE(rig.rd(R::RDH), 4u);
    }
    void framesWaitForReceiveBuffersAndTheWaitIsBounded() {
        Rig rig;
        rig.connect();
        rig.setupRx(8);
        rig.wr(R::RDT, 0);  // the driver has given no buffers
        rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.rd(R::RDH), 0u);
        rig.wr(R::RDT, 2);  // refilled: the waiting frame goes in
        QCOMPARE(rig.rd(R::RDH), 1u);
        QCOMPARE(rig.rxDone(0).status & 1, 1);
        rig.wr(R::RDT, 1);
        for (size_t i = 0; i < E1000::kMaxPendingRxFrames + 10; ++i) rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.nic->droppedRxFrames(), uint64_t(10));
    }
    void hostileTransmitDescriptorsAreBounded() {
        Rig rig;
        rig.connect();
        rig.setupTx();
        // Zero length, with EOP: nothing to send, the descriptor is still done.
        rig.putTx(0, kTxBuffers, 0, kEop | kRs);
        // A 1 MiB extended length: more than any frame, dropped.
        rig.putTx(1, kTxBuffers, 0xfffff, kDext | kEop | kRs);
        // A buffer outside RAM.
        rig.putTx(2, 0xfff00000, 64, kEop | kRs);
        // A buffer running off the end of RAM.
        rig.putTx(3, kRam - 16, 64, kEop | kRs);
        rig.wr(R::TDT, 4);
        QVERIFY(rig.sent.empty());
        QCOMPARE(rig.rd(R::TDH), 4u);
        for (unsigned i = 0; i < 4; ++i) QCOMPARE(rig.txStatus(i) & 1, 1);
        // Descriptors that never end a frame: a whole ring of them, grown past the
        // largest frame, are processed once and dropped at the EOP that follows.
        rig.setupTx(64);
        for (unsigned i = 0; i < 63; ++i) rig.putTx(i, kTxBuffers, 0xffff, 0);
        rig.wr(R::TDT, 63);
        QCOMPARE(rig.rd(R::TDH), 63u);
        rig.putTx(63, kTxBuffers, 60, kEop);
        rig.wr(R::TDT, 0);
        QVERIFY(rig.sent.empty());
        rig.putTx(0, kTxBuffers, 60, kEop);
        rig.wr(R::TDT, 1);
        QCOMPARE(rig.sent.size(), size_t(1));  // the next frame is whole again
    }
    void hostileRingsStopTheRingInsteadOfReachingOutsideRam() {
        Rig rig;
        rig.connect();
        rig.setupTx(8, 0x40000000);  // a ring outside RAM
        rig.wr(R::TDT, 3);
        QCOMPARE(rig.rd(R::TDH), 0u);
        rig.setupTx(8, kRam - 32);  // a ring whose third descriptor is past the end of RAM
        rig.putTx(0, kTxBuffers, 60, kEop);
        rig.poke(kRam - 32, rig.peek(kTxRing, 16));
        rig.poke(kRam - 16, rig.peek(kTxRing, 16));
        rig.wr(R::TDT, 5);
        QCOMPARE(rig.rd(R::TDH), 2u);
        QCOMPARE(rig.sent.size(), size_t(2));
        // Head or tail beyond the ring: nothing moves.
        rig.setupTx(8);
        rig.putTx(0, kTxBuffers, 60, kEop);
        rig.wr(R::TDT, 8);
        rig.wr(R::TDT, 0xffff);
        rig.wr(R::TDH, 9);
        rig.wr(R::TDT, 1);
        QCOMPARE(rig.rd(R::TDH), 9u);
        QCOMPARE(rig.sent.size(), size_t(2));
        // No bus mastering: no DMA at all.
        rig.setupTx(8);
        rig.nic->pci().writeConfig(0x04, 2, 0x0003);
        rig.wr(R::TDT, 1);
        QCOMPARE(rig.rd(R::TDH), 0u);
        // Receive: a ring outside RAM loses the frame (no endless retry), a
        // buffer outside RAM is reported as a receive error.
        rig.nic->pci().writeConfig(0x04, 2, 0x0007);
        rig.setupRx(8, kRctlEnable | kRctlBroadcast, 0x40000000);
        rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.nic->droppedRxFrames(), uint64_t(1));
        rig.setupRx(8);
        rig.poke(kRxRing, Bytes().u32(0).u32(0xf0).data);  // buffer 0xf0000000 (little-endian)
        rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.rxDone(0).errors, uint8_t(0x80));
        QCOMPARE(rig.rd(R::RDH), 1u);
        rig.wr(R::RDT, 9);  // a tail beyond the ring: nothing is written
        rig.nic->receive(frameTo(kGuestMac));
        QCOMPARE(rig.rd(R::RDH), 1u);
    }
    void hostileOffloadContextsNeverWriteOutsideTheFrame() {
        const std::vector<uint8_t> packet = offloadFrame(300, kAck, true);
        std::vector<std::vector<uint8_t>> out;
        auto collect = [&](std::span<const uint8_t> f) { out.emplace_back(f.begin(), f.end()); };
        E1000TxContext zeroMss{14, 24, 33, 34, 50, 0, 300, 54, 0, true, true};
        QVERIFY(!e1000Segment(zeroMss, packet, true, true, collect));
        E1000TxContext headerPastPacket{14, 24, 33, 34, 50, 0, 300, 255, 100, true, true};
        QVERIFY(!e1000Segment(headerPastPacket, std::span(packet).first(200), true, true, collect));
        E1000TxContext fieldsPastHeader{14, 24, 33, 250, 252, 0, 300, 54, 100, true, true};
        QVERIFY(!e1000Segment(fieldsPastHeader, packet, true, true, collect));
        QVERIFY(out.empty());
        E1000TxContext oneByte{14, 24, 33, 34, 50, 0, 300, 54, 1, true, true};
        QVERIFY(e1000Segment(oneByte, packet, true, true, collect));
        QCOMPARE(out.size(), size_t(300));
        // Checksum offsets at or past the end are ignored.
        std::vector<uint8_t> frame(packet);
        e1000InsertChecksum(frame, uint32_t(frame.size() - 1), 0, 0);
        e1000InsertChecksum(frame, 0, uint32_t(frame.size()), 0);
        QVERIFY(frame == packet);
    }
    void oddRegisterAccessesReadZeroAndChangeNothing() {
        Rig rig;
        QCOMPARE(rig.nic->read(R::STATUS + 1, 1), uint64_t(0));
        QCOMPARE(rig.nic->read(R::STATUS, 2), uint64_t(0));
        QCOMPARE(rig.nic->read(E1000::kRegisterBytes, 4), uint64_t(0));
        rig.nic->write(R::IMS, 2, 0xffff);
        rig.nic->write(R::IMS + 2, 4, 0xffff);
        QCOMPARE(rig.rd(R::IMS), 0u);
        QCOMPARE(rig.nic->ioPort().read(8, 4), uint64_t(0));
    }
    void randomRegisterWritesOverRandomRamLeaveAWorkingNic() {
        Rig rig;
        rig.connect();
        std::mt19937_64 random(14);
        std::vector<uint8_t> noise(kRam);
        for (uint8_t& b : noise) b = uint8_t(random());
        for (size_t at = 0; at < kRam; at += 32) {  // every other 16 bytes a buffer address in RAM (mostly)
            const uint64_t address = random() % (kRam + 4096);
            for (int i = 0; i < 8; ++i) noise[at + i] = uint8_t(address >> (8 * i));
        }
        rig.poke(0, noise);  // descriptors, buffers and rings are whatever the bytes say
        const uint32_t registers[] = {R::CTRL,  R::EECD, R::EERD,   R::MDIC,  R::ICR,   R::ICS,
                                      R::IMS,   R::IMC,  R::RCTL,   R::TCTL,  R::RDBAL, R::RDBAH,
                                      R::RDLEN, R::RDH,  R::RDT,    R::TDBAL, R::TDBAH, R::TDLEN,
                                      R::TDH,   R::TDT,  R::RA + 4, R::MTA};
        for (int i = 0; i < 20000; ++i) {
            const uint32_t r = (i % 8 == 0) ? uint32_t(random() % E1000::kRegisterBytes) & ~3u
                                            : registers[random() % std::size(registers)];
            uint32_t value = uint32_t(random());
            if (r == R::CTRL) value &= ~(1u << 26);              // resets are tested elsewhere
            if (r == R::TDLEN || r == R::RDLEN) value &= 0xfff;  // rings of up to 255 descriptors
            if (r == R::RDBAL || r == R::TDBAL) value &= (i % 4) ? 0xfffff : 0xffffffff;
            if (r == R::RDBAH || r == R::TDBAH) value = (i % 16) ? 0 : value;  // above 4 GiB: rarely
            if (r == R::TDH || r == R::TDT || r == R::RDH || r == R::RDT)
                value %= 300;                                    // in and beyond the ring
            if (r == R::TCTL || r == R::RCTL) value |= 1u << 1;  // mostly enabled
            rig.wr(r, value);
            if (i % 16 == 0) rig.nic->receive(frameTo(i % 32 ? kGuestMac : kBroadcastMac, random() % 2000));
            rig.rd(registers[random() % std::size(registers)]);
        }
        QVERIFY(rig.sent.size() > 100);  // the noise did make frames
        rig.wr(R::CTRL, 1u << 26);       // reset: it works like new
        rig.sent.clear();
        rig.setupTx();
        const std::vector<uint8_t> frame = frameTo(kOtherMac);
        rig.poke(kTxBuffers, frame);
        rig.putTx(0, kTxBuffers, uint32_t(frame.size()), kEop | kRs);
        rig.wr(R::TDT, 1);
        QCOMPARE(rig.sent.size(), size_t(1));
        QVERIFY(rig.sent[0] == frame);
    }
    void onSlirpAGuestArpRequestIsAnsweredIntoTheReceiveRing() {
        Rig rig(false);
        auto nic = E1000::createOnSlirp(rig.bus, kGuestMac, net::SlirpOptions{});
        QVERIFY2(nic, nic ? "" : nic.message().c_str());
        rig.nic = std::move(*nic);
        rig.connect();
        rig.setupRx();
        rig.setupTx();
        const std::vector<uint8_t> request =
            ethernet(kBroadcastMac, kGuestMac, 0x0806, arp(1, kGuestMac, kGuestIp, {}, kGatewayIp));
        rig.poke(kTxBuffers, request);
        rig.putTx(0, kTxBuffers, uint32_t(request.size()), kEop | kIfcs | kRs);
        rig.wr(R::TDT, 1);
        for (int i = 0; i < 100 && rig.rd(R::RDH) == 0; ++i) rig.nic->poll(std::chrono::milliseconds(10));
        QCOMPARE(rig.rd(R::RDH), 1u);
        const Rig::RxDone done = rig.rxDone(0);
        auto reply = parseFrame(rig.peek(kRxBuffers, done.length - 4));
        QVERIFY(reply && reply->type == 0x0806 && reply->arpOperation == 2);
        QVERIFY(reply->arpSenderIp == kGatewayIp);
        QVERIFY(reply->dst == kGuestMac);
    }
};

QTEST_GUILESS_MAIN(E1000Test)
#include "e1000_test.moc"

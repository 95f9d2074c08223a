// The 32-bit PowerPC registers as GDB numbers them in its builtin features
// org.gnu.gdb.power.core (r0..r31 = 0..31, pc 64, msr 65, cr 66, lr 67,
// ctr 68, xer 69) and org.gnu.gdb.power.fpu (f0..f31 = 32..63, fpscr 70), as
// GDB's powerpc-32 description has them; big-endian.

#include "core/cpu/ppc/engine_factory.h"
#include "core/debug/gdb_arch.h"

namespace tessera::debug {

namespace {

constexpr unsigned kFirstFpr = 32, kPc = 64, kMsr = 65, kCr = 66, kLr = 67, kCtr = 68, kXer = 69, kFpscr = 70;

std::string buildXml() {
    std::string xml =
        "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
        "<architecture>powerpc:common</architecture><feature name=\"org.gnu.gdb.power.core\">";
    for (unsigned i = 0; i < 32; ++i)
        xml += "<reg name=\"r" + std::to_string(i) + "\" bitsize=\"32\" type=\"uint32\" regnum=\"" +
               std::to_string(i) + "\"/>";
    xml +=
        "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"64\"/>"
        "<reg name=\"msr\" bitsize=\"32\" type=\"uint32\" regnum=\"65\"/>"
        "<reg name=\"cr\" bitsize=\"32\" type=\"uint32\" regnum=\"66\"/>"
        "<reg name=\"lr\" bitsize=\"32\" type=\"code_ptr\" regnum=\"67\"/>"
        "<reg name=\"ctr\" bitsize=\"32\" type=\"uint32\" regnum=\"68\"/>"
        "<reg name=\"xer\" bitsize=\"32\" type=\"uint32\" regnum=\"69\"/></feature>"
        "<feature name=\"org.gnu.gdb.power.fpu\">";
    for (unsigned i = 0; i < 32; ++i)
        xml += "<reg name=\"f" + std::to_string(i) + "\" bitsize=\"64\" type=\"ieee_double\" regnum=\"" +
               std::to_string(kFirstFpr + i) + "\"/>";
    xml += "<reg name=\"fpscr\" bitsize=\"32\" group=\"float\" regnum=\"70\"/></feature></target>";
    return xml;
}

class Ppc32GdbArch final : public GdbArch {
public:
    const std::string& targetXml() const override { return xml_; }
    const std::vector<unsigned>& gPacketRegisters() const override { return gPacket_; }

    std::vector<uint8_t> readRegister(cpu::CpuEngine& engine, unsigned regnum) const override {
        const ppc::CpuState& s = ppc::cpuOf(engine).s;
        if (regnum < 32) return bigEndianBytes(s.gpr[regnum], 4);
        if (regnum < kPc) return bigEndianBytes(s.fpr[regnum - kFirstFpr], 8);
        switch (regnum) {
            case kPc:
                return bigEndianBytes(s.pc, 4);
            case kMsr:
                return bigEndianBytes(s.msr, 4);
            case kCr:
                return bigEndianBytes(s.cr, 4);
            case kLr:
                return bigEndianBytes(s.lr, 4);
            case kCtr:
                return bigEndianBytes(s.ctr, 4);
            case kXer:
                return bigEndianBytes(s.xer, 4);
            case kFpscr:
                return bigEndianBytes(s.fpscr, 4);
            default:
                return {};
        }
    }

    bool writeRegister(cpu::CpuEngine& engine, unsigned regnum,
                       std::span<const uint8_t> bytes) const override {
        ppc::Cpu& cpu = ppc::cpuOf(engine);
        ppc::CpuState& s = cpu.s;
        const unsigned size = regnum >= kFirstFpr && regnum < kPc ? 8 : 4;
        if (regnum > kFpscr || bytes.size() != size) return false;
        const uint64_t value = fromBigEndian(bytes);
        const auto word = static_cast<uint32_t>(value);
        if (regnum < 32) {
            s.gpr[regnum] = word;
            return true;
        }
        if (regnum < kPc) {
            s.fpr[regnum - kFirstFpr] = value;
            return true;
        }
        switch (regnum) {
            case kPc:
                s.pc = word & ~3u;
                break;
            case kMsr:
                cpu.writeMsr(word);
                break;  // the implemented bits; translation caches follow
            case kCr:
                s.cr = word;
                break;
            case kLr:
                s.lr = word;
                break;
            case kCtr:
                s.ctr = word;
                break;
            case kXer:
                s.xer = word;
                break;
            case kFpscr:
                s.fpscr = word;
                break;
        }
        return true;
    }

    void setPc(cpu::CpuEngine& engine, uint64_t pc) const override {
        writeRegister(engine, kPc, bigEndianBytes(pc, 4));
    }

private:
    std::string xml_ = buildXml();
    std::vector<unsigned> gPacket_ = [] {
        std::vector<unsigned> order;
        for (unsigned i = 0; i <= kFpscr; ++i) order.push_back(i);
        return order;
    }();
};

}  // namespace

std::unique_ptr<GdbArch> makePpc32GdbArch() {
    return std::make_unique<Ppc32GdbArch>();
}

}  // namespace tessera::debug

// The RV64GC registers as GDB numbers them in its builtin features
// org.gnu.gdb.riscv.cpu (x0..x31 = 0..31, pc = 32) and org.gnu.gdb.riscv.fpu
// (f0..f31 = 33..64, fflags 66, frm 67, fcsr 68), little-endian.

#include "core/cpu/riscv/engine_factory.h"
#include "core/debug/gdb_arch.h"

namespace tessera::debug {

namespace {

constexpr unsigned kPc = 32, kFirstFpr = 33, kFflags = 66, kFrm = 67, kFcsr = 68;

const char* const kGprNames[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char* const kFprNames[32] = {"ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
                                   "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
                                   "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
                                   "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

std::string buildXml() {
    std::string xml =
        "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
        "<architecture>riscv:rv64</architecture><feature name=\"org.gnu.gdb.riscv.cpu\">";
    for (unsigned i = 0; i < 32; ++i)
        xml += std::string("<reg name=\"") + kGprNames[i] + "\" bitsize=\"64\" type=\"" +
               (i == 1             ? "code_ptr"
                : i == 2 || i == 8 ? "data_ptr"
                                   : "int") +
               "\" regnum=\"" + std::to_string(i) + "\"/>";
    xml +=
        "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/></feature>"
        "<feature name=\"org.gnu.gdb.riscv.fpu\">";
    for (unsigned i = 0; i < 32; ++i)
        xml += std::string("<reg name=\"") + kFprNames[i] +
               "\" bitsize=\"64\" type=\"ieee_double\" regnum=\"" + std::to_string(kFirstFpr + i) + "\"/>";
    xml +=
        "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" regnum=\"66\"/>"
        "<reg name=\"frm\" bitsize=\"32\" type=\"int\" regnum=\"67\"/>"
        "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" regnum=\"68\"/></feature></target>";
    return xml;
}

class Riscv64GdbArch final : public GdbArch {
public:
    const std::string& targetXml() const override { return xml_; }
    const std::vector<unsigned>& gPacketRegisters() const override { return gPacket_; }

    std::vector<uint8_t> readRegister(cpu::CpuEngine& engine, unsigned regnum) const override {
        const riscv::HartState& s = riscv::hartOf(engine).state();
        if (regnum == 0) return littleEndianBytes(0, 8);
        if (regnum < 32) return littleEndianBytes(s.x[regnum], 8);
        if (regnum == kPc) return littleEndianBytes(s.pc, 8);
        if (regnum >= kFirstFpr && regnum < kFirstFpr + 32)
            return littleEndianBytes(s.f[regnum - kFirstFpr], 8);
        if (regnum == kFflags) return littleEndianBytes(s.fflags, 4);
        if (regnum == kFrm) return littleEndianBytes(s.frm, 4);
        if (regnum == kFcsr) return littleEndianBytes((uint32_t(s.frm) << 5) | s.fflags, 4);
        return {};
    }

    bool writeRegister(cpu::CpuEngine& engine, unsigned regnum,
                       std::span<const uint8_t> bytes) const override {
        riscv::HartState& s = riscv::hartOf(engine).state();
        const unsigned size = regnum >= kFflags && regnum <= kFcsr ? 4 : 8;
        if (bytes.size() != size || regnum > kFcsr || regnum == 65) return false;
        const uint64_t value = fromLittleEndian(bytes);
        if (regnum == 0) return true;  // x0 stays zero
        if (regnum < 32)
            s.x[regnum] = value;
        else if (regnum == kPc)
            s.pc = value & ~uint64_t{1};  // as a jump would (IALIGN is 16 with C)
        else if (regnum < kFirstFpr + 32)
            s.f[regnum - kFirstFpr] = value;
        else if (regnum == kFflags)
            s.fflags = value & 0x1f;
        else if (regnum == kFrm)
            s.frm = value & 7;
        else {
            s.fflags = value & 0x1f;
            s.frm = (value >> 5) & 7;
        }
        return true;
    }

    void setPc(cpu::CpuEngine& engine, uint64_t pc) const override {
        writeRegister(engine, kPc, littleEndianBytes(pc, 8));
    }

private:
    std::string xml_ = buildXml();
    std::vector<unsigned> gPacket_ = [] {
        std::vector<unsigned> order;
        for (unsigned i = 0; i <= kPc; ++i) order.push_back(i);
        return order;
    }();
};

}  // namespace

std::unique_ptr<GdbArch> makeRiscv64GdbArch() {
    return std::make_unique<Riscv64GdbArch>();
}

std::vector<uint8_t> littleEndianBytes(uint64_t value, unsigned size) {
    std::vector<uint8_t> bytes(size);
    for (unsigned i = 0; i < size; ++i) bytes[i] = uint8_t(value >> (8 * i));
    return bytes;
}

std::vector<uint8_t> bigEndianBytes(uint64_t value, unsigned size) {
    std::vector<uint8_t> bytes(size);
    for (unsigned i = 0; i < size; ++i) bytes[size - 1 - i] = uint8_t(value >> (8 * i));
    return bytes;
}

uint64_t fromLittleEndian(std::span<const uint8_t> bytes) {
    uint64_t value = 0;
    for (size_t i = bytes.size(); i-- > 0;) value = (value << 8) | bytes[i];
    return value;
}

uint64_t fromBigEndian(std::span<const uint8_t> bytes) {
    uint64_t value = 0;
    for (uint8_t byte : bytes) value = (value << 8) | byte;
    return value;
}

}  // namespace tessera::debug

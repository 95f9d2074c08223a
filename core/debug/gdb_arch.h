#pragma once
// GdbArch: what the GDB stub (gdb_session.h) knows of one instruction set:
// the target description it sends (qXfer:features:read:target.xml, in GDB's
// own feature names and register numbers, so GDB needs no `set architecture`)
// and the registers behind those numbers, as bytes in the target's order.
// One implementation per ISA (gdb_arch_riscv.cpp, gdb_arch_ppc.cpp); the
// engine passed must be one of that ISA's (the board guarantees it).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/cpu/cpu_engine.h"

namespace tessera::debug {

class GdbArch {
public:
    virtual ~GdbArch() = default;
    virtual const std::string& targetXml() const = 0;
    // The register numbers a `g` packet carries, in order (GDB fetches the
    // others one at a time with `p`).
    virtual const std::vector<unsigned>& gPacketRegisters() const = 0;
    // Register `regnum` as GDB numbers it; empty when there is no such register.
    virtual std::vector<uint8_t> readRegister(cpu::CpuEngine& engine, unsigned regnum) const = 0;
    // False when there is no such register or `bytes` has the wrong size.
    virtual bool writeRegister(cpu::CpuEngine& engine, unsigned regnum,
                               std::span<const uint8_t> bytes) const = 0;
    // The program counter (c/s with an address).
    virtual void setPc(cpu::CpuEngine& engine, uint64_t pc) const = 0;
};

std::unique_ptr<GdbArch> makeRiscv64GdbArch();
std::unique_ptr<GdbArch> makePpc32GdbArch();

// Little- / big-endian bytes of the low `size` bytes of `value`, and back.
std::vector<uint8_t> littleEndianBytes(uint64_t value, unsigned size);
std::vector<uint8_t> bigEndianBytes(uint64_t value, unsigned size);
uint64_t fromLittleEndian(std::span<const uint8_t> bytes);
uint64_t fromBigEndian(std::span<const uint8_t> bytes);

}  // namespace tessera::debug

#include "tests/fuzz/cpu/guest_scenario.h"

#include <algorithm>
#include <cstring>
#include <iterator>

#include "core/cpu/riscv/encoding.h"
#include "core/cpu/riscv/hart_state.h"
#include "core/machine/riscv_virt_layout.h"
#include "tests/unit/riscv_page_tables.h"

namespace tessera::riscv::fuzz {

namespace {

namespace enc = riscv::encode;
namespace op = enc::opcode;
namespace virt = machine::virt;
using test::GuestPageTables;
namespace pte = test::pte;

// Addresses where hardening bugs live: page 0 and its end, the top of the
// address space, the edges of RAM and of the boot ROM, device registers, the
// canonical-address boundaries of Sv39/Sv48, a hole, beyond physical memory.
// make_seeds.py refers to entries by index: append only.
const uint64_t kInterestingValues[] = {
    0,
    1,
    2,
    3,
    4,
    7,
    8,
    0xff8,
    0xffc,
    0xffe,
    0xfff,
    0x1000,  // 0-11
    ~0ull,
    ~0ull - 1,
    ~0ull - 3,
    ~0ull - 7,
    ~0xfffull,  // 12-16
    kRamBase,
    kProgram,
    kScratch,
    kTablePool,
    kRamBase + kRamSize - 8,  // 17-21
    kRamBase + kRamSize - 1,
    kRamBase + kRamSize,
    kRamBase - 8,
    kRamBase - 1,  // 22-25
    virt::kMromBase,
    virt::kMromBase + virt::kMromSize - 2,  // 26-27
    virt::kUartBase,
    virt::kUartBase + 5,
    virt::kClintBase,  // 28-30
    virt::kClintBase + 0x4000,
    virt::kClintBase + 0xbff8,
    virt::kPlicBase,  // 31-33
    virt::kPlicBase + 0x200004,
    virt::kTestBase,
    virt::kRtcBase,  // 34-36
    1ull << 38,
    (1ull << 38) - 8,
    ~((1ull << 38) - 1),  // 37-39: Sv39 edge
    1ull << 47,
    (1ull << 47) - 8,
    ~((1ull << 47) - 1),  // 40-42: Sv48 edge
    1ull << 56,
    0x200000,
    kScratch + 0xffe,
    kProgram + 0x1ffe,  // 43-46
};

// Reads the input front to back; bytes past the end read as zero.
struct Reader {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    template <typename T>
    T take() {
        T value{};
        if (at < size) std::memcpy(&value, data + at, std::min(sizeof(T), size - at));
        at += sizeof(T);
        return value;
    }
    uint64_t value() {
        const uint8_t pick = take<uint8_t>();
        const auto delta = take<int8_t>();
        if (pick < std::size(kInterestingValues))
            return kInterestingValues[pick] + static_cast<uint64_t>(int64_t(delta));
        return take<uint64_t>();
    }
};

// Guest code as a byte stream of 16- and 32-bit parcels.
struct Code {
    std::vector<uint8_t> bytes;
    void word(uint32_t w) { append(&w, 4); }
    void half(uint16_t h) { append(&h, 2); }
    void append(const void* p, size_t n) {
        const auto* b = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
    }
};

enum Reg : unsigned { zero = 0, ra = 1, gp = 3, t0 = 5, t5 = 30, t6 = 31 };
namespace csr {
enum : unsigned {
    Sstatus = 0x100,
    Sie = 0x104,
    Stvec = 0x105,
    Scounteren = 0x106,
    Sscratch = 0x140,
    Sepc = 0x141,
    Scause = 0x142,
    Stval = 0x143,
    Sip = 0x144,
    Satp = 0x180,
    Mstatus = 0x300,
    Misa = 0x301,
    Medeleg = 0x302,
    Mideleg = 0x303,
    Mie = 0x304,
    Mtvec = 0x305,
    Mcounteren = 0x306,
    Menvcfg = 0x30a,
    Mscratch = 0x340,
    Mepc = 0x341,
    Mcause = 0x342,
    Mtval = 0x343,
    Mip = 0x344,
    Pmpcfg0 = 0x3a0,
    Pmpcfg2 = 0x3a2,
    Pmpaddr0 = 0x3b0,
    Fflags = 0x001,
    Frm = 0x002,
    Fcsr = 0x003,
    Cycle = 0xc00,
    Time = 0xc01,
    Instret = 0xc02,
    Mhartid = 0xf14,
    Nonexistent = 0x7ff,
};
}
// CSRs the program's CSR instructions pick from.
const unsigned kProgramCsrs[] = {
    csr::Satp,       csr::Mstatus,   csr::Sstatus,  csr::Mepc,         csr::Sepc,    csr::Mtvec,
    csr::Stvec,      csr::Medeleg,   csr::Mideleg,  csr::Mie,          csr::Sie,     csr::Mip,
    csr::Sip,        csr::Pmpcfg0,   csr::Pmpaddr0, csr::Pmpaddr0 + 1, csr::Mcause,  csr::Mtval,
    csr::Scause,     csr::Stval,     csr::Mscratch, csr::Fcsr,         csr::Frm,     csr::Cycle,
    csr::Time,       csr::Instret,   csr::Misa,     csr::Mhartid,      csr::Menvcfg, csr::Nonexistent,
    csr::Mcounteren, csr::Scounteren};

// The M-mode prologue: CSR and register values come from a table at kSlots,
// addressed from gp.
struct Prologue {
    Code code;
    std::vector<uint64_t> slots;
    unsigned slot(uint64_t value) {
        slots.push_back(value);
        return static_cast<unsigned>(kSlots - kPrologue + 8 * (slots.size() - 1));
    }
    void csrWrite(unsigned number, uint64_t value) {
        code.word(enc::ld(t0, gp, static_cast<int32_t>(slot(value))));
        code.word(enc::csrrw(zero, number, t0));
    }
    void load(unsigned reg, uint64_t value) {
        code.word(enc::ld(reg, gp, static_cast<int32_t>(slot(value))));
    }
};

// A trap handler that skips the faulting instruction (4 bytes: a compressed
// one is skipped with the next parcel, which is fine for a fuzzer) and
// returns; after a fetch fault it returns to ra instead (the fault was a jump
// into nowhere); an interrupt is masked (its level stays asserted).
Code trapHandler(bool machine) {
    const unsigned scratch = machine ? csr::Mscratch : csr::Sscratch;
    const unsigned epc = machine ? csr::Mepc : csr::Sepc;
    const uint32_t xret = machine ? enc::mret() : enc::sret();
    Code c;
    c.word(enc::csrrw(t6, scratch, t6));
    c.word(enc::csrrs(t6, machine ? csr::Mcause : csr::Scause, zero));
    c.word(enc::b(4, t6, zero, 52));  // blt t6, zero: an interrupt
    c.word(enc::addi(t6, t6, -1));
    c.word(enc::b(0, t6, zero, 32));  // beq: instruction access fault (1)
    c.word(enc::addi(t6, t6, -11));
    c.word(enc::b(0, t6, zero, 24));  // beq: instruction page fault (12)
    c.word(enc::csrrs(t6, epc, zero));
    c.word(enc::addi(t6, t6, 4));
    c.word(enc::csrrw(zero, epc, t6));
    c.word(enc::csrrw(t6, scratch, t6));
    c.word(xret);
    c.word(enc::csrrw(zero, epc, ra));  // fetch fault
    c.word(enc::csrrw(t6, scratch, t6));
    c.word(xret);
    c.word(enc::csrrw(zero, machine ? csr::Mie : csr::Sie, zero));  // interrupt
    c.word(enc::csrrw(t6, scratch, t6));
    c.word(xret);
    return c;
}

// Instruction templates: a template byte, then 32 bits of fields.
enum Template : uint8_t {
    Raw32,
    Raw16,
    Load,
    Store,
    LoadFp,
    StoreFp,
    Atomic,
    CompressedMemory,
    AddImm,
    Lui,
    Auipc,
    Add,
    Jal,
    Jalr,
    Branch,
    Csr,
    System,
    TemplateCount
};

void emitInstruction(Code& code, uint8_t pick, uint32_t f) {
    const unsigned rd = f & 31, rs1 = (f >> 5) & 31, rs2 = (f >> 10) & 31, sub = (f >> 15) & 31;
    const int32_t imm = static_cast<int32_t>(f) >> 20;  // sign-extended 12 bits
    switch (static_cast<Template>(pick % TemplateCount)) {
        case Raw32:
            code.word(f);
            break;
        case Raw16:
            code.half(static_cast<uint16_t>(f));
            break;
        case Load:  // lb lh lw ld lbu lhu lwu
            code.word(enc::i(op::Load, rd, sub % 7, rs1, imm));
            break;
        case Store:  // sb sh sw sd
            code.word(enc::s(op::Store, sub % 4, rs1, rs2, imm));
            break;
        case LoadFp:  // flw fld
            code.word(enc::i(op::LoadFp, rd, 2 + sub % 2, rs1, imm));
            break;
        case StoreFp:  // fsw fsd
            code.word(enc::s(op::StoreFp, 2 + sub % 2, rs1, rs2, imm));
            break;
        case Atomic: {  // lr sc amoswap amoadd amoxor amoand amoor amomin amomax amominu amomaxu, .w/.d,
                        // aq/rl
            static const unsigned funct5[] = {0x02, 0x03, 0x01, 0x00, 0x04, 0x0c,
                                              0x08, 0x10, 0x14, 0x18, 0x1c};
            const unsigned f5 = funct5[sub % std::size(funct5)];
            const unsigned width = (imm & 1) ? 3 : 2;
            code.word(enc::r(op::Amo, rd, width, rs1, f5 == 0x02 ? 0 : rs2, (f5 << 2) | ((imm >> 1) & 3)));
            break;
        }
        case CompressedMemory: {  // c.fld c.lw c.ld c.fsd c.sw c.sd, and their sp-relative forms
            static const unsigned funct3[] = {1, 2, 3, 5, 6, 7};
            const unsigned quadrant = (imm & 1) ? 2 : 0;
            code.half(static_cast<uint16_t>((funct3[sub % 6] << 13) | ((f >> 12) & 0x1ffc) | quadrant));
            break;
        }
        case AddImm:
            code.word(enc::addi(rd, rs1, imm));
            break;
        case Lui:
            code.word(enc::lui(rd, f >> 12));
            break;
        case Auipc:
            code.word(enc::u(op::Auipc, rd, f >> 12));
            break;
        case Add:
            code.word(enc::add(rd, rs1, rs2));
            break;
        case Jal:
            code.word(enc::jal(rd, (imm >> 2) * 2));  // within about 1 KiB
            break;
        case Jalr:
            code.word(enc::jalr(rd, rs1, imm));
            break;
        case Branch: {  // beq bne blt bge bltu bgeu, within 256 bytes
            static const unsigned funct3[] = {0, 1, 4, 5, 6, 7};
            code.word(enc::b(funct3[sub % 6], rs1, rs2, (imm >> 4) * 2));
            break;
        }
        case Csr: {  // csrrw csrrs csrrc and the immediate forms
            static const unsigned funct3[] = {1, 2, 3, 5, 6, 7};
            const unsigned number =
                kProgramCsrs[static_cast<unsigned>(imm & 0x7ff) % std::size(kProgramCsrs)];
            code.word(enc::i(op::System, rd, funct3[sub % 6], rs1, static_cast<int32_t>(number)));
            break;
        }
        case System: {
            const uint32_t words[] = {enc::ecall(),
                                      enc::ebreak(),
                                      enc::mret(),
                                      enc::sret(),
                                      enc::wfi(),
                                      enc::sfenceVma(rs1, rs2),
                                      0x0ff0000f /* fence */,
                                      0x0000100f /* fence.i */};
            code.word(words[sub % std::size(words)]);
            break;
        }
        case TemplateCount:
            break;
    }
}

void put(uint8_t* ram, uint64_t paddr, const void* bytes, size_t length) {
    if (paddr >= kRamBase && paddr - kRamBase + length <= kRamSize)
        std::memcpy(ram + (paddr - kRamBase), bytes, length);
}

}  // namespace

Scenario writeScenario(const uint8_t* data, size_t size, uint8_t* ram) {
    Reader in{data, size};
    Scenario scenario;
    struct Instruction {
        uint8_t pick;
        uint32_t fields;
    };
    std::vector<Instruction> instructions(in.take<uint8_t>());
    for (Instruction& i : instructions) {
        i.pick = in.take<uint8_t>();
        i.fields = in.take<uint32_t>();
    }
    const uint8_t start = in.take<uint8_t>();
    const unsigned priv = start == 1 ? 1 : start == 2 ? 0 : 3;
    const unsigned paging = in.take<uint8_t>() % 3;
    const uint8_t statusBits = in.take<uint8_t>();
    const uint16_t medeleg = in.take<uint16_t>(), mideleg = in.take<uint16_t>(), mie = in.take<uint16_t>();

    Prologue p;
    p.code.word(enc::u(op::Auipc, gp, 0));
    p.csrWrite(csr::Mtvec, kMHandler);
    p.csrWrite(csr::Stvec, kSHandler);
    p.csrWrite(csr::Medeleg, medeleg);
    p.csrWrite(csr::Mideleg, mideleg);
    p.csrWrite(csr::Mie, mie);
    p.csrWrite(csr::Mcounteren, ~0ull);
    p.csrWrite(csr::Scounteren, ~0ull);

    uint64_t pmpcfg = 0;
    const unsigned pmpCount = in.take<uint8_t>() % 9;
    for (unsigned i = 0; i < pmpCount; ++i) {
        const uint8_t cfg = in.take<uint8_t>();
        const unsigned ones = in.take<uint8_t>() % 64;
        const uint64_t address = in.value();
        pmpcfg |= uint64_t(cfg) << (8 * i);
        p.csrWrite(csr::Pmpaddr0 + i, (address >> 2) | ((1ull << ones) - 1));
    }

    // Page tables: identity maps for the prologue page (S runs its trap
    // handler there), the program and scratch pages, then the input's own.
    GuestPageTables tables(ram, kRamBase, kRamSize, paging == 2 ? 4 : 3, kTablePool, kTablePoolEnd);
    const uint64_t user = priv == 0 ? pte::U : 0;
    tables.map(kPrologue, kPrologue, pte::V | pte::R | pte::X | pte::A);
    for (uint64_t page = kProgram; page < kScratch + 0x2000; page += 0x1000)
        tables.map(page, page, pte::V | pte::R | pte::W | pte::X | pte::A | pte::D | user);
    const unsigned mappings = in.take<uint8_t>() % 33;
    for (unsigned i = 0; i < mappings; ++i) {
        const uint64_t va = in.value(), pa = in.value();
        const uint8_t flags = in.take<uint8_t>(), level = in.take<uint8_t>();
        const uint64_t reserved = (level & 0x80) ? 1ull << 60 : 0;
        tables.map(va, pa, flags | reserved, level % 4);
    }
    const unsigned pokes = in.take<uint8_t>() % 17;
    const uint64_t tablePages = (tables.next - kTablePool) / 0x1000;
    for (unsigned i = 0; i < pokes; ++i) {
        const uint64_t page = kTablePool + 0x1000 * (in.take<uint8_t>() % tablePages);
        const unsigned index = in.take<uint16_t>() % 512;
        tables.write64(page + 8 * index, in.take<uint64_t>());
    }
    const unsigned dmaCount = in.take<uint8_t>() % 5;
    for (unsigned i = 0; i < dmaCount; ++i) {
        DmaWrite dma;
        dma.slice = in.take<uint8_t>();
        dma.paddr = in.value();
        const unsigned length = 1 + in.take<uint8_t>() % 64;
        dma.bytes.assign(length, in.take<uint8_t>());
        scenario.dma.push_back(std::move(dma));
    }
    const uint64_t entry = kProgram + (in.take<uint16_t>() & 0xffe);

    if (paging != 0) p.csrWrite(csr::Satp, tables.satp());
    p.csrWrite(csr::Pmpcfg0, pmpcfg);
    p.csrWrite(csr::Mepc, entry);
    uint64_t registers[32] = {};
    for (unsigned r = 1; r < 32; ++r) registers[r] = in.value();
    for (unsigned r = 1; r < 32; ++r)
        if (r != gp && r != t5 && r != t6) p.load(r, registers[r]);
    // mstatus: FS initial (FP usable), the input's bits, MPP = the start privilege
    // (mret) or, for an M start (a jump), the input's MPP for MPRV.
    using namespace riscv::mstatus;
    uint64_t status = (1ull << FS_SHIFT) | ((statusBits & 1) ? MPRV : 0) | ((statusBits & 2) ? SUM : 0) |
                      ((statusBits & 4) ? MXR : 0) | ((statusBits & 8) ? TVM : 0) |
                      ((statusBits & 16) ? TW : 0) | ((statusBits & 32) ? TSR : 0);
    status |= uint64_t(priv == 3 ? (statusBits >> 6) : priv) << MPP_SHIFT;
    p.load(t5, status);
    p.load(t6, entry);
    p.load(gp, registers[gp]);
    p.code.word(enc::csrrw(zero, csr::Mstatus, t5));
    p.code.word(priv == 3 ? enc::jalr(zero, t6, 0) : enc::mret());
    put(ram, kPrologue, p.code.bytes.data(), p.code.bytes.size());
    put(ram, kSlots, p.slots.data(), 8 * p.slots.size());
    const Code mHandler = trapHandler(true), sHandler = trapHandler(false);
    put(ram, kMHandler, mHandler.bytes.data(), mHandler.bytes.size());
    put(ram, kSHandler, sHandler.bytes.data(), sHandler.bytes.size());

    // The program, up to the end of its two pages; it ends waiting for an interrupt.
    Code program;
    const size_t room = kScratch - entry - 8;
    for (const Instruction& i : instructions)
        if (program.bytes.size() + 4 <= room) emitInstruction(program, i.pick, i.fields);
    program.word(enc::wfi());
    program.word(enc::jal(zero, -4));
    put(ram, entry, program.bytes.data(), program.bytes.size());
    return scenario;
}

}  // namespace tessera::riscv::fuzz

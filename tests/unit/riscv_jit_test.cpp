// Specification of the RISC-V JIT (core/cpu/riscv/jit_engine.h) against the
// interpreter, its reference: random programs end in the same architectural
// state under both; a fault inside a block leaves the exact pc and
// instruction count; code that rewrites itself runs its new bytes; a guest
// spinning in chained blocks still takes an interrupt raised by another
// thread; a long PAUSE spin on a board with other harts backs off; step()
// runs one block; and a full code buffer is recycled without changing results.

#include <QtTest>
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "core/cpu/riscv/encoding.h"
#include "core/cpu/riscv/interpreter.h"
#include "core/cpu/riscv/jit_engine.h"
#include "core/hw/memory_bus.h"

using namespace tessera;
using namespace tessera::riscv;
namespace enc = tessera::riscv::encode;
namespace op = tessera::riscv::encode::opcode;

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 1 << 20;
constexpr uint64_t kTrapVector = 0x80080000;
constexpr uint64_t kData = 0x80040000;  // s0 points here in random programs
constexpr uint32_t kSelfLoop = 0x0000006f;
constexpr unsigned kA0 = 10, kA1 = 11, kA2 = 12, kT0 = 5, kS0 = 8;

// One engine on its own bus and RAM, as a board builds it.
struct Rig {
    hw::MemoryBus bus;
    uint8_t* ram = bus.addRam(kRamBase, kRamSize);
    std::unique_ptr<cpu::CpuEngine> engine;
    Hart* hart = nullptr;

    explicit Rig(cpu::EngineKind kind, size_t jitCodeBytes = JitEngine::kDefaultCodeBytes,
                 HartConfig config = {}) {
        if (kind == cpu::EngineKind::Jit) {
            auto jit = JitEngine::create(bus, config, jitCodeBytes);
            if (!jit) qFatal("%s", jit.message().c_str());
            hart = &(*jit)->hart();
            engine = std::move(*jit);
        } else {
            auto interp = std::make_unique<Interpreter>(bus, config);
            hart = &interp->hart();
            engine = std::move(interp);
        }
        bus.setDmaWriteObserver(
            [this](uint64_t paddr, uint64_t length) { engine->invalidateCode(paddr, length); });
        engine->reset(kRamBase);
        put32(kTrapVector, kSelfLoop);
        hart->state().mtvec = kTrapVector;
    }
    HartState& s() { return hart->state(); }
    void put32(uint64_t addr, uint32_t v) { std::memcpy(ram + (addr - kRamBase), &v, 4); }
    uint32_t get32(uint64_t addr) const {
        uint32_t v;
        std::memcpy(&v, ram + (addr - kRamBase), 4);
        return v;
    }
    void place(uint64_t addr, const std::vector<uint32_t>& words) {
        for (uint32_t w : words) {
            put32(addr, w);
            addr += 4;
        }
    }
    // Runs slices until the pc sits on a self-loop (program end or trap sink).
    // Slices of one instruction run one block at a time, so the run stops on
    // the loop, not after spinning on it.
    void runToLoop(uint64_t limit = 1'000'000, uint64_t slice = 1) {
        uint64_t done = 0;
        while (done < limit) {
            const cpu::RunResult r = engine->run(slice);
            done += r.executed;
            const uint64_t pc = s().pc;
            if (pc >= kRamBase && pc + 4 <= kRamBase + kRamSize && get32(pc) == kSelfLoop) return;
            if (r.reason == cpu::StopReason::WaitForInterrupt) return;
        }
    }
};

// A random straight-line program of the rows the JIT inlines (and some it
// does not), loads and stores around s0 (some misaligned, some on a
// device-free hole that faults), forward branches and jumps, reads of
// minstret (a helper must see the exact count), ECALL/EBREAK, and now and
// then an arbitrary word: it ends on the self-loop or in the trap sink.
std::vector<uint32_t> randomProgram(std::mt19937_64& rng, size_t length) {
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    auto reg = [&] { return pick(16); };  // x0..x15: s0 (x8) is the data base, never written
    auto rd = [&] {
        unsigned r;
        do r = pick(16);
        while (r == kS0);
        return r;
    };
    std::vector<uint32_t> code;
    for (size_t i = 0; i < length; ++i) {
        const size_t left = length - i;  // instructions up to the final self-loop
        switch (pick(12)) {
            case 0: {  // OP: add sub sll slt sltu xor srl sra or and, mul family
                static const std::pair<uint32_t, uint32_t> ops[] = {
                    {0, 0}, {0, 0x20}, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {5, 0x20}, {6, 0},
                    {7, 0}, {0, 1},    {1, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}};
                auto [f3, f7] = ops[pick(std::size(ops))];
                code.push_back(enc::r(op::Op, rd(), f3, reg(), reg(), f7));
                break;
            }
            case 1: {  // OP-32
                static const std::pair<uint32_t, uint32_t> ops[] = {{0, 0},    {0, 0x20}, {1, 0}, {5, 0},
                                                                    {5, 0x20}, {0, 1},    {4, 1}, {7, 1}};
                auto [f3, f7] = ops[pick(std::size(ops))];
                code.push_back(enc::r(op::Op32, rd(), f3, reg(), reg(), f7));
                break;
            }
            case 2:
            case 3: {  // OP-IMM and OP-IMM-32, shifts with legal shamt
                const bool word = pick(2);
                const uint32_t f3 = word ? std::array<uint32_t, 3>{0, 1, 5}[pick(3)] : pick(8);
                int32_t imm = static_cast<int32_t>(pick(4096)) - 2048;
                if (f3 == 1) imm = static_cast<int32_t>(pick(word ? 32 : 64));
                if (f3 == 5) imm = static_cast<int32_t>(pick(word ? 32 : 64) | (pick(2) ? 0x400 : 0));
                code.push_back(enc::i(word ? op::OpImm32 : op::OpImm, rd(), f3, reg(), imm));
                break;
            }
            case 4:
                code.push_back(enc::u(pick(2) ? op::Lui : op::Auipc, rd(), pick(1u << 20)));
                break;
            case 5:
            case 6: {  // loads around s0; 1 in 8 through a random register (faults, misaligned)
                const uint32_t f3 = std::array<uint32_t, 7>{0, 1, 2, 3, 4, 5, 6}[pick(7)];
                const unsigned base = pick(8) ? kS0 : reg();
                code.push_back(enc::i(op::Load, rd(), f3, base, static_cast<int32_t>(pick(512))));
                break;
            }
            case 7: {  // stores around s0
                const unsigned base = pick(8) ? kS0 : reg();
                code.push_back(enc::s(op::Store, pick(4), base, reg(), static_cast<int32_t>(pick(512))));
                break;
            }
            case 8:
                if (left > 2) {  // forward branch over 0..left-2 instructions
                    const uint32_t f3 = std::array<uint32_t, 6>{0, 1, 4, 5, 6, 7}[pick(6)];
                    code.push_back(
                        enc::b(f3, reg(), reg(),
                               4 * static_cast<int32_t>(1 + pick(static_cast<uint32_t>(left - 1)))));
                    break;
                }
                [[fallthrough]];
            case 9:
                if (left > 2) {  // forward jal, linking a random register
                    code.push_back(
                        enc::j(rd(), 4 * static_cast<int32_t>(1 + pick(static_cast<uint32_t>(left - 1)))));
                    break;
                }
                [[fallthrough]];
            case 10:
                switch (pick(6)) {
                    case 0:
                        code.push_back(static_cast<uint32_t>(rng()));
                        break;  // anything at all
                    case 1:
                        code.push_back(enc::csrrs(rd(), 0xb02, 0));
                        break;  // minstret: exact mid-block?
                    case 2:
                        code.push_back(pick(2) ? enc::ecall() : enc::ebreak());
                        break;
                    default:
                        code.push_back(enc::addi(rd(), reg(), static_cast<int32_t>(pick(100))));
                        break;
                }
                break;
            default:
                code.push_back(enc::add(rd(), reg(), reg()));
                break;
        }
    }
    code.push_back(kSelfLoop);
    return code;
}

std::vector<uint32_t> randomFpProgram(std::mt19937_64& rng, size_t length);

// Random segments (randomProgram's or randomFpProgram's) in bounded loops
// the JIT runs inside one block: a counted loop closed by a backward BNE and
// one entered at a forward BEQZ exit test and closed by a backward JAL
// (forward branches and jumps of a segment stay inside it; it may trap).
// The counters, x20 and x21, are registers the segments never touch.
std::vector<uint32_t> randomLoopProgram(std::mt19937_64& rng, bool floatingPoint = false) {
    constexpr unsigned kCounter = 20, kCounter2 = 21;
    auto segment = [&] {
        const size_t length = 3 + rng() % (floatingPoint ? 30 : 14);
        std::vector<uint32_t> body =
            floatingPoint ? randomFpProgram(rng, length) : randomProgram(rng, length);
        body.pop_back();  // its self-loop or WFI
        // FP: now and then a jump to the next instruction ends the block
        // there (inline flags must reach fflags on that exit too).
        if (floatingPoint && rng() % 2) body.push_back(enc::j(0, 4));
        return body;
    };
    std::vector<uint32_t> code = segment();
    // addi c, x0, n; head: segment; addi c, c, -1; bne c, x0, head
    const std::vector<uint32_t> first = segment();
    code.push_back(enc::addi(kCounter, 0, static_cast<int32_t>(1 + rng() % 6)));
    code.insert(code.end(), first.begin(), first.end());
    code.push_back(enc::addi(kCounter, kCounter, -1));
    code.push_back(enc::b(1, kCounter, 0, -4 * static_cast<int32_t>(first.size() + 1)));
    // addi c2, x0, n; head: beq c2, x0, out; segment; addi c2, c2, -1; jal x0, head; out:
    const std::vector<uint32_t> second = segment();
    code.push_back(enc::addi(kCounter2, 0, static_cast<int32_t>(rng() % 6)));
    code.push_back(enc::b(0, kCounter2, 0, 4 * static_cast<int32_t>(second.size() + 3)));
    code.insert(code.end(), second.begin(), second.end());
    code.push_back(enc::addi(kCounter2, kCounter2, -1));
    code.push_back(enc::j(0, -4 * static_cast<int32_t>(second.size() + 2)));
    const std::vector<uint32_t> tail = segment();
    code.insert(code.end(), tail.begin(), tail.end());
    code.push_back(kSelfLoop);
    return code;
}

// A random straight-line program of the F/D rows the JIT inlines (FADD,
// FSUB, FMUL, FDIV and the four FMAs, single and double, in static RNE,
// dynamic and other static rounding modes; FLW/FLD/FSW/FSD around s0, some
// misaligned) between writes of frm (sometimes a non-RNE or reserved mode)
// and fflags (clearing it, so stale host flags would show) and reads of
// fflags; it ends on WFI or in the trap sink.
std::vector<uint32_t> randomFpProgram(std::mt19937_64& rng, size_t length) {
    auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    auto freg = [&] { return pick(32); };
    std::vector<uint32_t> code;
    for (size_t i = 0; i < length; ++i) {
        const uint32_t fmt = pick(2);                                                   // 0 single, 1 double
        const uint32_t rm = std::array<uint32_t, 5>{0, 7, 7, 0, 1 + pick(4)}[pick(5)];  // mostly RNE/dynamic
        switch (pick(10)) {
            case 0:
            case 1:
            case 2: {  // fadd fsub fmul fdiv
                const uint32_t funct5 = pick(4);
                code.push_back(enc::r(op::OpFp, freg(), rm, freg(), freg(), (funct5 << 2) | fmt));
                break;
            }
            case 3:
            case 4: {
                const uint32_t opcode =
                    std::array<uint32_t, 4>{op::Madd, op::Msub, op::Nmsub, op::Nmadd}[pick(4)];
                code.push_back(enc::r4(opcode, freg(), rm, freg(), freg(), freg(), fmt));
                break;
            }
            case 5:  // flw/fld, 1 in 8 misaligned
                code.push_back(enc::i(op::LoadFp, freg(), fmt ? 3 : 2, kS0,
                                      static_cast<int32_t>(8 * pick(64) + (pick(8) ? 0 : 1 + pick(3)))));
                break;
            case 6:  // fsw/fsd
                code.push_back(enc::s(op::StoreFp, fmt ? 3 : 2, kS0, freg(),
                                      static_cast<int32_t>(8 * pick(64) + (pick(8) ? 0 : 1 + pick(3)))));
                break;
            case 7:  // csrrwi frm (0..7: RNE mostly, reserved 5-7 now and then)
                code.push_back(enc::csrrwi(0, 0x002, pick(3) ? 0 : pick(8)));
                break;
            case 8:  // csrrwi fflags, 0 or read fflags into a0
                code.push_back(pick(2) ? enc::csrrwi(0, 0x001, 0) : enc::csrrs(kA0 + pick(4), 0x001, 0));
                break;
            default: {  // fadd.d with RNE: the common case
                code.push_back(enc::r(op::OpFp, freg(), 0, freg(), freg(), 1));
                break;
            }
        }
    }
    // WFI, not the self-loop: the JIT may end a block where the interpreter
    // does not (after a helper that leaves FP not ready), and how often
    // each then runs the final loop is not architectural.
    code.push_back(enc::wfi());
    return code;
}

// Values that make every inline FP path and its exits happen: zeros,
// infinities, quiet and signalling NaNs, subnormals, the largest and
// smallest normals (overflow, underflow), NaN-boxed and improperly boxed singles.
uint64_t randomFpValue(std::mt19937_64& rng) {
    static const uint64_t doubles[] = {0,
                                       0x8000000000000000ull,
                                       0x7ff0000000000000ull,
                                       0xfff0000000000000ull,
                                       0x7ff8000000000000ull,
                                       0x7ff4000000000000ull,
                                       0xfff8000000000001ull,
                                       0x0000000000000001ull,
                                       0x000fffffffffffffull,
                                       0x7fefffffffffffffull,
                                       0x0010000000000000ull,
                                       0x3ff0000000000000ull,
                                       0x4000000000000000ull};
    static const uint32_t singles[] = {0,           0x80000000u, 0x7f800000u, 0xff800000u,
                                       0x7fc00000u, 0x7fa00000u, 0x00000001u, 0x007fffffu,
                                       0x7f7fffffu, 0x00800000u, 0x3f800000u};
    const uint64_t r = rng();
    switch (r % 6) {
        case 0:
            return doubles[(r >> 8) % std::size(doubles)];
        case 1:
            return 0xffffffff00000000ull | singles[(r >> 8) % std::size(singles)];
        case 2:
            return 0xffffffff00000000ull | static_cast<uint32_t>(rng());  // a boxed single
        case 3:
            return static_cast<uint32_t>(rng());  // an unboxed single: reads as the canonical NaN
        default:
            return rng();
    }
}

QString describe(const HartState& s) {
    QString out = QString("pc=%1 instret=%2 mcause=%3 mtval=%4 mepc=%5\n")
                      .arg(s.pc, 0, 16)
                      .arg(s.instret)
                      .arg(s.mcause, 0, 16)
                      .arg(s.mtval, 0, 16)
                      .arg(s.mepc, 0, 16);
    for (unsigned r = 1; r < 32; ++r) out += QString("x%1=%2 ").arg(r).arg(s.x[r], 0, 16);
    return out;
}

// The integer programs' start: random registers, s0 at a data area filled
// with a known pattern.
void setUpIntegerRig(Rig& rig, const uint64_t (&regs)[32]) {
    for (unsigned r = 1; r < 32; ++r) rig.s().x[r] = regs[r];
    rig.s().x[kS0] = kData;
    for (uint64_t a = kData; a < kData + 1024; a += 4) rig.put32(a, static_cast<uint32_t>(a * 2654435761u));
}

// The FP programs' start: FP registers and data from randomFpValue, FS and frm as given.
void setUpFpRig(Rig& rig, const uint64_t (&fregs)[32], const uint64_t (&data)[128], uint64_t fs, uint8_t frm) {
    std::memcpy(rig.s().f, fregs, sizeof fregs);
    rig.s().mstatus |= fs;
    rig.s().frm = frm;
    rig.s().x[kS0] = kData;
    std::memcpy(rig.ram + (kData - kRamBase), data, sizeof data);
}

// Runs `code` on the interpreter and on the JIT from the same start (setUp
// prepares each rig) to its final loop in slices of `slice` instructions, and
// says what differs at the end ("" = nothing): pc, instret, the trap CSRs,
// mstatus, every x and f register, fflags/frm and the data memory.
// instret only when `sameCount`: a slice may end after some turns of the
// final self-loop (reads of minstret inside a program check the count where
// it matters).
template <typename SetUp>
QString divergenceBetweenEngines(const std::vector<uint32_t>& code, SetUp setUp, uint64_t slice,
                                 bool sameCount = true) {
    Rig interp(cpu::EngineKind::Interpreter), jit(cpu::EngineKind::Jit);
    for (Rig* rig : {&interp, &jit}) {
        rig->place(kRamBase, code);
        setUp(*rig);
        rig->runToLoop(1'000'000, slice);
    }
    const HartState &a = interp.s(), &b = jit.s();
    QString diff;
    const auto field = [&](const char* name, uint64_t x, uint64_t y) {
        if (x != y) diff += QString(" %1 %2/%3").arg(name).arg(x, 0, 16).arg(y, 0, 16);
    };
    field("pc", a.pc, b.pc);
    if (sameCount) field("instret", a.instret, b.instret);
    field("mcause", a.mcause, b.mcause);
    field("mtval", a.mtval, b.mtval);
    field("mepc", a.mepc, b.mepc);
    field("mstatus", a.mstatus, b.mstatus);
    field("fflags", a.fflags, b.fflags);
    field("frm", a.frm, b.frm);
    for (unsigned r = 1; r < 32; ++r) field(qPrintable(QString("x%1").arg(r)), a.x[r], b.x[r]);
    for (unsigned r = 0; r < 32; ++r) field(qPrintable(QString("f%1").arg(r)), a.f[r], b.f[r]);
    if (std::memcmp(interp.ram + (kData - kRamBase), jit.ram + (kData - kRamBase), 2048) != 0)
        diff += " (data memory differs)";
    if (diff.isEmpty()) return diff;
    return "interp/jit:" + diff + "\ninterp: " + describe(a) + "\njit:    " + describe(b);
}

}  // namespace

class RiscvJitTest : public QObject {
    Q_OBJECT
private slots:
    void randomProgramsEndInTheInterpretersState() {
        std::mt19937_64 rng(17);
        for (int program = 0; program < 400; ++program) {
            const std::vector<uint32_t> code = randomProgram(rng, 48);
            uint64_t regs[32];
            for (uint64_t& r : regs) r = pick64(rng);
            const QString diff = divergenceBetweenEngines(code, [&](Rig& rig) { setUpIntegerRig(rig, regs); }, 1);
            QVERIFY2(diff.isEmpty(), qPrintable(QString("program %1 diverged: %2").arg(program).arg(diff)));
        }
    }

    void randomLoopsInsideABlockEndInTheInterpretersState() {
        // Slices of 1, 7 and 10000 instructions: the loops' back edges leave
        // the block when the slice is spent (at once, mid-loop, or never).
        std::mt19937_64 rng(23);
        for (int program = 0; program < 300; ++program) {
            const std::vector<uint32_t> code = randomLoopProgram(rng);
            uint64_t regs[32];
            for (uint64_t& r : regs) r = pick64(rng);
            const uint64_t slice = std::array<uint64_t, 3>{1, 7, 10000}[program % 3];
            const QString diff = divergenceBetweenEngines(
                code, [&](Rig& rig) { setUpIntegerRig(rig, regs); }, slice, false);
            QVERIFY2(diff.isEmpty(),
                     qPrintable(QString("program %1 (slice %2) diverged: %3").arg(program).arg(slice).arg(diff)));
        }
    }

    void randomFloatingPointLoopsEndInTheInterpretersState() {
        // Inline FP flags stay in the MXCSR until the block leaves or calls
        // a helper: slices of 1 and 7 instructions leave at loop back edges,
        // and each slice starts with a host MXCSR that is not clean.
        std::mt19937_64 rng(31);
        for (int program = 0; program < 300; ++program) {
            const std::vector<uint32_t> code = randomLoopProgram(rng, true);
            uint64_t fregs[32];
            for (uint64_t& r : fregs) r = randomFpValue(rng);
            const uint64_t slice = std::array<uint64_t, 3>{1, 7, 10000}[program % 3];
            uint64_t data[128];
            for (uint64_t& v : data) v = randomFpValue(rng);
            const QString diff = divergenceBetweenEngines(
                code, [&](Rig& rig) { setUpFpRig(rig, fregs, data, mstatus::FS, 0); }, slice, false);
            QVERIFY2(diff.isEmpty(),
                     qPrintable(QString("program %1 (slice %2) diverged: %3").arg(program).arg(slice).arg(diff)));
        }
    }

    void aLoopReadsFpRegistersItsBodyEvictedFromTheCacheAgain() {
        // f1 is written before the loop (so held in an xmm register when the
        // loop head is first reached); the body reads it, then writes six
        // other registers, which take every xmm slot: the second turn must
        // read f1 from where it is now, not from the slot it had at first.
        auto faddD = [](unsigned rd, unsigned rs1, unsigned rs2) {
            return enc::r(op::OpFp, rd, 0, rs1, rs2, 1);
        };
        const std::vector<uint32_t> code = {faddD(1, 2, 3),        enc::addi(20, 0, 3),      faddD(10, 1, 1),
                                            faddD(11, 10, 2),      faddD(12, 11, 2),         faddD(13, 12, 2),
                                            faddD(14, 13, 2),      faddD(15, 14, 2),         faddD(16, 15, 2),
                                            enc::addi(20, 20, -1), enc::b(1, 20, 0, -4 * 8), kSelfLoop};
        Rig interp(cpu::EngineKind::Interpreter), jit(cpu::EngineKind::Jit);
        for (Rig* rig : {&interp, &jit}) {
            rig->place(kRamBase, code);
            rig->s().mstatus |= mstatus::FS;
            const double two = 2.0, three = 3.0;
            std::memcpy(&rig->s().f[2], &two, 8);
            std::memcpy(&rig->s().f[3], &three, 8);
            rig->runToLoop(1'000'000, 10000);
        }
        QCOMPARE(jit.s().x[20], 0ull);
        for (unsigned r = 10; r <= 16; ++r) QCOMPARE(jit.s().f[r], interp.s().f[r]);
    }

    void randomFloatingPointProgramsEndInTheInterpretersState() {
        std::mt19937_64 rng(29);
        for (int program = 0; program < 400; ++program) {
            const std::vector<uint32_t> code = randomFpProgram(rng, 40);
            uint64_t fregs[32];
            for (uint64_t& r : fregs) r = randomFpValue(rng);
            // FS Dirty mostly (the inline path), else Initial (the helper marks it Dirty first).
            const uint64_t fs = program % 4 ? mstatus::FS : (1ull << 13);
            const uint8_t frm = rng() % 4 ? 0 : rng() % 5;
            uint64_t data[128];
            for (uint64_t& v : data) v = randomFpValue(rng);
            const QString diff =
                divergenceBetweenEngines(code, [&](Rig& rig) { setUpFpRig(rig, fregs, data, fs, frm); }, 1);
            QVERIFY2(diff.isEmpty(), qPrintable(QString("program %1 diverged: %2").arg(program).arg(diff)));
        }
    }

    void aFaultInsideABlockLeavesTheExactPcAndCount() {
        Rig rig(cpu::EngineKind::Jit);
        // Two additions, then a load from an address with no RAM or device.
        rig.place(kRamBase, {enc::addi(kA0, 0, 1), enc::addi(kA1, 0, 2), enc::ld(kA2, kT0, 0), kSelfLoop});
        rig.s().x[kT0] = 0x1000;
        rig.runToLoop();
        QCOMPARE(rig.s().pc, kTrapVector);
        QCOMPARE(rig.s().mcause, uint64_t{cause::LoadAccessFault});
        QCOMPARE(rig.s().mepc, kRamBase + 8);
        QCOMPARE(rig.s().mtval, uint64_t{0x1000});
        QCOMPARE(rig.s().x[kA0], uint64_t{1});
        QCOMPARE(rig.s().x[kA1], uint64_t{2});
        QCOMPARE(rig.s().instret, uint64_t{2});  // the two additions, not the load
    }

    void anInstructionRewrittenByTheSameBlockRunsItsNewBytes() {
        Rig rig(cpu::EngineKind::Jit);
        // sw t1, 12(t0) overwrites the `addi a0, zero, 1` two instructions on.
        const uint32_t replacement = enc::addi(kA0, 0, 2);
        rig.place(kRamBase, {enc::sw(6, kT0, 12), enc::addi(kA1, 0, 7), enc::addi(kA2, 0, 8),
                             enc::addi(kA0, 0, 1), kSelfLoop});
        rig.s().x[kT0] = kRamBase;
        rig.s().x[6] = replacement;
        rig.runToLoop();
        QCOMPARE(rig.s().x[kA0], uint64_t{2});
        QCOMPARE(rig.s().x[kA1], uint64_t{7});
    }

    // A loop that stores data on its own page: the stores take the slow path
    // (the page holds code) but do not drop the loop's translation.
    void dataWrittenBesideCodeDoesNotRetranslateIt() {
        Rig rig(cpu::EngineKind::Jit);
        rig.place(kRamBase,
                  {enc::sw(kA0, kT0, 0x400), enc::addi(kA0, kA0, 1), enc::b(4, kA0, kA1, -8), kSelfLoop});
        rig.s().x[kT0] = kRamBase;
        rig.s().x[kA1] = 1000;
        rig.runToLoop();
        QVERIFY2(rig.s().x[kA0] == 1000, rig.engine->dumpState().c_str());
        QCOMPARE(rig.get32(kRamBase + 0x400), 999u);
        const auto& jit = static_cast<const JitEngine&>(*rig.engine);
        QVERIFY2(jit.translations() <= 4, qPrintable(QString::number(jit.translations())));
    }

    void aGuestSpinningInChainedBlocksTakesAnInterruptFromAnotherThread() {
        Rig rig(cpu::EngineKind::Jit);
        constexpr unsigned kMtie = 1 << 7, kMie = 1 << 3;
        rig.s().mie = kMtie;
        rig.s().mstatus |= kMie;
        // Two blocks jumping to each other forever.
        rig.place(kRamBase,
                  {enc::addi(kA0, kA0, 1), enc::jal(0, 8), 0, enc::addi(kA1, kA1, 1), enc::jal(0, -16)});
        // The device waits for the guest's progress, not for fixed times, so a
        // loaded host that starves the CPU thread cannot fail the test. (It
        // peeks at fields the CPU thread writes: relaxed atomic reads, as a
        // debugger would.)
        auto waitFor = [&](auto condition) {
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (!condition() && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        };
        auto peek = [&](uint64_t& field) {
            return std::atomic_ref<uint64_t>(field).load(std::memory_order_relaxed);
        };
        std::thread device([&] {
            waitFor([&] { return peek(rig.s().x[kA0]) > 100; });
            rig.engine->setInterruptLevel(7, true);
            waitFor([&] { return peek(rig.s().mcause) != 0; });
            rig.engine->requestExit();
        });
        const cpu::RunResult r = rig.engine->run(~0ull >> 1);
        device.join();
        QCOMPARE(r.reason, cpu::StopReason::ExitRequested);
        QCOMPARE(rig.s().mcause, cause::InterruptBit | 7);
        QCOMPARE(rig.s().pc, kTrapVector);
        QVERIFY(rig.s().x[kA0] > 100);
    }

    // PAUSE (0x0100000f, Zihintpause) on a board with other harts: a long
    // spin-wait backs off (spin_backoff.h), under the JIT (a helper call) as
    // under the interpreter. In 10 ms the backoff allows well under 10000
    // PAUSEs (20 us of spinning, 80 us of yields, then 50 us sleeps); a
    // spin without it runs hundreds of thousands.
    void aLongPauseSpinWithOtherHartsBacksOffInBothEngines() {
        constexpr uint32_t kPause = 0x0100000f;
        for (auto kind : {cpu::EngineKind::Interpreter, cpu::EngineKind::Jit}) {
            Rig rig(kind, JitEngine::kDefaultCodeBytes, HartConfig{.sharedRam = true});
            rig.place(kRamBase, {kPause, enc::jal(0, -4)});
            uint64_t executed = 0;
            const auto start = std::chrono::steady_clock::now();
            while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(10))
                executed += rig.engine->run(1000).executed;
            QVERIFY2(executed < 40'000, qPrintable(QString("%1 instructions in 10 ms").arg(executed)));
        }
    }

    void stepRunsExactlyOneBlock() {
        Rig rig(cpu::EngineKind::Jit);
        rig.place(kRamBase, {enc::addi(kA0, 0, 1), enc::addi(kA1, 0, 2), enc::jal(0, 8), 0,
                             enc::addi(kA2, 0, 3), kSelfLoop});
        auto& jit = static_cast<JitEngine&>(*rig.engine);
        cpu::RunResult r = jit.step();
        QCOMPARE(r.executed, uint64_t{3});
        QCOMPARE(rig.s().pc, kRamBase + 16);
        QCOMPARE(rig.s().x[kA2], uint64_t{0});
        r = jit.step();  // the next block (addi; jal to itself) once, though it chains to itself
        QCOMPARE(r.executed, uint64_t{2});
        QCOMPARE(rig.s().x[kA2], uint64_t{3});
        QCOMPARE(rig.s().pc, kRamBase + 20);
        // A trap inside the step is taken within it.
        rig.put32(kRamBase + 20, enc::ecall());
        rig.engine->invalidateCode(kRamBase + 20, 4);
        r = jit.step();
        QCOMPARE(r.executed, uint64_t{0});
        QCOMPARE(rig.s().pc, kTrapVector);
        QCOMPARE(rig.s().mcause, uint64_t{cause::EcallFromM});
    }

    // --stats reports host code bytes per guest instruction from these.
    void translationStatsCountTheTranslatedBlocksAndTheirCode() {
        Rig rig(cpu::EngineKind::Jit), interp(cpu::EngineKind::Interpreter);
        const std::vector<uint32_t> code{
            enc::addi(kA0, 0, 1), enc::addi(kA1, 0, 2), enc::jal(0, 8), 0, enc::addi(kA2, 0, 3), kSelfLoop};
        rig.place(kRamBase, code);
        interp.place(kRamBase, code);
        rig.runToLoop();
        interp.runToLoop();
        const cpu::TranslationStats t = rig.engine->translationStats();
        QCOMPARE(t.blocks, uint64_t{2});  // addi addi jal | addi jal-to-itself
        QCOMPARE(t.guestInstructions, uint64_t{5});
        QVERIFY2(t.hostBytes > 5 * 4 && t.hostBytes < 5 * 400, qPrintable(QString::number(t.hostBytes)));
        QCOMPARE(interp.engine->translationStats().blocks, uint64_t{0});
    }

    void aFullCodeBufferIsRecycledWithoutChangingResults() {
        // 64 KiB holds a few hundred blocks; the program has 2048 of them.
        Rig rig(cpu::EngineKind::Jit, 64 << 10);
        std::vector<uint32_t> code;
        for (int i = 0; i < 2048; ++i) {
            code.push_back(enc::addi(kA0, kA0, 1));
            code.push_back(enc::jal(0, 4));
        }
        code.push_back(kSelfLoop);
        rig.place(kRamBase, code);
        rig.runToLoop();
        QCOMPARE(rig.s().x[kA0], uint64_t{2048});
        auto& jit = static_cast<JitEngine&>(*rig.engine);
        QVERIFY(jit.codeBufferFlushes() > 0);
        QVERIFY(jit.translatedBlocks() < 2048);
    }

private:
    static uint64_t pick64(std::mt19937_64& rng) {
        // Mostly small values and sign-extended 32-bit ones: they exercise the W forms' edges.
        switch (rng() % 4) {
            case 0:
                return rng() % 64;
            case 1:
                return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(rng())));
            default:
                return rng();
        }
    }
};

QTEST_GUILESS_MAIN(RiscvJitTest)
#include "riscv_jit_test.moc"

// libFuzzer target: hostile PowerPC 750 guests against a PowerPC CPU engine
// (core/cpu/ppc; fuzz_engine.h: the one TESSERA_FUZZ_ENGINE names) on a bus
// with 2 MiB of RAM at 0, a boot ROM at 0xfff00000 and a real device (a 16550 UART at 0x80000000). Built with clang and
// -fsanitize=fuzzer,address,undefined by tests/fuzz/run_fuzz.py.
//
// Input (all of it is used, any length):
//   MSR, SDR1, the 16 segment registers, the 16 BAT words, FPSCR, DEC, a
//   per-slice external-interrupt pattern, the 32 GPRs (a word whose top byte
//   is 0xa5 picks an address from kInteresting: 0, the top of the address
//   space, RAM/ROM/device edges, page-crossing addresses), and then raw bytes
//   copied both to RAM from address 0 (instructions, exception vectors
//   included) and to where SDR1 puts the hashed page table (so PTEs are fuzzed
//   too). The CPU starts at the reset vector.
//
// Invariants: the host never crashes and no access leaves guest memory (RAM
// has guard pages, MemoryBus::addRam); after every slice MSR holds only bits
// a 750 implements, the pc is word-aligned, and the engine reports no fatal
// error. Device DMA into RAM is injected between slices through the bus.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/cpu/ppc/engine_factory.h"
#include "core/cpu/ppc/jit_frontend.h"
#include "core/devices/ns16550a_uart.h"
#include "core/hw/memory_bus.h"
#include "tests/fuzz/fuzz_engine.h"

using namespace tessera;

namespace {

// Small memories: every input starts from zeroed RAM, and clearing is most of
// the cost of an execution.
constexpr uint64_t kRamSize = 2 << 20;
constexpr uint64_t kRomBase = 0xfff00000, kRomSize = 64 << 10;  // the vectors with MSR[IP]
constexpr uint64_t kUartBase = 0x80000000;
constexpr unsigned kSlices = 16;
constexpr uint64_t kSliceInstructions = 256;
constexpr uint32_t kInteresting[] = {
    0,          4,          0xffc,      0xffe,      0xfff,      0x1000,     0x100,      0x300,
    0xfffffffc, 0xffffffff, 0xfffffff8, 0x001ffffc, 0x001ffffe, 0x00200000, 0xfff00000, 0xfff0fffe,
    kUartBase,  kUartBase + 5, kUartBase + 0xff, 0x7ffffffe, 0x80000000 - 4, 0x10000ffe, 0xdeadbeef, 0x2000,
};

[[noreturn]] void violated(const char* what, uint64_t a, uint64_t b) {
    std::fprintf(stderr, "PowerPC CPU fuzzer invariant violated: %s (0x%llx, 0x%llx)\n", what,
                 (unsigned long long)a, (unsigned long long)b);
    std::abort();
}

struct Machine {
    hw::MemoryBus bus;
    uint8_t* ram;
    uint8_t* rom;
    devices::Ns16550aUart uart{[](uint8_t) {}};
    std::unique_ptr<cpu::CpuEngine> engine = fuzz::makeFuzzEngine(ppc::createEngine, bus, ppc::CpuConfig{});
    ppc::Cpu& cpu = ppc::cpuOf(*engine);

    Machine() : ram(bus.addRam(0, kRamSize)), rom(bus.addRam(kRomBase, kRomSize)) {
        if (!ram || !rom) violated("cannot allocate guest RAM", kRamSize, kRomSize);
        bus.addMmio(kUartBase, &uart);
        bus.setDmaWriteObserver([this](uint64_t paddr, uint64_t length) { engine->invalidateCode(paddr, length); });
    }
    void reset() {
        uart.reset();
        std::memset(ram, 0, kRamSize);
        std::memset(rom, 0, kRomSize);
    }
};

struct Reader {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    uint32_t word() {
        uint32_t v = 0;
        for (unsigned i = 0; i < 4; ++i) v = (v << 8) | (at < size ? data[at++] : 0);
        return v;
    }
};

uint32_t address(uint32_t w) {
    return (w >> 24) == 0xa5 ? kInteresting[(w & 0xff) % std::size(kInteresting)] : w;
}

void checkState(const ppc::CpuState& s) {
    if (s.msr & ~ppc::msr::kImplemented) violated("MSR holds unimplemented bits", s.msr, s.pc);
    if (s.pc & 3) violated("pc is not word-aligned", s.pc, s.msr);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::fprintf(stderr, "fuzzing the %s engine\n", cpu::engineName(fuzz::fuzzEngineKind()));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Machine machine;
    machine.reset();
    machine.engine->reset(0x100);
    ppc::CpuState& s = machine.cpu.s;
    Reader in{data, size};
    s.msr = in.word() & ppc::msr::kImplemented & ~ppc::msr::POW;
    s.sdr1 = in.word();
    for (uint32_t& sr : s.sr) sr = in.word();
    for (auto& bat : s.ibat) bat[0] = in.word(), bat[1] = in.word();
    for (auto& bat : s.dbat) bat[0] = in.word(), bat[1] = in.word();
    s.fpscr = in.word();
    machine.cpu.writeDec(in.word());
    const uint32_t externalPattern = in.word();
    for (uint32_t& r : s.gpr) r = address(in.word());
    const uint8_t* rest = data + std::min(in.at, size);
    const size_t restSize = size - std::min(in.at, size);
    std::memcpy(machine.ram, rest, std::min<size_t>(restSize, kRamSize));
    if (uint8_t* htab = machine.bus.ramPointer(s.sdr1 & 0xffff0000u, restSize)) std::memcpy(htab, rest, restSize);
    checkState(s);
    // The interpreter stops within an instruction of its budget; the JIT runs
    // whole blocks, so may go one block past it (cpu::CpuEngine::run).
    const uint64_t overshoot = machine.engine->kind() == cpu::EngineKind::Jit ? ppc::kMaxBlockInstructions : 1;
    for (unsigned slice = 0; slice < kSlices; ++slice) {
        machine.engine->setInterruptLevel(0, (externalPattern >> slice) & 1);
        if (restSize >= 8) {  // a device writes guest RAM between slices (DMA)
            const uint32_t at = (slice * 0x9e3779b9u ^ static_cast<uint32_t>(restSize)) % kRamSize;
            (void)machine.bus.writeBlock(at & ~7u, std::span<const uint8_t>(rest, 8));
        }
        const cpu::RunResult result = machine.engine->run(kSliceInstructions);
        checkState(s);
        if (result.reason == cpu::StopReason::FatalError) violated("engine stopped with a fatal error", slice, 0);
        if (result.executed > kSliceInstructions + overshoot) violated("ran past its budget", result.executed, slice);
    }
    return 0;
}

// libFuzzer target: a hostile guest program against a CPU engine
// (fuzz_engine.h: the one TESSERA_FUZZ_ENGINE names) on a bus with the virt board's RAM, boot ROM and real
// devices (CLINT, PLIC, UART, RTC, test finisher), wired as the board wires
// them. Built with clang and -fsanitize=fuzzer,address,undefined by
// tests/fuzz/run_fuzz.py.
//
// Input: a privilege and paging setup plus a random instruction stream
// (guest_scenario.h), aimed at the addresses where hardening bugs live:
// 0, the top of the address space, device registers, RAM and ROM edges,
// misaligned and page-crossing accesses, under every translation mode.
//
// Invariants: the host never crashes and no guest access reaches host memory
// outside guest RAM (RAM has an inaccessible guard page on each side, see
// MemoryBus::addRam, so an access running off it faults under ASan); after
// every slice of execution, every software-TLB entry that a lookup could
// match maps a whole page of guest RAM (so the fast path can only ever touch
// guest RAM; the slow path and devices are bounds-checked by the bus); the
// privilege level is one that exists. Device writes to guest RAM (DMA) are
// injected between slices through the bus, as a virtio device makes them.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/devices/clint.h"
#include "core/devices/goldfish_rtc.h"
#include "core/devices/ns16550a_uart.h"
#include "core/devices/plic.h"
#include "core/devices/sifive_test.h"
#include "core/hw/memory_bus.h"
#include "core/hw/virtual_clock.h"
#include "core/machine/riscv_virt_layout.h"
#include "core/cpu/riscv/engine_factory.h"
#include "tests/fuzz/fuzz_engine.h"
#include "tests/fuzz/cpu/guest_scenario.h"

using namespace tessera;
using namespace tessera::riscv;
using namespace tessera::riscv::fuzz;
namespace virt = tessera::machine::virt;

namespace {

constexpr unsigned kSlices = 16;
constexpr uint64_t kSliceInstructions = 256;

[[noreturn]] void violated(const char* what, uint64_t a, uint64_t b) {
    std::fprintf(stderr, "CPU fuzzer invariant violated: %s (0x%llx, 0x%llx)\n", what, (unsigned long long)a,
                 (unsigned long long)b);
    std::abort();
}

struct Machine {
    hw::MemoryBus bus;
    uint8_t* ram;
    uint8_t* rom;
    hw::VirtualClock clock;
    devices::Clint clint{clock, 1};
    devices::Plic plic{1};
    devices::Ns16550aUart uart{[](uint8_t) {}};
    devices::SifiveTest finisher{[this](devices::SifiveTest::Request, int) { finished = true; }};
    devices::GoldfishRtc rtc;
    std::unique_ptr<cpu::CpuEngine> engine = tessera::fuzz::makeFuzzEngine(riscv::createEngine, bus, HartConfig{});
    bool finished = false;

    Machine() : ram(bus.addRam(kRamBase, kRamSize)), rom(bus.addRam(virt::kMromBase, virt::kMromSize)) {
        if (!ram || !rom) violated("cannot allocate guest RAM", kRamSize, virt::kMromSize);
        bus.addMmio(virt::kTestBase, &finisher);
        bus.addMmio(virt::kRtcBase, &rtc);
        bus.addMmio(virt::kClintBase, &clint);
        bus.addMmio(virt::kPlicBase, &plic);
        bus.addMmio(virt::kUartBase, &uart);
        clock.pause();  // mtime stands still: runs are reproducible
        engine->setTimeSource([this] { return clock.mtime(); });
        clint.softwareIrq(0).connect([this](bool level) { engine->setInterruptLevel(irq::MSI, level); });
        clint.timerIrq(0).connect([this](bool level) { engine->setInterruptLevel(irq::MTI, level); });
        plic.contextIrq(0).connect([this](bool level) { engine->setInterruptLevel(irq::MEI, level); });
        plic.contextIrq(1).connect([this](bool level) { engine->setInterruptLevel(irq::SEI, level); });
        uart.irq().connect([this](bool level) { plic.setSourceLevel(virt::kUartIrq, level); });
        rtc.irq().connect([this](bool level) { plic.setSourceLevel(virt::kRtcIrq, level); });
        bus.setDmaWriteObserver(
            [this](uint64_t paddr, uint64_t length) { engine->invalidateCode(paddr, length); });
    }

    const HartState& state() const { return hartOf(*engine).state(); }

    void reset() {
        for (const auto& region : bus.mmioRegions()) region.device->reset();
        std::memset(ram, 0, kRamSize);
        std::memset(rom, 0, virt::kMromSize);
        finished = false;
    }
};

// True if [host, host+length) lies inside one guest RAM region.
__attribute__((no_sanitize("coverage"))) bool insideGuestRam(const hw::MemoryBus& bus, uint64_t host,
                                                             uint64_t length) {
    for (const auto& region : bus.ramRegions()) {
        const auto start = reinterpret_cast<uint64_t>(region.host);
        if (host >= start && host - start <= region.size && length <= region.size - (host - start))
            return true;
    }
    return false;
}

// Every TLB entry a lookup can match maps one whole page of guest RAM. A
// lookup key (hart_state.h) is an address with bits 3..11 clear, so an entry
// whose tag has any of them set is unreachable whatever its addend; any other
// entry must be a page-aligned tag (or a misaligned access would hit it and
// run off the end of the host page) whose host page is guest RAM.
// (Not instrumented for coverage: it is the harness, and runs often.)
__attribute__((no_sanitize("coverage"))) void checkSoftwareTlb(const HartState& s, const hw::MemoryBus& bus) {
    for (const auto& context : s.tlb)
        for (const auto& kind : context)
            for (const TlbEntry& e : kind) {
                if (e.tag & 0xfff & ~kTlbKeyAlignmentBits) continue;
                if (e.tag & 0xfff) violated("TLB entry matches misaligned accesses", e.tag, e.addend);
                if (!insideGuestRam(bus, e.tag + e.addend, 0x1000))
                    violated("TLB entry maps a page outside guest RAM", e.tag, e.addend);
            }
}

void checkState(const HartState& s, const hw::MemoryBus& bus) {
    if (s.priv != PrivUser && s.priv != PrivSupervisor && s.priv != PrivMachine)
        violated("nonexistent privilege level", s.priv, s.pc);
    checkSoftwareTlb(s, bus);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    std::fprintf(stderr, "fuzzing the %s engine\n", cpu::engineName(tessera::fuzz::fuzzEngineKind()));
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Machine machine;
    machine.reset();
    const Scenario scenario = writeScenario(data, size, machine.ram);
    machine.engine->reset(kPrologue);
    checkState(machine.state(), machine.bus);
    for (unsigned slice = 0; slice < kSlices && !machine.finished; ++slice) {
        for (const DmaWrite& dma : scenario.dma)
            if (dma.slice % kSlices == slice) (void)machine.bus.writeBlock(dma.paddr, dma.bytes);
        machine.clint.updateTimers();
        machine.rtc.updateAlarm();
        // A WFI ends the slice early; the next one continues after it (DMA may come in between).
        const RunResult result = machine.engine->run(kSliceInstructions);
        checkState(machine.state(), machine.bus);
        if (result.reason == StopReason::FatalError) violated("engine stopped with a fatal error", slice, 0);
    }
    return 0;
}

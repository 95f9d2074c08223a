// Runs a bare-metal PowerPC ELF on Tessera's 750 the way QEMU's mac99 runs
// it with `-bios prog.elf`: RAM at 0, a 1 MiB boot ROM at 0xfff00000, the CPU
// reset at 0xfff00100. Stops when the program writes its done marker and
// prints the result block in the format of QEMU's `xp /Nwx`, so that
// ppc_compare.py can compare the two line by line.
//
//   ppc_baremetal_run prog.elf [instruction budget]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "core/cpu/ppc/engine.h"
#include "core/cpu/ppc/jit_engine.h"
#include "core/hw/memory_bus.h"

namespace {

constexpr uint32_t kResultBase = 0x2000;  // runtime.inc: the result block
constexpr uint32_t kResultWords = 6144;
constexpr uint32_t kDoneAddress = 0x7ffc;
constexpr uint32_t kDoneMarker = 0x600dd00e;

uint32_t be32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}
uint16_t be16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Copies the PT_LOAD segments of a 32-bit big-endian ELF into guest memory.
bool loadElf(const std::vector<uint8_t>& f, tessera::hw::MemoryBus& bus, std::string& error) {
    if (f.size() < 52 || std::memcmp(f.data(),
                                     "\x7f"
                                     "ELF\x01\x02",
                                     6) != 0) {
        error = "not a 32-bit big-endian ELF file";
        return false;
    }
    const uint32_t phoff = be32(&f[28]);
    const uint16_t phentsize = be16(&f[42]), phnum = be16(&f[44]);
    for (unsigned i = 0; i < phnum; ++i) {
        const size_t ph = phoff + size_t{i} * phentsize;
        if (ph + 32 > f.size()) {
            error = "program header table runs past the end of the file";
            return false;
        }
        if (be32(&f[ph]) != 1) continue;  // PT_LOAD
        const uint32_t offset = be32(&f[ph + 4]), paddr = be32(&f[ph + 12]);
        const uint32_t filesz = be32(&f[ph + 16]), memsz = be32(&f[ph + 20]);
        uint8_t* host = bus.ramPointer(paddr, memsz);
        if (!host || size_t{offset} + filesz > f.size() || filesz > memsz) {
            error = "a segment lies outside RAM and ROM or outside the file";
            return false;
        }
        std::memcpy(host, &f[offset], filesz);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s prog.elf [instruction budget]\n", argv[0]);
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 2;
    }
    const std::vector<uint8_t> file{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const uint64_t budget = argc > 2 ? std::stoull(argv[2]) : 50'000'000;

    tessera::hw::MemoryBus bus;
    bus.addRam(0, 128 << 20);
    bus.addRam(0xfff00000, 1 << 20);
    std::string error;
    if (!loadElf(file, bus, error)) {
        std::fprintf(stderr, "%s: %s\n", argv[1], error.c_str());
        return 2;
    }
    // TESSERA_ENGINE=jit runs the program on the JIT (the *_jit tests), else the interpreter.
    const char* engineName = std::getenv("TESSERA_ENGINE");
    std::unique_ptr<tessera::cpu::CpuEngine> cpu;
    if (engineName && std::string(engineName) == "jit") {
        auto jit = tessera::ppc::JitEngine::create(bus, tessera::ppc::CpuConfig{});
        if (!jit) {
            std::fprintf(stderr, "%s\n", jit.message().c_str());
            return 2;
        }
        cpu = std::move(*jit);
    } else {
        cpu = std::make_unique<tessera::ppc::Interpreter>(bus, tessera::ppc::CpuConfig{});
    }
    cpu->reset(0xfff00100);
    const uint8_t* done = bus.ramPointer(kDoneAddress, 4);
    for (uint64_t ran = 0; ran < budget && be32(done) != kDoneMarker; ran += 1000) cpu->run(1000);
    if (be32(done) != kDoneMarker) {
        std::fprintf(stderr, "%s: no done marker after %llu instructions\n%s", argv[1],
                     static_cast<unsigned long long>(budget), cpu->dumpState().c_str());
        return 1;
    }
    const uint8_t* block = bus.ramPointer(kResultBase, kResultWords * 4);
    for (uint32_t i = 0; i < kResultWords; i += 4) {
        std::printf("%016x:", kResultBase + i * 4);
        for (uint32_t j = 0; j < 4; ++j) std::printf(" 0x%08x", be32(block + 4 * (i + j)));
        std::printf("\n");
    }
    return 0;
}

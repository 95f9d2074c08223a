#include "lockstep/deterministic_board.h"

#include <cstring>

#include "core/cpu/riscv/engine_factory.h"
#include "core/machine/image_loader.h"
#include "core/machine/riscv_virt_layout.h"

namespace tessera::lockstep {

namespace virt = machine::virt;

DeterministicBoard::DeterministicBoard(uint64_t ramSize, unsigned harts)
    : ramSize_(ramSize),
      clint_(clock_, harts),
      uart_([this](uint8_t byte) { uart_output_.push_back(static_cast<char>(byte)); }),
      finisher_([this](devices::SifiveTest::Request request, int exitCode) {
          // A reset request ends the run too: a generated program never asks
          // for one, and a second boot would only repeat the first.
          poweredOff_ = true;
          exitCode_ = request == devices::SifiveTest::Request::PowerOff ? exitCode : -1;
      }) {}

Result<std::unique_ptr<DeterministicBoard>> DeterministicBoard::create(cpu::EngineKind engine,
                                                                       uint64_t ramSize, unsigned harts) {
    if (harts == 0) return makeError("a board needs at least one hart.");
    std::unique_ptr<DeterministicBoard> board(new DeterministicBoard(ramSize, harts));
    board->ram_ = board->bus_.addRam(kRamBase, ramSize);
    if (!board->ram_) return makeError("cannot allocate " + std::to_string(ramSize) + " bytes of guest RAM.");
    board->bus_.addMmio(virt::kTestBase, &board->finisher_);
    board->bus_.addMmio(virt::kClintBase, &board->clint_);
    board->bus_.addMmio(virt::kUartBase, &board->uart_);
    DeterministicBoard* b = board.get();
    for (unsigned index = 0; index < harts; ++index) {
        auto made = riscv::createEngine(engine, board->bus_,
                                        riscv::HartConfig{.hartId = index, .sharedRam = harts > 1});
        if (!made) return makeError(made.message());
        cpu::CpuEngine* hart = made->get();
        b->engines_.push_back(std::move(*made));
        hart->setTimeSource([b] { return b->clock_.mtime(); });
        b->clint_.softwareIrq(index).connect(
            [hart](bool level) { hart->setInterruptLevel(riscv::irq::MSI, level); });
        b->clint_.timerIrq(index).connect(
            [hart](bool level) { hart->setInterruptLevel(riscv::irq::MTI, level); });
    }
    b->clock_.setInstructionSource([b] { return b->instructionsRetired(); });
    return board;
}

riscv::Hart& DeterministicBoard::hart(unsigned index) {
    return riscv::hartOf(engine(index));
}

const riscv::Hart& DeterministicBoard::hart(unsigned index) const {
    return riscv::hartOf(engine(index));
}

uint64_t DeterministicBoard::instructionsRetired() const {
    uint64_t sum = 0;
    for (const auto& engine : engines_) sum += engine->instructionsRetired();
    return sum;
}

Status DeterministicBoard::loadElf(std::span<const uint8_t> bytes, const std::string& path) {
    auto elf = machine::parseRiscvElf(bytes, path);
    if (!elf) return elf.error();
    TESSERA_TRY(machine::placeElf(*elf, bytes, bus_, path));
    for (auto& engine : engines_) {
        engine->invalidateCode(elf->lowest, elf->highest - elf->lowest);
        engine->reset(elf->entry);
    }
    return {};
}

void DeterministicBoard::loadWords(uint64_t paddr, std::span<const uint32_t> words) {
    std::memcpy(ram_ + (paddr - kRamBase), words.data(), words.size_bytes());
    for (auto& engine : engines_) {
        engine->invalidateCode(paddr, words.size_bytes());
        engine->reset(paddr);
    }
}

bool DeterministicBoard::skipIdleTime() {
    const uint64_t deadline = clint_.updateTimers();
    if (deadline == UINT64_MAX) return false;
    clock_.advanceTo(deadline);
    clint_.updateTimers();
    return true;
}

}  // namespace tessera::lockstep

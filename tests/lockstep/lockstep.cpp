#include "lockstep/lockstep.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <optional>

#include "core/cpu/riscv/decode_table.h"
#include "lockstep/arch_state.h"
#include "lockstep/guest_code.h"

namespace tessera::lockstep {

namespace {

// One step of the reference inside the current comparison window.
struct ReferenceStep {
    uint64_t index = 0;  // retired count before the step: the instruction's number
    GuestInstruction insn;
    uint64_t retired = 0;  // 0: a trap or interrupt entry
    ArchState after;
};

// A candidate step retires at most a block; more reference steps than this
// means the reference never reaches the candidate's count (it loops in traps).
constexpr size_t kMaxReferenceStepsPerWindow = 4096;

std::string hex(uint64_t v, int width = 16) {
    char text[24];
    std::snprintf(text, sizeof text, "%0*" PRIx64, width, v);
    return text;
}

size_t fieldIndex(const char* name) {
    for (size_t i = 0; i < kArchFields; ++i)
        if (std::strcmp(archFieldName(i), name) == 0) return i;
    return kArchFields;
}

// The bytes a store, SC or AMO writes, from the registers before it
// ([address, address + size), virtual), or size 0 for any other instruction.
struct StoreTarget {
    uint64_t address = 0;
    unsigned size = 0;
};
StoreTarget storeTarget(const GuestInstruction& insn, const ArchState& before) {
    if (insn.length == 0) return {};
    const uint32_t raw =
        insn.length == 2 ? riscv::expandCompressed(static_cast<uint16_t>(insn.raw)) : insn.raw;
    const riscv::DecodedInsn decoded = riscv::decodeInstruction(raw);
    const auto rows = riscv::decodeTable();
    if (decoded.row >= rows.size()) return {};
    const std::string name = rows[decoded.row].name;
    const bool atomic = name.rfind("amo", 0) == 0 || name.rfind("sc.", 0) == 0;
    unsigned size = 0;
    if (name == "sb") size = 1;
    if (name == "sh") size = 2;
    if (name == "sw" || name == "fsw" || (atomic && name.back() == 'w')) size = 4;
    if (name == "sd" || name == "fsd" || (atomic && name.back() == 'd')) size = 8;
    const uint64_t base = decoded.rs1 ? before.values[gprField(decoded.rs1)] : 0;
    return {base + (atomic ? 0 : static_cast<uint64_t>(decoded.imm)), size};
}

// The instruction the divergence is blamed on: the last reference step that
// changed a field the engines disagree on (pc and instret aside, which every
// step changes); for a memory difference at `differingByte`, the last store
// to that byte (compared within the page, so it holds under translation
// too), else the last store; else the last step of the window (a wrong
// branch target, a missed trap).
size_t blamedStep(const std::vector<ReferenceStep>& window, const ArchState& before, const ArchState& a,
                  const ArchState& b, const uint64_t* differingByte) {
    static const size_t pc = fieldIndex("pc"), instret = fieldIndex("instret");
    std::optional<size_t> lastStore;
    for (size_t j = window.size(); j-- > 0;) {
        const ArchState& prior = j == 0 ? before : window[j - 1].after;
        for (size_t i = 0; i < kArchFields; ++i)
            if (i != pc && i != instret && a.values[i] != b.values[i] &&
                prior.values[i] != window[j].after.values[i])
                return j;
        if (!differingByte || window[j].retired == 0) continue;
        const StoreTarget target = storeTarget(window[j].insn, prior);
        if (target.size == 0) continue;
        if (!lastStore) lastStore = j;
        if (((*differingByte - target.address) & 0xfff) < target.size) return j;
    }
    if (lastStore) return *lastStore;
    return window.empty() ? 0 : window.size() - 1;
}

std::string describeStep(const ReferenceStep& step) {
    std::string line = "  #" + std::to_string(step.index) + " pc=" + hex(step.insn.pc) + " ";
    if (step.retired == 0)
        return line + "trap entry -> mcause=" + hex(step.after.values[fieldIndex("mcause")]) +
               " scause=" + hex(step.after.values[fieldIndex("scause")]) + "\n";
    return line + "raw=" + hex(step.insn.raw, step.insn.length * 2) + " " + instructionName(step.insn) + "\n";
}

size_t firstDifference(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    size_t first = 0;
    while (first < a.size() && a[first] == b[first]) ++first;
    return first;
}

std::string describeMemory(std::span<const uint8_t> a, std::span<const uint8_t> b) {
    const size_t first = firstDifference(a, b);
    size_t count = 0;
    for (size_t i = first; i < a.size(); ++i) count += a[i] != b[i];
    return "  memory at " + hex(kRamBase + first) + ": " + hex(a[first], 2) + " | " + hex(b[first], 2) +
           " (" + std::to_string(count) + " bytes of guest RAM differ)\n";
}

// Where a trap taken now would enter (privileged spec 3.1.7: direct mode at
// BASE, vectored mode interrupts at BASE + 4 * cause), in M or S mode.
bool isTrapVector(const riscv::HartState& s, uint64_t pc) {
    for (uint64_t tvec : {s.mtvec, s.stvec}) {
        const uint64_t base = tvec & ~3ull;
        if (pc == base || ((tvec & 3) == 1 && pc > base && pc - base < 4 * 64 && (pc - base) % 4 == 0))
            return true;
    }
    return false;
}

void traceTrap(const riscv::HartState& s) {
    const bool inS = s.priv == riscv::PrivSupervisor;
    std::fprintf(stderr, "trap: cause:%016" PRIx64 ", epc:0x%016" PRIx64 ", tval:0x%016" PRIx64 "\n",
                 inS ? s.scause : s.mcause, inS ? s.sepc : s.mepc, inS ? s.stval : s.mtval);
}

class Runner {
public:
    Runner(DeterministicBoard& a, DeterministicBoard& b, const LockstepOptions& options)
        : a_(a),
          b_(b),
          options_(options),
          nameA_(cpu::engineName(a.engine().kind())),
          nameB_(options.candidateName.empty() ? cpu::engineName(b.engine().kind()) : options.candidateName),
          advanceB_(options.advanceCandidate ? options.advanceCandidate
                                             : [](cpu::CpuEngine& engine) { return engine.step(); }),
          harts_(a.hartCount()),
          waiting_(harts_, false) {}

    LockstepOutcome run() {
        if (b_.hartCount() != harts_) {
            outcome_.report = "the boards have different numbers of harts";
            return outcome_;
        }
        if (!compare()) return outcome_;
        size_t nextInterrupt = 0;
        while (!a_.poweredOff() && !b_.poweredOff()) {
            const uint64_t count = b_.instructionsRetired();
            if (count >= options_.maxInstructions) {
                outcome_.report = "the program did not power off within " +
                                  std::to_string(options_.maxInstructions) + " instructions";
                break;
            }
            for (; nextInterrupt < options_.interrupts.size() &&
                   options_.interrupts[nextInterrupt].atInstruction <= count;
                 ++nextInterrupt) {
                const ScheduledInterrupt& irq = options_.interrupts[nextInterrupt];
                a_.engine(irq.hart).setInterruptLevel(irq.line, irq.level);
                b_.engine(irq.hart).setInterruptLevel(irq.line, irq.level);
            }
            a_.atComparisonPoint();
            b_.atComparisonPoint();
            const std::optional<unsigned> hart = nextHart();
            if (!(hart ? stepBoth(*hart) : skipIdleTime())) break;
        }
        outcome_.instructions = a_.instructionsRetired();
        if (outcome_.diverged || !outcome_.report.empty()) return outcome_;
        outcome_.finished = a_.poweredOff() && b_.poweredOff();
        if (a_.poweredOff() != b_.poweredOff())
            diverge("only " + (a_.poweredOff() ? nameA_ : nameB_) + " powered off");
        return outcome_;
    }

private:
    // The hart that makes the next unit: the harts take turns, one unit each
    // (the interleaving of several harts is this order, the same for both
    // boards); a hart waiting in WFI is left out until an interrupt is
    // pending for it. None when every hart waits.
    std::optional<unsigned> nextHart() {
        for (unsigned i = 0; i < harts_; ++i) {
            const unsigned hart = (turn_ + i) % harts_;
            if (waiting_[hart] && b_.engine(hart).interruptPending()) waiting_[hart] = false;
            if (waiting_[hart]) continue;
            turn_ = (hart + 1) % harts_;
            return hart;
        }
        return std::nullopt;
    }

    // Every hart waits with nothing pending: time jumps to the next timer
    // deadline, on both boards alike.
    bool skipIdleTime() {
        const bool wakes = b_.skipIdleTime();
        if (a_.skipIdleTime() != wakes) {
            diverge("the boards disagree on the next timer deadline");
            return false;
        }
        if (!wakes) {
            outcome_.report = "the guest waits for an interrupt with no timer armed (WFI forever):\n";
            for (unsigned hart = 0; hart < harts_; ++hart) outcome_.report += a_.engine(hart).dumpState();
            return false;
        }
        return true;
    }

    // One candidate step of `hart`, the reference's same hart catching up,
    // one comparison (of every hart: a step may raise another's interrupt line).
    bool stepBoth(unsigned hart) {
        hart_ = hart;
        stateA_ = captureArchState(a_.hart(hart));
        windowStart_ = stateA_;
        window_.clear();
        cpu::CpuEngine& engineB = b_.engine(hart);
        const uint64_t before = engineB.instructionsRetired();
        const cpu::RunResult stepB = advanceB_(engineB);
        const uint64_t target = engineB.instructionsRetired();
        if (options_.afterCandidateStep) options_.afterCandidateStep(b_, hart, before, target);
        if (stepB.reason == cpu::StopReason::FatalError) {
            diverge(nameB_ + " stopped with a fatal error: " + stepB.fatalMessage);
            return false;
        }
        while (a_.engine(hart).instructionsRetired() < target) {
            if (window_.size() >= kMaxReferenceStepsPerWindow) {
                diverge(nameA_ + " did not reach " + nameB_ + "'s instruction count " +
                        std::to_string(target));
                return false;
            }
            stepReference();
        }
        // B's step may end with a trap entry (a faulting last instruction, or
        // an interrupt taken without retiring anything): its pc is then one of
        // A's trap vectors, and A makes that entry as a step of its own that
        // retires nothing.
        if (stateA_ != captureArchState(b_.hart(hart)) && isTrapVector(a_.hart(hart).state(), engineB.pc()) &&
            stepReference() != 0) {
            diverge(nameA_ + " executed an instruction where " + nameB_ + " entered a trap");
            return false;
        }
        if (!compare()) return false;
        ++outcome_.comparisons;
        waiting_[hart] = stepB.reason == cpu::StopReason::WaitForInterrupt && !engineB.interruptPending();
        return true;
    }

    uint64_t stepReference() {
        cpu::CpuEngine& engine = a_.engine(hart_);
        ReferenceStep step;
        step.index = engine.instructionsRetired();
        step.insn = instructionAt(a_.hart(hart_), a_.bus());
        step.retired = engine.step().executed;
        step.after = stateA_ = captureArchState(a_.hart(hart_));
        if (options_.traceTraps && step.retired == 0) traceTrap(a_.hart(hart_).state());
        window_.push_back(step);
        return step.retired;
    }

    bool memoryEqual() const { return std::memcmp(a_.ram().data(), b_.ram().data(), a_.ram().size()) == 0; }

    bool compare() {
        bool equal = memoryEqual() && a_.uartOutput() == b_.uartOutput();
        for (unsigned hart = 0; equal && hart < harts_; ++hart)
            equal = captureArchState(a_.hart(hart)) == captureArchState(b_.hart(hart));
        if (equal) return true;
        diverge("");
        return false;
    }

    // Stops the run with a report: what differs now, and the reference's
    // steps since the last comparison that matched (windowStart_), of the
    // hart that made the step.
    void diverge(const std::string& why) {
        const ArchState stateB = captureArchState(b_.hart(hart_));
        const bool memoryDiffers = !memoryEqual();
        outcome_.diverged = true;
        outcome_.instructions = a_.instructionsRetired();
        std::string& r = outcome_.report;
        r = "lockstep: " + nameB_ + " diverged from " + nameA_ + " at comparison point " +
            std::to_string(outcome_.comparisons) +
            (harts_ > 1 ? " (a step of hart " + std::to_string(hart_) + ")" : "") +
            (why.empty() ? "" : ": " + why) + "\n";
        if (!window_.empty()) {
            const uint64_t differingByte = kRamBase + firstDifference(a_.ram(), b_.ram());
            const ReferenceStep& blamed = window_[blamedStep(window_, windowStart_, stateA_, stateB,
                                                             memoryDiffers ? &differingByte : nullptr)];
            r += "first diverging instruction: #" + std::to_string(blamed.index) +
                 " pc=" + hex(blamed.insn.pc) + " raw=" + hex(blamed.insn.raw, blamed.insn.length * 2) + " " +
                 instructionName(blamed.insn) + "\n";
            r += nameB_ + "'s step ended at instruction count " +
                 std::to_string(b_.engine(hart_).instructionsRetired()) + "; " + nameA_ +
                 " made these steps to match it:\n";
            for (const ReferenceStep& step : window_) r += describeStep(step);
        }
        r += "differences (" + nameA_ + " | " + nameB_ + "):\n";
        for (unsigned hart = 0; hart < harts_; ++hart) {
            const ArchState a = captureArchState(a_.hart(hart)), b = captureArchState(b_.hart(hart));
            if (a == b) continue;
            if (harts_ > 1) r += " hart " + std::to_string(hart) + ":\n";
            r += describeDifferences(a, b);
        }
        if (memoryDiffers) r += describeMemory(a_.ram(), b_.ram());
        if (a_.uartOutput() != b_.uartOutput())
            r += "  UART output: " + std::to_string(a_.uartOutput().size()) + " | " +
                 std::to_string(b_.uartOutput().size()) + " bytes, differing\n";
        r += "reference (" + nameA_ + ") state:\n" + a_.engine(hart_).dumpState() + "candidate (" + nameB_ +
             ") state:\n" + b_.engine(hart_).dumpState();
    }

    DeterministicBoard& a_;
    DeterministicBoard& b_;
    const LockstepOptions& options_;
    std::string nameA_, nameB_;
    cpu::RunResult (*advanceB_)(cpu::CpuEngine&);
    const unsigned harts_;
    std::vector<bool> waiting_;  // in WFI with nothing pending (per hart)
    unsigned turn_ = 0;          // the hart whose turn is next
    unsigned hart_ = 0;          // the hart making the current step
    ArchState stateA_;           // the reference's state of hart_
    ArchState windowStart_;      // ... at the last comparison that matched
    std::vector<ReferenceStep> window_;
    LockstepOutcome outcome_;
};

}  // namespace

LockstepOutcome runLockstep(DeterministicBoard& reference, DeterministicBoard& candidate,
                            const LockstepOptions& options) {
    return Runner(reference, candidate, options).run();
}

}  // namespace tessera::lockstep

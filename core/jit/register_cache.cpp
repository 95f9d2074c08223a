#include "core/jit/register_cache.h"

namespace tessera::jit {

namespace x86 = asmjit::x86;

namespace {
// Not rbx/r12 (pinned), not rax rcx rdx rsi rdi (the emitter's and the front
// ends' scratch). The caller-saved ones are fine: a write back precedes
// every helper call (and the helper's result is reloaded), and slow paths
// reload after theirs.
const x86::Gp kPool[RegisterCache::kHostRegisters] = {x86::rbp, x86::r13, x86::r14, x86::r15,
                                                      x86::r8,  x86::r9,  x86::r10, x86::r11};
constexpr int kFirstCallerSaved = 4;  // r8-r11: a helper call clobbers them
}  // namespace

RegisterCache::RegisterCache(Emitter& e, std::function<int32_t(unsigned)> offsetOf,
                             std::function<bool(unsigned)> cacheable)
    : e_(e), offsetOf_(std::move(offsetOf)), cacheable_(std::move(cacheable)) {
    host_.fill(-1);
}

x86::Gp RegisterCache::hostReg(unsigned r, uint32_t size) const {
    const x86::Gp& full = kPool[static_cast<unsigned>(host_[r])];
    return size == 4 ? x86::Gp(full.r32()) : x86::Gp(full.r64());
}

int RegisterCache::allocate(unsigned r) {
    if (host_[r] >= 0) return host_[r];
    if (frozen_ || r >= kMaxGuestRegisters || !cacheable_(r)) return -1;
    for (unsigned i = 0; i < kHostRegisters; ++i) {
        if (used_[i]) continue;
        used_[i] = true;
        host_[r] = static_cast<int8_t>(i);
        dirty_[r] = false;
        return static_cast<int>(i);
    }
    return -1;
}

asmjit::Operand RegisterCache::read(unsigned r, uint32_t size) {
    if (host_[r] < 0 && allocate(r) >= 0) e_.as().mov(hostReg(r), e_.stateField(offsetOf_(r)));
    if (host_[r] >= 0) return hostReg(r, size);
    return e_.stateField(offsetOf_(r), size);
}

void RegisterCache::load(const x86::Gp& dst, unsigned r) {
    const asmjit::Operand src = read(r);
    e_.as().emit(x86::Inst::kIdMov, dst, src);
}

void RegisterCache::reserve(unsigned r) {
    allocate(r);
}

x86::Gp RegisterCache::destination(unsigned r) {
    return allocate(r) >= 0 ? hostReg(r) : x86::Gp();
}

void RegisterCache::write(unsigned r, const x86::Gp& src) {
    if (allocate(r) >= 0) {
        e_.as().mov(hostReg(r), src);
        dirty_[r] = true;
    } else {
        e_.as().mov(e_.stateField(offsetOf_(r)), src);
    }
}

void RegisterCache::writeBack() {
    for (unsigned r = 0; r < kMaxGuestRegisters; ++r) {
        if (host_[r] < 0 || !dirty_[r]) continue;
        e_.as().mov(e_.stateField(offsetOf_(r)), hostReg(r));
        dirty_[r] = false;
    }
}

void RegisterCache::afterCall(unsigned written) {
    for (unsigned r = 0; r < kMaxGuestRegisters; ++r) {
        if (host_[r] < 0 || (host_[r] < kFirstCallerSaved && r != written)) continue;
        e_.as().mov(hostReg(r), e_.stateField(offsetOf_(r)));
        dirty_[r] = false;
    }
}

void RegisterCache::preload(const std::vector<unsigned>& regs) {
    for (unsigned r : regs)
        if (r < kMaxGuestRegisters) read(r);
    frozen_ = true;
}

void RegisterCache::joinPoint(const std::array<bool, kMaxGuestRegisters>& maybeDirty) {
    for (unsigned r = 0; r < kMaxGuestRegisters; ++r)
        if (host_[r] >= 0 && maybeDirty[r]) dirty_[r] = true;
}

void RegisterCache::enterSlowPath(const Snapshot& at) {
    for (unsigned r = 0; r < kMaxGuestRegisters; ++r)
        if (at.host[r] >= 0 && at.dirty[r])
            e_.as().mov(e_.stateField(offsetOf_(r)), kPool[static_cast<unsigned>(at.host[r])]);
}

void RegisterCache::leaveSlowPath(const Snapshot& at) {
    for (unsigned r = 0; r < kMaxGuestRegisters; ++r)
        if (at.host[r] >= 0)
            e_.as().mov(kPool[static_cast<unsigned>(at.host[r])], e_.stateField(offsetOf_(r)));
}

}  // namespace tessera::jit

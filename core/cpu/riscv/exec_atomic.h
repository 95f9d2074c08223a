#pragma once
// Handlers for the A extension (unprivileged spec chapter 8). Harts run on
// host threads in parallel (docs/ARCHITECTURE.md, "Threads"), so:
//
// AMOs on RAM are one host atomic read-modify-write (a lock cmpxchg loop,
// one shape for all nine operations), sequentially consistent: at least as
// strong as any .aq/.rl combination (RVWMO on a TSO host).
//
// LR/SC: the reservation is a guest-physical granule (Hart::reserve) plus
// the address, width and value the LR read. SC succeeds only if the
// reservation is still held (it is dropped by this hart's SC, traps and xRET
// and by device DMA, Hart::noteExternalWrite) AND a host compare-and-swap
// from the LR's value to the new value succeeds. The CAS is what catches
// stores by other harts: they take their own software-TLB fast path and are
// never seen individually, and no store pays for a check. Its blind spot is
// ABA: another hart stores B then A between our LR and SC, and the SC
// succeeds. For the constrained LR/SC loops (8.3: only base integer
// instructions between LR and SC, no loads or stores) that outcome is
// indistinguishable from an execution in which the LR came after the other
// hart's two stores: the LR would have read the same A, the instructions in
// between touch no memory, so every register and memory value is the same.
// Linux's cmpxchg/atomics and the stress test's loops are constrained. An
// unconstrained sequence with loads between LR and SC (a lock-free stack
// reading head->next) could observe ABA; the spec guarantees such loops
// nothing about forward progress either, and real software uses
// constrained ones. Forward progress of constrained loops holds: an SC fails
// only when the value really changed (another hart made progress), a DMA
// hit the granule, or this hart trapped.
//
// Only RAM is reservable: an LR of a device register reads it but reserves
// nothing, so the SC fails without writing (an I/O region need not support
// LR/SC, privileged 3.6.3.2). AMOs on a device read and write the register
// under the board's device lock, as QEMU.

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

template <typename T>
uint64_t signExtended(T value) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<std::make_signed_t<T>>(value)));
}

template <typename T>
T readTarget(Hart& h, const Hart::AtomicTarget& target) {
    if (target.host) return __atomic_load_n(reinterpret_cast<T*>(target.host), __ATOMIC_SEQ_CST);
    uint64_t value = 0;
    h.bus().read(target.paddr, sizeof(T), value);  // a device (atomicTarget checked the address)
    return static_cast<T>(value);
}

template <typename T>
void writeTarget(Hart& h, const Hart::AtomicTarget& target, T value) {
    if (target.host)
        std::memcpy(target.host, &value, sizeof(T));
    else
        h.bus().write(target.paddr, sizeof(T), value);
}

template <typename T>
ExecStatus loadReserved(Hart& h, const DecodedInsn& d) {
    Hart::AtomicTarget target;
    const MemResult r = h.atomicTarget(h.s.x[d.rs1], sizeof(T), AccessType::Load, target);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    const T value = readTarget<T>(h, target);
    h.s.x[d.rd] = signExtended(value);
    if (target.host)
        h.reserve(target.paddr, sizeof(T), value);
    else
        h.s.reservationValid = 0;
    return completedAccess(r);
}

template <typename T>
ExecStatus storeConditional(Hart& h, const DecodedInsn& d) {
    Hart::AtomicTarget target;
    const MemResult r = h.atomicTarget(h.s.x[d.rs1], sizeof(T), AccessType::Store, target);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    // The compare needs the LR's value of these very bytes, so the SC must
    // name the LR's address and width (failing otherwise is allowed: only
    // such matched pairs form the constrained loops, 8.3).
    bool success = target.host && h.holdsReservation(target.paddr, sizeof(T));
    if (success) {
        T expected = static_cast<T>(h.s.reservationValue);
        success = __atomic_compare_exchange_n(reinterpret_cast<T*>(target.host), &expected,
                                              static_cast<T>(h.s.x[d.rs2]), false, __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST);
    }
    h.s.reservationValid = 0;  // SC always invalidates the reservation (8.2)
    h.s.x[d.rd] = success ? 0 : 1;
    return completedAccess(r);
}

template <typename T, T (*Op)(T, T)>
ExecStatus amo(Hart& h, const DecodedInsn& d) {
    Hart::AtomicTarget target;
    const MemResult r = h.atomicTarget(h.s.x[d.rs1], sizeof(T), AccessType::Store, target);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    const T operand = static_cast<T>(h.s.x[d.rs2]);
    T old;
    if (target.host) {
        T* word = reinterpret_cast<T*>(target.host);
        old = __atomic_load_n(word, __ATOMIC_RELAXED);
        // A failed CAS reloads `old`; another hart changed the word in between.
        while (!__atomic_compare_exchange_n(word, &old, Op(old, operand), false, __ATOMIC_SEQ_CST,
                                            __ATOMIC_RELAXED)) {
        }
    } else {
        old = readTarget<T>(h, target);
        writeTarget<T>(h, target, Op(old, operand));
    }
    h.s.x[d.rd] = signExtended(old);
    return completedAccess(r);
}

namespace amoop {
template <typename T>
T swap(T, T b) {
    return b;
}
template <typename T>
T add(T a, T b) {
    return a + b;
}
template <typename T>
T xor_(T a, T b) {
    return a ^ b;
}
template <typename T>
T and_(T a, T b) {
    return a & b;
}
template <typename T>
T or_(T a, T b) {
    return a | b;
}
template <typename T>
T min(T a, T b) {
    using S = std::make_signed_t<T>;
    return static_cast<S>(a) < static_cast<S>(b) ? a : b;
}
template <typename T>
T max(T a, T b) {
    using S = std::make_signed_t<T>;
    return static_cast<S>(a) > static_cast<S>(b) ? a : b;
}
template <typename T>
T minu(T a, T b) {
    return a < b ? a : b;
}
template <typename T>
T maxu(T a, T b) {
    return a > b ? a : b;
}
}  // namespace amoop

}  // namespace tessera::riscv::exec

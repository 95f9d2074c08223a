#pragma once
// Handlers for the A extension (unprivileged spec chapter 8): LR/SC with a
// single reservation in HartState and AMOs as read-modify-write. One hart
// executes at a time, so plain accesses are already atomic. The reservation
// is a guest-physical granule (Hart::reserve), cleared by SC, traps, xRET and
// writes from outside the hart (Hart::noteExternalWrite). Only RAM is
// reservable: an LR of a device register reads it but reserves nothing, so
// the SC fails without writing (an I/O region need not support LR/SC,
// privileged 3.6.3.2). AMOs on a device read and write the register, as QEMU.

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

template <typename T>
uint64_t signExtended(T value) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<std::make_signed_t<T>>(value)));
}

template <typename T>
T readTarget(Hart& h, const Hart::AtomicTarget& target) {
    if (target.host) {
        T value;
        std::memcpy(&value, target.host, sizeof(T));
        return value;
    }
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
    h.s.x[d.rd] = signExtended(readTarget<T>(h, target));
    if (target.host)
        h.reserve(target.paddr);
    else
        h.s.reservationValid = 0;
    return completedAccess(r);
}

template <typename T>
ExecStatus storeConditional(Hart& h, const DecodedInsn& d) {
    Hart::AtomicTarget target;
    const MemResult r = h.atomicTarget(h.s.x[d.rs1], sizeof(T), AccessType::Store, target);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    const bool success = target.host && h.holdsReservation(target.paddr);
    if (success) writeTarget<T>(h, target, static_cast<T>(h.s.x[d.rs2]));
    h.s.reservationValid = 0;  // SC always invalidates the reservation (8.2)
    h.s.x[d.rd] = success ? 0 : 1;
    return completedAccess(r);
}

template <typename T, T (*Op)(T, T)>
ExecStatus amo(Hart& h, const DecodedInsn& d) {
    Hart::AtomicTarget target;
    const MemResult r = h.atomicTarget(h.s.x[d.rs1], sizeof(T), AccessType::Store, target);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    const T old = readTarget<T>(h, target);
    writeTarget<T>(h, target, Op(old, static_cast<T>(h.s.x[d.rs2])));
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

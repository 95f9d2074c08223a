#pragma once
// Handlers for the A extension (unprivileged spec chapter 8): LR/SC with a
// single reservation in HartState and AMOs as read-modify-write on host memory.
// One hart executes at a time, so plain accesses are already atomic; the
// reservation is the host address of the reserved word (unique per physical
// byte of RAM, so it also works when more harts share the bus later).

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

template <typename T>
ExecStatus loadReserved(Hart& h, const DecodedInsn& d) {
    uint8_t* host = nullptr;
    if (h.atomicPointer(h.s.x[d.rs1], sizeof(T), AccessType::Load, host) == MemResult::Fault)
        return ExecStatus::Trap;
    T value;
    std::memcpy(&value, host, sizeof(T));
    h.s.x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<std::make_signed_t<T>>(value)));
    h.s.reservationAddress = reinterpret_cast<uintptr_t>(host);
    h.s.reservationValid = 1;
    return next(h, d);
}

template <typename T>
ExecStatus storeConditional(Hart& h, const DecodedInsn& d) {
    uint8_t* host = nullptr;
    const MemResult r = h.atomicPointer(h.s.x[d.rs1], sizeof(T), AccessType::Store, host);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    const bool success = h.s.reservationValid && h.s.reservationAddress == reinterpret_cast<uintptr_t>(host);
    if (success) {
        const T value = static_cast<T>(h.s.x[d.rs2]);
        std::memcpy(host, &value, sizeof(T));
    }
    h.s.reservationValid = 0;  // SC always invalidates the reservation (8.2)
    h.s.x[d.rd] = success ? 0 : 1;
    return afterAccess(h, d, r);
}

template <typename T, T (*Op)(T, T)>
ExecStatus amo(Hart& h, const DecodedInsn& d) {
    uint8_t* host = nullptr;
    const MemResult r = h.atomicPointer(h.s.x[d.rs1], sizeof(T), AccessType::Store, host);
    if (r == MemResult::Fault) return ExecStatus::Trap;
    T old;
    std::memcpy(&old, host, sizeof(T));
    const T result = Op(old, static_cast<T>(h.s.x[d.rs2]));
    std::memcpy(host, &result, sizeof(T));
    h.s.x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<std::make_signed_t<T>>(old)));
    return afterAccess(h, d, r);
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

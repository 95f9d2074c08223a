#pragma once
// The machines and CPUs this build emulates: the one list `tessera-cli run
// --list-machines`, `tessera-cli qemu … -machine help` and the run line's board
// check read, so what they say cannot drift from what runs.

#include <QString>
#include <span>

namespace tessera::vm {

struct EmulatedMachine {
    const char* arch;     // as in qemu-system-<arch>: "riscv64", "ppc"
    const char* board;    // -M / --machine name
    const char* cpu;      // the CPU model the guest sees
    unsigned maxCpus;     // CPUs (harts) per VM, from 1
    const char* devices;  // what else is on the board
};

std::span<const EmulatedMachine> emulatedMachines();
// The machine for a board name, or nullptr.
const EmulatedMachine* emulatedMachine(const QString& board);
// One block per machine (all of them, or those of `arch`), for the terminal.
QString machineListText(const QString& arch = {});

}  // namespace tessera::vm

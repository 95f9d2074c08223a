#include "core/vm/emulated_machines.h"

#include <array>

#include "core/machine/riscv_virt_config.h"

namespace tessera::vm {

namespace {

const std::array<EmulatedMachine, 2> kMachines = {{
    {"riscv64", "virt", "rv64gc (RV64IMAFDC with Zicsr, Zifencei, Zihintpause; Sv39/Sv48 MMU)",
     machine::kMaxHarts,
     "RISC-V 'virt' board as QEMU's (the default): OpenSBI/U-Boot/EDK2, NS16550A serial, CLINT, PLIC, "
     "virtio-mmio disk, CD-ROM (virtio-scsi), network, GPU, keyboard and tablet, CFI flash"},
    {"ppc", "mac99", "PowerPC 750 (G3), 32-bit", 1,
     "Power Mac (QEMU's mac99) with OpenBIOS: ESCC serial (console=ttyPZ0), CUDA with ADB keyboard and "
     "mouse, OpenPIC, Uni-North PCI, KeyLargo ATA disk and CD-ROM, e1000 network, VGA with Bochs VBE"},
}};

}  // namespace

std::span<const EmulatedMachine> emulatedMachines() {
    return kMachines;
}

const EmulatedMachine* emulatedMachine(const QString& board) {
    for (const EmulatedMachine& m : kMachines)
        if (board == QLatin1String(m.board)) return &m;
    return nullptr;
}

QString machineListText(const QString& arch) {
    QString text;
    for (const EmulatedMachine& m : kMachines) {
        if (!arch.isEmpty() && arch != QLatin1String(m.arch)) continue;
        const QString cpus =
            m.maxCpus > 1 ? QStringLiteral("1-%1 CPUs (harts)").arg(m.maxCpus) : QStringLiteral("1 CPU");
        text += QStringLiteral("%1  qemu-system-%2\n  CPU: %3, %4\n  %5\n")
                    .arg(QLatin1String(m.board), QLatin1String(m.arch), QLatin1String(m.cpu), cpus,
                         QLatin1String(m.devices));
    }
    return text;
}

}  // namespace tessera::vm

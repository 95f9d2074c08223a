#pragma once
// What this computer can give a VM: used for defaults and upper limits of
// the memory and CPU controls, so nobody configures 64 GiB on an 8 GiB host.

#include <QString>
#include <cstdint>

namespace tessera::ui {

struct HostLimits {
    uint64_t memoryBytes;  // physical RAM
    int cpus;              // logical CPUs
    // Most a VM may get: leave the host 1 GiB (or a quarter on small hosts).
    uint64_t maxVmMemoryBytes() const;
    // Sensible default: 1 GiB, or half the RAM on small hosts.
    uint64_t defaultVmMemoryBytes() const;
    // Most CPUs a VM of `arch` may get: what this computer has and, for VMs
    // Tessera's emulator runs, what it can run (vm::maxRunnableCpus()).
    int maxVmCpus(const QString& arch) const;
    // Sensible default: 2, or 1 on a single-core host.
    int defaultVmCpus(const QString& arch) const;
};

HostLimits hostLimits();

}  // namespace tessera::ui

#pragma once
// What this computer can give a VM: used for defaults and upper limits of
// the memory and CPU controls, so nobody configures 64 GiB on an 8 GiB host.

#include <cstdint>

namespace tessera::ui {

struct HostLimits {
    uint64_t memoryBytes;  // physical RAM
    int cpus;              // logical CPUs
    // Most a VM may get: leave the host 1 GiB (or a quarter on small hosts).
    uint64_t maxVmMemoryBytes() const;
    // Sensible default: 1 GiB, or half the RAM on small hosts.
    uint64_t defaultVmMemoryBytes() const;
    int defaultVmCpus() const { return cpus >= 4 ? 2 : 1; }
};

HostLimits hostLimits();

}  // namespace tessera::ui

#include "ui/host_limits.h"

#include <unistd.h>

#include <QThread>
#include <algorithm>

#include "core/vm/vm_machine_config.h"

namespace tessera::ui {

HostLimits hostLimits() {
    const long pages = ::sysconf(_SC_PHYS_PAGES);
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const uint64_t memory = pages > 0 && pageSize > 0 ? uint64_t(pages) * uint64_t(pageSize) : uint64_t(2) << 30;
    return {memory, std::max(1, QThread::idealThreadCount())};
}

uint64_t HostLimits::maxVmMemoryBytes() const {
    const uint64_t reserve = std::max<uint64_t>(memoryBytes / 4, uint64_t(1) << 30);
    const uint64_t max = memoryBytes > reserve ? memoryBytes - reserve : memoryBytes / 2;
    return std::max<uint64_t>(max, uint64_t(256) << 20);
}

uint64_t HostLimits::defaultVmMemoryBytes() const {
    return std::min<uint64_t>(uint64_t(1) << 30, std::max<uint64_t>(maxVmMemoryBytes() / 2, uint64_t(256) << 20));
}

int HostLimits::maxVmCpus(const QString& arch) const {
    return vm::emulatorRuns(arch) ? std::min(cpus, vm::maxRunnableCpus(arch)) : cpus;
}

// Two where the host has them: a desktop guest feels the second CPU, and it
// leaves the host cores to spare on all but the smallest machines.
int HostLimits::defaultVmCpus(const QString& arch) const {
    return std::min(2, maxVmCpus(arch));
}

}  // namespace tessera::ui

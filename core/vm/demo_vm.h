#pragma once
// The demo VM a new library starts with: the RISC-V Linux + BusyBox guest the
// tests build (scripts/fixtures), so a first start ends with a running guest
// on screen instead of an empty window. Offered once per library: a user who
// deletes it does not get it back.

#include <QString>
#include <optional>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"

namespace tessera::vm {

inline constexpr char kDemoVmName[] = "RISC-V Linux demo";
// In the library root; its presence means the demo was offered already.
inline constexpr char kDemoOfferedMarker[] = ".demo-offered";

struct DemoGuest {
    QString kernel;  // Linux Image
    QString initrd;  // initramfs with BusyBox
};

// $TESSERA_DEMO_KERNEL + $TESSERA_DEMO_INITRD (scripts/run.sh sets them after
// building the fixtures), else <prefix>/share/tessera/demo/{Image,initramfs.cpio.gz}
// next to the installed binary; nullopt when neither exists.
std::optional<DemoGuest> findDemoGuest(const QString& applicationDir);

// Creates the demo bundle in `root` (the guest files are copied in, plus an
// empty 2 GiB qcow2 disk to try Shrink Disk on) unless this library offered it
// before; returns the new bundle, or nullopt when there was nothing to do.
Result<std::optional<VmBundle>> offerDemoVm(const QString& root, const DemoGuest& guest);

}  // namespace tessera::vm

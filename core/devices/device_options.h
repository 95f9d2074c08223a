#pragma once
// Parsers for the device options of `tessera-cli run` (and the VM bundle):
//   --disk PATH[,format=raw|qcow2][,readonly=on|off][,serial=TEXT]
//   --cdrom PATH
//   --nic user[,hostfwd=tcp:[ADDR]:HPORT-:GPORT]...[,mac=52:54:00:..]
//   -device MODEL,netdev=ID[,mac=..] with -netdev user,id=ID[,hostfwd=...]...
//     (QEMU's two-part spelling of the same NIC)
// Syntax close to QEMU's -drive/-nic so guides translate directly. PATH may
// contain commas if written as ",," (QEMU's escape).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/devices/virtio_net.h"
#include "core/net/host_forward.h"
#include "core/util/result.h"

namespace tessera::devices {

struct DiskOption {
    std::string path;
    std::string format;  // "" = probe, "raw" or "qcow2"
    bool readOnly = false;
    std::string serial;  // VIRTIO_BLK_T_GET_ID; "" = derived from the slot
};

struct NicOption {
    std::vector<net::HostForward> forwards;
    std::optional<MacAddress> mac;  // nullopt = derived per VM
    bool linkUp = true;             // false: the NIC starts with its cable unplugged
};

Result<DiskOption> parseDiskOption(std::string_view text);
Result<NicOption> parseNicOption(std::string_view text);

// QEMU's `-device MODEL,netdev=ID[,mac=...]` with its `-netdev user,id=ID,...`:
// the NIC model (e.g. "e1000") and the same NicOption as --nic.
struct NetdevNic {
    std::string model;
    NicOption nic;
};
Result<NetdevNic> parseNetdevNic(std::string_view device, std::string_view netdev);

}  // namespace tessera::devices

#pragma once
// Parsers for the device options of `tessera-cli run` (and the VM bundle):
//   --disk PATH[,format=raw|qcow2][,readonly=on|off][,serial=TEXT]
//   --cdrom PATH
//   --nic user[,hostfwd=tcp:[ADDR]:HPORT-:GPORT]...[,mac=52:54:00:..]
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

}  // namespace tessera::devices

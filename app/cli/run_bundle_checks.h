#pragma once
// What `tessera-cli run --vm` checks in a bundle before it builds the machine:
// config.json keys it does not know (warned on stderr, with a "did you mean"),
// and backing files outside the bundle (refused unless --accept-backing names
// them; an accepted file is remembered in config.json, as the app does when
// the user allows it in its dialog), and forwarded host ports another VM or
// program already holds (refused, naming the holder and a free port).

#include <string>
#include <vector>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::cli {

void warnAboutUnknownKeys(const vm::VmConfig& config);

// Accepts the refused backing files that `accepted` names (any spelling of
// the path), saves config.json if that changed it, and fails naming every
// file still refused and the option that would allow it.
Status acceptBackingFiles(vm::VmConfig& config, const vm::VmBundle& bundle,
                          const std::vector<std::string>& accepted);

// Linked clones of this VM (other VMs whose disks build on its disk) would be
// damaged by starting it: with `makeIndependent` they are turned into full
// copies first (progress on stderr), otherwise this fails naming them and the
// option that would.
Status protectLinkedClones(const vm::VmConfig& config, const vm::VmBundle& bundle, bool makeIndependent);

// Fails naming each taken host port, who holds it and the next free port.
Status checkHostPorts(const vm::VmConfig& config, const vm::VmBundle& bundle);

}  // namespace tessera::cli

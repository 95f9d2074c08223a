#pragma once
// The machine for a VM bundle: config.json's architecture picks the board
// (RISC-V `virt` or PowerPC `mac99`), vm_machine_config.h its knobs. The
// runner only sees machine::Board.

#include <QStringList>
#include <memory>

#include "core/machine/board.h"
#include "core/machine/vm_host.h"
#include "core/util/result.h"
#include "core/vm/vm_bundle.h"

namespace tessera::vm {

// `notes` receives what is configured but only partly honoured (see
// boardConfigFor / mac99ConfigFor); an error says why the VM cannot start.
Result<std::unique_ptr<machine::Board>> createBoard(const VmConfig& config, const VmBundle& bundle,
                                                    machine::VmHost& host, QStringList* notes = nullptr);

}  // namespace tessera::vm

#include "core/vm/board_factory.h"

#include "core/machine/mac99_board.h"
#include "core/machine/riscv_virt_board.h"
#include "core/vm/vm_machine_config.h"

namespace tessera::vm {

namespace {

template <typename ConcreteBoard, typename BoardConfig>
Result<std::unique_ptr<machine::Board>> build(const Result<BoardConfig>& config, machine::VmHost& host) {
    if (!config) return config.error();
    auto board = ConcreteBoard::create(*config, host);
    if (!board) return board.error();
    return std::unique_ptr<machine::Board>(std::move(board).value());
}

}  // namespace

Result<std::unique_ptr<machine::Board>> createBoard(const VmConfig& config, const VmBundle& bundle,
                                                    machine::VmHost& host, QStringList* notes) {
    if (config.arch == QLatin1String("ppc"))
        return build<machine::Mac99Board>(mac99ConfigFor(config, bundle, notes), host);
    return build<machine::RiscvVirtBoard>(boardConfigFor(config, bundle, notes), host);
}

}  // namespace tessera::vm

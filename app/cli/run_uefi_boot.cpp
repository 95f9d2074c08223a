#include "app/cli/run_uefi_boot.h"

#include <QDir>
#include <QFile>

#include "core/vm/uefi_firmware.h"

namespace tessera::cli {

Result<std::unique_ptr<QTemporaryFile>> applyUefiBoot(RunOptions& options) {
    machine::RiscvVirtConfig& machine = options.machine;
    // mac99's OpenBIOS starts its discs and disks itself (fw_cfg boot device).
    if (options.machineType == MachineType::Mac99 || options.bootDevice == 0 || !machine.bios.empty() ||
        machine.biosNone || !machine.kernel.empty() || !machine.pflash.empty())
        return std::unique_ptr<QTemporaryFile>();
    const QString code = vm::riscvUefiCode();
    const QString templ = vm::riscvUefiVarsTemplate();
    if (!QFile::exists(code) || !QFile::exists(templ))
        return makeError(
            "--boot " + std::string(1, options.bootDevice) +
            ": the UEFI firmware that starts discs and disks is not installed (" +
            QFile::encodeName(code).toStdString() +
            " is missing): install Debian's qemu-efi-riscv64 package (Debian 13 or later), "
            "set TESSERA_RISCV_UEFI_DIR to a folder with RISCV_VIRT_CODE.fd and RISCV_VIRT_VARS.fd, "
            "or give the firmware with --bios and --pflash.");
    auto vars =
        std::make_unique<QTemporaryFile>(QDir::tempPath() + QStringLiteral("/tessera-efi-vars-XXXXXX.fd"));
    QFile source(templ);
    if (!vars->open() || !source.open(QIODevice::ReadOnly) ||
        vars->write(source.readAll()) != source.size() || !vars->flush())
        return makeError("--boot: cannot copy the UEFI variable store template " +
                         QFile::encodeName(templ).toStdString() + " to " +
                         QFile::encodeName(QDir::tempPath()).toStdString() + " (disk full?).");
    machine.bios = vm::kDefaultRiscvSbiForUefi;
    machine.pflash = {QFile::encodeName(code).toStdString(),
                      QFile::encodeName(vars->fileName()).toStdString()};
    return vars;
}

}  // namespace tessera::cli

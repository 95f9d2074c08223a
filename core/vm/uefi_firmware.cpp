#include "core/vm/uefi_firmware.h"

#include <QDir>
#include <QFile>

namespace tessera::vm {

QString riscvUefiDirectory() {
    const QString overridden = qEnvironmentVariable("TESSERA_RISCV_UEFI_DIR");
    return overridden.isEmpty() ? QStringLiteral("/usr/share/qemu-efi-riscv64") : overridden;
}

QString riscvUefiCode() {
    return QDir(riscvUefiDirectory()).filePath(QStringLiteral("RISCV_VIRT_CODE.fd"));
}

QString riscvUefiVarsTemplate() {
    return QDir(riscvUefiDirectory()).filePath(QStringLiteral("RISCV_VIRT_VARS.fd"));
}

bool bootsWithUefi(const VmConfig& config) {
    if (config.boot.firmware == QLatin1String(kUefiFirmware)) return true;
    // U-Boot, today's default, finds nothing on the CD-ROM (it has no
    // virtio-scsi driver), so a VM meant to start from its disc gets UEFI.
    return config.boot.firmware.isEmpty() && config.boot.kernel.isEmpty() && !config.boot.order.isEmpty() &&
           config.boot.order.first() == QLatin1String("cdrom") && QFile::exists(riscvUefiCode());
}

Result<QString> ensureUefiVars(const VmBundle& bundle) {
    const QString vars = bundle.resolve(QLatin1String(kUefiVarsFile));
    if (QFile::exists(vars)) return vars;
    const QString source = riscvUefiVarsTemplate();
    if (!QFile::exists(source))
        return makeError(QStringLiteral("The UEFI variable store template %1 is missing: install Debian's "
                                        "qemu-efi-riscv64 package.")
                             .arg(source)
                             .toStdString());
    // Copy under a temporary name first, so a failed copy never leaves a
    // truncated store that a later start would take for the real one.
    const QString partial = vars + QStringLiteral(".part");
    QFile::remove(partial);
    if (!QFile::copy(source, partial) || !QFile::rename(partial, vars)) {
        QFile::remove(partial);
        return makeError(
            QStringLiteral("Cannot create the VM's UEFI variable store %1 (is the VM folder writable "
                           "and the disk not full?).")
                .arg(vars)
                .toStdString());
    }
    QFile::setPermissions(vars, QFile::ReadOwner | QFile::WriteOwner);  // the template is read-only
    return vars;
}

}  // namespace tessera::vm

#include "core/vm/missing_files.h"

#include <QDir>
#include <QFileInfo>

#include "core/vm/uefi_firmware.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

// `sentence` has %1 for the name as written and %2 for the folder it was looked up in.
void checkFile(QStringList& missing, const QString& path, const QDir& base, const char* sentence) {
    if (path.isEmpty()) return;
    const QString absolute = base.absoluteFilePath(path);
    if (QFileInfo(absolute).isFile()) return;
    missing << tr(sentence).arg(QDir::toNativeSeparators(path),
                                QDir::toNativeSeparators(QFileInfo(absolute).absolutePath()));
}

}  // namespace

QStringList missingFiles(const VmConfig& config, const QString& baseFolder) {
    const QDir base(baseFolder);
    QStringList missing;
    for (const Disk& disk : config.disks)
        checkFile(missing, disk.file, base,
                  QT_TRANSLATE_NOOP("tessera::vm", "The disk image %1 is not in %2."));
    checkFile(missing, config.cdrom, base,
              QT_TRANSLATE_NOOP("tessera::vm", "The CD/DVD image %1 is not in %2."));
    checkFile(missing, config.boot.kernel, base,
              QT_TRANSLATE_NOOP("tessera::vm", "The kernel %1 is not in %2."));
    checkFile(missing, config.boot.initrd, base,
              QT_TRANSLATE_NOOP("tessera::vm", "The initrd %1 is not in %2."));
    // "uefi" names the host's RISC-V UEFI firmware (uefi_firmware.h), not a file in
    // the bundle (an express install's restart from the disk sets it): that must exist.
    if (config.boot.firmware != QLatin1String(kUefiFirmware))
        checkFile(missing, config.boot.firmware, base,
                  QT_TRANSLATE_NOOP("tessera::vm", "The firmware %1 is not in %2."));
    else if (!QFileInfo(riscvUefiCode()).isFile())
        missing << tr("The RISC-V UEFI firmware (%1) is not installed: install Debian's qemu-efi-riscv64 "
                      "package.")
                       .arg(QDir::toNativeSeparators(riscvUefiCode()));
    // A Power Mac without firmware of its own starts Debian's OpenBIOS, which is a package away.
    if (isMac99(config) && config.boot.firmware.isEmpty() &&
        !QFileInfo(QLatin1String(kDefaultMac99Firmware)).isFile())
        missing
            << tr("The Power Mac firmware (OpenBIOS, %1) is not installed: install Debian's qemu-system-data "
                  "package.")
                   .arg(QLatin1String(kDefaultMac99Firmware));
    return missing;
}

}  // namespace tessera::vm

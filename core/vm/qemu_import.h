#pragma once
// "Import from QEMU command line": turns a pasted qemu-system-<arch> command
// (like the ones in tutorials: -hda/-cdrom/-boot d/-netdev user,hostfwd=…,
// even the long-gone -redir) into a VmConfig. Nothing is dropped silently:
// every option that does not carry over is listed in `ignored` with the
// reason, every reinterpretation in `notes`.

#include <QString>
#include <QStringList>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

struct QemuImport {
    VmConfig config;
    QStringList ignored;  // "-enable-kvm: Tessera uses its own emulator"
    QStringList notes;    // "-redir tcp:2222::22 became a port forward 2222 → 22"
};

// `fallbackName` names the VM when the command has no -name.
Result<QemuImport> importQemuCommand(const QString& commandLine, const QString& fallbackName = QStringLiteral("Imported VM"));
Result<QemuImport> importQemuArguments(const QStringList& argv, const QString& fallbackName = QStringLiteral("Imported VM"));

}  // namespace tessera::vm

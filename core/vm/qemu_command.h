#pragma once
// "Show QEMU command": the qemu-system-<arch> invocation equivalent to a
// VmConfig, for users who want to compare with QEMU or file a bug report.
// The inverse is qemu_import.h; the two round-trip (tests/unit/vm_qemu_*).

#include <QString>
#include <QStringList>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

// argv, program first. Bundle-relative paths are resolved when `bundle` is given.
QStringList qemuArguments(const VmConfig& config, const VmBundle* bundle = nullptr);
// The same as one shell line, quoted where needed.
QString qemuCommandLine(const VmConfig& config, const VmBundle* bundle = nullptr);

// QEMU's option syntax "key=value,key=value": a comma inside a value is doubled.
QString qemuOptionEscape(const QString& value);
// "file=a,,b.img,if=virtio" -> {("file","a,b.img"), ("if","virtio")}; a bare
// first word (e.g. "user" in -netdev user,...) comes back with an empty key.
QList<QPair<QString, QString>> splitQemuOptions(const QString& text);

// Boards whose devices sit on virtio-mmio rather than PCI/ISA.
bool boardUsesVirtioMmio(const QString& board);

}  // namespace tessera::vm

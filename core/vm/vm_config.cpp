#include "core/vm/vm_config.h"

#include <QCoreApplication>

namespace tessera::vm {

namespace {

struct ArchInfo {
    const char* id;
    const char* label;
    const char* defaultBoard;  // QEMU's default -machine for qemu-system-<id>
};

// QEMU's defaults: docs/system/target-*.rst; ppc defaults to g3beige, x86 to pc.
constexpr ArchInfo kArchitectures[] = {
    {"riscv64", QT_TRANSLATE_NOOP("tessera::vm", "RISC-V 64-bit"), "virt"},
    {"riscv32", QT_TRANSLATE_NOOP("tessera::vm", "RISC-V 32-bit"), "virt"},
    {"aarch64", QT_TRANSLATE_NOOP("tessera::vm", "ARM 64-bit"), "virt"},
    {"arm", QT_TRANSLATE_NOOP("tessera::vm", "ARM 32-bit"), "virt"},
    {"ppc", QT_TRANSLATE_NOOP("tessera::vm", "PowerPC 32-bit"), "g3beige"},
    {"ppc64", QT_TRANSLATE_NOOP("tessera::vm", "PowerPC 64-bit"), "pseries"},
    {"x86_64", QT_TRANSLATE_NOOP("tessera::vm", "x86 64-bit"), "pc"},
    {"i386", QT_TRANSLATE_NOOP("tessera::vm", "x86 32-bit"), "pc"},
    {"mips", QT_TRANSLATE_NOOP("tessera::vm", "MIPS 32-bit"), "malta"},
    {"mips64el", QT_TRANSLATE_NOOP("tessera::vm", "MIPS 64-bit (little-endian)"), "malta"},
    {"s390x", QT_TRANSLATE_NOOP("tessera::vm", "IBM Z (s390x)"), "s390-ccw-virtio"},
    {"sparc64", QT_TRANSLATE_NOOP("tessera::vm", "SPARC 64-bit"), "sun4u"},
    {"m68k", QT_TRANSLATE_NOOP("tessera::vm", "Motorola 68000"), "q800"},
};

const ArchInfo* findArch(const QString& arch) {
    for (const auto& info : kArchitectures)
        if (arch == QLatin1String(info.id)) return &info;
    return nullptr;
}

}  // namespace

const QStringList& knownArchitectures() {
    static const QStringList ids = [] {
        QStringList list;
        for (const auto& info : kArchitectures) list << QLatin1String(info.id);
        return list;
    }();
    return ids;
}

QString architectureLabel(const QString& arch) {
    if (const ArchInfo* info = findArch(arch)) return QCoreApplication::translate("tessera::vm", info->label);
    return arch;
}

QString defaultBoardFor(const QString& arch) {
    if (const ArchInfo* info = findArch(arch)) return QLatin1String(info->defaultBoard);
    return QStringLiteral("virt");
}

}  // namespace tessera::vm

#pragma once
// The one translator of qemu-system-<arch> command lines, shared by the GUI's
// "Import from QEMU command line", `tessera-cli qemu` and (through the run line
// it becomes, qemu_run_line.h) `tessera-cli run`. It turns a command (like the
// ones in tutorials: -hda/-cdrom/-boot d/-netdev user,hostfwd=…, even the
// long-gone -redir) into a VmConfig. Nothing is dropped silently: every option
// that does not carry over is listed in `ignored` with the reason, every
// reinterpretation in `notes`.

#include <QDir>
#include <QString>
#include <QStringList>

#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

// What a run honours but a VM bundle does not keep: `tessera-cli qemu` passes
// these to `tessera-cli run`; the GUI import lists them in `runOnly`.
struct QemuRunKnobs {
    bool noReboot = false;   // -no-reboot
    bool paused = false;     // -S: CPUs stopped until the debugger continues
    QString gdb;             // -s ("tcp::1234") or -gdb DEV
    QString serial;          // -serial stdio|none|null|file:PATH|mon:stdio; "" = the default (stdio)
    bool noGraphic = false;  // -nographic or -display none: the user expects no window
    QStringList loads;       // -device loader,file=FILE,addr=ADDRESS as "FILE@ADDRESS" (run's --load)
    bool operator==(const QemuRunKnobs&) const = default;
};

struct QemuImport {
    VmConfig config;
    QemuRunKnobs run;
    QStringList ignored;  // "-enable-kvm: Tessera uses its own emulator"
    // What a run of the command cannot do without (most of `ignored`, and the
    // notes that a tap or bridge network became NAT): it would not do what the user
    // expects (an unknown option, -snapshot's throw-away writes, a device the board
    // lacks), so `tessera-cli qemu` refuses the line naming all of them, where it
    // only warns about the rest of `ignored`.
    QStringList unsupported;
    QStringList runOnly;  // "-no-reboot (used by tessera-cli qemu; a VM in the library does not keep it)"
    QStringList notes;    // "-redir tcp:2222::22 became a port forward 2222 → 22"
    // Without the dash: "m", "name", ... (the run line leaves what is not given to run's defaults, QEMU's).
    QStringList optionsGiven;
};

// `fallbackName` names the VM when the command has no -name.
Result<QemuImport> importQemuCommand(const QString& commandLine, const QString& fallbackName = QStringLiteral("Imported VM"));
Result<QemuImport> importQemuArguments(const QStringList& argv, const QString& fallbackName = QStringLiteral("Imported VM"));

// A command's file names are relative to where it was typed (`base`); a VM in
// the library keeps them absolute. `-bios none` stays "none".
void resolveCommandPaths(VmConfig& config, const QDir& base);

}  // namespace tessera::vm

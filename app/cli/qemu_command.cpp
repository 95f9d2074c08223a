// tessera-cli qemu: runs a qemu-system-ppc / qemu-system-riscv64 command line
// with Tessera's engine, through the one translator the GUI's import uses
// (core/vm/qemu_import.h) and the `tessera-cli run` line it becomes
// (core/vm/qemu_run_line.h), which --dry-run prints and --save keeps as a VM.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <cstdio>

#include "app/cli/commands.h"
#include "app/cli/run_options.h"
#include "core/vm/emulated_machines.h"
#include "core/vm/qemu_import.h"
#include "core/vm/qemu_run_line.h"
#include "core/vm/shell_words.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"

namespace tessera::cli {

namespace {

constexpr const char* kQemuUsage =
    "Usage: tessera-cli qemu [--dry-run | --save NAME] PROGRAM [QEMU options...]\n"
    "\n"
    "Run a QEMU command line with Tessera's emulator. PROGRAM is qemu-system-ppc or\n"
    "qemu-system-riscv64 (a path ending in those names is fine), then the options as\n"
    "you would give them to QEMU, old ones included (-redir, -net nic -net user, -hda,\n"
    "a disk image without an option, -netdev user,hostfwd=... with -device e1000).\n"
    "The serial console is on this terminal (Ctrl-A X quits), as with -nographic.\n"
    "Firmware defaults as QEMU's: OpenSBI for riscv64, OpenBIOS for ppc; -kernel takes\n"
    "an ELF, a Linux Image or a raw binary. qemu-system-ppc without -M runs the Power\n"
    "Mac mac99 (QEMU's default g3beige is not emulated). -M help lists the machines.\n"
    "\n"
    "Options Tessera cannot honour are refused, all named in one error (exit status 2);\n"
    "options it may safely leave out (-enable-kvm, -localtime, -name...) are named in a\n"
    "warning on stderr.\n"
    "\n"
    "Options (before PROGRAM):\n"
    "  --dry-run    print the equivalent `tessera-cli run` line and exit\n"
    "  --save NAME  create a VM named NAME in the library ($TESSERA_VM_DIR or\n"
    "               ~/.local/share/Tessera/VMs) from the command, print its folder, exit\n"
    "  -h, --help   show this help\n"
    "\n"
    "Exit status: as tessera-cli run (the guest's power-off code, 124 on timeout...),\n"
    "2 when the command cannot run.\n";

int usageError(const std::string& message) {
    std::fprintf(stderr, "tessera-cli qemu: %s\n", message.c_str());
    return 2;
}

// QEMU's "-M help", "-machine help", "-cpu help" (and "?" for help).
bool asksForMachineList(const QStringList& argv) {
    static const QStringList listing = {QStringLiteral("-M"), QStringLiteral("-machine"),
                                        QStringLiteral("--machine"), QStringLiteral("-cpu")};
    for (int i = 1; i + 1 < argv.size(); ++i)
        if (listing.contains(argv[i]) &&
            (argv[i + 1] == QLatin1String("help") || argv[i + 1] == QLatin1String("?")))
            return true;
    return false;
}

// The machines of the program's architecture ("" when it has none here: then all).
int printMachines(const QString& program) {
    static const QRegularExpression suffix(QStringLiteral("qemu-system-([A-Za-z0-9_]+)"));
    const QString arch = suffix.match(QFileInfo(program).fileName()).captured(1);
    QString list = vm::machineListText(arch);
    if (list.isEmpty()) {
        std::printf("Tessera emulates no %s machine. It emulates:\n", qPrintable(arch));
        list = vm::machineListText();
    }
    std::fputs(list.toUtf8().constData(), stdout);
    return 0;
}

int saveVm(vm::QemuImport imported, const QString& name) {
    vm::VmConfig config = imported.config;
    config.name = name;
    vm::resolveCommandPaths(config, QDir::current());
    const vm::VmLibrary library;
    auto created = vm::VmBundle::create(library.root(), config);
    if (!created) return usageError("--save " + name.toStdString() + ": " + created.message());
    for (const QString& notKept : std::as_const(imported.runOnly))
        std::fprintf(stderr, "tessera-cli qemu: warning: %s\n", qPrintable(notKept));
    std::printf("%s\n", QFile::encodeName(created->directory()).constData());
    return 0;
}

// -s/-S/-gdb become run's --gdb/--paused, which need the GDB stub in this build.
Status checkGdbStub(const Args& run) {
    bool wanted = false;
    for (const std::string& word : run) wanted = wanted || word == "--gdb" || word == "--paused";
    if (!wanted) return Status::success();
    if (auto parsed = parseRunOptions(run); !parsed)
        if (parsed.message().find("--gdb") != std::string::npos ||
            parsed.message().find("--paused") != std::string::npos)
            return makeError(
                "-s, -S and -gdb need the GDB stub (tessera-cli run --gdb, --paused), which this "
                "build does not have yet.");
    return Status::success();
}

}  // namespace

int qemuCommand(const Args& args) {
    bool dryRun = false;
    std::optional<QString> saveName;
    size_t i = 0;
    for (; i < args.size() && args[i].rfind("-", 0) == 0; ++i) {
        if (args[i] == "-h" || args[i] == "--help") {
            std::fputs(kQemuUsage, stdout);
            return 0;
        }
        if (args[i] == "--dry-run") {
            dryRun = true;
        } else if (args[i] == "--save") {
            if (i + 1 >= args.size() || args[i + 1].empty()) return usageError("--save needs a VM name.");
            saveName = QString::fromStdString(args[++i]);
        } else {
            return usageError("unknown option '" + args[i] +
                              "' before the QEMU program (QEMU's options go after it). "
                              "Try 'tessera-cli qemu --help'.");
        }
    }
    if (dryRun && saveName) return usageError("--dry-run and --save exclude each other: choose one.");
    if (i >= args.size())
        return usageError(
            "give the QEMU command: tessera-cli qemu qemu-system-ppc|qemu-system-riscv64 OPTIONS...");
    QStringList argv;
    for (; i < args.size(); ++i) argv << QString::fromLocal8Bit(args[i].c_str());
    if (asksForMachineList(argv)) return printMachines(argv.first());

    auto imported = vm::importQemuArguments(argv);
    if (!imported) return usageError(imported.message());
    auto line = vm::runLineFor(*imported);
    if (!line) return usageError(line.message());
    for (const QString& warning : std::as_const(line->warnings))
        std::fprintf(stderr, "tessera-cli qemu: %s\n", qPrintable(warning));
    if (saveName) return saveVm(*imported, *saveName);
    if (dryRun) {
        std::printf("tessera-cli run %s\n", vm::shellJoin(line->arguments).toLocal8Bit().constData());
        return 0;
    }
    Args run;
    for (const QString& word : std::as_const(line->arguments))
        run.push_back(word.toLocal8Bit().toStdString());
    if (Status stub = checkGdbStub(run); !stub) return usageError(stub.message());
    return runCommand(run);
}

}  // namespace tessera::cli

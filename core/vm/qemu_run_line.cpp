#include "core/vm/qemu_run_line.h"

#include "core/machine/mac99_config.h"
#include "core/vm/emulated_machines.h"
#include "core/vm/vm_machine_config.h"

namespace tessera::vm {

namespace {

QString forwardText(const PortForward& f) {
    // tessera-cli run listens on 127.0.0.1 when the address is left out.
    const QString host = f.hostAddress == QLatin1String("127.0.0.1") ? QString() : f.hostAddress;
    return QStringLiteral("%1:%2:%3-%4:%5")
        .arg(f.protocol, host)
        .arg(f.hostPort)
        .arg(f.guestAddress)
        .arg(f.guestPort);
}

// The board's one network card, on user-mode networking (NAT).
Result<QString> nicArgument(const NetworkInterface& nic) {
    if (!nic.nat)
        return makeError(
            "restrict=on (a guest that reaches nothing but its forwarded ports): "
            "tessera-cli run has no such network");
    QString text = QStringLiteral("user");
    for (const PortForward& f : nic.forwards) text += QStringLiteral(",hostfwd=") + forwardText(f);
    if (!nic.mac.isEmpty()) text += QStringLiteral(",mac=") + nic.mac;
    return text;
}

Status checkBoard(const QemuImport& imported) {
    const VmConfig& c = imported.config;
    if (!emulatorRuns(c.arch))
        return makeError(QStringLiteral("qemu-system-%1: Tessera emulates only these machines:\n%2")
                             .arg(c.arch, machineListText())
                             .toStdString());
    const QString board = runnableBoardFor(c.arch);
    if (c.board != board)
        return makeError(QStringLiteral("-M %1: Tessera does not emulate this %2 machine; use -M %3 "
                                        "(qemu-system-%4 -M help lists what it emulates)")
                             .arg(c.board, architectureLabel(c.arch), board, c.arch)
                             .toStdString());
    if (isMac99(c) && c.disks.size() > machine::kMac99MaxDisks)
        return makeError(QStringLiteral("a Power Mac (mac99) has two disks (-hda, -hdb), but the command gives %1")
                             .arg(c.disks.size())
                             .toStdString());
    if (c.nics.size() > 1)
        return makeError(QStringLiteral("the command gives %1 network cards; Tessera's %2 has one")
                             .arg(c.nics.size())
                             .arg(board)
                             .toStdString());
    return Status::success();
}

}  // namespace

QString memorySizeArgument(uint64_t bytes) {
    if (bytes % (1ull << 30) == 0) return QStringLiteral("%1G").arg(bytes >> 30);
    if (bytes % (1ull << 20) == 0) return QStringLiteral("%1M").arg(bytes >> 20);
    return QStringLiteral("%1K").arg(bytes >> 10);
}

Result<QemuRunLine> runLineFor(const QemuImport& imported) {
    if (!imported.unsupported.isEmpty())
        return makeError(("Tessera cannot honour these options of the command:\n  " +
                          imported.unsupported.join(QStringLiteral("\n  ")))
                             .toStdString());
    TESSERA_TRY(checkBoard(imported));
    const VmConfig& c = imported.config;
    const bool mac99 = isMac99(c);
    QemuRunLine line;
    QStringList& a = line.arguments;
    if (mac99) a << QStringLiteral("--machine") << QStringLiteral("mac99");
    // Without -m, run's default is QEMU's (128 MiB on both boards).
    if (imported.optionsGiven.contains(QStringLiteral("m")))
        a << QStringLiteral("-m") << memorySizeArgument(c.memoryBytes);
    if (c.cpus > 1) a << QStringLiteral("--smp") << QString::number(c.cpus);
    if (!c.boot.firmware.isEmpty()) a << QStringLiteral("--bios") << c.boot.firmware;
    if (!c.boot.kernel.isEmpty()) a << QStringLiteral("--kernel") << c.boot.kernel;
    if (!c.boot.initrd.isEmpty()) a << QStringLiteral("--initrd") << c.boot.initrd;
    if (!c.boot.append.isEmpty()) a << QStringLiteral("--append") << c.boot.append;
    for (const Disk& d : c.disks) {
        QString disk = d.file + QStringLiteral(",format=") + d.format;
        if (d.readOnly) disk += QStringLiteral(",readonly=on");
        a << QStringLiteral("--disk") << disk;
    }
    if (!c.cdrom.isEmpty()) a << QStringLiteral("--cdrom") << c.cdrom;
    if (!c.boot.order.isEmpty())
        a << QStringLiteral("--boot")
          << (c.boot.order.first() == QLatin1String("cdrom") ? QStringLiteral("d") : QStringLiteral("c"));
    if (!c.nics.isEmpty()) {
        auto nic = nicArgument(c.nics.first());
        if (!nic) return makeError("Tessera cannot honour this option of the command:\n  " + nic.message());
        a << QStringLiteral("--nic") << *nic;
        // One card per board: what QEMU's -device names is what the guest would find.
        const QString model = c.nics.first().model;
        const QString boardCard = mac99 ? QStringLiteral("e1000") : QStringLiteral("virtio-net");
        if (model != boardCard && model != QLatin1String("virtio-net"))
            line.warnings << QStringLiteral("the guest gets the board's %1 network card instead of %2")
                                 .arg(boardCard, model);
    }
    const QemuRunKnobs& run = imported.run;
    for (const QString& load : run.loads) a << QStringLiteral("--load") << load;
    if (!run.serial.isEmpty()) a << QStringLiteral("--serial") << run.serial;
    if (run.noReboot) a << QStringLiteral("--no-reboot");
    if (!run.gdb.isEmpty()) a << QStringLiteral("--gdb") << run.gdb;
    if (run.paused) a << QStringLiteral("--paused");

    for (const QString& ignored : imported.ignored) line.warnings << ignored;
    for (const QString& note : imported.notes) line.warnings << note;
    if (imported.optionsGiven.contains(QStringLiteral("name")))
        line.warnings << QStringLiteral(
                             "-name %1: a run has no window to title (with --save NAME, NAME names the VM)")
                             .arg(c.name);
    if (!run.noGraphic)
        line.warnings << QStringLiteral(
            "no window: the serial console is on this terminal, as with -nographic (the Tessera app "
            "shows the screen: tessera-cli qemu --save NAME …)");
    return line;
}

}  // namespace tessera::vm

#include "core/vm/vm_machine_config.h"

#include <QFile>
#include <QThread>

#include "core/vm/backing_trust.h"
#include "core/vm/linked_clones.h"
#include "core/vm/port_forward_rule.h"
#include "core/vm/size_text.h"
#include "core/vm/uefi_firmware.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

std::string localPath(const VmBundle& bundle, const QString& path) {
    return QFile::encodeName(bundle.resolve(path)).toStdString();
}

Result<devices::NicOption> nicOptionFor(const NetworkInterface& nic) {
    devices::NicOption option;
    if (!nic.mac.isEmpty()) {
        auto mac = devices::VirtioNet::parseMac(nic.mac.toStdString());
        if (!mac) return makeError("nics[0].mac: " + mac.message());
        option.mac = *mac;
    }
    for (int i = 0; i < nic.forwards.size(); ++i) {
        Result<net::HostForward> rule =
            hostForwardFor(nic.forwards[i], QStringLiteral("nics[0].forwards[%1]").arg(i));
        if (!rule) return rule.error();
        option.forwards.push_back(*rule);
    }
    option.linkUp = nic.nat;  // NAT off = a NIC with its cable unplugged, as the settings dialog says
    return option;
}

// Every path that starts a bundle, on any board, comes here: no disk reaches a
// host file through a backing file nobody allowed (the app and the CLI ask
// first), nor is a disk written that other VMs (its linked clones) build on.
Status disksMayStart(const VmConfig& config, const VmBundle& bundle) {
    if (const QList<OutsideBacking> outside = outsideBackingFiles(config, bundle); !outside.isEmpty())
        return makeError(describeOutsideBacking(config, outside.first()).toStdString());
    if (const QList<VmEntry> clones = clonesDamagedByStarting(config, bundle); !clones.isEmpty())
        return makeError(describeDamagedClones(config, clones).toStdString());
    return Status::success();
}

devices::DiskOption diskOptionFor(const Disk& disk, const VmBundle& bundle) {
    devices::DiskOption option;
    option.path = localPath(bundle, disk.file);
    option.format = disk.format.toStdString();
    option.readOnly = disk.readOnly;
    return option;
}

// An installer disc comes first in the boot order (the wizard's choice for an ISO).
bool bootsFromDisc(const VmConfig& config) {
    return !config.cdrom.isEmpty() && !config.boot.order.isEmpty() &&
           config.boot.order.first() == QLatin1String("cdrom");
}

}  // namespace

bool emulatorRuns(const QString& arch) {
    return arch == QLatin1String("riscv64") || arch == QLatin1String("ppc");
}

QString runnableBoardFor(const QString& arch) {
    if (arch == QLatin1String("riscv64")) return QStringLiteral("virt");
    if (arch == QLatin1String("ppc")) return QStringLiteral("mac99");
    return defaultBoardFor(arch);
}

bool isMac99(const VmConfig& config) {
    return config.arch == QLatin1String("ppc") && config.board == QLatin1String("mac99");
}

QString whyEmulatorCannotRun(const VmConfig& config) {
    if (!emulatorRuns(config.arch))
        return tr("Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit (Power Mac, mac99) systems "
                  "today. This VM is for %1 (board \"%2\"): it can be kept and shown as a QEMU command (Show "
                  "QEMU Command), but not started in Tessera yet.")
            .arg(architectureLabel(config.arch), config.board);
    if (const QString board = runnableBoardFor(config.arch); config.board != board)
        return tr("Tessera's emulator runs %1 systems on the \"%2\" board; this VM uses the \"%3\" board. "
                  "It can be kept and shown as a QEMU command (Show QEMU Command), but not started in "
                  "Tessera yet.")
            .arg(architectureLabel(config.arch), board, config.board);
    if (isMac99(config)) {
        if (config.cpus > maxRunnableCpus(config.arch))
            return tr("A Power Mac (mac99) has one CPU, but this VM is set to %1. Set CPUs to 1 in the VM's "
                      "Settings.")
                .arg(config.cpus);
        if (config.memoryBytes < machine::kMac99MinRam || config.memoryBytes > machine::kMac99MaxRam)
            return tr("A Power Mac (mac99) takes from 32 MiB to 2047 MiB of memory, as QEMU's does; this VM "
                      "is set to %1. Change the memory in the VM's Settings.")
                .arg(formatSizeForHumans(config.memoryBytes));
        // Two IDE disks (the first ATA bus's master and slave) and the CD-ROM (the second's master).
        if (config.disks.size() > machine::kMac99MaxDisks)
            return tr("A Power Mac (mac99) has two disks at most, but this VM has %1. Remove all but two "
                      "disks in the VM's Settings.")
                .arg(config.disks.size());
    }
    return {};
}

Result<machine::RiscvVirtConfig> boardConfigFor(const VmConfig& config, const VmBundle& bundle,
                                                QStringList* notes) {
    if (const QString why = whyEmulatorCannotRun(config); !why.isEmpty()) return makeError(why.toStdString());
    if (config.arch != QLatin1String("riscv64"))  // the caller picks the board by architecture
        return makeError("a " + config.arch.toStdString() + " VM does not run on the RISC-V virt board.");
    if (config.cpus > maxRunnableCpus())
        return makeError(tr("This VM is set to %n CPU(s), but this version of Tessera runs VMs "
                            "with at most %1. Lower the number of CPUs in the VM's Settings.",
                            nullptr, config.cpus)
                             .arg(maxRunnableCpus())
                             .toStdString());
    TESSERA_TRY(disksMayStart(config, bundle));
    machine::RiscvVirtConfig board;
    board.ramSize = config.memoryBytes;
    board.harts = unsigned(config.cpus);
    // Each CPU is a host thread: more than the host has still run, sharing its cores.
    if (const int hostCores = QThread::idealThreadCount(); notes && hostCores > 0 && config.cpus > hostCores)
        *notes << tr("This VM has %n CPU(s) but this computer only %1 cores: the VM's CPUs take turns on "
                     "them, so it runs slower than with %1 CPUs.",
                     nullptr, config.cpus)
                      .arg(hostCores);
    if (bootsWithUefi(config)) {
        if (!QFile::exists(riscvUefiCode()))
            return makeError(
                QStringLiteral("This VM starts with UEFI firmware, which is not installed (%1 is missing): "
                               "install Debian's qemu-efi-riscv64 package (Debian 13 or later).")
                    .arg(riscvUefiCode())
                    .toStdString());
        auto vars = ensureUefiVars(bundle);
        if (!vars) return vars.error();
        board.bios = kDefaultRiscvSbiForUefi;
        board.pflash = {QFile::encodeName(riscvUefiCode()).toStdString(),
                        QFile::encodeName(*vars).toStdString()};
        board.kernel = localPath(bundle, config.boot.kernel);
    } else {
        if (notes && config.boot.firmware.isEmpty() && config.boot.kernel.isEmpty() &&
            !config.boot.order.isEmpty() && config.boot.order.first() == QLatin1String("cdrom"))
            *notes << QStringLiteral(
                          "This VM should start from its CD-ROM, but U-Boot cannot read it and UEFI firmware "
                          "is not installed (%1): install Debian's qemu-efi-riscv64 package.")
                          .arg(riscvUefiCode());
        board.bios = config.boot.firmware.isEmpty() ? std::string(kDefaultRiscvFirmware)
                                                    : localPath(bundle, config.boot.firmware);
        board.kernel = config.boot.kernel.isEmpty() ? std::string(kDefaultRiscvBootLoader)
                                                    : localPath(bundle, config.boot.kernel);
    }
    board.initrd = localPath(bundle, config.boot.initrd);
    board.append = config.boot.append.toStdString();

    devices::VirtioDevicesConfig& virtio = board.virtio;
    virtio.vmName = config.name.toStdString();
    for (const Disk& disk : config.disks) virtio.disks.push_back(diskOptionFor(disk, bundle));
    // A drive is always present, so a disc can be inserted while the VM runs.
    virtio.cdromDrive = true;
    virtio.cdromImage = localPath(bundle, config.cdrom);
    if (!config.nics.isEmpty()) {
        auto nic = nicOptionFor(config.nics.first());
        if (!nic) return nic.error();
        virtio.nic = *nic;
        if (notes && config.nics.size() > 1)
            *notes << tr("Only the first network card is attached; this machine has one virtio-net slot.");
    }
    virtio.display = config.display.type != QLatin1String("none");
    virtio.input = virtio.display;
    virtio.displaySize = QSize(config.display.width, config.display.height);
    return board;
}

Result<machine::Mac99Config> mac99ConfigFor(const VmConfig& config, const VmBundle& bundle,
                                            QStringList* notes) {
    if (const QString why = whyEmulatorCannotRun(config); !why.isEmpty()) return makeError(why.toStdString());
    if (!isMac99(config))  // the caller picks the board by architecture
        return makeError("a " + config.arch.toStdString() + " VM does not run on the PowerPC mac99 board.");
    TESSERA_TRY(disksMayStart(config, bundle));
    machine::Mac99Config board;
    board.ramSize = config.memoryBytes;
    board.bios = config.boot.firmware.isEmpty() ? std::string(kDefaultMac99Firmware)
                                                : localPath(bundle, config.boot.firmware);
    board.kernel = localPath(bundle, config.boot.kernel);
    board.initrd = localPath(bundle, config.boot.initrd);
    board.append = config.boot.append.toStdString();
    // The disks on the first ATA bus, the CD-ROM drive on the second: the drive is
    // always there, so a disc can be inserted while the VM runs (as on RISC-V).
    if (!config.disks.isEmpty()) board.storage.disk = diskOptionFor(config.disks.first(), bundle);
    if (config.disks.size() > 1) board.storage.secondDisk = diskOptionFor(config.disks.at(1), bundle);
    board.storage.cdromDrive = true;
    board.storage.cdromImage = localPath(bundle, config.cdrom);
    // OpenBIOS starts the disc when it is the installer the VM boots from, else the disk.
    board.bootDevice = bootsFromDisc(config) ? 'd' : 'c';
    // The board's one network card is an e1000 (what QEMU's -device e1000 gives
    // a Power Mac), whatever model the VM names: the user network and forwards are the VM's.
    if (!config.nics.isEmpty()) {
        auto nic = nicOptionFor(config.nics.first());
        if (!nic) return nic.error();
        board.nic = *nic;
        if (notes && config.nics.size() > 1)
            *notes << tr("Only the first network card is attached; a Power Mac (mac99) has one e1000.");
    }
    // The VGA (with the ADB keyboard and mouse always on CUDA) when the VM has a screen.
    board.display = config.display.type != QLatin1String("none");
    return board;
}

}  // namespace tessera::vm

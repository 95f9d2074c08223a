#include "core/vm/qemu_import.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include "core/machine/mac99_config.h"
#include "core/net/host_forward.h"
#include "core/vm/qemu_command.h"
#include "core/vm/shell_words.h"
#include "core/vm/size_text.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

// Options that take no argument; everything else we know takes exactly one.
const QStringList kFlagOptions = {
    QStringLiteral("nographic"), QStringLiteral("localtime"), QStringLiteral("no-reboot"), QStringLiteral("no-shutdown"),
    QStringLiteral("enable-kvm"), QStringLiteral("snapshot"), QStringLiteral("S"), QStringLiteral("s"),
    QStringLiteral("nodefaults"), QStringLiteral("no-acpi"), QStringLiteral("no-hpet"), QStringLiteral("usb"),
    QStringLiteral("daemonize"), QStringLiteral("full-screen"), QStringLiteral("no-user-config"),
    QStringLiteral("no-fd-bootchk"), QStringLiteral("no-quit"), QStringLiteral("no-graphic"),
};
// Recognised options that do not carry over, with the reason shown to the user.
// A run of the command still does what the user expects without them (a
// warning says so), except kUnsafeToIgnore's, whose absence changes what the run
// does to the user's files or scripts: `tessera-cli qemu` refuses those.
const QHash<QString, const char*> kIgnoredWithReason = {
    {QStringLiteral("enable-kvm"),
     QT_TRANSLATE_NOOP("tessera::vm", "Tessera uses its own emulator, not KVM")},
    {QStringLiteral("accel"), QT_TRANSLATE_NOOP("tessera::vm", "Tessera uses its own emulator")},
    {QStringLiteral("cpu"), QT_TRANSLATE_NOOP("tessera::vm", "Tessera chooses the CPU model for the board")},
    {QStringLiteral("localtime"),
     QT_TRANSLATE_NOOP("tessera::vm", "the guest clock always follows the host clock")},
    {QStringLiteral("rtc"),
     QT_TRANSLATE_NOOP("tessera::vm", "the guest clock always follows the host clock")},
    {QStringLiteral("no-shutdown"), QT_TRANSLATE_NOOP("tessera::vm", "not configurable yet")},
    {QStringLiteral("monitor"), QT_TRANSLATE_NOOP("tessera::vm", "Tessera has no QEMU monitor")},
    {QStringLiteral("display"),
     QT_TRANSLATE_NOOP("tessera::vm", "Tessera shows the screen in its own window")},
    {QStringLiteral("vga"),
     QT_TRANSLATE_NOOP("tessera::vm", "Tessera picks the display device for the board")},
    {QStringLiteral("k"), QT_TRANSLATE_NOOP("tessera::vm", "the keyboard layout comes from the host")},
    {QStringLiteral("usb"), QT_TRANSLATE_NOOP("tessera::vm", "USB is not emulated")},
    {QStringLiteral("snapshot"),
     QT_TRANSLATE_NOOP("tessera::vm", "throw-away sessions are not supported yet")},
    {QStringLiteral("daemonize"), QT_TRANSLATE_NOOP("tessera::vm", "not applicable to a desktop app")},
    {QStringLiteral("full-screen"),
     QT_TRANSLATE_NOOP("tessera::vm", "use View → Full Screen in the VM window")},
    {QStringLiteral("no-user-config"), QT_TRANSLATE_NOOP("tessera::vm", "not applicable")},
    {QStringLiteral("D"), QT_TRANSLATE_NOOP("tessera::vm", "logs go into the VM's logs folder")},
    {QStringLiteral("d"), QT_TRANSLATE_NOOP("tessera::vm", "logs go into the VM's logs folder")},
    {QStringLiteral("pidfile"), QT_TRANSLATE_NOOP("tessera::vm", "not applicable to a desktop app")},
    {QStringLiteral("watchdog"), QT_TRANSLATE_NOOP("tessera::vm", "no watchdog device")},
    {QStringLiteral("soundhw"), QT_TRANSLATE_NOOP("tessera::vm", "no sound device")},
    {QStringLiteral("audiodev"), QT_TRANSLATE_NOOP("tessera::vm", "no sound device")},
    {QStringLiteral("sandbox"), QT_TRANSLATE_NOOP("tessera::vm", "not applicable")},
};

const QStringList kUnsafeToIgnore = {
    QStringLiteral("snapshot"),   // writes would reach the disk the user meant to keep unchanged
    QStringLiteral("daemonize"),  // a script would wait for a VM it expects in the background
    QStringLiteral("pidfile"),    // a script would look for the file to stop the VM
};

const QHash<QString, QString> kArchByProgramSuffix = {
    {QStringLiteral("riscv64"), QStringLiteral("riscv64")}, {QStringLiteral("riscv32"), QStringLiteral("riscv32")},
    {QStringLiteral("aarch64"), QStringLiteral("aarch64")}, {QStringLiteral("arm"), QStringLiteral("arm")},
    {QStringLiteral("ppc"), QStringLiteral("ppc")},         {QStringLiteral("ppc64"), QStringLiteral("ppc64")},
    {QStringLiteral("x86_64"), QStringLiteral("x86_64")},   {QStringLiteral("i386"), QStringLiteral("i386")},
    {QStringLiteral("mips"), QStringLiteral("mips")},       {QStringLiteral("mips64el"), QStringLiteral("mips64el")},
    {QStringLiteral("s390x"), QStringLiteral("s390x")},     {QStringLiteral("sparc64"), QStringLiteral("sparc64")},
    {QStringLiteral("m68k"), QStringLiteral("m68k")},
};

// Network cards Tessera knows as "virtio-net"; others keep QEMU's device name.
QString nicModelFor(const QString& device) {
    if (device == QLatin1String("virtio-net-device") || device == QLatin1String("virtio-net-pci") ||
        device == QLatin1String("virtio-net") || device == QLatin1String("virtio"))
        return QStringLiteral("virtio-net");
    return device;
}

bool isDisplayDevice(const QString& device) {
    static const QStringList devices = {QStringLiteral("virtio-gpu-device"), QStringLiteral("virtio-gpu-pci"),
                                        QStringLiteral("virtio-gpu"), QStringLiteral("ramfb"), QStringLiteral("VGA"),
                                        QStringLiteral("bochs-display"), QStringLiteral("std-vga")};
    return devices.contains(device);
}

bool isInputOrBusDevice(const QString& device) {
    static const QStringList devices = {
        QStringLiteral("virtio-keyboard-device"), QStringLiteral("virtio-tablet-device"),
        QStringLiteral("virtio-mouse-device"), QStringLiteral("virtio-keyboard-pci"),
        QStringLiteral("virtio-tablet-pci"), QStringLiteral("virtio-mouse-pci"),
        QStringLiteral("virtio-scsi-device"), QStringLiteral("virtio-scsi-pci"),
        QStringLiteral("usb-kbd"), QStringLiteral("usb-tablet"), QStringLiteral("usb-mouse"),
        QStringLiteral("qemu-xhci"), QStringLiteral("usb-ehci"), QStringLiteral("virtio-rng-device"),
        QStringLiteral("virtio-rng-pci")};
    return devices.contains(device);
}

// QEMU probes the format; we do the same for the one format with a magic.
QString probeFormat(const QString& path) {
    QFile file(path);
    if (file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("QFI\xfb", 4)) return QStringLiteral("qcow2");
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("qcow2") || suffix == QLatin1String("qcow")) return QStringLiteral("qcow2");
    return QStringLiteral("raw");
}

struct PendingDrive {
    QString file, format, id;
    bool cdrom = false;
    bool readOnly = false;
    bool attached = false;  // if=none drives need a -device to appear
};

class Importer {
public:
    // lupdate files the tr() calls in this class under its own context, so they
    // are translated with that one (the GUI shows them; tessera-cli prints English).
    static QString tr(const char* text) { return QCoreApplication::translate("tessera::vm::Importer", text); }

    explicit Importer(QString fallbackName) : fallbackName_(std::move(fallbackName)) {}

    Result<QemuImport> run(const QStringList& argv) {
        if (argv.isEmpty()) return makeError("the command is empty; paste a line starting with qemu-system-<architecture>");
        const QString program = QFileInfo(argv.first()).fileName();
        static const QRegularExpression programPattern(QStringLiteral("^qemu-system-([A-Za-z0-9_]+)(\\.exe)?$"));
        const auto match = programPattern.match(program);
        if (!match.hasMatch())
            return makeError(tr("the command starts with \"%1\", but a QEMU virtual machine command "
                                "starts with qemu-system-<architecture>, e.g. qemu-system-riscv64")
                                 .arg(argv.first())
                                 .toStdString());
        const QString arch = kArchByProgramSuffix.value(match.captured(1));
        if (arch.isEmpty())
            return makeError(tr("%1: Tessera does not know the \"%2\" architecture")
                                 .arg(program, match.captured(1))
                                 .toStdString());
        VmConfig& c = result_.config;
        c.arch = arch;
        c.board = defaultBoardFor(arch);

        for (int i = 1; i < argv.size(); ++i) {
            const QString& word = argv[i];
            if (!word.startsWith(QLatin1Char('-')) || word == QLatin1String("-")) {
                addDisk(word, QString(), false, tr("%1 (a disk image without an option)").arg(word));
                continue;
            }
            QString option = word.mid(word.startsWith(QLatin1String("--")) ? 2 : 1);
            QString value;
            const bool flag = kFlagOptions.contains(option);
            if (!flag) {
                if (i + 1 >= argv.size()) {
                    if (!knows(option)) {
                        refused() << tr("%1 (unknown option)").arg(word);
                        continue;
                    }
                    return makeError(tr("%1 needs a value after it").arg(word).toStdString());
                }
                if (!knows(option) && argv[i + 1].startsWith(QLatin1Char('-'))) {
                    refused() << tr("%1 (unknown option)").arg(word);
                    continue;
                }
                value = argv[++i];
            }
            result_.optionsGiven << option;
            if (Status s = apply(option, value, word); !s) return s.error();
        }
        finishDrives();
        finishNics();
        if (c.arch == QLatin1String("ppc")) fitPowerMac(boardGiven_);
        if (c.arch == QLatin1String("riscv64") && !boardGiven_)
            result_.notes << tr(
                "qemu-system-riscv64 without -M starts QEMU's spike; Tessera's RISC-V machine is "
                "\"virt\" (what RISC-V guides use with -M virt), so the VM uses that.");
        if (!named_) nameAfterTheDisk();
        if (Status s = validate(c, QStringLiteral("the imported command")); !s) return s.error();
        return result_;
    }

private:
    static bool knows(const QString& option) {
        static const QStringList handled = {
            QStringLiteral("m"),         QStringLiteral("smp"),        QStringLiteral("machine"),
            QStringLiteral("M"),         QStringLiteral("name"),       QStringLiteral("bios"),
            QStringLiteral("kernel"),    QStringLiteral("initrd"),     QStringLiteral("append"),
            QStringLiteral("hda"),       QStringLiteral("hdb"),        QStringLiteral("hdc"),
            QStringLiteral("hdd"),       QStringLiteral("cdrom"),      QStringLiteral("drive"),
            QStringLiteral("boot"),      QStringLiteral("netdev"),     QStringLiteral("net"),
            QStringLiteral("nic"),       QStringLiteral("device"),     QStringLiteral("redir"),
            QStringLiteral("nographic"), QStringLiteral("nodefaults"), QStringLiteral("no-reboot"),
            QStringLiteral("S"),         QStringLiteral("s"),          QStringLiteral("gdb"),
            QStringLiteral("serial")};
        return handled.contains(option) || kIgnoredWithReason.contains(option);
    }

    Status apply(const QString& option, const QString& value, const QString& word) {
        VmConfig& c = result_.config;
        const QString shown = value.isEmpty() ? word : word + QLatin1Char(' ') + value;
        if (option == QLatin1String("m")) {
            QString size = value;
            for (const auto& [key, v] : splitQemuOptions(value))
                if (key.isEmpty() || key == QLatin1String("size")) size = v;
            const auto bytes = parseSize(size, 'M');  // QEMU: a bare -m number is MiB
            if (!bytes)
                return makeError(tr("-m %1: memory must be a size like 512M or 2G").arg(value).toStdString());
            c.memoryBytes = *bytes;
        } else if (option == QLatin1String("smp")) {
            QString cpus = value;
            for (const auto& [key, v] : splitQemuOptions(value))
                if (key.isEmpty() || key == QLatin1String("cpus")) cpus = v;
            bool ok = false;
            c.cpus = cpus.toInt(&ok);
            if (!ok || c.cpus < 1)
                return makeError(
                    tr("-smp %1: the CPU count must be a whole number").arg(value).toStdString());
        } else if (option == QLatin1String("machine") || option == QLatin1String("M")) {
            for (const auto& [key, v] : splitQemuOptions(value)) {
                if (key.isEmpty() || key == QLatin1String("type")) {
                    c.board = v;
                    boardGiven_ = true;
                } else
                    result_.ignored
                        << tr("-machine %1=%2 (board properties are fixed in Tessera)").arg(key, v);
            }
        } else if (option == QLatin1String("name")) {
            for (const auto& [key, v] : splitQemuOptions(value)) {
                if (key.isEmpty() || key == QLatin1String("guest")) {
                    c.name = v;
                    named_ = true;
                }
            }
        } else if (option == QLatin1String("bios")) {
            // -bios default: the board's own firmware (OpenSBI, OpenBIOS), as without -bios.
            c.boot.firmware = value == QLatin1String("default") ? QString() : value;
        } else if (option == QLatin1String("kernel")) {
            c.boot.kernel = value;
        } else if (option == QLatin1String("initrd")) {
            c.boot.initrd = value;
        } else if (option == QLatin1String("append")) {
            c.boot.append = value;
        } else if (option.size() == 3 && option.startsWith(QLatin1String("hd"))) {
            addDisk(value, QString(), false, shown);
        } else if (option == QLatin1String("cdrom")) {
            c.cdrom = value;
        } else if (option == QLatin1String("drive")) {
            parseDrive(value, shown);
        } else if (option == QLatin1String("boot")) {
            parseBoot(value, shown);
        } else if (option == QLatin1String("netdev")) {
            return parseNetdev(value, shown);
        } else if (option == QLatin1String("nic")) {
            return parseNic(value, shown);
        } else if (option == QLatin1String("net")) {
            return parseLegacyNet(value, shown);
        } else if (option == QLatin1String("device")) {
            parseDevice(value, shown);
        } else if (option == QLatin1String("redir")) {
            parseRedir(value, shown);
        } else if (option == QLatin1String("nodefaults")) {
            noDefaults_ = true;  // QEMU then adds no network card of its own either
        } else if (option == QLatin1String("nographic")) {
            c.display.type = QStringLiteral("none");
            result_.run.noGraphic = true;
        } else if (option == QLatin1String("no-reboot")) {
            result_.run.noReboot = true;
            keptForRunOnly(shown);
        } else if (option == QLatin1String("S")) {
            result_.run.paused = true;
            keptForRunOnly(shown);
        } else if (option == QLatin1String("s")) {
            result_.run.gdb = QStringLiteral("tcp::1234");  // QEMU: "-s  shorthand for -gdb tcp::1234"
            keptForRunOnly(shown);
        } else if (option == QLatin1String("gdb")) {
            result_.run.gdb = value;
            keptForRunOnly(shown);
        } else if (option == QLatin1String("serial")) {
            parseSerial(value, shown);
        } else if (kIgnoredWithReason.contains(option)) {
            if (option == QLatin1String("display") && value.startsWith(QLatin1String("none"))) {
                c.display.type = QStringLiteral("none");
                result_.run.noGraphic = true;
                return Status::success();
            }
            const QString text = tr("%1 (%2)").arg(shown, vm::tr(kIgnoredWithReason.value(option)));
            if (kUnsafeToIgnore.contains(option))
                refused() << text;
            else
                result_.ignored << text;
        } else {
            refused() << tr("%1 (unknown option)").arg(shown);
        }
        return Status::success();
    }

    // Appends to `ignored` and to `unsupported`: what a run cannot leave out.
    struct BothLists {
        QStringList& ignored;
        QStringList& unsupported;
        BothLists& operator<<(const QString& text) {
            ignored << text;
            unsupported << text;
            return *this;
        }
    };
    BothLists refused() { return {result_.ignored, result_.unsupported}; }

    // A VM keeps the NAT it got instead (a note), but a run of the command would not
    // have the network the user asked for (a tap device, a bridge).
    void becameNat(const QString& text) {
        result_.notes << text;
        result_.unsupported << text;
    }

    void keptForRunOnly(const QString& shown) {
        result_.runOnly << tr("%1 (used when the command runs with tessera-cli qemu; a VM in the library "
                              "does not keep it)")
                               .arg(shown);
    }

    // tessera-cli puts the serial console on the terminal (QEMU's stdio), nowhere,
    // or in a file; a window's console (vc) becomes the terminal.
    void parseSerial(const QString& value, const QString& shown) {
        static const QStringList terminal = {QStringLiteral("stdio"), QStringLiteral("mon:stdio"),
                                             QStringLiteral("vc")};
        if (terminal.contains(value))
            result_.run.serial = QStringLiteral("stdio");
        else if (value == QLatin1String("none") || value == QLatin1String("null"))
            result_.run.serial = QStringLiteral("none");
        else if (value.startsWith(QLatin1String("file:")) && value.size() > 5)
            result_.run.serial = value;
        else {
            refused()
                << tr("%1 (the serial console goes to the terminal (stdio), none or file:PATH)").arg(shown);
            return;
        }
        keptForRunOnly(shown);
    }

    void addDisk(const QString& file, const QString& format, bool readOnly, const QString&) {
        Disk disk;
        disk.file = file;
        disk.format = format.isEmpty() ? probeFormat(file) : format;
        disk.readOnly = readOnly;
        result_.config.disks << disk;
    }

    void parseDrive(const QString& value, const QString& shown) {
        PendingDrive drive;
        QString interface;
        for (const auto& [key, v] : splitQemuOptions(value)) {
            if (key == QLatin1String("file")) drive.file = v;
            else if (key == QLatin1String("format")) drive.format = v;
            else if (key == QLatin1String("id")) drive.id = v;
            else if (key == QLatin1String("media")) drive.cdrom = v == QLatin1String("cdrom");
            else if (key == QLatin1String("readonly")) drive.readOnly = v == QLatin1String("on") || v.isEmpty();
            else if (key == QLatin1String("if")) interface = v;
            else if (key == QLatin1String("index") || key == QLatin1String("cache") || key == QLatin1String("aio") ||
                     key == QLatin1String("discard") || key == QLatin1String("detect-zeroes"))
                continue;  // host-side tuning; Tessera picks its own
            else
                refused() << tr("-drive %1=%2 (not supported)").arg(key, v);
        }
        if (drive.file.isEmpty()) {
            refused() << tr("%1 (a drive without a file)").arg(shown);
            return;
        }
        drive.attached = interface != QLatin1String("none");
        drives_ << drive;
    }

    void parseBoot(const QString& value, const QString& shown) {
        QStringList order;
        for (const auto& [key, v] : splitQemuOptions(value)) {
            if (key.isEmpty() || key == QLatin1String("order") || key == QLatin1String("once")) {
                for (QChar letter : v) {
                    if (letter == QLatin1Char('c')) order << QStringLiteral("disk");
                    else if (letter == QLatin1Char('d')) order << QStringLiteral("cdrom");
                    else
                        refused() << tr("-boot %1 (boot device \"%2\" does not exist in Tessera)")
                                         .arg(value, letter);
                }
            } else if (key != QLatin1String("menu") && key != QLatin1String("strict")) {
                refused() << tr("%1: %2=%3 (not supported)").arg(shown, key, v);
            }
        }
        order.removeDuplicates();
        result_.config.boot.order = order;
    }

    NetworkInterface& nicForNetdev(const QString& id) {
        if (!netdevIndex_.contains(id)) {
            netdevIndex_.insert(id, int(nics_.size()));
            nics_.append({NetworkInterface{}, false});
        }
        return nics_[netdevIndex_.value(id)].first;
    }

    // hostfwd=[tcp|udp]:[hostaddr]:hostport-[guestaddr]:guestport (qemu-options.hx, -netdev user),
    // through the same parser and validator as --nic and the monitor: a rule that would
    // listen somewhere other than written (an IPv6 or host-name address, junk) fails the import.
    Status addForward(NetworkInterface& nic, const QString& spec) {
        const Result<net::HostForward> rule = net::parseHostForward(spec.toStdString());
        if (!rule) return rule.error();
        // QEMU binds an empty host address to every interface; Tessera defaults to loopback so that a
        // forwarded ssh port is not exposed to the network by accident (UTM issue #7132).
        if (net::splitHostForward(spec.toStdString())->hostAddress.empty())
            result_.notes
                << tr("%1: QEMU listens on all network interfaces; Tessera listens on 127.0.0.1 only. "
                      "If other computers must connect, use the address 0.0.0.0 (in the port-forward settings, or "
                      "hostfwd=tcp:0.0.0.0:…).")
                       .arg(spec);
        PortForward f;
        f.protocol = rule->udp ? QStringLiteral("udp") : QStringLiteral("tcp");
        f.hostAddress = QString::fromStdString(rule->hostAddress);
        f.hostPort = rule->hostPort;
        f.guestAddress = QString::fromStdString(rule->guestAddress);
        f.guestPort = rule->guestPort;
        nic.forwards << f;
        return Status::success();
    }

    Status parseNetdev(const QString& value, const QString& shown) {
        networkGiven_ = true;
        const auto options = splitQemuOptions(value);
        QString type, id;
        for (const auto& [key, v] : options) {
            if (key.isEmpty() && type.isEmpty()) type = v;
            else if (key == QLatin1String("type")) type = v;
            else if (key == QLatin1String("id")) id = v;
        }
        NetworkInterface& nic = nicForNetdev(id);
        if (type != QLatin1String("user")) {
            becameNat(tr("%1: only user-mode networking (NAT) exists in Tessera; \"%2\" became NAT")
                          .arg(shown, type));
            return Status::success();
        }
        for (const auto& [key, v] : options) {
            if (key == QLatin1String("hostfwd"))
                TESSERA_TRY(addForward(nic, v));
            else if (key == QLatin1String("restrict")) nic.nat = !(v == QLatin1String("on") || v == QLatin1String("yes"));
            else if (!key.isEmpty() && key != QLatin1String("id") && key != QLatin1String("type"))
                refused() << tr("-netdev %1=%2 (not supported)").arg(key, v);
        }
        return Status::success();
    }

    Status parseNic(const QString& value, const QString& shown) {
        networkGiven_ = true;
        const auto options = splitQemuOptions(value);
        if (!options.isEmpty() && options.first().first.isEmpty() && options.first().second == QLatin1String("none")) {
            noNetwork_ = true;
            return Status::success();
        }
        NetworkInterface& nic = nicForNetdev(QStringLiteral("\x01nic%1").arg(nics_.size()));
        nics_.last().second = true;
        for (const auto& [key, v] : options) {
            if (key.isEmpty()) {
                if (v != QLatin1String("user")) becameNat(tr("%1: \"%2\" became NAT").arg(shown, v));
            } else if (key == QLatin1String("model")) nic.model = nicModelFor(v);
            else if (key == QLatin1String("mac")) nic.mac = v;
            else if (key == QLatin1String("hostfwd"))
                TESSERA_TRY(addForward(nic, v));
            else if (key == QLatin1String("restrict")) nic.nat = v != QLatin1String("on");
            else if (key != QLatin1String("id"))
                refused() << tr("-nic %1=%2 (not supported)").arg(key, v);
        }
        return Status::success();
    }

    // Old "-net nic -net user" pairs: both sides share VLAN 0.
    Status parseLegacyNet(const QString& value, const QString& shown) {
        networkGiven_ = true;
        const auto options = splitQemuOptions(value);
        const QString kind = options.isEmpty() ? QString() : options.first().second;
        if (kind == QLatin1String("none")) {
            noNetwork_ = true;
            return Status::success();
        }
        NetworkInterface& nic = nicForNetdev(QStringLiteral("\x01vlan"));
        nics_[netdevIndex_.value(QStringLiteral("\x01vlan"))].second = true;
        for (const auto& [key, v] : options) {
            if (key.isEmpty()) {
                if (v != QLatin1String("nic") && v != QLatin1String("user"))
                    becameNat(tr("%1: \"%2\" became NAT").arg(shown, v));
            } else if (key == QLatin1String("model")) nic.model = nicModelFor(v);
            else if (key == QLatin1String("macaddr")) nic.mac = v;
            else if (key == QLatin1String("hostfwd"))
                TESSERA_TRY(addForward(nic, v));
            else if (key != QLatin1String("vlan") && key != QLatin1String("id") && key != QLatin1String("netdev"))
                refused() << tr("-net %1=%2 (not supported)").arg(key, v);
        }
        return Status::success();
    }

    // -redir [tcp|udp]:hostport:[guestaddr]:guestport, removed in QEMU 3.1 but still in tutorials.
    void parseRedir(const QString& value, const QString& shown) {
        static const QRegularExpression pattern(QStringLiteral("^(tcp|udp)?:?(\\d+):([^:]*):(\\d+)$"));
        const auto m = pattern.match(value);
        if (!m.hasMatch() || m.captured(2).toUInt() - 1 > 65534 || m.captured(4).toUInt() - 1 > 65534) {
            refused() << tr("%1 (not in the form tcp:2222::22)").arg(shown);
            return;
        }
        PortForward f;
        f.protocol = m.captured(1).isEmpty() ? QStringLiteral("tcp") : m.captured(1);
        f.hostAddress = QStringLiteral("127.0.0.1");
        f.hostPort = uint16_t(m.captured(2).toUInt());
        f.guestAddress = m.captured(3);
        f.guestPort = uint16_t(m.captured(4).toUInt());
        redirs_ << f;
        result_.notes
            << tr("%1: the old -redir option became a port forward from 127.0.0.1:%2 to guest port %3")
                   .arg(shown)
                   .arg(f.hostPort)
                   .arg(f.guestPort);
    }

    void parseDevice(const QString& value, const QString& shown) {
        const auto options = splitQemuOptions(value);
        const QString device = options.isEmpty() ? QString() : options.first().second;
        QHash<QString, QString> props;
        for (int i = 1; i < options.size(); ++i) props.insert(options[i].first, options[i].second);
        VmConfig& c = result_.config;
        if (props.contains(QStringLiteral("netdev"))) {
            NetworkInterface& nic = nicForNetdev(props.value(QStringLiteral("netdev")));
            nics_[netdevIndex_.value(props.value(QStringLiteral("netdev")))].second = true;
            nic.model = nicModelFor(device);
            if (props.contains(QStringLiteral("mac"))) nic.mac = props.value(QStringLiteral("mac"));
        } else if (device == QLatin1String("loader")) {
            parseLoader(props, shown);
        } else if (isDisplayDevice(device)) {
            c.display.type = QStringLiteral("framebuffer");
            if (props.contains(QStringLiteral("xres"))) c.display.width = props.value(QStringLiteral("xres")).toInt();
            if (props.contains(QStringLiteral("yres"))) c.display.height = props.value(QStringLiteral("yres")).toInt();
        } else if (device == QLatin1String("scsi-cd") || device == QLatin1String("ide-cd")) {
            attachDrive(props.value(QStringLiteral("drive")), true, shown);
        } else if (device == QLatin1String("virtio-blk-device") || device == QLatin1String("virtio-blk-pci") ||
                   device == QLatin1String("scsi-hd") || device == QLatin1String("ide-hd")) {
            attachDrive(props.value(QStringLiteral("drive")), false, shown);
        } else if (isInputOrBusDevice(device)) {
            // Part of every Tessera board; nothing to record.
        } else {
            refused() << tr("%1 (device not emulated by Tessera)").arg(shown);
        }
    }

    // QEMU's generic loader with file= and addr= copies a raw file into guest
    // memory (docs/system/generic-loader.rst), as run's --load FILE@ADDRESS does.
    // Its other forms (an ELF at its own addresses, data= writes, setting a CPU's
    // pc) have no run option.
    void parseLoader(const QHash<QString, QString>& props, const QString& shown) {
        const QString file = props.value(QStringLiteral("file"));
        const QString address = props.value(QStringLiteral("addr"));
        const bool onlyFileAndAddress =
            props.size() == 2 || (props.size() == 3 && props.contains(QStringLiteral("force-raw")));
        if (file.isEmpty() || address.isEmpty() || !onlyFileAndAddress) {
            refused() << tr("%1 (only -device loader,file=FILE,addr=ADDRESS, a raw file copied to memory)")
                             .arg(shown);
            return;
        }
        result_.run.loads << file + QLatin1Char('@') + address;
        keptForRunOnly(shown);
    }

    void attachDrive(const QString& id, bool cdrom, const QString& shown) {
        for (PendingDrive& d : drives_) {
            if (d.id == id && !id.isEmpty()) {
                d.attached = true;
                d.cdrom = d.cdrom || cdrom;
                return;
            }
        }
        refused() << tr("%1 (no -drive with id=%2)").arg(shown, id);
    }

    void finishDrives() {
        for (const PendingDrive& d : drives_) {
            if (!d.attached) {
                refused() << tr("-drive file=%1 (never attached to a device)").arg(d.file);
                continue;
            }
            if (d.cdrom) {
                if (!result_.config.cdrom.isEmpty())
                    refused() << tr("-drive file=%1 (Tessera has one CD-ROM drive)").arg(d.file);
                else result_.config.cdrom = d.file;
            } else {
                addDisk(d.file, d.format, d.readOnly, QString());
            }
        }
    }

    void finishNics() {
        VmConfig& c = result_.config;
        c.nics.clear();
        if (noNetwork_ && nics_.isEmpty() && redirs_.isEmpty()) return;
        // Without any network option QEMU gives the guest one card on user-mode networking
        // (NAT), which is what a command from a tutorial counts on; -nodefaults drops it.
        if (!networkGiven_ && redirs_.isEmpty()) {
            if (!noDefaults_) {
                c.nics << NetworkInterface{};
                result_.notes << tr(
                    "No network option: the VM gets QEMU's default, one network card with "
                    "user-mode networking (NAT).");
            }
            return;
        }
        for (const auto& [nic, used] : nics_) {
            if (!used) {
                result_.ignored << tr("-netdev without a -device that uses it");
                continue;
            }
            c.nics << nic;
        }
        if (!redirs_.isEmpty()) {
            if (c.nics.isEmpty()) c.nics << NetworkInterface{};
            c.nics.first().forwards << redirs_;
        }
    }

    // qemu-system-ppc: Tessera's PowerPC machine is the mac99 Power Mac, with one CPU
    // and at most 2047 MiB (QEMU refuses more). What it cannot take is listed; disks
    // and the CD stay in the VM, and the import preview says the board cannot use them yet.
    void fitPowerMac(bool boardGiven) {
        VmConfig& c = result_.config;
        if (!boardGiven) {
            c.board = QStringLiteral("mac99");
            result_.notes << tr(
                "qemu-system-ppc without -M starts QEMU's g3beige; Tessera's PowerPC machine is "
                "the Power Mac \"mac99\", so the VM uses that.");
        }
        if (c.board != QLatin1String("mac99")) return;  // kept for the QEMU command, not run by Tessera
        if (c.cpus > 1) {
            refused() << tr("-smp %1 (a Power Mac (mac99) has one CPU; the VM gets 1)").arg(c.cpus);
            c.cpus = 1;
        }
        if (c.memoryBytes > machine::kMac99MaxRam) {
            refused() << tr("-m %1 (a Power Mac (mac99) takes at most 2047 MiB; the VM gets that)")
                             .arg(formatSizeForHumans(c.memoryBytes));
            c.memoryBytes = machine::kMac99MaxRam;
        }
    }

    // No -name: the disk (or else the disc) says best what the VM is. A kernel's
    // file name says nothing ("Image", "vmlinuz"), so it never names the VM.
    void nameAfterTheDisk() {
        const VmConfig& c = result_.config;
        const QString file = !c.disks.isEmpty() ? c.disks.first().file : c.cdrom;
        const QString base = QFileInfo(file).completeBaseName();
        result_.config.name = base.isEmpty() ? fallbackName_ : base;
    }

    QemuImport result_;
    QString fallbackName_;
    bool named_ = false;         // -name was given
    bool boardGiven_ = false;    // -machine/-M named the board
    bool networkGiven_ = false;  // any -netdev, -nic or -net
    bool noDefaults_ = false;    // -nodefaults
    QList<PendingDrive> drives_;
    QList<QPair<NetworkInterface, bool>> nics_;  // (nic, has a device)
    QHash<QString, int> netdevIndex_;
    QList<PortForward> redirs_;
    bool noNetwork_ = false;
};

}  // namespace

Result<QemuImport> importQemuArguments(const QStringList& argv, const QString& fallbackName) {
    return Importer(fallbackName).run(argv);
}

void resolveCommandPaths(VmConfig& config, const QDir& base) {
    auto absolute = [&](QString& path) {
        if (!path.isEmpty() && path != QLatin1String("none") && QDir::isRelativePath(path))
            path = base.absoluteFilePath(path);
    };
    absolute(config.boot.firmware);
    absolute(config.boot.kernel);
    absolute(config.boot.initrd);
    absolute(config.cdrom);
    for (Disk& d : config.disks) absolute(d.file);
}

Result<QemuImport> importQemuCommand(const QString& commandLine, const QString& fallbackName) {
    Result<QStringList> words = splitShellWords(commandLine);
    if (!words) return words.error();
    return importQemuArguments(*words, fallbackName);
}

}  // namespace tessera::vm

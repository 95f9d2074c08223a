#include "app/cli/run_options.h"

#include <QFile>
#include <QStringList>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "app/cli/run_bundle_checks.h"
#include "core/cpu/cpu_engine.h"
#include "core/vm/uefi_firmware.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"

namespace tessera::cli {

const char* const kRunUsage =
    "Usage: tessera-cli run [options]\n"
    "\n"
    "Boot a virtual machine headless, with its serial console on stdin/stdout: QEMU's\n"
    "RISC-V 'virt' board (the default) or its PowerPC 'mac99'. Options mirror\n"
    "qemu-system-riscv64 and qemu-system-ppc ('tessera-cli qemu' takes their own lines).\n"
    "\n"
    "Options:\n"
    "  --machine virt|mac99     the board: virt (default), QEMU's RISC-V virt; mac99, a PowerPC\n"
    "                           Power Mac G3/G4 as QEMU's mac99 with OpenBIOS (Debian's\n"
    "                           openbios-ppc unless --bios), booting --kernel (a vmlinux ELF, or\n"
    "                           as in QEMU a raw image at 16 MiB) with --initrd and --append\n"
    "                           (console=ttyPZ0: the ESCC serial); mac99 takes -m, --bios,\n"
    "                           --kernel, --initrd, --append, --serial, --no-reboot, --timeout,\n"
    "                           --stats, --engine, --monitor, --gdb, --paused, two --disk (ATA:\n"
    "                           /dev/sda, /dev/sdb), --cdrom (ATAPI, /dev/sr0), --boot d|c\n"
    "                           (OpenBIOS), --nic/-device e1000, --display (the VGA, ADB keyboard\n"
    "                           and mouse) and --screenshot\n"
    "  --list-machines          print the machines and CPUs this build emulates\n"
    "  --vm NAME|PATH           run a VM bundle made by the Tessera app (a name in the library,\n"
    "                           $TESSERA_VM_DIR or ~/.local/share/Tessera/VMs, or a bundle folder);\n"
    "                           its config.json defines the machine, so the machine options\n"
    "                           below (-m, --bios, --kernel, --disk, ...) cannot be combined with it\n"
    "  --accept-backing FILE    with --vm: allow a disk to read FILE, a backing file outside the VM\n"
    "                           folder that its image names (refused otherwise, since a downloaded\n"
    "                           image could name any file); remembered in config.json; repeatable\n"
    "  --make-clones-independent\n"
    "                           with --vm: if other VMs are linked clones of this one (their disks\n"
    "                           build on its disk, so starting it would damage them), first copy\n"
    "                           what they share into each clone, making them full copies\n"
    "  -m, --memory SIZE        guest RAM, e.g. 256M, 1G (plain number = MiB; default 128M)\n"
    "  --bios PATH|none         firmware loaded at 0x80000000 (raw binary or ELF), e.g.\n"
    "                           OpenSBI fw_jump.bin or fw_dynamic.bin; 'none' runs --kernel\n"
    "                           directly in M-mode (bare-metal programs); without --bios, as\n"
    "                           QEMU's -bios default: Debian's OpenSBI fw_dynamic.bin\n"
    "  --kernel PATH            RISC-V ELF (loaded at its physical addresses), or a Linux\n"
    "                           Image or raw binary (e.g. U-Boot's u-boot.bin) loaded, as QEMU\n"
    "                           does, at the first 2 MiB boundary after the firmware\n"
    "                           (0x80200000 with OpenSBI; 0x80000000 with --bios none);\n"
    "                           without it (and --bios, --load, --pflash, --boot), a --disk\n"
    "                           starts with Debian's U-Boot (u-boot-qemu), as a VM in the app:\n"
    "                           it boots the disk's extlinux.conf or EFI boot loader\n"
    "  --initrd PATH            initial ramdisk, placed high in RAM below the device tree\n"
    "  --append TEXT            kernel command line (/chosen/bootargs)\n"
    "  --load FILE@ADDRESS      copy a raw file into guest RAM (like QEMU's -device loader),\n"
    "                           e.g. --load Image@0x84000000 for U-Boot's booti\n"
    "  --pflash FILE            a CFI flash bank at 0x20000000, like QEMU's -pflash: the first\n"
    "                           holds firmware code that OpenSBI (--bios fw_dynamic.bin) runs\n"
    "                           in S-mode when there is no --kernel, e.g. EDK2's\n"
    "                           RISCV_VIRT_CODE.fd; the second, its variables (a writable copy\n"
    "                           of RISCV_VIRT_VARS.fd, locked while the VM runs)\n"
    "  --boot d|c               start from the CD-ROM (d) or the disk (c), like QEMU's -boot:\n"
    "                           without --bios/--kernel/--pflash this picks UEFI firmware\n"
    "                           (OpenSBI + Debian's EDK2, qemu-efi-riscv64), which starts\n"
    "                           installer discs and installed disks (EFI system partition)\n"
    "  --serial stdio|none|file:PATH\n"
    "                           where the UART goes (default stdio; only stdio reads input)\n"
    "  --no-reboot              exit instead of rebooting when the guest resets\n"
    "  --engine jit|interp      CPU engine: jit (default), which translates guest code to host\n"
    "                           code, or interp, the interpreter\n"
    "  --smp N                  number of harts (this build runs only 1 so far)\n"
    "  --timeout SECONDS        stop the guest after SECONDS of wall time (exit status 124)\n"
    "  --stats                  print instructions, wall/busy/idle time and MIPS on stderr at exit\n"
    "  --disk PATH[,format=raw|qcow2][,readonly=on][,serial=ID]\n"
    "                           a virtio-blk disk (repeatable; the first is /dev/vda); the image\n"
    "                           is locked while the VM runs\n"
    "  --cdrom PATH             a CD-ROM drive (virtio-scsi) with this ISO, opened read-only;\n"
    "                           --cdrom none gives an empty drive\n"
    "  --nic user[,hostfwd=tcp:[ADDR]:HPORT-:GPORT]...[,mac=52:54:00:xx:xx:xx]\n"
    "                           user-mode networking (DHCP 10.0.2.15, host = 10.0.2.2); forwards\n"
    "                           listen on 127.0.0.1 (this computer only) unless ADDR, an IPv4\n"
    "                           address, is given (0.0.0.0 = every interface; localhost = 127.0.0.1)\n"
    "  --display none|headless  none: no display device (default); headless: a virtio-gpu,\n"
    "                           keyboard and tablet that nothing shows (use --screenshot/--monitor)\n"
    "  --monitor PATH           line-based monitor on a Unix socket (mode 0600): screenshot FILE,\n"
    "                           sendkey KEYS, mouse_move X Y, eject cd, change cd FILE,\n"
    "                           hostfwd_add/remove RULE, system_powerdown, system_reset,\n"
    "                           stop, cont, info cpus (every hart's pc and state), quit, help\n"
    "  --screenshot FILE        write the display as PNG when the VM stops\n"
    "  --gdb tcp::PORT          listen for GDB (gdb-multiarch: target remote 127.0.0.1:PORT) on\n"
    "                           this TCP port, as QEMU's -gdb; tcp:ADDR:PORT listens on ADDR\n"
    "                           instead of 127.0.0.1; --gdb PORT is the same as tcp::PORT\n"
    "  --paused                 start with every CPU stopped at the reset vector until GDB's\n"
    "                           continue or the monitor's cont (QEMU's -S)\n"
    "  -h, --help               show this help\n"
    "\n"
    "Exit status: the guest's power-off code (sifive_test: pass = 0, fail = its code),\n"
    "0 when the guest resets with --no-reboot or Ctrl-A X is typed, 124 on --timeout,\n"
    "125 on a host-side fatal error (guest registers are printed), 2 on bad options\n"
    "or unusable files (nothing was started).\n"
    "\n"
    "On a terminal, stdin is in raw mode: Ctrl-A X quits, Ctrl-A Ctrl-A sends Ctrl-A.\n"
    "Set TESSERA_TRACE=boot,irq,loop,mmio for debug traces on stderr.\n";

Result<uint64_t> parseMemorySize(const std::string& text) {
    if (text.empty()) return makeError("-m needs a size such as 256M or 1G.");
    errno = 0;
    char* end = nullptr;
    const double number = std::strtod(text.c_str(), &end);
    if (errno != 0 || end == text.c_str() || !(number > 0) || !std::isfinite(number))
        return makeError("-m: '" + text + "' is not a size (examples: 256M, 1G, 512).");
    const std::string suffix(end);
    static const std::map<std::string, double> kUnits = {{"", 1024.0 * 1024},
                                                         {"B", 1},
                                                         {"K", 1024.0},
                                                         {"KB", 1024.0},
                                                         {"k", 1024.0},
                                                         {"M", 1024.0 * 1024},
                                                         {"MB", 1024.0 * 1024},
                                                         {"m", 1024.0 * 1024},
                                                         {"MiB", 1024.0 * 1024},
                                                         {"G", 1024.0 * 1024 * 1024},
                                                         {"GB", 1024.0 * 1024 * 1024},
                                                         {"g", 1024.0 * 1024 * 1024},
                                                         {"GiB", 1024.0 * 1024 * 1024},
                                                         {"KiB", 1024.0}};
    const auto unit = kUnits.find(suffix);
    if (unit == kUnits.end()) return makeError("-m: unknown size suffix '" + suffix + "' (use K, M or G).");
    const double bytes = number * unit->second;
    if (bytes > double(1ull << 40))
        return makeError("-m: " + text + " is larger than this emulator supports.");
    return static_cast<uint64_t>(bytes);
}

namespace {

Result<uint64_t> parseAddress(const std::string& text, const std::string& option) {
    errno = 0;
    char* end = nullptr;
    const unsigned long long value = std::strtoull(text.c_str(), &end, 0);
    if (errno != 0 || text.empty() || *end != '\0' || text[0] == '-')
        return makeError(option + ": '" + text + "' is not an address (e.g. 0x84000000).");
    return static_cast<uint64_t>(value);
}

// mac99 has two ATA disks (the first bus's master and slave) and one CD-ROM (the second's).
Status checkMac99Storage(const RunOptions& options) {
    if (options.machine.virtio.disks.size() > size_t(machine::kMac99MaxDisks))
        return makeError(
            "--machine mac99 takes two --disk at most (the master and slave of its first ATA bus).");
    if (options.bootDevice == 'd' && options.machine.virtio.cdromImage.empty())
        return makeError("--boot d starts from the CD-ROM: give the disc with --cdrom FILE.iso.");
    if (options.bootDevice == 'c' && options.machine.virtio.disks.empty())
        return makeError("--boot c starts from the disk: give it with --disk FILE.");
    return Status::success();
}

// QEMU's -device MODEL,netdev=ID with -netdev user,id=ID,...: the board's one
// NIC, as --nic would give it.
Status applyNetdevNic(RunOptions& options, bool nicGiven) {
    if (options.devices.empty() && options.netdev.empty()) return Status::success();
    if (options.devices.size() != 1 || options.netdev.empty())
        return makeError(
            "-device and -netdev go together, one NIC: e.g. -device e1000,netdev=net0 "
            "-netdev user,id=net0,hostfwd=tcp::2222-:22");
    if (nicGiven) return makeError("give the network once: --nic, or -device with -netdev, not both.");
    auto nic = devices::parseNetdevNic(options.devices[0], options.netdev);
    if (!nic) return makeError(nic.message());
    const std::string model = options.machineType == MachineType::Mac99 ? "e1000" : "virtio-net-device";
    if (nic->model != model)
        return makeError("-device " + nic->model + ": this board's network card is " + model +
                         " (--machine mac99: e1000; virt: virtio-net-device).");
    options.machine.virtio.nic = nic->nic;
    return Status::success();
}

}  // namespace

machine::Mac99Config mac99Config(const RunOptions& options) {
    machine::Mac99Config config;
    const machine::RiscvVirtConfig& m = options.machine;
    config.ramSize = m.ramSize;  // both boards default to 128 MiB
    if (!m.bios.empty()) config.bios = m.bios;
    config.kernel = m.kernel;
    config.initrd = m.initrd;
    config.append = m.append;
    config.display = m.virtio.display;
    config.noReboot = m.noReboot;
    config.timeoutSeconds = m.timeoutSeconds;
    config.sliceInstructions = m.sliceInstructions;
    if (options.engineGiven) config.engine = m.engine;
    if (!m.virtio.disks.empty()) config.storage.disk = m.virtio.disks.front();
    if (m.virtio.disks.size() > 1) config.storage.secondDisk = m.virtio.disks.at(1);
    config.storage.cdromDrive = m.virtio.cdromDrive;
    config.storage.cdromImage = m.virtio.cdromImage;
    if (options.bootDevice) config.bootDevice = options.bootDevice;
    config.nic = m.virtio.nic;
    return config;
}

namespace {

// A disk and nothing to run from it: QEMU's OpenSBI would continue at empty RAM.
// Start Debian's U-Boot instead, as a VM in the app does (vm_machine_config.h),
// which boots the disk's extlinux.conf or EFI boot loader.
Status applyDiskBootLoader(machine::RiscvVirtConfig& machine) {
    if (!machine.kernel.empty() || !machine.loads.empty() || !machine.pflash.empty() ||
        machine.virtio.disks.empty())
        return {};
    if (!QFile::exists(QString::fromLatin1(vm::kDefaultRiscvBootLoader)))
        return makeError(std::string("a --disk without --kernel starts with Debian's U-Boot (") +
                         vm::kDefaultRiscvBootLoader +
                         "), which is not installed: install the u-boot-qemu package, or give --kernel, or "
                         "--boot c for UEFI firmware.");
    std::fprintf(stderr, "tessera-cli run: no --kernel: Debian's U-Boot (%s) starts the disk\n",
                 vm::kDefaultRiscvBootLoader);
    machine.kernel = vm::kDefaultRiscvBootLoader;
    return {};
}

}  // namespace

Result<RunOptions> parseRunOptions(const Args& args) {
    RunOptions options;
    std::set<std::string> seen;
    static const std::set<std::string> kWithValue = {
        "memory",  "bios",    "kernel",     "initrd",  "append",         "load",  "pflash",
        "serial",  "engine",  "smp",        "timeout", "disk",           "cdrom", "nic",
        "display", "monitor", "screenshot", "vm",      "accept-backing", "boot",  "machine", "gdb"};
    static const std::set<std::string> kQemuNic = {"device", "netdev"};  // QEMU's two-part --nic
    static const std::set<std::string> kFlags = {"no-reboot", "help", "stats", "make-clones-independent",
                                                 "list-machines", "paused"};

    for (size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        std::string name;
        std::optional<std::string> inlineValue;
        if (arg == "-m") {
            name = "memory";
        } else if (arg == "-h") {
            name = "help";
        } else if (arg.size() > 2 && arg[0] == '-') {
            // Accept --name, --name=value and QEMU's single-dash -name.
            name = arg.substr(arg[1] == '-' ? 2 : 1);
            if (const auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
        } else {
            return makeError("unexpected argument '" + arg + "'. Try 'tessera-cli run --help'.");
        }
        if (!kWithValue.count(name) && !kQemuNic.count(name) && !kFlags.count(name))
            return makeError("unknown option '" + arg + "'. Try 'tessera-cli run --help'.");
        if (!seen.insert(name).second && name != "load" && name != "disk" && name != "accept-backing" &&
            name != "pflash" && name != "device")
            return makeError("option --" + name + " given more than once.");
        if (kFlags.count(name)) {
            if (inlineValue) return makeError("option --" + name + " takes no value.");
            if (name == "help") options.help = true;
            if (name == "list-machines") options.listMachines = true;
            if (name == "no-reboot") options.machine.noReboot = true;
            if (name == "stats") options.stats = true;
            if (name == "paused") options.paused = true;
            if (name == "make-clones-independent") options.makeClonesIndependent = true;
            continue;
        }
        std::string value;
        if (inlineValue) {
            value = *inlineValue;
        } else {
            if (i + 1 >= args.size()) return makeError("option --" + name + " needs a value.");
            value = args[++i];
        }

        if (name == "machine") {
            if (value == "mac99")
                options.machineType = MachineType::Mac99;
            else if (value != "virt")
                return makeError("--machine: unknown board '" + value +
                                 "' (known: virt, mac99; see --list-machines).");
        } else if (name == "memory") {
            auto size = parseMemorySize(value);
            if (!size) return size.error();
            options.machine.ramSize = *size;
        } else if (name == "bios") {
            if (value == "none") {
                options.machine.biosNone = true;
            } else if (value.empty()) {
                return makeError("--bios needs a path or 'none'.");
            } else {
                options.machine.bios = value;
            }
        } else if (name == "kernel") {
            options.machine.kernel = value;
        } else if (name == "initrd") {
            options.machine.initrd = value;
        } else if (name == "append") {
            options.machine.append = value;
        } else if (name == "pflash") {
            if (value.empty()) return makeError("--pflash needs a path.");
            options.machine.pflash.push_back(value);
        } else if (name == "load") {
            const auto at = value.rfind('@');
            if (at == std::string::npos || at == 0)
                return makeError("--load expects FILE@ADDRESS, e.g. --load Image@0x84000000.");
            auto address = parseAddress(value.substr(at + 1), "--load");
            if (!address) return address.error();
            options.machine.loads.push_back({value.substr(0, at), *address});
        } else if (name == "serial") {
            if (value == "stdio") {
                options.serial = SerialMode::Stdio;
            } else if (value == "none" || value == "null") {
                options.serial = SerialMode::None;
            } else if (value.rfind("file:", 0) == 0 && value.size() > 5) {
                options.serial = SerialMode::File;
                options.serialFile = value.substr(5);
            } else {
                return makeError("--serial: '" + value + "' is not one of stdio, none, file:PATH.");
            }
        } else if (name == "engine") {
            const auto engine = cpu::engineKindFromName(value);
            if (!engine)
                return makeError("--engine: unknown engine '" + value +
                                 "' (available: " + cpu::availableEngineNames() + ").");
            if (Status available = cpu::engineAvailable(*engine); !available)
                return makeError("--engine " + value + ": " + available.message());
            options.machine.engine = *engine;
            options.engineGiven = true;
        } else if (name == "smp") {
            char* end = nullptr;
            const long harts = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || harts < 1)
                return makeError("--smp: '" + value + "' is not a number of harts.");
            if (harts > long(machine::kMaxHarts))
                return makeError("--smp " + value + ": this build runs at most " +
                                 std::to_string(machine::kMaxHarts) + " hart(s).");
            options.machine.harts = unsigned(harts);
        } else if (name == "disk") {
            auto disk = devices::parseDiskOption(value);
            if (!disk) return makeError("--disk: " + disk.message());
            options.machine.virtio.disks.push_back(*disk);
        } else if (name == "cdrom") {
            if (value.empty()) return makeError("--cdrom needs an ISO file or 'none'.");
            options.machine.virtio.cdromDrive = true;
            if (value != "none") options.machine.virtio.cdromImage = value;
        } else if (name == "nic") {
            auto nic = devices::parseNicOption(value);
            if (!nic) return makeError("--nic: " + nic.message());
            options.machine.virtio.nic = *nic;
        } else if (name == "device") {
            options.devices.push_back(value);
        } else if (name == "netdev") {
            options.netdev = value;
        } else if (name == "boot") {
            // QEMU's spellings: -boot d, -boot order=d (the first letter is what the firmware tries first).
            const std::string order = value.rfind("order=", 0) == 0 ? value.substr(6) : value;
            if (order.empty() || order.find_first_not_of("cd") != std::string::npos)
                return makeError("--boot: '" + value + "' is not d (CD-ROM) or c (disk).");
            options.bootDevice = order[0];
        } else if (name == "accept-backing") {
            if (value.empty()) return makeError("--accept-backing needs a file name.");
            options.acceptBacking.push_back(value);
        } else if (name == "vm") {
            if (value.empty()) return makeError("--vm needs a VM name or bundle folder.");
            options.vm = value;
        } else if (name == "display") {
            options.displayGiven = true;
            if (value == "headless") {
                options.machine.virtio.display = true;
                options.machine.virtio.input = true;
            } else if (value != "none") {
                return makeError("--display: '" + value + "' is not one of none, headless.");
            }
        } else if (name == "monitor") {
            if (value.empty()) return makeError("--monitor needs a socket path.");
            options.monitorPath = value;
        } else if (name == "gdb") {
            auto address = debug::parseGdbAddress(value);
            if (!address) return address.error();
            options.gdb = *address;
        } else if (name == "screenshot") {
            if (value.empty()) return makeError("--screenshot needs a file name.");
            options.screenshotPath = value;
        } else if (name == "timeout") {
            char* end = nullptr;
            const double seconds = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !(seconds > 0) || !std::isfinite(seconds))
                return makeError("--timeout: '" + value + "' is not a positive number of seconds.");
            options.machine.timeoutSeconds = seconds;
        }
    }
    if (options.help || options.listMachines) return options;
    if (Status nic = applyNetdevNic(options, seen.count("nic")); !nic) return nic.error();
    if (options.machineType == MachineType::Mac99) {
        // The mac99 board has one CPU.
        for (const char* virtOnly : {"load", "pflash", "smp", "vm", "accept-backing", "make-clones-independent"})
            if (seen.count(virtOnly))
                return makeError(std::string("--") + virtOnly +
                                 " is not available with --machine mac99 yet.");
        if (!options.screenshotPath.empty() && !options.machine.virtio.display)
            return makeError("--screenshot needs a display: add --display headless.");
        if (options.machine.biosNone)
            return makeError("--machine mac99 needs its firmware: drop --bios none.");
        TESSERA_TRY(checkMac99Storage(options));
        return options;
    }
    if (!options.vm.empty()) {
        for (const char* machineOption : {"memory", "bios", "kernel", "initrd", "append", "load", "pflash",
                                          "smp", "disk", "cdrom", "nic", "device", "netdev", "boot"})
            if (seen.count(machineOption))
                return makeError(std::string("--") + machineOption +
                                 " cannot be combined with --vm: the VM's config.json "
                                 "defines its machine (change it in the VM's settings).");
        return options;
    }
    if (options.makeClonesIndependent)
        return makeError(
            "--make-clones-independent belongs to --vm: only VMs in the library have linked clones.");
    if (!options.acceptBacking.empty())
        return makeError(
            "--accept-backing belongs to --vm: a --disk on the command line is the file you chose, "
            "and its backing files are opened as qemu-system-riscv64 would.");
    if (!options.screenshotPath.empty() && !options.machine.virtio.display)
        return makeError("--screenshot needs a display: add --display headless.");
    if (options.machine.biosNone && !options.machine.bios.empty()) return makeError("--bios given twice.");
    if (options.bootDevice == 'd' && options.machine.virtio.cdromImage.empty())
        return makeError("--boot d starts from the CD-ROM: give the disc with --cdrom FILE.iso.");
    if (options.bootDevice == 'c' && options.machine.virtio.disks.empty())
        return makeError("--boot c starts from the disk: give it with --disk FILE.");
    const bool uefiByDefault = options.bootDevice != 0 && options.machine.kernel.empty() &&
                               options.machine.pflash.empty();  // run_uefi_boot.h fills the firmware
    if (!options.machine.biosNone && options.machine.bios.empty() && !uefiByDefault) {
        // QEMU's -bios default: the virt board starts OpenSBI fw_dynamic, which
        // continues at the kernel (or at RAM + 2 MiB without one).
        if (!QFile::exists(QString::fromLatin1(vm::kDefaultRiscvSbiForUefi)))
            return makeError(std::string("no firmware: the default, Debian's OpenSBI (") +
                             vm::kDefaultRiscvSbiForUefi +
                             "), is not installed: install the opensbi package, or give --bios PATH, or "
                             "--bios none with a bare-metal --kernel ELF.");
        options.machine.bios = vm::kDefaultRiscvSbiForUefi;
        TESSERA_TRY(applyDiskBootLoader(options.machine));
    }
    return options;
}

Result<std::string> applyVmBundle(RunOptions& options) {
    auto entry = vm::VmLibrary().find(QString::fromStdString(options.vm));
    if (!entry) return makeError("--vm: " + entry.message());
    vm::VmConfig config = *entry->config;
    warnAboutUnknownKeys(config);
    if (Status trusted = acceptBackingFiles(config, entry->bundle, options.acceptBacking); !trusted)
        return makeError("--vm " + options.vm + ": " + trusted.message());
    TESSERA_TRY(protectLinkedClones(config, entry->bundle, options.makeClonesIndependent));
    if (Status ports = checkHostPorts(config, entry->bundle); !ports)
        return makeError("--vm " + options.vm + ": " + ports.message());
    if (config.arch == QLatin1String("ppc")) {  // a Power Mac: runMac99 reads these knobs (mac99Config)
        QStringList notes;  // what the board leaves out (network card, screen): said, not dropped silently
        auto mac = vm::mac99ConfigFor(config, entry->bundle, &notes);
        if (!mac) return makeError("--vm " + options.vm + ": " + mac.message());
        for (const QString& note : std::as_const(notes))
            std::fprintf(stderr, "tessera-cli run: %s\n", note.toLocal8Bit().constData());
        options.machineType = MachineType::Mac99;
        options.machine.ramSize = mac->ramSize;
        options.machine.bios = mac->bios;
        options.machine.kernel = mac->kernel;
        options.machine.initrd = mac->initrd;
        options.machine.append = mac->append;
        if (!options.engineGiven) options.machine.engine = mac->engine;  // the JIT, as in the app
        options.engineGiven = true;
        return QFile::encodeName(entry->bundle.directory()).toStdString();
    }
    auto machine = vm::boardConfigFor(config, entry->bundle);
    if (!machine) return makeError("--vm " + options.vm + ": " + machine.message());
    const machine::RiscvVirtConfig runTime = options.machine;
    options.machine = *machine;
    options.machine.noReboot = runTime.noReboot;
    options.machine.timeoutSeconds = runTime.timeoutSeconds;
    options.machine.engine = runTime.engine;
    if (options.displayGiven) {
        options.machine.virtio.display = runTime.virtio.display;
        options.machine.virtio.input = runTime.virtio.input;
    }
    if (!options.screenshotPath.empty() && !options.machine.virtio.display)
        return makeError("--screenshot needs a display: this VM has none; add --display headless.");
    return QFile::encodeName(entry->bundle.directory()).toStdString();
}

}  // namespace tessera::cli

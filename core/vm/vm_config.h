#pragma once
// VmConfig: everything that defines one virtual machine, as stored in the
// bundle's config.json. Plain data; reading/writing/validation live in
// vm_config_json.* so that the GUI wizard, the settings dialog, the QEMU
// importer and `tessera-cli run --vm` all share one definition.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <optional>

namespace tessera::vm {

// The config.json format version this build writes and understands.
inline constexpr int kConfigVersion = 1;

// Every object below keeps the keys of its config.json object that this
// Tessera does not know (`unknownKeys`), so that saving never drops what a
// newer Tessera or the user wrote; the library and `tessera-cli run` warn
// about them (vm_config_json.h: unknownKeysOf). The constructors keep the
// short positional forms `{file, format, readOnly}` working.

struct PortForward {
    QString protocol = QStringLiteral("tcp");            // "tcp" | "udp"
    QString hostAddress = QStringLiteral("127.0.0.1");   // loopback by default: never expose a guest by accident
    uint16_t hostPort = 0;
    QString guestAddress;                                // empty = the guest's DHCP address
    uint16_t guestPort = 0;
    QJsonObject unknownKeys;

    PortForward() = default;
    PortForward(QString protocol, QString hostAddress, uint16_t hostPort, QString guestAddress,
                uint16_t guestPort)
        : protocol(std::move(protocol)),
          hostAddress(std::move(hostAddress)),
          hostPort(hostPort),
          guestAddress(std::move(guestAddress)),
          guestPort(guestPort) {}
    bool operator==(const PortForward&) const = default;
};

struct NetworkInterface {
    QString model = QStringLiteral("virtio-net");  // what the guest sees
    QString mac;                                   // "52:54:00:xx:xx:xx"; empty = derived at start
    bool nat = true;                               // user-mode NAT (slirp); false = cable unplugged
    QList<PortForward> forwards;
    QJsonObject unknownKeys;
    bool operator==(const NetworkInterface&) const = default;
};

struct Disk {
    QString file;                            // relative to the bundle, or absolute
    QString format = QStringLiteral("qcow2");  // "qcow2" | "raw": always pinned, never probed
    bool readOnly = false;
    // Backing files outside the bundle that this disk may read (canonical
    // absolute paths): the ones the user allowed, and the originals Tessera's
    // own linked clones point to. Any other backing file outside the bundle
    // is refused (backing_trust.h).
    QStringList acceptedBacking;
    QJsonObject unknownKeys;

    Disk() = default;
    Disk(QString file, QString format, bool readOnly)
        : file(std::move(file)), format(std::move(format)), readOnly(readOnly) {}
    bool operator==(const Disk&) const = default;
};

// How the machine starts: firmware (empty = the board's built-in default,
// OpenSBI for riscv64 virt), optionally a kernel handed over directly, and the
// order in which boot devices are tried when no kernel is given.
struct BootSource {
    QString firmware;
    QString kernel;
    QString initrd;
    QString append;                       // kernel command line
    QStringList order;                    // of "cdrom", "disk"; empty = disk first
    // When an express install (install_answers.h) powers off: "" = eject the
    // disc and restart from the disk, "stop" = leave the VM stopped.
    QString afterInstall;
    QJsonObject unknownKeys;
    bool operator==(const BootSource&) const = default;
};

struct Display {
    QString type = QStringLiteral("framebuffer");  // "framebuffer" | "none" (serial console only)
    int width = 1024;
    int height = 768;
    QJsonObject unknownKeys;

    Display() = default;
    Display(QString type, int width, int height) : type(std::move(type)), width(width), height(height) {}
    bool operator==(const Display&) const = default;
};

struct VmConfig {
    int version = kConfigVersion;
    QString name;
    QString arch = QStringLiteral("riscv64");
    QString board = QStringLiteral("virt");
    uint64_t memoryBytes = uint64_t(512) << 20;
    int cpus = 1;
    BootSource boot;
    QList<Disk> disks;
    QString cdrom;                        // ISO image, empty = no disc inserted
    QList<NetworkInterface> nics;
    Display display;
    // The account an express install created in the guest (install_answers.h),
    // for the SSH command the library offers (ssh_command.h); empty = unknown.
    QString guestUser;
    std::optional<QDateTime> lastRun;     // UTC; written by the runner
    QJsonObject unknownKeys;
    bool operator==(const VmConfig&) const = default;
};

// Architectures a config may name (the emulator core runs a growing subset;
// see canRun()). Spelled as QEMU spells them in qemu-system-<arch>.
const QStringList& knownArchitectures();
// Human label for an architecture id ("riscv64" -> "RISC-V 64-bit").
QString architectureLabel(const QString& arch);
// The board QEMU would pick for an architecture when none is given.
QString defaultBoardFor(const QString& arch);

}  // namespace tessera::vm

// Specification: a VM bundle's config.json becomes the emulator's machine:
// files relative to the bundle, defaults for firmware and boot loader, every
// disk, a CD-ROM drive that is always there, the first NIC with its MAC and
// loopback-bound port forwards, and a display with keyboard and tablet.

#include "core/vm/vm_machine_config.h"

#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "core/vm/uefi_firmware.h"

using namespace tessera;
using namespace tessera::vm;

class VmMachineConfigTest : public QObject {
    Q_OBJECT
private slots:
    void bundleFilesAndDefaults() {
        const VmBundle bundle(QStringLiteral("/vms/Demo.tessera"));
        VmConfig config;
        config.name = QStringLiteral("Demo");
        config.memoryBytes = uint64_t(768) << 20;
        config.boot.kernel = QStringLiteral("Image");
        config.boot.initrd = QStringLiteral("/srv/initrd.gz");
        config.boot.append = QStringLiteral("console=ttyS0");
        const auto board = boardConfigFor(config, bundle);
        QVERIFY(board.ok());
        QCOMPARE(board->ramSize, uint64_t(768) << 20);
        QCOMPARE(board->bios, std::string(kDefaultRiscvFirmware));
        QCOMPARE(board->kernel, std::string("/vms/Demo.tessera/Image"));
        QCOMPARE(board->initrd, std::string("/srv/initrd.gz"));
        QCOMPARE(board->append, std::string("console=ttyS0"));
    }

    void everyCpuIsAHartAndMoreThanTheHostHasIsANote() {
        // Up to machine::kMaxHarts CPUs start; more than this computer's
        // cores start too, with a note that they share the cores.
        const VmBundle bundle(QStringLiteral("/vms/Smp.tessera"));
        VmConfig config;
        config.name = QStringLiteral("Smp");
        config.boot.kernel = QStringLiteral("Image");
        const int hostCores = std::max(1, QThread::idealThreadCount());
        for (int cpus = 1; cpus <= maxRunnableCpus(); ++cpus) {
            config.cpus = cpus;
            QStringList notes;
            const auto board = boardConfigFor(config, bundle, &notes);
            QVERIFY(board.ok());
            QCOMPARE(board->harts, unsigned(cpus));
            const bool noted = !notes.filter(QStringLiteral("take turns")).isEmpty();
            QCOMPARE(noted, cpus > hostCores);
        }
        config.cpus = maxRunnableCpus() + 1;
        QVERIFY(!boardConfigFor(config, bundle).ok());
    }

    void withoutAKernelUbootLooksForABootableDiskOrDisc() {
        VmConfig config;
        config.name = QStringLiteral("Installer");
        config.cdrom = QStringLiteral("debian.iso");
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/I.tessera")));
        QVERIFY(board.ok());
        QCOMPARE(board->kernel, std::string(kDefaultRiscvBootLoader));
        QVERIFY(board->virtio.cdromDrive);
        QCOMPARE(board->virtio.cdromImage, std::string("/vms/I.tessera/debian.iso"));
    }

    void aVmThatStartsFromItsDiscGetsUefiFirmwareWithItsOwnVariables() {
        // U-Boot cannot read the virtio-scsi CD-ROM; Debian's EDK2 can.
        QTemporaryDir firmware, vms;
        for (const char* name : {"RISCV_VIRT_CODE.fd", "RISCV_VIRT_VARS.fd"}) {
            QFile file(firmware.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(name);
        }
        qputenv("TESSERA_RISCV_UEFI_DIR", firmware.path().toUtf8());
        const VmBundle bundle(vms.filePath("I.tessera"));
        QVERIFY(QDir().mkpath(bundle.directory()));
        VmConfig config;
        config.cdrom = QStringLiteral("debian.iso");
        config.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
        auto board = boardConfigFor(config, bundle);
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QCOMPARE(board->bios, std::string(kDefaultRiscvSbiForUefi));
        QVERIFY(board->kernel.empty());
        const QString vars = bundle.resolve(QLatin1String(kUefiVarsFile));
        QCOMPARE(board->pflash,
                 (std::vector<std::string>{firmware.filePath("RISCV_VIRT_CODE.fd").toStdString(),
                                           vars.toStdString()}));
        QFile copy(vars);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), QByteArray("RISCV_VIRT_VARS.fd"));
        copy.close();
        // The store is the VM's from then on: a second start keeps it.
        QVERIFY(copy.open(QIODevice::WriteOnly));
        copy.write("boot entries");
        copy.close();
        QVERIFY(boardConfigFor(config, bundle).ok());
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), QByteArray("boot entries"));

        // Disk first: U-Boot, as before. Not installed: U-Boot plus a note saying why the disc won't start.
        config.boot.order = {QStringLiteral("disk")};
        QCOMPARE(boardConfigFor(config, bundle)->kernel, std::string(kDefaultRiscvBootLoader));
        config.boot.order = {QStringLiteral("cdrom")};
        qputenv("TESSERA_RISCV_UEFI_DIR", vms.filePath("nothing-here").toUtf8());
        QStringList notes;
        board = boardConfigFor(config, bundle, &notes);
        QVERIFY(board.ok());
        QCOMPARE(board->kernel, std::string(kDefaultRiscvBootLoader));
        QVERIFY(board->pflash.empty());
        QCOMPARE(notes.size(), 1);
        QVERIFY(notes.first().contains("qemu-efi-riscv64"));
        // Asked for explicitly but missing: an error that says what to install.
        config.boot.firmware = QLatin1String(kUefiFirmware);
        board = boardConfigFor(config, bundle);
        QVERIFY(!board.ok());
        QVERIFY(QString::fromStdString(board.message()).contains("qemu-efi-riscv64"));
        qunsetenv("TESSERA_RISCV_UEFI_DIR");
    }

    void disksKeepTheirFormatAndReadOnlyFlag() {
        VmConfig config;
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false},
                        {QStringLiteral("/data/old.img"), QStringLiteral("raw"), true}};
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/D.tessera")));
        QVERIFY(board.ok());
        QCOMPARE(board->virtio.disks.size(), size_t(2));
        QCOMPARE(board->virtio.disks[0].path, std::string("/vms/D.tessera/disk.qcow2"));
        QCOMPARE(board->virtio.disks[0].format, std::string("qcow2"));
        QVERIFY(!board->virtio.disks[0].readOnly);
        QCOMPARE(board->virtio.disks[1].path, std::string("/data/old.img"));
        QVERIFY(board->virtio.disks[1].readOnly);
        QVERIFY(board->virtio.cdromDrive);  // an empty drive, ready for "Change Disc…"
        QVERIFY(board->virtio.cdromImage.empty());
    }

    void theNicKeepsItsMacAndForwardsBindLoopbackUnlessTold() {
        VmConfig config;
        NetworkInterface nic;
        nic.mac = QStringLiteral("52:54:00:12:34:56");
        PortForward ssh;
        ssh.hostAddress.clear();
        ssh.hostPort = 2222;
        ssh.guestPort = 22;
        PortForward dns;
        dns.protocol = QStringLiteral("udp");
        dns.hostAddress = QStringLiteral("0.0.0.0");
        dns.hostPort = 5353;
        dns.guestPort = 53;
        nic.forwards = {ssh, dns};
        config.nics = {nic, NetworkInterface{}};
        QStringList notes;
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/N.tessera")), &notes);
        QVERIFY(board.ok());
        QVERIFY(board->virtio.nic.has_value());
        QCOMPARE(board->virtio.nic->mac, (std::optional<devices::MacAddress>(devices::MacAddress{0x52, 0x54, 0, 0x12, 0x34, 0x56})));
        QVERIFY(board->virtio.nic->linkUp);
        QCOMPARE(board->virtio.nic->forwards.size(), size_t(2));
        QCOMPARE(board->virtio.nic->forwards[0].toString(), std::string("tcp:127.0.0.1:2222-:22"));
        QCOMPARE(board->virtio.nic->forwards[1].toString(), std::string("udp:0.0.0.0:5353-:53"));
        QCOMPARE(notes.size(), 1);  // the second NIC is not attached, and the user is told
    }

    void natOffIsANicWithItsCableUnplugged() {
        VmConfig config;
        NetworkInterface nic;
        nic.nat = false;
        config.nics = {nic};
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/N.tessera")));
        QVERIFY(board.ok());
        QVERIFY(!board->virtio.nic->linkUp);
    }

    void aBadMacNamesTheField() {
        VmConfig config;
        NetworkInterface nic;
        nic.mac = QStringLiteral("52:54:00:zz");
        config.nics = {nic};
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/N.tessera")));
        QVERIFY(!board.ok());
        QVERIFY2(board.message().find("nics[0].mac") != std::string::npos, board.message().c_str());
    }

    void theDisplayBringsKeyboardAndTablet() {
        VmConfig config;
        config.display.width = 800;
        config.display.height = 600;
        auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/G.tessera")));
        QVERIFY(board.ok());
        QVERIFY(board->virtio.display);
        QVERIFY(board->virtio.input);
        QCOMPARE(board->virtio.displaySize, QSize(800, 600));

        config.display.type = QStringLiteral("none");
        board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/G.tessera")));
        QVERIFY(!board->virtio.display);
        QVERIFY(!board->virtio.input);
    }

    void otherArchitecturesAreRefusedWithAWayOut() {
        VmConfig config;
        config.arch = QStringLiteral("ppc");
        config.board = QStringLiteral("g3beige");
        const auto board = boardConfigFor(config, VmBundle(QStringLiteral("/vms/P.tessera")));
        QVERIFY(!board.ok());
        QVERIFY(board.message().find("Show QEMU Command") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(VmMachineConfigTest)
#include "vm_machine_config_test.moc"

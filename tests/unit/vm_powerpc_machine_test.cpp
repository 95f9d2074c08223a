// Specification: a VM bundle records its machine, and a PowerPC one is a
// Power Mac (QEMU's mac99) the app runs:
// - config.json keeps "arch": "ppc" and "board": "mac99" through a save and a
//   load; a config.json without "board" stays the architecture's QEMU default
//   (riscv64 -> virt, as bundles before PowerPC were);
// - the mac99 machine gets the bundle's kernel, initrd and command line, Debian's
//   OpenBIOS unless the VM names firmware, and the PowerPC JIT;
// - the VM's disk (qcow2 or raw) is the IDE disk (a second one its slave, as
//   the express install's answer disk) and its disc is in the ATAPI
//   CD-ROM drive, which is there even without a disc (for Change Disc); OpenBIOS
//   boots the disc ('d') when it comes first in the boot order, as an installer
//   disc does, else the disk ('c');
// - a disk built on a file outside the VM folder nobody allowed is refused, as
//   on RISC-V;
// - what the board cannot do is refused with what to change (a second CPU,
//   memory beyond QEMU's 2047 MiB, a third disk, another PowerPC board), or
//   said as a note where the guest runs without it (network card, screen);
// - the runner's board comes from the architecture: a mac99 VM without a kernel
//   builds a one-CPU machine with Debian's real OpenBIOS and no screen.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/machine/board.h"
#include "core/vm/board_factory.h"
#include "core/vm/missing_files.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_machine_config.h"

using namespace tessera;
using namespace tessera::vm;

namespace {

VmConfig powerMac() {
    VmConfig config;
    config.name = QStringLiteral("Power Mac");
    config.arch = QStringLiteral("ppc");
    config.board = QStringLiteral("mac99");
    config.memoryBytes = uint64_t(512) << 20;
    config.boot.kernel = QStringLiteral("vmlinux");
    config.boot.initrd = QStringLiteral("initramfs.cpio.gz");
    config.boot.append = QStringLiteral("console=ttyPZ0");
    config.display.type = QStringLiteral("none");
    return config;
}

class NullHost : public machine::VmHost {
public:
    void serialOutput(std::span<const uint8_t>) override {}
    void fatalError(const std::string&) override {}
};

}  // namespace

class VmPowerPcMachineTest : public QObject {
    Q_OBJECT
private slots:
    void aPowerMacSurvivesARoundTripOfConfigJson() {
        const VmConfig original = powerMac();
        const QByteArray text = toJsonText(original);
        QVERIFY(text.contains("\"arch\": \"ppc\""));
        QVERIFY(text.contains("\"board\": \"mac99\""));
        const auto loaded = fromJsonText(text);
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
        QVERIFY(*loaded == original);
        QVERIFY(isMac99(*loaded));
    }

    void aConfigWithoutABoardKeepsTheArchitecturesDefault() {
        QJsonObject json = toJson(powerMac());
        json.remove(QStringLiteral("board"));
        json.insert(QStringLiteral("arch"), QStringLiteral("riscv64"));
        const auto loaded = fromJson(json, QStringLiteral("config.json"));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.message().c_str());
        QCOMPARE(loaded->board, QStringLiteral("virt"));
        QVERIFY(!isMac99(*loaded));
    }

    void theWizardsBoardForEachArchitecture() {
        QCOMPARE(runnableBoardFor(QStringLiteral("riscv64")), QStringLiteral("virt"));
        QCOMPARE(runnableBoardFor(QStringLiteral("ppc")), QStringLiteral("mac99"));
        QCOMPARE(runnableBoardFor(QStringLiteral("x86_64")),
                 QStringLiteral("pc"));  // QEMU's, kept as a command
        QVERIFY(emulatorRuns(QStringLiteral("ppc")));
        QCOMPARE(maxRunnableCpus(QStringLiteral("ppc")), 1);
        QCOMPARE(maxRunnableMemory(QStringLiteral("ppc")), uint64_t(2047) << 20);
        QCOMPARE(maxRunnableMemory(QStringLiteral("riscv64")), uint64_t(0));
    }

    void theMachineGetsTheBundlesFilesOpenBiosAndTheJit() {
        const VmBundle bundle(QStringLiteral("/vms/Mac.tessera"));
        QStringList notes;
        const auto board = mac99ConfigFor(powerMac(), bundle, &notes);
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QCOMPARE(board->ramSize, uint64_t(512) << 20);
        QCOMPARE(board->bios, std::string(kDefaultMac99Firmware));
        QCOMPARE(board->kernel, std::string("/vms/Mac.tessera/vmlinux"));
        QCOMPARE(board->initrd, std::string("/vms/Mac.tessera/initramfs.cpio.gz"));
        QCOMPARE(board->append, std::string("console=ttyPZ0"));
        QCOMPARE(board->engine, cpu::EngineKind::Jit);
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join(QLatin1Char('\n'))));

        VmConfig own = powerMac();
        own.boot.firmware = QStringLiteral("openbios-custom");
        QCOMPARE(mac99ConfigFor(own, bundle)->bios, std::string("/vms/Mac.tessera/openbios-custom"));
    }

    void theNetworkCardAndTheScreenReachTheBoard() {
        VmConfig config = powerMac();
        NetworkInterface nic;
        PortForward ssh;
        ssh.hostPort = 2222;
        ssh.guestPort = 22;
        nic.forwards << ssh;
        config.nics = {nic, NetworkInterface{}};
        config.display.type = QStringLiteral("framebuffer");
        QStringList notes;
        const auto board = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/M.tessera")), &notes);
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QVERIFY(board->display);
        QVERIFY(board->nic);
        QCOMPARE(board->nic->forwards.size(), size_t{1});
        QCOMPARE(board->nic->forwards.front().hostPort, uint16_t{2222});
        QCOMPARE(board->nic->forwards.front().guestPort, uint16_t{22});
        // Only one of the two cards fits, and that is said.
        QVERIFY2(notes.join(QLatin1Char('\n')).contains(QStringLiteral("one e1000")), qPrintable(notes.join(QLatin1Char('\n'))));

        config.nics.clear();
        config.display.type = QStringLiteral("none");
        const auto plain = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/M.tessera")));
        QVERIFY(plain.ok());
        QVERIFY(!plain->display);
        QVERIFY(!plain->nic);
    }

    void theDiskAndTheDiscReachTheAtaDrives() {
        VmConfig config = powerMac();
        config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false};
        config.cdrom = QStringLiteral("/isos/debian-powerpc.iso");
        QVERIFY2(whyEmulatorCannotRun(config).isEmpty(), qPrintable(whyEmulatorCannotRun(config)));
        const auto board = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/Mac.tessera")));
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QVERIFY(board->storage.disk.has_value());
        QCOMPARE(board->storage.disk->path, std::string("/vms/Mac.tessera/disk.qcow2"));
        QCOMPARE(board->storage.disk->format, std::string("qcow2"));
        QVERIFY(!board->storage.disk->readOnly);
        QVERIFY(board->storage.cdromDrive);
        QCOMPARE(board->storage.cdromImage, std::string("/isos/debian-powerpc.iso"));

        QVERIFY(!board->storage.secondDisk.has_value());

        // A second disk (the express install's answer disk) is the first bus's slave.
        config.disks << Disk{QStringLiteral("install-answers.img"), QStringLiteral("raw"), true};
        QVERIFY2(whyEmulatorCannotRun(config).isEmpty(), qPrintable(whyEmulatorCannotRun(config)));
        const auto two = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/Mac.tessera")));
        QVERIFY(two.ok() && two->storage.secondDisk.has_value());
        QCOMPARE(two->storage.disk->path, std::string("/vms/Mac.tessera/disk.qcow2"));
        QCOMPARE(two->storage.secondDisk->path, std::string("/vms/Mac.tessera/install-answers.img"));
        QVERIFY(two->storage.secondDisk->readOnly);

        VmConfig empty = powerMac();  // no disk, no disc: an empty drive, ready for Change Disc
        const auto bare = mac99ConfigFor(empty, VmBundle(QStringLiteral("/vms/Mac.tessera")));
        QVERIFY(bare.ok());
        QVERIFY(!bare->storage.disk.has_value());
        QVERIFY(bare->storage.cdromDrive);
        QCOMPARE(bare->storage.cdromImage, std::string());
    }

    void theDiscBootsWhenItComesFirst_data() {
        QTest::addColumn<QString>("cdrom");
        QTest::addColumn<QStringList>("order");
        QTest::addColumn<char>("device");
        const QStringList installer{QStringLiteral("cdrom"), QStringLiteral("disk")};
        QTest::newRow("an installer disc (the wizard's order)")
            << QStringLiteral("boot.iso") << installer << 'd';
        QTest::newRow("a disc without an order") << QStringLiteral("boot.iso") << QStringList() << 'c';
        QTest::newRow("the disk first")
            << QStringLiteral("boot.iso") << QStringList{QStringLiteral("disk"), QStringLiteral("cdrom")}
            << 'c';
        QTest::newRow("the disc ejected") << QString() << installer << 'c';
    }
    void theDiscBootsWhenItComesFirst() {
        QFETCH(QString, cdrom);
        QFETCH(QStringList, order);
        QFETCH(char, device);
        VmConfig config = powerMac();
        config.boot.kernel.clear();  // OpenBIOS picks the boot device only without a kernel
        config.boot.initrd.clear();
        config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false};
        config.cdrom = cdrom;
        config.boot.order = order;
        const auto board = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/Mac.tessera")));
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QCOMPARE(board->bootDevice, device);
    }

    void aDiskBuiltOnAnOutsideFileIsRefusedAsOnRiscV() {
        QTemporaryDir root;
        const QString outside = root.filePath(QStringLiteral("secret.img"));
        QFile secret(outside);
        QVERIFY(secret.open(QIODevice::WriteOnly));
        QVERIFY(secret.resize(1 << 20));
        secret.close();
        const VmBundle bundle(root.filePath(QStringLiteral("Mac.tessera")));
        QVERIFY(QDir().mkpath(bundle.directory()));
        QProcess img;
        img.start(QStringLiteral("qemu-img"),
                  {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                   QStringLiteral("qcow2"), QStringLiteral("-b"), outside, QStringLiteral("-F"),
                   QStringLiteral("raw"), bundle.resolve(QStringLiteral("disk.qcow2"))});
        QVERIFY(img.waitForFinished() && img.exitCode() == 0);
        VmConfig config = powerMac();
        config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false};
        const auto refused = mac99ConfigFor(config, bundle);
        QVERIFY(!refused.ok());
        QVERIFY2(QString::fromStdString(refused.message()).contains(QStringLiteral("outside the VM folder")),
                 refused.message().c_str());
        config.disks.first().acceptedBacking
            << QFileInfo(outside).canonicalFilePath();  // the user allowed it
        const auto allowed = mac99ConfigFor(config, bundle);
        QVERIFY2(allowed.ok(), allowed.ok() ? "" : allowed.message().c_str());
    }

    void whatThePowerMacCannotDoIsRefusedWithWhatToChange_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("two CPUs") << QStringLiteral("cpus") << QStringLiteral("one CPU");
        QTest::newRow("4 GiB") << QStringLiteral("memory") << QStringLiteral("2047 MiB");
        QTest::newRow("three disks") << QStringLiteral("disks")
                                     << QStringLiteral("two disks at most, but this VM has 3");
        QTest::newRow("the g3beige board") << QStringLiteral("g3beige") << QStringLiteral("\"g3beige\"");
    }
    void whatThePowerMacCannotDoIsRefusedWithWhatToChange() {
        QFETCH(QString, change);
        QFETCH(QString, mentions);
        VmConfig config = powerMac();
        if (change == QLatin1String("cpus")) config.cpus = 2;
        if (change == QLatin1String("memory")) config.memoryBytes = uint64_t(4) << 30;
        if (change == QLatin1String("disks"))
            config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}
                         << Disk{QStringLiteral("data.raw"), QStringLiteral("raw"), false}
                         << Disk{QStringLiteral("more.raw"), QStringLiteral("raw"), false};
        if (change == QLatin1String("g3beige")) config.board = QStringLiteral("g3beige");
        const QString why = whyEmulatorCannotRun(config);
        QVERIFY2(why.contains(mentions), qPrintable(why));
        const auto board = mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/M.tessera")));
        QVERIFY(!board.ok());
        QCOMPARE(QString::fromStdString(board.message()), why);
        // Nor does the RISC-V board take a Power Mac by mistake.
        QVERIFY(!boardConfigFor(powerMac(), VmBundle(QStringLiteral("/vms/M.tessera"))).ok());
    }

    void theRunnersBoardComesFromTheArchitecture() {
        if (!QFile::exists(QLatin1String(kDefaultMac99Firmware)))
            QFAIL("Debian's qemu-system-data (OpenBIOS) is not installed: scripts/setup.sh installs it");
        VmConfig config = powerMac();
        config.boot.kernel.clear();  // OpenBIOS alone: it looks for a disk and stops at its prompt
        config.boot.initrd.clear();
        QVERIFY2(missingFiles(config, QStringLiteral("/vms/M.tessera")).isEmpty(),
                 qPrintable(missingFiles(config, QStringLiteral("/vms/M.tessera")).join(QLatin1Char(' '))));
        NullHost host;
        auto board = createBoard(config, VmBundle(QStringLiteral("/vms/M.tessera")), host);
        QVERIFY2(board.ok(), board.ok() ? "" : board.message().c_str());
        QCOMPARE((*board)->cpuCount(), 1u);
        QCOMPARE((*board)->display(), nullptr);
        QVERIFY((*board)->cdrom());  // the drive Change Disc and Eject drive
        QVERIFY(!(*board)->cdrom()->hasMedia());
        QCOMPARE((*board)->instructionsPublished(), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(VmPowerPcMachineTest)
#include "vm_powerpc_machine_test.moc"

// Specification: a VM bundle records its machine, and a PowerPC one is a
// Power Mac (QEMU's mac99) the app runs:
// - config.json keeps "arch": "ppc" and "board": "mac99" through a save and a
//   load; a config.json without "board" stays the architecture's QEMU default
//   (riscv64 -> virt, as bundles before PowerPC were);
// - the mac99 machine gets the bundle's kernel, initrd and command line, Debian's
//   OpenBIOS unless the VM names firmware, and the PowerPC JIT;
// - what the board cannot do is refused with what to change (a second CPU,
//   memory beyond QEMU's 2047 MiB, disks and CDs before the ATA drives exist,
//   another PowerPC board), or said as a note where the guest runs without it
//   (network card, screen);
// - the runner's board comes from the architecture: a mac99 VM without a kernel
//   builds a one-CPU machine with Debian's real OpenBIOS and no screen.

#include <QFile>
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

    void aNetworkCardOrScreenIsANoteNotASilentDrop() {
        VmConfig config = powerMac();
        config.nics = {NetworkInterface{}};
        config.display.type = QStringLiteral("framebuffer");
        QStringList notes;
        QVERIFY(mac99ConfigFor(config, VmBundle(QStringLiteral("/vms/M.tessera")), &notes).ok());
        const QString said = notes.join(QLatin1Char('\n'));
        QVERIFY2(said.contains(QStringLiteral("no network card")), qPrintable(said));
        QVERIFY2(
            said.contains(QStringLiteral("no screen")) && said.contains(QStringLiteral("console=ttyPZ0")),
            qPrintable(said));
    }

    void whatThePowerMacCannotDoIsRefusedWithWhatToChange_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("two CPUs") << QStringLiteral("cpus") << QStringLiteral("one CPU");
        QTest::newRow("4 GiB") << QStringLiteral("memory") << QStringLiteral("2047 MiB");
        QTest::newRow("a disk") << QStringLiteral("disk") << QStringLiteral("no disk or CD-ROM drive");
        QTest::newRow("a CD") << QStringLiteral("cdrom") << QStringLiteral("no disk or CD-ROM drive");
        QTest::newRow("the g3beige board") << QStringLiteral("g3beige") << QStringLiteral("\"g3beige\"");
    }
    void whatThePowerMacCannotDoIsRefusedWithWhatToChange() {
        QFETCH(QString, change);
        QFETCH(QString, mentions);
        VmConfig config = powerMac();
        if (change == QLatin1String("cpus")) config.cpus = 2;
        if (change == QLatin1String("memory")) config.memoryBytes = uint64_t(4) << 30;
        if (change == QLatin1String("disk"))
            config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false};
        if (change == QLatin1String("cdrom")) config.cdrom = QStringLiteral("debian.iso");
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
        QCOMPARE((*board)->instructionsPublished(), uint64_t(0));
    }
};

QTEST_GUILESS_MAIN(VmPowerPcMachineTest)
#include "vm_powerpc_machine_test.moc"

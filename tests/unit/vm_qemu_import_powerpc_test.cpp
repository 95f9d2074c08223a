// Specification: a pasted qemu-system-ppc command (issue 13's reference
// `qemu-system-ppc -M mac99 -m 512 -kernel vmlinux -initrd initramfs -append
// console=ttyPZ0`, or a tutorial's line without -M) becomes a Power Mac (mac99)
// VM that Tessera runs: the options the board takes carry over, and what it
// cannot take is listed in words (one CPU, at most 2047 MiB; QEMU's default
// board g3beige becomes mac99). The disk and the CD are kept and run (-boot d
// boots the disc); a second disk is more than the board has, and the import
// preview says so. An explicit other PowerPC board is kept for the QEMU
// command and not run.

#include <QtTest>

#include "core/vm/import_preflight.h"
#include "core/vm/qemu_import.h"
#include "core/vm/vm_machine_config.h"

using namespace tessera::vm;

namespace {

QemuImport imported(const QString& line) {
    const auto result = importQemuCommand(line);
    if (!result) qWarning("%s", result.message().c_str());
    return result ? *result : QemuImport{};
}

}  // namespace

class VmQemuImportPowerPcTest : public QObject {
    Q_OBJECT
private slots:
    void theReferenceMac99LineBecomesARunnablePowerMac() {
        const QemuImport result =
            imported(QStringLiteral("qemu-system-ppc -M mac99 -m 512 -kernel vmlinux -initrd initramfs "
                                    "-append console=ttyPZ0 -nographic"));
        const VmConfig& c = result.config;
        QCOMPARE(c.arch, QStringLiteral("ppc"));
        QCOMPARE(c.board, QStringLiteral("mac99"));
        QCOMPARE(c.memoryBytes, uint64_t(512) << 20);
        QCOMPARE(c.cpus, 1);
        QCOMPARE(c.boot.kernel, QStringLiteral("vmlinux"));
        QCOMPARE(c.boot.initrd, QStringLiteral("initramfs"));
        QCOMPARE(c.boot.append, QStringLiteral("console=ttyPZ0"));
        QVERIFY(isMac99(c));
        QVERIFY2(whyEmulatorCannotRun(c).isEmpty(), qPrintable(whyEmulatorCannotRun(c)));
    }

    void withoutMachineTheVmIsAPowerMacAndSaysSo() {
        const QemuImport result = imported(QStringLiteral("qemu-system-ppc -kernel vmlinux -m 256"));
        QCOMPARE(result.config.board, QStringLiteral("mac99"));
        const QString notes = result.notes.join(QLatin1Char('\n'));
        QVERIFY2(notes.contains(QStringLiteral("g3beige")) && notes.contains(QStringLiteral("mac99")),
                 qPrintable(notes));
    }

    // Issue 15: the tutorial's own lines (qemu-system-ppc, no -M) become a Power Mac the
    // VM list starts, not a g3beige VM refused at Start.
    void theTutorialsLinesImportAsAPowerMacThatStarts() {
        for (const char* line :
             {"qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d -cdrom "
              "~/Downloads/debian-server-powerpc.iso "
              "debian-ppc.qcow2",
              "qemu-system-ppc -m 1G -device e1000,netdev=net0 -netdev user,hostfwd=tcp::2222-:22,id=net0 "
              "~/qemuPowerPC/debian-ppc.qcow2"}) {
            const QemuImport result = imported(QString::fromLatin1(line));
            QCOMPARE(result.config.board, QStringLiteral("mac99"));
            QVERIFY2(whyEmulatorCannotRun(result.config).isEmpty(),
                     qPrintable(whyEmulatorCannotRun(result.config)));
            QCOMPARE(result.config.nics.size(), 1);
            QCOMPARE(result.config.nics.first().forwards.size(), 1);
            QCOMPARE(result.config.nics.first().forwards.first().hostPort, uint16_t(2222));
            QVERIFY(result.notes.join(QLatin1Char('\n')).contains(QStringLiteral("g3beige")));
            QVERIFY2(result.unsupported.isEmpty(), qPrintable(result.unsupported.join(QLatin1Char('\n'))));
        }
    }

    void whatThePowerMacCannotTakeIsListed() {
        const QemuImport result =
            imported(QStringLiteral("qemu-system-ppc -M mac99 -smp 2 -m 4G -cpu G4 -kernel vmlinux"));
        QCOMPARE(result.config.cpus, 1);
        QCOMPARE(result.config.memoryBytes, uint64_t(2047) << 20);
        const QString ignored = result.ignored.join(QLatin1Char('\n'));
        QVERIFY2(ignored.contains(QStringLiteral("-smp 2")) && ignored.contains(QStringLiteral("one CPU")),
                 qPrintable(ignored));
        QVERIFY2(ignored.contains(QStringLiteral("-m ")) && ignored.contains(QStringLiteral("2047 MiB")),
                 qPrintable(ignored));
        QVERIFY2(ignored.contains(QStringLiteral("-cpu G4")), qPrintable(ignored));
        QVERIFY(whyEmulatorCannotRun(result.config).isEmpty());
    }

    void aTutorialsCdInstallKeepsItsDiskAndCdAndBootsTheDisc() {
        const QemuImport result = imported(QStringLiteral(
            "qemu-system-ppc -M mac99 -m 1024 -hda debian.qcow2 -cdrom debian-powerpc.iso -boot d "
            "-netdev user,id=n0,hostfwd=tcp:127.0.0.1:2222-:22 -device e1000,netdev=n0"));
        const VmConfig& c = result.config;
        QCOMPARE(c.disks.size(), 1);
        QCOMPARE(c.cdrom, QStringLiteral("debian-powerpc.iso"));
        QCOMPARE(c.nics.size(), 1);
        QCOMPARE(c.nics.first().model, QStringLiteral("e1000"));
        QCOMPARE(c.nics.first().forwards.size(), 1);
        QVERIFY2(whyEmulatorCannotRun(c).isEmpty(), qPrintable(whyEmulatorCannotRun(c)));
        QCOMPARE(c.boot.order.value(0), QStringLiteral("cdrom"));  // -boot d
    }

    void threeDisksAreMoreThanAPowerMacHasAndThePreviewSaysSo() {
        const QemuImport two =
            imported(QStringLiteral("qemu-system-ppc -M mac99 -hda system.qcow2 -hdb data.qcow2 -boot c"));
        QCOMPARE(two.config.disks.size(), 2);
        QVERIFY(!importProblems(two.config, QStringLiteral("/nonexistent")).join(QLatin1Char('\n')).contains(
            QStringLiteral("two disks at most")));
        const QemuImport three = imported(
            QStringLiteral("qemu-system-ppc -M mac99 -hda system.qcow2 -hdb data.qcow2 -hdd more.qcow2 -boot c"));
        QCOMPARE(three.config.disks.size(), 3);
        const QString problems =
            importProblems(three.config, QStringLiteral("/nonexistent")).join(QLatin1Char('\n'));
        QVERIFY2(problems.contains(QStringLiteral("two disks at most, but this VM has 3")), qPrintable(problems));
    }

    void anotherPowerPcBoardIsKeptButNotRun() {
        const QemuImport result = imported(QStringLiteral("qemu-system-ppc -M g3beige -kernel vmlinux"));
        QCOMPARE(result.config.board, QStringLiteral("g3beige"));
        const QString why = whyEmulatorCannotRun(result.config);
        QVERIFY2(why.contains(QStringLiteral("\"mac99\"")) && why.contains(QStringLiteral("\"g3beige\"")),
                 qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(VmQemuImportPowerPcTest)
#include "vm_qemu_import_powerpc_test.moc"

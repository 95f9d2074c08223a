// Specification: a QEMU command line becomes the `tessera-cli run` line that
// `tessera-cli qemu` runs and --dry-run prints (core/vm/qemu_run_line.h), by
// the translator the GUI import uses. The tutorial's lines (issue 15) give the
// options below; what a run cannot honour is refused in one error naming every
// such option; what it may leave out is a warning.

#include <QDir>
#include <QtTest>

#include "core/vm/emulated_machines.h"
#include "core/vm/qemu_import.h"
#include "core/vm/qemu_run_line.h"
#include "core/vm/shell_words.h"

using namespace tessera::vm;

namespace {

tessera::Result<QemuRunLine> lineFor(const QString& command) {
    auto imported = importQemuCommand(command);
    if (!imported) return imported.error();
    return runLineFor(*imported);
}

QString runLine(const QString& command) {
    const auto line = lineFor(command);
    if (!line) qWarning("%s", line.message().c_str());
    return line ? shellJoin(line->arguments) : QString();
}

QString warnings(const QString& command) {
    const auto line = lineFor(command);
    return line ? line->warnings.join(QLatin1Char('\n')) : QString();
}

QString errorOf(const QString& command) {
    const auto line = lineFor(command);
    return line ? QString() : QString::fromStdString(line.message());
}

}  // namespace

class VmQemuRunLineTest : public QObject {
    Q_OBJECT
private slots:
    void theTutorialsInstallLineRunsOnMac99FromTheDisc() {
        const QString home = QDir::homePath();
        QCOMPARE(
            runLine(QStringLiteral("qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d "
                                   "-cdrom ~/Downloads/debian-server-powerpc.iso debian-ppc.qcow2")),
            QStringLiteral("--machine mac99 -m 512M --disk debian-ppc.qcow2,format=qcow2 --cdrom "
                           "%1/Downloads/debian-server-powerpc.iso --boot d --nic user,hostfwd=tcp::2222-:22")
                .arg(home));
        // QEMU's default board there is g3beige: said in one line.
        const QString said = warnings(QStringLiteral("qemu-system-ppc -m 512 debian-ppc.qcow2"));
        QVERIFY2(said.contains(QStringLiteral("without -M starts QEMU's g3beige")) &&
                     said.contains(QStringLiteral("\"mac99\"")),
                 qPrintable(said));
    }

    void theTutorialsStartLineKeepsItsE1000AndForward() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-ppc -m 1G -device e1000,netdev=net0 "
                                        "-netdev user,hostfwd=tcp::2222-:22,id=net0 /vm/debian-ppc.qcow2")),
                 QStringLiteral("--machine mac99 -m 1G --disk /vm/debian-ppc.qcow2,format=qcow2 "
                                "--nic user,hostfwd=tcp::2222-:22"));
    }

    void theTutorialsKernelLineWithTheGuestsKernelKeepsEveryOptionItCan() {
        const QString command = QStringLiteral(
            "qemu-system-ppc -kernel vmlinux -hda rootfs.ext2 -boot c -m 512 -append \"root=/dev/sda rw\" "
            "-localtime -no-reboot -name rtlinux -net nic -net user -redir tcp:2222::22 -redir "
            "tcp:3333::3333");
        QCOMPARE(runLine(command),
                 QStringLiteral("--machine mac99 -m 512M --kernel vmlinux --append 'root=/dev/sda rw' --disk "
                                "rootfs.ext2,format=raw --boot c "
                                "--nic user,hostfwd=tcp::2222-:22,hostfwd=tcp::3333-:3333 --no-reboot"));
        const QString said = warnings(command);
        QVERIFY2(
            said.contains(QStringLiteral("-localtime")) && said.contains(QStringLiteral("-name rtlinux")),
            qPrintable(said));
        QCOMPARE(
            runLine(QStringLiteral("qemu-system-riscv64 -M virt -kernel ./Image -initrd ./rootfs "
                                   "-append \"root=/dev/ram rdinit=/helloworld\" -nodefaults")),
            QStringLiteral("--kernel ./Image --initrd ./rootfs --append 'root=/dev/ram rdinit=/helloworld'"));
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -kernel Image -nic none")),
                 QStringLiteral("--kernel Image"));
    }

    void withoutMachineRiscv64RunsVirtAndSaysQemuWouldStartSpike() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -kernel u-boot.bin -net none")),
                 QStringLiteral("--kernel u-boot.bin"));
        QVERIFY(warnings(QStringLiteral("qemu-system-riscv64 -kernel u-boot.bin"))
                    .contains(QStringLiteral("spike")));
        QVERIFY(!warnings(QStringLiteral("qemu-system-riscv64 -M virt -kernel u-boot.bin"))
                     .contains(QStringLiteral("spike")));
    }

    void aDiskWithoutAnOptionAndTheHdOptionsAreDisks() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none a.qcow2 -hdb b.img")),
                 QStringLiteral("--disk a.qcow2,format=qcow2 --disk b.img,format=raw"));
        QCOMPARE(runLine(QStringLiteral("qemu-system-ppc -M mac99 -net none -hda a.img -hdb b.img")),
                 QStringLiteral("--machine mac99 --disk a.img,format=raw --disk b.img,format=raw"));
        QCOMPARE(errorOf(QStringLiteral("qemu-system-ppc -M mac99 -hda a.img -hdb b.img -hdc c.img")),
                 QStringLiteral("a Power Mac (mac99) has two disks (-hda, -hdb), but the command gives 3"));
    }

    void redirAcceptsItsOldForms() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -redir tcp:2222::22 -redir udp:5353::53 "
                                        "-redir 8080:10.0.2.15:80")),
                 QStringLiteral("--nic user,hostfwd=tcp::2222-:22,hostfwd=udp::5353-:53,"
                                "hostfwd=tcp::8080-10.0.2.15:80"));
        QVERIFY(errorOf(QStringLiteral("qemu-system-riscv64 -M virt -redir tcp:22"))
                    .contains(QStringLiteral("-redir tcp:22")));
    }

    void aForwardWithAnAddressKeepsIt() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -nic user,hostfwd=tcp:0.0.0.0:2222-:22,"
                                        "mac=52:54:00:12:34:99")),
                 QStringLiteral("--nic user,hostfwd=tcp:0.0.0.0:2222-:22,mac=52:54:00:12:34:99"));
    }

    void runOnlyOptionsBecomeRunOptions() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none -kernel vmlinux -s -S")),
                 QStringLiteral("--kernel vmlinux --gdb tcp::1234 --paused"));
        QCOMPARE(
            runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none -kernel vmlinux -gdb tcp::5555")),
            QStringLiteral("--kernel vmlinux --gdb tcp::5555"));
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none -bios none -kernel prog.elf "
                                        "-serial file:/tmp/uart.log -smp 4 -m 64")),
                 QStringLiteral("-m 64M --smp 4 --bios none --kernel prog.elf --serial file:/tmp/uart.log"));
        QCOMPARE(
            runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none -bios default -serial mon:stdio")),
            QStringLiteral("--serial stdio"));
    }

    void theGenericLoaderWithAFileAndAnAddressBecomesRunsLoad() {
        QCOMPARE(runLine(QStringLiteral("qemu-system-riscv64 -M virt -net none -kernel u-boot.bin "
                                        "-device loader,file=Image,addr=0x84000000")),
                 QStringLiteral("--kernel u-boot.bin --load Image@0x84000000"));
        QVERIFY(errorOf(QStringLiteral(
                            "qemu-system-riscv64 -M virt -device loader,addr=0x1000,data=1,data-len=4"))
                    .contains(QStringLiteral("-device loader,addr=0x1000")));
    }

    void whatARunCannotHonourIsOneErrorNamingEveryOption() {
        const QString error = errorOf(QStringLiteral(
            "qemu-system-riscv64 -M virt -snapshot -frobnicate yes -device sb16 -enable-kvm -serial pty "
            "-netdev tap,id=n0 -device virtio-net-device,netdev=n0 disk.qcow2"));
        for (const char* named : {"-snapshot", "-frobnicate yes", "-device sb16", "-serial pty", "tap"})
            QVERIFY2(error.contains(QLatin1String(named)), qPrintable(named + (": " + error)));
        QVERIFY2(!error.contains(QStringLiteral("-enable-kvm")), qPrintable(error));  // a warning only
        QCOMPARE(error.count(QStringLiteral("\n  ")), 5);  // one error, one line per option
        QVERIFY(warnings(QStringLiteral("qemu-system-riscv64 -M virt -enable-kvm"))
                    .contains(QStringLiteral("-enable-kvm")));
    }

    void anotherMachineIsRefusedNamingTheOneTesseraHas() {
        const QString error = errorOf(QStringLiteral("qemu-system-ppc -M g3beige -kernel vmlinux"));
        QVERIFY2(
            error.contains(QStringLiteral("-M g3beige")) && error.contains(QStringLiteral("use -M mac99")),
            qPrintable(error));
        QVERIFY(errorOf(QStringLiteral("qemu-system-riscv64 -M sifive_u"))
                    .contains(QStringLiteral("use -M virt")));
        QVERIFY(
            errorOf(QStringLiteral("qemu-system-x86_64 -kernel bzImage")).contains(QStringLiteral("mac99")));
        // More than QEMU's mac99 takes: QEMU refuses, so does the run (the GUI import fits the VM instead).
        QVERIFY(
            errorOf(QStringLiteral("qemu-system-ppc -M mac99 -m 4G")).contains(QStringLiteral("2047 MiB")));
    }

    void theDryRunLineSplitsBackIntoTheSameArguments() {
        const auto line =
            lineFor(QStringLiteral("qemu-system-ppc -kernel 'my kernel' -append \"console=ttyPZ0 quiet='a "
                                   "b'\" -cdrom \"it's.iso\""));
        QVERIFY(line.ok());
        const auto words = splitShellWords(shellJoin(line->arguments));
        QVERIFY(words.ok());
        QCOMPARE(*words, line->arguments);
        QVERIFY(line->arguments.contains(QStringLiteral("console=ttyPZ0 quiet='a b'")));
    }

    void theMachineListIsWhatThisBuildEmulates() {
        QCOMPARE(machineListText(QStringLiteral("ppc")).count(QStringLiteral("qemu-system-")), 1);
        QVERIFY(machineListText(QStringLiteral("ppc")).contains(QStringLiteral("PowerPC 750")));
        QVERIFY(machineListText(QStringLiteral("riscv64")).contains(QStringLiteral("rv64gc")));
        QVERIFY(machineListText(QStringLiteral("riscv64")).contains(QStringLiteral("1-8 CPUs")));
        QVERIFY(machineListText(QStringLiteral("x86_64")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(VmQemuRunLineTest)
#include "vm_qemu_run_line_test.moc"

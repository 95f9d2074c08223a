// Specification: `tessera-cli qemu` runs a QEMU command line (issue 15): its
// --dry-run line is a runnable `tessera-cli run` line, --save makes a VM in
// the library, -M help lists what this build emulates, and a line it cannot
// honour is refused with exit status 2 before anything starts.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

constexpr char kUBootSmode[] = "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin";

struct CliResult {
    int exitCode = -1;
    QString stdoutText;
    QString stderrText;
};

CliResult runProgram(const QString& program, const QStringList& args, const QString& vmDir = {}) {
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!vmDir.isEmpty()) environment.insert(QStringLiteral("TESSERA_VM_DIR"), vmDir);
    process.setProcessEnvironment(environment);
    process.start(program, args);
    process.waitForStarted();
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) process.kill();
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

CliResult qemu(const QStringList& args, const QString& vmDir = {}) {
    return runProgram(qEnvironmentVariable("TESSERA_CLI"), QStringList{"qemu"} + args, vmDir);
}

}  // namespace

class CliQemuTest : public QObject {
    Q_OBJECT
private slots:
    void helpNamesTheCommandAndItsOptions() {
        const CliResult top = runProgram(qEnvironmentVariable("TESSERA_CLI"), {"--help"});
        QVERIFY(top.stdoutText.contains("qemu "));
        const CliResult help = qemu({"--help"});
        QCOMPARE(help.exitCode, 0);
        for (const char* text :
             {"--dry-run", "--save NAME", "qemu-system-ppc", "qemu-system-riscv64", "mac99"})
            QVERIFY2(help.stdoutText.contains(text), text);
    }

    void theDryRunLineRunsAsPrinted() {
        const CliResult dry = qemu({"--dry-run", "qemu-system-riscv64", "-M", "virt", "-m", "64", "-kernel",
                                    kUBootSmode, "-net", "none", "-no-reboot"});
        QCOMPARE(dry.exitCode, 0);
        QCOMPARE(dry.stdoutText,
                 QStringLiteral("tessera-cli run -m 64M --kernel %1 --no-reboot\n").arg(kUBootSmode));
        // The printed line, run by a shell: U-Boot (a raw binary) starts on QEMU's default firmware.
        const QString line = dry.stdoutText.trimmed().replace(
            QStringLiteral("tessera-cli"), QStringLiteral("'%1'").arg(qEnvironmentVariable("TESSERA_CLI")));
        const CliResult ran = runProgram(QStringLiteral("/bin/sh"), {"-c", line + " --timeout 8 </dev/null"});
        QVERIFY2(ran.stdoutText.contains("OpenSBI") && ran.stdoutText.contains("U-Boot 20"),
                 qPrintable(ran.stdoutText.right(2000)));
    }

    void saveMakesAVmInTheLibrary() {
        QTemporaryDir library;
        const CliResult saved =
            qemu({"--save", "debian-ppc", "qemu-system-ppc", "-m", "1G", "-device", "e1000,netdev=net0",
                  "-netdev", "user,hostfwd=tcp::2222-:22,id=net0", "debian-ppc.qcow2", "-no-reboot"},
                 library.path());
        QCOMPARE(saved.exitCode, 0);
        const QString folder = library.filePath(QStringLiteral("debian-ppc.tessera"));
        QCOMPARE(saved.stdoutText.trimmed(), folder);
        QVERIFY2(saved.stderrText.contains("-no-reboot"), qPrintable(saved.stderrText));  // not kept in a VM
        QFile config(folder + QStringLiteral("/config.json"));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QJsonObject json = QJsonDocument::fromJson(config.readAll()).object();
        QCOMPARE(json.value("board").toString(), QStringLiteral("mac99"));
        QCOMPARE(json.value("name").toString(), QStringLiteral("debian-ppc"));
        QVERIFY(QJsonDocument(json).toJson().contains(
            QDir::current().absoluteFilePath("debian-ppc.qcow2").toUtf8()));
        QCOMPARE(qemu({"--save", "debian-ppc", "qemu-system-ppc"}, library.path()).exitCode, 2);  // exists
    }

    void machineHelpListsWhatThisBuildEmulates() {
        const CliResult ppc = qemu({"qemu-system-ppc", "-M", "help"});
        QCOMPARE(ppc.exitCode, 0);
        QVERIFY(ppc.stdoutText.contains("mac99") && ppc.stdoutText.contains("PowerPC 750"));
        QVERIFY(!ppc.stdoutText.contains("virt"));
        const CliResult riscv = qemu({"/usr/bin/qemu-system-riscv64", "-machine", "help"});
        QVERIFY(riscv.stdoutText.contains("virt") && riscv.stdoutText.contains("rv64gc"));
        const CliResult list = runProgram(qEnvironmentVariable("TESSERA_CLI"), {"run", "--list-machines"});
        QCOMPARE(list.stdoutText, riscv.stdoutText + ppc.stdoutText);  // one source
    }

    void whatCannotBeHonouredIsRefusedBeforeAnythingRuns() {
        const CliResult refused =
            qemu({"qemu-system-ppc", "-snapshot", "-pidfile", "vm.pid", "-kernel", "vmlinux"});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.stderrText.contains("-snapshot") && refused.stderrText.contains("-pidfile vm.pid"),
                 qPrintable(refused.stderrText));
        QVERIFY(refused.stdoutText.isEmpty());
        const CliResult g3 = qemu({"qemu-system-ppc", "-M", "g3beige"});
        QCOMPARE(g3.exitCode, 2);
        QVERIFY2(g3.stderrText.contains("use -M mac99"), qPrintable(g3.stderrText));
        QCOMPARE(qemu({"ls", "-l"}).exitCode, 2);
        QCOMPARE(qemu({}).exitCode, 2);
        QCOMPARE(qemu({"--dry-run", "--save", "x", "qemu-system-ppc"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(CliQemuTest)
#include "cli_qemu_test.moc"

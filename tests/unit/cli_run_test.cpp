// Specification: `tessera-cli run` refuses what cannot work with a clear
// message and exit status 2 before any guest starts, and maps guest outcomes
// to exit statuses (poweroff code, 124 on --timeout). A VM bundle's run is
// logged in its logs/ as when the app runs it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/run_log.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_machine_config.h"
#include "support/scratch_files.h"

namespace {

struct CliResult {
    int exitCode = -1;
    QString stdoutText;
    QString stderrText;
};

CliResult runCli(const QStringList& args, const QByteArray& input = {}, const QString& vmDir = {}) {
    QProcess process;
    if (!vmDir.isEmpty()) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TESSERA_VM_DIR"), vmDir);
        process.setProcessEnvironment(environment);
    }
    process.start(qEnvironmentVariable("TESSERA_CLI"), QStringList{"run"} + args);
    process.waitForStarted();
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) process.kill();
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

const QString kFwJump = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin";

// The `--stats` line ("tessera-stats: {...}" on stderr), empty if there is none.
QJsonObject runStats(const CliResult& result) {
    const int at = result.stderrText.indexOf("tessera-stats: ");
    if (at < 0) return {};
    return QJsonDocument::fromJson(result.stderrText.mid(at + 15).section('\n', 0, 0).toUtf8()).object();
}

// The engine that ran the guest, as --stats names it.
QString engineThatRan(const CliResult& result) {
    const QJsonObject stats = runStats(result);
    return stats.isEmpty() ? QString("no stats in: " + result.stderrText) : stats.value("engine").toString();
}

}  // namespace

class CliRunTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString write(const QString& name, const QByteArray& bytes) {
        return tessera::testing::writeScratchFile(dir_, name, bytes);
    }
    static void expectUsageError(const CliResult& result, const char* fragment) {
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.stderrText.contains(fragment), qPrintable(result.stderrText));
        QVERIFY(result.stdoutText.isEmpty());  // nothing ran
    }

private slots:
    void helpDescribesTheOptions() {
        const CliResult result = runCli({"--help"});
        QCOMPARE(result.exitCode, 0);
        for (const char* option :
             {"--bios", "--kernel", "--initrd", "--append", "--serial", "--timeout", "-m"})
            QVERIFY2(result.stdoutText.contains(option), option);
    }
    void badOptionsAreRejected() {
        expectUsageError(runCli({"--frobnicate"}), "unknown option '--frobnicate'");
        expectUsageError(runCli({"--bios", "none"}), "--bios none needs --kernel");
        expectUsageError(runCli({"--kernel", "x"}), "kernel 'x' cannot be opened");  // OpenSBI by default
        expectUsageError(runCli({"--bios", "none", "--bios", "none"}), "more than once");
        expectUsageError(runCli({"-m", "lots", "--bios", "none"}), "not a size");
        expectUsageError(runCli({"-m", "12Q", "--bios", "none"}), "unknown size suffix");
        expectUsageError(runCli({"--engine", "tcg", "--bios", "none"}), "unknown engine 'tcg'");
        expectUsageError(runCli({"--smp", "9", "--bios", "none"}), "at most 8 hart(s)");
        expectUsageError(runCli({"--serial", "tcp:1234", "--bios", "none"}), "not one of stdio");
        expectUsageError(runCli({"--timeout", "-1", "--bios", "none"}), "positive number");
        expectUsageError(runCli({"--load", "nofile", "--bios", "none"}), "FILE@ADDRESS");
        expectUsageError(runCli({"--gdb", "tcp::99999", "--bios", "none"}), "a number from 0 to 65535");
        expectUsageError(runCli({"--gdb", "udp::1234", "--bios", "none"}), "a number from 0 to 65535");
        expectUsageError(runCli({"--gdb", "tcp:example.org:1234", "--bios", "none"}), "not an IPv4 address");
        expectUsageError(runCli({"--paused=yes", "--bios", "none"}), "takes no value");
    }
    void aGdbPortInUseIsNamedBeforeTheGuestStarts() {
        // Another program listens on the port already.
        const int taken = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QVERIFY(bind(taken, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                listen(taken, 1) == 0);
        socklen_t length = sizeof address;
        getsockname(taken, reinterpret_cast<sockaddr*>(&address), &length);
        const QString port = QString::number(ntohs(address.sin_port));
        expectUsageError(runCli({"--bios", kFwJump, "--gdb", "tcp::" + port, "--paused"}),
                         qPrintable("cannot listen for GDB on 127.0.0.1:" + port));
        expectUsageError(runCli({"--machine", "mac99", "--gdb", port}),
                         qPrintable("cannot listen for GDB on 127.0.0.1:" + port));
        close(taken);
    }
    void bootFromDiscOrDiskPicksUefiFirmwareOrSaysWhatIsMissing() {
        expectUsageError(runCli({"--boot", "n"}), "not d (CD-ROM) or c (disk)");
        expectUsageError(runCli({"--boot", "d"}), "--cdrom FILE.iso");
        expectUsageError(runCli({"--boot", "order=c"}), "--disk FILE");
        // Without --bios, --boot needs Debian's EDK2 (qemu-efi-riscv64): its absence is named.
        const QString iso = write("disc.iso", QByteArray(1 << 20, '\0'));
        QTemporaryDir noFirmware;
        qputenv("TESSERA_RISCV_UEFI_DIR", QFile::encodeName(noFirmware.path()));
        const CliResult missing = runCli({"--boot", "d", "--cdrom", iso});
        qunsetenv("TESSERA_RISCV_UEFI_DIR");
        expectUsageError(missing, "install Debian's qemu-efi-riscv64 package");
    }
    void unusableFilesAreRejectedBeforeTheGuestStarts() {
        expectUsageError(runCli({"--bios", dir_.filePath("missing.bin")}), "cannot be opened");
        const QString uImage = write("uImage", QByteArray("\x27\x05\x19\x56", 4) + QByteArray(4096, '\0'));
        expectUsageError(runCli({"--bios", kFwJump, "--kernel", uImage}), "U-Boot uImage");
        QByteArray image(1 << 20, '\0');
        image.replace(0x38, 4, QByteArray("RSC\x05", 4));
        const QString kernel = write("Image", image);
        const QString initrd = write("initrd", QByteArray(40 << 20, 'i'));
        expectUsageError(runCli({"-m", "32M", "--bios", kFwJump, "--kernel", kernel, "--initrd", initrd}),
                         "too small");
        expectUsageError(runCli({"--bios", "none", "--kernel", kernel}), "needs firmware");
    }
    void theMac99BoardIsListedSelectableAndRefusesWhatItLacks() {
        const CliResult list = runCli({"--list-machines"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.stdoutText.contains("virt") && list.stdoutText.contains("mac99"));
        expectUsageError(runCli({"--machine", "g3beige"}), "unknown board 'g3beige'");
        expectUsageError(runCli({"--machine", "mac99", "--pflash", "x.img"}),
                         "--pflash is not available with --machine mac99");
        expectUsageError(runCli({"--machine", "mac99", "--screenshot", dir_.filePath("shot.png")}),
                         "--screenshot needs a display: add --display headless");
        expectUsageError(runCli({"--machine", "mac99", "--bios", dir_.filePath("missing-openbios")}),
                         "cannot be opened");
        const QString brokenElf = write("broken-vmlinux", QByteArray("\x7f" "ELF") + QByteArray(4092, 'x'));
        expectUsageError(runCli({"--machine", "mac99", "--kernel", brokenElf}), "mac99 boots a vmlinux ELF");
        QByteArray riscvImage(4096, '\0');
        riscvImage.replace(48, 8, QByteArray("RISCV\0\0\0", 8)).replace(56, 4, QByteArray("RSC\x05", 4));
        expectUsageError(runCli({"--machine", "mac99", "--kernel", write("Image", riscvImage)}),
                         "not a 32-bit PowerPC kernel");
    }
    void mac99TakesTwoAtaDisksAndACdromAndChecksTheBootDevice() {
        const QString disk = write("disk.img", QByteArray(1 << 20, '\0'));
        expectUsageError(runCli({"--machine", "mac99", "--disk", disk, "--disk", disk, "--disk", disk}),
                         "takes two --disk at most");
        expectUsageError(runCli({"--machine", "mac99", "--boot", "d"}), "--boot d starts from the CD-ROM");
        expectUsageError(runCli({"--machine", "mac99", "--cdrom", "none", "--boot", "c"}),
                         "--boot c starts from the disk");
        expectUsageError(runCli({"--machine", "mac99", "--disk", dir_.filePath("missing.img")}),
                         "cannot use disk");
        const CliResult result = runCli({"--machine", "mac99", "--disk", disk, "--cdrom", "none", "--boot",
                                         "c", "--timeout", "1", "--serial", "none"});
        QCOMPARE(result.exitCode, 124);
    }
    void mac99TakesItsE1000InBothSpellingsAndRefusesAMismatchedOne() {
        expectUsageError(runCli({"--machine", "mac99", "-device", "e1000,netdev=net0"}),
                         "-device and -netdev go together");
        expectUsageError(runCli({"--machine", "mac99", "-device", "e1000,netdev=a", "-netdev", "user,id=b"}),
                         "names no -netdev");
        expectUsageError(
            runCli({"--machine", "mac99", "-device", "virtio-net-device,netdev=a", "-netdev", "user,id=a"}),
            "this board's network card is e1000");
        expectUsageError(runCli({"--bios", kFwJump, "-device", "e1000,netdev=a", "-netdev", "user,id=a"}),
                         "this board's network card is virtio-net-device");
        expectUsageError(runCli({"--machine", "mac99", "--nic", "user", "-device", "e1000,netdev=a",
                                 "-netdev", "user,id=a"}),
                         "give the network once");
        // Accepted: OpenBIOS runs with the NIC on the bus until the timeout.
        for (const QStringList& nic : {QStringList{"--nic", "user"},
                                       QStringList{"-device", "e1000,netdev=n", "-netdev", "user,id=n"}}) {
            const CliResult result =
                runCli(QStringList{"--machine", "mac99", "--timeout", "1", "--serial", "none"} + nic);
            QVERIFY2(result.exitCode == 124, qPrintable(result.stderrText));
        }
    }
    void mac99RunsOpenBiosUntilTheTimeoutAndSaysWhereTheCpuWas() {
        const CliResult result = runCli({"--machine", "mac99", "--timeout", "1", "--serial", "none"});
        QCOMPARE(result.exitCode, 124);
        QVERIFY2(result.stderrText.contains("timeout after 1 s; the CPU was at"),
                 qPrintable(result.stderrText));
        QVERIFY2(result.stderrText.contains("pc ") && result.stderrText.contains("sdr1"),
                 qPrintable(result.stderrText));
    }
    void mac99RunsOpenBiosOnTheJitByDefaultAndOnTheInterpreter() {
        const QStringList run{"--machine", "mac99", "--timeout", "1", "--serial", "none", "--stats"};
        for (const auto& [extra, engine] : {std::pair{QStringList{}, QString("jit")},
                                            std::pair{QStringList{"--engine", "interp"}, QString("interp")},
                                            std::pair{QStringList{"--engine", "jit"}, QString("jit")}}) {
            const CliResult result = runCli(run + extra);
            QCOMPARE(result.exitCode, 124);
            QVERIFY2(result.stderrText.contains("timeout after 1 s; the CPU was at"),
                     qPrintable(result.stderrText));
            QCOMPARE(engineThatRan(result), engine);
        }
    }
    void timeoutStopsARunningGuestWithStatus124() {
        // fw_jump without a kernel ends up executing zeroed RAM at 0x80200000:
        // an endless trap loop in the guest, which --timeout must end.
        const CliResult result = runCli({"--bios", kFwJump, "--timeout", "1", "--serial", "none"});
        QCOMPARE(result.exitCode, 124);
        QVERIFY2(result.stderrText.contains("timeout"), qPrintable(result.stderrText));
    }
    void theJitIsTheDefaultEngineAndInterpStaysSelectable() {
        // OpenSBI without a payload.
        const QStringList run{"--bios", kFwJump, "--timeout", "1", "--serial", "none", "--stats"};
        QCOMPARE(engineThatRan(runCli(run)), QString("jit"));
        QCOMPARE(engineThatRan(runCli(run + QStringList{"--engine", "interp"})), QString("interp"));
        QCOMPARE(engineThatRan(runCli(run + QStringList{"--engine", "jit"})), QString("jit"));
    }
    void spinWaitBackoffIsIdleTimeNotBusyTime() {
        // Firmware whose every hart spins on PAUSE (Zihintpause) for ever, like
        // a lock waiter whose holder never comes: with other harts the spin
        // backs off (yields, then 50 us sleeps, spin_backoff.h), so --stats
        // counts that time as idle, not as executing guest code.
        const QString spin =
            write("pause_spin.bin", QByteArray::fromHex("0f0000016ff0dfff"));  // pause; j .-4
        for (const char* engine : {"interp", "jit"}) {
            const CliResult result = runCli({"--bios", spin, "--smp", "2", "--engine", engine, "--timeout",
                                             "1", "--serial", "none", "--stats"});
            QCOMPARE(result.exitCode, 124);
            const QJsonObject stats = runStats(result);
            QVERIFY2(!stats.isEmpty(), qPrintable(result.stderrText));
            const double harts = stats.value("harts").toDouble(),
                         wall = stats.value("wall_seconds").toDouble();
            const double busy = stats.value("busy_seconds").toDouble(),
                         idle = stats.value("idle_seconds").toDouble();
            const QString figures = QString("%1: %2").arg(engine, result.stderrText);
            QCOMPARE(harts, 2.0);
            QVERIFY2(busy < 0.2 * harts * wall, qPrintable(figures));  // spinning, not backing off: about 2 s
            QVERIFY2(idle > 0.6 * harts * wall, qPrintable(figures));
        }
    }
    void serialCanGoToAFile() {
        const QString log = dir_.filePath("serial.log");
        const CliResult result = runCli({"--bios", kFwJump, "--timeout", "1", "--serial", "file:" + log});
        QCOMPARE(result.exitCode, 124);
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("OpenSBI"));
        QVERIFY(!result.stdoutText.contains("OpenSBI"));
    }
    void aVmBundleRunsByNameOrByFolder() {
        if (!QFile::exists(QLatin1String(tessera::vm::kDefaultRiscvBootLoader)))
            QSKIP("u-boot-qemu is not installed");
        QTemporaryDir library;
        tessera::vm::VmConfig config;
        config.name = QStringLiteral("Boot Loader");
        config.display.type = QStringLiteral("none");
        const auto bundle = tessera::vm::VmBundle::create(library.path(), config);
        QVERIFY(bundle.ok());
        // No kernel in config.json: OpenSBI hands over to U-Boot, which prints its banner.
        for (const QString& vm : {QStringLiteral("Boot Loader"), bundle->directory()}) {
            const CliResult result = runCli({"--vm", vm, "--timeout", "3"}, {}, library.path());
            QCOMPARE(result.exitCode, 124);
            QVERIFY2(result.stdoutText.contains("U-Boot"), qPrintable(result.stdoutText.right(2000)));
        }
    }
    void aDiskWithoutAKernelStartsUBootAsTheAppDoes() {
        // QEMU's OpenSBI alone would continue at empty RAM; the disk's boot
        // loader (extlinux.conf, EFI) is U-Boot's to find, as for a VM in the app.
        if (!QFile::exists(QLatin1String(tessera::vm::kDefaultRiscvBootLoader)))
            QSKIP("u-boot-qemu is not installed");
        const QString disk = write("blank.img", QByteArray(1 << 20, '\0'));
        const CliResult result = runCli({"--disk", disk + ",format=raw", "--timeout", "3"});
        QCOMPARE(result.exitCode, 124);
        QVERIFY2(result.stderrText.contains("Debian's U-Boot"), qPrintable(result.stderrText));
        QVERIFY2(result.stdoutText.contains("U-Boot 20"), qPrintable(result.stdoutText.right(2000)));
        // With a kernel, or without a disk, nothing changes: OpenSBI and no U-Boot.
        const CliResult bare = runCli({"--timeout", "1", "--serial", "none"});
        QVERIFY2(!bare.stderrText.contains("U-Boot"), qPrintable(bare.stderrText));
    }
    void aVmBundleRunIsLoggedInItsLogsFolder() {
        QTemporaryDir library;
        tessera::vm::VmConfig config;
        config.name = QStringLiteral("Logged");
        config.display.type = QStringLiteral("none");
        const auto bundle = tessera::vm::VmBundle::create(library.path(), config);
        QVERIFY(bundle.ok());
        const CliResult result = runCli({"--vm", "Logged", "--timeout", "2"}, {}, library.path());
        QCOMPARE(result.exitCode, 124);
        const QStringList runs = tessera::vm::RunLog::runs(*bundle);
        QCOMPARE(runs.size(), 1);
        QFile serial(tessera::vm::RunLog::serialFileOf(runs.first()));
        QVERIFY(serial.open(QIODevice::ReadOnly));
        QVERIFY(serial.readAll().contains("OpenSBI"));  // the same bytes the terminal got
        QFile notes(tessera::vm::RunLog::tesseraFileOf(runs.first()));
        QVERIFY(notes.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(notes.readAll());
        QVERIFY2(text.contains(QStringLiteral("tessera-cli")) &&
                     text.contains(QStringLiteral("\"Logged\"")) &&
                     text.contains(QStringLiteral("qemu-system-riscv64")) &&
                     text.contains(QStringLiteral("still running after")),
                 qPrintable(text));
        QVERIFY(!tessera::vm::RunLog::isRunning(*bundle));
    }
    void aVmBundleDefinesTheMachine() {
        QTemporaryDir library;
        tessera::vm::VmConfig config;
        config.name = QStringLiteral("Fixed");
        QVERIFY(tessera::vm::VmBundle::create(library.path(), config).ok());
        for (const QStringList& machineOption :
             {QStringList{"--kernel", "Image"}, {"--disk", "disk.qcow2"}, {"-m", "1G"}})
            expectUsageError(runCli(QStringList{"--vm", "Fixed"} + machineOption, {}, library.path()),
                             "cannot be combined with --vm");
        expectUsageError(runCli({"--vm", "Nope"}, {}, library.path()), "no VM called \"Nope\"");
        QDir(library.path()).mkpath(QStringLiteral("Broken.tessera"));
        write("broken.json", "{ not json");
        QFile::copy(dir_.filePath("broken.json"),
                    library.filePath(QStringLiteral("Broken.tessera/config.json")));
        expectUsageError(runCli({"--vm", "Broken"}, {}, library.path()), "config.json");
    }
    void aVmBundleWarnsAboutUnknownKeysAndKeepsThem() {
        QTemporaryDir library;
        tessera::vm::VmConfig config;
        config.name = QStringLiteral("Typo");
        config.boot.firmware = kFwJump;
        config.display.type = QStringLiteral("none");
        const auto bundle = tessera::vm::VmBundle::create(library.path(), config);
        QVERIFY(bundle.ok());
        QFile file(bundle->configPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        json[QStringLiteral("cpu")] = 2;
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(json).toJson());
        file.close();
        const CliResult result =
            runCli({"--vm", "Typo", "--timeout", "1", "--serial", "none"}, {}, library.path());
        QCOMPARE(result.exitCode, 124);  // a warning, not a refusal
        QVERIFY2(result.stderrText.contains("tessera-cli run: warning: config.json: unknown setting \"cpu\" "
                                            "is ignored; did you mean \"cpus\"?"),
                 qPrintable(result.stderrText));
    }
    void aBackingFileOutsideTheBundleNeedsAcceptBacking() {
        QTemporaryDir library;
        const QString secret = write("secret.img", QByteArray(1 << 20, 'S'));
        tessera::vm::VmConfig config;
        config.name = QStringLiteral("Downloaded");
        config.boot.firmware = kFwJump;
        config.display.type = QStringLiteral("none");
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        const auto bundle = tessera::vm::VmBundle::create(library.path(), config);
        QVERIFY(bundle.ok());
        QCOMPARE(QProcess::execute(QStringLiteral("qemu-img"),
                                   {"create", "-q", "-f", "qcow2", "-b", secret, "-F", "raw",
                                    bundle->resolve(QStringLiteral("disk.qcow2"))}),
                 0);
        const QString canonical = QFileInfo(secret).canonicalFilePath();
        // Refused before anything runs, naming the file and the way to allow it.
        CliResult result =
            runCli({"--vm", "Downloaded", "--timeout", "1", "--serial", "none"}, {}, library.path());
        expectUsageError(result, "outside the VM folder");
        QVERIFY2(result.stderrText.contains(canonical) &&
                     result.stderrText.contains("--accept-backing " + canonical),
                 qPrintable(result.stderrText));
        QVERIFY(bundle->load()->disks[0].acceptedBacking.isEmpty());
        // Another file does not allow it.
        result =
            runCli({"--vm", "Downloaded", "--accept-backing", dir_.filePath("other.img"), "--timeout", "1"},
                   {}, library.path());
        QCOMPARE(result.exitCode, 2);
        // Allowed, the VM starts, and config.json remembers it for the next start.
        result =
            runCli({"--vm", "Downloaded", "--accept-backing", secret, "--timeout", "1", "--serial", "none"},
                   {}, library.path());
        QCOMPARE(result.exitCode, 124);
        QCOMPARE(bundle->load()->disks[0].acceptedBacking, QStringList{canonical});
        result = runCli({"--vm", "Downloaded", "--timeout", "1", "--serial", "none"}, {}, library.path());
        QCOMPARE(result.exitCode, 124);
        // Only with --vm: a --disk on the command line is the user's own choice.
        expectUsageError(runCli({"--bios", kFwJump, "--accept-backing", secret}), "belongs to --vm");
    }
};

QTEST_MAIN(CliRunTest)
#include "cli_run_test.moc"

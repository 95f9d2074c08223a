// Specification: VmRunner runs a bundle on its own thread and changes it while
// it runs — CD, port forwards, reset, power off — keeping config.json in step
// so the next start has the same disc and forwards. When a run ends the machine
// is gone at once (disk and ISO closed and unlocked, forwards closed), and the
// next start builds a new one from config.json. The guest is Debian's
// OpenSBI + U-Boot (the bundle's default boot path without a kernel).

#include "core/vm/vm_runner.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/block/host_file.h"
#include "core/vm/disk_image_factory.h"
#include "core/vm/vm_machine_config.h"

using namespace tessera;
using namespace tessera::vm;

namespace {

// A TCP socket on 127.0.0.1; listening if asked (port 0 = any free port).
struct LoopbackSocket {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ~LoopbackSocket() { close(fd); }
    static sockaddr_in address(quint16 port) {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return a;
    }
    quint16 listenOn(quint16 port = 0) {
        sockaddr_in a = address(port);
        if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || listen(fd, 1) != 0) return 0;
        socklen_t length = sizeof a;
        getsockname(fd, reinterpret_cast<sockaddr*>(&a), &length);
        return ntohs(a.sin_port);
    }
    bool connectTo(quint16 port) {
        const sockaddr_in a = address(port);
        return ::connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
    }
};

quint16 freePort() { return LoopbackSocket().listenOn(); }
bool accepts(quint16 port) { return LoopbackSocket().connectTo(port); }

PortForward forward(quint16 hostPort, quint16 guestPort) {
    PortForward rule;
    rule.hostPort = hostPort;
    rule.guestPort = guestPort;
    return rule;
}

}  // namespace

class VmRunnerTest : public QObject {
    Q_OBJECT
    QTemporaryDir library_;

    VmEntry makeVm(const QString& name) {
        VmConfig config;
        config.name = name;
        config.memoryBytes = uint64_t(256) << 20;
        config.display.type = QStringLiteral("none");
        config.nics = {NetworkInterface{}};
        const auto bundle = VmBundle::create(library_.path(), config);
        return VmLibrary::loadEntry(bundle->directory());
    }
    static QString serialText(const QSignalSpy& spy) {
        QByteArray all;
        for (const auto& call : spy) all += call.at(0).toByteArray();
        return QString::fromUtf8(all);
    }

private slots:
    void initTestCase() {
        if (!QFile::exists(QLatin1String(kDefaultRiscvBootLoader)) || !QFile::exists(QLatin1String(kDefaultRiscvFirmware)))
            QSKIP("opensbi and u-boot-qemu are needed (scripts/setup.sh installs them)");
    }

    void runsResetsAndPowersOff() {
        VmRunner runner(makeVm(QStringLiteral("Reset")));
        QSignalSpy serial(&runner, &VmRunner::serialOutput);
        QSignalSpy speed(&runner, &VmRunner::speedMeasured);
        QSignalSpy finished(&runner, &VmRunner::finished);
        QVERIFY(runner.start().ok());
        QCOMPARE(runner.state(), VmRunner::State::Running);
        QVERIFY(!runner.start().ok());  // once
        QTRY_VERIFY_WITH_TIMEOUT(serialText(serial).count(QStringLiteral("U-Boot 20")) >= 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!speed.isEmpty(), 10000);
        QVERIFY(speed.first().at(0).toDouble() > 0);

        runner.reset();
        QTRY_VERIFY_WITH_TIMEOUT(serialText(serial).count(QStringLiteral("OpenSBI v")) >= 2, 60000);

        runner.powerOff();
        QVERIFY(finished.wait(30000));
        QCOMPARE(runner.state(), VmRunner::State::Stopped);
        QVERIFY(runner.entry().bundle.load()->lastRun.has_value());
    }

    void cdChangesReachTheDriveAndConfigJson() {
        const VmEntry entry = makeVm(QStringLiteral("Disc"));
        VmRunner runner(entry);
        QVERIFY(runner.start().ok());
        QVERIFY(runner.cdrom());
        QVERIFY(!runner.cdrom()->hasMedia());

        const Status missing = runner.changeCd(library_.filePath(QStringLiteral("no-such.iso")));
        QVERIFY(!missing.ok());
        QVERIFY(QString::fromStdString(missing.message()).contains(QStringLiteral("no-such.iso")));
        QVERIFY(entry.bundle.load()->cdrom.isEmpty());

        const QString iso = QDir(entry.bundle.directory()).filePath(QStringLiteral("disc.iso"));
        QFile file(iso);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(64 * 2048, 'd'));
        file.close();
        QVERIFY(runner.changeCd(iso).ok());
        QVERIFY(runner.cdrom()->hasMedia());
        QCOMPARE(entry.bundle.load()->cdrom, QStringLiteral("disc.iso"));  // inside the bundle: stored relative

        QVERIFY(runner.ejectCd().ok());
        QVERIFY(!runner.cdrom()->hasMedia());
        QVERIFY(entry.bundle.load()->cdrom.isEmpty());
    }

    void portForwardsChangeWhileRunning() {
        const VmEntry entry = makeVm(QStringLiteral("Forwards"));
        VmRunner runner(entry);
        QVERIFY(runner.start().ok());
        const quint16 port = freePort();
        QVERIFY(runner.setPortForwards({forward(port, 22)}).ok());
        QCOMPARE(entry.bundle.load()->nics.first().forwards, QList<PortForward>{forward(port, 22)});
        QVERIFY2(accepts(port), "the new forward does not listen on 127.0.0.1");

        // A port some other program holds is refused, reported, and not saved.
        LoopbackSocket taken;
        const quint16 takenPort = taken.listenOn();
        QVERIFY(takenPort != 0);
        const Status refused = runner.setPortForwards({forward(port, 22), forward(takenPort, 80)});
        QVERIFY(!refused.ok());
        QCOMPARE(entry.bundle.load()->nics.first().forwards, QList<PortForward>{forward(port, 22)});

        QVERIFY(runner.setPortForwards({}).ok());
        QVERIFY(entry.bundle.load()->nics.first().forwards.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!accepts(port), 10000);
    }

    void aRunThatEndsReleasesTheMachineAndTheNextStartBuildsANewOne() {
        const VmEntry entry = makeVm(QStringLiteral("Released"));
        VmConfig config = *entry.config;
        const QString disk = entry.bundle.resolve(QStringLiteral("disk.qcow2"));
        QVERIFY(createDiskImage({disk, QStringLiteral("qcow2"), uint64_t(16) << 20, {}, {}}).ok());
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        const quint16 port = freePort();
        config.nics.first().forwards = {forward(port, 22)};
        QVERIFY(entry.bundle.save(config).ok());
        auto openExclusively = [&] {
            return block::HostFile::open(QFile::encodeName(disk).toStdString(), true,
                                         block::LockMode::Exclusive)
                .ok();
        };

        VmRunner runner(entry);
        QSignalSpy releasing(&runner, &VmRunner::releasingMachine);
        QSignalSpy finished(&runner, &VmRunner::finished);
        QVERIFY(runner.start().ok());
        QVERIFY(!openExclusively());  // the running VM has it
        QVERIFY(accepts(port));
        runner.powerOff();
        QVERIFY(finished.wait(30000));
        QCOMPARE(releasing.size(), 1);
        QCOMPARE(runner.state(), VmRunner::State::Stopped);
        QVERIFY(!runner.cdrom() && !runner.nic());  // no devices without a machine
        QVERIFY(openExclusively());
        QVERIFY(!accepts(port));
        QVERIFY(!runner.shutDown().ok());

        // What the settings saved meanwhile is what the next run gets.
        config.nics.first().forwards.clear();
        config.cdrom = QStringLiteral("disc.iso");
        QFile iso(entry.bundle.resolve(config.cdrom));
        QVERIFY(iso.open(QIODevice::WriteOnly));
        iso.write(QByteArray(16 * 2048, 'd'));
        iso.close();
        QVERIFY(entry.bundle.save(config).ok());
        QVERIFY(runner.start().ok());
        QVERIFY(runner.cdrom() && runner.cdrom()->hasMedia());
        QVERIFY(runner.entry().config->nics.first().forwards.isEmpty());
        QVERIFY(!openExclusively());
        runner.powerOff();
        QVERIFY(finished.wait(30000));
        QVERIFY(openExclusively());
    }

    void settingsSavedWhileRunningAreKept() {
        const VmEntry entry = makeVm(QStringLiteral("Edited"));
        VmRunner runner(entry);
        QVERIFY(runner.start().ok());
        VmConfig edited = *entry.bundle.load();
        edited.memoryBytes = uint64_t(1) << 30;  // the settings dialog, meanwhile
        QVERIFY(entry.bundle.save(edited).ok());
        QVERIFY(runner.ejectCd().ok());
        QCOMPARE(entry.bundle.load()->memoryBytes, uint64_t(1) << 30);
    }
};

QTEST_GUILESS_MAIN(VmRunnerTest)
#include "vm_runner_test.moc"

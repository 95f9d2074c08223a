// Specification: an imported QEMU command gets what QEMU itself would give
// the guest when the command says nothing (one NAT network card, none with
// -nodefaults, -nic none or -net none), is named after -name or its disk, and
// the import preview can list what will not work before the VM exists.

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/import_preflight.h"
#include "core/vm/qemu_import.h"

using namespace tessera::vm;

namespace {

VmConfig imported(const QString& line) {
    const auto result = importQemuCommand(line);
    if (!result) qWarning("%s", result.message().c_str());
    return result ? result->config : VmConfig{};
}

}  // namespace

class VmQemuImportDefaultsTest : public QObject {
    Q_OBJECT
private slots:
    void withoutANetworkOptionTheGuestGetsOneNatCardAsInQemu() {
        const auto result = importQemuCommand(QStringLiteral("qemu-system-riscv64 -M virt -hda disk.qcow2"));
        QVERIFY(result.ok());
        QCOMPARE(result->config.nics.size(), 1);
        QVERIFY(result->config.nics.first().nat);
        QVERIFY(result->config.nics.first().forwards.isEmpty());
        QVERIFY2(result->notes.join(QLatin1Char('\n')).contains(QLatin1String("default")),
                 qPrintable(result->notes.join(QLatin1Char('\n'))));
    }

    void noneAndNodefaultsMeanNoNetwork() {
        QVERIFY(imported(QStringLiteral("qemu-system-riscv64 -nic none")).nics.isEmpty());
        QVERIFY(imported(QStringLiteral("qemu-system-riscv64 -net none")).nics.isEmpty());
        QVERIFY(imported(QStringLiteral("qemu-system-riscv64 -nodefaults")).nics.isEmpty());
    }

    void theNameComesFromNameThenTheDiskThenTheDiscNeverTheKernel() {
        QCOMPARE(imported(QStringLiteral("qemu-system-riscv64 -name web -hda disk.qcow2")).name,
                 QStringLiteral("web"));
        QCOMPARE(imported(QStringLiteral("qemu-system-riscv64 -name guest=web,debug-threads=on")).name,
                 QStringLiteral("web"));
        QCOMPARE(imported(QStringLiteral("qemu-system-riscv64 -kernel Image -hda /vm/alpine.qcow2")).name,
                 QStringLiteral("alpine"));
        QCOMPARE(imported(QStringLiteral("qemu-system-riscv64 -kernel Image -cdrom live.iso")).name,
                 QStringLiteral("live"));
        QCOMPARE(imported(QStringLiteral("qemu-system-riscv64 -kernel Image")).name,
                 QStringLiteral("Imported VM"));
    }

    void thePreviewNamesAMachineTheEmulatorCannotRun() {
        const VmConfig mac = imported(QStringLiteral("qemu-system-ppc -M g3beige -m 512"));
        const QStringList problems = importProblems(mac, QDir::tempPath());
        QCOMPARE(problems.size(), 1);
        QVERIFY2(problems.first().contains(QLatin1String("PowerPC")), qPrintable(problems.first()));
        const VmConfig sifive = imported(QStringLiteral("qemu-system-riscv64 -M sifive_u"));
        QCOMPARE(importProblems(sifive, QDir::tempPath()).size(), 1);
        QVERIFY(importProblems(imported(QStringLiteral("qemu-system-riscv64 -M virt")), QDir::tempPath())
                    .isEmpty());
    }

    void thePreviewNamesEachMissingFileRelativeToTheChosenFolder() {
        QTemporaryDir folder;
        QFile kernel(folder.filePath(QStringLiteral("Image")));
        QVERIFY(kernel.open(QIODevice::WriteOnly));
        const VmConfig c =
            imported(QStringLiteral("qemu-system-riscv64 -M virt -kernel Image -initrd initrd.img -hda "
                                    "disk.qcow2 -cdrom /nowhere/d.iso"));
        const QStringList missing = missingFiles(c, folder.path());
        QCOMPARE(missing.size(), 3);
        QVERIFY(missing.join(QLatin1Char('\n')).contains(QLatin1String("initrd.img")));
        QVERIFY(missing.join(QLatin1Char('\n')).contains(QLatin1String("disk.qcow2")));
        QVERIFY(missing.join(QLatin1Char('\n')).contains(QLatin1String("/nowhere/d.iso")));
        QVERIFY(!missing.join(QLatin1Char('\n')).contains(QLatin1String("Image ")));
    }
};

QTEST_GUILESS_MAIN(VmQemuImportDefaultsTest)
#include "vm_qemu_import_defaults_test.moc"

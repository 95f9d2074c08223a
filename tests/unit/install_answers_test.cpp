// Specification: the express-install answers reach the Tessera install disc's
// installer on a raw answer disk in the format its installer reads
// (scripts/fixtures/install-disc/installer); a password is stored only as a
// crypt(3) hash; answers nobody could log in with are refused; the disc is
// recognised by its volume label.

#include "core/vm/install_answers.h"

#include <crypt.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/missing_files.h"
#include "support/scratch_files.h"

using namespace tessera::vm;

namespace {

// An ISO 9660 image's first 17 sectors: system area + primary volume descriptor.
QByteArray isoWithLabel(const QByteArray& label) {
    QByteArray image(17 * 2048, '\0');
    QByteArray descriptor = QByteArray(
        "\x01"
        "CD001\x01",
        7);
    descriptor += QByteArray(33, ' ');
    descriptor += label.leftJustified(32, ' ');
    image.replace(16 * 2048, descriptor.size(), descriptor);
    return image;
}

const QString kKey = QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH2Jm1s4tN0 me@host");

}  // namespace

class InstallAnswersTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString write(const QString& name, const QByteArray& bytes) {
        return tessera::testing::writeScratchFile(dir_, name, bytes);
    }

private slots:
    void theDiscIsRecognisedByItsVolumeLabel() {
        QVERIFY(isTesseraInstallDisc(write("tessera.iso", isoWithLabel("TESSERA_INSTALL_DEBIAN13_RV64"))));
        QVERIFY(!isTesseraInstallDisc(write("debian.iso", isoWithLabel("Debian 13 riscv64 n"))));
        QVERIFY(!isTesseraInstallDisc(write("other.iso", isoWithLabel("TESSERA_TEST"))));
        QVERIFY(!isTesseraInstallDisc(write("short.iso", QByteArray(4096, '\0'))));
        QVERIFY(!isTesseraInstallDisc(dir_.filePath("missing.iso")));
    }
    void thePasswordIsStoredAsASha512CryptHash() {
        const auto hash = hashPassword(QStringLiteral("correct horse"));
        QVERIFY2(hash.ok(), hash.ok() ? "" : hash.message().c_str());
        QVERIFY(hash->startsWith(QLatin1String("$6$")));
        crypt_data data{};
        QCOMPARE(QString::fromLatin1(crypt_r("correct horse", hash->toLatin1().constData(), &data)), *hash);
        QVERIFY(*hashPassword(QStringLiteral("correct horse")) != *hash);  // a fresh salt each time
    }
    void theAnswerDiskHasTheInstallersFormat() {
        InstallAnswers answers;
        answers.hostname = QStringLiteral("riscv-box");
        answers.user = QStringLiteral("me");
        answers.passwordHash = *hashPassword(QStringLiteral("secret words"));
        answers.sshKey = kKey;
        const QString path = dir_.filePath("answers.img");
        QVERIFY(writeAnswersDisk(path, answers).ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QCOMPARE(bytes.size(), kAnswersDiskSize);
        const QList<QByteArray> lines = bytes.left(bytes.indexOf('\0')).split('\n');
        QCOMPARE(lines.at(0), QByteArray("#tessera-install-answers v1"));
        QVERIFY(lines.contains("hostname=riscv-box"));
        QVERIFY(lines.contains("user=me"));
        QVERIFY(lines.contains("password_hash=" + answers.passwordHash.toUtf8()));
        QVERIFY(lines.contains("ssh_key=" + kKey.toUtf8()));
        QVERIFY(!bytes.contains("secret words"));
        QCOMPARE(file.permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
    }
    void aFinishedExpressInstallStartsFromTheInstalledDisk() {
        VmConfig config;
        config.cdrom = QStringLiteral("/isos/tessera-install.iso");
        config.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
        config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}
                     << Disk{QLatin1String(kAnswersDiskFile), QStringLiteral("raw"), true};
        QVERIFY(shouldRestartAfterInstall(config));
        switchToInstalledDisk(config);
        QVERIFY(config.cdrom.isEmpty());
        QCOMPARE(config.disks.size(), 1);
        QCOMPARE(config.disks[0].file, QStringLiteral("disk.qcow2"));
        QCOMPARE(config.boot.order.value(0), QStringLiteral("disk"));
        QCOMPARE(config.boot.firmware, QStringLiteral("uefi"));  // GRUB on the EFI system partition
        QVERIFY(!shouldRestartAfterInstall(config));             // once only
        // "uefi" is no file in the bundle but the host's RISC-V UEFI firmware: with it
        // installed the restarted VM is not refused for a missing firmware...
        QTemporaryDir bundle, firmware;
        QFile disk(bundle.filePath(QStringLiteral("disk.qcow2")));
        QVERIFY(disk.open(QIODevice::WriteOnly));
        QFile code(firmware.filePath(QStringLiteral("RISCV_VIRT_CODE.fd")));
        QVERIFY(code.open(QIODevice::WriteOnly));
        const QByteArray uefiDir = qgetenv("TESSERA_RISCV_UEFI_DIR");
        qputenv("TESSERA_RISCV_UEFI_DIR", firmware.path().toUtf8());
        const QStringList withFirmware = missingFiles(config, bundle.path());
        // ...and without it the restart is refused, saying which package brings it.
        code.remove();
        const QStringList withoutFirmware = missingFiles(config, bundle.path());
        qputenv("TESSERA_RISCV_UEFI_DIR", uefiDir);
        if (uefiDir.isEmpty()) qunsetenv("TESSERA_RISCV_UEFI_DIR");
        QCOMPARE(withFirmware, QStringList());
        QCOMPARE(withoutFirmware.size(), 1);
        QVERIFY2(withoutFirmware[0].contains(QStringLiteral("qemu-efi-riscv64")), qPrintable(withoutFirmware[0]));
    }
    void aPowerMacStartsItsInstalledDiskWithOpenBios() {
        VmConfig config;
        config.arch = QStringLiteral("ppc");
        config.board = QStringLiteral("mac99");
        config.cdrom = QStringLiteral("/isos/ppc-installer.iso");
        config.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
        config.disks << Disk{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}
                     << Disk{QLatin1String(kAnswersDiskFile), QStringLiteral("raw"), true};
        QVERIFY(shouldRestartAfterInstall(config));
        switchToInstalledDisk(config);
        QVERIFY(config.cdrom.isEmpty());
        QCOMPARE(config.disks.size(), 1);
        QCOMPARE(config.boot.order.value(0), QStringLiteral("disk"));
        QCOMPARE(config.boot.firmware, QString());  // OpenBIOS, not RISC-V's UEFI
    }
    void theRestartCanBeTurnedOff() {
        VmConfig config;
        config.cdrom = QStringLiteral("/isos/tessera-install.iso");
        config.disks << Disk{QLatin1String(kAnswersDiskFile), QStringLiteral("raw"), true};
        config.boot.afterInstall = QStringLiteral("stop");
        QVERIFY(!shouldRestartAfterInstall(config));
        config.boot.afterInstall.clear();
        config.disks.clear();  // an ordinary installer disc: the user decides
        QVERIFY(!shouldRestartAfterInstall(config));
    }
    void answersNobodyCouldLogInWithAreRefused() {
        InstallAnswers answers;
        answers.user = QStringLiteral("me");
        QVERIFY(checkInstallAnswers(answers).contains(QLatin1String("password or an SSH public key")));
        QVERIFY(!writeAnswersDisk(dir_.filePath("refused.img"), answers).ok());
        QVERIFY(!QFile::exists(dir_.filePath("refused.img")));
        answers.sshKey = QStringLiteral("not a key");
        QVERIFY(checkInstallAnswers(answers).contains(QLatin1String("OpenSSH public key")));
        answers.sshKey = kKey;
        QVERIFY(checkInstallAnswers(answers).isEmpty());
        answers.user = QStringLiteral("Root Admin");
        QVERIFY(checkInstallAnswers(answers).contains(QLatin1String("user name")));
        answers.user = QStringLiteral("me");
        answers.hostname = QStringLiteral("-bad");
        QVERIFY(checkInstallAnswers(answers).contains(QLatin1String("host name")));
    }
};

QTEST_GUILESS_MAIN(InstallAnswersTest)
#include "install_answers_test.moc"

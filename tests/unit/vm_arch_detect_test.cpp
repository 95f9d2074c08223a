// Specification: the New-VM wizard proposes the guest architecture from the
// contents of what the user picked: real ELF firmware from Debian packages,
// Linux Image and PE headers laid out as their specifications say, and ISO
// images built with the real xorriso.

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include "core/vm/arch_detect.h"

using namespace tessera::vm;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) file.write(bytes);
    return path;
}

// Documentation/arch/riscv/boot-image-header.rst and arm64/booting.rst: 64-byte header, magic at 56.
QByteArray linuxImage(const QByteArray& magic) {
    QByteArray header(4096, '\0');
    header.replace(56, 4, magic);
    return header;
}

// MZ stub whose e_lfanew (0x3c) points at "PE\0\0" + COFF Machine.
QByteArray peImage(uint16_t machine) {
    QByteArray image(1024, '\0');
    image[0] = 'M';
    image[1] = 'Z';
    qToLittleEndian<quint32>(0x80, image.data() + 0x3c);
    image.replace(0x80, 4, QByteArray("PE\0\0", 4));
    qToLittleEndian<quint16>(machine, image.data() + 0x84);
    return image;
}

QString makeIso(const QTemporaryDir& dir, const QString& name, const QString& volumeId,
                const QStringList& files, const QStringList& extraOptions = {}) {
    const QString xorriso = QStandardPaths::findExecutable(QStringLiteral("xorriso"));
    if (xorriso.isEmpty()) return {};
    const QString tree = dir.filePath(name + QStringLiteral(".tree"));
    for (const QString& file : files) {
        QDir().mkpath(QFileInfo(tree + QLatin1Char('/') + file).path());
        QFile f(tree + QLatin1Char('/') + file);
        if (!f.open(QIODevice::WriteOnly)) return {};
        f.write("boot loader stand-in");
    }
    const QString iso = dir.filePath(name);
    QProcess p;
    p.start(xorriso, QStringList{QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"),
                                 QStringLiteral("-R"), QStringLiteral("-J"), QStringLiteral("-V"), volumeId}
                         << extraOptions << QStringList{QStringLiteral("-o"), iso, tree});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) return {};
    return iso;
}

}  // namespace

class VmArchDetectTest : public QObject {
    Q_OBJECT
private slots:
    void realElfFilesFromDebianPackages_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("arch");
        QTest::newRow("OpenSBI firmware") << QStringLiteral("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.elf") << QStringLiteral("riscv64");
        QTest::newRow("U-Boot for ARM64") << QStringLiteral("/usr/lib/u-boot/qemu_arm64/uboot.elf") << QStringLiteral("aarch64");
        QTest::newRow("U-Boot for RISC-V") << QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf") << QStringLiteral("riscv64");
        QTest::newRow("host program") << QStringLiteral("/bin/ls") << QStringLiteral("x86_64");
        QTest::newRow("OpenBIOS for PowerPC Macs")
            << QStringLiteral("/usr/share/qemu/openbios-ppc") << QStringLiteral("ppc");
    }
    void realElfFilesFromDebianPackages() {
        QFETCH(QString, path);
        QFETCH(QString, arch);
        if (!QFile::exists(path)) QSKIP("fixture package not installed (scripts/setup.sh installs it)");
        const ArchGuess guess = detectArchitecture(path);
        QCOMPARE(guess.arch, arch);
        QVERIFY(guess.fromContents);
        QVERIFY(guess.reason.contains(QStringLiteral("ELF")));
    }

    void linuxImageHeaders() {
        QTemporaryDir dir;
        QCOMPARE(detectArchitecture(writeFile(dir, QStringLiteral("Image"), linuxImage(QByteArray("RSC\x05", 4)))).arch, QStringLiteral("riscv64"));
        QCOMPARE(detectArchitecture(writeFile(dir, QStringLiteral("Image-arm"), linuxImage(QByteArray("ARM\x64", 4)))).arch, QStringLiteral("aarch64"));
    }

    void peMachines() {
        QTemporaryDir dir;
        QCOMPARE(detectArchitecture(writeFile(dir, QStringLiteral("a.efi"), peImage(0x5064))).arch, QStringLiteral("riscv64"));
        QCOMPARE(detectArchitecture(writeFile(dir, QStringLiteral("b.efi"), peImage(0xAA64))).arch, QStringLiteral("aarch64"));
        QCOMPARE(detectArchitecture(writeFile(dir, QStringLiteral("c.efi"), peImage(0x8664))).arch, QStringLiteral("x86_64"));
        const ArchGuess unknown = detectArchitecture(writeFile(dir, QStringLiteral("d.efi"), peImage(0x1234)));
        QVERIFY(unknown.arch.isEmpty());
        QVERIFY(unknown.reason.contains(QStringLiteral("1234")));
    }

    void isoImagesBuiltWithXorriso() {
        QTemporaryDir dir;
        const QString riscv = makeIso(dir, QStringLiteral("a.iso"), QStringLiteral("INSTALLER"), {QStringLiteral("EFI/BOOT/BOOTRISCV64.EFI")});
        if (riscv.isEmpty()) QSKIP("xorriso not installed");
        QCOMPARE(detectArchitecture(riscv).arch, QStringLiteral("riscv64"));
        QVERIFY(detectArchitecture(riscv).reason.contains(QStringLiteral("BOOTRISCV64.EFI")));
        QCOMPARE(detectArchitecture(makeIso(dir, QStringLiteral("b.iso"), QStringLiteral("X"), {QStringLiteral("EFI/BOOT/BOOTAA64.EFI")})).arch,
                 QStringLiteral("aarch64"));
        QCOMPARE(detectArchitecture(makeIso(dir, QStringLiteral("c.iso"), QStringLiteral("Debian 12 ppc"), {QStringLiteral("ppc/bootinfo.txt")})).arch,
                 QStringLiteral("ppc"));
        QCOMPARE(detectArchitecture(makeIso(dir, QStringLiteral("d.iso"), QStringLiteral("Debian 13.1.0 riscv64 n"), {QStringLiteral("README")})).arch,
                 QStringLiteral("riscv64"));
        const ArchGuess plain = detectArchitecture(makeIso(dir, QStringLiteral("e.iso"), QStringLiteral("DATA"), {QStringLiteral("README")}));
        QVERIFY(plain.arch.isEmpty());
        QVERIFY(plain.reason.contains(QStringLiteral("DATA")));
    }

    // Issue 14's Power Mac boot disc: an HFS+ hybrid whose boot folder is blessed
    // (xorriso -hfsplus -hfs-bless-by p), here without a /ppc folder or a telling label.
    void aPowerMacBootDiscIsPowerPc() {
        QTemporaryDir dir;
        const QStringList hfsPlus = {QStringLiteral("-hfsplus"), QStringLiteral("-hfsplus-file-creator-type"),
                                     QStringLiteral("chrp"), QStringLiteral("tbxi"),
                                     QStringLiteral("boot/bootinfo.txt")};
        const QString blessed = makeIso(dir, QStringLiteral("mac.iso"), QStringLiteral("LINUX"),
                                        {QStringLiteral("boot/bootinfo.txt"), QStringLiteral("boot/vmlinux")},
                                        hfsPlus + QStringList{QStringLiteral("-hfs-bless-by"),
                                                              QStringLiteral("p"), QStringLiteral("boot")});
        QVERIFY2(!blessed.isEmpty(), "xorriso could not make the disc (scripts/setup.sh installs it)");
        const ArchGuess guess = detectArchitecture(blessed);
        QCOMPARE(guess.arch, QStringLiteral("ppc"));
        QVERIFY(guess.fromContents);
        QVERIFY2(guess.reason.contains(QStringLiteral("HFS+")), qPrintable(guess.reason));
        // The same hybrid without a blessed folder boots no Mac: no guess from it.
        const QString unblessed = makeIso(dir, QStringLiteral("data.iso"), QStringLiteral("LINUX"),
                                          {QStringLiteral("boot/bootinfo.txt")}, hfsPlus);
        QVERIFY(detectArchitecture(unblessed).arch.isEmpty());
    }

    void fileNamesAreOnlyAHint() {
        QTemporaryDir dir;
        const ArchGuess guess = detectArchitecture(writeFile(dir, QStringLiteral("debian-12-arm64-netinst.img"), QByteArray(8192, '\0')));
        QCOMPARE(guess.arch, QStringLiteral("aarch64"));
        QVERIFY(!guess.fromContents);
        QVERIFY(detectArchitecture(writeFile(dir, QStringLiteral("appcenter.bin"), QByteArray(16, 'x'))).arch.isEmpty());
    }

    void hostileHeadersDoNotCrash() {
        QTemporaryDir dir;
        QByteArray pe = peImage(0x5064);
        qToLittleEndian<quint32>(0xfffffff0u, pe.data() + 0x3c);
        QVERIFY(detectArchitecture(writeFile(dir, QStringLiteral("bad.efi"), pe)).arch.isEmpty());
        QByteArray iso(40 * 2048, '\xff');
        iso.replace(16 * 2048 + 1, 5, "CD001");
        QVERIFY(detectArchitecture(writeFile(dir, QStringLiteral("bad.iso"), iso)).arch.isEmpty());
        QVERIFY(detectArchitecture(writeFile(dir, QStringLiteral("short"), QByteArray("\x7f" "ELF"))).arch.isEmpty());
        QVERIFY(detectArchitecture(dir.filePath(QStringLiteral("missing"))).reason.contains(QStringLiteral("cannot read")));
    }
};

QTEST_GUILESS_MAIN(VmArchDetectTest)
#include "vm_arch_detect_test.moc"

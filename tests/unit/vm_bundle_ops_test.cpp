// Specification: new disks, clones and deletes leave images that the real
// qemu-img accepts, and never touch the original VM.

#include "core/vm/vm_bundle_ops.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/disk_image_factory.h"
#include "core/vm/disk_usage.h"

using namespace tessera::vm;
using tessera::Status;

namespace {

QString qemuImg() { return QStandardPaths::findExecutable(QStringLiteral("qemu-img")); }

QJsonObject qemuImgInfo(const QString& path) {
    QProcess p;
    p.start(qemuImg(), {QStringLiteral("info"), QStringLiteral("--output=json"), path});
    p.waitForFinished(30000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

int qemuImgCheck(const QString& path, QByteArray* output = nullptr) {
    QProcess p;
    p.start(qemuImg(), {QStringLiteral("check"), path});
    p.waitForFinished(30000);
    if (output) *output = p.readAllStandardOutput() + p.readAllStandardError();
    return p.exitCode();
}

QByteArray sha256(const QString& path) {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result().toHex();
}

}  // namespace

class VmBundleOpsTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (qemuImg().isEmpty()) QSKIP("qemu-img (the reference) is not installed; scripts/setup.sh installs qemu-utils");
    }

    void newQcow2DisksPassQemuImgCheck_data() {
        QTest::addColumn<quint64>("size");
        QTest::addColumn<quint64>("expected");
        QTest::newRow("1 byte rounds up to a sector") << quint64(1) << quint64(512);
        QTest::newRow("15G like the seed") << (quint64(15) << 30) << (quint64(15) << 30);
        QTest::newRow("2T, several L1 clusters") << (quint64(2) << 40) << (quint64(2) << 40);
    }
    void newQcow2DisksPassQemuImgCheck() {
        QFETCH(quint64, size);
        QFETCH(quint64, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("disk.qcow2"));
        const Status created = createDiskImage({path, QStringLiteral("qcow2"), size, {}, {}});
        QVERIFY2(created.ok(), created.ok() ? "" : created.message().c_str());
        QByteArray report;
        QVERIFY2(qemuImgCheck(path, &report) == 0, report.constData());
        const QJsonObject info = qemuImgInfo(path);
        QCOMPARE(info.value(QStringLiteral("format")).toString(), QStringLiteral("qcow2"));
        QCOMPARE(quint64(info.value(QStringLiteral("virtual-size")).toDouble()), expected);
        QCOMPARE(diskUsage(path, QStringLiteral("qcow2"))->virtualBytes, expected);
        // Never overwrites.
        QVERIFY(!createDiskImage({path, QStringLiteral("qcow2"), size, {}, {}}).ok());
    }

    void rawDisksAreSparse() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("disk.img"));
        QVERIFY(createDiskImage({path, QStringLiteral("raw"), quint64(1) << 30, {}, {}}).ok());
        QCOMPARE(QFileInfo(path).size(), qint64(1) << 30);
        QVERIFY(allocatedBytes(path) < (quint64(1) << 20));
        QVERIFY(!createDiskImage({dir.filePath(QStringLiteral("x")), QStringLiteral("vmdk"), 1, {}, {}}).ok());
        QVERIFY(!createDiskImage({dir.filePath(QStringLiteral("y")), QStringLiteral("raw"), 0, {}, {}}).ok());
    }

    void linkedCloneUsesTheOriginalAsBackingAndLeavesItAlone() {
        QTemporaryDir root;
        VmConfig config;
        config.name = QStringLiteral("Base");
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        NetworkInterface nic;
        nic.mac = QStringLiteral("52:54:00:00:00:01");
        config.nics = {nic};
        const auto base = VmBundle::create(root.path(), config);
        QVERIFY(base.ok());
        const QString baseDisk = base->resolve(QStringLiteral("disk.qcow2"));
        QCOMPARE(QProcess::execute(qemuImg(), {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                                               QStringLiteral("qcow2"), baseDisk, QStringLiteral("256M")}), 0);
        QCOMPARE(QProcess::execute(qemuImg(), {QStringLiteral("bench"), QStringLiteral("-q"), QStringLiteral("-w"), QStringLiteral("-c"),
                                               QStringLiteral("64"), baseDisk}), 0);  // some real data
        const QByteArray before = sha256(baseDisk);

        const auto linked = cloneBundle(*base, root.path(), QStringLiteral("Linked"), CloneKind::Linked);
        QVERIFY2(linked.ok(), linked.ok() ? "" : linked.message().c_str());
        const QString overlay = linked->resolve(QStringLiteral("disk.qcow2"));
        QByteArray report;
        QVERIFY2(qemuImgCheck(overlay, &report) == 0, report.constData());
        const QJsonObject info = qemuImgInfo(overlay);
        QCOMPARE(info.value(QStringLiteral("backing-filename")).toString(), baseDisk);
        QCOMPARE(info.value(QStringLiteral("backing-filename-format")).toString(), QStringLiteral("qcow2"));
        QCOMPARE(quint64(info.value(QStringLiteral("virtual-size")).toDouble()), quint64(256) << 20);
        // The overlay reads exactly what the base holds.
        QCOMPARE(QProcess::execute(qemuImg(), {QStringLiteral("compare"), QStringLiteral("-q"), baseDisk, overlay}), 0);
        QCOMPARE(linked->load()->name, QStringLiteral("Linked"));
        QVERIFY(linked->load()->nics[0].mac.isEmpty());
        QCOMPARE(sha256(baseDisk), before);

        const auto copy = cloneBundle(*base, root.path(), QStringLiteral("Copy"), CloneKind::FullCopy);
        QVERIFY(copy.ok());
        QCOMPARE(sha256(copy->resolve(QStringLiteral("disk.qcow2"))), before);
        QVERIFY(!cloneBundle(*base, root.path(), QStringLiteral("Copy"), CloneKind::FullCopy).ok());
    }

    void aCloneDoesNotCopyACompactsTemporaryFile() {
        QTemporaryDir root;
        VmConfig config;
        config.name = QStringLiteral("Base");
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        const auto base = VmBundle::create(root.path(), config);
        QVERIFY(base.ok());
        QVERIFY(createDiskImage(
                    {base->resolve(QStringLiteral("disk.qcow2")), QStringLiteral("qcow2"), 1 << 20, {}, {}})
                    .ok());
        // Left by a compact that was killed: half a disk, never part of a copy.
        const QString stale = base->resolve(QStringLiteral(".disk.qcow2.compact-0badf00d.tmp"));
        QVERIFY(QFile::copy(base->resolve(QStringLiteral("disk.qcow2")), stale));
        const auto copy = cloneBundle(*base, root.path(), QStringLiteral("Copy"), CloneKind::FullCopy);
        QVERIFY2(copy.ok(), copy.ok() ? "" : copy.message().c_str());
        QVERIFY(QFileInfo::exists(copy->resolve(QStringLiteral("disk.qcow2"))));
        QVERIFY(!QFileInfo::exists(copy->resolve(QStringLiteral(".disk.qcow2.compact-0badf00d.tmp"))));
    }

    void aCloneWithABadNameCreatesNothing_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("parent folder") << QStringLiteral("../Escaped");
        QTest::newRow("sub folder") << QStringLiteral("sub/Clone");
        QTest::newRow("hidden") << QStringLiteral(".Clone");
        QTest::newRow("empty") << QString();
    }
    void aCloneWithABadNameCreatesNothing() {
        QFETCH(QString, name);
        QTemporaryDir outer;
        const QString library = outer.filePath(QStringLiteral("library"));
        VmConfig config;
        config.name = QStringLiteral("Base");
        const auto base = VmBundle::create(library, config);
        QVERIFY(base.ok());
        for (CloneKind kind : {CloneKind::FullCopy, CloneKind::Linked}) {
            const auto clone = cloneBundle(*base, library, name, kind);
            QVERIFY(!clone.ok());
            QVERIFY2(clone.message().find("name") != std::string::npos, clone.message().c_str());
        }
        // Nothing new in the library nor next to it.
        QCOMPARE(QDir(library).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("Base.tessera")});
        QCOMPARE(QDir(outer.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 QStringList{QStringLiteral("library")});
    }

    void deleteForeverRemovesOnlyTheBundle() {
        QTemporaryDir root;
        VmConfig config;
        config.name = QStringLiteral("Gone");
        const auto bundle = VmBundle::create(root.path(), config);
        QVERIFY(bundle.ok());
        QVERIFY(deleteBundle(*bundle, DeleteKind::DeleteForever).ok());
        QVERIFY(!QFileInfo::exists(bundle->directory()));
        QVERIFY(QFileInfo(root.path()).isDir());
        QVERIFY(!deleteBundle(VmBundle(root.path()), DeleteKind::DeleteForever).ok());  // not a bundle: refused
        QVERIFY(QFileInfo(root.path()).isDir());
    }
};

QTEST_GUILESS_MAIN(VmBundleOpsTest)
#include "vm_bundle_ops_test.moc"

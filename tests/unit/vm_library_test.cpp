// Specification: bundles live in <root>/<name>.tessera with config.json;
// the library lists every bundle, broken ones included with their error.

#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/disk_usage.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_library.h"

using namespace tessera::vm;

namespace {

VmConfig named(const QString& name) {
    VmConfig c;
    c.name = name;
    c.disks = {{QStringLiteral("disk.img"), QStringLiteral("raw"), false}};
    return c;
}

}  // namespace

class VmLibraryTest : public QObject {
    Q_OBJECT
private slots:
    void theRootComesFromTheEnvironmentOrTheCaller() {
        qputenv("TESSERA_VM_DIR", "/tmp/somewhere/VMs/");
        QCOMPARE(defaultLibraryRoot(), QStringLiteral("/tmp/somewhere/VMs"));
        QCOMPARE(libraryRoot(QStringLiteral("/x/y")), QStringLiteral("/x/y"));
        qunsetenv("TESSERA_VM_DIR");
        QVERIFY(defaultLibraryRoot().endsWith(QStringLiteral("/Tessera/VMs")));
    }

    void createdBundlesLoadBack() {
        QTemporaryDir root;
        const auto bundle = VmBundle::create(root.path(), named(QStringLiteral("Alpha")));
        QVERIFY(bundle.ok());
        QCOMPARE(bundle->directory(), root.filePath(QStringLiteral("Alpha.tessera")));
        QVERIFY(QFileInfo(bundle->logsPath()).isDir());
        QVERIFY(bundle->load().ok());
        QCOMPARE(bundle->load()->name, QStringLiteral("Alpha"));
        QCOMPARE(bundle->resolve(QStringLiteral("disk.img")), root.filePath(QStringLiteral("Alpha.tessera/disk.img")));
        QCOMPARE(bundle->relativize(root.filePath(QStringLiteral("Alpha.tessera/disk.img"))), QStringLiteral("disk.img"));
        QCOMPARE(bundle->relativize(QStringLiteral("/etc/hosts")), QStringLiteral("/etc/hosts"));
        // A second VM of the same name is refused, and nothing is overwritten.
        QVERIFY(!VmBundle::create(root.path(), named(QStringLiteral("Alpha"))).ok());
        QVERIFY(!VmBundle::create(root.path(), named(QStringLiteral("../evil"))).ok());
    }

    void scanListsBrokenBundlesWithTheirError() {
        QTemporaryDir root;
        QVERIFY(VmBundle::create(root.path(), named(QStringLiteral("beta"))).ok());
        QVERIFY(VmBundle::create(root.path(), named(QStringLiteral("Alpha"))).ok());
        QDir(root.path()).mkpath(QStringLiteral("Empty.tessera"));
        QDir(root.path()).mkpath(QStringLiteral("not-a-bundle"));
        QDir(root.path()).mkpath(QStringLiteral("Damaged.tessera"));
        QFile damaged(root.filePath(QStringLiteral("Damaged.tessera/config.json")));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write(R"({"version": 1, "name": "Damaged", "arch": "riscv64", "memory": "lots"})");
        damaged.close();

        const QList<VmEntry> entries = VmLibrary(root.path()).scan();
        QStringList names;
        for (const VmEntry& e : entries) names << e.displayName();
        QCOMPARE(names, (QStringList{QStringLiteral("Alpha"), QStringLiteral("beta"), QStringLiteral("Damaged"), QStringLiteral("Empty")}));
        QVERIFY(!entries[0].broken());
        QVERIFY(entries[2].broken());
        QCOMPARE(entries[2].error, QStringLiteral("config.json: \"memory\" must be a size like \"512M\", got \"lots\""));
        QVERIFY(entries[3].broken());
        QVERIFY(entries[3].error.contains(QStringLiteral("config.json is missing")));
    }

    void findsAVmByNameOrPathForTheCli() {
        QTemporaryDir root;
        const auto bundle = VmBundle::create(root.path(), named(QStringLiteral("Alpha")));
        VmLibrary library(root.path());
        QCOMPARE(library.find(QStringLiteral("Alpha"))->bundle.directory(), bundle->directory());
        QCOMPARE(library.find(bundle->directory())->config->name, QStringLiteral("Alpha"));
        QCOMPARE(library.find(bundle->configPath())->config->name, QStringLiteral("Alpha"));
        QVERIFY(QString::fromStdString(library.find(QStringLiteral("Beta")).message()).contains(QStringLiteral("no VM called \"Beta\"")));
        QDir(root.path()).mkpath(QStringLiteral("Broken.tessera"));
        QVERIFY(QString::fromStdString(library.find(QStringLiteral("Broken")).message()).contains(QStringLiteral("config.json is missing")));
    }

    void aMissingRootIsAnEmptyLibrary() {
        QCOMPARE(VmLibrary(QStringLiteral("/nonexistent/tessera/VMs")).scan().size(), 0);
    }

    void uniqueNamesCountUp() {
        QTemporaryDir root;
        VmLibrary library(root.path());
        QCOMPARE(library.uniqueName(QStringLiteral("Debian")), QStringLiteral("Debian"));
        QVERIFY(VmBundle::create(root.path(), named(QStringLiteral("Debian"))).ok());
        QCOMPARE(library.uniqueName(QStringLiteral("Debian")), QStringLiteral("Debian 2"));
    }

    void diskUsageSeparatesAllocatedFromVirtual() {
        QTemporaryDir dir;
        QFile sparse(dir.filePath(QStringLiteral("sparse.img")));
        QVERIFY(sparse.open(QIODevice::WriteOnly));
        QVERIFY(sparse.resize(qint64(64) << 20));
        sparse.write(QByteArray(4096, 'x'));
        sparse.close();
        const auto raw = diskUsage(sparse.fileName(), QStringLiteral("raw"));
        QVERIFY(raw.ok());
        QCOMPARE(raw->virtualBytes, uint64_t(64) << 20);
        QVERIFY(raw->allocatedBytes >= 4096 && raw->allocatedBytes < (uint64_t(1) << 20));
        QVERIFY(!diskUsage(sparse.fileName(), QStringLiteral("qcow2")).ok());
        QVERIFY(!diskUsage(dir.filePath(QStringLiteral("missing")), QStringLiteral("raw")).ok());
    }
};

QTEST_GUILESS_MAIN(VmLibraryTest)
#include "vm_library_test.moc"

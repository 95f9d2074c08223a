// Specification: Tessera knows which VMs are linked clones of which (by their
// disks' backing chains, read within the library's trust rules and bounds),
// never starts a VM writable while clones build on its disk, in the app or in
// `tessera-cli run --vm`, and can turn a clone into a full copy that keeps
// exactly what the clone showed.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>

#include "core/block/open_image.h"
#include "core/vm/disk_image_factory.h"
#include "core/vm/linked_clones.h"
#include "core/vm/vm_bundle_ops.h"
#include "core/vm/vm_machine_config.h"

using namespace tessera;
using namespace tessera::vm;

namespace {

const QByteArray kData = QByteArray("original data").leftJustified(512, '#');

VmBundle addVm(const QString& root, const QString& name) {
    VmConfig config;
    config.name = name;
    config.disks = {{QStringLiteral("disk.img"), QStringLiteral("raw"), false}};
    auto bundle = VmBundle::create(root, config);
    QFile disk(bundle->resolve(QStringLiteral("disk.img")));
    disk.open(QIODevice::WriteOnly);
    disk.write(kData);
    disk.resize(1 << 20);
    return *bundle;
}

VmBundle linkedClone(const VmBundle& of, const QString& root, const QString& name) {
    return *cloneBundle(of, root, name, CloneKind::Linked);
}

int indexOf(const QList<VmEntry>& library, const QString& name) {
    for (int i = 0; i < library.size(); ++i)
        if (library[i].displayName() == name) return i;
    return -1;
}

QStringList names(const QList<VmEntry>& entries) {
    QStringList result;
    for (const VmEntry& e : entries) result << e.displayName();
    std::sort(result.begin(), result.end());
    return result;
}

std::pair<int, QString> runCli(const QStringList& args) {
    QProcess process;
    process.start(qEnvironmentVariable("TESSERA_CLI"), QStringList{QStringLiteral("run")} + args);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) process.kill();
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardError())};
}

}  // namespace

class VmLinkedClonesTest : public QObject {
    Q_OBJECT
private slots:
    void aCloneOfACloneLinksToBothAndProtectsBoth() {
        QTemporaryDir root;
        const VmBundle a = addVm(root.path(), QStringLiteral("A"));
        const VmBundle b = linkedClone(a, root.path(), QStringLiteral("B"));
        linkedClone(b, root.path(), QStringLiteral("C"));
        addVm(root.path(), QStringLiteral("Alone"));
        const QList<VmEntry> library = VmLibrary(root.path()).scan();
        const CloneLinks links = findCloneLinks(library);
        const int ia = indexOf(library, QStringLiteral("A")), ib = indexOf(library, QStringLiteral("B")),
                  ic = indexOf(library, QStringLiteral("C")),
                  alone = indexOf(library, QStringLiteral("Alone"));
        QCOMPARE(links.basesOf[ic], (QList<int>{ib, ia}));  // nearest first
        QCOMPARE(links.basesOf[ib], QList<int>{ia});
        QCOMPARE(links.clonesOf[ia].size(), 2);
        QCOMPARE(links.clonesOf[ib], QList<int>{ic});
        QVERIFY(links.basesOf[alone].isEmpty() && links.clonesOf[alone].isEmpty());

        QCOMPARE(names(clonesDamagedByStarting(*a.load(), a)),
                 (QStringList{QStringLiteral("B"), QStringLiteral("C")}));
        QCOMPARE(names(clonesDamagedByStarting(*b.load(), b)), QStringList{QStringLiteral("C")});
        const auto refused = boardConfigFor(*a.load(), a);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.message().find("\"B\"") != std::string::npos, refused.message().c_str());
    }

    void anOverlayNamingTheDiskWithoutPermissionStillCountsButIsNotOpened() {
        QTemporaryDir root;
        const VmBundle base = addVm(root.path(), QStringLiteral("Base"));
        VmConfig config;
        config.name = QStringLiteral("Hand-made");
        config.disks = {{QStringLiteral("overlay.qcow2"), QStringLiteral("qcow2"), false}};
        const VmBundle handMade = *VmBundle::create(root.path(), config);
        NewDiskImage overlay;
        overlay.path = handMade.resolve(QStringLiteral("overlay.qcow2"));
        overlay.sizeBytes = 1 << 20;
        overlay.backingFile = base.resolve(QStringLiteral("disk.img"));
        overlay.backingFormat = QStringLiteral("raw");
        QVERIFY(createDiskImage(overlay).ok());
        // Writing Base would change what the overlay reads, allowed or not.
        QCOMPARE(names(clonesDamagedByStarting(*base.load(), base)),
                 QStringList{QStringLiteral("Hand-made")});
        // It cannot be made independent before the user allows that file.
        QVERIFY(!makeIndependent(handMade).ok());
    }

    void aBackingLoopOrABrokenConfigEndsTheSearchQuietly() {
        QTemporaryDir root;
        const VmBundle base = addVm(root.path(), QStringLiteral("Base"));
        VmConfig config;
        config.name = QStringLiteral("Loop");
        config.disks = {{QStringLiteral("a.qcow2"), QStringLiteral("qcow2"), false}};
        const VmBundle loop = *VmBundle::create(root.path(), config);
        // a → b → a: b is made first, a on top of it, then b again on top of a.
        auto create = [&](const char* name, const char* backing) {
            NewDiskImage image;
            image.path = loop.resolve(QLatin1String(name));
            image.sizeBytes = 1 << 20;
            if (backing) {
                image.backingFile = loop.resolve(QLatin1String(backing));
                image.backingFormat = QStringLiteral("qcow2");
            }
            return createDiskImage(image);
        };
        QVERIFY(create("b.qcow2", nullptr).ok());
        QVERIFY(create("a.qcow2", "b.qcow2").ok());
        QVERIFY(QFile::remove(loop.resolve(QStringLiteral("b.qcow2"))));
        // Tessera never writes a loop, so qemu-img does, without opening the chain (-u).
        QCOMPARE(QProcess::execute(
                     QStringLiteral("qemu-img"),
                     {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                      QStringLiteral("qcow2"), QStringLiteral("-u"), QStringLiteral("-b"),
                      loop.resolve(QStringLiteral("a.qcow2")), QStringLiteral("-F"), QStringLiteral("qcow2"),
                      loop.resolve(QStringLiteral("b.qcow2")), QStringLiteral("1M")}),
                 0);
        QDir(root.path()).mkpath(QStringLiteral("Broken.tessera"));
        QVERIFY(clonesDamagedByStarting(*base.load(), base).isEmpty());
        const CloneLinks links = findCloneLinks(VmLibrary(root.path()).scan());
        for (const QList<int>& bases : links.basesOf) QVERIFY(bases.isEmpty());
    }

    void makingACloneIndependentKeepsWhatItShowsAndIsRefusedWhileItRuns() {
        QTemporaryDir root;
        const VmBundle base = addVm(root.path(), QStringLiteral("Base"));
        const VmBundle clone = linkedClone(base, root.path(), QStringLiteral("Clone"));
        const std::string cloneDisk =
            QFile::encodeName(clone.resolve(QStringLiteral("disk.img"))).toStdString();
        {
            block::OpenOptions running;  // the clone's VM holds its disk
            running.readOnly = false;
            auto held = block::openImage(cloneDisk, running);
            QVERIFY(held.ok());
            const Status refused = makeIndependent(clone);
            QVERIFY(!refused.ok());
            QVERIFY2(refused.message().find("in use") != std::string::npos, refused.message().c_str());
        }
        // Cancelled (the progress dialog's Cancel): the clone stays a linked clone, nothing left behind.
        const std::atomic<bool> cancelled{true};
        block::JobControl control;
        control.cancel = &cancelled;
        QVERIFY(!makeIndependent(clone, control).ok());
        QCOMPARE(clonesDamagedByStarting(*base.load(), base).size(), 1);
        QCOMPARE(QDir(clone.directory()).entryList(QDir::Files | QDir::Hidden).filter(QStringLiteral(".tmp")),
                 QStringList());

        QVERIFY(makeIndependent(clone).ok());
        QVERIFY(clonesDamagedByStarting(*base.load(), base).isEmpty());
        // The base may now change without the clone noticing.
        QFile baseDisk(base.resolve(QStringLiteral("disk.img")));
        QVERIFY(baseDisk.open(QIODevice::ReadWrite));
        baseDisk.write(QByteArray(512, 'X'));
        baseDisk.close();
        block::OpenOptions alone;
        alone.openBacking = false;
        auto opened = block::openImage(cloneDisk, alone);
        QVERIFY(opened.ok());
        QByteArray sector(512, '\0');
        QVERIFY((*opened)->read(0, std::span(reinterpret_cast<uint8_t*>(sector.data()), 512)).ok());
        QCOMPARE(sector, kData);
    }

    void theCliRefusesToStartTheOriginalAndSaysHowToGoOn() {
        QTemporaryDir root;
        const VmBundle base = addVm(root.path(), QStringLiteral("Base"));
        linkedClone(base, root.path(), QStringLiteral("Clone"));
        const auto [status, said] =
            runCli({QStringLiteral("--vm"), base.directory(), QStringLiteral("--timeout"),
                    QStringLiteral("1"), QStringLiteral("--serial"), QStringLiteral("none")});
        QVERIFY2(status != 0 && status != 124, qPrintable(said));
        QVERIFY2(said.contains(QLatin1String("\"Clone\"")) &&
                     said.contains(QLatin1String("--make-clones-independent")),
                 qPrintable(said));

        const auto [status2, said2] =
            runCli({QStringLiteral("--vm"), base.directory(), QStringLiteral("--make-clones-independent"),
                    QStringLiteral("--timeout"), QStringLiteral("1"), QStringLiteral("--serial"),
                    QStringLiteral("none")});
        QVERIFY2(status2 == 124, qPrintable(said2));  // it ran until the time limit
        QVERIFY(clonesDamagedByStarting(*base.load(), base).isEmpty());
    }
};

QTEST_GUILESS_MAIN(VmLinkedClonesTest)
#include "vm_linked_clones_test.moc"

// Specification: the library model follows the folder on disk (bundles added,
// removed or edited by anyone), keeps broken bundles visible with their error,
// reflects run-state changes reported by the runner, and warns on the card
// about config.json keys that have no effect.

#include "ui/vm_library_model.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QStyleOptionViewItem>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/disk_image_factory.h"
#include "core/vm/vm_bundle.h"
#include "ui/vm_card_delegate.h"

using namespace tessera;
using ui::VmLibraryModel;
using ui::VmRunState;

namespace {

vm::VmBundle addVm(const QString& root, const QString& name) {
    vm::VmConfig config;
    config.name = name;
    config.memoryBytes = uint64_t(768) << 20;
    config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
    auto bundle = vm::VmBundle::create(root, config);
    if (!bundle) qFatal("%s", bundle.message().c_str());
    if (!vm::createDiskImage({bundle->resolve(QStringLiteral("disk.qcow2")), QStringLiteral("qcow2"), uint64_t(8) << 30, {}, {}}))
        qFatal("disk");
    return *bundle;
}

// The card of `index` as the library grid paints it.
QImage paintCard(const QModelIndex& index) {
    QImage image(ui::VmCardDelegate::cardSize(), QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    QStyleOptionViewItem option;
    option.rect = image.rect();
    option.font = QFont();
    ui::VmCardDelegate().paint(&painter, option, index);
    return image;
}

// Pixels of the warning pill's amber in the top-right quarter of the card (over the screen).
int amberPixels(const QImage& card) {
    int count = 0;
    for (int y = 0; y < card.height() / 4; ++y)
        for (int x = card.width() / 2; x < card.width(); ++x)
            if (card.pixelColor(x, y) == QColor(0xb3, 0x6b, 0x00)) ++count;
    return count;
}

QStringList names(const VmLibraryModel& model) {
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row) list << model.index(row).data(VmLibraryModel::NameRole).toString();
    return list;
}

}  // namespace

class VmLibraryModelTest : public QObject {
    Q_OBJECT
private slots:
    void rowsCarryWhatTheCardsShow() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Alpha"));
        QImage screen(640, 400, QImage::Format_RGB32);
        screen.fill(Qt::darkCyan);
        QVERIFY(screen.save(bundle.screenshotPath()));
        VmLibraryModel model(root.path());
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex alpha = model.index(0);
        QCOMPARE(alpha.data(VmLibraryModel::NameRole).toString(), QStringLiteral("Alpha"));
        QCOMPARE(alpha.data(VmLibraryModel::ArchLabelRole).toString(), QStringLiteral("RISC-V 64-bit"));
        QCOMPARE(alpha.data(VmLibraryModel::MemoryRole).value<quint64>(), quint64(768) << 20);
        QCOMPARE(alpha.data(VmLibraryModel::DiskVirtualRole).value<quint64>(), quint64(8) << 30);
        const quint64 allocated = alpha.data(VmLibraryModel::DiskAllocatedRole).value<quint64>();
        QVERIFY(allocated > 0 && allocated < (quint64(1) << 20));  // a new qcow2 holds only metadata
        QVERIFY(!alpha.data(VmLibraryModel::ThumbnailRole).value<QImage>().isNull());
        QCOMPARE(alpha.data(VmLibraryModel::StateRole).toInt(), int(VmRunState::Stopped));
        QVERIFY(!alpha.data(VmLibraryModel::LastRunRole).toDateTime().isValid());
    }

    void followsBundlesAddedAndRemovedOnDisk() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Bravo"));
        VmLibraryModel model(root.path());
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        addVm(root.path(), QStringLiteral("Alpha"));
        QTRY_COMPARE(names(model), (QStringList{QStringLiteral("Alpha"), QStringLiteral("Bravo")}));
        QCOMPARE(inserted.size(), 1);
        QVERIFY(QDir(QDir(root.path()).filePath(QStringLiteral("Bravo.tessera"))).removeRecursively());
        QTRY_COMPARE(names(model), QStringList{QStringLiteral("Alpha")});
        QCOMPARE(removed.size(), 1);
    }

    void aConfigBrokenByHandIsShownAsBrokenAndRecovers() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Charlie"));
        VmLibraryModel model(root.path());
        QFile config(bundle.configPath());
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray good = config.readAll();
        config.close();
        QByteArray bad = good;
        bad.replace("\"768M\"", "\"plenty\"");
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(bad);
        config.close();
        QTRY_COMPARE(model.index(0).data(VmLibraryModel::StateRole).toInt(), int(VmRunState::Broken));
        QCOMPARE(model.index(0).data(VmLibraryModel::StateTextRole).toString(), QStringLiteral("Broken"));
        QCOMPARE(model.index(0).data(VmLibraryModel::NameRole).toString(), QStringLiteral("Charlie"));  // from the folder
        QCOMPARE(model.index(0).data(VmLibraryModel::ErrorRole).toString(),
                 QStringLiteral("config.json: \"memory\" must be a size like \"512M\", got \"plenty\""));
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(good);
        config.close();
        QTRY_COMPARE(model.index(0).data(VmLibraryModel::StateRole).toInt(), int(VmRunState::Stopped));
    }

    void aKeyWithNoEffectIsShownOnTheCard() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Echo"));
        VmLibraryModel model(root.path());
        QVERIFY(model.index(0).data(VmLibraryModel::WarningsRole).toStringList().isEmpty());
        QCOMPARE(amberPixels(paintCard(model.index(0))), 0);

        // A hand edit: "readOnly" looks right but is not Tessera's "readonly".
        QFile config(bundle.configPath());
        QVERIFY(config.open(QIODevice::ReadOnly));
        QByteArray text = config.readAll();
        config.close();
        text.replace("\"readonly\": false", "\"readOnly\": true");
        QVERIFY(config.open(QIODevice::WriteOnly | QIODevice::Truncate));
        config.write(text);
        config.close();
        const QString warning = QStringLiteral(
            "Unknown setting \"disks[0].readOnly\" in config.json has no effect; did you mean \"readonly\"?");
        QTRY_COMPARE(model.index(0).data(VmLibraryModel::WarningsRole).toStringList(), QStringList{warning});
        QVERIFY(model.index(0).data(Qt::ToolTipRole).toString().contains(warning));
        QCOMPARE(model.index(0).data(VmLibraryModel::StateRole).toInt(),
                 int(VmRunState::Stopped));  // not broken
        QVERIFY(amberPixels(paintCard(model.index(0))) > 100);
    }

    void runStateChangesReachTheView() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Delta"));
        VmLibraryModel model(root.path());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setRunState(bundle.directory(), VmRunState::Running);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0).data(VmLibraryModel::StateRole).toInt(), int(VmRunState::Running));
        QCOMPARE(model.index(0).data(VmLibraryModel::StateTextRole).toString(), QStringLiteral("Running"));
        model.setRunState(bundle.directory(), VmRunState::Paused);
        QCOMPARE(model.index(0).data(VmLibraryModel::StateTextRole).toString(), QStringLiteral("Paused"));
        // The state survives a rescan.
        model.reload();
        QCOMPARE(model.index(0).data(VmLibraryModel::StateRole).toInt(), int(VmRunState::Paused));
        QVERIFY(model.index(0).data(VmLibraryModel::SearchTextRole).toString().contains(QStringLiteral("Paused")));
    }
};

QTEST_MAIN(VmLibraryModelTest)
#include "vm_library_model_test.moc"

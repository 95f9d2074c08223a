// Specification (issue 16, bug 5): a linked clone reads everything it has not
// changed from its original's disk, so the original must not be started and
// written while the clone exists. The user clones a VM as a linked clone; both
// cards show the link; Start on the original explains why it would damage the
// clone and offers to make the clone a full copy first; Cancel starts nothing
// and leaves every file as it was; accepting copies the shared data into the
// clone, which keeps exactly what it showed, and then the original starts.

#include <QAction>
#include <QDialog>
#include <QDialogButtonBox>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/vm/linked_clones.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_bundle_ops.h"
#include "ui/app_translator.h"
#include "ui/main_window.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

const QByteArray kBootSector =
    QByteArray("what the original's disk held when it was cloned").leftJustified(512, '.');

// A VM "Debian" with a 1 MiB raw disk whose first sector holds kBootSector.
QString addBaseVm(const QString& root) {
    vm::VmConfig config;
    config.name = QStringLiteral("Debian");
    config.disks = {{QStringLiteral("disk.img"), QStringLiteral("raw"), false}};
    auto bundle = vm::VmBundle::create(root, config);
    if (!bundle) return {};
    QFile disk(bundle->resolve(QStringLiteral("disk.img")));
    if (!disk.open(QIODevice::WriteOnly) || disk.write(kBootSector) != 512 || !disk.resize(1 << 20))
        return {};
    return bundle->directory();
}

QByteArray firstSector(const QString& image, bool withBacking) {
    block::OpenOptions options;
    options.openBacking = withBacking;
    options.lock = false;
    auto opened = block::openImage(QFile::encodeName(image).toStdString(), options);
    if (!opened) return QByteArray(opened.message().c_str());
    QByteArray sector(512, '\0');
    if (!(*opened)->read(0, std::span(reinterpret_cast<uint8_t*>(sector.data()), 512))) return {};
    return sector;
}

QString backingFileOf(const QString& image) {
    block::OpenOptions options;
    options.format = block::ImageFormat::Qcow2;
    options.openBacking = false;
    options.lock = false;
    auto opened = block::Qcow2Image::open(QFile::encodeName(image).toStdString(), options);
    return opened ? QString::fromStdString((*opened)->backingFileName()) : QStringLiteral("(unreadable)");
}

// Chooses Linked clone in the next modal dialog (the Clone dialog) and clicks Clone.
void acceptNextDialog() {
    QTimer::singleShot(0, [] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        dialog->findChild<QRadioButton*>(QStringLiteral("linkedClone"))->setChecked(true);
        dialog->findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->click();
    });
}

// Remembers the question's text, then presses one of its buttons.
void answerCloneBaseQuestion(const QString& button, QString* text) {
    QTimer::singleShot(0, [button, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("cloneBaseQuestion"));
        *text = box->text() + QLatin1Char('\n') + box->informativeText();
        QCOMPARE(box->defaultButton()->objectName(), QStringLiteral("cancel"));  // the safe answer
        box->findChild<QPushButton*>(button)->click();
    });
}

QString linksShown(ui::MainWindow& window, const QString& bundle) {
    return window.libraryModel()->indexForBundle(bundle).data(ui::VmLibraryModel::CloneLinksRole).toString();
}

}  // namespace

class LinkedCloneBaseTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        ui::installTranslations(QLocale(QLocale::English, QLocale::UnitedStates));
    }  // plurals

    void theOriginalOfALinkedCloneStartsOnlyAfterTheCloneIsMadeIndependent() {
        QTemporaryDir root;
        const QString base = addBaseVm(root.path());
        QVERIFY(!base.isEmpty());
        ui::MainWindow window(root.path());
        window.show();

        // Clone → Linked clone → Clone.
        window.selectBundle(base);
        acceptNextDialog();
        window.findChild<QAction*>(QStringLiteral("actionClone"))->trigger();
        const QString clone = QDir(root.path()).filePath(QStringLiteral("Debian (copy).tessera"));
        const QString cloneDisk = QDir(clone).filePath(QStringLiteral("disk.img"));
        QCOMPARE(backingFileOf(cloneDisk), QDir(base).filePath(QStringLiteral("disk.img")));
        QCOMPARE(firstSector(cloneDisk, true), kBootSector);

        // Both cards show the link.
        QCOMPARE(linksShown(window, base), QStringLiteral("Base of 1 linked clone"));
        QCOMPARE(linksShown(window, clone), QStringLiteral("Linked clone of Debian"));

        // Start on the original: the question names the clone; Cancel starts nothing.
        QString question;
        auto* start = window.findChild<QAction*>(QStringLiteral("actionStart"));
        window.selectBundle(base);
        answerCloneBaseQuestion(QStringLiteral("cancel"), &question);
        start->trigger();
        QVERIFY2(question.contains(QLatin1String("\"Debian (copy)\"")) &&
                     question.contains(QLatin1String("damage")),
                 qPrintable(question));
        QVERIFY(!window.findChild<ui::VmWindow*>());
        QCOMPARE(backingFileOf(cloneDisk), QDir(base).filePath(QStringLiteral("disk.img")));

        // Make Clones Independent and Start: the clone keeps what it showed, on its own.
        answerCloneBaseQuestion(QStringLiteral("makeClonesIndependent"), &question);
        start->trigger();
        QCOMPARE(backingFileOf(cloneDisk), QString());
        QCOMPARE(firstSector(cloneDisk, false), kBootSector);
        QVERIFY(vm::VmBundle(clone).load()->disks.first().acceptedBacking.isEmpty());
        auto* running = window.findChild<ui::VmWindow*>();
        QVERIFY(running);
        QCOMPARE(running->runner()->entry().displayName(), QStringLiteral("Debian"));
        QCOMPARE(running->runner()->state(), vm::VmRunner::State::Running);
        QTRY_COMPARE(linksShown(window, base), QString());
        QTRY_COMPARE(linksShown(window, clone), QString());

        QSignalSpy finished(running->runner(), &vm::VmRunner::finished);
        running->runner()->powerOff();
        QVERIFY(finished.wait(30000));
    }

    void aReadOnlyOriginalDiskEndangersNoCloneAndStartsWithoutAsking() {
        QTemporaryDir root;
        const QString base = addBaseVm(root.path());
        QVERIFY(
            vm::cloneBundle(vm::VmBundle(base), root.path(), QStringLiteral("Clone"), vm::CloneKind::Linked)
                .ok());
        vm::VmConfig config = *vm::VmBundle(base).load();
        config.disks.first().readOnly = true;
        QVERIFY(vm::VmBundle(base).save(config).ok());
        QVERIFY(vm::clonesDamagedByStarting(config, vm::VmBundle(base)).isEmpty());
    }
};

QTEST_MAIN(LinkedCloneBaseTest)
#include "linked_clone_base_test.moc"

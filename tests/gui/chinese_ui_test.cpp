// Specification (issue 16, Chinese UI): with a Chinese locale every string the
// main windows show is Chinese — Tessera's own (library, New-VM wizard pages,
// VM window, settings, import), Qt's standard buttons (from Debian's
// qt6-translations-l10n, which the set-up installs), and the messages the
// core produces (start errors, import notes). Power Off reads as a forced
// power-off (强制关机), not as a synonym of Shut Down (关闭系统).
//
// The walk flags a visible text that has Latin letters and no Chinese
// character once names that stay as they are were taken out: product and
// format names (RISC-V, QEMU, qcow2, ISO…), units, VM names and file paths.

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QWizard>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_machine_config.h"
#include "ui/app_translator.h"
#include "ui/backing_file_dialog.h"
#include "ui/import_qemu_dialog.h"
#include "ui/main_window.h"
#include "ui/new_vm_wizard.h"
#include "ui/port_forwards_dialog.h"
#include "ui/qemu_command_dialog.h"
#include "ui/shrink_disk_dialog.h"
#include "ui/vm_settings_dialog.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

// Names and notations that are the same in Chinese: the allowlist. "Debian"
// and "debian-ppc" are the names of the test's VMs.
const QStringList kKeptAsIs = {
    QStringLiteral("RISC-V"),    QStringLiteral("qcow2"),   QStringLiteral("QEMU"),
    QStringLiteral("ISO"),       QStringLiteral("KiB"),     QStringLiteral("MiB"),
    QStringLiteral("GiB"),       QStringLiteral("TiB"),     QStringLiteral("Tessera"),
    QStringLiteral("Debian"),    QStringLiteral("SHA-256"), QStringLiteral("TCP"),
    QStringLiteral("UDP"),       QStringLiteral("Initrd"),  QStringLiteral("IBM Z"),
    QStringLiteral("debian-ppc")};

bool hasChinese(const QString& text) {
    static const QRegularExpression han(QStringLiteral("\\p{Han}"));
    return han.match(text).hasMatch();
}

// The text without markup, mnemonics, allowlisted names, paths and file names.
QString withoutKeptNames(QString text) {
    static const QRegularExpression markup(QStringLiteral("<[^>]*>|&[a-z]+;"));
    // Paths, file names, command names, key combinations, architecture ids in
    // brackets, kernel parameters (console=ttyS0).
    static const QRegularExpression pathsAndFiles(QStringLiteral(
        "\\S*[/~]\\S*|\\S+\\.\\w+|qemu-system-\\S*|Ctrl\\+\\S*|[(（][a-z0-9_]+[)）]|\\S+=\\S*"));
    text.remove(markup).remove(QLatin1Char('&'));
    for (const QString& name : kKeptAsIs) text.remove(name);
    return text.remove(pathsAndFiles);
}

bool looksUntranslated(const QString& text) {
    static const QRegularExpression latin(QStringLiteral("[A-Za-z]"));
    return !hasChinese(text) && latin.match(withoutKeptNames(text)).hasMatch();
}

// Every text a user can see on `root` and its children (hidden pages and
// tooltips included: they show up as the user goes on).
QStringList visibleTexts(QWidget* root) {
    QStringList texts{root->windowTitle()};
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : widgets) {
        texts << w->toolTip();
        if (auto* label = qobject_cast<QLabel*>(w)) texts << label->text();
        if (auto* button = qobject_cast<QAbstractButton*>(w)) texts << button->text();
        if (auto* group = qobject_cast<QGroupBox*>(w)) texts << group->title();
        if (auto* line = qobject_cast<QLineEdit*>(w)) texts << line->placeholderText() << line->text();
        if (auto* edit = qobject_cast<QPlainTextEdit*>(w)) texts << edit->placeholderText();
        if (auto* spin = qobject_cast<QSpinBox*>(w))
            texts << spin->prefix() << spin->suffix() << spin->specialValueText();
        if (auto* menu = qobject_cast<QMenu*>(w)) texts << menu->title();
        if (auto* status = qobject_cast<QStatusBar*>(w)) texts << status->currentMessage();
        if (auto* combo = qobject_cast<QComboBox*>(w))
            for (int i = 0; i < combo->count(); ++i) texts << combo->itemText(i);
        if (auto* tabs = qobject_cast<QTabWidget*>(w))
            for (int i = 0; i < tabs->count(); ++i) texts << tabs->tabText(i) << tabs->tabToolTip(i);
        if (auto* page = qobject_cast<QWizardPage*>(w)) texts << page->title() << page->subTitle();
        if (auto* view = qobject_cast<QAbstractItemView*>(w); view && view->model()) {
            const QAbstractItemModel* model = view->model();
            for (int c = 0; c < model->columnCount(); ++c)
                texts << model->headerData(c, Qt::Horizontal).toString();
            for (int r = 0; r < model->rowCount(); ++r)
                for (int c = 0; c < model->columnCount(); ++c) texts << model->index(r, c).data().toString();
        }
    }
    for (QAction* action : root->findChildren<QAction*>()) texts << action->text() << action->toolTip();
    return texts;
}

// Fails naming each untranslated text and the window it is in.
void expectChinese(QWidget* root, const char* window) {
    QStringList untranslated;
    for (const QString& text : visibleTexts(root))
        if (looksUntranslated(text) && !untranslated.contains(text)) untranslated << text;
    QVERIFY2(untranslated.isEmpty(),
             qPrintable(QStringLiteral("%1 shows English under zh_CN:\n  %2")
                            .arg(QLatin1String(window), untranslated.join(QStringLiteral("\n  ")))));
}

vm::VmBundle addVm(const QString& root, const QString& name,
                   const QString& arch = QStringLiteral("riscv64")) {
    vm::VmConfig config;
    config.name = name;
    config.arch = arch;
    config.board = vm::defaultBoardFor(arch);
    config.nics = {vm::NetworkInterface{}};
    config.nics.first().forwards = {
        {QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, QString(), 22}};
    return *vm::VmBundle::create(root, config);
}

// Start on the library's card of `name`: the message box's title and text.
QString startErrorShown(const QString& root, const QString& name) {
    ui::MainWindow window(root);
    window.selectBundle(QDir(root).filePath(name + QStringLiteral(".tessera")));
    QString shown;
    QTimer::singleShot(0, [&shown] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        shown = box->windowTitle() + QLatin1Char('\n') + box->text();
        box->accept();
    });
    window.findChild<QAction*>(QStringLiteral("actionStart"))->trigger();
    return shown;
}

}  // namespace

class ChineseUiTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(ui::installTranslations(QLocale(QLocale::Chinese, QLocale::China))); }

    void theAllowlistKeepsNamesButNotSentences() {
        QVERIFY(!looksUntranslated(QStringLiteral("64 位 RISC-V")));
        QVERIFY(!looksUntranslated(QStringLiteral("RISC-V qcow2 512 MiB")));
        QVERIFY(!looksUntranslated(QStringLiteral("/home/me/debian.iso")));
        QVERIFY(looksUntranslated(QStringLiteral("Cancel")));
        QVERIFY(looksUntranslated(QStringLiteral("< &Back")));
        QVERIFY(looksUntranslated(QStringLiteral("Start the QEMU VM")));
    }

    void qtsOwnButtonsComeFromQtsTranslation() {
        // Installed by scripts/setup.sh (qt6-translations-l10n); without it they stay English.
        QWizard wizard;
        QVERIFY2(hasChinese(wizard.buttonText(QWizard::BackButton)),
                 qPrintable(wizard.buttonText(QWizard::BackButton)));
        QVERIFY2(hasChinese(wizard.buttonText(QWizard::NextButton)),
                 qPrintable(wizard.buttonText(QWizard::NextButton)));
        QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Save);
        for (QAbstractButton* button : buttons.buttons())
            QVERIFY2(hasChinese(button->text()), qPrintable(button->text()));
    }

    void theLibraryWindowIsChinese() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Debian"));
        ui::MainWindow window(root.path());
        window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Debian.tessera")));
        expectChinese(&window, "the library window");
        QTemporaryDir empty;
        ui::MainWindow first(empty.path());
        expectChinese(&first, "the empty library");
    }

    void everyWizardPageIsChinese() {
        QTemporaryDir root;
        ui::NewVmWizard wizard(root.path());
        wizard.show();
        expectChinese(&wizard, "the New VM wizard");
        for (int id : wizard.pageIds()) {
            wizard.page(id)->initializePage();
            expectChinese(wizard.page(id), qPrintable(QStringLiteral("wizard page %1").arg(id)));
        }
    }

    void theVmWindowAndItsSettingsAreChinese() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Debian"));
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle.directory()));
        expectChinese(&window, "the VM window");
        ui::VmSettingsDialog settings(bundle, *bundle.load());
        expectChinese(&settings, "the settings dialog");
    }

    void theLibrarysDialogsAreChinese() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Debian"));
        const vm::VmConfig config = *bundle.load();
        ui::ShrinkDiskDialog shrink(vm::VmLibrary::loadEntry(bundle.directory()), false);
        expectChinese(&shrink, "the shrink dialog");
        ui::PortForwardsDialog forwards(config.name, config.nics.first().forwards);
        expectChinese(&forwards, "the port forwards dialog");
        ui::QemuCommandDialog command(config, bundle);
        expectChinese(&command, "the QEMU command dialog");
        vm::OutsideBacking backing{0, bundle.resolve(QStringLiteral("disk.qcow2")), 0,
                                   QStringLiteral("../base.qcow2"), QStringLiteral("/srv/base.qcow2")};
        vm::VmConfig withDisk = config;
        withDisk.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        ui::BackingFileDialog ask(withDisk, backing);
        expectChinese(&ask, "the backing file question");
    }

    void powerOffSaysForcedPowerOffUnlikeShutDown() {
        QTemporaryDir root;
        const vm::VmBundle bundle = addVm(root.path(), QStringLiteral("Debian"));
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle.directory()));
        QString powerOff, shutDown;
        for (QAction* action : window.findChildren<QAction*>()) {
            if (action->text() == QStringLiteral("强制关机")) powerOff = action->text();
            if (action->text() == QStringLiteral("关闭系统")) shutDown = action->text();
        }
        QCOMPARE(powerOff, QStringLiteral("强制关机"));
        QVERIFY(!shutDown.isEmpty());
    }

    void theImportPreviewAndItsNotesAreChinese() {
        QTemporaryDir root;
        ui::ImportQemuDialog dialog(root.path());
        dialog.commandEdit()->setPlainText(QStringLiteral(
            "qemu-system-ppc -M g3beige -m 512 -hda debian-ppc.qcow2 -cdrom debian.iso -enable-kvm -usb "
            "-netdev tap,id=n0 -device e1000,netdev=n0"));
        expectChinese(&dialog, "the import dialog");
        const QString warnings = dialog.findChild<QLabel*>(QStringLiteral("warnings"))->text();
        QVERIFY2(warnings.contains(QStringLiteral("暂时无法在 Tessera 中启动")), qPrintable(warnings));
        QVERIFY2(warnings.contains(QStringLiteral("磁盘映像 debian-ppc.qcow2 不在")), qPrintable(warnings));
        const QString understood = dialog.findChild<QLabel*>(QStringLiteral("understood"))->text();
        QVERIFY2(understood.contains(QStringLiteral("Tessera 使用自己的模拟器")), qPrintable(understood));
        // A command that cannot be read says why in Chinese too.
        dialog.commandEdit()->setPlainText(QStringLiteral("qemu-system-riscv64 -m lots"));
        const QString problem = dialog.findChild<QLabel*>(QStringLiteral("problem"))->text();
        QVERIFY2(hasChinese(problem), qPrintable(problem));
    }

    void startErrorsFromTheCoreAreChinese() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Mac"), QStringLiteral("ppc"));
        const QString mac = startErrorShown(root.path(), QStringLiteral("Mac"));
        // A PowerPC VM on QEMU's default board, not the Power Mac (mac99) Tessera runs.
        QVERIFY2(mac.contains(QStringLiteral("Tessera 的模拟器在“mac99”主板上运行 32 位 PowerPC 系统")),
                 qPrintable(mac));
        QVERIFY2(mac.contains(QStringLiteral("g3beige")), qPrintable(mac));

        vm::VmBundle imported = addVm(root.path(), QStringLiteral("Imported"));
        vm::VmConfig config = *imported.load();
        config.boot.kernel = QStringLiteral("Image");  // a pasted command's kernel that was never copied
        QVERIFY(imported.save(config).ok());
        const QString missing = startErrorShown(root.path(), QStringLiteral("Imported"));
        QVERIFY2(missing.contains(QStringLiteral("内核 Image 不在")), qPrintable(missing));
    }
};

QTEST_MAIN(ChineseUiTest)
#include "chinese_ui_test.moc"

// Specification: with a Chinese locale the whole interface is Chinese (the
// seed article is Chinese), with an English one plurals read naturally.

#include <QAction>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_config.h"
#include "ui/app_translator.h"
#include "ui/main_window.h"
#include "ui/new_vm_wizard.h"
#include "ui/vm_card_delegate.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"

class TranslationTest : public QObject {
    Q_OBJECT
private slots:
    void englishPluralsComeFromTheEnglishTranslation() {
        QVERIFY(tessera::ui::installTranslations(QLocale(QLocale::English, QLocale::UnitedStates)));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(tessera::ui::relativeTime(now.addSecs(-3600), now), QStringLiteral("ran 1 hour ago"));
        QCOMPARE(tessera::ui::relativeTime(now.addSecs(-3 * 86400), now), QStringLiteral("ran 3 days ago"));
    }

    void chineseLocaleTranslatesTheInterface() {
        QVERIFY(tessera::ui::installTranslations(QLocale(QLocale::Chinese, QLocale::China)));
        QTemporaryDir root;
        tessera::ui::MainWindow window(root.path());
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionNewVm"))->text(), QStringLiteral("新建虚拟机(&N)…"));
        QCOMPARE(window.findChild<QAction*>(QStringLiteral("actionDelete"))->text(), QStringLiteral("删除(&D)…"));
        QCOMPARE(tessera::ui::VmLibraryModel::stateText(tessera::ui::VmRunState::Running), QStringLiteral("运行中"));
        QCOMPARE(tessera::vm::architectureLabel(QStringLiteral("riscv64")), QStringLiteral("64 位 RISC-V"));
        tessera::ui::NewVmWizard wizard(root.path());
        QCOMPARE(wizard.windowTitle(), QStringLiteral("新建虚拟机"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QCOMPARE(tessera::ui::relativeTime(now.addSecs(-2 * 86400), now), QStringLiteral("2 天前运行过"));
        tessera::vm::VmEntry entry;
        entry.config = tessera::vm::VmConfig{};
        tessera::ui::VmWindow vmWindow(entry);
        QCOMPARE(vmWindow.findChild<QAction*>(QStringLiteral("actionChangeCd"))->text(), QStringLiteral("更换光盘…"));
        QCOMPARE(vmWindow.tabs()->tabText(0), QStringLiteral("显示器"));
    }
};

QTEST_MAIN(TranslationTest)
#include "translation_test.moc"

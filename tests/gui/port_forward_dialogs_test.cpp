// Specification: every GUI place that saves port forwards — the new-VM wizard's
// network page, a VM's settings dialog and the QEMU-command import — checks rows
// with the network's one validator ("::1" is refused by row and column) and asks
// "Let other computers connect?" before it saves a forward other machines could
// reach; Cancel saves nothing, and a forward already saved that way is not asked
// about again. What then listens is read back from the kernel in
// tests/unit/forward_exposure_test.cpp (config.json) and tests/gui/vm_window_test.cpp
// (the running VM's Port Forwards dialog).

#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "support/exposure_question.h"
#include "support/port_forwards.h"
#include "ui/import_qemu_dialog.h"
#include "ui/new_vm_wizard.h"
#include "ui/port_forward_editor.h"
#include "ui/vm_settings_dialog.h"
#include "ui/wizard_pages.h"

using namespace tessera;
using testing::answerExposureQuestion;
using testing::kAllowOtherComputers;
using testing::kCancel;

// Guest port 80: a web server in the VM.
vm::PortForward forward(const QString& address, uint16_t hostPort) {
    return testing::portForward(address, hostPort, 80);
}

class PortForwardDialogsTest : public QObject {
    Q_OBJECT
private slots:
    void theEditorRefusesWhatCannotListenAsWritten() {
        ui::PortForwardEditor editor;
        editor.setForwards(
            {forward(QStringLiteral("127.0.0.1"), 2222), forward(QStringLiteral("::1"), 8080)});
        QCOMPARE(editor.problem(),
                 QStringLiteral("Row 2, Listen on: \"::1\" is not an IPv4 address; write 127.0.0.1 "
                                "(or localhost) to let only this computer connect, or 0.0.0.0 to let "
                                "other machines on the network connect too."));
        for (const char* refused : {"my-laptop", "[::1]", "127.1", ""}) {
            editor.setForwards({forward(QLatin1String(refused), 8080)});
            if (QLatin1String(refused).isEmpty())
                QVERIFY(editor.problem().isEmpty());  // empty = 127.0.0.1
            else
                QVERIFY2(editor.problem().startsWith(QStringLiteral("Row 1, Listen on: ")),
                         qPrintable(editor.problem()));
        }
        editor.setForwards(
            {forward(QStringLiteral("localhost"), 8080), forward(QStringLiteral("0.0.0.0"), 8081)});
        QVERIFY(editor.problem().isEmpty());
        // A guest address the table does not show survives an edit.
        vm::PortForward toGuest = forward(QStringLiteral("127.0.0.1"), 2222);
        toGuest.guestAddress = QStringLiteral("10.0.2.16");
        editor.setForwards({toGuest});
        QCOMPARE(editor.forwards(), QList<vm::PortForward>{toGuest});
    }

    void theWizardAsksBeforeOtherComputersCanConnect() {
        QTemporaryDir root;
        ui::NewVmWizard wizard(root.path());
        ui::NetworkPage* page = wizard.networkPage();
        bool asked = false;
        page->forwardEditor()->addRow(forward(QStringLiteral("0.0.0.0"), 8080));
        answerExposureQuestion(&wizard, kCancel, asked);
        QVERIFY(!page->validatePage());
        QVERIFY(asked);
        answerExposureQuestion(&wizard, kAllowOtherComputers, asked);
        QVERIFY(page->validatePage());
        QVERIFY(asked);
        answerExposureQuestion(&wizard, kCancel, asked);  // back and forth: allowed once is enough
        QVERIFY(page->validatePage());
        QVERIFY(!asked);

        // The prefilled ssh forward is on 127.0.0.1: nothing to ask.
        page->forwardEditor()->setForwards({forward(QStringLiteral("localhost"), 2222)});
        answerExposureQuestion(&wizard, kCancel, asked);
        QVERIFY(page->validatePage());
        QVERIFY(!asked);
    }

    void settingsAskBeforeSavingAndNotAgainForWhatWasSaved() {
        QTemporaryDir root;
        vm::VmConfig config;
        config.name = QStringLiteral("Settings");
        config.nics = {vm::NetworkInterface{}};
        const auto bundle = vm::VmBundle::create(root.path(), config);
        QVERIFY(bundle.ok());
        bool asked = false;
        {
            ui::VmSettingsDialog dialog(*bundle, *bundle->load());
            dialog.findChild<ui::PortForwardEditor*>()->addRow(forward(QStringLiteral("0.0.0.0"), 8080));
            answerExposureQuestion(&dialog, kCancel, asked);
            dialog.accept();
            QVERIFY(asked);
            QVERIFY(bundle->load()->nics.first().forwards.isEmpty());  // nothing saved
            answerExposureQuestion(&dialog, kAllowOtherComputers, asked);
            dialog.accept();
            QVERIFY(asked);
            QCOMPARE(bundle->load()->nics.first().forwards,
                     QList<vm::PortForward>{forward(QStringLiteral("0.0.0.0"), 8080)});
        }
        ui::VmSettingsDialog again(*bundle, *bundle->load());
        answerExposureQuestion(&again, kCancel, asked);
        again.accept();
        QVERIFY(!asked);
        QCOMPARE(again.result(), int(QDialog::Accepted));
    }

    void anImportedCommandWithAnExplicitWildcardIsConfirmed() {
        QTemporaryDir root;
        ui::ImportQemuDialog dialog(root.path());
        dialog.commandEdit()->setPlainText(QStringLiteral(
            "qemu-system-riscv64 -nic user,hostfwd=tcp:0.0.0.0:8080-:80,hostfwd=tcp::2222-:22"));
        bool asked = false;
        answerExposureQuestion(&dialog, kCancel, asked);
        dialog.accept();
        QVERIFY(asked);
        QVERIFY(dialog.createdBundle().isEmpty());  // no VM was created
        answerExposureQuestion(&dialog, kAllowOtherComputers, asked);
        dialog.accept();
        QVERIFY(asked);
        const auto created = vm::VmBundle(dialog.createdBundle()).load();
        QVERIFY(created.ok());
        QCOMPARE(created->nics.first().forwards[0].hostAddress, QStringLiteral("0.0.0.0"));
        QCOMPARE(created->nics.first().forwards[1].hostAddress, QStringLiteral("127.0.0.1"));
    }
};

QTEST_MAIN(PortForwardDialogsTest)
#include "port_forward_dialogs_test.moc"

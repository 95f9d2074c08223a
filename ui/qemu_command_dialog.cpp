#include "ui/qemu_command_dialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/vm/qemu_command.h"

namespace tessera::ui {

QemuCommandDialog::QemuCommandDialog(const vm::VmConfig& config, const vm::VmBundle& bundle, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("QEMU command for %1").arg(config.name));
    auto* intro = new QLabel(tr("This command starts the same virtual machine in QEMU. Use it to compare "
                                "Tessera with QEMU or to attach to a bug report."), this);
    intro->setWordWrap(true);
    auto* text = new QPlainTextEdit(vm::qemuCommandLine(config, &bundle), this);
    text->setObjectName(QStringLiteral("qemuCommandText"));
    text->setReadOnly(true);
    text->setFont(QFont(QStringLiteral("monospace")));
    text->setMinimumSize(640, 160);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [text] { QGuiApplication::clipboard()->setText(text->toPlainText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(text);
    layout->addWidget(buttons);
}

}  // namespace tessera::ui

#include "ui/import_qemu_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/vm/import_preflight.h"
#include "core/vm/size_text.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_library.h"
#include "ui/backing_file_dialog.h"
#include "ui/exposure_confirmation.h"

namespace tessera::ui {

ImportQemuDialog::ImportQemuDialog(const QString& libraryRoot, QWidget* parent) : QDialog(parent), root_(libraryRoot) {
    setWindowTitle(tr("Import from QEMU Command Line"));
    auto* intro = new QLabel(tr("Paste a command that starts a virtual machine with QEMU, for example:\n"
                                "qemu-system-riscv64 -machine virt -m 1G -kernel Image -append \"console=ttyS0\""), this);
    intro->setWordWrap(true);
    command_ = new QPlainTextEdit(this);
    command_->setObjectName(QStringLiteral("qemuCommand"));
    command_->setFont(QFont(QStringLiteral("monospace")));
    command_->setPlaceholderText(QStringLiteral("qemu-system-…"));
    command_->setMinimumHeight(110);
    name_ = new QLineEdit(this);
    name_->setObjectName(QStringLiteral("name"));
    baseFolder_ = new QLineEdit(QDir::homePath(), this);
    baseFolder_->setObjectName(QStringLiteral("baseFolder"));
    baseFolder_->setToolTip(tr("Relative file names in the command are looked up in this folder."));
    understood_ = new QLabel(this);
    understood_->setObjectName(QStringLiteral("understood"));
    understood_->setWordWrap(true);
    understood_->setTextFormat(Qt::RichText);
    // What will not work (a machine the emulator cannot run yet, files that are not
    // there) shows while the command is pasted, not at the first Start.
    warnings_ = new QLabel(this);
    warnings_->setObjectName(QStringLiteral("warnings"));
    warnings_->setWordWrap(true);
    warnings_->setTextFormat(Qt::RichText);
    warnings_->setStyleSheet(QStringLiteral("color: #8a5a00"));
    warnings_->hide();
    problem_ = new QLabel(this);
    problem_->setObjectName(QStringLiteral("problem"));
    problem_->setStyleSheet(QStringLiteral("color: #c62828"));
    problem_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Name:"), name_);
    form->addRow(tr("Files are in:"), baseFolder_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    create_ = buttons->addButton(tr("Create VM"), QDialogButtonBox::AcceptRole);
    create_->setObjectName(QStringLiteral("create"));
    create_->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(command_, &QPlainTextEdit::textChanged, this, &ImportQemuDialog::reparse);
    connect(baseFolder_, &QLineEdit::textChanged, this, &ImportQemuDialog::reparse);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(command_);
    layout->addLayout(form);
    layout->addWidget(warnings_);
    layout->addWidget(understood_, 1);
    layout->addWidget(problem_);
    layout->addWidget(buttons);
    resize(680, 520);
}

void ImportQemuDialog::reparse() {
    auto result = vm::importQemuCommand(command_->toPlainText(), tr("Imported VM"));
    if (!result) {
        parsed_.reset();
        understood_->clear();
        warnings_->hide();
        problem_->setText(command_->toPlainText().trimmed().isEmpty() ? QString() : QString::fromStdString(result.message()));
        create_->setEnabled(false);
        return;
    }
    parsed_ = *result;
    const vm::VmConfig& c = parsed_->config;
    if (name_->text().isEmpty() || name_->text() == previousSuggestion_) {
        previousSuggestion_ = vm::VmLibrary(root_).uniqueName(c.name);
        name_->setText(previousSuggestion_);
    }
    QStringList lines;
    lines << tr("<b>%1</b> (%2), %3 memory, %n CPU(s)", nullptr, c.cpus)
                 .arg(vm::architectureLabel(c.arch).toHtmlEscaped(), c.board.toHtmlEscaped(), vm::formatSizeForHumans(c.memoryBytes));
    for (const vm::Disk& d : c.disks) lines << tr("Disk: %1 (%2)").arg(d.file.toHtmlEscaped(), d.format);
    if (!c.cdrom.isEmpty()) lines << tr("CD/DVD: %1").arg(c.cdrom.toHtmlEscaped());
    if (!c.boot.kernel.isEmpty()) lines << tr("Kernel: %1").arg(c.boot.kernel.toHtmlEscaped());
    if (!c.boot.initrd.isEmpty()) lines << tr("Initrd: %1").arg(c.boot.initrd.toHtmlEscaped());
    lines << (c.nics.isEmpty()
                  ? tr("Network: none")
                  : tr("Network: %n card(s), user-mode networking (NAT)", nullptr, int(c.nics.size())));
    for (const vm::NetworkInterface& n : c.nics)
        for (const vm::PortForward& f : n.forwards)
            lines << tr("Port forward: %1:%2 → guest port %3").arg(f.hostAddress).arg(f.hostPort).arg(f.guestPort);
    for (const QString& note : parsed_->notes) lines << QStringLiteral("<i>%1</i>").arg(note.toHtmlEscaped());
    if (const QStringList notKept = parsed_->ignored + parsed_->runOnly; !notKept.isEmpty()) {
        lines << QStringLiteral("<br><b>%1</b>").arg(tr("Not carried over:"));
        for (const QString& ignored : notKept) lines << QStringLiteral("• ") + ignored.toHtmlEscaped();
    }
    understood_->setText(lines.join(QStringLiteral("<br>")));
    const QStringList problems = vm::importProblems(c, baseFolder_->text().trimmed());
    QStringList warnings;
    for (const QString& problem : problems) warnings << QStringLiteral("⚠ ") + problem.toHtmlEscaped();
    warnings_->setText(QStringLiteral("<b>%1</b><br>%2")
                           .arg(tr("What will not work (you can still create the VM):"),
                                warnings.join(QStringLiteral("<br>"))));
    warnings_->setVisible(!problems.isEmpty());
    problem_->clear();
    create_->setEnabled(true);
}

void ImportQemuDialog::accept() {
    if (!parsed_) return;
    vm::VmConfig config = parsed_->config;
    config.name = name_->text().trimmed();
    const QDir base(baseFolder_->text().trimmed());
    vm::resolveCommandPaths(config, base);
    QSet<QString> allowed;  // the command said 0.0.0.0; still ask before other computers can connect
    for (const vm::NetworkInterface& n : config.nics)
        if (!confirmExposure(this, n.forwards, allowed)) return;
    auto created = vm::VmBundle::create(root_, config);
    if (!created) {
        problem_->setText(QString::fromStdString(created.message()));
        return;
    }
    // The disks stay where they are; files their images build on are used only with the user's yes.
    if (QString why; !confirmOutsideBacking(this, *created, config, &why)) {
        QDir(created->directory()).removeRecursively();  // just made: config.json and logs/ only
        problem_->setText(why.isEmpty()
                              ? tr("Not imported: a disk image builds on a file outside the VM folder "
                                   "that you did not allow.")
                              : why);
        return;
    }
    createdBundle_ = created->directory();
    QDialog::accept();
}

}  // namespace tessera::ui

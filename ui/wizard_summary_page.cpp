#include <QCheckBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "core/vm/qemu_command.h"
#include "core/vm/size_text.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "ui/wizard_pages.h"

namespace tessera::ui {

SummaryPage::SummaryPage(QWidget* parent) : QWizardPage(parent) {
    setTitle(tr("Ready to create"));
    setSubTitle(tr("Check the summary, give the VM a name, and press Create."));
    name_ = new QLineEdit(this);
    name_->setObjectName(QStringLiteral("vmName"));
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setTextFormat(Qt::RichText);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    qemu_ = new QPlainTextEdit(this);
    qemu_->setObjectName(QStringLiteral("qemuCommand"));
    qemu_->setReadOnly(true);
    qemu_->setFont(QFont(QStringLiteral("monospace")));
    qemu_->setMaximumHeight(90);
    start_ = new QCheckBox(tr("Start the VM now"), this);
    start_->setObjectName(QStringLiteral("startNow"));
    problem_ = makeProblemLabel(this);
    auto* form = new QFormLayout;
    form->addRow(tr("Name:"), name_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(new QLabel(tr("Equivalent QEMU command:"), this));
    layout->addWidget(qemu_);
    layout->addWidget(start_);
    layout->addWidget(problem_);
    layout->addStretch();
    connect(name_, &QLineEdit::textChanged, this, [this] {
        problem_->clear();
        refresh();
        emit completeChanged();
    });
}

void SummaryPage::initializePage() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    QString base = QFileInfo(w->sourceFile()).completeBaseName();
    if (base.isEmpty()) base = QFileInfo(w->sourcePage()->urlEdit()->text()).completeBaseName();
    if (base.isEmpty() || w->sourcePage()->kind() == SourceKind::Kernel)
        base = tr("%1 Linux").arg(vm::architectureLabel(w->hardwarePage()->arch()));
    const QString suggestion = vm::VmLibrary(w->libraryRoot()).uniqueName(base);
    if (name_->text().isEmpty() || name_->text() == suggestedName_) name_->setText(suggestion);
    suggestedName_ = suggestion;
    refresh();
}

void SummaryPage::refresh() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    if (!w) return;
    const vm::VmConfig c = w->plannedConfig();
    const vm::VmBundle bundle = vm::VmBundle::forName(w->libraryRoot(), c.name);
    auto row = [](const QString& key, const QString& value) {
        return QStringLiteral("<tr><td style='padding-right:14px'><b>%1</b></td><td>%2</td></tr>").arg(key, value.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Architecture"), QStringLiteral("%1 (%2)").arg(vm::architectureLabel(c.arch), c.board));
    html += row(tr("Memory"), vm::formatSizeForHumans(c.memoryBytes));
    html += row(tr("CPUs"), QString::number(c.cpus));
    if (!c.cdrom.isEmpty()) html += row(tr("CD/DVD"), bundle.resolve(c.cdrom));
    if (!c.boot.kernel.isEmpty()) html += row(tr("Kernel"), QFileInfo(w->sourceFile()).fileName() + tr(" (copied into the VM)"));
    if (!c.boot.initrd.isEmpty()) html += row(tr("Initrd"), QFileInfo(c.boot.initrd).fileName());
    if (!c.boot.append.isEmpty()) html += row(tr("Command line"), c.boot.append);
    QStringList disks;
    const bool newDisk = w->diskPage()->createDisk() && w->sourcePage()->kind() != SourceKind::DiskImage;
    for (const vm::Disk& d : c.disks) {
        if (newDisk && d.file == QLatin1String("disk.qcow2"))
            disks << tr("new, up to %1").arg(vm::formatSizeForHumans(w->diskPage()->sizeBytes()));
        else if (w->sourcePage()->kind() == SourceKind::DiskImage && w->sourcePage()->linkedCloneBox()->isChecked())
            disks << tr("linked to %1").arg(w->sourcePage()->diskEdit()->text().trimmed());
        else
            disks << QStringLiteral("%1 (%2)").arg(d.file, d.format);
    }
    html += row(tr("Disk"), disks.isEmpty() ? tr("none") : disks.join(QStringLiteral(", ")));
    QStringList forwards;
    if (!c.nics.isEmpty())
        for (const vm::PortForward& f : c.nics.first().forwards)
            forwards << QStringLiteral("%1 %2:%3 → %4").arg(f.protocol.toUpper(), f.hostAddress).arg(f.hostPort).arg(f.guestPort);
    html += row(tr("Network"), c.nics.isEmpty() || !c.nics.first().nat ? tr("no internet") : tr("NAT (internet through this computer)"));
    if (!forwards.isEmpty()) html += row(tr("Port forwards"), forwards.join(QStringLiteral(", ")));
    html += row(tr("Folder"), bundle.directory());
    html += QStringLiteral("</table>");
    // A machine Tessera runs, set up with what it cannot do yet: said before the VM exists.
    if (const QString why = vm::whyEmulatorCannotRun(c); vm::emulatorRuns(c.arch) && !why.isEmpty())
        html += QStringLiteral("<p style='color:#8a6d00'>%1</p>").arg(why.toHtmlEscaped());
    summary_->setText(html);
    qemu_->setPlainText(vm::qemuCommandLine(c, &bundle));
}

bool SummaryPage::isComplete() const { return !name_->text().trimmed().isEmpty(); }

bool SummaryPage::validatePage() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    const QString name = name_->text().trimmed();
    QString why;
    if (!vm::isValidVmName(name, &why)) {
        problem_->setText(tr("Please choose another name: %1.").arg(why));
        return false;
    }
    if (QFileInfo::exists(vm::VmBundle::forName(w->libraryRoot(), name).directory())) {
        problem_->setText(tr("A VM called \"%1\" already exists. Please choose another name.").arg(name));
        return false;
    }
    const Result<QString> created = w->createBundle();
    if (!created) {
        problem_->setText(tr("The VM could not be created: %1").arg(QString::fromStdString(created.message())));
        return false;
    }
    return true;
}

}  // namespace tessera::ui

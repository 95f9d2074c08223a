#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>
#include <QSpinBox>
#include <QStorageInfo>
#include <QVBoxLayout>

#include "core/vm/size_text.h"
#include "ui/port_forward_editor.h"
#include "ui/wizard_pages.h"

namespace tessera::ui {

DiskPage::DiskPage(QWidget* parent) : QWizardPage(parent) {
    setTitle(tr("Disk"));
    setSubTitle(tr("The system is installed onto a virtual disk, a single file in the VM's folder."));
    newDisk_ = new QRadioButton(tr("Create a new disk"), this);
    newDisk_->setObjectName(QStringLiteral("newDisk"));
    noDisk_ = new QRadioButton(tr("No disk (the system runs from memory or the CD)"), this);
    noDisk_->setObjectName(QStringLiteral("noDisk"));
    sizeGiB_ = new QSpinBox(this);
    sizeGiB_->setObjectName(QStringLiteral("diskSize"));
    sizeGiB_->setRange(1, 16384);
    sizeGiB_->setValue(16);
    sizeGiB_->setSuffix(tr(" GiB"));
    space_ = new QLabel(this);
    space_->setWordWrap(true);
    space_->setEnabled(false);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->setContentsMargins(26, 0, 0, 0);
    sizeRow->addWidget(new QLabel(tr("Maximum size:"), this));
    sizeRow->addWidget(sizeGiB_);
    sizeRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(newDisk_);
    layout->addLayout(sizeRow);
    layout->addWidget(space_);
    layout->addSpacing(8);
    layout->addWidget(noDisk_);
    layout->addStretch();
    connect(newDisk_, &QRadioButton::toggled, sizeGiB_, &QWidget::setEnabled);
    newDisk_->setChecked(true);
}

void DiskPage::initializePage() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    // A kernel with an initrd usually needs no disk; an installer does.
    if (w->sourcePage()->kind() == SourceKind::Kernel) noDisk_->setChecked(true);
    else newDisk_->setChecked(true);
    const QStorageInfo storage(w->libraryRoot());
    space_->setText(tr("The disk file starts small and grows as the system writes to it (qcow2). "
                       "%1 free where VMs are stored.").arg(vm::formatSizeForHumans(quint64(std::max<qint64>(0, storage.bytesAvailable())))));
}

bool DiskPage::createDisk() const { return newDisk_->isChecked(); }
uint64_t DiskPage::sizeBytes() const { return uint64_t(sizeGiB_->value()) << 30; }

NetworkPage::NetworkPage(QWidget* parent) : QWizardPage(parent) {
    setTitle(tr("Network"));
    setSubTitle(tr("The VM reaches the internet through this computer. Forward ports to reach services inside the VM."));
    nat_ = new QCheckBox(tr("Connect to the internet (NAT)"), this);
    nat_->setObjectName(QStringLiteral("nat"));
    nat_->setChecked(true);
    editor_ = new PortForwardEditor(this);
    vm::PortForward ssh;
    ssh.hostPort = 2222;
    ssh.guestPort = 22;
    editor_->setForwards({ssh});
    auto* hint = new QLabel(tr("With the prefilled forward, <tt>ssh -p 2222 user@localhost</tt> on this computer "
                               "reaches the SSH server inside the VM."), this);
    hint->setWordWrap(true);
    problem_ = makeProblemLabel(this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(nat_);
    layout->addSpacing(8);
    layout->addWidget(new QLabel(tr("Port forwards:"), this));
    layout->addWidget(editor_, 1);
    layout->addWidget(hint);
    layout->addWidget(problem_);
    connect(editor_, &PortForwardEditor::changed, problem_, &QLabel::clear);
}

bool NetworkPage::validatePage() {
    const QString problem = editor_->problem();
    problem_->setText(problem);
    return problem.isEmpty() && editor_->confirmExposure();
}

bool NetworkPage::nat() const { return nat_->isChecked(); }
QList<vm::PortForward> NetworkPage::forwards() const { return editor_->forwards(); }

}  // namespace tessera::ui

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "core/vm/size_text.h"
#include "core/vm/vm_machine_config.h"
#include "ui/host_limits.h"
#include "ui/wizard_pages.h"

namespace tessera::ui {

HardwarePage::HardwarePage(QWidget* parent) : QWizardPage(parent) {
    setTitle(tr("Processor and memory"));
    setSubTitle(tr("Tessera emulates the processor the system was built for, whatever this computer has."));
    host_ = hostLimits();
    const HostLimits& host = host_;

    arch_ = new QComboBox(this);
    arch_->setObjectName(QStringLiteral("arch"));
    for (const QString& id : vm::knownArchitectures())
        // The PowerPC choice names the machine Tessera builds for it.
        arch_->addItem(
            id == QLatin1String("ppc") ? tr("PowerPC 32-bit (Power Mac, mac99)") : vm::architectureLabel(id),
            id);
    detected_ = new QLabel(this);
    detected_->setObjectName(QStringLiteral("detected"));
    detected_->setWordWrap(true);
    archNote_ = new QLabel(this);
    archNote_->setWordWrap(true);
    archNote_->setStyleSheet(QStringLiteral("color: #8a6d00"));

    memory_ = new QSpinBox(this);
    memory_->setObjectName(QStringLiteral("memory"));
    memory_->setSingleStep(128);
    memory_->setSuffix(tr(" MiB"));
    memorySlider_ = new QSlider(Qt::Horizontal, this);
    memorySlider_->setPageStep(512);
    updateMemoryRange();
    memory_->setValue(int(host.defaultVmMemoryBytes() >> 20));
    memorySlider_->setValue(memory_->value());
    connect(memorySlider_, &QSlider::valueChanged, memory_, &QSpinBox::setValue);
    connect(memory_, &QSpinBox::valueChanged, memorySlider_, &QSlider::setValue);
    auto* memoryRow = new QHBoxLayout;
    memoryRow->addWidget(memorySlider_, 1);
    memoryRow->addWidget(memory_);
    auto* memoryHint = new QLabel(tr("This computer has %1. Most Linux systems need 512 MiB–2 GiB; installers like 1 GiB or more.")
                                      .arg(vm::formatSizeForHumans(host.memoryBytes)), this);
    memoryHint->setWordWrap(true);
    memoryHint->setEnabled(false);

    cpus_ = new QSpinBox(this);
    cpus_->setObjectName(QStringLiteral("cpus"));
    cpuHint_ = new QLabel(this);
    cpuHint_->setObjectName(QStringLiteral("cpuHint"));
    cpuHint_->setEnabled(false);
    auto* cpuRow = new QHBoxLayout;
    cpuRow->addWidget(cpus_);
    cpuRow->addWidget(cpuHint_, 1);

    auto* form = new QFormLayout;
    form->addRow(tr("Architecture:"), arch_);
    form->addRow(QString(), detected_);
    form->addRow(QString(), archNote_);
    form->addRow(tr("Memory:"), memoryRow);
    form->addRow(QString(), memoryHint);
    form->addRow(tr("CPUs:"), cpuRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch();
    connect(arch_, &QComboBox::currentIndexChanged, this, &HardwarePage::updateArchNote);
    connect(arch_, &QComboBox::currentIndexChanged, this, &HardwarePage::updateCpuRange);
    connect(arch_, &QComboBox::currentIndexChanged, this, &HardwarePage::updateMemoryRange);
    updateCpuRange();
    cpus_->setValue(host.defaultVmCpus(arch()));
}

// Only as many CPUs as this computer has and, for a VM Tessera runs, as its emulator can run:
// a VM set up here must start.
void HardwarePage::updateCpuRange() {
    const int most = host_.maxVmCpus(arch());
    cpus_->setRange(1, most);
    if (arch() == QLatin1String("ppc"))
        cpuHint_->setText(tr("a Power Mac (mac99) has one CPU"));
    else
        cpuHint_->setText(most < host_.cpus
                              ? tr("this version of Tessera runs VMs with up to %n CPU(s)", nullptr, most)
                              : tr("up to %n on this computer", nullptr, most));
}

// What the host can spare and, for a board with a limit of its own (mac99: 2047 MiB), no more.
void HardwarePage::updateMemoryRange() {
    int most = int(host_.maxVmMemoryBytes() >> 20);
    if (const uint64_t board = vm::maxRunnableMemory(arch())) most = std::min(most, int(board >> 20));
    memory_->setRange(64, most);
    memorySlider_->setRange(64, most);
}

void HardwarePage::initializePage() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    const QString file = w->sourceFile();
    guess_ = file.isEmpty() ? vm::ArchGuess{} : vm::detectArchitecture(file);
    if (!guess_.arch.isEmpty()) {
        setArch(guess_.arch);
        detected_->setText(guess_.fromContents
                               ? tr("Detected from the file: %1.").arg(guess_.reason)
                               : tr("Guessed from the file name (%1). Check that it is right.").arg(vm::architectureLabel(guess_.arch)));
    } else {
        setArch(QStringLiteral("riscv64"));
        detected_->setText(guess_.reason.isEmpty() ? tr("Could not tell the architecture from the file; please choose it.")
                                                   : tr("Could not tell the architecture (%1); please choose it.").arg(guess_.reason));
    }
    updateArchNote();
}

void HardwarePage::updateArchNote() {
    auto* w = static_cast<const NewVmWizard*>(wizard());
    if (arch() == QLatin1String("ppc")) {
        QString note =
            tr("Tessera's Power Mac (mac99) starts a Linux kernel and initrd, or boots from its disc "
               "or its disk; it has one CPU, a screen with an ADB keyboard and mouse, an e1000 "
               "network card and the Serial Console (console=ttyPZ0).");
        // The PowerPC install disc's Dropbear has password logins compiled out (no static crypt()).
        if (w && w->sourcePage()->expressInstall())
            note +=
                QLatin1Char(' ') + tr("The system the PowerPC install disc installs takes SSH logins with "
                                      "the key only; a password is for login and su on its console.");
        archNote_->setText(note);
    } else
        archNote_->setText(
            vm::emulatorRuns(arch())
                ? QString()
                : tr("Tessera's emulator runs RISC-V 64-bit and PowerPC 32-bit systems today. A VM "
                     "for %1 can be created and shown as a QEMU command, but not started in "
                     "Tessera yet.")
                      .arg(vm::architectureLabel(arch())));
}

int HardwarePage::nextId() const {
    auto* w = static_cast<const NewVmWizard*>(wizard());
    const bool bringsDisk = w->sourcePage()->kind() == SourceKind::DiskImage;
    return bringsDisk ? NewVmWizard::NetworkPageId : NewVmWizard::DiskPageId;
}

QString HardwarePage::arch() const { return arch_->currentData().toString(); }
void HardwarePage::setArch(const QString& arch) {
    const int index = arch_->findData(arch);
    if (index >= 0) arch_->setCurrentIndex(index);
}
uint64_t HardwarePage::memoryBytes() const { return uint64_t(memory_->value()) << 20; }
int HardwarePage::cpus() const { return cpus_->value(); }

}  // namespace tessera::ui

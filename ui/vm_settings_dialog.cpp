#include "ui/vm_settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include "core/vm/run_log.h"
#include "core/vm/vm_bundle_ops.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_machine_config.h"
#include "ui/disk_list_editor.h"
#include "ui/host_limits.h"
#include "ui/port_forward_editor.h"

namespace tessera::ui {

namespace {

QWidget* withBrowse(QLineEdit* edit, const QString& title, QWidget* parent) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse…"), row);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, title, row] {
        const QString file = QFileDialog::getOpenFileName(row, title, edit->text());
        if (!file.isEmpty()) edit->setText(file);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

}  // namespace

VmSettingsDialog::VmSettingsDialog(const vm::VmBundle& bundle, const vm::VmConfig& config, QWidget* parent)
    : QDialog(parent), bundle_(bundle), original_(config) {
    setWindowTitle(tr("Settings of %1").arg(config.name));
    const HostLimits host = hostLimits();

    memoryMiB_ = new QSpinBox(this);
    memoryMiB_->setObjectName(QStringLiteral("memory"));
    int mostMiB = int(host.maxVmMemoryBytes() >> 20);
    if (const uint64_t board = vm::maxRunnableMemory(config.arch))
        mostMiB = std::min(mostMiB, int(board >> 20));
    memoryMiB_->setRange(16, mostMiB);
    memoryMiB_->setSingleStep(256);
    memoryMiB_->setSuffix(tr(" MiB"));
    memoryMiB_->setValue(int(config.memoryBytes >> 20));
    cpus_ = new QSpinBox(this);
    cpus_->setObjectName(QStringLiteral("cpus"));
    // No more than the VM can start with; a VM set to more (an older Tessera,
    // an imported QEMU command) shows the most it can have, and says so.
    const int mostCpus = host.maxVmCpus(config.arch);
    cpus_->setRange(1, mostCpus);
    cpus_->setValue(config.cpus);
    auto* cpuRow = new QWidget(this);
    auto* cpuLayout = new QHBoxLayout(cpuRow);
    cpuLayout->setContentsMargins(0, 0, 0, 0);
    cpuLayout->addWidget(cpus_);
    if (config.cpus > mostCpus) {
        auto* lowered =
            new QLabel(tr("This VM was set to %n CPU(s); it can start with at most %1.", nullptr, config.cpus)
                           .arg(mostCpus),
                       cpuRow);
        lowered->setObjectName(QStringLiteral("cpusLowered"));
        lowered->setWordWrap(true);
        cpuLayout->addWidget(lowered, 1);
    } else {
        cpuLayout->addStretch(1);
    }
    kernel_ = new QLineEdit(config.boot.kernel, this);
    initrd_ = new QLineEdit(config.boot.initrd, this);
    append_ = new QLineEdit(config.boot.append, this);
    append_->setPlaceholderText(tr("for example: console=ttyS0 root=/dev/vda rw"));
    cdrom_ = new QLineEdit(config.cdrom, this);
    cdrom_->setPlaceholderText(tr("no disc inserted"));
    display_ = new QComboBox(this);
    display_->addItem(tr("Screen and serial console"), QStringLiteral("framebuffer"));
    display_->addItem(tr("Serial console only"), QStringLiteral("none"));
    display_->setCurrentIndex(config.display.type == QLatin1String("none") ? 1 : 0);

    name_ = new QLineEdit(config.name, this);
    name_->setObjectName(QStringLiteral("name"));

    auto* hardware = new QGroupBox(tr("Hardware"), this);
    auto* hardwareForm = new QFormLayout(hardware);
    hardwareForm->addRow(tr("Name:"), name_);
    hardwareForm->addRow(tr("Architecture:"), new QLabel(vm::architectureLabel(config.arch) + QStringLiteral(" (") + config.board + QLatin1Char(')')));
    hardwareForm->addRow(tr("Memory:"), memoryMiB_);
    hardwareForm->addRow(tr("CPUs:"), cpuRow);
    hardwareForm->addRow(tr("Display:"), display_);

    auto* disksBox = new QGroupBox(tr("Disks"), this);
    auto* disksLayout = new QVBoxLayout(disksBox);
    disks_ = new DiskListEditor(bundle, config, disksBox);
    disksLayout->addWidget(disks_);

    auto* boot = new QGroupBox(tr("Boot"), this);
    auto* bootForm = new QFormLayout(boot);
    bootForm->addRow(tr("Kernel:"), withBrowse(kernel_, tr("Choose a kernel"), this));
    bootForm->addRow(tr("Initrd:"), withBrowse(initrd_, tr("Choose an initial RAM disk"), this));
    bootForm->addRow(tr("Command line:"), append_);
    bootForm->addRow(tr("CD/DVD:"), withBrowse(cdrom_, tr("Choose a disc image"), this));

    auto* network = new QGroupBox(tr("Network"), this);
    auto* networkLayout = new QVBoxLayout(network);
    nat_ = new QCheckBox(tr("Connect to the internet through this computer (NAT)"), this);
    nat_->setChecked(!config.nics.isEmpty() && config.nics.first().nat);
    forwards_ = new PortForwardEditor(this);
    if (!config.nics.isEmpty()) forwards_->setForwards(config.nics.first().forwards);
    networkLayout->addWidget(nat_);
    networkLayout->addWidget(new QLabel(tr("Port forwards (reach a service in the VM from this computer):"), this));
    networkLayout->addWidget(forwards_);

    problem_ = new QLabel(this);
    problem_->setObjectName(QStringLiteral("problem"));
    problem_->setStyleSheet(QStringLiteral("color: #c62828"));
    problem_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(disks_, &DiskListEditor::problem, problem_, &QLabel::setText);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(hardware);
    layout->addWidget(disksBox);
    layout->addWidget(boot);
    layout->addWidget(network);
    layout->addWidget(problem_);
    layout->addWidget(buttons);
    resize(640, 780);
}

vm::VmConfig VmSettingsDialog::editedConfig() const {
    vm::VmConfig c = original_;
    c.name = name_->text().trimmed();
    c.disks = disks_->disks();
    c.memoryBytes = uint64_t(memoryMiB_->value()) << 20;
    c.cpus = cpus_->value();
    c.boot.kernel = kernel_->text().trimmed();
    c.boot.initrd = initrd_->text().trimmed();
    c.boot.append = append_->text().trimmed();
    c.cdrom = cdrom_->text().trimmed();
    c.display.type = display_->currentData().toString();
    const QList<vm::PortForward> forwards = forwards_->forwards();
    if (c.nics.isEmpty() && (nat_->isChecked() || !forwards.isEmpty())) c.nics << vm::NetworkInterface{};
    if (!c.nics.isEmpty()) {
        c.nics.first().nat = nat_->isChecked();
        c.nics.first().forwards = forwards;
    }
    return c;
}

void VmSettingsDialog::accept() {
    if (const QString problem = forwards_->problem(); !problem.isEmpty()) {
        problem_->setText(problem);
        return;
    }
    const vm::VmConfig edited = editedConfig();
    const bool renaming = edited.name != original_.name;
    // Everything that can refuse is asked before anything changes on disk.
    if (renaming) {
        if (Status can = vm::checkRename(bundle_, edited.name); !can) {
            problem_->setText(tr("The VM cannot be renamed: %1").arg(QString::fromStdString(can.message())));
            return;
        }
    }
    if (disks_->changed() && vm::RunLog::isRunning(bundle_)) {
        problem_->setText(tr("The VM is running: shut it down to add or remove disks."));
        return;
    }
    if (!forwards_->confirmExposure()) return;
    if (Status created = disks_->createNewDisks(); !created) {
        problem_->setText(
            tr("The new disk could not be created: %1").arg(QString::fromStdString(created.message())));
        return;
    }
    vm::VmConfig config = edited;
    config.name = original_.name;  // the rename below changes it with the folder
    if (Status saved = bundle_.save(config); !saved) {
        problem_->setText(tr("Could not save the settings: %1").arg(QString::fromStdString(saved.message())));
        return;
    }
    disks_->deleteRemovedFiles();
    original_ = config;
    if (renaming) {
        auto renamed = vm::renameBundle(bundle_, edited.name);
        if (!renamed) {
            problem_->setText(tr("The settings were saved, but the VM could not be renamed: %1")
                                  .arg(QString::fromStdString(renamed.message())));
            return;
        }
        bundle_ = *renamed;
    }
    QDialog::accept();
}

}  // namespace tessera::ui

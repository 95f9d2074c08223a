#include "ui/new_vm_wizard.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>

#include "core/vm/disk_image_factory.h"
#include "core/vm/disk_usage.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_machine_config.h"
#include "ui/backing_file_dialog.h"
#include "ui/wizard_pages.h"

namespace tessera::ui {

namespace {

constexpr char kNewDiskName[] = "disk.qcow2";

QString probeDiskFormat(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && file.read(4) == QByteArray("QFI\xfb", 4) ? QStringLiteral("qcow2") : QStringLiteral("raw");
}

Status copyInto(const QString& from, const QString& to) {
    if (!QFile::copy(from, to))
        return makeError(QStringLiteral("cannot copy %1 into the VM folder (is the disk full?)").arg(from).toStdString());
    return Status::success();
}

}  // namespace

FileRole roleOfFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return FileRole::Disk;
    const QByteArray head = file.read(64);
    if (head.startsWith(QByteArray("QFI\xfb", 4))) return FileRole::Disk;
    if (file.seek(16 * 2048 + 1) && file.read(5) == "CD001") return FileRole::CdRom;
    const vm::ArchGuess guess = vm::detectArchitecture(path);
    if (guess.fromContents && !guess.arch.isEmpty()) return FileRole::Kernel;
    return FileRole::Disk;
}

NewVmWizard::NewVmWizard(const QString& libraryRoot, QWidget* parent)
    : QWizard(parent), root_(vm::libraryRoot(libraryRoot)) {
    setWindowTitle(tr("New Virtual Machine"));
    setObjectName(QStringLiteral("newVmWizard"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    setPixmap(QWizard::LogoPixmap, QIcon(QStringLiteral(":/icons/tessera.svg")).pixmap(48, 48));
    setButtonText(QWizard::FinishButton, tr("Create"));
    source_ = new SourcePage;
    download_ = new DownloadPage;
    hardware_ = new HardwarePage;
    disk_ = new DiskPage;
    network_ = new NetworkPage;
    summary_ = new SummaryPage;
    setPage(SourcePageId, source_);
    setPage(DownloadPageId, download_);
    setPage(HardwarePageId, hardware_);
    setPage(DiskPageId, disk_);
    setPage(NetworkPageId, network_);
    setPage(SummaryPageId, summary_);
    setStartId(SourcePageId);
    setCanStart(false);
    resize(760, 600);
}

QString NewVmWizard::downloadFolder() const { return QDir(root_).filePath(QStringLiteral(".downloads")); }

QString NewVmWizard::sourceFile() const {
    switch (source_->kind()) {
        case SourceKind::Iso: return source_->isoEdit()->text().trimmed();
        case SourceKind::Kernel: return source_->kernelEdit()->text().trimmed();
        case SourceKind::DiskImage: return source_->diskEdit()->text().trimmed();
        case SourceKind::Download: return download_->downloadedFile();
    }
    return {};
}

void NewVmWizard::setCanStart(bool canStart) {
    summary_->startBox()->setEnabled(canStart);
    summary_->startBox()->setChecked(canStart);
    summary_->startBox()->setToolTip(canStart ? QString() : tr("Starting VMs needs the emulator runner, which is not part of this build yet"));
}

bool NewVmWizard::startAfterCreation() const { return summary_->startBox()->isChecked(); }

vm::VmConfig NewVmWizard::plannedConfig() const {
    vm::VmConfig c;
    c.name = summary_->nameEdit()->text().trimmed();
    c.arch = hardware_->arch();
    c.board = vm::runnableBoardFor(c.arch);  // the machine Tessera runs for it (mac99 for PowerPC)
    c.memoryBytes = hardware_->memoryBytes();
    c.cpus = hardware_->cpus();
    const QString file = sourceFile();
    FileRole role = FileRole::Disk;
    switch (source_->kind()) {
        case SourceKind::Iso: role = FileRole::CdRom; break;
        case SourceKind::Kernel: role = FileRole::Kernel; break;
        case SourceKind::DiskImage: role = FileRole::Disk; break;
        case SourceKind::Download: role = file.isEmpty() ? FileRole::Disk : roleOfFile(file); break;
    }
    const bool download = source_->kind() == SourceKind::Download;
    const QString inBundle = QFileInfo(file).fileName();  // copied or moved files keep their name
    if (role == FileRole::CdRom) {
        // Installer ISOs stay where they are (like UTM); downloaded ones live in the bundle.
        c.cdrom = download ? inBundle : QFileInfo(file).absoluteFilePath();
        c.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
    } else if (role == FileRole::Kernel) {
        c.boot.kernel = inBundle;
        if (source_->kind() == SourceKind::Kernel) {
            if (!source_->initrdEdit()->text().trimmed().isEmpty())
                c.boot.initrd = QFileInfo(source_->initrdEdit()->text().trimmed()).fileName();
            c.boot.append = source_->appendEdit()->text().trimmed();
        } else {
            // The serial console: the 16550 on RISC-V virt, the ESCC on a Power Mac.
            c.boot.append = c.arch == QLatin1String("ppc") ? QStringLiteral("console=ttyPZ0")
                                                           : QStringLiteral("console=ttyS0");
        }
    } else if (!file.isEmpty()) {
        const bool linked = source_->kind() == SourceKind::DiskImage && source_->linkedCloneBox()->isChecked();
        c.disks << vm::Disk{linked ? QStringLiteral("disk.qcow2") : inBundle, linked ? QStringLiteral("qcow2") : probeDiskFormat(file), false};
        // The user picked this file to build on: the link Tessera writes to it is trusted
        // (what that file itself builds on is asked about, backing_file_dialog.h).
        const QString picked = QFileInfo(file).canonicalFilePath();
        if (linked && !picked.isEmpty()) c.disks.last().acceptedBacking << picked;
    }
    if (disk_->createDisk() && source_->kind() != SourceKind::DiskImage && c.disks.isEmpty())
        c.disks << vm::Disk{QLatin1String(kNewDiskName), QStringLiteral("qcow2"), false};
    // Express install: the installer reads its answers from this small read-only disk.
    if (source_->expressInstall()) {
        c.disks << vm::Disk{QLatin1String(vm::kAnswersDiskFile), QStringLiteral("raw"), true};
        c.guestUser = source_->typedAnswers().user;  // for the library's "Copy SSH Command"
        if (!source_->restartAfterInstallBox()->isChecked()) c.boot.afterInstall = QStringLiteral("stop");
    }
    if (network_->nat() || !network_->forwards().isEmpty()) {
        vm::NetworkInterface nic;
        nic.nat = network_->nat();
        nic.forwards = network_->forwards();
        c.nics << nic;
    }
    return c;
}

Result<QString> NewVmWizard::createBundle() {
    const vm::VmConfig config = plannedConfig();
    Result<vm::VmBundle> created = vm::VmBundle::create(root_, config);
    if (!created) return created.error();
    const vm::VmBundle bundle = *created;
    auto fail = [&](const Error& error) -> Result<QString> {
        QDir(bundle.directory()).removeRecursively();
        return error;
    };
    QApplication::setOverrideCursor(Qt::WaitCursor);
    struct RestoreCursor { ~RestoreCursor() { QApplication::restoreOverrideCursor(); } } restore;

    const QString file = sourceFile();
    switch (source_->kind()) {
        case SourceKind::Iso: break;  // referenced where it is
        case SourceKind::Kernel:
            if (Status s = copyInto(file, bundle.resolve(config.boot.kernel)); !s) return fail(s.error());
            if (!config.boot.initrd.isEmpty())
                if (Status s = copyInto(source_->initrdEdit()->text().trimmed(), bundle.resolve(config.boot.initrd)); !s)
                    return fail(s.error());
            break;
        case SourceKind::DiskImage:
            if (source_->linkedCloneBox()->isChecked()) {
                const QString format = probeDiskFormat(file);
                const auto usage = vm::diskUsage(file, format);
                if (!usage) return fail(usage.error());
                vm::NewDiskImage overlay{bundle.resolve(config.disks.first().file), QStringLiteral("qcow2"), usage->virtualBytes,
                                         QFileInfo(file).absoluteFilePath(), format};
                if (Status s = vm::createDiskImage(overlay); !s) return fail(s.error());
            } else if (Status s = copyInto(file, bundle.resolve(config.disks.first().file)); !s) {
                return fail(s.error());
            }
            break;
        case SourceKind::Download:
            if (!QFile::rename(file, bundle.resolve(QFileInfo(file).fileName())))
                return fail(makeError(QStringLiteral("cannot move the download %1 into the VM folder").arg(file).toStdString()));
            break;
    }
    for (const vm::Disk& disk : config.disks) {
        if (disk.file != QLatin1String(kNewDiskName) || QFileInfo::exists(bundle.resolve(disk.file))) continue;
        if (Status s = vm::createDiskImage({bundle.resolve(disk.file), QStringLiteral("qcow2"), disk_->sizeBytes(), {}, {}}); !s)
            return fail(s.error());
    }
    if (source_->expressInstall()) {
        vm::InstallAnswers answers = source_->typedAnswers();
        if (!answers.passwordHash.isEmpty()) {  // the plain password goes no further than this
            auto hashed = vm::hashPassword(answers.passwordHash);
            if (!hashed) return fail(hashed.error());
            answers.passwordHash = *hashed;
        }
        if (Status s = vm::writeAnswersDisk(bundle.resolve(QLatin1String(vm::kAnswersDiskFile)), answers); !s)
            return fail(s.error());
    }
    // A disk image from elsewhere may build on files outside the bundle: only with the user's yes.
    vm::VmConfig trusted = config;
    if (QString why; !confirmOutsideBacking(this, bundle, trusted, &why))
        return fail(makeError((why.isEmpty()
                                   ? tr("its disk image builds on a file outside the VM folder that you did "
                                        "not allow")
                                   : why)
                                  .toStdString()));
    created_ = bundle.directory();
    return created_;
}

}  // namespace tessera::ui

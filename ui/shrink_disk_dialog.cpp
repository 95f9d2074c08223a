#include "ui/shrink_disk_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include "core/block/image_compact.h"
#include "core/block/open_image.h"
#include "core/vm/disk_usage.h"
#include "core/vm/size_text.h"

namespace tessera::ui {

namespace {

// Bytes of guest data the image itself stores (not its backing file): what a
// compacted copy holds at most, since unallocated and zero clusters are dropped.
// The combo box keeps each disk's path (Qt::UserRole) and its format from config.json.
constexpr int kFormatRole = Qt::UserRole + 1;

std::optional<uint64_t> storedDataBytes(const QString& path, const QString& format) {
    block::OpenOptions options;
    options.readOnly = true;
    options.format = block::parseImageFormat(format.toStdString());  // pinned, as when the VM runs
    options.openBacking = false;  // only this image's own clusters count; no file it names is opened
    options.lock = false;  // only metadata is read; a running VM's image is still described
    auto image = block::openImage(QFile::encodeName(path).toStdString(), options);
    if (!image) return std::nullopt;
    uint64_t data = 0;
    const uint64_t size = (*image)->size();
    for (uint64_t offset = 0; offset < size;) {
        auto status = (*image)->blockStatus(offset, size - offset);
        if (!status || status->length == 0) return std::nullopt;
        if (status->allocated && status->data && !status->zero && status->depth == 0) data += status->length;
        offset += status->length;
    }
    return data;
}

QString human(uint64_t bytes) { return vm::formatSizeForHumans(bytes); }

}  // namespace

ShrinkDiskDialog::ShrinkDiskDialog(const vm::VmEntry& entry, bool vmRunning, QWidget* parent)
    : QDialog(parent), entry_(entry) {
    setWindowTitle(tr("Shrink Disk of %1").arg(entry.displayName()));
    disks_ = new QComboBox(this);
    disks_->setObjectName(QStringLiteral("disk"));
    if (entry.config)
        for (const vm::Disk& disk : entry.config->disks)
            if (!disk.readOnly) {
                disks_->addItem(disk.file, entry.bundle.resolve(disk.file));
                disks_->setItemData(disks_->count() - 1, disk.format, kFormatRole);
            }
    sizes_ = new QLabel(this);
    sizes_->setObjectName(QStringLiteral("sizes"));
    sizes_->setTextFormat(Qt::RichText);
    hint_ = new QLabel(tr("Shrinking gives back space the guest has freed. Deleted files still occupy the disk "
                          "until the guest tells it: run <tt>sudo fstrim -av</tt> inside the VM first, then shut it down and shrink."), this);
    hint_->setWordWrap(true);
    hint_->setTextFormat(Qt::RichText);
    compress_ = new QCheckBox(tr("Also compress the data (smaller file; data written later is stored uncompressed)"), this);
    compress_->setObjectName(QStringLiteral("compress"));
    progress_ = new QProgressBar(this);
    progress_->setObjectName(QStringLiteral("progress"));
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setVisible(false);
    result_ = new QLabel(this);
    result_->setObjectName(QStringLiteral("result"));
    result_->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(this);
    shrink_ = buttons->addButton(tr("Shrink"), QDialogButtonBox::AcceptRole);
    shrink_->setObjectName(QStringLiteral("shrink"));
    shrink_->setDefault(true);
    cancel_ = buttons->addButton(QDialogButtonBox::Cancel);
    cancel_->setObjectName(QStringLiteral("cancel"));
    cancel_->setEnabled(false);  // only while shrinking
    close_ = buttons->addButton(QDialogButtonBox::Close);
    connect(shrink_, &QPushButton::clicked, this, &ShrinkDiskDialog::startShrink);
    connect(cancel_, &QPushButton::clicked, this, &ShrinkDiskDialog::cancelShrink);
    connect(close_, &QPushButton::clicked, this, &QDialog::reject);
    connect(disks_, &QComboBox::currentIndexChanged, this, &ShrinkDiskDialog::describeSelectedDisk);

    auto* form = new QFormLayout;
    form->addRow(tr("Disk:"), disks_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(sizes_);
    layout->addWidget(hint_);
    layout->addWidget(compress_);
    layout->addWidget(progress_);
    layout->addWidget(result_);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(560, 340);

    describeSelectedDisk();
    if (disks_->count() == 0) {
        shrink_->setEnabled(false);
        result_->setText(tr("This VM has no writable disk to shrink."));
    } else if (vmRunning) {
        shrink_->setEnabled(false);
        result_->setText(tr("Shut down the VM to shrink its disk: the disk cannot be rewritten while the VM uses it."));
    }
}

ShrinkDiskDialog::~ShrinkDiskDialog() {
    if (worker_) {
        cancelRequested_ = true;
        worker_->wait();
    }
}

QString ShrinkDiskDialog::selectedDiskPath() const { return disks_->currentData().toString(); }

void ShrinkDiskDialog::describeSelectedDisk() {
    const QString path = selectedDiskPath();
    if (path.isEmpty()) return;
    const QString format = disks_->currentData(kFormatRole).toString();
    const auto usage = vm::diskUsage(path, format);
    if (!usage) {
        sizes_->setText(QString::fromStdString(usage.message()).toHtmlEscaped());
        shrink_->setEnabled(false);
        return;
    }
    const auto data = storedDataBytes(path, format);
    QString text = tr("Size for the guest: <b>%1</b><br>Space used on this computer: <b>%2</b>")
                       .arg(human(usage->virtualBytes), human(usage->allocatedBytes));
    if (data) {
        const uint64_t estimate = std::min<uint64_t>(*data + (uint64_t(1) << 20), usage->allocatedBytes);
        text += tr("<br>Estimated size after shrinking: <b>at most %1</b> (blocks that hold only zeros are dropped too)")
                    .arg(human(estimate));
    }
    sizes_->setText(text);
}

void ShrinkDiskDialog::startShrink() {
    if (worker_ || selectedDiskPath().isEmpty()) return;
    cancelRequested_ = false;
    shrink_->setEnabled(false);
    disks_->setEnabled(false);
    compress_->setEnabled(false);
    close_->setEnabled(false);
    cancel_->setEnabled(true);
    progress_->setVisible(true);
    progress_->setValue(0);
    result_->setText(tr("Shrinking… The original stays untouched until the shrunk copy has been verified."));

    block::CompactRequest request;
    request.path = QFile::encodeName(selectedDiskPath()).toStdString();
    request.format = block::parseImageFormat(disks_->currentData(kFormatRole).toString().toStdString());
    request.compress = compress_->isChecked();
    QPointer<ShrinkDiskDialog> self(this);
    worker_ = QThread::create([this, self, request] {
        block::JobControl control;
        control.cancel = &cancelRequested_;
        control.progress = [self](uint64_t done, uint64_t total) {
            if (self) QMetaObject::invokeMethod(self, [self, done, total] { if (self) self->onProgress(done, total); }, Qt::QueuedConnection);
        };
        const auto result = block::compactImage(request, control);
        const bool ok = result.ok();
        const QString message = ok ? QString() : QString::fromStdString(result.message());
        const quint64 before = ok ? result->bytesBefore : 0;
        const quint64 after = ok ? result->bytesAfter : 0;
        if (self)
            QMetaObject::invokeMethod(self, [self, ok, message, before, after] {
                if (self) self->onDone(ok, message, before, after);
            }, Qt::QueuedConnection);
    });
    worker_->start();
}

void ShrinkDiskDialog::cancelShrink() {
    if (!worker_) return;
    cancelRequested_ = true;
    cancel_->setEnabled(false);
    result_->setText(tr("Cancelling…"));
}

void ShrinkDiskDialog::onProgress(quint64 done, quint64 total) {
    if (total > 0) progress_->setValue(int(std::min<quint64>(1000, done * 1000 / total)));
}

void ShrinkDiskDialog::onDone(bool ok, const QString& message, quint64 before, quint64 after) {
    if (worker_) {
        worker_->wait();
        delete worker_;
        worker_ = nullptr;
    }
    cancel_->setEnabled(false);
    close_->setEnabled(true);
    disks_->setEnabled(true);
    compress_->setEnabled(true);
    if (ok) {
        progress_->setValue(1000);
        const quint64 saved = before > after ? before - after : 0;
        result_->setText(tr("Done. Before: %1, after: %2 — %3 given back to this computer.")
                             .arg(human(before), human(after), human(saved)));
        describeSelectedDisk();
    } else if (cancelRequested_) {
        progress_->setVisible(false);
        result_->setText(tr("Cancelled. The disk was not changed."));
        shrink_->setEnabled(true);
    } else {
        progress_->setVisible(false);
        result_->setText(tr("The disk could not be shrunk, and it was not changed: %1").arg(message));
        shrink_->setEnabled(true);
    }
    emit finished(ok);
}

void ShrinkDiskDialog::reject() {
    if (worker_) {
        cancelShrink();
        return;  // closes when the job has stopped and the user presses Close
    }
    QDialog::reject();
}

}  // namespace tessera::ui

#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include "core/vm/size_text.h"
#include "ui/download_job.h"
#include "ui/wizard_pages.h"

namespace tessera::ui {

DownloadPage::DownloadPage(QWidget* parent) : QWizardPage(parent), job_(new DownloadJob(this)) {
    setTitle(tr("Downloading"));
    setSubTitle(tr("The file is saved into the virtual machine's folder. You can stop and resume the download."));
    progress_ = new QProgressBar(this);
    progress_->setObjectName(QStringLiteral("downloadProgress"));
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("downloadStatus"));
    status_->setWordWrap(true);
    stopResume_ = new QPushButton(tr("Stop"), this);
    stopResume_->setObjectName(QStringLiteral("stopResume"));
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(stopResume_, 0, Qt::AlignLeft);
    layout->addStretch();

    connect(stopResume_, &QPushButton::clicked, this, [this] {
        if (job_->isRunning()) job_->cancel();
        else begin();
    });
    connect(job_, &DownloadJob::progress, this, [this](qint64 received, qint64 total) {
        if (total > 0) {
            progress_->setRange(0, 1000);
            progress_->setValue(int(received * 1000 / total));
            status_->setText(tr("%1 of %2%3").arg(vm::formatSizeForHumans(quint64(received)), vm::formatSizeForHumans(quint64(total)),
                                                  job_->resumed() ? tr(" (resumed)") : QString()));
        } else {
            progress_->setRange(0, 0);
            status_->setText(tr("%1 so far").arg(vm::formatSizeForHumans(quint64(received))));
        }
    });
    connect(job_, &DownloadJob::finished, this, [this](bool ok, const QString& message) {
        done_ = ok;
        progress_->setRange(0, 1000);
        if (ok) {
            progress_->setValue(1000);
            status_->setText(tr("Download complete: %1").arg(QDir::toNativeSeparators(target_)));
            stopResume_->hide();
        } else {
            status_->setText(message);
            stopResume_->setText(tr("Resume"));
            stopResume_->show();
        }
        emit completeChanged();
    });
}

void DownloadPage::initializePage() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    const QUrl url = QUrl::fromUserInput(w->sourcePage()->urlEdit()->text().trimmed());
    QDir().mkpath(w->downloadFolder());
    target_ = QDir(w->downloadFolder()).filePath(url.fileName());
    done_ = false;
    begin();
}

void DownloadPage::begin() {
    auto* w = static_cast<NewVmWizard*>(wizard());
    stopResume_->setText(tr("Stop"));
    stopResume_->show();
    status_->setText(tr("Connecting…"));
    progress_->setRange(0, 0);
    job_->start(QUrl::fromUserInput(w->sourcePage()->urlEdit()->text().trimmed()), target_,
                w->sourcePage()->sha256Edit()->text().trimmed());
}

void DownloadPage::cleanupPage() {
    job_->cancel();  // Back: keep the partial file so coming here again resumes
    done_ = false;
}

bool DownloadPage::isComplete() const { return done_; }

}  // namespace tessera::ui

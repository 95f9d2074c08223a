#include "ui/download_job.h"

#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>

namespace tessera::ui {

DownloadJob::DownloadJob(QObject* parent) : QObject(parent), network_(new QNetworkAccessManager(this)) {}

DownloadJob::~DownloadJob() {
    if (reply_) reply_->abort();
}

void DownloadJob::start(const QUrl& url, const QString& targetPath, const QString& expectedSha256Hex) {
    if (reply_) return;
    url_ = url;
    target_ = targetPath;
    expectedSha256_ = expectedSha256Hex.trimmed().toLower();
    cancelled_ = false;
    headersChecked_ = false;
    total_ = -1;
    part_.setFileName(partialPath(targetPath));
    if (!part_.open(QIODevice::ReadWrite)) {
        fail(tr("Cannot write %1: %2").arg(part_.fileName(), part_.errorString()));
        return;
    }
    offset_ = part_.size();
    part_.seek(offset_);
    resumed_ = offset_ > 0;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    // RFC 9110 14.2: ask for the rest only; a server without range support answers 200 with everything.
    if (offset_ > 0) request.setRawHeader("Range", "bytes=" + QByteArray::number(offset_) + '-');
    reply_ = network_->get(request);
    connect(reply_, &QNetworkReply::metaDataChanged, this, &DownloadJob::onMetaData);
    connect(reply_, &QNetworkReply::readyRead, this, &DownloadJob::onReadyRead);
    connect(reply_, &QNetworkReply::finished, this, &DownloadJob::onFinished);
    connect(reply_, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        emit progress(offset_ + received, total >= 0 ? offset_ + total : -1);
    });
}

void DownloadJob::onMetaData() {
    if (headersChecked_ || !reply_) return;
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0 || (status >= 300 && status < 400)) return;  // file:// or a redirect still to follow
    headersChecked_ = true;
    const QVariant length = reply_->header(QNetworkRequest::ContentLengthHeader);
    total_ = length.isValid() ? length.toLongLong() : -1;  // of this response; offset_ added when checking
    if (offset_ > 0 && status == 206) {
        // Content-Range: bytes <first>-<last>/<length>; only continue if it starts where we stopped.
        static const QRegularExpression range(QStringLiteral("^bytes (\\d+)-"));
        const auto match = range.match(QString::fromLatin1(reply_->rawHeader("Content-Range")));
        if (match.hasMatch() && match.captured(1).toLongLong() == offset_) return;
    }
    if (offset_ > 0 && status == 200) {  // no resume from this server: start over
        part_.resize(0);
        part_.seek(0);
        offset_ = 0;
        resumed_ = false;
        return;
    }
    if (offset_ > 0 && status == 206) {
        fail(tr("The server sent a different part of the file than asked for. Try again later."));
        return;
    }
}

void DownloadJob::onReadyRead() {
    if (!reply_) return;
    if (!headersChecked_) onMetaData();
    if (!reply_) return;
    const QByteArray data = reply_->readAll();
    const int status = reply_->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 400) return;  // the error page is not the file
    if (part_.write(data) != data.size()) fail(tr("Cannot write %1: %2").arg(part_.fileName(), part_.errorString()));
}

void DownloadJob::onFinished() {
    if (!reply_) return;
    QNetworkReply* reply = reply_;
    reply_ = nullptr;
    reply->deleteLater();
    if (cancelled_) {
        part_.close();
        emit finished(false, tr("Download stopped. It continues from here when you resume."));
        return;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 416 && offset_ > 0) {  // our partial file is longer than the file: start over
        part_.resize(0);
        part_.close();
        start(url_, target_, expectedSha256_);
        return;
    }
    if (reply->error() != QNetworkReply::NoError || status >= 400) {
        part_.flush();
        part_.close();
        const QString reason = status >= 400 ? tr("the server answered %1 %2").arg(status).arg(
                                                   reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString())
                                             : reply->errorString();
        emit finished(false, tr("The download failed: %1. Check the address and your connection; you can resume it.").arg(reason));
        return;
    }
    const QByteArray rest = reply->readAll();
    part_.write(rest);
    part_.flush();
    // A connection that closes early can look like success; the length the server announced says otherwise.
    if (total_ >= 0 && part_.size() != offset_ + total_) {
        part_.close();
        emit finished(false, tr("The connection was lost after %1 of %2 bytes. You can resume the download.")
                                 .arg(part_.size()).arg(offset_ + total_));
        return;
    }

    if (!expectedSha256_.isEmpty()) {
        part_.seek(0);
        QCryptographicHash hash(QCryptographicHash::Sha256);
        hash.addData(&part_);
        const QString actual = QString::fromLatin1(hash.result().toHex());
        if (actual != expectedSha256_) {
            part_.close();
            part_.remove();  // a damaged file must not be resumed from
            emit finished(false, tr("The downloaded file does not match the SHA-256 checksum you entered, so it was "
                                    "deleted. It may be damaged, or the checksum belongs to another file.\n"
                                    "Expected: %1\nReceived: %2").arg(expectedSha256_, actual));
            return;
        }
    }
    part_.close();
    QFile::remove(target_);
    if (!part_.rename(target_)) {
        emit finished(false, tr("Cannot rename the download to %1: %2").arg(target_, part_.errorString()));
        return;
    }
    emit finished(true, {});
}

void DownloadJob::cancel() {
    if (!reply_) return;
    cancelled_ = true;
    reply_->abort();
}

void DownloadJob::fail(const QString& message) {
    if (reply_) {
        QNetworkReply* reply = reply_;
        reply_ = nullptr;
        reply->abort();
        reply->deleteLater();
    }
    part_.close();
    emit finished(false, message);
}

}  // namespace tessera::ui

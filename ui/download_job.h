#pragma once
// Downloads an installer or disk image into a file, with progress, cancel,
// resume (HTTP Range, when the server answers 206) and an optional SHA-256
// check. Partial data lives in "<target>.part" until it is complete and
// verified, so a half-finished or damaged download is never mistaken for a disk.

#include <QCryptographicHash>
#include <QFile>
#include <QObject>
#include <QPointer>
#include <QNetworkReply>
#include <QUrl>

class QNetworkAccessManager;

namespace tessera::ui {

class DownloadJob : public QObject {
    Q_OBJECT
public:
    explicit DownloadJob(QObject* parent = nullptr);
    ~DownloadJob() override;

    // expectedSha256Hex: 64 hex digits, or empty for no check.
    void start(const QUrl& url, const QString& targetPath, const QString& expectedSha256Hex = {});
    void cancel();  // keeps the .part file so start() can resume
    bool isRunning() const { return reply_ != nullptr; }
    bool resumed() const { return resumed_; }
    QString targetPath() const { return target_; }
    static QString partialPath(const QString& target) { return target + QStringLiteral(".part"); }

signals:
    void progress(qint64 received, qint64 total);  // total < 0 = unknown
    void finished(bool ok, const QString& message);  // message says what went wrong, for people

private:
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void fail(const QString& message);

    QNetworkAccessManager* network_;
    QPointer<QNetworkReply> reply_;
    QFile part_;
    QUrl url_;
    QString target_;
    QString expectedSha256_;
    qint64 offset_ = 0;    // bytes already on disk when the request started
    qint64 total_ = -1;
    bool resumed_ = false;
    bool headersChecked_ = false;
    bool cancelled_ = false;
};

}  // namespace tessera::ui

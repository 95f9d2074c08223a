// Specification: downloads show progress, resume after a broken connection
// with an HTTP Range request when the server allows it, start over when it
// does not, and refuse a file whose SHA-256 does not match — against a real
// HTTP server on 127.0.0.1.

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "gui/http_test_server.h"
#include "ui/download_job.h"

using tessera::ui::DownloadJob;

namespace {

QByteArray randomPayload(int size) {
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    for (char& c : data) c = char(generator.bounded(256));
    return data;
}

QString sha256Hex(const QByteArray& data) {
    return QString::fromLatin1(QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

// Runs one attempt and returns (ok, message).
QPair<bool, QString> runOnce(DownloadJob& job, const QString& url, const QString& target, const QString& sha = {}) {
    QSignalSpy finished(&job, &DownloadJob::finished);
    job.start(QUrl(url), target, sha);
    if (!finished.wait(30000)) return {false, QStringLiteral("timeout")};
    return {finished.first().at(0).toBool(), finished.first().at(1).toString()};
}

}  // namespace

class DownloadJobTest : public QObject {
    Q_OBJECT
private slots:
    void downloadsWithProgressAndVerifiesTheChecksum() {
        HttpTestServer server;
        server.payload = randomPayload(3 << 20);
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("disc.iso"));
        DownloadJob job;
        QSignalSpy progress(&job, &DownloadJob::progress);
        const auto [ok, message] = runOnce(job, server.url(), target, sha256Hex(server.payload).toUpper());
        QVERIFY2(ok, qPrintable(message));
        QCOMPARE(readAll(target), server.payload);
        QVERIFY(!QFile::exists(DownloadJob::partialPath(target)));
        QVERIFY(progress.size() >= 1);
        QCOMPARE(progress.last().at(0).toLongLong(), qint64(server.payload.size()));
        QCOMPARE(progress.last().at(1).toLongLong(), qint64(server.payload.size()));
    }

    void resumesWithARangeRequestAfterTheConnectionBreaks() {
        HttpTestServer server;
        server.payload = randomPayload(2 << 20);
        server.hangUpAfterBytes = 700 * 1024;
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("disc.iso"));
        DownloadJob job;
        const auto first = runOnce(job, server.url(), target);
        QVERIFY(!first.first);
        QVERIFY2(first.second.contains(QStringLiteral("resume")), qPrintable(first.second));
        const qint64 partial = QFileInfo(DownloadJob::partialPath(target)).size();
        QVERIFY2(partial > 0 && partial < server.payload.size(), qPrintable(QString::number(partial)));

        const auto second = runOnce(job, server.url(), target, sha256Hex(server.payload));
        QVERIFY2(second.first, qPrintable(second.second));
        QVERIFY(job.resumed());
        QCOMPARE(server.requestedRanges.last(), QByteArray("bytes=") + QByteArray::number(partial) + '-');
        QCOMPARE(readAll(target), server.payload);
    }

    void startsOverWhenTheServerCannotResume() {
        HttpTestServer server;
        server.payload = randomPayload(1 << 20);
        server.supportsRange = false;
        server.hangUpAfterBytes = 300 * 1024;
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("disc.iso"));
        DownloadJob job;
        QVERIFY(!runOnce(job, server.url(), target).first);
        const auto second = runOnce(job, server.url(), target);
        QVERIFY2(second.first, qPrintable(second.second));
        QVERIFY(!job.resumed());
        QCOMPARE(readAll(target), server.payload);  // not the first 300 KiB twice
    }

    void aChecksumMismatchDeletesTheFileAndSaysWhy() {
        HttpTestServer server;
        server.payload = randomPayload(256 * 1024);
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("disc.iso"));
        DownloadJob job;
        const auto [ok, message] = runOnce(job, server.url(), target, QString(64, QLatin1Char('0')));
        QVERIFY(!ok);
        QVERIFY2(message.contains(QStringLiteral("SHA-256")) && message.contains(sha256Hex(server.payload)), qPrintable(message));
        QVERIFY(!QFile::exists(target));
        QVERIFY(!QFile::exists(DownloadJob::partialPath(target)));
    }

    void aMissingFileIsReportedWithTheServersAnswer() {
        HttpTestServer server;
        server.payload = "x";
        QVERIFY(server.start());
        QTemporaryDir dir;
        DownloadJob job;
        const auto [ok, message] = runOnce(job, server.urlFor("/nope.iso"), dir.filePath(QStringLiteral("nope.iso")));
        QVERIFY(!ok);
        QVERIFY2(message.contains(QStringLiteral("404")), qPrintable(message));
    }

    void cancelKeepsThePartialFileForLater() {
        HttpTestServer server;
        server.payload = randomPayload(8 << 20);
        QVERIFY(server.start());
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("disc.iso"));
        DownloadJob job;
        QSignalSpy finished(&job, &DownloadJob::finished);
        connect(&job, &DownloadJob::progress, &job, [&job](qint64 received) {
            if (received > 0) job.cancel();
        });
        job.start(QUrl(server.url()), target);
        QVERIFY(finished.wait(30000));
        QVERIFY(!finished.first().at(0).toBool());
        QVERIFY(finished.first().at(1).toString().contains(QStringLiteral("resume")));
        QVERIFY(!QFile::exists(target));
        disconnect(&job, &DownloadJob::progress, &job, nullptr);
        const auto resumed = runOnce(job, server.url(), target, sha256Hex(server.payload));
        QVERIFY2(resumed.first, qPrintable(resumed.second));
        QCOMPARE(readAll(target), server.payload);
    }
};

QTEST_MAIN(DownloadJobTest)
#include "download_job_test.moc"

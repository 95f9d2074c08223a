// Specification: each run of a VM writes <stamp>-serial.log (the guest's serial
// output) and <stamp>-tessera.log (Tessera's notes) into the bundle's logs/;
// only the newest RunLog::kKeptRuns runs are kept, each file stops at
// RunLog::kMaxFileBytes and says so, and while a run lasts another process can
// see that the VM is running (its log is locked) and its files are not pruned.

#include "core/vm/run_log.h"

#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_bundle.h"

using namespace tessera;

namespace {

QByteArray contents(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

std::span<const uint8_t> bytesOf(const QByteArray& data) {
    return {reinterpret_cast<const uint8_t*>(data.constData()), size_t(data.size())};
}

const QDateTime kNoon(QDate(2026, 12, 6), QTime(12, 0, 0));

}  // namespace

class RunLogTest : public QObject {
    Q_OBJECT
    QTemporaryDir root_;

    vm::VmBundle newBundle(const QString& name) {
        vm::VmConfig config;
        config.name = name;
        auto bundle = vm::VmBundle::create(root_.path(), config);
        return *bundle;
    }

private slots:
    void aRunWritesTheSerialOutputAndTesseraNotesIntoLogs() {
        const vm::VmBundle bundle = newBundle(QStringLiteral("Writer"));
        auto log = vm::RunLog::begin(bundle, kNoon);
        QVERIFY(log.ok());
        (*log)->serial(bytesOf("OpenSBI v1.5\r\n"));
        (*log)->note(QStringLiteral("the guest powered off"));
        QCOMPARE((*log)->serialPath(), bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00-serial.log"));
        QCOMPARE((*log)->tesseraPath(),
                 bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00-tessera.log"));
        log->reset();
        QCOMPARE(contents(bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00-serial.log")),
                 QByteArray("OpenSBI v1.5\r\n"));
        QVERIFY(contents(bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00-tessera.log"))
                    .endsWith(" the guest powered off\n"));
        // A second run in the same second gets its own files, listed first.
        auto again = vm::RunLog::begin(bundle, kNoon);
        QVERIFY(again.ok());
        QCOMPARE(vm::RunLog::runs(bundle),
                 (QStringList{bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00_2"),
                              bundle.logsPath() + QStringLiteral("/2026-12-06_12.00.00")}));
    }

    void onlyTheNewestRunsAreKept() {
        const vm::VmBundle bundle = newBundle(QStringLiteral("Pruned"));
        for (int run = 0; run < vm::RunLog::kKeptRuns + 3; ++run)
            QVERIFY(vm::RunLog::begin(bundle, kNoon.addSecs(60 * run)).ok());
        const QStringList runs = vm::RunLog::runs(bundle);
        QCOMPARE(runs.size(), vm::RunLog::kKeptRuns);
        QVERIFY(runs.first().endsWith(QStringLiteral("12.12.00")));  // the newest ...
        QVERIFY(runs.last().endsWith(QStringLiteral("12.03.00")));   // ... and no older than the kept ones
        QCOMPARE(QDir(bundle.logsPath()).entryList(QDir::Files).size(), 2 * vm::RunLog::kKeptRuns);
    }

    void eachFileStopsGrowingAtItsLimitAndSaysSo() {
        const vm::VmBundle bundle = newBundle(QStringLiteral("Chatty"));
        auto log = vm::RunLog::begin(bundle, kNoon);
        QVERIFY(log.ok());
        const QByteArray chunk(1 << 20, 'x');
        for (qint64 written = 0; written <= vm::RunLog::kMaxFileBytes + chunk.size(); written += chunk.size())
            (*log)->serial(bytesOf(chunk));
        const QString path = (*log)->serialPath();
        log->reset();
        const QByteArray serial = contents(path);
        QVERIFY(serial.size() < vm::RunLog::kMaxFileBytes + 200);
        QVERIFY(serial.startsWith(QByteArray(vm::RunLog::kMaxFileBytes, 'x')));
        QVERIFY(serial.endsWith("reached its size limit; the rest of the run is not logged]\n"));
    }

    void aRunningRunIsSeenFromAnotherProcessAndKept() {
        const vm::VmBundle bundle = newBundle(QStringLiteral("Running"));
        QVERIFY(!vm::RunLog::isRunning(bundle));
        auto running = vm::RunLog::begin(bundle, kNoon);
        QVERIFY(running.ok());
        QVERIFY(vm::RunLog::isRunning(bundle));
        // isRunning() opens the file anew, as another process would: OFD locks of
        // different open files conflict even within one process.
        for (int run = 1; run <= vm::RunLog::kKeptRuns + 1; ++run)
            QVERIFY(vm::RunLog::begin(bundle, kNoon.addSecs(60 * run)).ok());
        QVERIFY(QFile::exists((*running)->tesseraPath()));  // not pruned while it runs
        running->reset();
        QVERIFY(!vm::RunLog::isRunning(bundle));
    }
};

QTEST_GUILESS_MAIN(RunLogTest)
#include "run_log_test.moc"

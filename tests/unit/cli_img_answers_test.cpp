// Specification: `tessera-cli img answers` writes the same answer disk as the
// New VM wizard's express install (core/vm/install_answers.h), so a script
// can install unattended: the key file's line, the password only as a crypt
// hash, mode 0600. It refuses what the installer would refuse, a private key
// given by mistake, and overwriting a file that is not an answer disk.

#include <crypt.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/scratch_files.h"

namespace {

struct CliResult {
    int exitCode = -1;
    QString stdoutText;
    QString stderrText;
};

CliResult runCli(const QStringList& args, const QByteArray& input = {}) {
    QProcess process;
    process.start(qEnvironmentVariable("TESSERA_CLI"), QStringList{"img", "answers"} + args);
    process.waitForStarted();
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000)) process.kill();
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

const QByteArray kKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH2Jm1s4tN0 me@host";

// The KEY=VALUE lines before the NUL padding, the magic line first.
QList<QByteArray> answerLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    const QByteArray bytes = file.readAll();
    if (bytes.size() != (1 << 20)) return {};
    return bytes.left(bytes.indexOf('\0')).split('\n');
}

}  // namespace

class CliImgAnswersTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    QString write(const QString& name, const QByteArray& bytes) {
        return tessera::testing::writeScratchFile(dir_, name, bytes);
    }
    void expectRefused(const QStringList& args, const char* fragment, const QByteArray& input = {}) {
        const CliResult result = runCli(args, input);
        QCOMPARE(result.exitCode, 1);
        QVERIFY2(result.stderrText.contains(QLatin1String(fragment)), qPrintable(result.stderrText));
    }

private slots:
    void anSshKeyFileBecomesTheInstallersAnswers() {
        const QString out = dir_.filePath("key.img");
        const CliResult result = runCli({"--hostname", "riscv-box", "--user", "me", "--ssh-key",
                                         write("id_ed25519.pub", kKey + " \n"), out});
        QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
        QVERIFY2(result.stdoutText.contains("--disk " + out + ",format=raw,readonly=on"),
                 qPrintable(result.stdoutText));
        const QList<QByteArray> lines = answerLines(out);
        QCOMPARE(lines.value(0), QByteArray("#tessera-install-answers v1"));
        QVERIFY(lines.contains("hostname=riscv-box"));
        QVERIFY(lines.contains("user=me"));
        QVERIFY(lines.contains("ssh_key=" + kKey));
        QVERIFY(!lines.join().contains("password_hash"));
        QCOMPARE(QFile::permissions(out) & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }
    void thePasswordFromStandardInputIsStoredOnlyAsItsHash() {
        const QString out = dir_.filePath("password.img");
        const CliResult result = runCli({"--user", "me", "--password-file", "-", out}, "correct horse\n");
        QVERIFY2(result.exitCode == 0, qPrintable(result.stderrText));
        const QList<QByteArray> lines = answerLines(out);
        QVERIFY(lines.contains("hostname=debian"));  // the default
        QByteArray hash;
        for (const QByteArray& line : lines)
            if (line.startsWith("password_hash=")) hash = line.mid(14);
        QVERIFY2(hash.startsWith("$6$"), hash.constData());
        crypt_data data{};
        QCOMPARE(QByteArray(crypt_r("correct horse", hash.constData(), &data)), hash);
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("correct horse"));
    }
    void answersNobodyCouldLogInWithAreRefused() {
        const QString out = dir_.filePath("refused.img");
        expectRefused({"--user", "me", out}, "--password-file FILE or --ssh-key FILE");
        expectRefused({"--ssh-key", write("k.pub", kKey), out}, "--user NAME is needed");
        expectRefused({"--user", "Root Admin", "--ssh-key", write("k.pub", kKey), out}, "user name");
        expectRefused({"--user", "me", "--ssh-key", write("bad.pub", "not a key\n"), out},
                      "OpenSSH public key");
        expectRefused(
            {"--user", "me", "--ssh-key", write("id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n"), out},
            "is a private key");
        expectRefused({"--user", "me", "--ssh-key", dir_.filePath("missing.pub"), out},
                      "cannot read the SSH key file");
        expectRefused({"--user", "me", "--password-file", "-", out}, "is empty", "\n");
        expectRefused({"--user", "me", "--ssh-key", write("k.pub", kKey)}, "missing OUT.img");
        QVERIFY(!QFile::exists(out));
    }
    void onlyAnEarlierAnswerDiskIsOverwritten() {
        const QByteArray disk = QByteArray("QFI\xfb", 4) + QByteArray(4096, '\x01');
        const QString precious = write("debian.qcow2", disk);
        expectRefused({"--user", "me", "--ssh-key", write("k.pub", kKey), precious}, "not an answer disk");
        QFile file(precious);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), disk);

        const QString out = dir_.filePath("again.img");
        QCOMPARE(runCli({"--user", "me", "--ssh-key", write("k.pub", kKey), out}).exitCode, 0);
        QCOMPARE(runCli({"--user", "you", "--ssh-key", write("k.pub", kKey), out}).exitCode, 0);
        QVERIFY(answerLines(out).contains("user=you"));
    }
};

QTEST_GUILESS_MAIN(CliImgAnswersTest)
#include "cli_img_answers_test.moc"

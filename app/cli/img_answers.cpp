// tessera-cli img answers [--hostname NAME] --user NAME [--password-file FILE]
//                         [--ssh-key FILE] OUT.img
// The express install's answer disk (core/vm/install_answers.h) without the
// GUI, for scripts that install unattended with `tessera-cli run --cdrom
// install.iso --boot d --disk system.qcow2 --disk OUT.img,format=raw,readonly=on`.

#include <QFile>
#include <QString>
#include <cstdio>

#include "app/cli/img_args.h"
#include "app/cli/img_subcommands.h"
#include "core/vm/install_answers.h"

namespace tessera::cli {

namespace {

const std::string kSub = "answers";

// The first line of FILE ("-" = standard input), without its line ending.
Result<QString> firstLineOf(const std::string& path, const char* what) {
    QFile file;
    const bool opened =
        path == "-" ? file.open(stdin, QIODevice::ReadOnly)
                    : (file.setFileName(QString::fromStdString(path)), file.open(QIODevice::ReadOnly));
    if (!opened)
        return makeError("cannot read the " + std::string(what) + " file '" + path +
                         "': " + file.errorString().toStdString());
    QByteArray line = file.readLine(64 * 1024);
    while (line.endsWith('\n') || line.endsWith('\r')) line.chop(1);
    return QString::fromUtf8(line);
}

// Overwriting is fine for an earlier answer disk, not for anything else: a
// mistyped OUT must not destroy someone's disk image.
bool isAnswerDiskOrAbsent(const QString& path) {
    QFile file(path);
    if (!file.exists()) return true;
    return file.open(QIODevice::ReadOnly) && file.read(sizeof vm::kAnswersMagic - 1) == vm::kAnswersMagic;
}

}  // namespace

int imgAnswers(const Args& rawArgs) {
    auto args = parseArgs(
        kSub, rawArgs,
        {{0, "hostname", true}, {0, "user", true}, {0, "password-file", true}, {0, "ssh-key", true}});
    if (!args) return 1;
    if (args->positional.size() != 1)
        return failWith(kSub, args->positional.empty()
                                  ? "missing OUT.img (see 'tessera-cli img answers --help')"
                                  : "unexpected argument '" + args->positional[1] + "'");
    if (!args->has("user")) return failWith(kSub, "--user NAME is needed: the account the installer creates");
    if (!args->has("password-file") && !args->has("ssh-key"))
        return failWith(kSub,
                        "give --password-file FILE or --ssh-key FILE (or both): otherwise nobody can log in");

    vm::InstallAnswers answers;
    if (auto hostname = args->last("hostname")) answers.hostname = QString::fromStdString(*hostname);
    answers.user = QString::fromStdString(*args->last("user"));
    if (auto keyFile = args->last("ssh-key")) {
        auto key = firstLineOf(*keyFile, "SSH key");
        if (!key) return failWith(kSub, key.message());
        if (key->startsWith(QLatin1String("-----BEGIN")))
            return failWith(kSub, *keyFile + " is a private key: give the public one (" + *keyFile + ".pub)");
        answers.sshKey = key->trimmed();
    }
    if (auto passwordFile = args->last("password-file")) {
        auto password = firstLineOf(*passwordFile, "password");
        if (!password) return failWith(kSub, password.message());
        if (password->isEmpty()) return failWith(kSub, "the password file '" + *passwordFile + "' is empty");
        auto hash = vm::hashPassword(*password);  // only the hash reaches the disk
        if (!hash) return failWith(kSub, hash.message());
        answers.passwordHash = *hash;
    }
    if (const QString problem = vm::checkInstallAnswers(answers); !problem.isEmpty())
        return failWith(kSub, problem.toStdString());

    const QString out = QString::fromStdString(args->positional[0]);
    if (!isAnswerDiskOrAbsent(out))
        return failWith(kSub, args->positional[0] + " exists and is not an answer disk; not overwriting it");
    if (Status written = vm::writeAnswersDisk(out, answers); !written)
        return failWith(kSub, written.message());
    std::printf(
        "Wrote the install answers for %s@%s to %s. Install with:\n"
        "  tessera-cli run -m 1G --cdrom INSTALL.iso --boot d --disk SYSTEM.qcow2 "
        "--disk %s,format=raw,readonly=on\n",
        qPrintable(answers.user), qPrintable(answers.hostname), qPrintable(out), qPrintable(out));
    return 0;
}

}  // namespace tessera::cli
